// SPDX-License-Identifier: GPL-2.0
/* ftrace's BPF program: one entry and one return handler shared by every
 * uprobe/kprobe target. The attach cookie says which target fired.
 *
 * Self-contained on purpose: rebuilding the blob needs clang but no kernel or
 * libbpf headers. Maps are BTF-defined (libbpf convention), so the built-in
 * loader and libbpf accept the same object. No 64-bit atomics (the armhf JIT
 * rejects them): counters are per-CPU. */

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;

#include "event.h"

#define SEC(name) __attribute__((section(name), used))
#define __always_inline inline __attribute__((always_inline))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

/* the subset of uapi/linux/bpf.h used here */
#define BPF_MAP_TYPE_HASH		1
#define BPF_MAP_TYPE_PERF_EVENT_ARRAY	4
#define BPF_MAP_TYPE_ARRAY		2
#define BPF_MAP_TYPE_PERCPU_HASH	5
#define BPF_MAP_TYPE_PERCPU_ARRAY	6
#define BPF_MAP_TYPE_LRU_HASH		9
#define BPF_MAP_TYPE_RINGBUF		27
#define BPF_ANY				0
#define BPF_F_RDONLY_PROG		(1U << 7)
#define BPF_F_CURRENT_CPU		0xffffffffULL
#define BPF_NOEXIST			1

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key,
				   const void *value, __u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static long (*bpf_get_current_comm)(void *buf, __u32 size) = (void *)16;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size,
				     const void *src) = (void *)113;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size,
				    __u64 flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;
static __u64 (*bpf_ringbuf_query)(void *ringbuf, __u64 flags) = (void *)134;
static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags,
				     void *data, __u64 size) = (void *)25;

#define BPF_RB_NO_WAKEUP	1
#define BPF_RB_FORCE_WAKEUP	2
#define BPF_RB_AVAIL_DATA	0
#define BPF_RB_RING_SIZE	1
#define BPF_F_USER_STACK	(1ULL << 8)
static long (*bpf_probe_read_user)(void *dst, __u32 size,
				   const void *src) = (void *)112;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size,
				       const void *src) = (void *)114;
static __u64 (*bpf_get_attach_cookie)(void *ctx) = (void *)174;
static long (*bpf_get_func_arg)(void *ctx, __u32 n, __u64 *value) = (void *)183;
static long (*bpf_get_func_ret)(void *ctx, __u64 *value) = (void *)184;

/* where the registers come from: a struct pt_regs (uprobe, kprobe), or a
 * BPF trampoline's argument array (fentry, fexit) */
enum regs_src { SRC_PT_REGS, SRC_FENTRY, SRC_FEXIT };

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);	/* the loader sets -b/--buffer-size */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FT_MAX_TARGETS);	/* the loader may resize */
	__type(key, __u32);
	__type(value, struct ft_target_cfg);
} targets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FT_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* per-thread call stack: entry time and target of each open call */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct ft_stack);
} stacks SEC(".maps");

/* time of the previous entry, per thread and target (LRU: threads.bpf.h) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct ft_last_key);
	__type(value, __u64);
} last_entry SEC(".maps");

#include "threads.bpf.h"

/* a zeroed ft_stack to create new stacks from (too big for the BPF stack) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_stack);
} zero_stack SEC(".maps");

/* --flight-recorder: records go to per-CPU perf buffers that ftrace maps
 * read-only, so the kernel overwrites the oldest (src/flight.c), not to the
 * ring buffer. The loader writes out_mode (1: flight) and freezes it before
 * the programs are loaded: the verifier then knows its value and keeps only
 * one of the two paths of rec_reserve()/rec_submit(). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, __u32);
} out_mode SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);	/* one per possible CPU */
	__type(key, __u32);
	__type(value, __u32);
} flight SEC(".maps");

/* the largest record, built here when it has strings or a stack
 * (args.bpf.h), and every record of the flight recorder */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_event_ext);
} ext_scratch SEC(".maps");

static __always_inline __u64 flight_on(void)
{
	__u32 zero = 0, *m = bpf_map_lookup_elem(&out_mode, &zero);

	return m && *m;
}

/* Room for a record of size bytes (a constant): in the ring buffer, or the
 * flight recorder's scratch. fl: flight_on(), read once per record and
 * passed on to rec_submit(), so that the verifier sees one decision (a
 * second lookup could be NULL to it where the first was not). */
static __always_inline void *rec_reserve(__u64 size, __u64 fl)
{
	__u32 zero = 0;

	if (fl)
		return bpf_map_lookup_elem(&ext_scratch, &zero);
	return bpf_ringbuf_reserve(&events, size, 0);
}

/* A wakeup (irq_work, IPI) costs more than the rest of the program, so the
 * consumer is woken only when the backlog crosses 1/8 of the ring; its
 * periodic tick collects the rest. */
