/* SPDX-License-Identifier: MIT */
/* Probe mechanisms: how targets get into the kernel. One file each, behind
 * struct ft_mech: mech_uprobe.c and mech_kprobe.c (a perf event per probe),
 * mech_uprobe_multi.c and mech_kprobe_multi.c (one BPF link for many
 * probes), mech_fentry.c (BPF trampolines), mech_tracepoint.c and
 * mech_raw_syscalls.c (syscalls through tracepoints). mech.c says which ones this
 * kernel has and picks one; attach.c drives it over the targets. */
#ifndef FTRACE_MECH_H
#define FTRACE_MECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loader.h"

struct ft_err;
struct ft_target;
struct ft_targets;

/* Targets attached in one call: entry probes, or return probes. */
struct mech_batch {
	const struct ft_targets *ts;
	const uint32_t *idx;		/* target indices; cookie = idx << 1 | ret */
	size_t n;
	bool ret;
	pid_t pid;			/* -1: every process */
};

struct ft_mech {
	const char *name;		/* "uprobe_multi" */
	const char *ret_name;		/* "uretprobe_multi" */
	bool kernel;			/* for kernel targets */
	bool multi;			/* one link for a whole batch */
	bool offsets;			/* can probe inside a function */
	/* Does this kernel (and the loaded object) offer it? 0, or -errno
	 * with what is missing. */
	int (*avail)(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err);
	/* Attach the batch: all of it, or nothing of it and -errno with the
	 * reason. */
	int (*attach)(const struct ft_loader *l, struct ft_bpf *b,
		      const struct mech_batch *mb, struct ft_err *err);
	/* optional, multi: the targets a batch may hold (default: by file,
	 * or kernel functions by name) */
	bool (*takes)(const struct ft_target *t);
};

extern const struct ft_mech mech_uprobe;
extern const struct ft_mech mech_uprobe_multi;
extern const struct ft_mech mech_kprobe;
extern const struct ft_mech mech_kprobe_multi;
extern const struct ft_mech mech_fentry;
extern const struct ft_mech mech_tracepoint;
extern const struct ft_mech mech_raw_syscalls;

/* What the kernel offers before anything is loaded (sysfs). */
struct mech_caps {
	bool uprobe_pmu, kprobe_pmu;
	bool btf;			/* /sys/kernel/btf/vmlinux: fentry */
	uint32_t kver;			/* KERNEL_VERSION of the running kernel */
};

/* fentry as ftrace uses it: bpf_get_func_arg (5.17), cookies on tracing
 * links (6.0) */
#define MECH_FENTRY_KVER	(6u << 16)

void mech_caps_read(const char *sysfs, struct mech_caps *c);

/* The mechanism by name, NULL if unknown. */
const struct ft_mech *mech_by_name(const char *name);

/* The single-probe mechanism for kernel or user targets: name (from
 * --mechanism, its single-probe counterpart for a multi one) or the
 * kernel's best (kprobe, else fentry). -EOPNOTSUPP with one line naming
 * what the kernel lacks. */
int mech_base(const struct mech_caps *c, bool kernel, const char *name,
	      const struct ft_mech **out, struct ft_err *err);

/* The multi-probe counterpart of a single one (uprobe -> uprobe_multi,
 * kprobe -> kprobe_multi), NULL if none. */
const struct ft_mech *mech_multi_of(const struct ft_mech *m);

/* Program names in probe.bpf.c a mechanism runs */
#define MECH_PROG_UMULTI_ENTRY	"ft_umulti_entry"
#define MECH_PROG_UMULTI_RET	"ft_umulti_return"
#define MECH_PROG_KMULTI_ENTRY	"ft_kmulti_entry"
#define MECH_PROG_KMULTI_RET	"ft_kmulti_return"

/* For the single-probe mechanisms: each target through the loader's own
 * attach, rolled back on failure. */
int mech_attach_each(const struct ft_loader *l, struct ft_bpf *b,
		     const struct mech_batch *mb, enum ft_probe_kind kind,
		     struct ft_err *err);

/* BPF_LINK_CREATE for the multi-probe mechanisms: the link_create union
 * laid out by hand (Debian 12's headers predate uprobe_multi). */
int mech_link_create(int prog_fd, uint32_t attach_type, const void *multi,
		     size_t multi_sz);

/* BPF program prog on tracepoint id (tracefs) with a cookie; the link
 * is kept by the loader. what names the tracepoint in errors. */
int mech_tp_link(const struct ft_loader *l, struct ft_bpf *b, int prog,
		 uint32_t id, uint64_t cookie, const char *what, struct ft_err *err);

#define MECH_ATTACH_KPROBE_MULTI	42	/* BPF_TRACE_KPROBE_MULTI, 5.18 */
#define MECH_ATTACH_UPROBE_MULTI	48	/* BPF_TRACE_UPROBE_MULTI, 6.6 */

#endif
