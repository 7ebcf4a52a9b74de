// SPDX-License-Identifier: MIT
/* ftrace: entry point. Parses the command line, resolves targets, loads the
 * embedded BPF object, attaches probes, streams events until told to stop,
 * and is the one place that prints errors. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "agg.h"
#include "agg_top.h"
#include "cgroup.h"
#include "cli.h"
#include "err.h"
#include "event.h"
#include "attach.h"
#include "mech.h"
#include "pmu.h"
#include "format.h"
#include "loader.h"
#include "protoset.h"
#include "readfile.h"
#include "resolve.h"
#include "symbolize.h"
#include "sink.h"
#include "sink_top.h"
#include "flight.h"
#include "follow.h"
#include "spawn.h"
#include "syscalls.h"
#include "user.h"
#include "stream.h"
#include "sys.h"

extern const char ftrace_blob[], ftrace_blob_end[];
extern const char ftrace_blob_cgroup[], ftrace_blob_cgroup_end[];

struct session {
	const struct ft_cli *cli;
	const struct ft_mech *base;	/* single-probe mechanism for the mode */
	const struct ft_mech *mech;	/* what attaches: base or its multi */
	const struct ft_loader *loader;
	struct ft_bpf *bpf;
	struct ft_targets targets;
	const char **labels;
	struct fmt_opts fmt;
	struct ft_ring ring;
	int stats_fd;
	int ncpus;
	struct ft_sink *sinks[2];	/* events (text/JSON), --perfetto */
	int nsinks;
	uint64_t *offsets;		/* of each target, for the sinks */
	uint64_t printed;
	uint64_t malformed;		/* records no sink could read */
	uint64_t *percpu;		/* scratch for per-CPU map values */
	uint64_t lost_reported;
	struct timespec last_tick;
	int write_err;
	struct top_sink *top;		/* --top */
	struct top_agg *agg;
	int top_in_fd;
	bool top_quit;
	struct spawn cmd;		/* -c / --: the traced command */
	struct follow_info follow;	/* -f: tracepoint ids and offsets */
	char **cmd_argv;		/* -c's words (allocated) */
	char **cmd_words;		/* the command's argv */
	struct spawn_user cmd_user;	/* -u */
	int cmd_signals;		/* signals to ftrace while it runs */
	int exit_code;			/* -1: ours; else the command's / shell's */
	bool summarize;			/* -s/--stats, --hist: FT_MODE_AGG */
	bool kagg;			/* summaries or --top: FT_MODE_AGG */
	struct agg_top *ktop;		/* --top's rows from the agg map */
	int agg_fd;
	int agg_tgt_fd;			/* -s without --by: a value per target */
	int stackmap_fd;		/* --by stack: the stacks' frames */
	uint64_t stack_scan_ns;		/* --by stack: processes last looked for */
	struct agg_table aggt;
	uint64_t t0_ns, last_report_ns;	/* attach time, last -i report */
	uint64_t calls_counted;		/* in the last report */
	struct protoset protos;		/* prototypes of the targets */
	struct symbolizer *sym;		/* --stack */
	struct sc_table sc;		/* syscall targets' prototypes */
	const struct ft_mech *sys;	/* their mechanism, NULL: none */
	const struct ft_mech *sys_raw;	/* raw_syscalls for those with a number */
	int cgroup_fd;			/* --cgroup */
	struct flight flight;		/* --flight-recorder */
	uint64_t flight_events;		/* records sent, at the last dump */
	uint64_t flight_now;		/* ... at this one */
	int pidfd;			/* the traced process, -1: none */
};

/* every probe and link is a descriptor: use all the kernel allows us */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int fail(const char *msg)
{
	fprintf(stderr, "ftrace: %s\n", msg);
	return 1;
}

/* -p self: the process that started ftrace, looking through sudo/doas */
static pid_t parent_pid(void)
{
	pid_t pp = getppid();
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pp);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		fclose(f);
	}
	comm[strcspn(comm, "\n")] = 0;
	if (!strcmp(comm, "sudo") || !strcmp(comm, "doas")) {
		unsigned long long ppp = 0;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pp);
		f = fopen(path, "re");
		if (f) {
			char buf[512], *p = fgets(buf, sizeof(buf), f);

			p = p ? strrchr(buf, ')') : NULL;
			if (p && sscanf(p, ") %*c %llu", &ppp) == 1 && ppp > 1)
				pp = (pid_t)ppp;
			fclose(f);
		}
	}
	return pp;
}

static int read_stats(struct session *s, uint64_t out[FT_STAT_NR])
{
	memset(out, 0, FT_STAT_NR * sizeof(uint64_t));
	if (!s->percpu)
		return -EINVAL;
	for (uint32_t k = 0; k < FT_STAT_NR; k++) {
		int ret = bpf_map_lookup(s->stats_fd, &k, s->percpu);

		if (ret)
			return ret;
		for (int c = 0; c < s->ncpus; c++)
			out[k] += s->percpu[c];
	}
	return 0;
}

static void report_lost(struct session *s)
{
	uint64_t st[FT_STAT_NR];

	if (read_stats(s, st) || st[FT_STAT_LOST] == s->lost_reported)
		return;
	if (s->cli->flight)
		fprintf(stderr, "ftrace: %llu events lost so far: the flight recorder "
			"was being written\n", (unsigned long long)st[FT_STAT_LOST]);
	else
		fprintf(stderr, "ftrace: %llu events lost so far: ring buffer full "
			"(try a larger --buffer-size)\n", (unsigned long long)st[FT_STAT_LOST]);
	s->lost_reported = st[FT_STAT_LOST];
	for (int i = 0; i < s->nsinks; i++) {
		struct timespec now;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &now);
		r = s->sinks[i]->ops->lost(s->sinks[i], (uint64_t)now.tv_sec * 1000000000ULL +
					   (uint64_t)now.tv_nsec, st[FT_STAT_LOST]);
		if (r && !s->write_err)
			s->write_err = -r;
	}
}

