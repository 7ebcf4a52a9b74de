/* SPDX-License-Identifier: GPL-2.0 */
/* Summaries in the kernel (included by probe.bpf.c after its maps and
 * helpers).
 *
 * FT_MODE_AGG (-s/--stats, --hist): every entry and return of a target is
 * added to a per-CPU hash keyed by {target, tgid|tid|comm} (without --by,
 * a per-CPU array indexed by the target): calls, exec
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
 * FT_BY_STACK (--by stack): the key holds the ids of the user and/or
 * kernel stack at entry in the stack map (bpf_get_stackid: the stack is
 * stored once, in the kernel; no record is sent) and, for user stacks, the
 * tgid (a user address means nothing without its process) and the return
 * address at a function's entry (the frame-pointer walk skips the caller
 * there). A failed capture is counted (FT_STAT_STACK) and keyed by its
 * errno, never dropped. The return finds its entry's key in stack_keys,
 * under {tid, depth}.
 *
 * The maps are created with one entry in the blob; the loaders size them
 * only in the mode that uses them. */
#ifndef FTRACE_STATS_BPF_H
#define FTRACE_STATS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);		/* the loader sets it for -s/--hist */
	__type(key, struct ft_agg_key);
	__type(value, struct ft_agg_val);
} agg SEC(".maps");

/* -s without --by: one value per target, indexed by it: an array lookup
 * (inlined by the verifier) instead of hashing a key at every entry and
 * return */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);		/* the loader sets it for -s */
	__type(key, __u32);
	__type(value, struct ft_agg_val);
} agg_tgt SEC(".maps");

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

#define BPF_MAP_TYPE_STACK_TRACE	7

static long (*bpf_get_stackid)(void *ctx, void *map, __u64 flags) = (void *)27;

/* key_size/value_size, not BTF types: the kernel takes no BTF for it */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1);		/* the loader sets it for --by stack */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_STACK_MAX * 8);
} stackmap SEC(".maps");

/* --by stack: the key of each open call, for its return */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);		/* the loader sets it for --by stack */
	__type(key, struct ft_held_key);
	__type(value, struct ft_agg_key);
} stack_keys SEC(".maps");

#include "hist.bpf.h"

static __always_inline struct ft_agg_val *agg_lookup(const struct ft_agg_key *key)
{
	struct ft_agg_val *v, *z;
	__u32 zero = 0;

	v = bpf_map_lookup_elem(&agg, key);
	if (v)
		return v;
	z = bpf_map_lookup_elem(&agg_zero, &zero);
	if (!z)
		return 0;
	bpf_get_current_comm(z->comm, sizeof(z->comm));
	z->tgid = bpf_get_current_pid_tgid() >> 32;
	/* -EEXIST: another CPU created it just now */
	if (bpf_map_update_elem(&agg, key, z, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&agg, key);
		if (!v)
			stat_inc(FT_STAT_AGG_FULL);
		return v;
	}
	return bpf_map_lookup_elem(&agg, key);
}

static __always_inline struct ft_agg_val *agg_get(const struct ft_config *cfg,
						  __u64 id, __u32 target)
{
	struct ft_agg_key key = { .target = target };

	if (cfg->agg_by == FT_BY_NONE)
		return bpf_map_lookup_elem(&agg_tgt, &target);
	if (cfg->agg_by == FT_BY_TGID)
		key.id = id >> 32;
	else if (cfg->agg_by == FT_BY_TID)
		key.id = (__u32)id;
	else if (cfg->agg_by == FT_BY_COMM)
		bpf_get_current_comm(key.comm, sizeof(key.comm));
	return agg_lookup(&key);
}

/* a stack's id, or the errno of its capture (counted) */
static __always_inline __s32 stack_id(void *ctx, __u64 flags)
{
	long r = bpf_get_stackid(ctx, &stackmap, flags);

	if (r < 0)
		stat_inc(FT_STAT_STACK);
	return (__s32)r;
}

/* the caller at a user function's entry: the return address, in a
 * register or on top of the stack (arch/) */
static __always_inline __u64 entry_ra(void *ctx)
{
	unsigned long w = 0;

#if ARCH_ENTRY_RA_SLOT >= 0
	bpf_probe_read_kernel(&w, sizeof(w), (__u8 *)ctx +
			      ARCH_ENTRY_RA_SLOT * ARCH_WORD_SIZE);
#else
	unsigned long sp = 0;

	bpf_probe_read_kernel(&sp, sizeof(sp), (__u8 *)ctx +
			      ARCH_ENTRY_SP_SLOT * ARCH_WORD_SIZE);
	bpf_probe_read_user(&w, sizeof(w), (void *)sp);
#endif
	return w;
}

/* FT_BY_STACK at entry: the key from the stacks now, kept for the return
 * (no depth: no return will look for it). pt_regs: ctx is a struct
 * pt_regs (uprobes, kprobes), so the return address can be read. */
static __always_inline void agg_stack_entry(void *ctx, int pt_regs,
					    const struct ft_config *cfg, __u64 id,
					    __u32 target, __u32 depth)
{
	struct ft_agg_key key = { .target = target };
	struct ft_held_key hk = { .tid = (__u32)id, .depth = depth };
	struct ft_target_cfg *tc;
	struct ft_agg_val *v;

	key.st.ustack = FT_STACKID_NONE;
	key.st.kstack = FT_STACKID_NONE;
	if (cfg->agg_stack & FT_T_USTACK) {
		key.id = id >> 32;
		key.st.ustack = stack_id(ctx, BPF_F_USER_STACK);
		tc = bpf_map_lookup_elem(&targets, &target);
		if (pt_regs && tc && (tc->flags & FT_T_ENTRY))
			key.st.ra = entry_ra(ctx);
	}
	if (cfg->agg_stack & FT_T_KSTACK)
		key.st.kstack = stack_id(ctx, 0);
	v = agg_lookup(&key);
	if (v)
		v->calls++;
	if (depth && bpf_map_update_elem(&stack_keys, &hk, &key, BPF_ANY))
		stat_inc(FT_STAT_STATE);
}

static __always_inline void agg_entry(void *ctx, int pt_regs,
				      const struct ft_config *cfg, __u64 id,
				      __u32 target, __u32 depth)
{
	struct ft_agg_val *v;

	if (cfg->agg_by == FT_BY_STACK) {
		agg_stack_entry(ctx, pt_regs, cfg, id, target, depth);
		return;
	}
	v = agg_get(cfg, id, target);
	if (v)
		v->calls++;
}

/* FT_BY_STACK at a return: its entry's key (depth 0: none) */
static __always_inline struct ft_agg_val *agg_stack_return(__u64 id, __u32 target,
							   __u32 depth)
{
	struct ft_held_key hk = { .tid = (__u32)id, .depth = depth };
	struct ft_agg_key key = { .target = target }, *k = 0;

	if (depth)
		k = bpf_map_lookup_elem(&stack_keys, &hk);
	if (k && k->target == target)
		return agg_lookup(k);
	key.st.ustack = FT_STACKID_UNKNOWN;
	key.st.kstack = FT_STACKID_UNKNOWN;
	return agg_lookup(&key);
}

/* depth 0: the return had no entry on this thread's stack */
static __always_inline void agg_return(const struct ft_config *cfg, __u64 id,
				       __u32 target, __u64 exec, __u32 depth)
{
	struct ft_agg_val *v = cfg->agg_by == FT_BY_STACK ?
		agg_stack_return(id, target, depth) : agg_get(cfg, id, target);
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
