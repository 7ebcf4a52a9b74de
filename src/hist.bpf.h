/* SPDX-License-Identifier: GPL-2.0 */
/* The histogram bucket of an exec time, BPF side (stats.bpf.h). No maps
 * and no helpers, so the unit tests compile this very code and compare it
 * with agg_bucket() in src/agg.c. */
#ifndef FTRACE_HIST_BPF_H
#define FTRACE_HIST_BPF_H

/* floor(log2(v)) for v > 0, without a clz instruction */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xffffffffULL) << 5; v >>= s; r |= s;
	s = (v > 0xffff) << 4; v >>= s; r |= s;
	s = (v > 0xff) << 3; v >>= s; r |= s;
	s = (v > 0xf) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (__u32)(v >> 1);
}

/* the layout of event.h: FT_HIST_SUB sub-buckets per power of two */
static __always_inline __u32 hist_bucket(__u64 ns)
{
	__u32 e, b;

	if (ns < FT_HIST_SUB)
		return (__u32)ns;
	e = log2_u64(ns);
	b = (e - 2) * FT_HIST_SUB + (__u32)((ns >> (e - 3)) & (FT_HIST_SUB - 1));
	return b < FT_HIST_NR ? b : FT_HIST_NR - 1;
}

#endif