static int on_event(void *ctx, const void *data, size_t len)
{
	struct session *s = ctx;
	int ret = 0;

	if (s->agg) {
		top_agg_event(s->agg, data, len);
		return 0;
	}
	for (int i = 0; i < s->nsinks && !ret; i++)
		ret = s->sinks[i]->ops->event(s->sinks[i], data, len);
	if (ret == -EINVAL) {
		s->malformed++;	/* reported in the summary */
		return 0;
	}
	if (ret) {
		s->write_err = -ret;
		return 1;
	}
	s->printed++;
	return s->cli->limit && s->printed >= s->cli->limit;
}

static uint64_t lost_so_far(struct session *s)
{
	uint64_t st[FT_STAT_NR];

	/* --top from the kernel: calls not counted (too many keys) */
	return read_stats(s, st) ? 0 : st[FT_STAT_LOST] + st[FT_STAT_AGG_FULL];
}

/* the live view asks to stop (q, iterations done) through our own signal
 * queue: the stream loop then ends as on Ctrl-C */
static void top_tick(struct session *s)
{
	int ret = top_sink_tick(s->top, lost_so_far(s));

	if (ret < 0 && !s->write_err)
		s->write_err = -ret;
	if (ret && !s->top_quit) {
		s->top_quit = true;
		raise(SIGINT);
	}
}

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* -s/--hist: read the agg map and hand the rows to the sinks */
static void stats_report(struct session *s, bool final)
{
	uint64_t st[FT_STAT_NR] = { 0 }, now = mono_ns();
	struct sink_report rep = { .final = final };
	int r = s->cli->by ? agg_read(s->agg_fd, s->ncpus, (enum ft_agg_by)s->cli->by,
				      &s->aggt) :
		agg_read_targets(s->agg_tgt_fd, s->ncpus, (uint32_t)s->targets.n, &s->aggt);

	if (!r && s->cli->by == FT_BY_KEY_STACK) {
		r = agg_read_stacks(s->stackmap_fd, &s->aggt);
		agg_sort_calls(&s->aggt);
	}
	s->last_report_ns = now;
	if (r) {
		if (!s->write_err)
			fprintf(stderr, "ftrace: cannot read the summaries: %s\n", strerror(-r));
		return;
	}
	read_stats(s, st);
	rep.rows = s->aggt.rows;
	rep.n = s->aggt.n;
	rep.elapsed_ns = now - s->t0_ns;
	rep.agg_full = st[FT_STAT_AGG_FULL];
	rep.untimed = st[FT_STAT_DEPTH];
	rep.stack_lost = st[FT_STAT_STACK];
	s->calls_counted = 0;
	for (size_t i = 0; i < rep.n; i++)
		s->calls_counted += rep.rows[i].calls;
	for (int i = 0; i < s->nsinks; i++) {
		if (!s->sinks[i]->ops->report)
			continue;
		r = s->sinks[i]->ops->report(s->sinks[i], &rep);
		if (r && !s->write_err)
			s->write_err = -r;
	}
}

/* --by stack with user stacks: the processes in the agg map keys, their
 * mappings read while they live (the report symbolizes their frames, maybe
 * after they exited); every 100 ms */
static void stack_scan(struct session *s)
{
	struct ft_agg_key key, next;
	uint64_t now;
	bool first = true;

	if (s->cli->by != FT_BY_KEY_STACK || !(s->cli->stack & FT_STACK_USER) || !s->sym)
		return;
	now = mono_ns();
	if (now - s->stack_scan_ns < 100000000ULL)
		return;
	s->stack_scan_ns = now;
	while (!bpf_map_next_key(s->agg_fd, first ? NULL : &key, &next)) {
		first = false;
		key = next;
		if (key.id)
			sym_prefetch(s->sym, key.id);
	}
}

static void on_idle(void *ctx)
{
	struct session *s = ctx;
	struct timespec now;

	if (s->top) {
		top_tick(s);
		return;
	}
	if (s->summarize) {
		stack_scan(s);
		if (s->cli->interval_ms && !s->write_err &&
		    mono_ns() - s->last_report_ns >= s->cli->interval_ms * 1000000ULL)
			stats_report(s, false);
		return;
	}
	for (int i = 0; i < s->nsinks; i++) {
		int r = s->sinks[i]->ops->flush(s->sinks[i]);

		if (r && !s->write_err)
			s->write_err = -r;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != s->last_tick.tv_sec) {
		s->last_tick = now;
		report_lost(s);
	}
}

static int64_t mono_to_real(void)
{
	struct timespec r, m;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return ((int64_t)r.tv_sec - m.tv_sec) * 1000000000LL + (r.tv_nsec - m.tv_nsec);
}

static int local_utc_offset(void)
{
	time_t t = time(NULL);
	struct tm tm;

	return localtime_r(&t, &tm) ? (int)tm.tm_gmtoff : 0;
}

