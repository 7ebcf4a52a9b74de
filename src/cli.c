// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"

const char ft_usage[] =
"usage: ftrace user LIB TARGET... [options] [-- CMD ARGS...]\n"
"       ftrace kernel TARGET... [options] [-- CMD ARGS...]\n"
"       ftrace syscall [NAME|PATTERN...] [options] [-- CMD ARGS...]\n"
"\n"
"  LIB      library or executable: a path, or a bare name found like the\n"
"           dynamic loader (libc.so.6) or the shell (myapp) would\n"
"  TARGET   a symbol (malloc), or a file offset written 0x... (user mode);\n"
"           a symbol, symbol+0xOFF or an address 0x... (kernel mode);\n"
"           or a pattern ('str*', '*alloc*', '[a-c]*'): every function it\n"
"           matches, those that cannot be traced skipped and counted;\n"
"           or a prototype: 'open(str path, int flags, oct mode)->int'\n"
"           shows the arguments and return value typed (int uint long\n"
"           ulong ssize size s8 u8 s16 u16 hex ptr char bool oct str buf:N;\n"
"           kernel mode: kstr kustr); kernel mode also from kernel BTF\n"
"           syscall:NAME (kernel mode): the syscall's tracepoints\n"
"  syscall  syscalls, strace-like: every one, or those named or matched\n"
"           (openat, 'get*pid'), arguments decoded, errors by name\n"
"\n"
"options:\n"
"  -p, --pid PID|self|all  trace one process only (self: the process that\n"
"                          started ftrace); default all\n"
"  -c, --command CMD       start CMD (split into words like sh, no\n"
"                          expansion), trace it from its first instruction\n"
"                          and exit with its exit status; -- CMD ARGS...\n"
"                          after everything else does the same\n"
"  -f, --follow            with a command: also trace the processes it forks\n"
"  -u, --user USER         run the command as USER (uid, gid and groups)\n"
"  -t, --timestamp         prefix each line with the event's wall-clock time\n"
"  -l, --limit N           stop after N events\n"
"      --no-retprobe       entry probes only\n"
"      --force             attach return probes where ftrace warns it is unsafe\n"
"      --exclude PATTERN   leave out functions a pattern matched (repeatable)\n"
"      --mechanism NAME    how probes attach: uprobe, uprobe_multi (user);\n"
"                          kprobe, kprobe_multi, fentry, tracepoint (kernel;\n"
"                          tracepoint: syscalls only); raw_syscalls (syscall\n"
"                          mode); default: the multi-probe links where the\n"
"                          kernel has them, syscall tracepoints without kprobes\n"
"      --fentry            the same as --mechanism fentry\n"
"      --cgroup PATH       only tasks in this cgroup (v2) or below it\n"
"      --flight-recorder[=SIZE]  print nothing while running; keep the newest\n"
"                          events in SIZE bytes of kernel buffers (default\n"
"                          4M, split across the CPUs) and write them on\n"
"                          SIGUSR1, when the traced process dies, at exit\n"
"  -b, --buffer-size SIZE  ring buffer size, a power of two (default 16M)\n"
"  -o, --output FILE       write events to FILE (messages stay on stderr)\n"
"      --format=text|json  event lines as text (default) or JSON lines\n"
"      --perfetto FILE     also write a Chrome/Perfetto trace (JSON) to FILE\n"
"      --comm              text: show the thread name, [comm:PID,TID]\n"
"      --raw               no built-in prototypes for libc functions, no\n"
"                          kernel BTF ones\n"
"      --stack[=user|kernel|user,kernel]  each entry's call stack, one frame\n"
"                          a line (default: user mode the user stack, kernel\n"
"                          mode the kernel stack); with -s --by stack: which\n"
"                          stacks are counted\n"
"  -s, --stats             no events: per target calls, calls/s, total, avg,\n"
"                          min, max, p50/p90/p99 exec time, summed in the\n"
"                          kernel; printed at exit and every -i SECONDS\n"
"      --hist              latency histogram per target (with or without -s)\n"
"      --by pid|tid|comm   with --stats/--hist: a row per process, thread or\n"
"                          process name and target\n"
"      --by stack          with --stats: a row per distinct call stack (and\n"
"                          process, for user stacks) of each target\n"
"      --folded            -s --by stack as folded stacks for flame graphs:\n"
"                          'outer;...;func CALLS' a line\n"
"      --min-duration D    only calls that took at least D (1ms, 250us, 2s,\n"
"                          500ns): entry and return printed together\n"
"      --max-duration D    only calls that took at most D\n"
"      --top               live view: calls, rate, avg and p99 latency per\n"
"                          process and function (keys: see the man page)\n"
"      --batch             with --top: print the table every interval\n"
"  -i, --interval SECONDS  --top refresh interval (default 1); --stats,\n"
"                          --hist: also print every SECONDS\n"
"  -n, --iterations N      with --top --batch: stop after N tables\n"
"  -v, --verbose           show what was attached and the verifier log\n"
"      --loader=builtin|libbpf  load the BPF object with ftrace's own loader\n"
"                          (default) or with libbpf, opened at run time\n"
"      --libbpf-path PATH  the libbpf to open (implies --loader=libbpf);\n"
"                          default libbpf.so.1, then libbpf.so.0\n"
"  -h, --help              this text\n"
"      --version           version and architecture\n";

