// SPDX-License-Identifier: MIT
/* Summaries aggregated in the kernel: merging, buckets, quantiles. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "sys.h"

unsigned int agg_bucket(uint64_t ns)
{
	unsigned int e, b;

	if (ns < FT_HIST_SUB)
		return (unsigned int)ns;
	e = 63 - (unsigned int)__builtin_clzll(ns);	/* >= 3 */
	b = (e - 2) * FT_HIST_SUB + (unsigned int)((ns >> (e - 3)) & (FT_HIST_SUB - 1));
	return b < FT_HIST_NR ? b : FT_HIST_NR - 1;
}

uint64_t agg_bucket_lo(unsigned int b)
{
	unsigned int e = b / FT_HIST_SUB + 2, sub = b % FT_HIST_SUB;

	if (b < FT_HIST_SUB)
		return b;
	if (b >= FT_HIST_NR)
		b = FT_HIST_NR - 1;
	return (uint64_t)(FT_HIST_SUB + sub) << (e - 3);
}

uint64_t agg_bucket_hi(unsigned int b)
{
	unsigned int e = b / FT_HIST_SUB + 2;

	if (b < FT_HIST_SUB)
		return b;
	if (b >= FT_HIST_NR - 1)
		return UINT64_MAX;
	return agg_bucket_lo(b) + ((1ULL << (e - 3)) - 1);
}

uint64_t agg_quantile(const struct agg_row *r, unsigned int permille)
{
	uint64_t want, seen = 0, lo, hi, est;
	unsigned int b;

	if (!r->timed)
		return 0;
	if (permille > 1000)
		permille = 1000;
	/* ceil(q * n) in integers: 0.9 * 100 is not 90 in floating point */
	want = (r->timed * permille + 999) / 1000;
	if (!want)
		want = 1;
	for (b = 0; b < FT_HIST_NR - 1; b++) {
		seen += r->hist[b];
		if (seen >= want)
			break;
	}
	lo = agg_bucket_lo(b);
	hi = b == FT_HIST_NR - 1 ? r->max_ns : agg_bucket_hi(b);
	if (hi < lo)
		hi = lo;
	est = lo + (hi - lo + 1) / 2;
	if (est < r->min_ns)
		est = r->min_ns;
	if (est > r->max_ns)
		est = r->max_ns;
	return est;
}

void agg_add_cpu(struct agg_row *r, const struct ft_agg_val *v)
{
	if (!r->tgid)
		r->tgid = v->tgid;
	if (!r->comm[0] && v->comm[0]) {
		memcpy(r->comm, v->comm, FT_COMM_LEN);
		r->comm[FT_COMM_LEN] = 0;
	}
	r->calls += v->calls;
	r->unmatched += v->unmatched;
	if (v->timed) {
		if (!r->timed || v->min_ns < r->min_ns)
			r->min_ns = v->min_ns;
		if (v->max_ns > r->max_ns)
			r->max_ns = v->max_ns;
		r->timed += v->timed;
		r->total_ns += v->total_ns;
	}
	for (unsigned int b = 0; b < FT_HIST_NR; b++)
		r->hist[b] += v->hist[b];
}

void agg_merge(struct agg_row *r, const struct ft_agg_key *k, const void *percpu,
	       int ncpus, enum ft_agg_by by)
{
	memset(r, 0, sizeof(*r));
	r->target = k->target;
	r->id = k->id;
	if (by == FT_BY_COMM) {
		memcpy(r->comm, k->comm, FT_COMM_LEN);
		r->comm[FT_COMM_LEN] = 0;
	}
	if (by == FT_BY_STACK) {
		r->ustack = k->st.ustack;
		r->kstack = k->st.kstack;
		r->ra = k->st.ra;
	}
	for (int c = 0; c < ncpus; c++)
		agg_add_cpu(r, (const struct ft_agg_val *)
			    ((const char *)percpu + (size_t)c * AGG_PERCPU_STRIDE));
}

static int row_cmp(const void *a, const void *b)
{
	const struct agg_row *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->ustack != y->ustack)
		return x->ustack < y->ustack ? -1 : 1;
	if (x->kstack != y->kstack)
		return x->kstack < y->kstack ? -1 : 1;
	if (x->ra != y->ra)
		return x->ra < y->ra ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

void agg_sort(struct agg_table *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(*t->rows), row_cmp);
}