static int setup_maps(struct session *s, pid_t filter, struct ft_err *err)
{
	bool by_stack = s->cli->by == FT_BY_KEY_STACK;
	uint32_t stack = (s->cli->stack & FT_STACK_USER ? FT_T_USTACK : 0) |
			 (s->cli->stack & FT_STACK_KERNEL ? FT_T_KSTACK : 0);
	struct ft_config cfg = { .self_tgid = (uint32_t)getpid(),
				 .filter_tgid = (uint32_t)filter,
				 .follow = s->cli->follow,
				 .fork_child_off = s->follow.child_off,
				 .exit_dead_off = s->follow.dead_off,
				 .mode = s->kagg ? FT_MODE_AGG :
					 s->cli->has_min_dur || s->cli->has_max_dur ?
					 FT_MODE_HOLD : FT_MODE_STREAM,
				 .agg_by = s->cli->top ? FT_BY_TGID : (uint16_t)s->cli->by,
				 .min_dur = s->cli->min_dur,
				 .max_dur = s->cli->has_max_dur ? s->cli->max_dur : UINT64_MAX,
				 .agg_stack = by_stack ? stack : 0 };
	int cfg_fd = s->loader->map_fd(s->bpf, "config");
	int tgt_fd = s->loader->map_fd(s->bpf, "targets");
	uint32_t zero = 0;

	s->stats_fd = s->loader->map_fd(s->bpf, "stats");
	s->agg_fd = s->loader->map_fd(s->bpf, "agg");
	s->agg_tgt_fd = s->loader->map_fd(s->bpf, "agg_tgt");
	s->stackmap_fd = s->loader->map_fd(s->bpf, "stackmap");
	if (cfg_fd < 0 || tgt_fd < 0 || s->stats_fd < 0 || s->agg_fd < 0 || s->agg_tgt_fd < 0)
		return ft_errf(err, -ENOENT, "BPF object lacks its config/targets/stats/agg maps");
	if (bpf_map_update(cfg_fd, &zero, &cfg, 0))
		return ft_errf(err, -EIO, "cannot write the config map");
	for (uint32_t i = 0; i < s->targets.n; i++) {
		struct ft_target_cfg tc = { .flags = s->targets.v[i].flags };

		protoset_target_cfg(&s->protos, i, by_stack ? 0 : stack, by_stack, &tc);
		if (bpf_map_update(tgt_fd, &i, &tc, 0))
			return ft_errf(err, -EIO, "cannot write the targets map");
	}
	if (s->sys && sc_maps_setup(s->loader, s->bpf, &s->targets, &s->sc, err))
		return -EIO;
	if (s->cgroup_fd >= 0 && cgroup_filter_set(s->loader, s->bpf, s->cgroup_fd, err))
		return -EIO;
	s->ncpus = sys_possible_cpus();
	if (s->ncpus <= 0)
		return ft_errf(err, s->ncpus ? s->ncpus : -EIO, "cannot count possible "
			       "CPUs: %s", s->ncpus == -EMFILE ? "too many open files "
			       "(raise the limit with ulimit -n)" : strerror(s->ncpus ?
			       -s->ncpus : EIO));
	s->percpu = calloc((size_t)s->ncpus, sizeof(*s->percpu));
	return s->percpu ? 0 : -ENOMEM;
}

/* The multi-probe counterpart of the base mechanism where this kernel has
 * it (unless --mechanism names a single-probe one). */
static int choose_mech(struct session *s, struct ft_err *err)
{
	const struct ft_mech *multi = mech_multi_of(s->base);
	const char *want = s->cli->mechanism;
	struct ft_err why = { 0 };

	s->mech = s->base;
	if (!multi || (want && strcmp(want, multi->name)))
		return 0;
	if (!multi->avail(s->loader, s->bpf, &why)) {
		s->mech = multi;
		return 0;
	}
	if (want)
		return ft_errf(err, -EOPNOTSUPP, "--mechanism %s: %s", want, why.msg);
	if (s->cli->verbose)
		fprintf(stderr, "ftrace: %s; using %s (a perf event per probe)\n",
			why.msg, s->base->name);
	return 0;
}

static int attach_all(struct session *s, pid_t pid, struct ft_err *err)
{
	struct attach_opts o = {
		.l = s->loader, .b = s->bpf, .single = s->base,
		.pid = pid > 0 ? pid : -1, .verbose = s->cli->verbose,
		.progress = isatty(STDERR_FILENO), .sys = s->sys, .sys_raw = s->sys_raw,
	};
	struct attach_report r;
	char skipped[512];
	int ret = choose_mech(s, err);

	o.mech = s->mech;
	if (!ret)
		ret = attach_targets(&o, &s->targets, &r, err);
	if (ret)
		return ret;
	if (s->cli->verbose)
		for (size_t i = 0; i < s->targets.nskipped; i++)
			fprintf(stderr, "ftrace: skipped %s: %s\n", s->targets.skipped[i].label,
				s->targets.skipped[i].why);
	attach_skip_summary(&s->targets, skipped, sizeof(skipped));
	if (skipped[0])
		fprintf(stderr, "ftrace: %s%s\n", skipped, s->cli->verbose ? "" :
			"; -v lists them");
	fprintf(stderr, "ftrace: attached %u probes to %zu targets; Ctrl-C to stop\n",
		r.probes, r.targets);
	if (s->cli->verbose)
		fprintf(stderr, "ftrace: through %s%s%s: %u kernel link%s\n",
			s->sys_raw ? s->sys_raw->name : s->mech->name,
			s->sys && s->sys != s->mech ? " and " : "",
			s->sys && s->sys != s->mech ? s->sys->name : "",
			r.links, r.links == 1 ? "" : "s");
	return 0;
}

/* fentry attaches at a function's entry and nowhere else */
static int check_fentry_targets(struct session *s, struct ft_err *err)
{
	for (size_t i = 0; i < s->targets.n; i++)
		if (s->targets.v[i].offset)
			return ft_errf(err, -EOPNOTSUPP, "%s: fentry attaches at function "
				       "entry only; an offset inside a function needs kprobes%s",
				       s->targets.v[i].label, s->cli->mechanism ? "" :
				       ", which this kernel lacks");
	if (!s->cli->mechanism && s->cli->verbose)
		fprintf(stderr, "ftrace: the kernel has no kprobes; using fentry/fexit\n");
	return 0;
}

