// SPDX-License-Identifier: MIT
/* The built-in loader: creates the object's maps, points its map references
 * at them, loads the programs through bpf(2) and attaches them to perf
 * events by fd. No libbpf, no BTF needed in the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pmu.h"
#include "bpfobj.h"
#include "btf.h"
#include "err.h"
#include "loader.h"
#include "mech.h"
#include "readfile.h"
#include "sys.h"

#define LOG_SIZE (4u << 20)
#define BPF_PSEUDO_MAP_FD_ 1

struct ft_link {
	int perf_fd;		/* perf event, or the fentry program copy */
	int link_fd;
};

struct ft_bpf {
	struct bpfobj obj;
	int *map_fds;
	int *prog_fds;
	struct ft_link *links;
	size_t nlinks, links_cap;
	struct ft_pmu upmu, kpmu;
	int upmu_err, kpmu_err;
	char *log;		/* verifier logs, one program after another */
	size_t log_used;
	char *vmlinux;		/* kernel BTF, read on first fentry attach */
	size_t vmlinux_sz;
	struct btf kbtf;
	int kbtf_err;
	int raw_tp_fds[2];	/* raw tracepoints (thread exit), -1: none */
	bool no_cookie;		/* Linux before 5.15: no bpf_get_attach_cookie,
				 * no perf-event BPF links; a program copy per
				 * probe instead, its cookie built in */
};

static const char *map_type_name(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_RINGBUF:
		return "ring buffer (Linux 5.8+)";
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return "per-CPU array";
	case BPF_MAP_TYPE_PERCPU_HASH:
		return "per-CPU hash";
	case BPF_MAP_TYPE_LRU_HASH:
		return "LRU hash";
	case BPF_MAP_TYPE_HASH:
		return "hash";
	case BPF_MAP_TYPE_STACK_TRACE:
		return "stack trace";
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return "perf event array";
	default:
		return "array";
	}
}

static int create_maps(struct ft_bpf *b, const struct ft_load_opts *o,
		       struct ft_err *err)
{
	for (size_t i = 0; i < b->obj.nmaps; i++) {
		const struct bpfobj_map *m = &b->obj.maps[i];
		uint32_t max = m->max_entries;
		int fd;

		if (!strcmp(m->name, "events") && o->ringbuf_bytes)
			max = o->ringbuf_bytes;
		else if (!strcmp(m->name, "targets") && o->max_targets)
			max = o->max_targets;
		else if (!strcmp(m->name, "agg") && o->agg_entries)
			max = o->agg_entries;
		else if (!strcmp(m->name, "agg_tgt") && o->agg_tgt_entries)
			max = o->agg_tgt_entries;
		else if (!strcmp(m->name, "held") && o->held_entries)
			max = o->held_entries;
		else if ((!strcmp(m->name, "stackmap") || !strcmp(m->name, "stack_keys")) &&
			 o->stack_entries)
			max = o->stack_entries;
		if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !max) {
			int n = sys_possible_cpus();	/* a slot per CPU */

			if (n <= 0)
				return ft_errf(err, n ? n : -EIO, "cannot count "
					       "possible CPUs");
			max = (uint32_t)n;
		}
		if (!strcmp(m->name, "out_mode"))
			fd = bpf_map_const_u32(m->name, o->flight);
		else
			fd = bpf_map_create(m->type, m->name, m->key_size,
					    m->value_size, max, m->flags);
		if (fd < 0) {
			if (fd == -EPERM || fd == -EACCES)
				return ft_errf(err, fd, "permission denied creating BPF maps: "
					       "run as root (or with CAP_BPF and CAP_PERFMON)");
			if (fd == -EMFILE || fd == -ENFILE)
				return ft_errf(err, fd, "cannot create BPF map %s: too many "
					       "open files (raise the limit with ulimit -n)",
					       m->name);
			if (fd == -EINVAL && m->type == BPF_MAP_TYPE_RINGBUF)
				return ft_errf(err, fd, "the kernel lacks BPF ring buffers "
					       "(Linux 5.8+) or refused size %u", max);
			return ft_errf(err, fd, "cannot create BPF %s map %s: %s",
				       map_type_name(m->type), m->name, strerror(-fd));
		}
		b->map_fds[i] = fd;
	}
	return 0;
}

