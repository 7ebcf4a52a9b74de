// SPDX-License-Identifier: MIT
/* Test target for the live view: two processes with known calls.
 *
 *   topload FILE A B C D
 *     parent "topload":  A calls of tl_alpha, B calls of tl_beta
 *     child  "topchild": C calls of tl_alpha, D calls of tl_gamma
 *   Each process runs its calls once per SIGUSR1 it receives, then appends
 *   "done PID" to FILE. "ready PARENT CHILD" is written to FILE when both
 *   wait for signals. SIGTERM/SIGINT end both (the child also dies with the
 *   parent). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline, used))
#define BARRIER() __asm__ volatile("" ::: "memory")

NOINLINE long tl_alpha(long x)
{
	BARRIER();
	return x + 1;
}

NOINLINE long tl_beta(long x)
{
	BARRIER();
	return x + 2;
}

NOINLINE long tl_gamma(long x)
{
	BARRIER();
	return x + 3;
}

static volatile sig_atomic_t go, stop;

static void on_usr1(int sig)
{
	(void)sig;
	go++;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void note(const char *file, const char *line)
{
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		exit(2);
	close(fd);
}

static void serve(const char *file, long (*f1)(long), long n1, long (*f2)(long), long n2)
{
	sigset_t none;
	char line[64];
	long sum = 0;

	sigemptyset(&none);
	while (!stop) {
		while (!go && !stop)
			sigsuspend(&none);
		while (go && !stop) {
			go--;
			for (long i = 0; i < n1; i++)
				sum += f1(i);
			for (long i = 0; i < n2; i++)
				sum += f2(i);
			snprintf(line, sizeof(line), "done %d\n", (int)getpid());
			note(file, line);
		}
	}
	if (sum < 0)
		exit(3);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	long n[4];
	sigset_t block;
	char line[64];
	pid_t child;

	if (argc != 6)
		return 1;
	for (int i = 0; i < 4; i++)
		n[i] = atol(argv[i + 2]);
	/* signals wait blocked until sigsuspend: none is lost in between */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		prctl(PR_SET_NAME, "topchild");
		serve(argv[1], tl_alpha, n[2], tl_gamma, n[3]);
		return 0;
	}
	/* the child has renamed itself once its comm says so */
	for (int i = 0; i < 500; i++) {
		char path[64], comm[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)child);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = 0;
			fclose(f);
		}
		if (!strcmp(comm, "topchild\n"))
			break;
		usleep(10000);
	}
	snprintf(line, sizeof(line), "ready %d %d\n", (int)getpid(), (int)child);
	note(argv[1], line);
	serve(argv[1], tl_alpha, n[0], tl_beta, n[1]);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return 0;
}