/* Kernel mode: syscall targets (syscall:NAME, and wrappers such as
 * __x64_sys_NAME when kprobes are missing or --mechanism tracepoint) go
 * through their tracepoints; the others through kprobes or fentry. */
static int kernel_mech(struct session *s, const struct mech_caps *caps,
		       struct ft_err *err)
{
	const char *want = s->cli->mechanism;
	bool forced = want && !strcmp(want, "tracepoint");
	struct ft_err why = { "" };
	int mret = forced ? 0 : mech_base(caps, true, want, &s->base, &why);
	/* an explicit --mechanism kprobe/fentry keeps the wrappers on it */
	bool wrappers = forced || (!want && (mret || s->base != &mech_kprobe));
	size_t n;
	int ret = sc_prepare(&s->targets, &s->sc, wrappers, forced, &n, err);

	if (ret)
		return ret;
	if (n && n == s->targets.n) {
		if (!forced && wrappers && s->cli->verbose)
			fprintf(stderr, "ftrace: %s; syscalls through their tracepoints\n",
				mret ? why.msg : "the kernel has no kprobes");
		s->base = s->sys = &mech_tracepoint;
		return 0;
	}
	if (mret) {
		*err = why;
		return mret;
	}
	s->sys = n ? &mech_tracepoint : NULL;
	return 0;
}

/* More syscalls than this: the two raw_syscalls tracepoints */
#define SC_RAW_MIN 16

/* ftrace syscall [NAME|PATTERN...] */
static int resolve_syscalls(struct session *s, pid_t pid, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	const char *want = c->mechanism;
	int ret = pid > 0 ? resolve_pid_check(pid, false, err) : 0;

	if (!ret)
		ret = sc_expand(c->targets, c->ntargets, c->excludes, (size_t)c->nexcludes,
				!c->no_retprobe, &s->targets, &s->sc, err);
	if (ret)
		return ret;
	s->base = s->sys = &mech_tracepoint;
	if (want ? !strcmp(want, "raw_syscalls") : s->targets.n > SC_RAW_MIN)
		s->sys_raw = &mech_raw_syscalls;
	return 0;
}

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* Kernel mode: argument names and types from the kernel's BTF for the
 * targets without a prototype; -v says which and why some have none. */
static int kernel_btf_protos(struct session *s)
{
	char *btf = NULL, why[512];
	size_t len = 0;
	int rerr = read_whole_file(VMLINUX_BTF, 1u << 30, &btf, &len);
	int ret = protoset_kernel_btf(&s->protos, &s->targets, rerr ? NULL :
				      (const uint8_t *)btf, len, rerr, VMLINUX_BTF,
				      why, sizeof(why));

	free(btf);
	if (ret || !s->cli->verbose)
		return ret;
	for (size_t i = 0; i < s->targets.n && s->protos.kbtf; i++) {
		const struct ft_target *t = &s->targets.v[i];
		char text[1024];

		if (t->from_glob || s->protos.by_target[i] != &s->protos.kbtf[i])
			continue;
		proto_text(&s->protos.kbtf[i], text, sizeof(text));
		fprintf(stderr, "ftrace: %s: from BTF: %s\n", t->label, text);
	}
	if (why[0])
		fprintf(stderr, "ftrace: %s\n", why);
	return 0;
}

static int resolve(struct session *s, pid_t pid, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	struct resolve_opts ro = { .pid = pid, .no_retprobe = c->no_retprobe,
				   .force = c->force, .excludes = c->excludes,
				   .nexcludes = (size_t)c->nexcludes };
	bool kernel = c->mode == FT_MODE_KERNEL;
	struct mech_caps caps;
	int ret;

	ret = protoset_split(&s->protos, c->targets, c->ntargets, err);
	if (ret) {
		s->exit_code = 2;	/* a usage error */
		return ret;
	}
	mech_caps_read("/sys", &caps);
	if (c->mode == FT_MODE_SYSCALL) {
		ret = resolve_syscalls(s, pid, err);
	} else if (kernel) {
		ret = resolve_kernel(c->targets, c->ntargets, &ro, &s->targets, err);
		if (!ret)
			ret = kernel_mech(s, &caps, err);
	} else {
		ret = mech_base(&caps, false, c->mechanism, &s->base, err);
		if (!ret)
			ret = resolve_user(c->lib, c->targets, c->ntargets, &ro,
					   &s->targets, err);
	}
	if (!ret && s->base == &mech_fentry)
		ret = check_fentry_targets(s, err);
	if (!ret)
		ret = protoset_assign(&s->protos, &s->targets, c->raw);
	if (!ret && c->stack && c->by != FT_BY_KEY_STACK && (c->stack & FT_STACK_KERNEL))
		for (size_t i = 0; i < s->targets.n; i++)
			s->protos.tflags[i] |= FMT_T_KSTACK;
	if (!ret && kernel && !c->raw)
		ret = kernel_btf_protos(s);
	if (!ret && c->stack)
		ret = sym_new(pid > 0 ? pid : 0, &s->sym);
	if (ret)
		return ret;
	s->labels = calloc(s->targets.n, sizeof(*s->labels));
	if (!s->labels)
		return -ENOMEM;
	for (size_t i = 0; i < s->targets.n; i++) {
		const struct ft_target *t = &s->targets.v[i];

		s->labels[i] = t->label;
		if (t->note[0] && (t->warn || c->verbose))
			fprintf(stderr, "ftrace: %s: %s\n", t->label, t->note);
	}
	return 0;
}

