/* SPDX-License-Identifier: MIT */
/* --cgroup PATH: the cgroup v2 directory whose tasks (and those of the
 * cgroups below it) are traced, filtered in the kernel (src/cgroup.bpf.h). */
#ifndef FTRACE_CGROUP_H
#define FTRACE_CGROUP_H

#include <stddef.h>

struct ft_err;
struct ft_bpf;
struct ft_loader;

/* Where cgroup2 is mounted (/sys/fs/cgroup, or .../unified on hybrid
 * systems), from /proc/self/mounts. 0 or -ENOENT. */
int cgroup2_mount(char *buf, size_t len);

/* Open the cgroup: PATH as given, or under the cgroup2 mount when relative
 * and not found. The fd, or -errno with one line in err. */
int cgroup_open(const char *path, struct ft_err *err);

/* Put the cgroup fd in the object's cgroup_filter map. */
int cgroup_filter_set(const struct ft_loader *l, struct ft_bpf *b, int fd,
		      struct ft_err *err);

#endif
