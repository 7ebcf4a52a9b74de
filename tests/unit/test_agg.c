// SPDX-License-Identifier: MIT
/* Summaries (agg.c): the log-linear buckets (and the BPF program's copy of
 * the bucket function, compiled here), quantiles against exact nearest-rank
 * quantiles with the documented bound, merging per-CPU values, the rows of
 * targets never called, and duration parsing. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "check.h"
#include "cli.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "hist.bpf.h"

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_buckets(void)
{
	unsigned int bad = 0;

	/* contiguous, non-overlapping, every bucket reachable */
	CHECK_EQ(agg_bucket_lo(0), 0);
	for (unsigned int b = 1; b < FT_HIST_NR; b++) {
		if (agg_bucket_lo(b) != agg_bucket_hi(b - 1) + 1)
			bad++;
		if (agg_bucket(agg_bucket_lo(b)) != b)
			bad++;
		if (b < FT_HIST_NR - 1 && agg_bucket(agg_bucket_hi(b)) != b)
			bad++;
	}
	CHECK_EQ(bad, 0);
	for (uint64_t v = 0; v < 16; v++) {	/* exact below 16 */
		CHECK_EQ(agg_bucket_lo(agg_bucket(v)), v);
		CHECK_EQ(agg_bucket_hi(agg_bucket(v)), v);
	}
	CHECK_EQ(agg_bucket(1000), 63);		/* [960, 1023] */
	CHECK_EQ(agg_bucket_lo(63), 960);
	CHECK_EQ(agg_bucket_hi(63), 1023);
	CHECK_EQ(agg_bucket(1048576), 18 * 8);	/* 2^20: first of its power */
	CHECK_EQ(agg_bucket_hi(18 * 8), 1179647);
	/* the last bucket takes everything from 2^42 ns on */
	CHECK_EQ(agg_bucket_lo(FT_HIST_NR - 1), 15ULL << 38);
	CHECK_EQ(agg_bucket(1ULL << 42), FT_HIST_NR - 1);
	CHECK_EQ(agg_bucket(UINT64_MAX), FT_HIST_NR - 1);
	CHECK(agg_bucket_hi(FT_HIST_NR - 1) == UINT64_MAX);
	/* width / lower bound <= 1/8 in every bucket from 8 on */
	for (unsigned int b = 8; b < FT_HIST_NR - 1; b++)
		if ((agg_bucket_hi(b) - agg_bucket_lo(b) + 1) * 8 > agg_bucket_lo(b))
			bad++;
	CHECK_EQ(bad, 0);
	/* the BPF program's bucket function agrees everywhere */
	for (uint64_t v = 0; v < 5000; v++)
		if (hist_bucket(v) != agg_bucket(v))
			bad++;
	for (int i = 0; i < 64; i++) {
		uint64_t p = 1ULL << i;

		if (hist_bucket(p) != agg_bucket(p) || hist_bucket(p - 1) != agg_bucket(p - 1) ||
		    hist_bucket(p + 1) != agg_bucket(p + 1))
			bad++;
	}
	for (int i = 0; i < 200000; i++) {
		uint64_t v = rnd() >> (rnd() % 64);

		if (hist_bucket(v) != agg_bucket(v))
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(log2_u64(1), 0);
	CHECK_EQ(log2_u64(UINT64_MAX), 63);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* a row from n values, as the BPF program fills it */
static void row_of(struct agg_row *r, const uint64_t *v, size_t n)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		if (!r->timed || v[i] < r->min_ns)
			r->min_ns = v[i];
		if (v[i] > r->max_ns)
			r->max_ns = v[i];
		r->timed++;
		r->calls++;
		r->total_ns += v[i];
		r->hist[agg_bucket(v[i])]++;
	}
}

/* exact nearest-rank quantile: the ceil(q*n)-th smallest */
static uint64_t exact_q(uint64_t *sorted, size_t n, unsigned int pm)
{
	size_t rank = (n * pm + 999) / 1000;

	return sorted[rank ? rank - 1 : 0];
}