/* --min-duration: open calls whose entry is held, all threads together */
#define FT_HELD_MAX 16384

/* The agg map's keys: one per target, or with --by up to FT_AGG_MAX, fewer
 * on machines with many CPUs (each key takes a value per possible CPU) so
 * that it stays below 64 MB. */
static uint32_t agg_entries(struct session *s)
{
	int ncpus = sys_possible_cpus();
	uint64_t n = FT_AGG_MAX, cap;

	if (!s->cli->by && !s->cli->top)
		return 1;	/* agg_tgt holds the values */
	cap = (64ULL << 20) / ((uint64_t)(ncpus > 0 ? ncpus : 1) * AGG_PERCPU_STRIDE);
	if (n > cap)
		n = cap;
	if (n < s->targets.n)
		n = s->targets.n;
	return (uint32_t)n;
}

/* the ring buffer's size: the flight recorder sends nothing through it */
static uint32_t ring_bytes(const struct session *s)
{
	return s->cli->flight ? (uint32_t)sysconf(_SC_PAGESIZE) : s->cli->buffer_size;
}

static int load(struct session *s, struct ft_err *err)
{
	struct ft_load_opts lo = {
		.obj = s->cli->cgroup ? ftrace_blob_cgroup : ftrace_blob,
		.obj_sz = s->cli->cgroup ? (size_t)(ftrace_blob_cgroup_end - ftrace_blob_cgroup)
					 : (size_t)(ftrace_blob_end - ftrace_blob),
		.ringbuf_bytes = ring_bytes(s),
		.flight = s->cli->flight != 0,
		.max_targets = s->targets.n > FT_MAX_TARGETS ? (uint32_t)s->targets.n
							     : FT_MAX_TARGETS,
		.log_level = s->cli->verbose,
		.lib_path = s->cli->libbpf_path,
		.tracepoints = s->cli->follow || s->sys,
		.multi = !mech_multi_of(s->base) || (s->cli->mechanism &&
			 !strstr(s->cli->mechanism, "multi")) ? 0 :
			 s->base->kernel ? FT_LOAD_KMULTI : FT_LOAD_UMULTI,
		.agg_entries = s->kagg ? agg_entries(s) : 0,
		.agg_tgt_entries = s->kagg && s->targets.n ? (uint32_t)s->targets.n : 0,
		.held_entries = s->cli->has_min_dur || s->cli->has_max_dur ? FT_HELD_MAX : 0,
		.stack_entries = s->cli->by == FT_BY_KEY_STACK ? FT_STACK_ENTRIES : 0,
	};
	int ret = s->loader->load(&lo, &s->bpf, err);

	if (!ret && s->cli->verbose && s->loader->describe)
		fprintf(stderr, "ftrace: loaded through %s\n", s->loader->describe(s->bpf));
	if (!ret && s->cli->verbose)
		fprintf(stderr, "ftrace: verifier:%s\n%s", s->cli->verbose > 1 ? " (full log)" : "",
			s->loader->log(s->bpf));
	return ret;
}

static int start_top(struct session *s, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	const struct ft_mech *m = s->sys_raw ? s->sys_raw : s->mech;
	static char mech[40];
	bool ret = false, batch = c->batch || !isatty(STDOUT_FILENO);
	struct top_sink_opts o = {
		.batch = batch, .interval_ms = c->interval_ms,
		.iterations = c->iterations, .mech = mech,
		.labels = s->labels, .nlabels = s->targets.n,
		.in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO,
	};
	int r;

	for (size_t i = 0; i < s->targets.n; i++)
		ret |= s->targets.v[i].want_ret;
	snprintf(mech, sizeof(mech), "%s%s%s", m->name, ret ? "+" : "",
		 ret ? m->ret_name : "");
	if (!batch && !isatty(STDIN_FILENO)) {
		s->top_in_fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);
		if (s->top_in_fd < 0)
			return ft_errf(err, -errno, "--top: no terminal to read keys "
				       "from (--batch prints tables instead)");
		o.in_fd = s->top_in_fd;
	}
	/* rows by process, aggregated in the kernel */
	r = agg_top_new(s->agg_fd, s->ncpus, &s->ktop);
	if (r)
		return r;
	o.src = agg_top_source(s->ktop);
	return top_sink_open(&o, &s->top, err);
}

static int open_signals(bool usr1)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (usr1)
		sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* A pidfd that polls readable when the traced process exits; -1 when
 * tracing everything or on kernels before 5.3 (then only signals stop us),
 * -ESRCH when the process is already gone. */
static int pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
	long fd = pid > 0 ? syscall(SYS_pidfd_open, pid, 0) : -1;

	if (fd < 0 && pid > 0 && errno == ESRCH)
		return -ESRCH;
	return fd < 0 ? -1 : (int)fd;
#else
	(void)pid;
	return -1;
#endif
}

static void drain_rest(struct session *s)
{
	int cb_ret = 0;

	while (!cb_ret && ring_consume(&s->ring, on_event, s, &cb_ret) > 0)
		;
	on_idle(s);
}

