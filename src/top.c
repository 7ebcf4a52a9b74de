// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "top.h"

static const char *const col_names[TOP_COL_NR] = {
	"PID", "COMM", "FUNCTION", "CALLS", "RATE/s", "AVG", "P99",
};

const char *top_col_name(enum top_col col)
{
	return col < TOP_COL_NR ? col_names[col] : "?";
}

/* ---- filter ---- */

static int set_field(char *dst, size_t len, const char *v, size_t n,
		     const char *name, char *why, size_t whylen)
{
	if (!n || n >= len) {
		snprintf(why, whylen, "%s: expected 1 to %zu characters", name, len - 1);
		return -EINVAL;
	}
	if (dst[0]) {
		snprintf(why, whylen, "%s given twice", name);
		return -EINVAL;
	}
	memcpy(dst, v, n);
	dst[n] = 0;
	return 0;
}

static int parse_term(const char *t, size_t n, struct top_filter *f,
		      char *why, size_t whylen)
{
	const char *colon = memchr(t, ':', n);
	size_t klen = colon ? (size_t)(colon - t) : 0;
	const char *v = colon ? colon + 1 : t;
	size_t vlen = colon ? n - klen - 1 : n;

	if (!colon || (klen == 2 && !strncmp(t, "fn", 2)) ||
	    (klen == 4 && !strncmp(t, "func", 4)))
		return set_field(f->func, sizeof(f->func), v, vlen, "fn", why, whylen);
	if (klen == 4 && !strncmp(t, "comm", 4))
		return set_field(f->comm, sizeof(f->comm), v, vlen, "comm", why, whylen);
	if (klen == 3 && !strncmp(t, "pid", 3)) {
		char num[16];
		uint64_t pid;

		if (f->pid) {
			snprintf(why, whylen, "pid given twice");
			return -EINVAL;
		}
		if (vlen && vlen < sizeof(num)) {
			memcpy(num, v, vlen);
			num[vlen] = 0;
		}
		if (!vlen || vlen >= sizeof(num) || parse_u64(num, 10, &pid) ||
		    !pid || pid > 0x7fffffff) {
			snprintf(why, whylen, "pid: expected a positive number");
			return -EINVAL;
		}
		f->pid = (uint32_t)pid;
		return 0;
	}
	snprintf(why, whylen, "unknown field '%.*s': expected pid:, comm: or fn:",
		 (int)(klen > 20 ? 20 : klen), t);
	return -EINVAL;
}

int top_filter_parse(const char *s, struct top_filter *f, char *why, size_t whylen)
{
	struct top_filter nf = { 0 };

	while (*s == ' ')
		s++;
	while (*s) {
		size_t n = strcspn(s, ", ");
		int ret = n ? parse_term(s, n, &nf, why, whylen) : 0;

		if (ret)
			return ret;
		s += n;
		while (*s == ',' || *s == ' ')
			s++;
	}
	*f = nf;
	return 0;
}