static void test_quantiles(void)
{
	static const unsigned int pms[] = { 1, 100, 500, 900, 990, 999, 1000 };
	static uint64_t v[2000];
	static struct agg_row r;
	double worst = 0;
	unsigned int bad = 0;

	/* nothing timed: 0 */
	memset(&r, 0, sizeof(r));
	r.calls = 5;
	CHECK_EQ(agg_quantile(&r, 500), 0);

	/* 90 x 1 ms and 10 x 20 ms: p90 is the 90th value, not the 91st
	 * (0.9 * 100 is 90.00000000000001 in doubles) */
	for (int i = 0; i < 100; i++)
		v[i] = i < 90 ? 1000000 : 20000000;
	row_of(&r, v, 100);
	/* 1e6 is in [983040, 1048575], 2e7 in [18874368, 20971519] */
	CHECK_EQ(agg_quantile(&r, 500), 983040 + 32768);
	CHECK_EQ(agg_quantile(&r, 900), 983040 + 32768);
	CHECK_EQ(agg_quantile(&r, 910), 18874368 + 1048576);
	CHECK_EQ(agg_quantile(&r, 990), 18874368 + 1048576);
	/* all alike: min and max clamp the midpoint to the value */
	row_of(&r, v, 90);
	CHECK_EQ(agg_quantile(&r, 500), 1000000);
	CHECK_EQ(agg_quantile(&r, 1000), 1000000);

	/* the midpoint of a bucket */
	v[0] = 1048576, v[1] = 1179647, v[2] = 5000000;
	row_of(&r, v, 3);
	CHECK_EQ(agg_quantile(&r, 500), 1048576 + 65536);

	/* small values are exact */
	for (int i = 0; i < 15; i++)
		v[i] = (uint64_t)i + 1;
	row_of(&r, v, 15);
	for (unsigned int k = 0; k < sizeof(pms) / sizeof(pms[0]); k++)
		CHECK_EQ(agg_quantile(&r, pms[k]), exact_q(v, 15, pms[k]));

	/* random sets from 1 ns to 2^42 ns: relative error <= 1/16 */
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + rnd() % 2000;
		int shift = (int)(rnd() % 38);

		for (size_t i = 0; i < n; i++)
			v[i] = (rnd() >> (26 + rnd() % 30)) << (shift % 4) | 1;
		row_of(&r, v, n);
		qsort(v, n, sizeof(v[0]), u64_cmp);
		for (unsigned int k = 0; k < sizeof(pms) / sizeof(pms[0]); k++) {
			uint64_t est = agg_quantile(&r, pms[k]), ex = exact_q(v, n, pms[k]);
			double err = est > ex ? (double)(est - ex) / (double)ex :
					       (double)(ex - est) / (double)ex;

			if (err > worst)
				worst = err;
			if (err > 1.0 / 16)
				bad++;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(worst > 0.01);	/* the sets did exercise the bound */
	printf("test_agg: worst relative error over random sets %.4f (bound 0.0625)\n", worst);
}

static void test_merge(void)
{
	struct ft_agg_key k = { .target = 3, .id = 1234, .comm = "kcomm" };
	size_t stride = AGG_PERCPU_STRIDE;
	char *buf = calloc(4, stride);
	struct ft_agg_val *c0 = (void *)buf, *c1 = (void *)(buf + stride),
			  *c2 = (void *)(buf + 2 * stride), *c3 = (void *)(buf + 3 * stride);
	static struct agg_row r;

	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_EQ(stride % 8, 0);
	/* cpu0: only entries (no return yet): min 0 must not count */
	c0->calls = 5;
	/* cpu1 and cpu3 returns, cpu2 an unmatched return */
	memcpy(c1->comm, "first", 6);
	c1->calls = 2, c1->timed = 2, c1->total_ns = 300, c1->min_ns = 100, c1->max_ns = 200;
	c1->hist[agg_bucket(100)]++, c1->hist[agg_bucket(200)]++;
	memcpy(c2->comm, "second", 7);
	c2->unmatched = 4;
	c3->calls = 1, c3->timed = 1, c3->total_ns = 50, c3->min_ns = 50, c3->max_ns = 50;
	c3->hist[agg_bucket(50)]++;
	agg_merge(&r, &k, buf, 4, FT_BY_TGID);
	CHECK_EQ(r.target, 3);
	CHECK_EQ(r.id, 1234);
	CHECK_STR(r.comm, "first");	/* the first CPU that has one */
	CHECK_EQ(r.calls, 8);
	CHECK_EQ(r.timed, 3);
	CHECK_EQ(r.unmatched, 4);
	CHECK_EQ(r.total_ns, 350);
	CHECK_EQ(r.min_ns, 50);
	CHECK_EQ(r.max_ns, 200);
	CHECK_EQ(r.hist[agg_bucket(100)] + r.hist[agg_bucket(200)] + r.hist[agg_bucket(50)], 3);
	/* --by comm: the key's comm wins */
	agg_merge(&r, &k, buf, 4, FT_BY_COMM);
	CHECK_STR(r.comm, "kcomm");
	/* a 16-byte comm without its NUL stays within the row */
	memcpy(k.comm, "0123456789abcdef", 16);
	agg_merge(&r, &k, buf, 1, FT_BY_COMM);
	CHECK_STR(r.comm, "0123456789abcdef");
	free(buf);
}

/* --by stack: the key's stacks, frames innermost first, the caller at a
 * function's entry inserted once */
static void test_stack_rows(void)
{
	struct ft_agg_key k = { .target = 1, .id = 77 };
	static struct agg_row r;
	static struct agg_table t;
	char buf[AGG_PERCPU_STRIDE] = { 0 };
	const uint64_t u[3] = { 0x1000, 0x3000, 0x4000 }, kf[2] = { 0xff10, 0xff20 };

	k.st.ustack = 5;
	k.st.kstack = FT_STACKID_NONE;
	k.st.ra = 0x2000;
	agg_merge(&r, &k, buf, 1, FT_BY_STACK);
	CHECK_EQ(r.ustack, 5);
	CHECK_EQ(r.kstack, FT_STACKID_NONE);
	CHECK_EQ(r.ra, 0x2000);
	agg_set_frames(&r, kf, 2, u, 3);
	CHECK_EQ(r.nkern, 2);
	CHECK_EQ(r.nuser, 4);	/* the caller after the leaf */
	CHECK_EQ(r.frames[0], 0xff10);
	CHECK_EQ(r.frames[2], 0x1000);
	CHECK_EQ(r.frames[3], 0x2000);
	CHECK_EQ(r.frames[4], 0x3000);
	/* the walk found the caller itself: not twice */
	r.ra = 0x3000;
	agg_set_frames(&r, kf, 0, u, 3);
	CHECK_EQ(r.nuser, 3);
	CHECK_EQ(r.frames[1], 0x3000);
	/* by target, then calls, most first */
	t.rows = calloc(3, sizeof(*t.rows));
	CHECK(t.rows != NULL);
	if (!t.rows)
		return;
	t.n = 3;
	t.rows[0].target = 1, t.rows[0].calls = 2;
	t.rows[1].target = 0, t.rows[1].calls = 1;
	t.rows[2].target = 1, t.rows[2].calls = 9;
	agg_sort_calls(&t);
	CHECK_EQ(t.rows[0].target, 0);
	CHECK_EQ(t.rows[1].calls, 9);
	CHECK_EQ(t.rows[2].calls, 2);
	agg_table_free(&t);
}

static void test_duration(void)
{
	uint64_t v = 0;

	CHECK(!parse_duration("1ms", &v) && v == 1000000);
	CHECK(!parse_duration("250us", &v) && v == 250000);
	CHECK(!parse_duration("2s", &v) && v == 2000000000);
	CHECK(!parse_duration("500ns", &v) && v == 500);
	CHECK(!parse_duration("1.5ms", &v) && v == 1500000);
	CHECK(!parse_duration("0.000000001s", &v) && v == 1);
	CHECK(!parse_duration("0ns", &v) && v == 0);
	CHECK_EQ(parse_duration("1.5ns", &v), -EINVAL);
	CHECK_EQ(parse_duration("3parsecs", &v), -EINVAL);
	CHECK_EQ(parse_duration("10", &v), -EINVAL);
	CHECK_EQ(parse_duration("ms", &v), -EINVAL);
	CHECK_EQ(parse_duration("1.ms", &v), -EINVAL);
	CHECK_EQ(parse_duration("-1ms", &v), -EINVAL);
	CHECK_EQ(parse_duration("1 ms", &v), -EINVAL);
	CHECK_EQ(parse_duration("1m", &v), -EINVAL);
	CHECK(!parse_duration("18446744073s", &v) && v == 18446744073000000000ULL);
	CHECK_EQ(parse_duration("18446744074s", &v), -EINVAL);
	CHECK_EQ(parse_duration("9999999999999ns", &v), -EINVAL);	/* 13 digits */
	CHECK_EQ(parse_duration("", &v), -EINVAL);
}

int main(void)
{
	test_buckets();
	test_quantiles();
	test_merge();
	test_stack_rows();
	test_duration();
	return check_done("test_agg");
}
