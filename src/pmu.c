// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmu.h"
#include "err.h"
#include "sys.h"

static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	return 0;
}

int pmu_read(const char *sysfs, const char *name, struct ft_pmu *pmu)
{
	char path[256], buf[64];
	int ret;

	snprintf(path, sizeof(path), "%s/bus/event_source/devices/%s/type", sysfs, name);
	ret = read_small(path, buf, sizeof(buf));
	if (ret)
		return ret == -ENOENT ? -ENOENT : ret;
	pmu->type = atoi(buf);
	snprintf(path, sizeof(path), "%s/bus/event_source/devices/%s/format/retprobe",
		 sysfs, name);
	ret = read_small(path, buf, sizeof(buf));
	/* "config:0" */
	if (ret || strncmp(buf, "config:", 7))
		return -EINVAL;
	pmu->retprobe_bit = atoi(buf + 7);
	if (pmu->type <= 0 || pmu->retprobe_bit < 0 || pmu->retprobe_bit > 63)
		return -EINVAL;
	return 0;
}

int probe_open(const struct ft_pmu *pmu, const struct ft_probe *p,
	       struct ft_err *err)
{
	struct perf_event_attr attr;
	int pid = -1, cpu = 0, fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu->type;
	attr.config = p->ret ? 1ULL << pmu->retprobe_bit : 0;
	attr.config1 = (uint64_t)(uintptr_t)p->path;	/* path or symbol */
	attr.config2 = p->offset;
	if (p->kind == FT_PROBE_UPROBE && p->pid > 0) {
		/* armed only in that process */
		pid = p->pid;
		cpu = -1;
	}
	fd = sys_perf_event_open(&attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return ft_errf(err, fd, "%s", probe_strerror(p, fd));
	return fd;
}

const char *probe_strerror(const struct ft_probe *p, int err)
{
	bool user = p->kind == FT_PROBE_UPROBE;

	switch (-err) {
	case EPERM:
	case EACCES:
		return "permission denied: run as root (or with CAP_BPF and CAP_PERFMON)";
	case ENOENT:
		return user ? "file not found" : "no such kernel symbol";
	case ESRCH:
		return "no such process";
	case EINVAL:
		if (user)
			return "the kernel refused this offset (not an instruction boundary?)";
		/* riscv64 6.12 (Debian): ftrace patches every entry, and kprobes
		 * there need CONFIG_KPROBES_ON_FTRACE */
		if (!p->offset && p->path)
			return "the kernel cannot probe this function's entry (not "
			       "probeable; kernels without CONFIG_KPROBES_ON_FTRACE refuse "
			       "entries that ftrace patches: try --mechanism fentry, or for a "
			       "syscall --mechanism tracepoint)";
		return "the kernel cannot probe here (not a function boundary, or not probeable)";
	case EILSEQ:
		return "the kernel refused this address (not an instruction boundary)";
	case ENOTSUPP_LINUX:
	case EOPNOTSUPP:
		return "the kernel cannot probe this instruction";
	case EMFILE:
	case ENFILE:
		return "too many open files (raise the limit with ulimit -n)";
	case EBUSY:
		return "the kernel refused the probe: address busy";
	default:
		return strerror(-err);
	}
}
