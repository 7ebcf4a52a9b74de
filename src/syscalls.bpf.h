/* SPDX-License-Identifier: GPL-2.0 */
/* Syscalls through tracepoints, where kprobes are missing or refused, or
 * asked for (--mechanism tracepoint, ftrace syscall). Included at the end
 * of probe.bpf.c: the same per-thread call stacks, reentry gaps, summaries
 * and held entries as the probe handlers, with the tracepoint record in
 * place of the registers (src/sc_event.h).
 *
 *   ft_sys_enter/ft_sys_exit   on syscalls:sys_enter_NAME/sys_exit_NAME,
 *                              the target in the perf link's cookie (5.15+)
 *   ft_raw_enter/ft_raw_exit   on raw_syscalls:sys_enter/sys_exit, every
 *                              syscall; the target from the sc_nr map */
#ifndef FTRACE_SYSCALLS_BPF_H
#define FTRACE_SYSCALLS_BPF_H

#include "sc_event.h"

/* the flight recorder builds it in ext_scratch */
_Static_assert(sizeof(struct ft_sc_event) <= sizeof(struct ft_event_ext),
	       "ft_sc_event larger than the scratch record");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FT_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct ft_sc_target);
} sc_targets SEC(".maps");

/* raw_syscalls: syscall number -> target */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FT_SC_NR_MAX);
	__type(key, __u32);
	__type(value, __u32);
} sc_nr SEC(".maps");

static __always_inline void sc_fill(struct ft_event *e, __u64 id, __u64 now,
				    __u32 target, void *ctx)
{
	e->ts = now;
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->target = target;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memset(e->regs, 0, sizeof(e->regs));
	bpf_probe_read_kernel(e->regs, FT_SC_REC, ctx);
}

/* argument i (0-based) of the copied sys_enter record */
static __always_inline unsigned long sc_arg(const struct ft_event *e, __u32 i)
{
	unsigned long v = 0;

	switch (i) {
	case 0: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF, ARCH_WORD_SIZE); break;
	case 1: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF + ARCH_WORD_SIZE, ARCH_WORD_SIZE); break;
	case 2: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF + 2 * ARCH_WORD_SIZE, ARCH_WORD_SIZE); break;
	case 3: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF + 3 * ARCH_WORD_SIZE, ARCH_WORD_SIZE); break;
	case 4: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF + 4 * ARCH_WORD_SIZE, ARCH_WORD_SIZE); break;
	case 5: __builtin_memcpy(&v, e->regs + FT_SC_ARGS_OFF + 5 * ARCH_WORD_SIZE, ARCH_WORD_SIZE); break;
	default: break;
	}
	return v;
}

static __always_inline void sc_strings(struct ft_sc_event *se,
				       const struct ft_sc_target *st)
{
#pragma unroll
	for (int k = 0; k < FT_SC_NSTR; k++) {
		__u32 i = st->str_arg[k];

		se->str[k][0] = 0;
		if (!i)
			continue;
		if (bpf_probe_read_user_str(se->str[k], FT_SC_STRLEN,
					    (void *)sc_arg(&se->ev, i - 1)) < 0) {
			se->str[k][0] = 0;
			se->ev.pad |= 1u << k;
		}
	}
}

/* the entry record: with the string arguments when the target has some */
static __always_inline int sc_emit_entry(void *ctx, __u64 id, __u64 now, __u32 target,
					 __u16 flags, __u64 gap, __u32 depth)
{
	struct ft_sc_target *st = bpf_map_lookup_elem(&sc_targets, &target);
	struct ft_sc_event *se;
	struct ft_event *e;
	__u64 size = sizeof(*e), fl = flight_on();

	if (st && st->nstr) {
		se = rec_reserve(sizeof(*se), fl);
		if (!se) {
			stat_inc(FT_STAT_LOST);
			return 0;
		}
		sc_fill(&se->ev, id, now, target, ctx);
		sc_strings(se, st);
		flags |= FT_F_SC_STR;
		size = sizeof(*se);
		e = &se->ev;
	} else {
		e = rec_reserve(sizeof(*e), fl);
		if (!e) {
			stat_inc(FT_STAT_LOST);
			return 0;
		}
		sc_fill(e, id, now, target, ctx);
	}
	e->type = FT_ENTRY;
	e->flags = flags | FT_F_SC;
	e->delta = gap;
	e->depth = depth;
	stat_inc(rec_submit(ctx, e, size, fl) ? FT_STAT_LOST : FT_STAT_EVENTS);
	return 0;
}

