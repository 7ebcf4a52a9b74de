// SPDX-License-Identifier: MIT
/* The Perfetto sink: Chrome Trace Event JSON, which ui.perfetto.dev and
 * chrome://tracing open. One track per thread (named by metadata events),
 * each call a B/E slice pair nested as the calls were, registers and the
 * return value as slice args. Written as events arrive; the only state is
 * a small record per thread (open call depth), so memory stays bounded
 * whatever the number of events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "event.h"
#include "sink.h"

struct pf_thread {
	uint32_t tid;		/* 0: free slot */
	uint32_t pid;
	uint32_t open;		/* B slices not yet ended */
	uint64_t last_ts;
};

struct pf_sink {
	struct ft_sink base;
	struct pf_thread *thr;
	size_t cap, n;		/* cap: power of two */
	uint64_t last_ts;
	bool any;		/* an event was written (comma before the next) */
};

static struct pf_thread *find(struct pf_sink *p, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & (p->cap - 1);

	while (p->thr[i].tid && p->thr[i].tid != tid)
		i = (i + 1) & (p->cap - 1);
	return &p->thr[i];
}

static int grow(struct pf_sink *p)
{
	struct pf_thread *old = p->thr;
	size_t oldcap = p->cap;

	p->cap = oldcap ? oldcap * 2 : 64;
	p->thr = calloc(p->cap, sizeof(*p->thr));
	if (!p->thr) {
		p->thr = old;
		p->cap = oldcap;
		return -ENOMEM;
	}
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].tid)
			*find(p, old[i].tid) = old[i];
	free(old);
	return 0;
}

static FILE *next(struct pf_sink *p)
{
	FILE *f = p->base.out;

	fputs(p->any ? ",\n" : "\n", f);
	p->any = true;
	return f;
}

