/* SPDX-License-Identifier: MIT */
/* From what the user typed to what gets probed: file, offset, label, and
 * whether a return probe is safe there. */
#ifndef FTRACE_RESOLVE_H
#define FTRACE_RESOLVE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ft_err;

struct ft_target {
	char label[256];	/* "libc.so.6:malloc", "<kernel>:vfs_read" */
	char path[PATH_MAX];	/* user: file to probe; kernel: symbol or "" */
	uint64_t offset;	/* user: file offset; kernel: offset or address */
	bool kernel;
	bool want_ret;		/* attach a return probe */
	uint32_t flags;		/* FT_T_* for the targets map */
	char note[512];		/* what ftrace decided, shown with -v or as a warning */
	bool warn;		/* print note even without -v */
	bool from_glob;		/* matched by a pattern: skipped, not fatal,
				 * when it cannot be traced */
	bool dropped;		/* could not be attached: skipped (its index,
				 * the cookie of the others, stays) */
	bool syscall;		/* through the syscall tracepoints (syscalls.c) */
	bool kmodule;		/* kernel: a module's function */
	bool kdup;		/* kernel: kallsyms has several of its name */
	uint32_t tp_enter, tp_exit;	/* their tracefs ids */
	int sc_nr;		/* syscall number for raw_syscalls, -1: none */
};

/* A function a pattern matched that cannot be traced, and why. */
struct ft_skip {
	char label[256];
	char why[256];
	char kind[48];		/* the reason in a few words, for the count */
};

struct ft_targets {
	struct ft_target *v;
	size_t n, cap;
	struct ft_skip *skipped;
	size_t nskipped, skip_cap;
	size_t nmatched;	/* functions the patterns matched */
};

struct resolve_opts {
	pid_t pid;		/* 0: system-wide */
	bool no_retprobe;
	bool force;
	char *const *excludes;	/* --exclude patterns */
	size_t nexcludes;
};

/* User mode: resolve lib and each target. -errno with a message. */
int resolve_user(const char *lib, char *const *targets, int ntargets,
		 const struct resolve_opts *o, struct ft_targets *out,
		 struct ft_err *err);

/* Kernel mode: symbols, symbol+0xOFF, addresses, against /proc/kallsyms. */
int resolve_kernel(char *const *targets, int ntargets,
		   const struct resolve_opts *o, struct ft_targets *out,
		   struct ft_err *err);

void targets_free(struct ft_targets *t);

/* A zeroed target at t->v[t->n] (not yet counted), or NULL: out of memory. */
struct ft_target *targets_slot(struct ft_targets *t);

/* Record that a matched function is skipped. 0 or -ENOMEM. */
int targets_skip(struct ft_targets *t, const char *label, const char *why,
		 const char *kind);

/* Mark target i dropped (it cannot be traced), recording why. 0 or -ENOMEM. */
int targets_drop(struct ft_targets *t, size_t i, const char *why, const char *kind);

/* A process that can be traced: exists, not a zombie; for user mode not a
 * kernel thread either. -ESRCH/-EINVAL with a message. */
int resolve_pid_check(pid_t pid, bool user, struct ft_err *err);

/* t probes the same place as a target already in out */
bool resolve_is_duplicate(const struct ft_targets *out, const struct ft_target *t);

/* /proc/PID/maps, one line */
struct procmap {
	uint64_t start, end, offset, inode;
	unsigned int dev_major, dev_minor;
	char perms[5];
	const char *path;	/* points into the line; "" when anonymous */
};

/* Parse one maps line (NUL-terminated, no newline). 0 or -EINVAL. */
int procmap_parse(char *line, struct procmap *m);

#endif
