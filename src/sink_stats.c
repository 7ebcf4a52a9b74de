// SPDX-License-Identifier: MIT
/* The summary sink (-s/--stats, --hist): no events, but reports of what the
 * kernel aggregated (agg.c), as a table and/or histograms per target (and
 * key), or as JSON Lines "stats" records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "errnames.h"
#include "sink.h"
#include "top.h"

struct stats_sink {
	struct ft_sink base;
	bool json, table, hist, folded;
	enum ft_agg_by by;
	uint64_t reports;
};

static const char *row_label(const struct ft_sink *s, const struct agg_row *r)
{
	return r->target < s->fmt->nlabels ? s->fmt->labels[r->target] : "?";
}

static void lat(char *buf, size_t len, const struct agg_row *r, uint64_t ns)
{
	if (r->timed)
		top_fmt_ns(ns, buf, len);
	else
		snprintf(buf, len, "-");
}

static const char *key_head(enum ft_agg_by by)
{
	switch (by) {
	case FT_BY_TGID:
		return "    PID COMM            ";
	case FT_BY_TID:
		return "    TID COMM            ";
	case FT_BY_COMM:
		return "COMM            ";
	default:
		return "";
	}
}

/* "    PID COMM            " etc. for one row */
static void key_cols(FILE *f, enum ft_agg_by by, const struct agg_row *r)
{
	if (by == FT_BY_TGID || by == FT_BY_TID)
		fprintf(f, "%7u %-15.15s ", r->id, r->comm);
	else if (by == FT_BY_COMM)
		fprintf(f, "%-15.15s ", r->comm);
}

static void put_table(struct stats_sink *t, const struct sink_report *rep)
{
	struct ft_sink *s = &t->base;
	double secs = rep->elapsed_ns ? (double)rep->elapsed_ns / 1e9 : 0;
	int fw = 8;
	FILE *f = s->out;

	for (size_t i = 0; i < rep->n; i++) {
		int n = (int)strlen(row_label(s, &rep->rows[i]));

		if (n > fw)
			fw = n;
	}
	fprintf(f, "%s%-*s %10s %10s %8s %8s %8s %8s %8s %8s %8s %9s\n",
		key_head(t->by), fw, "FUNCTION", "CALLS", "CALLS/s", "TOTAL", "AVG",
		"MIN", "MAX", "P50", "P90", "P99", "UNMATCHED");
	for (size_t i = 0; i < rep->n; i++) {
		const struct agg_row *r = &rep->rows[i];
		char tot[16], avg[16], mn[16], mx[16], p50[16], p90[16], p99[16];

		lat(tot, sizeof(tot), r, r->total_ns);
		lat(avg, sizeof(avg), r, r->timed ? r->total_ns / r->timed : 0);
		lat(mn, sizeof(mn), r, r->min_ns);
		lat(mx, sizeof(mx), r, r->max_ns);
		lat(p50, sizeof(p50), r, agg_quantile(r, 500));
		lat(p90, sizeof(p90), r, agg_quantile(r, 900));
		lat(p99, sizeof(p99), r, agg_quantile(r, 990));
		key_cols(f, t->by, r);
		fprintf(f, "%-*s %10llu %10.1f %8s %8s %8s %8s %8s %8s %8s %9llu\n",
			fw, row_label(s, r), (unsigned long long)r->calls,
			secs > 0 ? (double)r->calls / secs : 0.0, tot, avg, mn, mx,
			p50, p90, p99, (unsigned long long)r->unmatched);
	}
}

#define BAR_W 40

static void put_hist_line(FILE *f, uint64_t lo, uint64_t hi, uint64_t count,
			  uint64_t max)
{
	char bar[BAR_W + 1];
	size_t n = max ? (size_t)(count * BAR_W / max) : 0;
	char his[24];

	if (count && !n)
		n = 1;
	memset(bar, '*', n);
	bar[n] = 0;
	if (hi == UINT64_MAX)
		snprintf(his, sizeof(his), "inf");
	else
		snprintf(his, sizeof(his), "%llu", (unsigned long long)hi);
	fprintf(f, "%14llu -> %-14s : %-10llu |%-*s|\n", (unsigned long long)lo, his,
		(unsigned long long)count, BAR_W, bar);
}

