/* SPDX-License-Identifier: GPL-2.0 */
/* Summaries in the kernel (included by probe.bpf.c after its maps and
 * helpers).
 *
 * FT_MODE_AGG (-s/--stats, --hist): every entry and return of a target is
 * added to a per-CPU hash keyed by {target, tgid|tid|comm|0}: calls, exec
 * time sum, min, max and a log-linear histogram (event.h). No ring-buffer
 * record is written. Per-CPU values need no atomics (the armhf JIT has no
 * 64-bit ones); user space sums the CPUs.
 *
 * FT_MODE_HOLD (--min-duration, --max-duration): the entry record is built
 * as usual but kept in the held map under {tid, depth} instead of being
 * sent; at the return, if the exec time qualifies, the held entry and the
 * return go out together. The held map is an LRU hash: entries of calls
 * that never return (longjmp, threads that exit inside a call) age out.
 *
 * Both maps are created with one entry in the blob; the loaders size them
 * only in the mode that uses them. */
#ifndef FTRACE_STATS_BPF_H
#define FTRACE_STATS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);		/* the loader sets it for -s/--hist */
	__type(key, struct ft_agg_key);
	__type(value, struct ft_agg_val);
} agg SEC(".maps");

/* a zeroed value to create agg keys from (too big for the BPF stack) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_agg_val);
} agg_zero SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);		/* the loader sets it for --min-duration */
	__type(key, struct ft_held_key);
	__type(value, struct ft_event_args);
} held SEC(".maps");

/* where an entry record is built before it is held */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_event_args);
} held_scratch SEC(".maps");

#include "hist.bpf.h"

static __always_inline struct ft_agg_val *agg_get(const struct ft_config *cfg,
						  __u64 id, __u32 target)
{
	struct ft_agg_key key = { .target = target };
	struct ft_agg_val *v, *z;
	__u32 zero = 0;

	if (cfg->agg_by == FT_BY_TGID)
		key.id = id >> 32;
	else if (cfg->agg_by == FT_BY_TID)
		key.id = (__u32)id;
	else if (cfg->agg_by == FT_BY_COMM)
		bpf_get_current_comm(key.comm, sizeof(key.comm));
	v = bpf_map_lookup_elem(&agg, &key);
	if (v)
		return v;
	z = bpf_map_lookup_elem(&agg_zero, &zero);
	if (!z)
		return 0;
	bpf_get_current_comm(z->comm, sizeof(z->comm));
	/* -EEXIST: another CPU created it just now */
	if (bpf_map_update_elem(&agg, &key, z, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&agg, &key);
		if (!v)
			stat_inc(FT_STAT_AGG_FULL);
		return v;
	}
	return bpf_map_lookup_elem(&agg, &key);
}

static __always_inline void agg_entry(const struct ft_config *cfg, __u64 id,
				      __u32 target)
{
	struct ft_agg_val *v = agg_get(cfg, id, target);

	if (v)
		v->calls++;
}

/* depth 0: the return had no entry on this thread's stack */
static __always_inline void agg_return(const struct ft_config *cfg, __u64 id,
				       __u32 target, __u64 exec, __u32 depth)
{
	struct ft_agg_val *v = agg_get(cfg, id, target);
	__u64 b;

	if (!v)
		return;
	if (!depth) {
		v->unmatched++;
		return;
	}
	if (!v->timed || exec < v->min_ns)
		v->min_ns = exec;
	if (exec > v->max_ns)
		v->max_ns = exec;
	v->timed++;
	v->total_ns += exec;
	/* 64-bit and opaque to clang, so that the bound checked is the very
	 * register used as index (Linux 6.1's verifier loses a bound across a
	 * copy and a 32-bit zero extension) */
	b = hist_bucket(exec);
	asm volatile("" : "+r"(b));
	if (b < FT_HIST_NR)
		v->hist[b]++;
}

/* the scratch record an entry is built in, FT_MODE_HOLD */
static __always_inline struct ft_event_args *held_buf(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&held_scratch, &zero);
}

static __always_inline void held_keep(__u32 tid, __u32 depth,
				      struct ft_event_args *ea)
{
	struct ft_held_key key = { .tid = tid, .depth = depth };

	if (bpf_map_update_elem(&held, &key, ea, BPF_ANY))
		stat_inc(FT_STAT_HELD);
}

/* A qualifying return: send its held entry first. It must be the entry of
 * this very call (same target, same entry time), not a stale one. */
static __always_inline void held_send(void *ctx, __u32 tid, __u32 depth,
				      __u32 target, __u64 entry_ts)
{
	struct ft_held_key key = { .tid = tid, .depth = depth };
	struct ft_event_args *h = bpf_map_lookup_elem(&held, &key);
	__u64 size = sizeof(struct ft_event);
	void *r;

	if (!h || h->ev.ts != entry_ts || h->ev.target != target) {
		stat_inc(FT_STAT_HELD);
		return;
	}
	if (h->ev.flags & (FT_F_ARGS | FT_F_ARGS_FAULT))
		size = sizeof(struct ft_event_args);
	if (flight_on()) {
		/* straight from the held map */
		stat_inc(bpf_perf_event_output(ctx, &flight, BPF_F_CURRENT_CPU, h,
					       size) ? FT_STAT_LOST : FT_STAT_EVENTS);
		return;
	}
	if (size == sizeof(struct ft_event_args)) {
		r = bpf_ringbuf_reserve(&events, sizeof(struct ft_event_args), 0);
		if (!r) {
			stat_inc(FT_STAT_LOST);
			return;
		}
		bpf_probe_read_kernel(r, sizeof(struct ft_event_args), h);
		submit(r, sizeof(struct ft_event_args));
	} else {
		r = bpf_ringbuf_reserve(&events, sizeof(struct ft_event), 0);
		if (!r) {
			stat_inc(FT_STAT_LOST);
			return;
		}
		bpf_probe_read_kernel(r, sizeof(struct ft_event), h);
		submit(r, sizeof(struct ft_event));
	}
	stat_inc(FT_STAT_EVENTS);
}

#endif
