/* SPDX-License-Identifier: MIT */
/* -f/--follow, user side: where the sched_process_fork/exit tracepoints are
 * (tracefs, mounted if needed), the record offsets their format files give,
 * and arming the followed-tgid set (src/follow.bpf.h) before the command
 * runs. */
#ifndef FTRACE_FOLLOW_H
#define FTRACE_FOLLOW_H

#include <stdint.h>
#include <sys/types.h>

struct ft_err;
struct ft_bpf;
struct ft_loader;

struct follow_info {
	uint32_t fork_id, exit_id;	/* tracefs event ids */
	uint32_t child_off;		/* sched_process_fork: child_pid */
	uint32_t dead_off;		/* sched_process_exit: group_dead, 0: none */
};

/* In a tracepoint format file, the offset and size of field NAME (the last
 * identifier of its declaration: "field:pid_t child_pid;"). 0 or -ENOENT. */
int tp_field(const char *format, const char *name, uint32_t *off, uint32_t *size);

/* The events directory of tracefs under root ("" for /): the tracefs
 * mount, debugfs's copy, or tracefs mounted now on /sys/kernel/tracing.
 * 0 or -ENOENT. */
int tracefs_events_dir(const char *root, char *dir, size_t size);

/* Read ids and offsets from tracefs under root ("" for /), mounting tracefs
 * on /sys/kernel/tracing when neither it nor debugfs's copy is there. */
int follow_prepare(const char *root, struct follow_info *fi, struct ft_err *err);

/* Put pid in the set and attach both tracepoint programs. */
int follow_start(const struct ft_loader *l, struct ft_bpf *b,
		 const struct follow_info *fi, pid_t pid, struct ft_err *err);

#endif