int parse_u64(const char *s, int base, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++)
		if (base == 16 ? !isxdigit((unsigned char)*p) : !isdigit((unsigned char)*p))
			return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	char buf[32], *last;
	uint64_t v, mul = 1;
	size_t n = s ? strlen(s) : 0;

	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n + 1);
	last = &buf[n - 1];
	switch (*last) {
	case 'k': case 'K': mul = 1ULL << 10; break;
	case 'm': case 'M': mul = 1ULL << 20; break;
	case 'g': case 'G': mul = 1ULL << 30; break;
	default: break;
	}
	if (mul != 1)
		*last = 0;
	if (parse_u64(buf, 10, &v) || v > UINT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

static int parse_pid(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	uint64_t v;

	if (!strcmp(s, "all")) {
		cli->pid = FT_PID_ALL;
		return 0;
	}
	if (!strcmp(s, "self")) {
		cli->pid = FT_PID_SELF;
		return 0;
	}
	if (parse_u64(s, 10, &v) || v == 0 || v > INT_MAX)
		return ft_errf(err, -EINVAL, "invalid PID '%s': expected a positive "
			       "number, 'self' or 'all'", s);
	cli->pid = (pid_t)v;
	return 0;
}

static int parse_buffer(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	uint64_t v;

	if (parse_size(s, &v) || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
		return ft_errf(err, -EINVAL, "invalid buffer size '%s': expected a "
			       "power of two from 4K to 1G (e.g. 16M)", s);
	cli->buffer_size = (uint32_t)v;
	return 0;
}

static int parse_loader(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	if (!strcmp(s, "builtin"))
		cli->loader = FT_LOADER_BUILTIN;
	else if (!strcmp(s, "libbpf"))
		cli->loader = FT_LOADER_LIBBPF;
	else
		return ft_errf(err, -EINVAL, "invalid loader '%s': expected 'builtin' "
			       "or 'libbpf'", s);
	return 0;
}

enum { OPT_NO_RET = 256, OPT_VERSION, OPT_FORCE, OPT_FENTRY, OPT_LOADER,
	OPT_LIBBPF_PATH, OPT_TOP, OPT_BATCH, OPT_FORMAT, OPT_PERFETTO, OPT_COMM,
	OPT_EXCLUDE, OPT_MECHANISM, OPT_HIST, OPT_BY, OPT_MIN_DUR, OPT_MAX_DUR,
	OPT_RAW, OPT_STACK, OPT_CGROUP, OPT_FLIGHT, OPT_FOLDED };

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "command", required_argument, NULL, 'c' },
	{ "follow", no_argument, NULL, 'f' },
	{ "user", required_argument, NULL, 'u' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "limit", required_argument, NULL, 'l' },
	{ "no-retprobe", no_argument, NULL, OPT_NO_RET },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "fentry", no_argument, NULL, OPT_FENTRY },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "mechanism", required_argument, NULL, OPT_MECHANISM },
	{ "loader", required_argument, NULL, OPT_LOADER },
	{ "libbpf-path", required_argument, NULL, OPT_LIBBPF_PATH },
	{ "buffer-size", required_argument, NULL, 'b' },
	{ "top", no_argument, NULL, OPT_TOP },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "interval", required_argument, NULL, 'i' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "perfetto", required_argument, NULL, OPT_PERFETTO },
	{ "comm", no_argument, NULL, OPT_COMM },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "stack", optional_argument, NULL, OPT_STACK },
	{ "folded", no_argument, NULL, OPT_FOLDED },
	{ "stats", no_argument, NULL, 's' },
	{ "hist", no_argument, NULL, OPT_HIST },
	{ "by", required_argument, NULL, OPT_BY },
	{ "min-duration", required_argument, NULL, OPT_MIN_DUR },
	{ "max-duration", required_argument, NULL, OPT_MAX_DUR },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "flight-recorder", optional_argument, NULL, OPT_FLIGHT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int parse_mechanism(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	static const char *const names[] = { "uprobe", "uprobe_multi", "kprobe",
					     "kprobe_multi", "fentry", "tracepoint",
					     "raw_syscalls" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]))
			continue;
		if (cli->mechanism && strcmp(cli->mechanism, names[i]))
			return ft_errf(err, -EINVAL, "two mechanisms given: %s and %s",
				       cli->mechanism, names[i]);
		cli->mechanism = names[i];
		return 0;
	}
	return ft_errf(err, -EINVAL, "unknown mechanism '%s': expected uprobe, "
		       "uprobe_multi, kprobe, kprobe_multi, fentry, tracepoint or "
		       "raw_syscalls", s);
}

int parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};
	size_t n = strspn(s, "0123456789"), f = 0;
	const char *frac = NULL, *u;
	uint64_t ip, v;

	if (!n)
		return -EINVAL;
	u = s + n;
	if (*u == '.') {
		frac = u + 1;
		f = strspn(frac, "0123456789");
		if (!f)
			return -EINVAL;
		u = frac + f;
	}
	if (n > 12 || f > 9)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t mul = units[i].mul, fv = 0, scale = 1;

		if (strcmp(u, units[i].unit))
			continue;
		ip = strtoull(s, NULL, 10);
		if (ip > UINT64_MAX / mul)
			return -EINVAL;
		v = ip * mul;
		for (size_t k = 0; k < f; k++) {
			fv = fv * 10 + (uint64_t)(frac[k] - '0');
			scale *= 10;
		}
		/* the fraction must be a whole number of nanoseconds */
		if (fv && (fv * mul) % scale)
			return -EINVAL;
		v += fv * mul / scale;
		*ns = v;
		return 0;
	}
	return -EINVAL;
}

static int parse_dur_opt(const char *s, bool min, struct ft_cli *cli, struct ft_err *err)
{
	uint64_t v;

	if (parse_duration(s, &v))
		return ft_errf(err, -EINVAL, "invalid duration '%s' for --%s-duration: "
			       "expected a number and a unit ns, us, ms or s (e.g. 1ms, "
			       "250us, 1.5s)", s, min ? "min" : "max");
	if (min) {
		cli->min_dur = v;
		cli->has_min_dur = true;
	} else {
		cli->max_dur = v;
		cli->has_max_dur = true;
	}
	return 0;
}

