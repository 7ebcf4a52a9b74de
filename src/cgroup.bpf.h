/* SPDX-License-Identifier: GPL-2.0 */
/* --cgroup: only tasks in one cgroup (v2) or below it. Included by
 * probe.bpf.c before want_current(). User space puts the cgroup directory's
 * fd at index 0; with nothing there the helper says -EAGAIN and every task
 * passes. Only in the blob built with -DFT_CGROUP (probe-cgroup.bpf.o):
 * kernels without CONFIG_CGROUPS have no cgroup array and must still load
 * the other one. */
#ifndef FTRACE_CGROUP_BPF_H
#define FTRACE_CGROUP_BPF_H

#ifndef FT_CGROUP
static __always_inline int cgroup_ok(void)
{
	return 1;
}
#else

#define BPF_MAP_TYPE_CGROUP_ARRAY	8

static long (*bpf_current_task_under_cgroup)(void *map, __u32 index) = (void *)37;

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

/* 0: current is outside the --cgroup */
static __always_inline int cgroup_ok(void)
{
	return bpf_current_task_under_cgroup(&cgroup_filter, 0) != 0;
}
#endif

#endif
