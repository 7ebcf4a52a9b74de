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

/* targets map value: per-target settings */
#define FT_T_WRAPPER		0x01	/* syscall wrapper: decode inner pt_regs */

struct ft_target_cfg {
	__u32 flags;
	__u32 pad;
};

/* config map value (single entry) */
struct ft_config {
	__u32 self_tgid;	/* never report this process */
	__u32 filter_tgid;	/* 0: all processes */
	__u32 follow;		/* -f: also the processes in the follow map */
	__u32 fork_child_off;	/* -f: sched_process_fork's child_pid offset */
	__u32 exit_dead_off;	/* -f: sched_process_exit's group_dead, 0: none */
	__u32 pad;
};

/* stats map: per-CPU counters, indexed by enum ft_stat */
enum ft_stat {
	FT_STAT_EVENTS,		/* records successfully submitted */
	FT_STAT_LOST,		/* ring buffer full: record dropped */
	FT_STAT_DEPTH,		/* call stack overflow: entry not timed */
	FT_STAT_STATE,		/* per-thread state map full */
	FT_STAT_FOLLOW,		/* -f: follow map full, a process not followed */
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

#endif
