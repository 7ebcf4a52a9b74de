// SPDX-License-Identifier: MIT
/* One benchmark run: start the target (blocked on a FIFO), optionally start
 * a tracer and wait until it says "attached", release the target and time it
 * from release to exit, then collect the tracer's CPU time with wait4().
 *
 *   drive -f FIFO [-o OUT] [-e ERR] [-s] -- TARGET ARGS... [-- TRACER ARGS...]
 *
 *   -f FIFO  the FIFO the target waits on (created by the caller)
 *   -o OUT   the tracer's stdout (default /dev/null)
 *   -e ERR   the tracer's stderr is copied here (default our stderr)
 *   -s       send SIGINT to the tracer once the target has exited
 *            (otherwise the tracer is expected to notice the exit itself)
 *
 * "%PID%" in the tracer's arguments becomes the target's PID. Prints one
 * line of key=value pairs (nanoseconds) on stdout; exits nonzero on any
 * failure, including a target that did not exit 0. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LAG_LIMIT_MS	60000	/* the tracer gets this long to finish */

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000LL + (int64_t)tv->tv_usec * 1000;
}

static void die(const char *what)
{
	fprintf(stderr, "drive: %s: %s\n", what, strerror(errno));
	exit(1);
}

static pid_t spawn(char **argv, int out_fd, int err_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	if (out_fd >= 0 && dup2(out_fd, 1) < 0)
		_exit(127);
	if (err_fd >= 0 && dup2(err_fd, 2) < 0)
		_exit(127);
	execv(argv[0], argv);
	fprintf(stderr, "drive: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The tracer's stderr: copied as it comes, watched for "attached". */
struct errpipe {
	int fd;
	FILE *copy;
	char tail[256];		/* last bytes seen, to match across reads */
	size_t tail_len;
	int attached;
};

/* One read; returns 0 at EOF (or error), else 1. */
static int errpipe_read(struct errpipe *e)
{
	char buf[4096 + sizeof(e->tail)];
	ssize_t n;

	memcpy(buf, e->tail, e->tail_len);
	n = read(e->fd, buf + e->tail_len, 4096);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return 0;
	fwrite(buf + e->tail_len, 1, (size_t)n, e->copy);
	fflush(e->copy);
	n += (ssize_t)e->tail_len;
	if (memmem(buf, (size_t)n, "attached", 8))
		e->attached = 1;
	e->tail_len = (size_t)n < 16 ? (size_t)n : 16;
	memmove(e->tail, buf + n - (ssize_t)e->tail_len, e->tail_len);
	return 1;
}

static int open_fifo(const char *fifo, pid_t target)
{
	for (int i = 0; i < 10000; i++) {
		int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

		if (fd >= 0)
			return fd;
		if (errno != ENXIO)
			die(fifo);
		/* no reader yet: the target is still starting */
		if (waitpid(target, NULL, WNOHANG) == target) {
			fprintf(stderr, "drive: the target exited before reading %s\n", fifo);
			exit(1);
		}
		usleep(1000);
	}
	fprintf(stderr, "drive: the target never opened %s\n", fifo);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *fifo = NULL, *out = "/dev/null", *err = NULL;
	char **target, **tracer = NULL;
	struct errpipe ep = { .fd = -1, .copy = stderr };
	struct rusage tru = { 0 }, ru;
	pid_t tpid, rpid = -1;
	int c, sigint = 0, st, ffd, out_fd = -1;
	int64_t t0, t1, t2 = 0;
	char pidbuf[32];

	while ((c = getopt(argc, argv, "+f:o:e:s")) != -1) {
		switch (c) {
		case 'f': fifo = optarg; break;
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		case 's': sigint = 1; break;
		default: return 2;
		}
	}
	/* getopt() has consumed the "--" before TARGET */
	if (!fifo || optind >= argc || strcmp(argv[optind - 1], "--")) {
		fputs("usage: drive -f FIFO [-o OUT] [-e ERR] [-s] -- TARGET... "
		      "[-- TRACER...]\n", stderr);
		return 2;
	}
	target = &argv[optind];
	for (char **a = target; *a; a++) {
		if (!strcmp(*a, "--")) {
			*a = NULL;
			tracer = a + 1;
			break;
		}
	}
	if (tracer && !*tracer)
		tracer = NULL;
	signal(SIGPIPE, SIG_IGN);

	tpid = spawn(target, -1, -1);
	if (tracer) {
		int pfd[2];

		snprintf(pidbuf, sizeof(pidbuf), "%d", (int)tpid);
		for (char **a = tracer; *a; a++)
			if (!strcmp(*a, "%PID%"))
				*a = pidbuf;
		if (err) {
			ep.copy = fopen(err, "w");
			if (!ep.copy)
				die(err);
		}
		out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out_fd < 0)
			die(out);
		if (pipe2(pfd, O_CLOEXEC))
			die("pipe");
		rpid = spawn(tracer, out_fd, pfd[1]);
		close(pfd[1]);
		close(out_fd);
		ep.fd = pfd[0];
		while (!ep.attached)
			if (!errpipe_read(&ep)) {
				fprintf(stderr, "drive: %s exited without attaching\n",
					tracer[0]);
				kill(tpid, SIGKILL);
				return 1;
			}
	}

	ffd = open_fifo(fifo, tpid);
	t0 = now_ns();
	if (write(ffd, "g", 1) != 1)
		die("write fifo");
	close(ffd);
	if (wait4(tpid, &st, 0, &ru) != tpid)
		die("wait4 target");
	t1 = now_ns();
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "drive: the target failed (status 0x%x)\n", st);
		if (rpid > 0)
			kill(rpid, SIGINT);
		return 1;
	}

	if (rpid > 0) {
		int64_t deadline = t1 + LAG_LIMIT_MS * 1000000LL;

		if (sigint)
			kill(rpid, SIGINT);
		for (;;) {
			struct pollfd p = { .fd = ep.fd, .events = POLLIN };
			int64_t left = (deadline - now_ns()) / 1000000;

			if (left <= 0) {
				fprintf(stderr, "drive: %s still running %d s after the "
					"target exited: interrupting it\n", tracer[0],
					LAG_LIMIT_MS / 1000);
				kill(rpid, SIGINT);
				deadline = now_ns() + 10000000000LL;
				continue;
			}
			if (poll(&p, 1, (int)left) > 0 && !errpipe_read(&ep))
				break;
		}
		if (wait4(rpid, &st, 0, &tru) != rpid)
			die("wait4 tracer");
		t2 = now_ns();
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "drive: %s failed (status 0x%x)\n", tracer[0], st);
			return 1;
		}
	}
	printf("wall_ns=%lld target_user_ns=%lld target_sys_ns=%lld "
	       "tracer_user_ns=%lld tracer_sys_ns=%lld tracer_lag_ns=%lld\n",
	       (long long)(t1 - t0), (long long)tv_ns(&ru.ru_utime),
	       (long long)tv_ns(&ru.ru_stime), (long long)tv_ns(&tru.ru_utime),
	       (long long)tv_ns(&tru.ru_stime), (long long)(rpid > 0 ? t2 - t1 : 0));
	return 0;
}