static int parse_by(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	if (!strcmp(s, "pid"))
		cli->by = FT_BY_KEY_PID;
	else if (!strcmp(s, "tid"))
		cli->by = FT_BY_KEY_TID;
	else if (!strcmp(s, "comm"))
		cli->by = FT_BY_KEY_COMM;
	else if (!strcmp(s, "stack"))
		cli->by = FT_BY_KEY_STACK;
	else
		return ft_errf(err, -EINVAL, "invalid --by '%s': expected 'pid', 'tid', "
			       "'comm' or 'stack'", s);
	return 0;
}

/* --stack[=user|kernel|user,kernel] (no value: the mode's, decided later) */
static int parse_stack(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	if (!s)
		cli->stack = FT_STACK_MODE;
	else if (!strcmp(s, "user"))
		cli->stack = FT_STACK_USER;
	else if (!strcmp(s, "kernel"))
		cli->stack = FT_STACK_KERNEL;
	else if (!strcmp(s, "user,kernel") || !strcmp(s, "kernel,user"))
		cli->stack = FT_STACK_USER | FT_STACK_KERNEL;
	else
		return ft_errf(err, -EINVAL, "invalid --stack '%s': expected 'user', "
			       "'kernel' or 'user,kernel'", s);
	return 0;
}

/* --stack and --folded against the mode and the output */
static int check_stack(struct ft_cli *cli, struct ft_err *err)
{
	bool by_stack = cli->by == FT_BY_KEY_STACK;

	if (cli->stack == FT_STACK_MODE)
		cli->stack = cli->mode == FT_MODE_USER ? FT_STACK_USER : FT_STACK_KERNEL;
	if (by_stack && !cli->stack)
		cli->stack = cli->mode == FT_MODE_USER ? FT_STACK_USER : FT_STACK_KERNEL;
	if (cli->mode == FT_MODE_USER && (cli->stack & FT_STACK_KERNEL))
		return ft_errf(err, -EINVAL, "--stack=%s: a uprobe runs on the way back "
			       "to user mode, with no kernel stack of the traced code; "
			       "user mode has --stack=user", cli->stack & FT_STACK_USER ?
			       "user,kernel" : "kernel");
	if (cli->stack == (FT_STACK_USER | FT_STACK_KERNEL) && !by_stack)
		return ft_errf(err, -EINVAL, "--stack=user,kernel is for --stats --by "
			       "stack; the event stream shows one stack (user or kernel)");
	return 0;
}

/* SECONDS: 1, 0.5, 2.25 (at most 3 decimals), 0.1 to 3600 */
static int parse_interval(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	char ip[16], fp[4] = "000";
	size_t n = strcspn(s, "."), f = s[n] ? strlen(s + n + 1) : 0;
	uint64_t i, frac;

	if (n && n < sizeof(ip) && f <= 3 && (!s[n] || f)) {
		memcpy(ip, s, n);
		ip[n] = 0;
		memcpy(fp, s + n + (s[n] != 0), f);
		if (!parse_u64(ip, 10, &i) && !parse_u64(fp, 10, &frac) &&
		    i <= 3600 && i * 1000 + frac >= 100 && i * 1000 + frac <= 3600000) {
			cli->interval_ms = (uint32_t)(i * 1000 + frac);
			return 0;
		}
	}
	return ft_errf(err, -EINVAL, "invalid interval '%s': expected seconds from "
		       "0.1 to 3600 (e.g. 1 or 0.5)", s);
}

/* --flight-recorder[=SIZE]: 64K to 1G */
static int parse_flight(const char *s, struct ft_cli *cli, struct ft_err *err)
{
	uint64_t v = FT_DEFAULT_FLIGHT;

	if (s && (parse_size(s, &v) || v < (64u << 10) || v > (1ULL << 30)))
		return ft_errf(err, -EINVAL, "invalid flight recorder size '%s': "
			       "expected 64K to 1G (e.g. 4M)", s);
	cli->flight = v;
	return 0;
}

