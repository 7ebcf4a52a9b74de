/* SPDX-License-Identifier: MIT */
/* The contract between probe.bpf.c and user space: map layouts and the
 * record sent through the ring buffer. Included by both sides; the BPF side
 * defines the __u* types itself so rebuilding the blob needs no kernel
 * headers. */
#ifndef FTRACE_EVENT_H
#define FTRACE_EVENT_H

#include "../arch/arch.h"

#define FT_MAX_DEPTH		64	/* kernel's uretprobe nesting limit is 64 */
#define FT_COMM_LEN		16	/* TASK_COMM_LEN */
#define FT_MAX_TARGETS		4096	/* default size of the targets map */
#define FT_FOLLOW_MAX		8192	/* -f: processes followed at once */
#define FT_TP_MAX_OFF		128	/* -f: tracepoint fields read below this */

/* cookie = target index << 1 | FT_COOKIE_RET */
#define FT_COOKIE_RET		1ULL

enum ft_event_type {
	FT_ENTRY = 1,
	FT_RET = 2,
};

/* ft_event.flags */
#define FT_F_FIRST		0x01	/* ENTRY: first entry seen on this thread */
#define FT_F_NO_ENTRY		0x02	/* RET: matching entry never seen */
#define FT_F_ARGS		0x04	/* ENTRY: args[] holds the inner pt_regs */
#define FT_F_ARGS_FAULT		0x08	/* ENTRY: reading the inner pt_regs failed */
#define FT_F_DEPTH_LOST		0x10	/* ENTRY: call stack full, no RET timing */
#define FT_F_EXT		0x20	/* ENTRY: followed by struct ft_ext + data */

/* targets map value: per-target settings */
#define FT_T_WRAPPER		0x01	/* syscall wrapper: decode inner pt_regs */
#define FT_T_ARGS		0x02	/* arg[] names strings/buffers to read */
#define FT_T_USTACK		0x04	/* --stack: the user stack at entry */
#define FT_T_KSTACK		0x08	/* --stack: the kernel stack at entry */
#define FT_T_EXT		(FT_T_ARGS | FT_T_USTACK | FT_T_KSTACK)
#define FT_T_ENTRY		0x10	/* --by stack: a user function's entry, the
					 * return address is the caller's frame */

/* Prototypes (args.bpf.h): what to read at entry through argument i (in
 * calling-convention order, ARCH_ARG_SLOTS): 0 nothing, FT_A_STR a
 * NUL-terminated user string, FT_A_KSTR a kernel one, both: a kernel
 * string, else a user one; else a user buffer of that many bytes. */
#define FT_ARG_SLOTS		8
#define FT_A_STR		0x8000
#define FT_A_KSTR		0x4000
#define FT_STR_MAX		256	/* bytes of a string shown */
#define FT_STR_READ		(FT_STR_MAX + 2)	/* read: NUL + 1 to see truncation */
#define FT_BUF_MAX		256	/* buf:N, N at most this */
#define FT_STACK_MAX		64	/* --stack: frames kept */
/* string and buffer bytes of one record, all slots */
#define FT_EXT_DATA		(FT_ARG_SLOTS * FT_STR_READ)

struct ft_target_cfg {
	__u32 flags;
	__u32 pad;
	__u16 arg[FT_ARG_SLOTS];
};

/* After an ENTRY with FT_F_EXT: this header, then the bytes of each slot
 * with len[i] > 0 in slot order, then nframes 8-byte addresses, innermost
 * first (at an 8-byte aligned offset from the header's start). len[i]: a
 * string's bytes without its NUL (more than FT_STR_MAX: truncated, only
 * FT_STR_MAX are shown), a buffer's bytes; 0 for a NULL pointer. A failed
 * read has its bit in err and its errno (positive) in len[i]. */
struct ft_ext {
	__u16 len[FT_ARG_SLOTS];
	__u16 err;		/* bit i: slot i could not be read */
	__u16 nframes;		/* stack frames after the data */
	__u16 data_len;		/* bytes of string/buffer data, 8-aligned */
	__u16 stack_err;	/* bpf_get_stack's errno, 0 */
	__u64 ra;		/* the return address at entry (user stack) */
};

/* config map value (single entry) */
struct ft_config {
	__u32 self_tgid;	/* never report this process */
	__u32 filter_tgid;	/* 0: all processes */
	__u32 follow;		/* -f: also the processes in the follow map */
	__u32 fork_child_off;	/* -f: sched_process_fork's child_pid offset */
	__u32 exit_dead_off;	/* -f: sched_process_exit's group_dead, 0: none */
	__u16 mode;		/* enum ft_run_mode */
	__u16 agg_by;		/* FT_MODE_AGG: enum ft_agg_by */
	__u32 agg_stack;	/* FT_BY_STACK: FT_T_USTACK | FT_T_KSTACK */
	__u32 pad;
	__u64 min_dur;		/* FT_MODE_HOLD: shortest call reported (ns) */
	__u64 max_dur;		/* FT_MODE_HOLD: longest call reported (ns) */
};

