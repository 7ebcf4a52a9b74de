/* SPDX-License-Identifier: MIT */
/* --cgroup PATH: the cgroup v2 directory whose tasks (and those of the
 * cgroups below it) are traced, filtered in the kernel (src/cgroup.bpf.h). */
#ifndef FTRACE_CGROUP_H
#define FTRACE_CGROUP_H

struct ft_err;
struct ft_bpf;
struct ft_loader;

/* Open the cgroup: PATH as given, or under /sys/fs/cgroup when relative
 * and not found. The fd, or -errno with one line in err. */
int cgroup_open(const char *path, struct ft_err *err);

/* Put the cgroup fd in the object's cgroup_filter map. */
int cgroup_filter_set(const struct ft_loader *l, struct ft_bpf *b, int fd,
		      struct ft_err *err);

#endif