/* funclatency's layout: a line per bucket from the first to the last
 * non-empty one; a run of empty buckets is one line with count 0 */
static void put_hist(struct stats_sink *t, const struct agg_row *r)
{
	struct ft_sink *s = &t->base;
	FILE *f = s->out;
	unsigned int first = FT_HIST_NR, last = 0;
	uint64_t max = 0;

	fputs(row_label(s, r), f);
	if (t->by == FT_BY_TGID || t->by == FT_BY_TID)
		fprintf(f, " %s %u (%s)", t->by == FT_BY_TGID ? "pid" : "tid", r->id, r->comm);
	else if (t->by == FT_BY_COMM)
		fprintf(f, " comm %s", r->comm);
	fprintf(f, ": %llu calls, %llu timed\n", (unsigned long long)r->calls,
		(unsigned long long)r->timed);
	for (unsigned int b = 0; b < FT_HIST_NR; b++) {
		if (!r->hist[b])
			continue;
		if (first == FT_HIST_NR)
			first = b;
		last = b;
		if (r->hist[b] > max)
			max = r->hist[b];
	}
	if (first == FT_HIST_NR) {
		fputs("    (no timed calls)\n\n", f);
		return;
	}
	fprintf(f, "%31s : %-10s %s\n", "nsecs", "count", "distribution");
	for (unsigned int b = first; b <= last; b++) {
		unsigned int e = b;

		if (r->hist[b]) {
			put_hist_line(f, agg_bucket_lo(b), agg_bucket_hi(b), r->hist[b], max);
			continue;
		}
		while (e + 1 <= last && !r->hist[e + 1])
			e++;
		put_hist_line(f, agg_bucket_lo(b), agg_bucket_hi(e), 0, max);
		b = e;
	}
	putc('\n', f);
}

/* --by stack: why a stack of a row has no frames ("" when it has, or was
 * not asked for) */
static const char *stack_why(int32_t id, char *buf, size_t len)
{
	const char *name;

	if (id >= 0 || id == FT_STACKID_NONE)
		return "";
	if (id == FT_STACKID_UNKNOWN)
		return "unknown: a return without its entry";
	name = errno_name(-id);
	snprintf(buf, len, "not captured: %s%s", name ? name : "error",
		 id == -EEXIST ? " (a different stack holds its stack map bucket)" :
		 id == -ENOMEM ? " (the stack map is full)" :
		 id == -EFAULT ? " (no stack to walk)" : "");
	return buf;
}

/* a stack's frame i of row r as text, innermost first */
static size_t frame_text(struct ft_sink *s, const struct agg_row *r, size_t i,
			 char *out, size_t cap)
{
	bool kernel = i < r->nkern;

	return fmt_frame(s->fmt, r->id, r->frames[i], kernel, out, cap);
}

/* "  20 calls, avg 1.2us, p99 3.1us, pid 123 (comm)" and the frames */
static void put_stack_row(struct stats_sink *t, const struct agg_row *r)
{
	struct ft_sink *s = &t->base;
	FILE *f = s->out;
	char avg[16], p99[16], txt[FMT_FRAME_MAX], kwhy[160], uwhy[160];
	const char *kw = stack_why(r->kstack, kwhy, sizeof(kwhy));
	const char *uw = stack_why(r->ustack, uwhy, sizeof(uwhy));

	lat(avg, sizeof(avg), r, r->timed ? r->total_ns / r->timed : 0);
	lat(p99, sizeof(p99), r, agg_quantile(r, 990));
	fprintf(f, "  %llu calls, avg %s, p99 %s", (unsigned long long)r->calls, avg, p99);
	if (r->unmatched)
		fprintf(f, ", %llu unmatched", (unsigned long long)r->unmatched);
	if (r->id)
		fprintf(f, ", pid %u (%s)", r->id, r->comm);
	putc('\n', f);
	for (size_t i = 0; i < (size_t)r->nkern + r->nuser; i++) {
		if (i == r->nkern && r->nkern)
			fputs("    --\n", f);	/* kernel above, user below */
		frame_text(s, r, i, txt, sizeof(txt));
		fprintf(f, "    %s\n", txt);
	}
	if (*kw)
		fprintf(f, "    [kernel stack %s]\n", kw);
	if (*uw)
		fprintf(f, "    [user stack %s]\n", uw);
}