static int calls_cmp(const void *a, const void *b)
{
	const struct agg_row *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return row_cmp(a, b);
}

void agg_sort_calls(struct agg_table *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(*t->rows), calls_cmp);
}

void agg_set_frames(struct agg_row *r, const uint64_t *k, size_t nk,
		    const uint64_t *u, size_t nu)
{
	size_t n = 0;

	if (nk > FT_STACK_MAX)
		nk = FT_STACK_MAX;
	if (nu > FT_STACK_MAX)
		nu = FT_STACK_MAX;
	memcpy(r->frames, k, nk * sizeof(*k));
	for (size_t i = 0; i < nu; i++) {
		r->frames[nk + n++] = u[i];
		if (i == 0 && r->ra && (nu < 2 || u[1] != r->ra))
			r->frames[nk + n++] = r->ra;
	}
	r->nkern = (uint16_t)nk;
	r->nuser = (uint16_t)n;
}

/* the frames of stack id (0 when it is none or gone) */
static size_t stack_words(int fd, int32_t id, uint64_t *out)
{
	uint32_t key = (uint32_t)id;
	size_t n = 0;

	if (id < 0 || bpf_map_lookup(fd, &key, out))
		return 0;
	while (n < FT_STACK_MAX && out[n])
		n++;
	return n;
}

int agg_read_stacks(int fd, struct agg_table *t)
{
	uint64_t k[FT_STACK_MAX], u[FT_STACK_MAX];

	if (fd < 0)
		return -EBADF;
	for (size_t i = 0; i < t->n; i++) {
		struct agg_row *r = &t->rows[i];
		size_t nk = stack_words(fd, r->kstack, k);
		size_t nu = stack_words(fd, r->ustack, u);

		agg_set_frames(r, k, nk, u, nu);
	}
	return 0;
}

static int reserve(struct agg_table *t, size_t want)
{
	size_t nc = t->cap ? t->cap : 16;
	struct agg_row *nr;

	if (want <= t->cap)
		return 0;
	while (nc < want)
		nc *= 2;
	nr = realloc(t->rows, nc * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	t->rows = nr;
	t->cap = nc;
	return 0;
}

int agg_read(int fd, int ncpus, enum ft_agg_by by, struct agg_table *t)
{
	struct ft_agg_key key, next;
	void *buf;
	int ret = 0;
	bool first = true;

	t->n = 0;
	if (ncpus <= 0)
		return -EINVAL;
	buf = calloc((size_t)ncpus, AGG_PERCPU_STRIDE);
	if (!buf)
		return -ENOMEM;
	memset(&key, 0, sizeof(key));
	while (!(ret = bpf_map_next_key(fd, first ? NULL : &key, &next))) {
		first = false;
		key = next;
		if (bpf_map_lookup(fd, &key, buf))
			continue;	/* deleted meanwhile */
		if (reserve(t, t->n + 1)) {
			free(buf);
			return -ENOMEM;
		}
		agg_merge(&t->rows[t->n++], &key, buf, ncpus, by);
	}
	free(buf);
	if (ret != -ENOENT)
		return ret;
	agg_sort(t);
	return 0;
}

int agg_read_targets(int fd, int ncpus, uint32_t n, struct agg_table *t)
{
	struct ft_agg_key key;
	void *buf;
	int ret = 0;

	t->n = 0;
	if (ncpus <= 0)
		return -EINVAL;
	buf = calloc((size_t)ncpus, AGG_PERCPU_STRIDE);
	if (!buf)
		return -ENOMEM;
	if (reserve(t, n)) {
		free(buf);
		return -ENOMEM;
	}
	memset(&key, 0, sizeof(key));
	for (key.target = 0; key.target < n; key.target++) {
		ret = bpf_map_lookup(fd, &key.target, buf);
		if (ret)
			break;
		agg_merge(&t->rows[t->n++], &key, buf, ncpus, FT_BY_NONE);
	}
	free(buf);
	return ret;
}

int agg_clear(int fd)
{
	struct ft_agg_key key;
	int ret;

	while (!(ret = bpf_map_next_key(fd, NULL, &key)))
		if ((ret = bpf_map_delete(fd, &key)) && ret != -ENOENT)
			return ret;
	return ret == -ENOENT ? 0 : ret;
}

void agg_table_free(struct agg_table *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