/* what the probes do with a call */
enum ft_run_mode {
	FT_MODE_STREAM = 0,	/* a record per entry and return */
	FT_MODE_AGG = 1,	/* add it to the agg map, no records */
	FT_MODE_HOLD = 2,	/* hold the entry; emit both when the exec
				 * time is within [min_dur, max_dur] */
};

/* FT_MODE_AGG: the second half of the agg map's key */
enum ft_agg_by {
	FT_BY_NONE = 0,		/* one row per target */
	FT_BY_TGID = 1,
	FT_BY_TID = 2,
	FT_BY_COMM = 3,
	FT_BY_STACK = 4,	/* stack ids (and the tgid for user stacks) */
};

/* Log-linear histogram of exec times: values 0..7 have a bucket each; from
 * 8 on, each power of two [2^e, 2^(e+1)) is cut into FT_HIST_SUB equal
 * sub-buckets: bucket (e - 2) * 8 + ((v >> (e - 3)) & 7). The last bucket
 * also takes every value from 2^42 ns (73 minutes) on. */
#define FT_HIST_SUB		8
#define FT_HIST_NR		320
#define FT_AGG_MAX		4096	/* --by: keys aggregated at once */

/* --by stack: a stack id of the stack map (>= 0), a negative errno of
 * bpf_get_stackid (-EEXIST: a different stack holds the bucket, -ENOMEM:
 * the map is full, -EFAULT: no stack), or one of these */
#define FT_STACKID_NONE		(-0x10000)	/* this stack was not asked for */
#define FT_STACKID_UNKNOWN	(-0x10001)	/* a return without its entry */
#define FT_STACK_ENTRIES	16384		/* --by stack: the stack map's size */

struct ft_agg_stack {
	__s32 ustack;			/* the user stack's id */
	__s32 kstack;			/* the kernel stack's id */
	__u64 ra;			/* FT_T_ENTRY: the caller (return address) */
};

struct ft_agg_key {
	__u32 target;
	__u32 id;			/* tgid or tid with --by pid/tid; the tgid
					 * with --by stack and user stacks; else 0 */
	union {
		char comm[FT_COMM_LEN];	/* --by comm, else zero */
		struct ft_agg_stack st;	/* --by stack */
	};
};

/* agg map value, one per CPU; plain increments (no 64-bit atomics) */
struct ft_agg_val {
	__u64 calls;			/* entries */
	__u64 timed;			/* returns with their entry: in hist */
	__u64 unmatched;		/* returns without a seen entry */
	__u64 total_ns;			/* sum of the timed exec times */
	__u64 min_ns;			/* of the timed calls (timed > 0) */
	__u64 max_ns;
	char comm[FT_COMM_LEN];		/* of the thread that created the key */
	__u32 tgid;			/* its process (--by tid: the thread's) */
	__u32 pad;
	__u32 hist[FT_HIST_NR];
};

/* held map key (FT_MODE_HOLD): an open call's entry record */
struct ft_held_key {
	__u32 tid;
	__u32 depth;
};

/* stats map: per-CPU counters, indexed by enum ft_stat */
enum ft_stat {
	FT_STAT_EVENTS,		/* records successfully submitted */
	FT_STAT_LOST,		/* ring buffer full: record dropped */
	FT_STAT_DEPTH,		/* call stack overflow: entry not timed */
	FT_STAT_STATE,		/* per-thread state map full */
	FT_STAT_FOLLOW,		/* -f: follow map full, a process not followed */
	FT_STAT_AGG_FULL,	/* agg map full: a call not aggregated */
	FT_STAT_HELD,		/* held map: an entry record not kept */
	FT_STAT_STACK,		/* --by stack: a stack not captured */
	FT_STAT_NR,
};

struct ft_frame {
	__u64 ts;
	__u32 target;
	__u32 pad;
};

/* stacks map value, keyed by thread id */
struct ft_stack {
	__u32 depth;
	__u32 pad;
	struct ft_frame frames[FT_MAX_DEPTH];
};

/* last_entry map key: thread and target */
struct ft_last_key {
	__u32 tid;
	__u32 target;
};

struct ft_event {
	__u64 ts;		/* bpf_ktime_get_ns() at the probe */
	__u64 delta;		/* ENTRY: ns since the previous entry; RET: exec time */
	__u32 tgid;
	__u32 tid;
	__u32 target;
	__u16 type;		/* enum ft_event_type */
	__u16 flags;		/* FT_F_* */
	__u32 depth;		/* call depth on this thread, 1 = outermost */
	__u32 pad;
	char comm[FT_COMM_LEN];	/* task comm (thread name) at the probe */
	__u8 regs[ARCH_PT_REGS_SIZE];	/* raw struct pt_regs at the probe */
};

/* An ENTRY with FT_F_ARGS is followed by the inner pt_regs. */
struct ft_event_args {
	struct ft_event ev;
	__u8 args[ARCH_PT_REGS_SIZE];
};

/* the largest record: event, header, data, frames */
struct ft_event_ext {
	struct ft_event ev;
	struct ft_ext x;
	__u8 data[FT_EXT_DATA + FT_STACK_MAX * 8];
};

#endif
