/* SPDX-License-Identifier: MIT */
/* The prototypes of a run: taken off the TARGET words before they are
 * resolved, then given to the resolved targets by function name (a
 * target's own, else a built-in one for libc functions named explicitly),
 * and turned into the targets map's per-target settings. */
#ifndef FTRACE_PROTOSET_H
#define FTRACE_PROTOSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct ft_err;
struct ft_targets;
struct ft_target_cfg;

struct protoset {
	struct ft_proto *user;		/* from the command line */
	size_t nuser;
	const struct ft_proto **by_target;	/* per resolved target, or NULL */
	struct ft_proto *kbtf;		/* kernel BTF's, per target (storage) */
	uint8_t *tflags;		/* per target: FMT_T_* */
	size_t n;
};

/* Parse the prototypes among targets; each such word is replaced by its
 * function name (storage in ps). -EINVAL with one line in err. */
int protoset_split(struct protoset *ps, char **targets, int ntargets,
		   struct ft_err *err);

/* Give each resolved target its prototype; raw: no built-in ones. */
int protoset_assign(struct protoset *ps, const struct ft_targets *t, bool raw);

/* Kernel mode: each target without a prototype that is a kernel
 * function's entry gets its prototype from the kernel's BTF (btf, len: the
 * /sys/kernel/btf/vmlinux blob, NULL when there is none). why (cap bytes)
 * gets one line on the targets left without names, "" when none; it names
 * btf_path. 0 or -ENOMEM. */
int protoset_kernel_btf(struct protoset *ps, const struct ft_targets *t,
			const uint8_t *btf, size_t len, int read_err,
			const char *btf_path, char *why, size_t cap);

/* Target i's settings for the targets map (flags holds FT_T_WRAPPER...).
 * stack: --stack's FT_T_USTACK or FT_T_KSTACK (event stream), 0. by_stack:
 * --by stack, where a user function's entry gets FT_T_ENTRY. */
void protoset_target_cfg(const struct protoset *ps, size_t i, uint32_t stack,
			 bool by_stack, struct ft_target_cfg *tc);

void protoset_free(struct protoset *ps);

#endif