static int bad_opt(int c, char **argv, struct ft_err *err)
{
	/* a long option is argv[optind - 1]; a short one, possibly inside a
	 * group like -qv, is only known through optopt */
	const char *opt = optind > 0 ? argv[optind - 1] : "";
	char buf[8];
	size_t n;

	if (strncmp(opt, "--", 2) && optopt > 0 && optopt < 128) {
		snprintf(buf, sizeof(buf), "-%c", optopt);
		opt = buf;
	}
	n = strcspn(opt, "=");
	if (c == ':')
		return ft_errf(err, -EINVAL, "option '%.*s' needs an argument (see --help)",
			       (int)n, opt);
	return ft_errf(err, -EINVAL, "unknown option '%.*s' (see --help)", (int)n, opt);
}

static int parse_opt(int c, struct ft_cli *cli, struct ft_err *err)
{
	uint64_t v;

	switch (c) {
	case 'p':
		return parse_pid(optarg, cli, err);
	case 't':
		cli->timestamps = true;
		return 0;
	case 'c':
		if (!*optarg)
			return ft_errf(err, -EINVAL, "-c: empty command");
		cli->cmd_str = optarg;
		return 0;
	case 'f':
		cli->follow = true;
		return 0;
	case 'u':
		if (!*optarg)
			return ft_errf(err, -EINVAL, "-u: empty user name");
		cli->user = optarg;
		return 0;
	case 'l':
		if (parse_u64(optarg, 10, &v) || v == 0)
			return ft_errf(err, -EINVAL, "invalid limit '%s': expected a "
				       "positive number of events", optarg);
		cli->limit = v;
		return 0;
	case OPT_NO_RET:
		cli->no_retprobe = true;
		return 0;
	case OPT_FORCE:
		cli->force = true;
		return 0;
	case OPT_FENTRY:
		return parse_mechanism("fentry", cli, err);
	case OPT_MECHANISM:
		return parse_mechanism(optarg, cli, err);
	case OPT_EXCLUDE:
		if (!*optarg)
			return ft_errf(err, -EINVAL, "empty --exclude pattern");
		if (cli->nexcludes == FT_MAX_EXCLUDES)
			return ft_errf(err, -EINVAL, "more than %d --exclude patterns",
				       FT_MAX_EXCLUDES);
		cli->excludes[cli->nexcludes++] = optarg;
		return 0;
	case OPT_LOADER:
		return parse_loader(optarg, cli, err);
	case OPT_LIBBPF_PATH:
		if (!*optarg)
			return ft_errf(err, -EINVAL, "empty --libbpf-path");
		cli->libbpf_path = optarg;
		return 0;
	case 'b':
		return parse_buffer(optarg, cli, err);
	case 'v':
		cli->verbose++;
		return 0;
	case OPT_TOP:
		cli->top = true;
		return 0;
	case OPT_BATCH:
		cli->batch = true;
		return 0;
	case 'i':
		return parse_interval(optarg, cli, err);
	case 'n':
		if (parse_u64(optarg, 10, &v) || v == 0)
			return ft_errf(err, -EINVAL, "invalid iterations '%s': expected a "
				       "positive number", optarg);
		cli->iterations = v;
		return 0;
	case 'o':
	case OPT_PERFETTO:
		if (!*optarg)
			return ft_errf(err, -EINVAL, "empty file name for %s",
				       c == 'o' ? "--output" : "--perfetto");
		*(c == 'o' ? &cli->output : &cli->perfetto) = optarg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(optarg, "text"))
			cli->format = FT_FORMAT_TEXT;
		else if (!strcmp(optarg, "json"))
			cli->format = FT_FORMAT_JSON;
		else
			return ft_errf(err, -EINVAL, "invalid format '%s': expected "
				       "'text' or 'json'", optarg);
		return 0;
	case OPT_COMM:
		cli->comm = true;
		return 0;
	case OPT_RAW:
		cli->raw = true;
		return 0;
	case OPT_STACK:
		return parse_stack(optarg, cli, err);
	case OPT_FOLDED:
		cli->folded = true;
		return 0;
	case 's':
		cli->stats = true;
		return 0;
	case OPT_HIST:
		cli->hist = true;
		return 0;
	case OPT_BY:
		return parse_by(optarg, cli, err);
	case OPT_MIN_DUR:
	case OPT_MAX_DUR:
		return parse_dur_opt(optarg, c == OPT_MIN_DUR, cli, err);
	case OPT_CGROUP:
		if (!*optarg)
			return ft_errf(err, -EINVAL, "empty --cgroup path");
		cli->cgroup = optarg;
		return 0;
	case OPT_FLIGHT:
		return parse_flight(optarg, cli, err);
	case 'h':
		cli->help = true;
		return 0;
	case OPT_VERSION:
		cli->version = true;
		return 0;
	default:
		return -EINVAL;	/* reported by bad_opt() */
	}
}