static void summary(struct session *s, int stop)
{
	uint64_t st[FT_STAT_NR];
	const char *why = stop == STREAM_LIMIT ? " (--limit reached)" :
			  stop == STREAM_PID_EXIT ? " (traced process exited)" : "";

	if (s->summarize && !read_stats(s, st)) {
		fprintf(stderr, "ftrace: %llu calls counted in the kernel%s\n",
			(unsigned long long)s->calls_counted, why);
		if (st[FT_STAT_AGG_FULL])
			fprintf(stderr, "ftrace: %llu calls not counted: more than %u keys "
				"(--by)\n", (unsigned long long)st[FT_STAT_AGG_FULL],
				agg_entries(s));
		if (st[FT_STAT_STACK])
			fprintf(stderr, "ftrace: %llu stacks not captured (counted apart, "
				"by the reason: stack map collision or full, no stack)\n",
				(unsigned long long)st[FT_STAT_STACK]);
	} else if (s->cli->top && !read_stats(s, st)) {
		fprintf(stderr, "ftrace: %llu events lost%s\n",
			(unsigned long long)st[FT_STAT_LOST], why);
	} else if (read_stats(s, st)) {
		fprintf(stderr, "ftrace: %llu events%s\n",
			(unsigned long long)s->printed, why);
		return;
	} else {
		fprintf(stderr, "ftrace: %llu events printed, %llu lost%s\n",
			(unsigned long long)s->printed,
			(unsigned long long)st[FT_STAT_LOST], why);
	}
	if (st[FT_STAT_DEPTH])
		fprintf(stderr, "ftrace: %llu calls nested deeper than %d: not timed\n",
			(unsigned long long)st[FT_STAT_DEPTH], FT_MAX_DEPTH);
	if (s->malformed)
		fprintf(stderr, "ftrace: %llu malformed records not printed\n",
			(unsigned long long)s->malformed);
	if (st[FT_STAT_FOLLOW])
		fprintf(stderr, "ftrace: %llu processes not followed (more than %d at "
			"once)\n", (unsigned long long)st[FT_STAT_FOLLOW], FT_FOLLOW_MAX);
	if (st[FT_STAT_STATE])
		fprintf(stderr, "ftrace: %llu events missed per-thread state (too many "
			"threads)\n", (unsigned long long)st[FT_STAT_STATE]);
	if (st[FT_STAT_HELD])
		fprintf(stderr, "ftrace: %llu calls printed without their entry (more "
			"than %d calls open at once)\n", (unsigned long long)st[FT_STAT_HELD],
			FT_HELD_MAX);
}

/* The event sinks are opened before anything is attached, so that a file
 * that cannot be written is an error that leaves nothing behind. */
static int open_sinks(struct session *s, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	struct sink_opts o = {
		.kind = c->format == FT_FORMAT_JSON ? SINK_JSON : SINK_TEXT,
		.path = c->output, .fmt = &s->fmt,
	};
	int ret;

	if (c->top)
		return 0;
	if (s->summarize) {
		o.kind = SINK_STATS;
		o.json = c->format == FT_FORMAT_JSON;
		o.table = c->stats;
		o.hist = c->hist;
		o.by = (unsigned int)c->by;
		o.folded = c->folded;
	}
	ret = sink_open(&o, &s->sinks[s->nsinks], err);
	if (ret)
		return ret;
	s->nsinks++;
	if (!c->perfetto)
		return 0;
	o.kind = SINK_PERFETTO;
	o.path = c->perfetto;
	ret = sink_open(&o, &s->sinks[s->nsinks], err);
	if (!ret)
		s->nsinks++;
	return ret;
}

static int set_offsets(struct session *s)
{
	s->offsets = calloc(s->targets.n ? s->targets.n : 1, sizeof(*s->offsets));
	if (!s->offsets)
		return -ENOMEM;
	for (size_t i = 0; i < s->targets.n; i++)
		s->offsets[i] = s->targets.v[i].offset;
	for (int i = 0; i < s->nsinks; i++)
		s->sinks[i]->offsets = s->offsets;
	return 0;
}

/* sum NULL: the run failed before streaming; no trailer is written */
static void close_sinks(struct session *s, int stop)
{
	uint64_t st[FT_STAT_NR];
	struct sink_summary sum = {
		.malformed = s->malformed,
		.why = stop == STREAM_LIMIT ? "limit" :
		       stop == STREAM_PID_EXIT ? "process exited" : "signal",
	};

	if (!read_stats(s, st)) {
		sum.lost = st[FT_STAT_LOST];
		sum.untimed = st[FT_STAT_DEPTH];
		sum.no_state = st[FT_STAT_STATE];
		sum.agg_full = st[FT_STAT_AGG_FULL];
		sum.held_lost = st[FT_STAT_HELD];
		sum.stack_lost = st[FT_STAT_STACK];
	}
	for (int i = 0; i < s->nsinks; i++) {
		int r = s->sinks[i]->ops->close(s->sinks[i], stop > 0 ? &sum : NULL);

		if (r && stop > 0 && !s->write_err)
			s->write_err = -r;
	}
	s->nsinks = 0;
}

static bool has_command(const struct ft_cli *c)
{
	return c->cmd_str || c->cmd;
}

/* -c/--: split, found through PATH, -u's user and -f's tracepoints looked
 * up, before anything else is done (a missing command is its one line) */
static int command_find(struct session *s, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	int ret;

	s->cmd_words = c->cmd;
	if (c->follow) {
		ret = follow_prepare("", &s->follow, err);
		if (ret)
			return ret;
	}
	if (c->cmd_str) {
		ret = spawn_split(c->cmd_str, &s->cmd_argv, err);
		if (ret) {
			s->exit_code = 2;	/* a usage error */
			return ret;
		}
		s->cmd_words = s->cmd_argv;
	}
	if (c->user) {
		ret = user_lookup("", c->user, &s->cmd_user, err);
		if (ret)
			return ret;
	}
	return spawn_find(s->cmd_words[0], s->cmd.path, sizeof(s->cmd.path),
			  &s->exit_code, err);
}

/* fork the command, held before execve; *pid is its process for the
 * filter and the probes */