static __always_inline void submit(void *rec, __u64 size)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 mark = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 8;
	__u64 len = (size + 8 + 7) & ~7ULL;	/* with the record header */

	bpf_ringbuf_submit(rec, avail >= mark && avail < mark + len ?
			   BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* send a record from rec_reserve(): 0, or -1 lost (the flight recorder's
 * buffer paused while ftrace reads it) */
static __always_inline int rec_submit(void *ctx, void *rec, __u64 size, __u64 fl)
{
	if (fl)
		return bpf_perf_event_output(ctx, &flight, BPF_F_CURRENT_CPU,
					     rec, size) ? -1 : 0;
	submit(rec, size);
	return 0;
}

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

#include "follow.bpf.h"

#include "stats.bpf.h"

#include "cgroup.bpf.h"

/* Returns 0 when the event must not be reported; *cfgp: the config. */
static __always_inline __u64 want_current(struct ft_config **cfgp)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, zero = 0;
	struct ft_config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (!cfg || tgid == cfg->self_tgid || !cgroup_ok())
		return 0;
	if (cfg->filter_tgid && tgid != cfg->filter_tgid && !follow_has(cfg, tgid))
		return 0;
	*cfgp = cfg;
	return id;
}

static __always_inline struct ft_stack *get_stack(__u32 tid, int create)
{
	struct ft_stack *st = bpf_map_lookup_elem(&stacks, &tid);
	__u32 zero = 0;

	if (st || !create)
		return st;
	st = bpf_map_lookup_elem(&zero_stack, &zero);
	if (!st)
		return 0;
	st->depth = 0;
	if (bpf_map_update_elem(&stacks, &tid, st, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&stacks, &tid)) {
		stat_inc(FT_STAT_STATE);
		return 0;
	}
	return bpf_map_lookup_elem(&stacks, &tid);
}

/* ns since this thread last entered this target; 0 and *first if never */
static __always_inline __u64 reentry_gap(__u32 tid, __u32 target, __u64 now,
					 int *first)
{
	struct ft_last_key key = { .tid = tid, .target = target };
	__u64 *prev = bpf_map_lookup_elem(&last_entry, &key);
	__u64 gap = 0;

	if (prev) {
		gap = now - *prev;
		*prev = now;
		*first = 0;
		return gap;
	}
	*first = 1;
	if (bpf_map_update_elem(&last_entry, &key, &now, BPF_ANY))
		stat_inc(FT_STAT_STATE);
	return 0;
}

static __always_inline void put_word(__u8 *regs, unsigned int slot, __u64 v)
{
	__builtin_memcpy(regs + slot * ARCH_WORD_SIZE, &v, ARCH_WORD_SIZE);
}

static __always_inline void fill_regs(__u8 *regs, void *ctx, enum regs_src src)
{
	const unsigned int slots[] = { ARCH_ARG_SLOTS };
	__u64 v = 0;

	if (src == SRC_PT_REGS) {
		bpf_probe_read_kernel(regs, ARCH_PT_REGS_SIZE, ctx);
		return;
	}
	__builtin_memset(regs, 0, ARCH_PT_REGS_SIZE);
	if (src == SRC_FEXIT) {
		bpf_get_func_ret(ctx, &v);
		put_word(regs, ARCH_RET_SLOT, v);
		return;
	}
#pragma unroll
	for (int i = 0; i < ARCH_NARG_SLOTS; i++) {
		if (bpf_get_func_arg(ctx, i, &v))
			break;
		put_word(regs, slots[i], v);
	}
}

static __always_inline void fill(struct ft_event *e, __u64 id, __u64 now,
				 __u32 target, void *ctx, enum regs_src src)
{
	e->ts = now;
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->target = target;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	fill_regs(e->regs, ctx, src);
}

static __always_inline int read_wrapper_args(struct ft_event_args *ea)
{
#if ARCH_WRAPPER_ARG_SLOT >= 0
	unsigned long inner;

	__builtin_memcpy(&inner,
			 ea->ev.regs + ARCH_WRAPPER_ARG_SLOT * ARCH_WORD_SIZE,
			 sizeof(inner));
	return bpf_probe_read_kernel(ea->args, sizeof(ea->args),
				     (void *)inner) ? -1 : 0;
#else
	(void)ea;
	return -1;
#endif
}

#include "args.bpf.h"