static int parse_positional(int argc, char **argv, struct ft_cli *cli,
			    struct ft_err *err)
{
	int i = optind;

	if (i >= argc)
		return ft_errf(err, -EINVAL, "missing mode: 'user', 'kernel' or "
			       "'syscall' (see --help)");
	if (!strcmp(argv[i], "user"))
		cli->mode = FT_MODE_USER;
	else if (!strcmp(argv[i], "kernel"))
		cli->mode = FT_MODE_KERNEL;
	else if (!strcmp(argv[i], "syscall"))
		cli->mode = FT_MODE_SYSCALL;
	else
		return ft_errf(err, -EINVAL, "unknown mode '%s': expected 'user', "
			       "'kernel' or 'syscall'", argv[i]);
	i++;
	if (cli->mode == FT_MODE_SYSCALL && i >= argc) {
		cli->targets = &argv[i];	/* none: every syscall */
		return 0;
	}
	if (cli->mode == FT_MODE_USER) {
		if (i >= argc)
			return ft_errf(err, -EINVAL, "missing LIB: a library or executable");
		cli->lib = argv[i++];
		if (!*cli->lib)
			return ft_errf(err, -EINVAL, "empty LIB name");
	}
	if (i >= argc)
		return ft_errf(err, -EINVAL, "missing TARGET: a symbol or 0x offset");
	cli->targets = &argv[i];
	cli->ntargets = argc - i;
	for (int k = 0; k < cli->ntargets; k++)
		if (!*cli->targets[k])
			return ft_errf(err, -EINVAL, "empty TARGET");
	return 0;
}

/* a user-mode mechanism for user mode, a kernel one for kernel mode */
static int check_mechanism(const struct ft_cli *cli, struct ft_err *err)
{
	bool user_mech;

	if (!cli->mechanism)
		return 0;
	if (cli->mode == FT_MODE_SYSCALL && strcmp(cli->mechanism, "tracepoint") &&
	    strcmp(cli->mechanism, "raw_syscalls"))
		return ft_errf(err, -EINVAL, "--mechanism %s: syscall mode attaches "
			       "through tracepoint or raw_syscalls", cli->mechanism);
	if (cli->mode != FT_MODE_SYSCALL && !strcmp(cli->mechanism, "raw_syscalls"))
		return ft_errf(err, -EINVAL, "--mechanism raw_syscalls is for syscall "
			       "mode (ftrace syscall)");
	if (cli->mode == FT_MODE_SYSCALL)
		return 0;
	user_mech = !strncmp(cli->mechanism, "uprobe", 6);
	if (user_mech != (cli->mode == FT_MODE_USER))
		return ft_errf(err, -EINVAL, "--mechanism %s is for %s mode", cli->mechanism,
			       user_mech ? "user" : "kernel");
	return 0;
}