static int command_start(struct session *s, pid_t *pid, struct ft_err *err)
{
	int ret = spawn_start(&s->cmd, s->cmd_words, s->cli->user ? &s->cmd_user : NULL,
			      err);

	*pid = s->cmd.pid;
	return ret;
}

/* While the command runs, a signal to ftrace does not stop the trace: the
 * command gets it too (the terminal's Ctrl-C already reached the whole
 * foreground group; one sent to ftrace alone is passed on) and ftrace stops
 * when the command exits. A second signal ends the command with SIGKILL. */
static int command_signal(void *ctx, const struct signalfd_siginfo *si)
{
	struct session *s = ctx;
	int sig = (int)si->ssi_signo;

	if (s->top_quit || ++s->cmd_signals > 1) {
		kill(s->cmd.pid, SIGKILL);
		return 1;
	}
	if (si->ssi_code != SI_KERNEL)
		kill(s->cmd.pid, sig);
	return 0;
}

/* --flight-recorder, the buffers paused: the records sent so far */
static void flight_paused(void *ctx)
{
	struct session *s = ctx;
	uint64_t st[FT_STAT_NR];

	s->flight_now = read_stats(s, st) ? s->flight_events : st[FT_STAT_EVENTS];
}

/* --flight-recorder: the records sent since the last dump that the kernel
 * still holds; the others were overwritten */
static void flight_write(struct session *s, const char *why)
{
	uint64_t sent;
	int ret;

	ret = flight_collect(&s->flight, flight_paused, s);
	sent = s->flight_now - s->flight_events;
	s->flight_events = s->flight_now;
	fflush(stdout);
	if (!ret)
		fprintf(stderr, "ftrace: flight recorder, %s: the newest %llu events "
			"(%llu older ones overwritten)\n", why,
			(unsigned long long)s->flight.nrecs, (unsigned long long)
			(sent > s->flight.nrecs ? sent - s->flight.nrecs : 0));
	if (!ret)
		ret = flight_emit(&s->flight, on_event, s);
	if (ret < 0 && !s->write_err)
		s->write_err = -ret;
	on_idle(s);
}

/* --flight-recorder: SIGUSR1 writes what is kept and recording goes on */
static int on_signal(void *ctx, const struct signalfd_siginfo *si)
{
	struct session *s = ctx;

	if (si->ssi_signo == SIGUSR1) {
		flight_write(s, "on SIGUSR1");
		return 0;
	}
	return s->cmd.pid ? command_signal(ctx, si) : 1;
}

/* "process 123 killed by signal 9 (Killed)": the command's status, or the
 * kernel's word through the pidfd (Linux 6.15+) for -p */
static void death_of(struct session *s, pid_t pid, char *buf, size_t len)
{
	int st = 0;
	bool known = false;

	if (s->cmd.pid && !spawn_wait(&s->cmd)) {
		st = s->cmd.status;
		known = true;
	} else if (s->pidfd >= 0) {
		known = !flight_exit_status(s->pidfd, &st);
	}
	if (!known)
		snprintf(buf, len, "process %d exited", (int)pid);
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "process %d killed by signal %d (%s)", (int)pid,
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "process %d exited with status %d", (int)pid,
			 WEXITSTATUS(st));
}

static void flight_end(struct session *s, int stop, pid_t pid)
{
	char why[128];

	if (stop == STREAM_PID_EXIT) {
		death_of(s, pid, why, sizeof(why));
		flight_write(s, why);
	} else if (flight_pending(&s->flight)) {
		flight_write(s, "at exit");
	}
}