static bool prog_is_probe(const char *sec)
{
	return !strcmp(sec, "uprobe") || !strcmp(sec, "uretprobe") ||
	       !strcmp(sec, "kprobe") || !strcmp(sec, "kretprobe");
}

/* uprobe.multi, kprobe.multi, ...: the expected attach type, or 0 when
 * sec is not a multi-probe section or o did not ask for it */
static uint32_t multi_attach_type(const char *sec, unsigned int want)
{
	const char *dot = strchr(sec, '.');

	if (!dot || strcmp(dot, ".multi"))
		return 0;
	if (!strncmp(sec, "uprobe", 6) || !strncmp(sec, "uretprobe", 9))
		return want & FT_LOAD_UMULTI ? MECH_ATTACH_UPROBE_MULTI : 0;
	return want & FT_LOAD_KMULTI ? MECH_ATTACH_KPROBE_MULTI : 0;
}

struct prog_target {
	uint32_t type;		/* BPF_PROG_TYPE_* */
	uint32_t attach_type;	/* expected_attach_type */
	uint32_t btf_id;	/* attach_btf_id in vmlinux */
	bool builtin_cookie;	/* replace bpf_get_attach_cookie() by cookie */
	uint64_t cookie;
};

#define INSN_CALL	0x85	/* BPF_JMP | BPF_CALL */
#define INSN_MOV64_IMM	0xb7	/* BPF_ALU64 | BPF_MOV | BPF_K */

static bool is_cookie_call(const struct bpf_insn_raw *in)
{
	return in->code == INSN_CALL && !(in->regs >> 4) &&
	       in->imm == SYS_HELPER_ATTACH_COOKIE;
}

static bool uses_cookie(const struct bpfobj_prog *p)
{
	for (size_t i = 0; i < p->ninsns; i++)
		if (is_cookie_call(&p->insns[i]))
			return true;
	return false;
}

/* Before Linux 5.15 a program cannot read its attach cookie: each copy
 * gets it as a constant, r0 = cookie where the helper was called. */
static void build_in_cookie(struct bpf_insn_raw *insns, size_t n, uint64_t cookie)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_cookie_call(&insns[i]))
			continue;
		insns[i].code = INSN_MOV64_IMM;
		insns[i].regs = 0;	/* dst r0 */
		insns[i].off = 0;
		insns[i].imm = (int32_t)cookie;
	}
}

static int load_prog(struct ft_bpf *b, const struct bpfobj_prog *p,
		     const struct prog_target *pt, int log_level, struct ft_err *err)
{
	size_t sz = p->ninsns * sizeof(*p->insns);
	struct bpf_insn_raw *insns = malloc(sz);
	char *log = b->log + b->log_used;
	size_t log_room = LOG_SIZE - b->log_used;
	union bpf_attr a;
	int fd, n;

	if (!insns)
		return -ENOMEM;
	memcpy(insns, p->insns, sz);
	for (size_t i = 0; i < p->nrelocs; i++) {
		struct bpf_insn_raw *in = &insns[p->relocs[i].insn];

		in->regs = (in->regs & 0x0f) | (BPF_PSEUDO_MAP_FD_ << 4);
		in->imm = b->map_fds[p->relocs[i].map];
	}
	if (pt->builtin_cookie)
		build_in_cookie(insns, p->ninsns, pt->cookie);
	memset(&a, 0, sizeof(a));
	a.prog_type = pt->type;
	a.expected_attach_type = pt->attach_type;
	a.attach_btf_id = pt->btf_id;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = p->ninsns;
	a.license = (uint64_t)(uintptr_t)b->obj.license;
	a.kern_version = sys_kernel_version();
	memcpy(a.prog_name, p->name, strnlen(p->name, sizeof(a.prog_name) - 1));
	/* each program's log starts with its name */
	n = snprintf(log, log_room, "%s:\n", p->name);
	if (n < 0 || (size_t)n >= log_room / 2) {
		free(insns);
		return ft_errf(err, -ENOSPC, "verifier log buffer full");
	}
	if (log_level) {
		/* BPF_LOG_STATS (4), with BPF_LOG_LEVEL1 (1) for everything */
		a.log_level = log_level > 1 ? 1 | 4 : 4;
		a.log_buf = (uint64_t)(uintptr_t)(log + n);
		a.log_size = (uint32_t)(log_room - (size_t)n);
	}
	fd = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0 && log_level < 2 && fd != -EPERM) {
		/* load again for the verifier's explanation */
		a.log_level = 1;
		a.log_buf = (uint64_t)(uintptr_t)(log + n);
		a.log_size = (uint32_t)(log_room - (size_t)n);
		fd = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	}
	free(insns);
	if (fd >= 0 && log_level)
		b->log_used += strlen(log);
	else
		log[0] = 0;	/* keep only what -v asked for */
	if (fd == -EMFILE || fd == -ENFILE)
		return ft_errf(err, fd, "cannot load BPF program %s: too many open files "
			       "(raise the limit with ulimit -n)", p->name);
	/* EACCES with a verifier log is the verifier's refusal */
	if (fd == -EPERM || (fd == -EACCES && !log[n]))
		return ft_errf(err, fd, "permission denied loading BPF programs: "
			       "run as root (or with CAP_BPF and CAP_PERFMON)");
	if (fd < 0)
		return ft_errf(err, fd, "the kernel refused BPF program %s (%s); "
			       "verifier log:\n%s", p->name, strerror(-fd), log + n);
	return fd;
}