/* -s/--stats, --hist, --by and the duration filters with the rest */
static int check_summaries(const struct ft_cli *cli, struct ft_err *err)
{
	bool agg = cli->stats || cli->hist;
	bool dur = cli->has_min_dur || cli->has_max_dur;
	const char *what = cli->stats ? "--stats" : "--hist";

	if (cli->folded && cli->by && cli->by != FT_BY_KEY_STACK)
		return ft_errf(err, -EINVAL, "--folded prints stacks: --by stack, not "
			       "another --by");
	if (cli->folded && (cli->hist || cli->format == FT_FORMAT_JSON ||
			    cli->interval_ms))
		return ft_errf(err, -EINVAL, "--folded prints the final counts as folded "
			       "lines: %s does not apply", cli->hist ? "--hist" :
			       cli->interval_ms ? "--interval" : "--format=json");
	if (cli->by == FT_BY_KEY_STACK && cli->hist)
		return ft_errf(err, -EINVAL, "--by stack has no histograms: use --stats "
			       "(calls, avg, p99 per stack)");
	if (cli->by && !agg)
		return ft_errf(err, -EINVAL, "--by needs --stats or --hist%s", cli->top ?
			       " (--top is always by process)" : "");
	if (agg && cli->top)
		return ft_errf(err, -EINVAL, "%s and --top exclude each other", what);
	if (agg && dur)
		return ft_errf(err, -EINVAL, "%s summarizes every call; --%s-duration "
			       "filters streamed events", what,
			       cli->has_min_dur ? "min" : "max");
	if (agg && (cli->perfetto || cli->limit || cli->comm))
		return ft_errf(err, -EINVAL, "%s prints summaries, no events: %s does "
			       "not apply", what, cli->perfetto ? "--perfetto" :
			       cli->limit ? "--limit" : "--comm");
	if (cli->hist && cli->no_retprobe)
		return ft_errf(err, -EINVAL, "--hist needs exec times: drop --no-retprobe");
	if (dur && cli->no_retprobe)
		return ft_errf(err, -EINVAL, "--%s-duration needs exec times: drop "
			       "--no-retprobe", cli->has_min_dur ? "min" : "max");
	if (dur && cli->top)
		return ft_errf(err, -EINVAL, "--%s-duration filters streamed events; "
			       "--top prints none", cli->has_min_dur ? "min" : "max");
	if (cli->has_min_dur && cli->has_max_dur && cli->min_dur > cli->max_dur)
		return ft_errf(err, -EINVAL, "--min-duration is longer than --max-duration");
	return 0;
}

/* -c/--, -p, -f and -u together */
static int check_command(const struct ft_cli *cli, struct ft_err *err)
{
	if (cli->cmd_str && cli->cmd)
		return ft_errf(err, -EINVAL, "give the command once: -c CMD or -- CMD ARGS...");
	if ((cli->cmd_str || cli->cmd) && cli->pid != FT_PID_ALL)
		return ft_errf(err, -EINVAL, "-p and a command (-c or --) exclude each other");
	if (!cli->cmd_str && !cli->cmd && (cli->follow || cli->user))
		return ft_errf(err, -EINVAL, "%s needs a command (-c CMD or -- CMD ARGS...)",
			       cli->follow ? "-f/--follow" : "-u/--user");
	return 0;
}

/* After the options ("--" at argv[dd], positional words from optind): when
 * the mode, LIB and a TARGET came before "--", the rest is the command.
 * Otherwise "--" only ended the options (a TARGET may start with '-') and
 * the next "--" starts the command. Returns the end of the positional words. */
static int split_command(int full, char **argv, int dd, struct ft_cli *cli,
			 struct ft_err *err)
{
	int npos = dd - optind;
	int need = npos >= 1 && !strcmp(argv[optind], "kernel") ? 2 :
		   npos >= 1 && !strcmp(argv[optind], "syscall") ? 1 : 3;

