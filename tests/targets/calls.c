// SPDX-License-Identifier: MIT
/* Test target with known behaviour for the end-to-end tests.
 *
 *   calls --offset SYMBOL      print the file offset of one of our symbols
 *                              (computed from /proc/self/maps), then exit
 *   calls [-w FIFO] MODE ARGS  create FIFO.ready, wait for a byte on FIFO
 *                              (so the tracer can attach first), then run MODE:
 *     args N         N calls of ft_args6(0x11, 0x22, 0x33, 0x44, 0x55, 0x66),
 *                    which returns 0x165
 *     recurse D      one ft_fact(D): D nested calls; returns D!
 *     nested N       N calls of ft_outer(), each calling ft_inner() twice
 *     threads T N    T threads, each N calls of ft_args6
 *     churn N        N short-lived threads one after another, each making
 *                    one call of ft_args6
 *     bench N        N calls of ft_bench(i, a 32-byte string)
 *     forkexec N     N calls in the parent, N in a forked child
 *     libc N         N calls of getppid() and N of strlen() (an IFUNC) in libc
 *     exec N M       N calls of ft_args6, then exec itself to make M more
 *     zombie         fork a child that exits at once, print its PID, sleep 3 s
 *                    without reaping it
 *     lseek N        N lseek(12345, 0x1234, 7) syscalls (each fails: EBADF)
 *     openat N       N openat(AT_FDCWD, "/nonexistent/ftrace-test", O_RDONLY)
 *                    syscalls (each fails: ENOENT)
 *     getxattr N     N getxattr("/", "user.ftrace-test", buf, 16) syscalls
 *                    (each fails: no such attribute, or none supported)
 *     seq N          N lseek(fd, i, 7) syscalls, i = 1..N (EBADF), one after
 *                    another: a known numbered sequence; fd 4242
 *     seqdie N SIG   seq N, then kill itself with signal SIG
 *     seqpause N     seq N, then print "done" and wait for a signal
 *     uprobed N      N calls of ft_args6, then exit 4 if this process has a
 *                    [uprobes] mapping (a uprobe was hit: one is still armed)
 *     protos         calls with known values for prototypes (tests/e2e/args.sh):
 *                    ft_proto(s, n, mode) with escapes, 300 bytes, NULL,
 *                    (char *)1; ft_buf(p, n) with 8 bytes; then
 *                    open("/nonexistent/x", O_RDONLY) in libc; returns 0
 *     stack N        N calls of ft_stack_a -> ft_stack_b -> ft_stack_c
 *                    (frame pointers: e2e.mk), then sleeps 0.3 s
 *     stacks N M     N calls of ft_stack_x -> ft_stack_c and M of ft_stack_y ->
 *                    ft_stack_c, both called from main (frame pointers),
 *                    then sleeps 0.3 s
 *     sleeps F S     F + S calls of ft_sleep(us): F of 1000 us and S of
 *                    20000 us, the slow ones spread evenly among the fast;
 *                    each sleeps at least that long and returns its us;
 *                    prints "sleep US NS" per call, NS its time as measured
 *                    around the call (CLOCK_MONOTONIC)
 * Exits 0 on success (results checked), 3 on a wrong result.
 *
 * On x86_64 two functions are never called and exist to be refused by the
 * kernel's uprobe decoder: zz_locked starts with a LOCK prefix (which ftrace
 * knows from arch/), zz_refused with an opcode invalid in 64-bit mode
 * (which only the kernel knows).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long ft_data = 42;	/* a data symbol, for the error tests */
const char *volatile ft_str = "hello, world";

#define NOINLINE __attribute__((noinline, used))
#define BARRIER() __asm__ volatile("" ::: "memory")

NOINLINE long ft_args6(long a, long b, long c, long d, long e, long f)
{
	BARRIER();
	return a + b + c + d + e + f;
}

/* another name for the same function */
extern long ft_args6_alias(long a, long b, long c, long d, long e, long f)
	__attribute__((alias("ft_args6")));

/* ft_mid_label marks an instruction boundary inside ft_mid */
NOINLINE long ft_mid(long a)
{
	long r;

	__asm__ volatile("nop\n.globl ft_mid_label\nft_mid_label:\nnop\n" ::: "memory");
	r = a * 3;
	BARRIER();
	return r;
}

NOINLINE long ft_fact(long n)
{
	/* called through a volatile pointer: gcc cannot turn it into a loop */
	long (*volatile self)(long) = ft_fact;

	if (n <= 1)
		return 1;
	return n * self(n - 1);
}

NOINLINE long ft_inner(long x)
{
	BARRIER();
	return x + 1;
}

NOINLINE long ft_outer(long x)
{
	long r = ft_inner(x);

	BARRIER();
	return ft_inner(r);
}

/* s: a 32-byte string, for the cost of reading one (make bench-sink
 * BENCH_ARGS='ft_bench(long,str)') */
NOINLINE long ft_bench(long x, const char *s)
{
	BARRIER();
	return x ^ 0x5a ^ (s[0] == 'x');
}