/* rows sorted by target, then calls: a head line per target */
static void put_stacks(struct stats_sink *t, const struct sink_report *rep)
{
	struct ft_sink *s = &t->base;

	for (size_t i = 0; i < rep->n;) {
		const struct agg_row *r = &rep->rows[i];
		uint64_t calls = 0;
		size_t e = i;

		while (e < rep->n && rep->rows[e].target == r->target)
			calls += rep->rows[e++].calls;
		fprintf(s->out, "%s: %llu calls, %zu stack%s\n", row_label(s, r),
			(unsigned long long)calls, e - i, e - i == 1 ? "" : "s");
		for (; i < e; i++)
			put_stack_row(t, &rep->rows[i]);
		putc('\n', s->out);
	}
}

/* a frame's name for a folded line: the function without its library and
 * offset, "[lib]" without a symbol, "[unknown]" without a mapping; no ';' */
static void fold_name(char *txt, bool known, bool kernel)
{
	char *colon = strrchr(txt, ':'), *plus;
	size_t n;

	if (!known) {
		strcpy(txt, "[unknown]");
		return;
	}
	if (colon || kernel) {	/* "lib:func+0xoff", "[module:]func+0xoff" */
		if (colon)
			memmove(txt, colon + 1, strlen(colon + 1) + 1);
		plus = strrchr(txt, '+');
		if (plus)
			*plus = 0;
	} else {	/* "lib+0xoff": no symbol */
		plus = strrchr(txt, '+');
		n = plus ? (size_t)(plus - txt) : strlen(txt);
		memmove(txt + 1, txt, n);
		txt[0] = '[';
		txt[n + 1] = ']';
		txt[n + 2] = 0;
	}
	for (char *p = txt; *p; p++)
		if (*p == ';' || *p == ' ')
			*p = '_';
}

struct folded {
	char *line;
	uint64_t calls;
};

static int folded_cmp(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->line, ((const struct folded *)b)->line);
}

/* one row as "outer;...;leaf": user frames outermost first, then kernel */
static char *fold_row(struct stats_sink *t, const struct agg_row *r)
{
	struct ft_sink *s = &t->base;
	size_t nf = (size_t)r->nkern + r->nuser, cap = 64 + nf * FMT_FRAME_MAX, len = 0;
	char *line = malloc(cap), txt[FMT_FRAME_MAX + 4] = "";
	const char *func;
	size_t flen;

	if (!line)
		return NULL;
	line[0] = 0;
	for (size_t k = nf; k-- > 0;) {
		size_t n = s->fmt->frame ? s->fmt->frame(s->fmt->frame_ctx, r->id,
							 r->frames[k], k < r->nkern,
							 txt, FMT_FRAME_MAX) : 0;

		txt[n] = 0;
		fold_name(txt, n > 0, k < r->nkern);
		len += (size_t)snprintf(line + len, cap - len, "%s%s", len ? ";" : "", txt);
	}
	/* the traced function is the leaf: where the stack starts elsewhere
	 * (a tracepoint's machinery, an address), it is added */
	sink_split_label(row_label(s, r), &func, &flen);
	flen = strcspn(func, "+");
	if (!nf || strlen(txt) != flen || strncmp(txt, func, flen))
		snprintf(line + len, cap - len, "%s%s%.*s", len ? ";" : "",
			 nf ? "" : "[no stack];", (int)flen, func);
	return line;
}

/* Brendan Gregg's folded format, the count being calls; equal lines (the
 * same stack in several processes) merged */