	if (dd >= full)
		return full;
	if (npos < need) {
		/* drop this "--": the positional words continue after it */
		memmove(&argv[dd], &argv[dd + 1], (size_t)(full - dd) * sizeof(*argv));
		for (full--; dd < full && strcmp(argv[dd], "--"); dd++)
			;
		if (dd >= full)
			return full;
	}
	if (dd + 1 >= full)
		return ft_errf(err, -EINVAL, "missing command after '--'");
	cli->cmd = &argv[dd + 1];
	return dd;
}

int cli_parse(int argc, char **argv, struct ft_cli *cli, struct ft_err *err)
{
	int c, ret, dd, full;

	memset(cli, 0, sizeof(*cli));
	/* options end at the first "--"; getopt never sees past it */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--"); dd++)
		;
	full = argc;
	argc = dd;
	cli->buffer_size = FT_DEFAULT_BUFFER;
	optind = 0;	/* not 1: glibc then also drops the rest of a "-xyz"
			 * cluster an earlier call stopped in (stale pointer) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:c:fu:tl:b:vhi:n:o:s", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return bad_opt(c, argv, err);
		ret = parse_opt(c, cli, err);
		if (ret)
			return ret;
	}
	if (cli->libbpf_path && cli->loader == FT_LOADER_BUILTIN)
		return ft_errf(err, -EINVAL, "--libbpf-path needs --loader=libbpf, not "
			       "--loader=builtin");
	if (cli->loader == FT_LOADER_DEFAULT)
		cli->loader = cli->libbpf_path ? FT_LOADER_LIBBPF : FT_LOADER_BUILTIN;
	if (cli->help || cli->version)
		return 0;
	if (cli->folded) {	/* counts per stack, printed folded */
		cli->stats = true;
		if (!cli->by)
			cli->by = FT_BY_KEY_STACK;
	}
	ret = check_summaries(cli, err);
	if (ret)
		return ret;
	if (cli->interval_ms && !cli->top && !cli->stats && !cli->hist)
		return ft_errf(err, -EINVAL, "--interval needs --top, --stats or --hist");
	if ((cli->batch || cli->iterations) && !cli->top)
		return ft_errf(err, -EINVAL, "%s needs --top", cli->batch ? "--batch" :
			       "--iterations");
	if (cli->top && (cli->output || cli->perfetto || cli->format))
		return ft_errf(err, -EINVAL, "--top draws a table; %s applies to "
			       "event output", cli->output ? "--output" :
			       cli->perfetto ? "--perfetto" : "--format");
	if (cli->comm && cli->format == FT_FORMAT_JSON)
		return ft_errf(err, -EINVAL, "--comm is for the text format (JSON "
			       "always has \"comm\")");
	if (cli->output && cli->perfetto && !strcmp(cli->output, cli->perfetto))
		return ft_errf(err, -EINVAL, "--output and --perfetto name the same "
			       "file '%s'", cli->output);
	if (cli->stack && (cli->stats || cli->hist || cli->top || cli->has_min_dur ||
			   cli->has_max_dur) && cli->by != FT_BY_KEY_STACK)
		return ft_errf(err, -EINVAL, "--stack is for the event stream or --stats "
			       "--by stack, not %s", cli->top ? "--top" : cli->stats ||
			       cli->hist ? "--stats/--hist without --by stack" :
			       "--min/--max-duration");
	if (cli->top && cli->limit)
		return ft_errf(err, -EINVAL, "--limit counts printed events; --top "
			       "prints none (use --iterations with --batch)");
	if (cli->flight && (cli->top || cli->stats || cli->hist || cli->limit))
		return ft_errf(err, -EINVAL, "--flight-recorder keeps events to write "
			       "later; %s does not apply", cli->top ? "--top" :
			       cli->stats ? "--stats" : cli->hist ? "--hist" : "--limit");
	argc = split_command(full, argv, dd, cli, err);
	if (argc < 0)
		return argc;
	ret = check_command(cli, err);
	if (!ret)
		ret = parse_positional(argc, argv, cli, err);
	if (!ret)
		ret = check_stack(cli, err);
	return ret ? ret : check_mechanism(cli, err);
}