/* raw_tp/NAME programs (per-thread state cleanup) are attached with the
 * object: they watch threads, not targets */
static int attach_raw_tps(struct ft_bpf *b, struct ft_err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < b->obj.nprogs; i++) {
		const char *sec = b->obj.progs[i].sec;
		union bpf_attr a;
		int fd;

		if (strncmp(sec, "raw_tp/", 7) || b->prog_fds[i] < 0)
			continue;
		if (n == 2)
			return ft_errf(err, -E2BIG, "too many raw tracepoint programs");
		memset(&a, 0, sizeof(a));
		a.raw_tracepoint.name = (uint64_t)(uintptr_t)(sec + 7);
		a.raw_tracepoint.prog_fd = (uint32_t)b->prog_fds[i];
		fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a));
		if (fd < 0)
			return ft_errf(err, fd, "cannot attach to the raw tracepoint %s: %s",
				       sec + 7, fd == -EMFILE ? "too many open files (raise "
				       "the limit with ulimit -n)" : strerror(-fd));
		b->raw_tp_fds[n++] = fd;
	}
	return 0;
}

static int builtin_load(const struct ft_load_opts *o, struct ft_bpf **out,
			struct ft_err *err)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct ft_bpf *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	/* kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK */
	setrlimit(RLIMIT_MEMLOCK, &rl);
	b->log = calloc(1, LOG_SIZE);
	b->no_cookie = sys_bpf_has_cookie() == 0;
	ret = b->log ? bpfobj_parse(o->obj, o->obj_sz, &b->obj, err) : -ENOMEM;
	if (ret)
		goto fail;
	b->map_fds = malloc(b->obj.nmaps * sizeof(int) + 1);
	b->prog_fds = malloc(b->obj.nprogs * sizeof(int) + 1);
	if (!b->map_fds || !b->prog_fds) {
		ret = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < b->obj.nmaps; i++)
		b->map_fds[i] = -1;
	for (size_t i = 0; i < b->obj.nprogs; i++)
		b->prog_fds[i] = -1;
	ret = create_maps(b, o, err);
	for (size_t i = 0; i < 2; i++)
		b->raw_tp_fds[i] = -1;
	for (size_t i = 0; !ret && i < b->obj.nprogs; i++) {
		struct prog_target pt = { .type = BPF_PROG_TYPE_KPROBE };
		const char *sec = b->obj.progs[i].sec;

		if (b->no_cookie && uses_cookie(&b->obj.progs[i]))
			continue;	/* loaded per probe (attach_copy) */
		if (strchr(sec, '.')) {
			/* multi-probe programs: optional, a kernel that
			 * refuses them gets perf-event probes instead */
			struct ft_err ignored;

			pt.attach_type = multi_attach_type(sec, o->multi);
			if (pt.attach_type)
				b->prog_fds[i] = load_prog(b, &b->obj.progs[i], &pt, 0,
							   &ignored);
			continue;
		}
		if (!strncmp(b->obj.progs[i].sec, "raw_tp/", 7)) {
			pt.type = BPF_PROG_TYPE_RAW_TRACEPOINT;
		} else if (!strncmp(b->obj.progs[i].sec, "tracepoint/", 11)) {
			if (!o->tracepoints)
				continue;	/* only -f needs them */
			pt.type = BPF_PROG_TYPE_TRACEPOINT;
		} else if (!prog_is_probe(b->obj.progs[i].sec))
			continue;	/* fentry/fexit: loaded per target */
		ret = load_prog(b, &b->obj.progs[i], &pt, o->log_level, err);
		if (ret >= 0) {
			b->prog_fds[i] = ret;
			ret = 0;
		}
	}
	if (!ret)
		ret = attach_raw_tps(b, err);
	if (ret)
		goto fail;
	b->upmu_err = pmu_read("/sys", "uprobe", &b->upmu);
	b->kpmu_err = pmu_read("/sys", "kprobe", &b->kpmu);
	*out = b;
	return 0;