/* "ts":12345.678 (microseconds, ns precision) */
static void put_ts(FILE *f, uint64_t ns)
{
	fprintf(f, "\"ts\":%llu.%03llu", (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

static void put_name_meta(struct pf_sink *p, const char *what, uint32_t pid,
			  uint32_t tid, const char *comm)
{
	FILE *f = next(p);

	fprintf(f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
		what, pid, tid);
	json_str(f, comm, strnlen(comm, FT_COMM_LEN));
	fputs("}}", f);
}

static struct pf_thread *thread_of(struct pf_sink *p, const struct ft_event *e)
{
	struct pf_thread *t;

	if ((p->n + 1) * 2 > p->cap && grow(p))
		return NULL;
	t = find(p, e->tid);
	if (!t->tid) {
		t->tid = e->tid;
		t->pid = e->tgid;
		p->n++;
		if (e->tid == e->tgid)
			put_name_meta(p, "process_name", e->tgid, e->tid, e->comm);
		put_name_meta(p, "thread_name", e->tgid, e->tid, e->comm);
	}
	return t;
}

/* end the slice on top of t's track; marked when the call never returned
 * (or its return was not seen) */
static void end_slice(struct pf_sink *p, struct pf_thread *t, uint64_t ts,
		      const char *mark)
{
	FILE *f = next(p);

	fprintf(f, "{\"ph\":\"E\",\"pid\":%u,\"tid\":%u,", t->pid, t->tid);
	put_ts(f, ts);
	if (mark)
		fprintf(f, ",\"args\":{\"unfinished\":\"%s\"}", mark);
	putc('}', f);
	t->open--;
}

static void instant(struct pf_sink *p, const struct ft_event *e, const char *what)
{
	FILE *f = next(p);
	const char *func;
	size_t liblen;

	sink_split_label(p->base.fmt->labels[e->target], &func, &liblen);
	fprintf(f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,", e->tgid, e->tid);
	put_ts(f, e->ts);
	fprintf(f, ",\"name\":\"%s\",\"args\":{\"func\":", what);
	json_str(f, func, strlen(func));
	fputs("}}", f);
}

static void begin(struct pf_sink *p, struct pf_thread *t, const struct ft_event *e)
{
	const char *label = p->base.fmt->labels[e->target], *func;
	FILE *f = next(p);
	size_t liblen;

	sink_split_label(label, &func, &liblen);
	fprintf(f, "{\"ph\":\"B\",\"pid\":%u,\"tid\":%u,", e->tgid, e->tid);
	put_ts(f, e->ts);
	fputs(",\"name\":", f);
	json_str(f, func, strlen(func));
	fputs(",\"cat\":", f);
	json_str(f, label, liblen);
	fputs(",\"args\":{", f);
	for (size_t i = 0; i < fmt_nregs(); i++) {
		uint64_t v;
		const char *name = fmt_reg(e->regs, i, &v);

		fprintf(f, "%s\"%s\":\"0x%llx\"", i ? "," : "", name, (unsigned long long)v);
	}
	fputs("}}", f);
	t->open++;
}

static void finish(struct pf_sink *p, struct pf_thread *t, const struct ft_event *e)
{
	FILE *f = next(p);
	uint64_t v;
	const char *reg = fmt_ret_reg(e->regs, &v);

	fprintf(f, "{\"ph\":\"E\",\"pid\":%u,\"tid\":%u,", e->tgid, e->tid);
	put_ts(f, e->ts);
	fprintf(f, ",\"args\":{\"%s\":\"0x%llx\",\"duration_ns\":%llu}}", reg,
		(unsigned long long)v, (unsigned long long)e->delta);
	t->open--;
}

/* Slices follow the kernel's call depth: an entry at depth D sits on D-1
 * open calls; calls left open above it never returned (longjmp) and are
 * ended, marked. A return at depth D ends the call opened at D. */
static int pf_event(struct ft_sink *s, const void *rec, size_t len)
{
	struct pf_sink *p = (struct pf_sink *)s;
	const struct ft_event *e = rec;
	struct pf_thread *t;

	if (fmt_check(s->fmt, rec, len))
		return -EINVAL;
	t = thread_of(p, e);
	if (!t)
		return -ENOMEM;
	if (e->ts > p->last_ts)
		p->last_ts = e->ts;
	t->last_ts = e->ts;
	if (e->type == FT_ENTRY) {
		if (!e->depth) {
			instant(p, e, "entry (not timed: nested too deep)");
		} else {
			while (t->open >= e->depth)
				end_slice(p, t, e->ts, "no return seen");
			/* open < depth - 1: an outer entry was lost; the slice
			 * still nests correctly among those we have */
			begin(p, t, e);
		}
	} else if (!e->depth || t->open < e->depth) {
		instant(p, e, "return (entry not seen)");
	} else {
		while (t->open > e->depth)
			end_slice(p, t, e->ts, "no return seen");
		finish(p, t, e);
	}
	if (ferror(s->out))
		return -(errno ? errno : EIO);
	s->written++;
	return 0;
}

static int pf_lost(struct ft_sink *s, uint64_t ts, uint64_t total)
{
	struct pf_sink *p = (struct pf_sink *)s;
	FILE *f = next(p);

	fputs("{\"ph\":\"i\",\"s\":\"g\",\"pid\":0,\"tid\":0,", f);
	put_ts(f, ts);
	fprintf(f, ",\"name\":\"events lost\",\"args\":{\"lost_total\":%llu}}",
		(unsigned long long)total);
	return ferror(s->out) ? -EIO : 0;
}

static int pf_close(struct ft_sink *s, const struct sink_summary *m)
{
	struct pf_sink *p = (struct pf_sink *)s;
	FILE *f;

	if (!m) {
		free(p->thr);
		return sink_file_close(s);
	}
	for (size_t i = 0; i < p->cap; i++)
		while (p->thr[i].tid && p->thr[i].open)
			end_slice(p, &p->thr[i], p->last_ts, "still running at the end");
	free(p->thr);
	f = s->out;
	fprintf(f, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":\"ftrace\","
		"\"lost\":%llu,\"untimed\":%llu,\"stopped\":", (unsigned long long)m->lost,
		(unsigned long long)m->untimed);
	json_str(f, m->why ? m->why : "", m->why ? strlen(m->why) : 0);
	fputs("}}\n", f);
	return sink_file_close(s);
}

static int pf_flush(struct ft_sink *s)
{
	return sink_file_flush(s);
}

static int pf_start(struct ft_sink *s)
{
	fputs("{\"traceEvents\":[", s->out);
	return sink_file_flush(s);	/* a file that refuses writes fails now */
}

static const struct sink_ops perfetto_ops = {
	.name = "perfetto",
	.start = pf_start,
	.event = pf_event,
	.lost = pf_lost,
	.flush = pf_flush,
	.close = pf_close,
};

struct ft_sink *sink_perfetto_new(void)
{
	struct pf_sink *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->base.ops = &perfetto_ops;
	return &p->base;
}
