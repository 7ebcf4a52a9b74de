// SPDX-License-Identifier: MIT
/* The live view: keys, refresh, terminal size and the screen around the
 * table that top.c lays out; batch mode prints top -b style iterations. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "sink_top.h"
#include "term.h"

#define HEADER_LINES	4	/* title, totals, sort/filter/prompt, blank */
#define FOOTER_LINES	1	/* keys */
#define PROMPT_MAX	(TOP_FILTER_LEN + TOP_COMM_LEN + 24)

static const uint32_t refresh_steps_ms[] = {
	100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000,
};
#define NSTEPS (sizeof(refresh_steps_ms) / sizeof(refresh_steps_ms[0]))

struct top_sink {
	struct top_sink_opts o;
	struct top_model m;
	struct top_buf buf, screen;
	uint64_t start_ns, last_snap_ns, last_print_ns;
	uint64_t printed;		/* batch tables */
	int printed_err;		/* batch: the output failed (EPIPE) */
	uint64_t lost;
	int cols, rows;
	bool dirty;			/* redraw at the next tick */
	bool quit;			/* q, Ctrl-C, iterations done, stopped */
	bool prompting;
	char prompt[PROMPT_MAX];
	size_t plen;
	char msg[128];			/* last filter error, shown once */
	char keys[64];			/* unconsumed input (a split escape) */
	size_t nkeys;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int take_snapshot(struct top_sink *t, uint64_t now)
{
	const struct top_row *rows = NULL;
	size_t n = 0;
	int ret = t->o.src.snapshot(t->o.src.ctx, &rows, &n);

	if (ret)
		return ret;
	t->last_snap_ns = now;
	return top_update(&t->m, rows, n, now);
}

static void fmt_uptime(uint64_t ns, char *buf, size_t len)
{
	unsigned long long s = ns / 1000000000ULL;

	snprintf(buf, len, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
}

static void fmt_clock(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "--:--:--");
}

static const char *sort_dir(const struct top_model *m)
{
	bool text = m->sort == TOP_COL_PID || m->sort == TOP_COL_COMM ||
		    m->sort == TOP_COL_FUNC;

	return text != m->reverse ? "asc" : "desc";
}

/* ---- batch ---- */

/* one top -b table; width and max_rows 0: no limit */
static int batch_print(struct top_sink *t, uint64_t now, int width, size_t max_rows)
{
	struct top_totals tot;
	char up[32], clk[16];
	int ret;

	top_totals(&t->m, &tot);
	fmt_uptime(now - t->start_ns, up, sizeof(up));
	fmt_clock(clk, sizeof(clk));
	t->buf.len = 0;
	top_buf_printf(&t->buf, "ftrace - %s up %s, %zu processes, %zu rows, %llu calls, "
		       "%.1f calls/s, %llu lost, %s\n", clk, up, tot.procs, tot.rows,
		       (unsigned long long)tot.calls, tot.rate,
		       (unsigned long long)t->lost, t->o.mech);
	if (top_render_table(&t->m, width, max_rows, &t->buf) < t->m.norder)
		top_buf_printf(&t->buf, "(%zu more rows)\n", t->m.norder - max_rows);
	if (!width)
		top_buf_printf(&t->buf, "\n");
	if (t->buf.oom)
		return -ENOMEM;
	ret = term_write(t->o.out_fd, t->buf.p, t->buf.len);
	t->printed++;
	t->last_print_ns = now;
	return ret;
}

/* ---- the screen ---- */

/* one screen line: cut to the width, rest of the line cleared */
static void screen_line(struct top_sink *t, const char *s, size_t n, bool last)
{
	if (n > (size_t)t->cols)
		n = (size_t)t->cols;
	top_buf_printf(&t->screen, "%.*s\x1b[K%s", (int)n, s, last ? "" : "\n");
}

static void draw_header(struct top_sink *t, char lines[HEADER_LINES][256])
{
	struct top_totals tot;
	char up[32], clk[16], filt[TOP_FILTER_LEN + TOP_COMM_LEN + 32];

	top_totals(&t->m, &tot);
	fmt_uptime(now_ns() - t->start_ns, up, sizeof(up));
	fmt_clock(clk, sizeof(clk));
	snprintf(lines[0], 256, "ftrace --top  %s  up %s  refresh %.1fs  %s  %zu targets",
		 clk, up, t->o.interval_ms / 1000.0, t->o.mech, t->o.nlabels);
	snprintf(lines[1], 256, "Rows: %zu of %zu  Processes: %zu  Calls: %llu  "
		 "Rate: %.1f/s  Lost: %llu", tot.rows, t->m.n, tot.procs,
		 (unsigned long long)tot.calls, tot.rate, (unsigned long long)t->lost);
	top_filter_str(&t->m.filter, filt, sizeof(filt));
	if (t->prompting)
		snprintf(lines[2], 256, "Filter (pid:N,comm:NAME,fn:NAME; empty clears): %s_",
			 t->prompt);
	else if (t->msg[0])
		snprintf(lines[2], 256, "%s", t->msg);
	else
		snprintf(lines[2], 256, "Sort: %s %s  Filter: %s", top_col_name(t->m.sort),
			 sort_dir(&t->m), filt[0] ? filt : "none");
	lines[3][0] = 0;
}

static int draw(struct top_sink *t)
{
	char head[HEADER_LINES][256];
	/* lines above the keys line; a tiny window loses the table first,
	 * then the header, never scrolls */
	size_t room = t->rows > FOOTER_LINES ? (size_t)(t->rows - FOOTER_LINES) : 0;
	size_t avail = room > HEADER_LINES + 1 ? room - HEADER_LINES - 1 : 0, used = 0;
	const char *p;
	static const char keys[] = "q quit  </> sort  r reverse  f filter  "
				   "z reset  +/- refresh";

	draw_header(t, head);
	t->buf.len = 0;
	top_render_table(&t->m, t->cols, avail ? avail : 1, &t->buf);
	t->screen.len = 0;
	top_buf_printf(&t->screen, "\x1b[H");
	for (int i = 0; i < HEADER_LINES && used < room; i++, used++)
		screen_line(t, head[i], strlen(head[i]), false);
	p = t->buf.p;
	for (bool first = true; p && *p && used < room && (first || avail);
	     first = false, used++) {
		size_t n = strcspn(p, "\n");

		if (first) {	/* the column heading in reverse video */
			top_buf_printf(&t->screen, "\x1b[7m%-*.*s\x1b[0m\n", t->cols,
				       (int)(n > (size_t)t->cols ? (size_t)t->cols : n), p);
		} else {
			screen_line(t, p, n, false);
		}
		p += n + (p[n] == '\n');
	}
	top_buf_printf(&t->screen, "\x1b[J\x1b[%d;1H", t->rows);
	screen_line(t, keys, sizeof(keys) - 1, true);
	if (t->screen.oom || t->buf.oom)
		return -ENOMEM;
	t->dirty = false;
	return term_write(t->o.out_fd, t->screen.p, t->screen.len);
}

/* ---- keys ---- */

static void change_refresh(struct top_sink *t, int dir)
{
	size_t i = 0;

	while (i + 1 < NSTEPS && refresh_steps_ms[i] < t->o.interval_ms)
		i++;
	if (dir > 0 && i > 0)
		i--;
	else if (dir < 0 && i + 1 < NSTEPS &&
		 refresh_steps_ms[i] <= t->o.interval_ms)
		i++;
	t->o.interval_ms = refresh_steps_ms[i];
}

static int do_reset(struct top_sink *t)
{
	int ret = t->o.src.reset(t->o.src.ctx);
	uint64_t now = now_ns();

	top_reset(&t->m, now);
	if (!ret)
		ret = take_snapshot(t, now);
	return ret;
}

static void prompt_key(struct top_sink *t, int c)
{
	char why[96];

	if (c == '\r' || c == '\n') {
		t->prompting = false;
		t->prompt[t->plen] = 0;
		if (top_filter_parse(t->prompt, &t->m.filter, why, sizeof(why)))
			snprintf(t->msg, sizeof(t->msg), "bad filter: %s", why);
		top_refresh(&t->m);
	} else if (c == 0x1b) {
		t->prompting = false;
	} else if (c == 0x7f || c == 0x08) {
		if (t->plen)
			t->plen--;
	} else if (c == 0x15) {		/* Ctrl-U */
		t->plen = 0;
	} else if (c >= 0x20 && c < 0x7f && t->plen + 1 < sizeof(t->prompt)) {
		t->prompt[t->plen++] = (char)c;
	}
	t->prompt[t->plen] = 0;
}

static int key(struct top_sink *t, int c)
{
	t->msg[0] = 0;
	if (c == 0x03) {		/* Ctrl-C: raw mode delivers it as a key */
		t->quit = true;
		return 0;
	}
	if (t->prompting) {
		prompt_key(t, c);
		return 0;
	}
	switch (c) {
	case 'q': case 'Q':
		t->quit = true;
		break;
	case '<': case ',': case 'D':	/* 'D': left arrow, ESC [ D */
		top_next_sort(&t->m, -1);
		break;
	case '>': case '.': case 'C':	/* 'C': right arrow */
		top_next_sort(&t->m, +1);
		break;
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		top_set_sort(&t->m, (enum top_col)(c - '1'));
		break;
	case 'r': case 'R':
		t->m.reverse = !t->m.reverse;
		break;
	case 'f': case 'F': case '/':
		t->prompting = true;
		top_filter_str(&t->m.filter, t->prompt, sizeof(t->prompt));
		t->plen = strlen(t->prompt);
		break;
	case 'z': case 'Z':
		return do_reset(t);
	case '+': case '=':
		change_refresh(t, +1);
		break;
	case '-': case '_':
		change_refresh(t, -1);
		break;
	default:
		return 0;
	}
	return top_refresh(&t->m);
}

/* Keys, with ESC [ C / ESC [ D (arrows) folded into 'C' / 'D' outside the
 * prompt; other escape sequences are dropped; a lone ESC cancels the prompt. */
static int read_keys(struct top_sink *t)
{
	ssize_t n = read(t->o.in_fd, t->keys + t->nkeys, sizeof(t->keys) - t->nkeys);
	size_t i = 0;
	int ret = 0;

	if (n <= 0)
		return 0;
	t->nkeys += (size_t)n;
	t->dirty = true;
	while (i < t->nkeys && !ret && !t->quit) {
		unsigned char c = (unsigned char)t->keys[i];

		if (c == 0x1b && i + 1 < t->nkeys && (t->keys[i + 1] == '[' ||
						     t->keys[i + 1] == 'O')) {
			size_t j = i + 2;

			while (j < t->nkeys && (t->keys[j] < 0x40 || t->keys[j] > 0x7e))
				j++;
			if (j >= t->nkeys)
				break;	/* incomplete: wait for the rest */
			if (!t->prompting && (t->keys[j] == 'C' || t->keys[j] == 'D') &&
			    j == i + 2)
				ret = key(t, t->keys[j]);
			i = j + 1;
			continue;
		}
		if (!t->prompting && (c == 'C' || c == 'D'))
			c = 0;	/* plain letters are not arrows */
		if (c)
			ret = key(t, c);
		i++;
	}
	memmove(t->keys, t->keys + i, t->nkeys - i);
	t->nkeys -= i;
	return ret;
}

/* ---- the sink ---- */

int top_sink_open(const struct top_sink_opts *o, struct top_sink **out,
		  struct ft_err *err)
{
	struct top_sink *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return -ENOMEM;
	t->o = *o;
	if (!t->o.interval_ms)
		t->o.interval_ms = 1000;
	top_init(&t->m, o->labels, o->nlabels);
	t->start_ns = t->last_snap_ns = t->last_print_ns = now_ns();
	t->m.now_ns = t->start_ns;
	if (!o->batch) {
		term_size(o->out_fd, &t->cols, &t->rows);
		ret = term_enter(o->in_fd, o->out_fd);
		if (ret) {
			term_leave();
			top_free(&t->m);
			free(t);
			return ft_errf(err, ret, "--top: cannot set up the terminal: %s "
				       "(--batch prints tables instead)", strerror(-ret));
		}
		t->dirty = true;
	}
	*out = t;
	return 0;
}

int top_sink_tick(struct top_sink *t, uint64_t lost)
{
	uint64_t now = now_ns();
	bool due = now - t->last_snap_ns >= (uint64_t)t->o.interval_ms * 1000000ULL;
	int ret = 0, cols, rows;

	if (t->quit)
		return 1;	/* and the terminal may be cooked again: no reads */
	if (lost != t->lost)
		t->dirty = true;
	t->lost = lost;
	if (t->o.batch) {
		if (!due)
			return 0;
		ret = take_snapshot(t, now);
		if (!ret)
			ret = batch_print(t, now, 0, 0);
		if (ret) {
			t->printed_err = ret;
			t->quit = true;
			return ret == -EPIPE ? 1 : ret;
		}
		t->quit = t->o.iterations && t->printed >= t->o.iterations;
		return t->quit;
	}
	ret = read_keys(t);
	if (ret || t->quit)
		return ret ? ret : 1;
	term_size(t->o.out_fd, &cols, &rows);
	if (cols != t->cols || rows != t->rows) {
		t->cols = cols;
		t->rows = rows;
		t->dirty = true;
	}
	if (due) {
		ret = take_snapshot(t, now);
		t->dirty = true;
	}
	if (!ret && t->dirty)
		ret = draw(t);
	return ret;
}

void top_sink_stop(struct top_sink *t)
{
	if (!t)
		return;
	if (!t->o.batch)
		term_leave();
	t->quit = true;
}

int top_sink_close(struct top_sink *t, uint64_t lost)
{
	int ret = 0;

	if (!t)
		return 0;
	t->lost = lost;
	if (!t->o.batch)
		term_leave();
	/* the last table stays: in batch mode unless -n was reached, after the
	 * full screen as much of it as fits the terminal */
	if (!(t->o.iterations && t->printed >= t->o.iterations) && !t->printed_err) {
		uint64_t now = now_ns();
		int lines = t->rows > 4 ? t->rows - 4 : 1;

		ret = take_snapshot(t, now);
		if (!ret)
			ret = t->o.batch ? batch_print(t, now, 0, 0) :
			      batch_print(t, now, t->cols, (size_t)lines);
		if (ret == -EPIPE)
			ret = 0;
	}
	top_free(&t->m);
	top_buf_free(&t->buf);
	top_buf_free(&t->screen);
	free(t);
	return ret;
}

/* ---- user-space aggregation of the event stream ---- */

struct agg_slot {
	uint32_t pid, target;
	uint32_t idx;			/* + 1; 0: empty */
};

struct top_agg {
	struct top_row *rows;
	uint32_t *hist;			/* TOP_HIST_NR per row */
	uint64_t *p99_at;		/* timed count p99 was computed at */
	uint64_t *max_ns;		/* slowest call per row */
	size_t n, cap;
	struct agg_slot *slots;
	size_t nslots;			/* power of two, > 2n */
};

int top_agg_new(struct top_agg **out)
{
	struct top_agg *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	*out = a;
	return 0;
}

void top_agg_free(struct top_agg *a)
{
	if (!a)
		return;
	free(a->rows);
	free(a->hist);
	free(a->p99_at);
	free(a->max_ns);
	free(a->slots);
	free(a);
}

static size_t slot_of(const struct top_agg *a, uint32_t pid, uint32_t target)
{
	size_t h = ((size_t)pid * 0x9e3779b1u) ^ ((size_t)target * 0x85ebca6bu);

	h &= a->nslots - 1;
	while (a->slots[h].idx && (a->slots[h].pid != pid || a->slots[h].target != target))
		h = (h + 1) & (a->nslots - 1);
	return h;
}

static int agg_grow(struct top_agg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 64, ns = cap * 4;
	struct top_row *rows = realloc(a->rows, cap * sizeof(*rows));
	uint32_t *hist;
	uint64_t *at;
	struct agg_slot *slots;

	if (!rows)
		return -ENOMEM;
	a->rows = rows;
	hist = realloc(a->hist, cap * TOP_HIST_NR * sizeof(*hist));
	if (!hist)
		return -ENOMEM;
	a->hist = hist;
	at = realloc(a->p99_at, cap * sizeof(*at));
	if (!at)
		return -ENOMEM;
	a->p99_at = at;
	at = realloc(a->max_ns, cap * sizeof(*at));
	if (!at)
		return -ENOMEM;
	a->max_ns = at;
	slots = calloc(ns, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	free(a->slots);
	a->slots = slots;
	a->nslots = ns;
	a->cap = cap;
	for (size_t i = 0; i < a->n; i++) {
		size_t h = slot_of(a, a->rows[i].pid, a->rows[i].target);

		a->slots[h] = (struct agg_slot){ a->rows[i].pid, a->rows[i].target,
						 (uint32_t)i + 1 };
	}
	return 0;
}

static struct top_row *agg_row(struct top_agg *a, const struct ft_event *e)
{
	size_t h;
	struct top_row *r;

	if (a->nslots) {
		h = slot_of(a, e->tgid, e->target);
		if (a->slots[h].idx)
			return &a->rows[a->slots[h].idx - 1];
	}
	if (a->n == a->cap && agg_grow(a))
		return NULL;
	h = slot_of(a, e->tgid, e->target);
	a->slots[h] = (struct agg_slot){ e->tgid, e->target, (uint32_t)a->n + 1 };
	r = &a->rows[a->n];
	memset(r, 0, sizeof(*r));
	memset(&a->hist[a->n * TOP_HIST_NR], 0, TOP_HIST_NR * sizeof(*a->hist));
	a->p99_at[a->n] = 0;
	a->max_ns[a->n] = 0;
	a->n++;
	r->pid = e->tgid;
	r->target = e->target;
	return r;
}

void top_agg_event(struct top_agg *a, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	struct top_row *r;

	if (len < sizeof(*e))
		return;
	r = agg_row(a, e);
	if (!r)
		return;
	if (e->type == FT_ENTRY) {
		r->calls++;
		memcpy(r->comm, e->comm, sizeof(r->comm));
		r->comm[sizeof(r->comm) - 1] = 0;
	} else if (e->type == FT_RET && !(e->flags & FT_F_NO_ENTRY)) {
		size_t i = (size_t)(r - a->rows);

		r->timed++;
		r->total_ns += e->delta;
		a->hist[i * TOP_HIST_NR + top_hist_bucket(e->delta)]++;
		if (e->delta > a->max_ns[i])
			a->max_ns[i] = e->delta;
	}
}

static int agg_snapshot(void *ctx, const struct top_row **rows, size_t *n)
{
	struct top_agg *a = ctx;

	for (size_t i = 0; i < a->n; i++) {
		if (a->p99_at[i] == a->rows[i].timed)
			continue;
		/* the bucket's upper bound, but never above the slowest call */
		a->rows[i].p99_ns = top_hist_quantile(&a->hist[i * TOP_HIST_NR],
						      a->rows[i].timed, 0.99);
		if (a->rows[i].p99_ns > a->max_ns[i])
			a->rows[i].p99_ns = a->max_ns[i];
		a->p99_at[i] = a->rows[i].timed;
	}
	*rows = a->rows;
	*n = a->n;
	return 0;
}

static int agg_reset(void *ctx)
{
	struct top_agg *a = ctx;

	a->n = 0;
	if (a->slots)
		memset(a->slots, 0, a->nslots * sizeof(*a->slots));
	return 0;
}

struct top_source top_agg_source(struct top_agg *a)
{
	return (struct top_source){ agg_snapshot, agg_reset, a };
}