fail:
	ft_loader_builtin.destroy(b);
	return ret;
}

static int builtin_map_fd(struct ft_bpf *b, const char *name)
{
	for (size_t i = 0; i < b->obj.nmaps; i++)
		if (!strcmp(b->obj.maps[i].name, name))
			return b->map_fds[i];
	return -ENOENT;
}

static const char *builtin_log(struct ft_bpf *b)
{
	return b->log ? b->log : "";
}

static int builtin_prog_fd(struct ft_bpf *b, const char *name)
{
	for (size_t i = 0; i < b->obj.nprogs; i++)
		if (!strcmp(b->obj.progs[i].name, name))
			return b->prog_fds[i] >= 0 ? b->prog_fds[i] : -ENOENT;
	return -ENOENT;
}

static int prog_fd_for(struct ft_bpf *b, const struct ft_probe *p)
{
	const char *sec = p->ret ? (p->kind == FT_PROBE_UPROBE ? "uretprobe" : "kretprobe")
				 : (p->kind == FT_PROBE_UPROBE ? "uprobe" : "kprobe");
	const char *alt = p->ret ? "uretprobe" : "uprobe";

	/* a kprobe may run the uprobe program: same program type */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < b->obj.nprogs; i++)
			if (!strcmp(b->obj.progs[i].sec, pass ? alt : sec))
				return b->prog_fds[i];
	return -ENOENT;
}

static int kernel_btf(struct ft_bpf *b, struct ft_err *err)
{
	if (!b->vmlinux && !b->kbtf_err) {
		b->kbtf_err = read_whole_file("/sys/kernel/btf/vmlinux", 1u << 30,
					      &b->vmlinux, &b->vmlinux_sz);
		if (!b->kbtf_err)
			b->kbtf_err = btf_parse((const uint8_t *)b->vmlinux, b->vmlinux_sz,
					       &b->kbtf);
	}
	if (b->kbtf_err == -ENOENT)
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no BTF "
			       "(/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF): fentry "
			       "needs it");
	if (b->kbtf_err)
		return ft_errf(err, b->kbtf_err, "cannot read the kernel's BTF: %s",
			       strerror(-b->kbtf_err));
	return 0;
}