/* sleeps at least us microseconds (nanosleep restarts after a signal) */
NOINLINE long ft_sleep(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	BARRIER();
	return us;
}

NOINLINE long ft_proto(const char *s, long n, long mode)
{
	BARRIER();
	return n + (s && mode == 0644 ? 1 : 0);
}

NOINLINE long ft_buf(const void *p, long n)
{
	BARRIER();
	return p ? n : -1;
}

static int run_protos(void)
{
	static const char esc[] = "q\"uo\\te\nnl\ttab\x01\x7f\xff end";
	static const unsigned char bytes[8] = { 0, 1, 'A', 'B', '"', '\\', '\n', 0xff };
	char big[301];
	int fd;

	for (int i = 0; i < 300; i++)
		big[i] = (char)('a' + i % 26);
	big[300] = 0;
	if (ft_proto(esc, -5, 0644) != -4 || ft_proto(big, 300, 0) != 300 ||
	    ft_proto(NULL, 0, 0) != 0 || ft_proto((const char *)1, 2147483647, 0755) != 2147483647 ||
	    ft_buf(bytes, 8) != 8 || ft_buf(NULL, 8) != -1)
		return 3;
	fd = open("/nonexistent/x", O_RDONLY);
	return fd == -1 ? 0 : 3;
}

NOINLINE long ft_stack_c(long x)
{
	BARRIER();
	return x + 1;
}

NOINLINE long ft_stack_b(long x)
{
	long r = ft_stack_c(x);

	BARRIER();
	return r + 1;
}

NOINLINE long ft_stack_a(long x)
{
	long r = ft_stack_b(x);

	BARRIER();
	return r + 1;
}

NOINLINE long ft_stack_x(long x)
{
	long r = ft_stack_c(x);

	BARRIER();
	return r + 1;
}

NOINLINE long ft_stack_y(long x)
{
	long r = ft_stack_c(x);

	BARRIER();
	return r + 2;
}

/* inlined: main calls ft_stack_x and ft_stack_y itself */
static inline __attribute__((always_inline)) int run_stacks(long n, long m)
{
	struct timespec ts = { 0, 300000000 };

	for (long i = 0; i < n + m; i++)
		if ((i < n ? ft_stack_x(i) : ft_stack_y(i)) != i + (i < n ? 2 : 3))
			return 3;
	nanosleep(&ts, NULL);
	return 0;
}

static int run_stack(long n)
{
	struct timespec ts = { 0, 300000000 };

	for (long i = 0; i < n; i++)
		if (ft_stack_a(i) != i + 3)
			return 3;
	nanosleep(&ts, NULL);
	return 0;
}

static int run_sleeps(long fast, long slow)
{
	long n = fast + slow;

	for (long i = 0; i < n; i++) {
		/* slow when floor((i+1)*S/N) steps: S of them, evenly spread */
		long us = (i + 1) * slow / n > i * slow / n ? 20000 : 1000;
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (ft_sleep(us) != us)
			return 3;
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("sleep %ld %lld\n", us, (long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
		       (b.tv_nsec - a.tv_nsec));
	}
	return fflush(stdout) ? 2 : 0;
}

extern char ft_mid_label[];

static void *sym_addr(const char *name)
{
	static const struct { const char *n; void *p; } syms[] = {
		{ "ft_args6", (void *)ft_args6 }, { "ft_mid", (void *)ft_mid },
		{ "ft_mid_label", (void *)ft_mid_label }, { "ft_fact", (void *)ft_fact },
		{ "ft_inner", (void *)ft_inner }, { "ft_outer", (void *)ft_outer },
		{ "ft_bench", (void *)ft_bench }, { "ft_sleep", (void *)ft_sleep },
	};

	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!strcmp(syms[i].n, name))
			return syms[i].p;
	return NULL;
}

static int print_offset(const char *name)
{
	uintptr_t a = (uintptr_t)sym_addr(name);
	char line[4096], self[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!a || !f || n <= 0)
		return 2;
	self[n] = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, off;
		char path[4096] = "";

		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %4095s", &lo, &hi, &off, path) < 3)
			continue;
		if (a >= lo && a < hi && !strcmp(path, self)) {
			printf("0x%llx\n", (unsigned long long)(a - lo + off));
			return 0;
		}
	}
	return 2;
}

static int run_args(long n)
{
	for (long i = 0; i < n; i++)
		if (ft_args6(0x11, 0x22, 0x33, 0x44, 0x55, 0x66) != 0x165)
			return 3;
	if (ft_mid(7) != 21)
		return 3;
	return 0;
}

static void *thread_main(void *arg)
{
	return (void *)(intptr_t)run_args((long)(intptr_t)arg);
}

static int run_threads(long t, long n)
{
	pthread_t th[64];
	int ret = 0;

	if (t < 1 || t > 64)
		return 2;
	for (long i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)n))
			return 2;
	for (long i = 0; i < t; i++) {
		void *r;

		pthread_join(th[i], &r);
		if (r)
			ret = 3;
	}
	return ret;
}

static void *churn_main(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)(ft_args6(0x11, 0x22, 0x33, 0x44, 0x55, 0x66) != 0x165);
}