static __always_inline int handle_entry(void *ctx, enum regs_src src)
{
	__u64 now = bpf_ktime_get_ns();
	struct ft_config *cfg = 0;
	__u64 id = want_current(&cfg);
	__u32 target = bpf_get_attach_cookie(ctx) >> 1;
	__u32 tid = (__u32)id, depth = 0;
	struct ft_target_cfg *tc;
	struct ft_event_args *ea;
	struct ft_stack *st;
	struct ft_event *e;
	__u16 flags = 0, mode;
	__u64 gap = 0, fl;
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
		agg_entry(ctx, src == SRC_PT_REGS, cfg, id, target, depth);
		return 0;
	}

	tc = bpf_map_lookup_elem(&targets, &target);
	if (mode == FT_MODE_HOLD) {
		/* no depth: no return will ever match this entry */
		if (!depth)
			return 0;
		ea = held_buf();
		if (!ea)
			return 0;
		fill(&ea->ev, id, now, target, ctx, src);
		if (tc && (tc->flags & FT_T_WRAPPER))
			flags |= read_wrapper_args(ea) ? FT_F_ARGS_FAULT : FT_F_ARGS;
		ea->ev.type = FT_ENTRY;
		ea->ev.flags = flags;
		ea->ev.delta = gap;
		ea->ev.depth = depth;
		held_keep(tid, depth, ea);
		return 0;
	}
	if (tc && (tc->flags & FT_T_EXT)) {
		stat_inc(entry_ext(ctx, tc, id, now, target, src, flags, gap, depth) ?
			 FT_STAT_LOST : FT_STAT_EVENTS);
		return 0;
	}
	fl = flight_on();
	if (tc && (tc->flags & FT_T_WRAPPER)) {
		ea = rec_reserve(sizeof(*ea), fl);
		if (!ea) {
			stat_inc(FT_STAT_LOST);
			return 0;
		}
		fill(&ea->ev, id, now, target, ctx, src);
		flags |= read_wrapper_args(ea) ? FT_F_ARGS_FAULT : FT_F_ARGS;
		e = &ea->ev;
	} else {
		e = rec_reserve(sizeof(*e), fl);
		if (!e) {
			stat_inc(FT_STAT_LOST);
			return 0;
		}
		fill(e, id, now, target, ctx, src);
	}
	e->type = FT_ENTRY;
	e->flags = flags;
	e->delta = gap;
	e->depth = depth;
	stat_inc(rec_submit(ctx, e, (flags & (FT_F_ARGS | FT_F_ARGS_FAULT)) ?
			    sizeof(struct ft_event_args) : sizeof(*e), fl) ?
		 FT_STAT_LOST : FT_STAT_EVENTS);
	return 0;
}

/* Pop the innermost open call of this target. Frames above it belong to
 * calls that never returned (longjmp, unwinding) and are dropped. */
static __always_inline __u64 pop_frame(struct ft_stack *st, __u32 target,
				       __u64 now, __u32 *depth)
{
	__u32 d = st->depth;

	for (int i = 0; i < FT_MAX_DEPTH; i++) {
		__u32 k;

		if (d == 0 || d > FT_MAX_DEPTH)
			break;
		k = (d - 1) & (FT_MAX_DEPTH - 1);
		if (st->frames[k].target == target) {
			st->depth = k;
			*depth = k + 1;
			return now - st->frames[k].ts;
		}
		d--;
	}
	*depth = 0;
	return 0;
}

static __always_inline int handle_return(void *ctx, enum regs_src src)
{
	__u64 now = bpf_ktime_get_ns();
	struct ft_config *cfg = 0;
	__u64 id = want_current(&cfg);
	__u32 target = bpf_get_attach_cookie(ctx) >> 1;
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
	fill(e, id, now, target, ctx, src);
	e->type = FT_RET;
	e->flags = depth ? 0 : FT_F_NO_ENTRY;
	e->delta = exec;
	e->depth = depth;
	stat_inc(rec_submit(ctx, e, sizeof(*e), fl) ? FT_STAT_LOST : FT_STAT_EVENTS);
	return 0;
}

/* uprobes and kprobes share these two (same program type) */
SEC("uprobe")
int ft_entry(void *ctx)
{
	return handle_entry(ctx, SRC_PT_REGS);
}

SEC("uretprobe")
int ft_return(void *ctx)
{
	return handle_return(ctx, SRC_PT_REGS);
}

/* kernel functions through BPF trampolines, where kprobes are missing; the
 * loader sets the attach target per copy */
SEC("fentry")
int ft_fentry(void *ctx)
{
	return handle_entry(ctx, SRC_FENTRY);
}

SEC("fexit")
int ft_fexit(void *ctx)
{
	return handle_return(ctx, SRC_FEXIT);
}

/* uprobe_multi and kprobe_multi links: one link for many probes, the same
 * handlers; the section gives the expected attach type at load */
SEC("uprobe.multi")
int ft_umulti_entry(void *ctx)
{
	return handle_entry(ctx, SRC_PT_REGS);
}

SEC("uretprobe.multi")
int ft_umulti_return(void *ctx)
{
	return handle_return(ctx, SRC_PT_REGS);
}

SEC("kprobe.multi")
int ft_kmulti_entry(void *ctx)
{
	return handle_entry(ctx, SRC_PT_REGS);
}

SEC("kretprobe.multi")
int ft_kmulti_return(void *ctx)
{
	return handle_return(ctx, SRC_PT_REGS);
}

/* syscalls through tracepoints */
#include "syscalls.bpf.h"