static int put_folded(struct stats_sink *t, const struct sink_report *rep)
{
	struct folded *v = calloc(rep->n ? rep->n : 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n; i++) {
		if (!rep->rows[i].calls)
			continue;
		v[n].line = fold_row(t, &rep->rows[i]);
		if (!v[n].line)
			break;
		v[n++].calls = rep->rows[i].calls;
	}
	qsort(v, n, sizeof(*v), folded_cmp);
	for (size_t i = 0; i < n; i++) {
		uint64_t c = v[i].calls;

		while (i + 1 < n && !strcmp(v[i].line, v[i + 1].line))
			c += v[++i].calls;
		fprintf(t->base.out, "%s %llu\n", v[i].line, (unsigned long long)c);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].line);
	free(v);
	return 0;
}

static void put_json_stack(struct stats_sink *t, const struct agg_row *r)
{
	struct ft_sink *s = &t->base;
	FILE *f = s->out;
	char txt[FMT_FRAME_MAX], why[160];

	fputs(",\"stack\":[", f);
	for (size_t i = 0; i < (size_t)r->nkern + r->nuser; i++) {
		size_t n = frame_text(s, r, i, txt, sizeof(txt));

		if (i)
			putc(',', f);
		json_str(f, txt, n);
	}
	fprintf(f, "],\"kernel_frames\":%u", r->nkern);
	for (int k = 0; k < 2; k++) {
		const char *w = stack_why(k ? r->ustack : r->kstack, why, sizeof(why));

		if (!*w)
			continue;
		fprintf(f, ",\"%s_stack_error\":", k ? "user" : "kernel");
		json_str(f, w, strlen(w));
	}
}

static void put_ns(FILE *f, const char *name, const struct agg_row *r, uint64_t v)
{
	if (r->timed)
		fprintf(f, ",\"%s\":%llu", name, (unsigned long long)v);
	else
		fprintf(f, ",\"%s\":null", name);
}

static void put_json(struct stats_sink *t, const struct sink_report *rep,
		     const struct agg_row *r)
{
	struct ft_sink *s = &t->base;
	double secs = (double)rep->elapsed_ns / 1e9;
	const char *label = row_label(s, r), *func;
	size_t liblen;
	FILE *f = s->out;
	bool comma = false;

	sink_split_label(label, &func, &liblen);
	fprintf(f, "{\"type\":\"stats\",\"elapsed_ns\":%llu,\"final\":%s,\"lib\":",
		(unsigned long long)rep->elapsed_ns, rep->final ? "true" : "false");
	json_str(f, label, liblen);
	fputs(",\"func\":", f);
	json_str(f, func, strlen(func));
	if (t->by == FT_BY_TID && r->tgid)
		fprintf(f, ",\"pid\":%u", r->tgid);
	if (t->by == FT_BY_TGID || t->by == FT_BY_TID || (t->by == FT_BY_STACK && r->id))
		fprintf(f, ",\"%s\":%u", t->by == FT_BY_TID ? "tid" : "pid", r->id);
	if (t->by == FT_BY_STACK)
		put_json_stack(t, r);
	if (t->by != FT_BY_NONE) {
		fputs(",\"comm\":", f);
		json_str(f, r->comm, strlen(r->comm));
	}
	fprintf(f, ",\"calls\":%llu,\"calls_per_s\":%.3f,\"timed\":%llu,\"unmatched\":%llu",
		(unsigned long long)r->calls, secs > 0 ? (double)r->calls / secs : 0.0,
		(unsigned long long)r->timed, (unsigned long long)r->unmatched);
	put_ns(f, "total_ns", r, r->total_ns);
	put_ns(f, "min_ns", r, r->min_ns);
	put_ns(f, "max_ns", r, r->max_ns);
	put_ns(f, "avg_ns", r, r->timed ? r->total_ns / r->timed : 0);
	put_ns(f, "p50_ns", r, agg_quantile(r, 500));
	put_ns(f, "p90_ns", r, agg_quantile(r, 900));
	put_ns(f, "p99_ns", r, agg_quantile(r, 990));
	if (t->hist) {
		/* non-empty buckets, [lo, hi, count]; hi null: open-ended */
		fputs(",\"hist\":[", f);
		for (unsigned int b = 0; b < FT_HIST_NR; b++) {
			uint64_t hi = agg_bucket_hi(b);

			if (!r->hist[b])
				continue;
			fprintf(f, "%s[%llu,", comma ? "," : "",
				(unsigned long long)agg_bucket_lo(b));
			if (hi == UINT64_MAX)
				fputs("null", f);
			else
				fprintf(f, "%llu", (unsigned long long)hi);
			fprintf(f, ",%llu]", (unsigned long long)r->hist[b]);
			comma = true;
		}
		putc(']', f);
	}
	fputs("}\n", f);
}