static int add_link(struct ft_bpf *b, int pfd, int lfd)
{
	if (b->nlinks == b->links_cap) {
		size_t cap = b->links_cap ? 2 * b->links_cap : 16;
		struct ft_link *n = realloc(b->links, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		b->links = n;
		b->links_cap = cap;
	}
	b->links[b->nlinks].perf_fd = pfd;
	b->links[b->nlinks].link_fd = lfd;
	b->nlinks++;
	return 0;
}

static int attach_fentry(struct ft_bpf *b, const struct ft_probe *p,
			 struct ft_err *err)
{
	const struct bpfobj_prog *prog = bpfobj_prog(&b->obj, p->ret ? "ft_fexit" : "ft_fentry");
	struct prog_target pt = {
		.type = BPF_PROG_TYPE_TRACING,
		.attach_type = p->ret ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY,
	};
	union bpf_attr a;
	uint32_t nargs;
	int id, pfd, lfd, ret;

	if (!prog)
		return ft_errf(err, -ENOENT, "BPF object has no fentry/fexit program");
	ret = kernel_btf(b, err);
	if (ret)
		return ret;
	id = btf_find_func(&b->kbtf, p->path, &nargs);
	if (id < 0)
		return ft_errf(err, -ENOENT, "%s has no BTF description (inlined, "
			       "static or not traceable): fentry cannot attach", p->path);
	pt.btf_id = (uint32_t)id;
	pfd = load_prog(b, prog, &pt, 0, err);
	if (pfd == -EPERM || pfd == -EACCES)
		return ft_errf(err, pfd, "the kernel refused the fentry/fexit program "
			       "(permission denied: kernel lockdown, or missing CAP_BPF, "
			       "CAP_PERFMON and CAP_SYS_ADMIN)");
	if (pfd == -EINVAL || pfd == -ENOTSUPP_LINUX)
		return ft_errf(err, pfd, "the kernel cannot attach fentry/fexit here "
			       "(no BPF trampoline support, or %s is not traceable; "
			       "needs Linux 5.17+)", p->path);
	if (pfd < 0)
		return pfd;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = pfd;
	a.link_create.attach_type = pt.attach_type;
	a.link_create.tracing.cookie = p->cookie;
	lfd = sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
	if (lfd < 0) {
		close(pfd);
		return ft_errf(err, lfd, "cannot link the fentry/fexit program to %s: %s "
			       "(cookies on fentry links need Linux 6.0+)", p->path,
			       strerror(-lfd));
	}
	ret = add_link(b, pfd, lfd);
	if (ret) {
		close(lfd);
		close(pfd);
	}
	return ret;
}

/* a tracepoint's perf event: on CPU 0, yet the program runs on every CPU
 * (the program hangs off the tracepoint, not the event) */
/* PERF_EVENT_IOC_SET_BPF, and a duplicate of prog for the link slot */
static int set_bpf_dup(int pfd, int prog)
{
	int fd;

	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog))
		return -errno;
	fd = fcntl(prog, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int attach_tracepoint(struct ft_bpf *b, const struct ft_probe *p,
			     struct ft_err *err)
{
	struct perf_event_attr attr;
	int prog = -ENOENT, pfd, lfd, ret;

	for (size_t i = 0; i < b->obj.nprogs; i++)
		if (!strcmp(b->obj.progs[i].name, p->prog))
			prog = b->prog_fds[i];
	if (prog < 0)
		return ft_errf(err, -ENOENT, "BPF object has no program %s", p->prog);
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = p->offset;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	pfd = sys_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return ft_errf(err, pfd, "perf_event_open: %s", strerror(-pfd));
	/* before 5.15 no perf-event links: the perf event holds the program
	 * (the link slot then holds a duplicate of the program fd) */
	if (b->no_cookie)
		lfd = set_bpf_dup(pfd, prog);
	else
		lfd = bpf_link_perf_event(prog, pfd, 0);
	if (lfd < 0) {
		close(pfd);
		return ft_errf(err, lfd, "cannot link the BPF program: %s", strerror(-lfd));
	}
	ret = add_link(b, pfd, lfd);
	if (ret) {
		close(lfd);
		close(pfd);
	}
	return ret;
}

/* No cookies (before Linux 5.15): a copy of the probe's program with the
 * cookie built in, attached to the perf event by ioctl (no BPF links yet
 * either). Closing the perf event detaches it, as with a link. */
static int attach_copy(struct ft_bpf *b, const struct ft_pmu *pmu,
		       const struct ft_probe *p, struct ft_err *err)
{
	const char *sec = p->ret ? (p->kind == FT_PROBE_UPROBE ? "uretprobe" : "kretprobe")
				 : (p->kind == FT_PROBE_UPROBE ? "uprobe" : "kprobe");
	const char *alt = p->ret ? "uretprobe" : "uprobe";
	struct prog_target pt = { .type = BPF_PROG_TYPE_KPROBE, .builtin_cookie = true,
				  .cookie = p->cookie };
	const struct bpfobj_prog *prog = NULL;
	int pfd, fd, ret;

	for (int pass = 0; pass < 2 && !prog; pass++)
		for (size_t i = 0; i < b->obj.nprogs && !prog; i++)
			if (!strcmp(b->obj.progs[i].sec, pass ? alt : sec))
				prog = &b->obj.progs[i];
	if (!prog)
		return ft_errf(err, -ENOENT, "BPF object has no program for this probe");
	fd = load_prog(b, prog, &pt, 0, err);
	if (fd < 0)
		return fd;
	pfd = probe_open(pmu, p, err);
	if (pfd < 0) {
		close(fd);
		return pfd;
	}
	ret = ioctl(pfd, PERF_EVENT_IOC_SET_BPF, fd) ? -errno : 0;
	if (!ret)
		ret = add_link(b, pfd, fd);
	if (ret) {
		close(pfd);
		close(fd);
		return ft_errf(err, ret, "cannot attach the BPF program: %s",
			       probe_strerror(p, ret));
	}
	return 0;
}

static int builtin_attach(struct ft_bpf *b, const struct ft_probe *p,
			  struct ft_err *err)
{
	bool user = p->kind == FT_PROBE_UPROBE;
	const struct ft_pmu *pmu = user ? &b->upmu : &b->kpmu;
	int pmu_err = user ? b->upmu_err : b->kpmu_err;
	int prog, pfd, lfd, ret;

	if (p->kind == FT_PROBE_FENTRY)
		return attach_fentry(b, p, err);
	if (p->kind == FT_PROBE_TRACEPOINT)
		return attach_tracepoint(b, p, err);
	prog = prog_fd_for(b, p);
	if (pmu_err)
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no %s PMU "
			       "(CONFIG_%s_EVENTS off?)", user ? "uprobe" : "kprobe",
			       user ? "UPROBE" : "KPROBE");
	if (b->no_cookie)
		return attach_copy(b, pmu, p, err);
	if (prog < 0)
		return ft_errf(err, -ENOENT, "BPF object has no program for this probe");
	pfd = probe_open(pmu, p, err);
	if (pfd < 0)
		return pfd;
	lfd = bpf_link_perf_event(prog, pfd, p->cookie);
	if (lfd < 0) {
		close(pfd);
		if (lfd == -EINVAL)
			return ft_errf(err, lfd, "the kernel cannot link BPF programs to "
				       "perf events with a cookie (needs Linux 5.15+)");
		return ft_errf(err, lfd, "cannot link the BPF program: %s",
			       probe_strerror(p, lfd));
	}
	ret = add_link(b, pfd, lfd);
	if (ret) {
		close(lfd);
		close(pfd);
	}
	return ret;
}