static __always_inline int sc_entry(void *ctx, __u32 target)
{
	__u64 now = bpf_ktime_get_ns();
	struct ft_config *cfg = 0;
	__u64 id = want_current(&cfg);
	__u32 tid = (__u32)id, depth = 0;
	struct ft_event_args *ea;
	struct ft_stack *st;
	__u16 flags = 0, mode;
	__u64 gap = 0;
	int first = 0;

	if (!id || !cfg)
		return 0;
	mode = cfg->mode;
	if (mode != FT_MODE_AGG) {
		gap = reentry_gap(tid, target, now, &first);
		if (first)
			flags |= FT_F_FIRST;
	}
	st = get_stack(tid, 1);
	if (st && st->depth < FT_MAX_DEPTH) {
		__u32 d = st->depth & (FT_MAX_DEPTH - 1);

		st->frames[d].ts = now;
		st->frames[d].target = target;
		st->depth = d + 1;
		depth = d + 1;
	} else {
		flags |= FT_F_DEPTH_LOST;
		stat_inc(FT_STAT_DEPTH);
	}
	if (mode == FT_MODE_AGG) {
		agg_entry(ctx, 0, cfg, id, target, depth);
		return 0;
	}
	if (mode == FT_MODE_HOLD) {
		/* held entries carry no strings */
		if (!depth)
			return 0;
		ea = held_buf();
		if (!ea)
			return 0;
		sc_fill(&ea->ev, id, now, target, ctx);
		ea->ev.type = FT_ENTRY;
		ea->ev.flags = flags | FT_F_SC;
		ea->ev.delta = gap;
		ea->ev.depth = depth;
		held_keep(tid, depth, ea);
		return 0;
	}
	return sc_emit_entry(ctx, id, now, target, flags, gap, depth);
}

static __always_inline int sc_return(void *ctx, __u32 target)
{
	__u64 now = bpf_ktime_get_ns();
	struct ft_config *cfg = 0;
	__u64 id = want_current(&cfg);
	__u32 tid = (__u32)id, depth = 0;
	struct ft_stack *st;
	struct ft_event *e;
	__u64 exec = 0, fl;

	if (!id || !cfg)
		return 0;
	st = get_stack(tid, 0);
	if (st)
		exec = pop_frame(st, target, now, &depth);
	if (cfg->mode == FT_MODE_AGG) {
		agg_return(cfg, id, target, exec, depth);
		return 0;
	}
	if (cfg->mode == FT_MODE_HOLD) {
		if (!depth || exec < cfg->min_dur || exec > cfg->max_dur)
			return 0;
		held_send(ctx, tid, depth, target, now - exec);
	}
	fl = flight_on();
	e = rec_reserve(sizeof(*e), fl);
	if (!e) {
		stat_inc(FT_STAT_LOST);
		return 0;
	}
	sc_fill(e, id, now, target, ctx);
	e->type = FT_RET;
	e->flags = (depth ? 0 : FT_F_NO_ENTRY) | FT_F_SC;
	e->delta = exec;
	e->depth = depth;
	stat_inc(rec_submit(ctx, e, sizeof(*e), fl) ? FT_STAT_LOST : FT_STAT_EVENTS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter")
int ft_sys_enter(void *ctx)
{
	return sc_entry(ctx, bpf_get_attach_cookie(ctx) >> 1);
}

SEC("tracepoint/syscalls/sys_exit")
int ft_sys_exit(void *ctx)
{
	return sc_return(ctx, bpf_get_attach_cookie(ctx) >> 1);
}

/* the syscall number: a long at offset 8 (its low half, little endian) */
static __always_inline __u32 *sc_nr_target(void *ctx)
{
	__u32 nr = 0;

	bpf_probe_read_kernel(&nr, sizeof(nr), ctx + 8);
	return bpf_map_lookup_elem(&sc_nr, &nr);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int ft_raw_enter(void *ctx)
{
	__u32 *t = sc_nr_target(ctx);

	return t ? sc_entry(ctx, *t) : 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int ft_raw_exit(void *ctx)
{
	__u32 *t = sc_nr_target(ctx);

	return t ? sc_return(ctx, *t) : 0;
}

#endif
