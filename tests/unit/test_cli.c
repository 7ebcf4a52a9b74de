// SPDX-License-Identifier: MIT
/* cli_parse: accepted forms and exact error messages. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "err.h"

static int parse(const char *line, struct ft_cli *cli, struct ft_err *err)
{
	static char buf[1024];
	static char *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "ftrace %s", line);
	for (char *tok = strtok(buf, " "); tok && argc < 63; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err->msg[0] = 0;
	return cli_parse(argc, argv, cli, err);
}

static void bad(const char *line, const char *msg)
{
	struct ft_cli cli;
	struct ft_err err;

	CHECK_EQ(parse(line, &cli, &err), -EINVAL);
	CHECK_STR(err.msg, msg);
}

int main(void)
{
	struct ft_cli cli;
	struct ft_err err;
	uint64_t v;

	CHECK_EQ(parse("user libc.so.6 malloc free", &cli, &err), 0);
	CHECK_EQ(cli.mode, FT_MODE_USER);
	CHECK_STR(cli.lib, "libc.so.6");
	CHECK_EQ(cli.ntargets, 2);
	CHECK_STR(cli.targets[1], "free");
	CHECK_EQ(cli.pid, FT_PID_ALL);
	CHECK_EQ(cli.buffer_size, FT_DEFAULT_BUFFER);

	/* options anywhere, long and short */
	CHECK_EQ(parse("user ./app 0x11c0 -p 1234 -t --limit 5 --no-retprobe -b 64K -v -v", &cli, &err), 0);
	CHECK_EQ(cli.pid, 1234);
	CHECK(cli.timestamps);
	CHECK_EQ(cli.limit, 5);
	CHECK(cli.no_retprobe);
	CHECK_EQ(cli.buffer_size, 65536);
	CHECK_EQ(cli.verbose, 2);
	CHECK_STR(cli.targets[0], "0x11c0");
	/* syscall mode: names optional; --cgroup, --flight-recorder */
	CHECK_EQ(parse("syscall", &cli, &err), 0);
	CHECK_EQ(cli.mode, FT_MODE_SYSCALL);
	CHECK_EQ(cli.ntargets, 0);
	CHECK_EQ(parse("syscall open* read -p 7 --cgroup a/b --flight-recorder", &cli, &err), 0);
	CHECK_EQ(cli.ntargets, 2);
	CHECK_STR(cli.targets[0], "open*");
	CHECK_STR(cli.cgroup, "a/b");
	CHECK_EQ(cli.flight, FT_DEFAULT_FLIGHT);
	CHECK_EQ(parse("syscall --flight-recorder=64K -- ls -l", &cli, &err), 0);
	CHECK_EQ(cli.flight, 65536);
	CHECK_EQ(cli.ntargets, 0);
	CHECK_STR(cli.cmd[0], "ls");
	CHECK_STR(cli.cmd[1], "-l");
	CHECK_EQ(parse("syscall lseek -- ./calls lseek 3", &cli, &err), 0);
	CHECK_EQ(cli.ntargets, 1);
	CHECK_STR(cli.cmd[1], "lseek");
	CHECK_EQ(parse("kernel syscall:mount --mechanism tracepoint", &cli, &err), 0);
	CHECK_STR(cli.mechanism, "tracepoint");
	CHECK_EQ(parse("syscall --mechanism raw_syscalls", &cli, &err), 0);
	bad("syscall --mechanism kprobe", "--mechanism kprobe: syscall mode attaches "
	    "through tracepoint or raw_syscalls");
	bad("kernel x --mechanism raw_syscalls", "--mechanism raw_syscalls is for "
	    "syscall mode (ftrace syscall)");
	bad("user x y --mechanism tracepoint", "--mechanism tracepoint is for kernel mode");
	bad("syscall --flight-recorder=1K", "invalid flight recorder size '1K': expected "
	    "64K to 1G (e.g. 4M)");
	bad("syscall --flight-recorder=2G", "invalid flight recorder size '2G': expected "
	    "64K to 1G (e.g. 4M)");
	bad("syscall --flight-recorder --top", "--flight-recorder keeps events to write "
	    "later; --top does not apply");
	bad("syscall --flight-recorder -l 5", "--flight-recorder keeps events to write "
	    "later; --limit does not apply");
	CHECK_EQ(parse("-p self kernel vfs_read", &cli, &err), 0);
	CHECK_EQ(cli.pid, FT_PID_SELF);
	CHECK_EQ(cli.mode, FT_MODE_KERNEL);
	CHECK_EQ(parse("user x y --pid=all --force", &cli, &err), 0);
	CHECK_EQ(cli.pid, FT_PID_ALL);
	CHECK(cli.force);
	CHECK_EQ(parse("--version", &cli, &err), 0);
	CHECK(cli.version);
	CHECK_EQ(cli.loader, FT_LOADER_BUILTIN);

	/* loaders: --libbpf-path implies libbpf */
	CHECK_EQ(parse("user x y", &cli, &err), 0);
	CHECK_EQ(cli.loader, FT_LOADER_BUILTIN);
	CHECK(cli.libbpf_path == NULL);
	CHECK_EQ(parse("user x y --loader=libbpf", &cli, &err), 0);
	CHECK_EQ(cli.loader, FT_LOADER_LIBBPF);
	CHECK_EQ(parse("--loader builtin user x y", &cli, &err), 0);
	CHECK_EQ(cli.loader, FT_LOADER_BUILTIN);
	CHECK_EQ(parse("user x y --libbpf-path /opt/libbpf.so.1", &cli, &err), 0);
	CHECK_EQ(cli.loader, FT_LOADER_LIBBPF);
	CHECK_STR(cli.libbpf_path, "/opt/libbpf.so.1");
	CHECK_EQ(parse("--version --loader=libbpf", &cli, &err), 0);
	CHECK_EQ(cli.loader, FT_LOADER_LIBBPF);

	/* --stack[=WHICH], --by stack, --folded */
	CHECK_EQ(parse("user x y --stack", &cli, &err), 0);
	CHECK_EQ(cli.stack, FT_STACK_USER);
	CHECK_EQ(parse("kernel y --stack", &cli, &err), 0);
	CHECK_EQ(cli.stack, FT_STACK_KERNEL);
	CHECK_EQ(parse("kernel y --stack=user", &cli, &err), 0);
	CHECK_EQ(cli.stack, FT_STACK_USER);
	CHECK_EQ(parse("kernel y -s --by stack", &cli, &err), 0);
	CHECK_EQ(cli.stack, FT_STACK_KERNEL);
	CHECK_EQ(cli.by, FT_BY_KEY_STACK);
	CHECK_EQ(parse("kernel y -s --by stack --stack=kernel,user", &cli, &err), 0);
	CHECK_EQ(cli.stack, FT_STACK_USER | FT_STACK_KERNEL);
	CHECK_EQ(parse("user x y --folded", &cli, &err), 0);
	CHECK(cli.stats && cli.folded);
	CHECK_EQ(cli.by, FT_BY_KEY_STACK);
	CHECK_EQ(cli.stack, FT_STACK_USER);
	bad("user x y --stack=both", "invalid --stack 'both': expected 'user', 'kernel' "
	    "or 'user,kernel'");
	bad("user x y --stack=kernel", "--stack=kernel: a uprobe runs on the way back to "
	    "user mode, with no kernel stack of the traced code; user mode has --stack=user");
	bad("kernel y --stack=user,kernel", "--stack=user,kernel is for --stats --by "
	    "stack; the event stream shows one stack (user or kernel)");
	bad("user x y --stack -s", "--stack is for the event stream or --stats --by "
	    "stack, not --stats/--hist without --by stack");
	bad("user x y --by stack", "--by needs --stats or --hist");
	bad("user x y --hist --by stack", "--by stack has no histograms: use --stats "
	    "(calls, avg, p99 per stack)");
	bad("user x y --folded --by pid", "--folded prints stacks: --by stack, not "
	    "another --by");
	bad("user x y --folded -i 1", "--folded prints the final counts as folded "
	    "lines: --interval does not apply");
	bad("user x y --folded --format=json", "--folded prints the final counts as "
	    "folded lines: --format=json does not apply");
	bad("user x y --by frame -s", "invalid --by 'frame': expected 'pid', 'tid', "
	    "'comm' or 'stack'");

	bad("", "missing mode: 'user', 'kernel' or 'syscall' (see --help)");
	bad("frob x", "unknown mode 'frob': expected 'user', 'kernel' or 'syscall'");
	bad("user", "missing LIB: a library or executable");
	bad("user libc.so.6", "missing TARGET: a symbol or 0x offset");
	bad("kernel", "missing TARGET: a symbol or 0x offset");
	bad("user x y -p 0", "invalid PID '0': expected a positive number, 'self' or 'all'");
	bad("user x y -p -5", "invalid PID '-5': expected a positive number, 'self' or 'all'");
	bad("user x y -p 99999999999", "invalid PID '99999999999': expected a positive number, 'self' or 'all'");
	bad("user x y -p 12ab", "invalid PID '12ab': expected a positive number, 'self' or 'all'");
	bad("user x y -l 0", "invalid limit '0': expected a positive number of events");
	bad("user x y -l 1e3", "invalid limit '1e3': expected a positive number of events");
	bad("user x y -b 3000", "invalid buffer size '3000': expected a power of two from 4K to 1G (e.g. 16M)");
	bad("user x y -b 2G", "invalid buffer size '2G': expected a power of two from 4K to 1G (e.g. 16M)");
	bad("user x y -b 99999999999999999999G", "invalid buffer size '99999999999999999999G': expected a power of two from 4K to 1G (e.g. 16M)");
	bad("user x y --loader=bcc", "invalid loader 'bcc': expected 'builtin' or 'libbpf'");
	bad("user x y --loader=", "invalid loader '': expected 'builtin' or 'libbpf'");
	bad("user x y --loader", "option '--loader' needs an argument (see --help)");
	bad("user x y --libbpf-path=", "empty --libbpf-path");
	bad("user x y --loader=builtin --libbpf-path /x.so",
	    "--libbpf-path needs --loader=libbpf, not --loader=builtin");
	bad("user x y --bogus", "unknown option '--bogus' (see --help)");
	bad("user x y -p", "option '-p' needs an argument (see --help)");
	bad("user x y --pid", "option '--pid' needs an argument (see --help)");
	bad("-qv user x y", "unknown option '-q' (see --help)");
	bad("-vq user x y", "unknown option '-q' (see --help)");
	bad("user x y --limit=", "invalid limit '': expected a positive number of events");

	CHECK_EQ(parse_u64("0x", 16, &v), -EINVAL);
	CHECK_EQ(parse_u64("ffffffffffffffff", 16, &v), 0);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(parse_u64("10000000000000000", 16, &v), -EINVAL);
	CHECK_EQ(parse_size("16M", &v), 0);
	CHECK_EQ(v, 16 << 20);
	CHECK_EQ(parse_size("M", &v), -EINVAL);
	return check_done("test_cli");
}