static int stats_report(struct ft_sink *s, const struct sink_report *rep)
{
	struct stats_sink *t = (struct stats_sink *)s;
	FILE *f = s->out;

	t->reports++;
	if (t->folded) {
		if (rep->final && put_folded(t, rep))
			return -ENOMEM;
	} else if (t->json) {
		for (size_t i = 0; i < rep->n; i++)
			put_json(t, rep, &rep->rows[i]);
	} else {
		fprintf(f, "ftrace stats: %.3f s, %zu row%s%s", (double)rep->elapsed_ns / 1e9,
			rep->n, rep->n == 1 ? "" : "s", rep->final ? ", at exit" : "");
		if (rep->agg_full)
			fprintf(f, ", %llu calls not counted (more than %d keys)",
				(unsigned long long)rep->agg_full, FT_AGG_MAX);
		if (rep->untimed)
			fprintf(f, ", %llu calls nested too deep to time",
				(unsigned long long)rep->untimed);
		if (rep->stack_lost)
			fprintf(f, ", %llu stacks not captured",
				(unsigned long long)rep->stack_lost);
		putc('\n', f);
		if (t->table && t->by == FT_BY_STACK)
			put_stacks(t, rep);
		else if (t->table)
			put_table(t, rep);
		if (t->table && t->hist)
			putc('\n', f);
		for (size_t i = 0; t->hist && i < rep->n; i++)
			put_hist(t, &rep->rows[i]);
		if (!rep->final && !t->hist && t->by != FT_BY_STACK)
			putc('\n', f);
	}
	s->written += rep->n;
	if (fflush(f) || ferror(f))
		return -(errno ? errno : EIO);
	return 0;
}

/* no events arrive in this mode */
static int stats_event(struct ft_sink *s, const void *rec, size_t len)
{
	(void)s, (void)rec, (void)len;
	return 0;
}

static int stats_lost(struct ft_sink *s, uint64_t ts, uint64_t total)
{
	(void)s, (void)ts, (void)total;
	return 0;
}

static int stats_close(struct ft_sink *s, const struct sink_summary *m)
{
	struct stats_sink *t = (struct stats_sink *)s;

	if (m && t->json) {
		fprintf(s->out, "{\"type\":\"summary\",\"reports\":%llu,\"not_aggregated\":%llu,"
			"\"untimed\":%llu,\"no_state\":%llu,\"stopped\":",
			(unsigned long long)t->reports, (unsigned long long)m->agg_full,
			(unsigned long long)m->untimed, (unsigned long long)m->no_state);
		json_str(s->out, m->why ? m->why : "", m->why ? strlen(m->why) : 0);
		if (t->by == FT_BY_STACK)
			fprintf(s->out, ",\"stacks_lost\":%llu", (unsigned long long)m->stack_lost);
		fputs("}\n", s->out);
	}
	return sink_file_close(s);
}

static const struct sink_ops stats_ops = {
	.name = "stats",
	.event = stats_event,
	.lost = stats_lost,
	.report = stats_report,
	.flush = sink_file_flush,
	.close = stats_close,
};

struct ft_sink *sink_stats_new(const struct sink_opts *o)
{
	struct stats_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->base.ops = &stats_ops;
	t->json = o->json;
	t->table = o->table;
	t->hist = o->hist;
	t->by = (enum ft_agg_by)o->by;
	t->folded = o->folded;
	return &t->base;
}
