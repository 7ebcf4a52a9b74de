// SPDX-License-Identifier: MIT
/* Target for -c/--/-f/-u (tests/e2e/spawn.sh). Its constructor calls
 * ft_spawn_fn(1000) before main, so tracing from the first instruction is
 * visible.
 *   spawnee calls K [STATUS]   ft_spawn_fn(0..K-1), exit STATUS
 *   spawnee signal SIG         ft_spawn_fn(7), then raise(SIG)
 *   spawnee wait               sleep up to 30 s (ends on a signal)
 *   spawnee sigcount           count SIGINTs until 0.5 s after the first (up
 *                              to 30 s), exit with the count
 *   spawnee uid FILE           ft_spawn_fn(7); "uid gid groups..." to FILE
 *   spawnee fork D             ft_spawn_fn(D); for D > 0 a child calls
 *                              ft_spawn_fn(100 + D), then execs
 *                              "spawnee fork D-1"; exits with its status */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

/* riscv64: Linux 6.1 refuses a uprobe on C.ADDIW (decoded as RV32's C.JAL),
 * which "x + 1" would start with; a full-size nop comes first instead */
__attribute__((noinline, used)) int ft_spawn_fn(int x)
{
#ifdef __riscv
	__asm__ volatile(".option push\n.option norvc\nnop\n.option pop" : "+r"(x));
#else
	__asm__ volatile("" : "+r"(x));
#endif
	return x + 1;
}

__attribute__((constructor)) static void early(void)
{
	ft_spawn_fn(1000);
}

static volatile sig_atomic_t nsig;

static void on_int(int sig)
{
	(void)sig;
	nsig++;
}

static int count_sigint(void)
{
	struct timespec t = { 0, 500000000 };

	signal(SIGINT, on_int);
	for (int i = 0; i < 300 && !nsig; i++)
		usleep(100000);
	while (nanosleep(&t, &t))
		;
	return nsig;
}

static int write_ids(const char *path)
{
	gid_t g[64];
	int n = getgroups(64, g);
	FILE *f = fopen(path, "w");

	if (!f || n < 0)
		return 1;
	fprintf(f, "%u %u", (unsigned)getuid(), (unsigned)getgid());
	for (int i = 0; i < n; i++)
		fprintf(f, " %u", (unsigned)g[i]);
	fputc('\n', f);
	return fclose(f) ? 1 : 0;
}

static int do_fork(const char *self, int d)
{
	char arg[16];
	int st;
	pid_t p;

	ft_spawn_fn(d);
	if (d <= 0)
		return 0;
	p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		ft_spawn_fn(100 + d);
		snprintf(arg, sizeof(arg), "%d", d - 1);
		execl(self, self, "fork", arg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 1;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "calls")) {
		int k = atoi(argv[2]);

		for (int i = 0; i < k; i++)
			ft_spawn_fn(i);
		return argc > 3 ? atoi(argv[3]) : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "signal")) {
		ft_spawn_fn(7);
		raise(atoi(argv[2]));
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "uid")) {
		ft_spawn_fn(7);
		return write_ids(argv[2]);
	}
	if (argc == 2 && !strcmp(argv[1], "sigcount"))
		return count_sigint();
	if (argc == 2 && !strcmp(argv[1], "wait")) {
		sleep(30);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fork"))
		return do_fork(argv[0], atoi(argv[2]));
	fprintf(stderr, "usage: spawnee calls K [STATUS] | signal SIG | uid FILE | fork D\n");
	return 2;
}
