// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys.h"

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu,
			int group_fd, unsigned long flags)
{
	long ret = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);

	return ret < 0 ? -errno : (int)ret;
}

int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
		   uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key_size;
	a.value_size = value_size;
	a.max_entries = max_entries;
	a.map_flags = flags;
	if (name)
		memcpy(a.map_name, name, strnlen(name, sizeof(a.map_name) - 1));
	return sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));
}

int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr(key);
	a.value = ptr(value);
	a.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
}

int bpf_map_lookup(int fd, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr(key);
	a.value = ptr(value);
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a));
}

int bpf_map_next_key(int fd, const void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr(key);
	a.next_key = ptr(next);
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a));
}

int bpf_map_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr(key);
	return sys_bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a));
}

int bpf_map_const_u32(const char *name, uint32_t value)
{
	uint32_t zero = 0;
	union bpf_attr a;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, 4, 1, BPF_F_RDONLY_PROG);
	int ret = fd < 0 ? fd : bpf_map_update(fd, &zero, &value, 0);

	if (!ret) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		ret = sys_bpf(BPF_MAP_FREEZE, &a, sizeof(a));
	}
	if (ret && fd >= 0)
		close(fd);
	return ret ? ret : fd;
}

int bpf_link_perf_event(int prog_fd, int perf_fd, uint64_t cookie)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog_fd;
	a.link_create.target_fd = perf_fd;
	a.link_create.attach_type = BPF_PERF_EVENT;
	a.link_create.perf_event.bpf_cookie = cookie;
	return sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
}

int bpf_obj_info(int fd, void *info, uint32_t len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = len;
	a.info.info = ptr(info);
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a));
}

/* "0-3,5" style list from sysfs: the highest CPU number + 1. */
int sys_possible_cpus(void)
{
	char buf[256], *p;
	int fd, n, hi = -1;
	ssize_t len;

	fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -EINVAL;
	buf[len] = 0;
	for (p = buf; *p;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (v > hi)
			hi = (int)v;
		p = end;
		if (*p == '-' || *p == ',')
			p++;
	}
	n = hi + 1;
	return n > 0 ? n : -EINVAL;
}

uint32_t sys_kernel_version(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* Can BPF programs read the attach cookie (bpf_get_attach_cookie, Linux
 * 5.15)? A program calling it loads only where the helper exists: 1 yes,
 * 0 no (EINVAL: unknown helper), -errno when loading failed otherwise. */
int sys_bpf_has_cookie(void)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = SYS_HELPER_ATTACH_COOKIE },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char license[] = "GPL";
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_KPROBE;
	a.insns = ptr(insns);
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = ptr(license);
	a.kern_version = sys_kernel_version();
	fd = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return fd == -EINVAL ? 0 : fd;
	close(fd);
	return 1;
}