static int builtin_keep_fd(struct ft_bpf *b, int fd)
{
	int ret = add_link(b, -1, fd);

	if (ret)
		close(fd);
	return ret;
}

static size_t builtin_mark(struct ft_bpf *b)
{
	return b->nlinks;
}

static void builtin_rollback(struct ft_bpf *b, size_t mark)
{
	for (size_t i = mark; i < b->nlinks; i++) {
		close(b->links[i].link_fd);
		if (b->links[i].perf_fd >= 0)
			close(b->links[i].perf_fd);
	}
	if (mark < b->nlinks)
		b->nlinks = mark;
}

static void builtin_detach(struct ft_bpf *b)
{
	builtin_rollback(b, 0);
}

static void builtin_destroy(struct ft_bpf *b)
{
	if (!b)
		return;
	builtin_detach(b);
	for (size_t i = 0; i < 2; i++)
		if (b->raw_tp_fds[i] > 0)
			close(b->raw_tp_fds[i]);
	for (size_t i = 0; b->prog_fds && i < b->obj.nprogs; i++)
		if (b->prog_fds[i] >= 0)
			close(b->prog_fds[i]);
	for (size_t i = 0; b->map_fds && i < b->obj.nmaps; i++)
		if (b->map_fds[i] >= 0)
			close(b->map_fds[i]);
	free(b->links);
	free(b->prog_fds);
	free(b->map_fds);
	free(b->log);
	btf_free(&b->kbtf);
	free(b->vmlinux);
	bpfobj_free(&b->obj);
	free(b);
}

static const char *builtin_describe(struct ft_bpf *b)
{
	return b->no_cookie ? "the built-in loader; this kernel has no BPF cookies "
			      "(Linux 5.15+): one program copy per probe, its target "
			      "built in, attached by ioctl" : "the built-in loader";
}

const struct ft_loader ft_loader_builtin = {
	.name = "builtin",
	.load = builtin_load,
	.map_fd = builtin_map_fd,
	.log = builtin_log,
	.attach = builtin_attach,
	.prog_fd = builtin_prog_fd,
	.keep_fd = builtin_keep_fd,
	.mark = builtin_mark,
	.rollback = builtin_rollback,
	.detach = builtin_detach,
	.destroy = builtin_destroy,
	.describe = builtin_describe,
};