static int run_churn(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_t th;
		void *r;

		if (pthread_create(&th, NULL, churn_main, NULL))
			return 2;
		pthread_join(th, &r);
		if (r)
			return 3;
	}
	return 0;
}

static int run_forkexec(long n)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return 2;
	if (pid == 0)
		_exit(run_args(n));
	if (run_args(n) || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 3;
	return WEXITSTATUS(st);
}

static int uprobed(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int ret = 0;

	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[uprobes]"))
			ret = 4;
	fclose(f);
	return ret;
}

static int run_libc(long n)
{
	pid_t pp = getppid();

	for (long i = 1; i < n; i++)
		if (getppid() != pp)
			return 3;
	for (long i = 0; i < n; i++)
		if (strlen(ft_str) != 12)
			return 3;
	return 0;
}

#if defined(__x86_64__)
__asm__(".text\n"
	".globl zz_locked\n.type zz_locked, @function\n"
	"zz_locked:\n\tlock incl (%rdi)\n\tret\n.size zz_locked, .-zz_locked\n"
	".globl zz_refused\n.type zz_refused, @function\n"
	"zz_refused:\n\t.byte 0x06\n\tret\n.size zz_refused, .-zz_refused\n");
#endif

static int run_mode(const char *mode, long a, long b)
{
	long fact = 1;

	if (!strcmp(mode, "args"))
		return run_args(a);
	if (!strcmp(mode, "recurse")) {
		for (long i = 2; i <= a; i++)
			fact *= i;
		return ft_fact(a) == fact ? 0 : 3;
	}
	if (!strcmp(mode, "nested")) {
		for (long i = 0; i < a; i++)
			if (ft_outer(i) != i + 2)
				return 3;
		return 0;
	}
	if (!strcmp(mode, "threads"))
		return run_threads(a, b);
	if (!strcmp(mode, "churn"))
		return run_churn(a);
	if (!strcmp(mode, "bench")) {
		long acc = 0;

		for (long i = 0; i < a; i++)
			acc += ft_bench(i, "0123456789abcdef0123456789abcdef");
		return acc == -1 ? 3 : 0;
	}
	if (!strcmp(mode, "forkexec"))
		return run_forkexec(a);
	if (!strcmp(mode, "exec")) {
		char m[32];

		if (run_args(a))
			return 3;
		snprintf(m, sizeof(m), "%ld", b);
		execl("/proc/self/exe", "calls", "args", m, (char *)NULL);
		return 2;
	}
	if (!strcmp(mode, "zombie")) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		printf("%d\n", (int)pid);
		fflush(stdout);
		sleep(3);
		return 0;
	}
	if (!strcmp(mode, "lseek")) {
		for (long i = 0; i < a; i++)
			if (syscall(SYS_lseek, 12345, 0x1234, 7) != -1 || errno != EBADF)
				return 3;
		return 0;
	}
	if (!strcmp(mode, "openat")) {
		for (long i = 0; i < a; i++)
			if (syscall(SYS_openat, AT_FDCWD, "/nonexistent/ftrace-test",
				    O_RDONLY) != -1 || errno != ENOENT)
				return 3;
		return 0;
	}
	if (!strcmp(mode, "getxattr")) {
		char buf[16];

		for (long i = 0; i < a; i++)
			if (syscall(SYS_getxattr, "/", "user.ftrace-test", buf,
				    sizeof(buf)) != -1)
				return 3;
		return 0;
	}
	if (!strncmp(mode, "seq", 3)) {
		for (long i = 1; i <= a; i++)
			if (syscall(SYS_lseek, 4242, i, 7) != -1 || errno != EBADF)
				return 3;
		if (!strcmp(mode, "seqdie"))
			kill(getpid(), (int)b);
		if (!strcmp(mode, "seqpause")) {
			printf("done\n");
			fflush(stdout);
			pause();
		}
		return 0;
	}
	if (!strcmp(mode, "libc"))
		return run_libc(a);
	if (!strcmp(mode, "protos"))
		return run_protos();
	if (!strcmp(mode, "stack"))
		return run_stack(a);
	if (!strcmp(mode, "stacks"))
		return run_stacks(a, b);
	if (!strcmp(mode, "sleeps"))
		return run_sleeps(a, b);
	if (!strcmp(mode, "uprobed"))
		return run_args(a) ? 3 : uprobed();
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc == 3 && !strcmp(argv[1], "--offset"))
		return print_offset(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "-w")) {
		char c, ready[4096];
		int fd;

		/* fully started (exec'd, libraries mapped): tell the test */
		snprintf(ready, sizeof(ready), "%s.ready", argv[2]);
		fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 2;
		close(fd);
		fd = open(argv[2], O_RDONLY);

		if (fd < 0 || read(fd, &c, 1) != 1)
			return 2;
		close(fd);
		i = 3;
	}
	if (i >= argc)
		return 2;
	return run_mode(argv[i], i + 1 < argc ? atol(argv[i + 1]) : 1,
			i + 2 < argc ? atol(argv[i + 2]) : 1);
}
