// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "err.h"
#include "resolve.h"

struct actx {
	const struct attach_opts *o;
	struct ft_targets *ts;
	struct attach_report *r;
	struct ft_err *err;
	size_t total, done;
	struct timespec start, last;
	bool shown;			/* the progress line is on screen */
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress(struct actx *c, size_t n)
{
	struct timespec now;

	c->done += n;
	if (!c->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&c->start, &now) < 1.0 || (c->shown && since(&c->last, &now) < 0.1))
		return;
	c->last = now;
	c->shown = true;
	fprintf(stderr, "\rftrace: arming probes: %zu of %zu targets", c->done, c->total);
}

/* errors no split can cure (EOPNOTSUPP: the mechanism itself is missing;
 * a refused instruction is ENOTSUPP, 524) */
static bool fatal_errno(int e)
{
	return e == -EPERM || e == -EACCES || e == -EMFILE || e == -ENFILE ||
	       e == -ENOMEM || e == -E2BIG || e == -EOPNOTSUPP;
}

static void verbose_line(const struct actx *c, const struct ft_mech *m, uint32_t i)
{
	const struct ft_target *t = &c->ts->v[i];

	fprintf(stderr, "ftrace: attached %s%s%s to %s (%s offset 0x%llx)\n", m->name,
		t->want_ret ? "+" : "", t->want_ret ? m->ret_name : "", t->label,
		t->path, (unsigned long long)t->offset);
}

/* Entry probes on all n, return probes on those that want one: all or
 * nothing. *what says which failed. */
static int attach_set(struct actx *c, const struct ft_mech *m, const uint32_t *idx,
		      size_t n, const char **what)
{
	const struct attach_opts *o = c->o;
	struct mech_batch mb = { .ts = c->ts, .idx = idx, .n = n, .pid = o->pid };
	size_t mark = o->l->mark(o->b), nret = 0;
	uint32_t *ridx;
	int ret;

	*what = "entry";
	ret = m->attach(o->l, o->b, &mb, c->err);
	if (ret)
		return ret;
	ridx = malloc(n * sizeof(*ridx));
	if (!ridx) {
		o->l->rollback(o->b, mark);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (c->ts->v[idx[i]].want_ret)
			ridx[nret++] = idx[i];
	mb.idx = ridx;
	mb.n = nret;
	mb.ret = true;
	*what = "return";
	ret = nret ? m->attach(o->l, o->b, &mb, c->err) : 0;
	free(ridx);
	if (ret) {
		o->l->rollback(o->b, mark);
		return ret;
	}
	c->r->probes += (unsigned int)(n + nret);
	c->r->links += m->multi ? 1 + !!nret : (unsigned int)(n + nret);
	c->r->targets += n;
	for (size_t i = 0; o->verbose && i < n; i++)
		verbose_line(c, m, idx[i]);
	return 0;
}

static int place(struct actx *c, const struct ft_mech *m, const uint32_t *idx, size_t n)
{
	const struct ft_target *t = &c->ts->v[idx[0]];
	const char *what;
	char why[sizeof(c->err->msg)];
	int ret = attach_set(c, m, idx, n, &what);

	if (!ret) {
		progress(c, n);
		return 0;
	}
	snprintf(why, sizeof(why), "%s", c->err->msg);
	if (fatal_errno(ret) && n > 1)
		return ft_errf(c->err, ret, "cannot attach %s probes to %s and %zu "
			       "more: %s", what, t->label, n - 1, why);
	if (n > 1) {
		size_t h = n / 2;

		ret = place(c, m, idx, h);
		return ret ? ret : place(c, m, idx + h, n - h);
	}
	if (!t->from_glob || fatal_errno(ret))
		return ft_errf(c->err, ret, "cannot attach %s probe to %s: %s", what,
			       t->label, why);
	ret = targets_drop(c->ts, idx[0], why, "refused by the kernel");
	progress(c, 1);
	return ret;
}

/* Targets of one file (user) or all kernel ones that m takes as a batch,
 * starting at target i: their indices into idx. */
static size_t gather(const struct actx *c, const struct ft_mech *m, size_t i,
		     bool *taken, uint32_t *idx)
{
	const struct ft_target *first = &c->ts->v[i];
	size_t n = 0;

	for (size_t k = i; k < c->ts->n; k++) {
		const struct ft_target *t = &c->ts->v[k];

		if (taken[k] || t->dropped)
			continue;
		if (c->o->sys && t->syscall != first->syscall)
			continue;
		if (m->multi && (m->takes ? !m->takes(t) :
				 m->kernel ? !t->path[0] || t->offset
					   : strcmp(t->path, first->path)))
			continue;
		if (!m->multi && k != i)
			break;
		taken[k] = true;
		idx[n++] = (uint32_t)k;
	}
	return n;
}

int attach_targets(const struct attach_opts *o, struct ft_targets *ts,
		   struct attach_report *r, struct ft_err *err)
{
	struct actx c = { .o = o, .ts = ts, .r = r, .err = err, .total = ts->n };
	bool *taken = calloc(ts->n + 1, sizeof(*taken));
	uint32_t *idx = calloc(ts->n + 1, sizeof(*idx));
	int ret = taken && idx ? 0 : -ENOMEM;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &c.start);
	for (size_t i = 0; !ret && i < ts->n; i++) {
		const struct ft_mech *m = o->mech;
		const struct ft_target *t = &ts->v[i];
		size_t n;

		if (taken[i] || t->dropped)
			continue;
		/* kprobe_multi: function entry by name only */
		if (m->multi && m->kernel && (!t->path[0] || t->offset))
			m = o->single;
		/* syscalls: their tracepoints */
		if (o->sys && t->syscall)
			m = o->sys_raw && o->sys_raw->takes(t) ? o->sys_raw : o->sys;
		n = gather(&c, m, i, taken, idx);
		ret = n ? place(&c, m, idx, n) : 0;
	}
	if (c.shown)
		fprintf(stderr, "\r\033[K");
	free(taken);
	free(idx);
	if (!ret && !r->targets)
		ret = ft_errf(err, -ENOENT, "none of the %zu functions the patterns "
			      "matched can be traced (-v says why)", ts->nmatched);
	if (ret)
		o->l->detach(o->b);
	return ret;
}

void attach_skip_summary(const struct ft_targets *ts, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	if (!ts->nskipped)
		return;
	n += (size_t)snprintf(buf, len, "skipped %zu of %zu functions the patterns "
			      "matched (", ts->nskipped, ts->nmatched);
	for (size_t i = 0; i < ts->nskipped && n < len; i++) {
		const char *kind = ts->skipped[i].kind;
		size_t count = 0;
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(ts->skipped[k].kind, kind);
		if (seen)
			continue;
		for (size_t k = i; k < ts->nskipped; k++)
			count += !strcmp(ts->skipped[k].kind, kind);
		n += (size_t)snprintf(buf + n, len - n, "%s%s: %zu", i ? ", " : "",
				      kind, count);
	}
	if (n < len)
		snprintf(buf + n, len - n, ")%s", "");
}
