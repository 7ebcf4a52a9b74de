/* SPDX-License-Identifier: MIT */
/* Thin wrappers over bpf(2) and perf_event_open(2). */
#ifndef FTRACE_SYS_H
#define FTRACE_SYS_H

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* All return the fd/0 or -errno. */
int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);
int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu,
			int group_fd, unsigned long flags);
int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
		   uint32_t value_size, uint32_t max_entries, uint32_t flags);
int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags);
int bpf_map_lookup(int fd, const void *key, void *value);
/* key NULL: the first key; -ENOENT after the last */
int bpf_map_next_key(int fd, const void *key, void *next);
int bpf_map_delete(int fd, const void *key);
/* A one-entry array of a u32, read-only to BPF programs and frozen: the
 * verifier knows its value (the object's out_mode). fd or -errno. */
int bpf_map_const_u32(const char *name, uint32_t value);
int bpf_link_perf_event(int prog_fd, int perf_fd, uint64_t cookie);
int bpf_obj_info(int fd, void *info, uint32_t len);

/* LINUX_VERSION_CODE of the running kernel (kprobe programs on kernels
 * before 5.0 must carry it), or 0. */
uint32_t sys_kernel_version(void);

/* bpf_get_attach_cookie's helper number */
#define SYS_HELPER_ATTACH_COOKIE	174

/* The kernel has bpf_get_attach_cookie (Linux 5.15+): 1, 0 when not,
 * -errno when that cannot be told (no permission). */
int sys_bpf_has_cookie(void);

/* Number of possible CPUs (per-CPU map values), or -errno. */
int sys_possible_cpus(void);

#endif
