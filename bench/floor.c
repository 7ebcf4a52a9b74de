// SPDX-License-Identifier: MIT
/* The kernel's floor for ftrace's benchmark: an empty BPF program (r0 = 0;
 * exit) on a uprobe and a uretprobe at FILE:OFFSET, linked by fd exactly as
 * ftrace links its own, so the difference to ftrace is what ftrace's program
 * and its consumer cost.
 *
 *   floor [-m] [-p PID] FILE OFFSET
 *
 * -m: through uprobe_multi links (Linux 6.6+), as ftrace attaches by
 * default where the kernel has them; perf-event uprobes when it has not.
 *
 * Prints "attached" on stderr once both probes are live, then waits for
 * SIGINT or SIGTERM. Everything is fd-based: nothing outlives the process. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmu.h"
#include "err.h"
#include "sys.h"

static int load_empty_prog(uint32_t attach_type)
{
	static const struct bpf_insn insns[] = {
		/* r0 = 0 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		/* exit */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char license[] = "GPL";
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_KPROBE;
	a.expected_attach_type = attach_type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (uint64_t)(uintptr_t)license;
	a.kern_version = sys_kernel_version();
	memcpy(a.prog_name, "ft_floor", sizeof("ft_floor"));
	return sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
}

static int usage(void)
{
	fputs("usage: floor [-m] [-p PID] FILE OFFSET\n", stderr);
	return 2;
}

/* link_create.uprobe_multi, laid out as in src/mech_uprobe_multi.c */
struct umulti {
	uint64_t path, offsets, ref_ctr_offsets, cookies;
	uint32_t cnt, flags, pid;
};

/* entry and return uprobe_multi links; -errno when the kernel has none */
static int attach_multi(const struct ft_probe *p)
{
	int prog = load_empty_prog(48 /* BPF_TRACE_UPROBE_MULTI */);
	uint64_t off = p->offset;

	if (prog < 0)
		return prog;
	for (uint32_t r = 0; r <= 1; r++) {
		struct umulti m = { .path = (uint64_t)(uintptr_t)p->path,
				    .offsets = (uint64_t)(uintptr_t)&off, .cnt = 1,
				    .flags = r, .pid = p->pid > 0 ? (uint32_t)p->pid : 0 };
		union bpf_attr a;
		int fd;

		memset(&a, 0, sizeof(a));
		a.link_create.prog_fd = (uint32_t)prog;
		a.link_create.attach_type = 48;
		memcpy((char *)&a + 16, &m, sizeof(m));
		fd = sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
		if (fd < 0)
			return fd;	/* fds stay open until exit */
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ft_probe p = { .kind = FT_PROBE_UPROBE, .pid = -1 };
	struct ft_err err = { "" };
	struct ft_pmu pmu;
	sigset_t set;
	char *end;
	int prog, i = 1, sig, ret;

	bool multi = argc > 1 && !strcmp(argv[1], "-m");

	i += multi;
	if (argc > i + 1 && !strcmp(argv[i], "-p")) {
		p.pid = (pid_t)strtol(argv[i + 1], &end, 10);
		if (*end || p.pid <= 0)
			return usage();
		i += 2;
	}
	if (argc - i != 2)
		return usage();
	p.path = argv[i];
	errno = 0;
	p.offset = strtoull(argv[i + 1], &end, 0);
	if (errno || *end || end == argv[i + 1])
		return usage();

	/* block before announcing, so an early signal is not lost */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return 1;

	if (multi && !attach_multi(&p)) {
		fputs("attached (uprobe_multi)\n", stderr);
		if (sigwait(&set, &sig))
			return 1;
		return 0;
	}
	ret = pmu_read("/sys", "uprobe", &pmu);
	if (ret) {
		fprintf(stderr, "floor: no uprobe PMU: %s\n", strerror(-ret));
		return 1;
	}
	prog = load_empty_prog(0);
	if (prog < 0) {
		fprintf(stderr, "floor: BPF_PROG_LOAD: %s\n", strerror(-prog));
		return 1;
	}
	for (int r = 0; r <= 1; r++) {
		int pfd, lfd;

		p.ret = r;
		pfd = probe_open(&pmu, &p, &err);
		if (pfd < 0) {
			fprintf(stderr, "floor: %s probe: %s\n", r ? "return" : "entry",
				err.msg);
			return 1;
		}
		lfd = bpf_link_perf_event(prog, pfd, r);
		if (lfd < 0) {
			fprintf(stderr, "floor: link: %s\n", probe_strerror(&p, lfd));
			return 1;
		}
		/* pfd and lfd stay open until exit */
	}
	fputs("attached\n", stderr);
	if (sigwait(&set, &sig))
		return 1;
	return 0;
}
