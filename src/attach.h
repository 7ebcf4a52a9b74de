/* SPDX-License-Identifier: MIT */
/* The attach stage: every resolved target onto a probe mechanism. A
 * multi-probe mechanism gets each file's targets as one batch; a batch the
 * kernel refuses is split until the targets it refuses are found. Those a
 * pattern matched are skipped and counted; one named explicitly stops the
 * run, with nothing left attached. */
#ifndef FTRACE_ATTACH_H
#define FTRACE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loader.h"
#include "mech.h"

struct ft_err;
struct ft_targets;

struct attach_opts {
	const struct ft_loader *l;
	struct ft_bpf *b;
	const struct ft_mech *mech;	/* the mechanism */
	const struct ft_mech *single;	/* for targets a multi one cannot take
					 * (kernel offsets); == mech if single */
	const struct ft_mech *sys;	/* for syscall targets (t->syscall),
					 * NULL: as the others */
	const struct ft_mech *sys_raw;	/* for those with a syscall number */
	pid_t pid;			/* -1: every process */
	int verbose;
	bool progress;			/* a progress line after 1 s (a tty) */
};

struct attach_report {
	unsigned int probes;		/* entry + return probes */
	unsigned int links;		/* kernel objects holding them */
	size_t targets;			/* targets attached */
};

int attach_targets(const struct attach_opts *o, struct ft_targets *ts,
		   struct attach_report *r, struct ft_err *err);

/* "skipped N of M functions the patterns matched (why: n, ...)" into buf;
 * "" when nothing was skipped. */
void attach_skip_summary(const struct ft_targets *ts, char *buf, size_t len);

#endif