static void command_finish(struct session *s)
{
	int st;

	if (!kill(s->cmd.pid, 0) && s->cmd_signals)
		kill(s->cmd.pid, SIGKILL);
	if (spawn_wait(&s->cmd))
		return;
	st = s->cmd.status;
	s->exit_code = spawn_exit_code(st);
	if (WIFSIGNALED(st))
		fprintf(stderr, "ftrace: command killed by signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		fprintf(stderr, "ftrace: command exited with status %d\n", s->exit_code);
}

static int run(struct session *s, struct ft_err *err)
{
	const struct ft_cli *c = s->cli;
	pid_t pid = c->pid == FT_PID_SELF ? parent_pid() : c->pid;
	int sigfd, pidfd, ret;
	char lib[320];

	if (c->cgroup) {
		s->cgroup_fd = cgroup_open(c->cgroup, err);
		if (s->cgroup_fd < 0)
			return s->cgroup_fd;
	}
	/* a missing libbpf is reported before anything else is done */
	if (s->loader == &ft_loader_libbpf) {
		ret = ft_libbpf_probe(c->libbpf_path, lib, sizeof(lib), err);
		if (ret)
			return ret;
	}
	ret = has_command(c) ? command_find(s, err) : 0;
	if (!ret)
		ret = open_sinks(s, err);
	if (!ret)
		ret = resolve(s, pid, err);
	if (!ret && has_command(c))
		ret = command_start(s, &pid, err);
	if (!ret)
		ret = set_offsets(s);
	if (!ret)
		ret = load(s, err);
	if (!ret)
		ret = setup_maps(s, pid, err);
	if (ret)
		return ret;
	if (c->flight) {
		ret = flight_open(&s->flight, s->loader->map_fd(s->bpf, "flight"),
				  c->flight, err);
		if (ret)
			return ret;
		if (c->verbose)
			fprintf(stderr, "ftrace: flight recorder: a perf buffer of %zu "
				"bytes per CPU on %d CPUs, overwritten in the kernel\n",
				s->flight.size, s->flight.nbuf);
	}
	ret = ring_open(s->loader->map_fd(s->bpf, "events"), ring_bytes(s), &s->ring);
	if (ret)
		return ft_errf(err, ret, "cannot map the ring buffer: %s", strerror(-ret));
	sigfd = open_signals(c->flight);
	if (sigfd < 0)
		return ft_errf(err, sigfd, "cannot set up signal handling");
	pidfd = pidfd_for(pid);
	s->pidfd = pidfd;
	ret = pidfd == -ESRCH ? ft_errf(err, -ESRCH, "process %d exited before "
					 "tracing started", (int)pid) : 0;
	if (!ret && c->follow)
		ret = follow_start(s->loader, s->bpf, &s->follow, pid, err);
	if (!ret)	/* -f: uprobes everywhere, the follow set filters */
		ret = attach_all(s, c->follow ? 0 : pid, err);
	s->t0_ns = s->last_report_ns = mono_ns();
	if (!ret && c->top)
		ret = start_top(s, err);
	if (!ret && s->cmd.pid)
		ret = spawn_release(&s->cmd, &s->exit_code, err);
	if (!ret) {
		s->fmt.labels = s->labels;
		s->fmt.nlabels = s->targets.n;
		s->fmt.timestamps = c->timestamps;
		s->fmt.mono_to_real_ns = mono_to_real();
		s->fmt.utc_offset_s = local_utc_offset();
		s->fmt.comm = c->comm;
		s->fmt.protos = s->protos.by_target;
		s->fmt.tflags = s->protos.tflags;
		if (s->sym) {
			s->fmt.frame = sym_frame;
			s->fmt.frame_ctx = s->sym;
		}
		s->fmt.sc = &s->sc;
		ret = stream_run(&s->ring, sigfd, pidfd, 50, &(struct stream_ops){
				 on_event, on_idle, c->flight ? on_signal :
				 s->cmd.pid ? command_signal : NULL }, s);
		top_sink_stop(s->top);
		s->loader->detach(s->bpf);
		if (ret > 0 && ret != STREAM_LIMIT && !s->write_err)
			drain_rest(s);
		if (ret > 0 && c->flight && !s->write_err)
			flight_end(s, ret, pid);
		if (s->top) {
			int r = top_sink_close(s->top, lost_so_far(s));

			s->top = NULL;
			if (r && !s->write_err)
				s->write_err = -r;
		}
		if (ret > 0 && s->summarize && !s->write_err)
			stats_report(s, true);
		if (ret > 0) {
			summary(s, ret);
			close_sinks(s, ret);
			ret = 0;
		}
		if (s->cmd.pid)
			command_finish(s);
		if (s->write_err && s->write_err != EPIPE)
			ret = ft_errf(err, -s->write_err, "cannot write output: %s",
				      strerror(s->write_err));
	}
	close(sigfd);
	if (pidfd >= 0)
		close(pidfd);
	s->pidfd = -1;
	return ret;
}

/* --version never needs libbpf; with --loader=libbpf or -v it also says
 * which libbpf the libbpf loader would use */
static int version(const struct ft_cli *cli)
{
	bool want = cli->loader == FT_LOADER_LIBBPF;
	struct ft_err err = { "" };
	char lib[320];

	printf("ftrace %s (%s, %s loader)\n", FTRACE_VERSION, ARCH_NAME,
	       want ? "libbpf" : "built-in");
	if (!want && !cli->verbose)
		return 0;
	if (ft_libbpf_probe(cli->libbpf_path, lib, sizeof(lib), &err)) {
		fflush(stdout);
		return want ? fail(err.msg) : (printf("libbpf: none (%s)\n", err.msg), 0);
	}
	printf("libbpf: %s\n", lib);
	return 0;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct session s = { .loader = &ft_loader_builtin, .stats_fd = -1,
			     .top_in_fd = -1, .exit_code = -1, .agg_fd = -1, .agg_tgt_fd = -1, .stackmap_fd = -1,
			     .cgroup_fd = -1, .pidfd = -1,
			     .cmd = { .go_fd = -1, .err_fd = -1 } };
	struct ft_err err = { "" };
	struct ft_cli cli;
	int ret;

	if (cli_parse(argc, argv, &cli, &err))
		return fail(err.msg) + 1;
	if (cli.help) {
		fputs(ft_usage, stdout);
		return 0;
	}
	if (cli.version)
		return version(&cli);
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	raise_nofile();
	s.cli = &cli;
	s.summarize = cli.stats || cli.hist;
	s.kagg = s.summarize || cli.top;
	if (cli.loader == FT_LOADER_LIBBPF)
		s.loader = &ft_loader_libbpf;
	ret = run(&s, &err);
	if (s.ring.cons_pos)
		ring_close(&s.ring);
	if (s.bpf)
		s.loader->destroy(s.bpf);
	close_sinks(&s, 0);
	free(s.offsets);
	free(s.labels);
	free(s.percpu);
	top_agg_free(s.agg);
	agg_table_free(&s.aggt);
	agg_top_free(s.ktop);
	if (s.top_in_fd >= 0)
		close(s.top_in_fd);
	targets_free(&s.targets);
	protoset_free(&s.protos);
	sym_free(s.sym);
	sc_table_free(&s.sc);
	flight_close(&s.flight);
	if (s.cgroup_fd >= 0)
		close(s.cgroup_fd);
	spawn_abort(&s.cmd);	/* still held: ftrace failed before release */
	spawn_close(&s.cmd);
	free(s.cmd_argv);
	if (ret) {
		fail(err.msg[0] ? err.msg : strerror(-ret));
		return s.exit_code > 0 ? s.exit_code : 1;
	}
	return s.exit_code > 0 ? s.exit_code : 0;
}
