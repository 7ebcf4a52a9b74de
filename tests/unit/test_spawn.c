// SPDX-License-Identifier: MIT
/* The traced command's pure parts: -c word splitting, PATH search, exit
 * codes, -u's passwd/group reading; and the CLI rules around them. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "err.h"
#include "follow.h"
#include "spawn.h"
#include "user.h"

static const char *split_join(const char *cmd, int *ret)
{
	static char out[512];
	static struct ft_err err;
	char **v = NULL;

	out[0] = 0;
	err.msg[0] = 0;
	*ret = spawn_split(cmd, &v, &err);
	if (*ret)
		return err.msg;
	for (char **p = v; *p; p++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "<%s>", *p);
	free(v);
	return out;
}

static void test_split(void)
{
	int r;

	CHECK_STR(split_join("ls -l  /tmp", &r), "<ls><-l></tmp>");
	CHECK_STR(split_join("  a\t'b c'  \"d \\\"e\\\\\" f\\ g", &r),
		  "<a><b c><d \"e\\><f g>");
	CHECK_STR(split_join("x '' \"\"", &r), "<x><><>");
	CHECK_STR(split_join("a'b'\"c\"d", &r), "<abcd>");
	CHECK_STR(split_join("'it''s' \"\\n\"", &r), "<its><\\n>");
	CHECK_STR(split_join("$HOME *", &r), "<$HOME><*>");
	CHECK_STR(split_join("a 'b", &r), "-c: unterminated quote in 'a 'b'");
	CHECK_EQ(r, -EINVAL);
	CHECK_STR(split_join("a \"b\\\"", &r), "-c: unterminated quote in 'a \"b\\\"'");
	CHECK_STR(split_join("   ", &r), "-c: empty command");
	CHECK_STR(split_join("a\\", &r), "<a\\>");
}

static void test_find(void)
{
	char path[4096], dir[] = "/tmp/ftrace-unit-XXXXXX", f[256];
	struct ft_err err = { "" };
	int code = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(f, sizeof(f), "%s/noexec", dir);
	close(creat(f, 0644));
	setenv("PATH", dir, 1);
	CHECK_EQ(spawn_find("noexec", path, sizeof(path), &code, &err), -EACCES);
	CHECK_EQ(code, 126);
	CHECK_STR(err.msg, "noexec: Permission denied");
	chmod(f, 0755);
	CHECK_EQ(spawn_find("noexec", path, sizeof(path), &code, &err), 0);
	CHECK_STR(path, f);
	CHECK_EQ(spawn_find("none", path, sizeof(path), &code, &err), -ENOENT);
	CHECK_EQ(code, 127);
	CHECK_STR(err.msg, "none: command not found");
	CHECK_EQ(spawn_find("", path, sizeof(path), &code, &err), -ENOENT);
	CHECK_EQ(code, 127);
	CHECK_EQ(spawn_find(dir, path, sizeof(path), &code, &err), -EISDIR);
	CHECK_EQ(code, 126);
	setenv("PATH", "/nonexistent::/bin", 1);
	CHECK_EQ(spawn_find("sh", path, sizeof(path), &code, &err), 0);
	CHECK_STR(path, "/bin/sh");
	unlink(f);
	rmdir(dir);
}

static void test_exit_code(void)
{
	CHECK_EQ(spawn_exit_code(3 << 8), 3);
	CHECK_EQ(spawn_exit_code(0), 0);
	CHECK_EQ(spawn_exit_code(SIGKILL), 137);
	CHECK_EQ(spawn_exit_code(SIGINT), 130);
}

static void test_user(void)
{
	const char *pw = "root:x:0:0:root:/root:/bin/bash\n"
			 "# comment\n"
			 "bad:x:notanumber:1::/:/bin/sh\n"
			 "alice:x:1000:100:Alice:/home/alice:/bin/sh\n"
			 "bob:x:1001:1001::/home/bob:/bin/sh";
	const char *gr = "users:x:100:\n"
			 "audio:x:29:bob,alice\n"
			 "video:x:44:alicex,bob\n"
			 "wheel:x:10:alice\n"
			 "dup:x:100:alice\n"
			 "broken:x::alice\n";
	struct spawn_user u;
	char login[64];

	CHECK_EQ(user_from_passwd(pw, "alice", &u, login, sizeof(login)), 0);
	CHECK_EQ(u.uid, 1000);
	CHECK_EQ(u.gid, 100);
	CHECK_STR(login, "alice");
	user_groups(gr, login, &u);
	CHECK_EQ(u.ngroups, 3);		/* 100, 29, 10; dup and broken not again */
	CHECK_EQ(u.groups[0], 100);
	CHECK_EQ(u.groups[1], 29);
	CHECK_EQ(u.groups[2], 10);
	CHECK_EQ(user_from_passwd(pw, "1001", &u, login, sizeof(login)), 0);
	CHECK_STR(login, "bob");
	CHECK_EQ(u.gid, 1001);
	CHECK_EQ(user_from_passwd(pw, "bad", &u, login, sizeof(login)), -ENOENT);
	CHECK_EQ(user_from_passwd(pw, "ali", &u, login, sizeof(login)), -ENOENT);
	CHECK_EQ(user_from_passwd(pw, "", &u, login, sizeof(login)), -ENOENT);
	CHECK_EQ(user_from_passwd("", "root", &u, login, sizeof(login)), -ENOENT);
}

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