void top_filter_str(const struct top_filter *f, char *buf, size_t len)
{
	int n = 0;

	buf[0] = 0;
	if (f->pid)
		n += snprintf(buf + n, len - (size_t)n, "pid:%u", f->pid);
	if (f->comm[0] && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%scomm:%s", n ? "," : "", f->comm);
	if (f->func[0] && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%sfn:%s", n ? "," : "", f->func);
}

/* ---- model ---- */

void top_init(struct top_model *m, const char *const *labels, size_t nlabels)
{
	memset(m, 0, sizeof(*m));
	m->sort = TOP_COL_RATE;
	m->labels = labels;
	m->nlabels = nlabels;
}

void top_free(struct top_model *m)
{
	free(m->rows);
	free(m->prev);
	free(m->order);
	memset(m, 0, sizeof(*m));
}

static const char *label(const struct top_model *m, uint32_t target)
{
	return target < m->nlabels && m->labels[target] ? m->labels[target] : "?";
}

static int key_cmp(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return 0;
}

static int grow(void **p, size_t *cap, size_t want, size_t elem)
{
	void *np;
	size_t nc;

	if (want <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < want)
		nc *= 2;
	np = realloc(*p, nc * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static void compute_rates(struct top_model *m)
{
	double dt = m->now_ns > m->prev_ns ? (double)(m->now_ns - m->prev_ns) / 1e9 : 0;

	for (size_t i = 0; i < m->n; i++) {
		struct top_row *r = &m->rows[i];
		const struct top_row *p = m->nprev ?
			bsearch(r, m->prev, m->nprev, sizeof(*r), key_cmp) : NULL;
		uint64_t before = p && p->calls <= r->calls ? p->calls : 0;

		r->rate = dt > 0 ? (double)(r->calls - before) / dt : 0;
	}
}

int top_update(struct top_model *m, const struct top_row *rows, size_t n,
	       uint64_t now_ns)
{
	struct top_row *t;
	size_t tc;

	/* the current snapshot becomes the previous one (keyed for lookup) */
	t = m->prev;
	tc = m->prevcap;
	m->prev = m->rows;
	m->prevcap = m->cap;
	m->nprev = m->n;
	m->rows = t;
	m->cap = tc;
	m->n = 0;
	if (m->nprev)
		qsort(m->prev, m->nprev, sizeof(*m->prev), key_cmp);
	m->prev_ns = m->now_ns ? m->now_ns : now_ns;
	m->now_ns = now_ns;
	if (grow((void **)&m->rows, &m->cap, n, sizeof(*rows)))
		return -ENOMEM;
	if (n)
		memcpy(m->rows, rows, n * sizeof(*rows));
	m->n = n;
	compute_rates(m);
	return top_refresh(m);
}

void top_reset(struct top_model *m, uint64_t now_ns)
{
	m->n = m->nprev = m->norder = 0;
	m->prev_ns = m->now_ns = now_ns;
}

static bool row_matches(const struct top_model *m, const struct top_row *r)
{
	const struct top_filter *f = &m->filter;

	if (f->pid && r->pid != f->pid)
		return false;
	if (f->comm[0] && !strstr(r->comm, f->comm))
		return false;
	if (f->func[0] && !strstr(label(m, r->target), f->func))
		return false;
	return true;
}

static uint64_t avg_ns(const struct top_row *r)
{
	return r->timed ? r->total_ns / r->timed : 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* natural order: text ascending, numbers descending */
static int cmp_col(const struct top_model *m, const struct top_row *a,
		   const struct top_row *b, enum top_col col)
{
	switch (col) {
	case TOP_COL_PID:
		return cmp_u64(a->pid, b->pid);
	case TOP_COL_COMM:
		return strncmp(a->comm, b->comm, TOP_COMM_LEN);
	case TOP_COL_FUNC:
		return strcmp(label(m, a->target), label(m, b->target));
	case TOP_COL_CALLS:
		return -cmp_u64(a->calls, b->calls);
	case TOP_COL_RATE:
		return a->rate < b->rate ? 1 : a->rate > b->rate ? -1 : 0;
	case TOP_COL_AVG:
		return -cmp_u64(avg_ns(a), avg_ns(b));
	case TOP_COL_P99:
		return -cmp_u64(a->p99_ns, b->p99_ns);
	default:
		return 0;
	}
}

/* qsort has no context argument: sort indices with a small merge sort */
static int cmp_rows(const struct top_model *m, size_t i, size_t j)
{
	const struct top_row *a = &m->rows[i], *b = &m->rows[j];
	int c = cmp_col(m, a, b, m->sort);

	if (m->reverse)
		c = -c;
	if (!c)	/* ties: most calls first, then pid, then function */
		c = cmp_col(m, a, b, TOP_COL_CALLS);
	if (!c)
		c = cmp_col(m, a, b, TOP_COL_PID);
	if (!c)
		c = cmp_u64(a->target, b->target);
	return c;
}

static void merge_sort(const struct top_model *m, size_t *v, size_t *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	merge_sort(m, v, tmp, h);
	merge_sort(m, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = cmp_rows(m, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

int top_refresh(struct top_model *m)
{
	size_t cap = 0, *tmp;

	m->norder = 0;
	if (!m->n)
		return 0;
	/* order has room for 2n: the second half is the merge scratch */
	cap = m->n * 2;
	tmp = realloc(m->order, cap * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	m->order = tmp;
	for (size_t i = 0; i < m->n; i++)
		if (row_matches(m, &m->rows[i]))
			m->order[m->norder++] = i;
	merge_sort(m, m->order, m->order + m->n, m->norder);
	return 0;
}

void top_set_sort(struct top_model *m, enum top_col col)
{
	if (col < TOP_COL_NR) {
		m->sort = col;
		m->reverse = false;
	}
}

void top_next_sort(struct top_model *m, int dir)
{
	top_set_sort(m, (enum top_col)(((int)m->sort + dir + TOP_COL_NR) % TOP_COL_NR));
}

void top_totals(const struct top_model *m, struct top_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t k = 0; k < m->norder; k++) {
		const struct top_row *r = &m->rows[m->order[k]];
		bool seen = false;

		t->calls += r->calls;
		t->rate += r->rate;
		for (size_t j = 0; j < k && !seen; j++)
			seen = m->rows[m->order[j]].pid == r->pid;
		t->procs += !seen;
	}
	t->rows = m->norder;
}

/* ---- rendering ---- */

void top_buf_free(struct top_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void top_buf_printf(struct top_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		if (grow((void **)&b->p, &b->cap, b->len + (size_t)n + 1, 1)) {
			b->oom = true;
			return;
		}
	}
}

void top_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.*fus", ns < 10000 ? 2 : ns < 100000 ? 1 : 0, ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.*fms", ns < 10000000 ? 2 : ns < 100000000 ? 1 : 0,
			 ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
}

/* fixed columns: PID COMM ... CALLS RATE/s AVG P99 */
#define W_PID	7
#define W_COMM	15
#define W_CALLS	11
#define W_RATE	10
#define W_LAT	8
#define W_FIXED	(W_PID + 1 + W_COMM + 1 + 1 + W_CALLS + 1 + W_RATE + 1 + W_LAT + 1 + W_LAT)
#define W_FUNC_MIN 8

/* the text of one line cut to width (0: no limit) */
static void put_line(struct top_buf *out, const char *line, int width)
{
	int n = (int)strlen(line);

	while (n > 0 && line[n - 1] == ' ')
		n--;
	if (width > 0 && n > width)
		n = width;
	top_buf_printf(out, "%.*s\n", n, line);
}

/* a label cut to w columns keeps its start and ends in '+' (like top) */
static void fit(char *dst, size_t len, const char *s, int w)
{
	if ((int)strlen(s) <= w)
		snprintf(dst, len, "%s", s);
	else
		snprintf(dst, len, "%.*s+", w > 1 ? w - 1 : 0, s);
}

static int func_width(const struct top_model *m, int width)
{
	int w = W_FUNC_MIN;

	if (width > 0)
		return width - W_FIXED > W_FUNC_MIN ? width - W_FIXED : W_FUNC_MIN;
	for (size_t k = 0; k < m->norder; k++) {
		int l = (int)strlen(label(m, m->rows[m->order[k]].target));

		if (l > w)
			w = l;
	}
	return w;
}

size_t top_render_table(const struct top_model *m, int width, size_t max_rows,
			struct top_buf *out)
{
	int fw = func_width(m, width);
	char line[1024], fn[512], avg[16], p99[16], rate[32];
	size_t k;

	if (fw > (int)sizeof(fn) - 2)
		fw = (int)sizeof(fn) - 2;
	snprintf(line, sizeof(line), "%*s %-*s %-*s %*s %*s %*s %*s",
		 W_PID, "PID", W_COMM, "COMM", fw, "FUNCTION", W_CALLS, "CALLS",
		 W_RATE, "RATE/s", W_LAT, "AVG", W_LAT, "P99");
	put_line(out, line, width);
	for (k = 0; k < m->norder && (!max_rows || k < max_rows); k++) {
		const struct top_row *r = &m->rows[m->order[k]];

		fit(fn, sizeof(fn), label(m, r->target), fw);
		if (r->timed) {
			top_fmt_ns(avg_ns(r), avg, sizeof(avg));
			top_fmt_ns(r->p99_ns, p99, sizeof(p99));
		} else {
			snprintf(avg, sizeof(avg), "-");
			snprintf(p99, sizeof(p99), "-");
		}
		snprintf(rate, sizeof(rate), "%.1f", r->rate);
		snprintf(line, sizeof(line), "%*u %-*.*s %-*s %*llu %*s %*s %*s",
			 W_PID, r->pid, W_COMM, W_COMM, r->comm, fw, fn,
			 W_CALLS, (unsigned long long)r->calls, W_RATE, rate,
			 W_LAT, avg, W_LAT, p99);
		put_line(out, line, width);
	}
	return k;
}

/* ---- histogram ---- */

unsigned int top_hist_bucket(uint64_t ns)
{
	unsigned int e;

	if (ns < TOP_HIST_SUB)
		return (unsigned int)ns;
	e = 63 - (unsigned int)__builtin_clzll(ns);	/* >= 3 */
	return (e - 2) * TOP_HIST_SUB + (unsigned int)((ns >> (e - 3)) & (TOP_HIST_SUB - 1));
}

uint64_t top_hist_upper(unsigned int b)
{
	unsigned int e = b / TOP_HIST_SUB + 2, sub = b % TOP_HIST_SUB;
	uint64_t lo;

	if (b < TOP_HIST_SUB)
		return b;
	lo = (uint64_t)(TOP_HIST_SUB + sub) << (e - 3);
	return lo + ((1ULL << (e - 3)) - 1);
}

uint64_t top_hist_quantile(const uint32_t *hist, uint64_t count, double q)
{
	uint64_t want = (uint64_t)(q * (double)count), seen = 0;

	if (!count)
		return 0;
	if ((double)want < q * (double)count)
		want++;	/* ceil: the q-th value, not the one before */
	if (!want)
		want = 1;
	for (unsigned int b = 0; b < TOP_HIST_NR; b++) {
		seen += hist[b];
		if (seen >= want)
			return top_hist_upper(b);
	}
	return top_hist_upper(TOP_HIST_NR - 1);
}