static void test_cli(void)
{
	struct ft_cli c;
	struct ft_err err;

	CHECK_EQ(parse("user ./a f -c x -f -u nobody", &c, &err), 0);
	CHECK_STR(c.cmd_str, "x");
	CHECK(c.follow);
	CHECK_STR(c.user, "nobody");
	CHECK(c.cmd == NULL);
	/* options after the targets and before --; --'s words untouched */
	CHECK_EQ(parse("user ./a f g -v -- ./cmd -p 1 -- x", &c, &err), 0);
	CHECK_EQ(c.ntargets, 2);
	CHECK_EQ(c.verbose, 1);
	CHECK_EQ(c.pid, FT_PID_ALL);
	CHECK_STR(c.cmd[0], "./cmd");
	CHECK_STR(c.cmd[1], "-p");
	CHECK_STR(c.cmd[4], "x");
	CHECK(c.cmd[5] == NULL);
	CHECK_EQ(parse("kernel f --follow -- ./x", &c, &err), 0);
	CHECK_EQ(parse("user ./a f -c x -p 3", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "-p and a command (-c or --) exclude each other");
	CHECK_EQ(parse("user ./a f -p self -- x", &c, &err), -EINVAL);
	CHECK_EQ(parse("user ./a f -c x -- y", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "give the command once: -c CMD or -- CMD ARGS...");
	CHECK_EQ(parse("user ./a f --follow", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "-f/--follow needs a command (-c CMD or -- CMD ARGS...)");
	CHECK_EQ(parse("user ./a f -u root", &c, &err), -EINVAL);
	CHECK_EQ(parse("user ./a f --", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "missing command after '--'");
	/* a "--" before the first TARGET only ends the options */
	CHECK_EQ(parse("user ./a -- -0x10", &c, &err), 0);
	CHECK_EQ(c.ntargets, 1);
	CHECK_STR(c.targets[0], "-0x10");
	CHECK(c.cmd == NULL);
	CHECK_EQ(parse("user -v -- ./a -f g -- ./cmd -x", &c, &err), 0);
	CHECK_STR(c.lib, "./a");
	CHECK_EQ(c.ntargets, 2);
	CHECK_STR(c.targets[0], "-f");
	CHECK_STR(c.cmd[0], "./cmd");
	CHECK_STR(c.cmd[1], "-x");
	CHECK(c.cmd[2] == NULL);
	CHECK_EQ(parse("kernel -- -x -- ls", &c, &err), 0);
	CHECK_STR(c.targets[0], "-x");
	CHECK_STR(c.cmd[0], "ls");
	CHECK_EQ(parse("kernel f -- ls", &c, &err), 0);
	CHECK_STR(c.cmd[0], "ls");
	CHECK_EQ(parse("user ./a -- f --", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "missing command after '--'");
	CHECK_EQ(parse("user ./a --", &c, &err), -EINVAL);
	CHECK_STR(err.msg, "missing TARGET: a symbol or 0x offset");
}

static void test_tp_field(void)
{
	/* Linux 6.18 (__data_loc comms) and 6.1 (char[16] comms) */
	const char *f618 =
		"name: sched_process_fork\nID: 366\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:__data_loc char[] parent_comm;\toffset:8;\tsize:4;\tsigned:0;\n"
		"\tfield:pid_t parent_pid;\toffset:12;\tsize:4;\tsigned:1;\n"
		"\tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;\n"
		"\tfield:pid_t child_pid;\toffset:20;\tsize:4;\tsigned:1;\n\n"
		"print fmt: \"comm=%s pid=%d child_comm=%s child_pid=%d\", REC->child_pid\n";
	const char *f61 =
		"\tfield:char parent_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
		"\tfield:pid_t parent_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
		"\tfield:char child_comm[16];\toffset:28;\tsize:16;\tsigned:0;\n"
		"\tfield:pid_t child_pid;\toffset:44;\tsize:4;\tsigned:1;\n";
	const char *fexit = "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
		"\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
		"\tfield:bool group_dead;\toffset:32;\tsize:1;\tsigned:0;\n";
	uint32_t off = 0, size = 0;

	CHECK_EQ(tp_field(f618, "child_pid", &off, &size), 0);
	CHECK_EQ(off, 20);
	CHECK_EQ(size, 4);
	CHECK_EQ(tp_field(f618, "child_comm", &off, &size), 0);
	CHECK_EQ(off, 16);
	CHECK_EQ(tp_field(f61, "child_pid", &off, &size), 0);
	CHECK_EQ(off, 44);
	CHECK_EQ(tp_field(f61, "child_comm", &off, &size), 0);
	CHECK_EQ(size, 16);
	CHECK_EQ(tp_field(f61, "pid", &off, &size), -ENOENT);	/* not parent_pid */
	CHECK_EQ(tp_field(fexit, "pid", &off, &size), 0);
	CHECK_EQ(off, 24);
	CHECK_EQ(tp_field(fexit, "group_dead", &off, &size), 0);
	CHECK_EQ(off, 32);
	CHECK_EQ(size, 1);
	CHECK_EQ(tp_field(f61, "group_dead", &off, &size), -ENOENT);
	CHECK_EQ(tp_field("\tfield:pid_t child_pid;\toffset:x;\tsize:4;\n", "child_pid",
			  &off, &size), -ENOENT);
	CHECK_EQ(tp_field("\tfield:pid_t child_pid;\toffset:20;\n", "child_pid",
			  &off, &size), -ENOENT);
	CHECK_EQ(tp_field("", "child_pid", &off, &size), -ENOENT);
}

int main(void)
{
	test_tp_field();
	test_split();
	test_find();
	test_exit_code();
	test_user();
	test_cli();
	return check_done("test_spawn");
}
