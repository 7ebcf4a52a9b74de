/* tests/vm/init.c -- PID 1 of the ftrace VM test initramfs.
 *
 * Mounts the pseudo file systems the tracer needs, prints the kernel version,
 * links all busybox applets into /bin, runs "/bin/sh /test/run.sh" (cwd /test), then prints exactly one line
 *     FTRACE-VM-EXIT=<status>
 * (the script's exit status, 128+N if it died of signal N, 121 if init itself
 * could not start it), syncs and powers the machine off.  tests/vm/run.sh reads
 * that line from the serial console.
 *
 * Built static by tests/vm/mkinitramfs.sh with the guest's gcc:
 *     gcc -static -O2 -o init tests/vm/init.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define INIT_ERROR 121 /* init could not run the test script */

static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	/* unbuffered: the console is shared with the kernel and the child */
	for (int off = 0; off < n;) {
		ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		off += (int)w;
	}
}

/* mount_fs: mkdir -p the last component, mount, report (but tolerate) errors. */
static int mount_fs(const char *type, const char *dir, int required)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		if (required)
			say("init: mkdir %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (mount(type, dir, type, 0, NULL) != 0 && errno != EBUSY) {
		if (required)
			say("init: mount -t %s %s: %s\n", type, dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The initramfs is built without root, so it has no /dev/console node and the
 * kernel started us with no stdin/stdout/stderr: open the console ourselves. */
static void open_console(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return; /* nothing we can print to; still run the tests */
	for (int i = 0; i <= 2; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void print_file(const char *label, const char *path)
{
	char buf[512];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		say("init: %s: %s: %s\n", label, path, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	say("init: %s: %s\n", label, buf);
}

/* Link every applet the guest's busybox has into /bin (links that the
 * initramfs already has are kept), so all arches get the same commands. */
static void install_busybox(void)
{
	pid_t pid;
	int st;

	if (access("/bin/busybox", X_OK) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO); /* "file exists" for each existing link */
		execl("/bin/busybox", "busybox", "--install", "-s", "/bin", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
}

static pid_t start_script(void)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid; /* parent, or -1 */
	setsid();
	if (chdir("/test") != 0)
		say("init: chdir /test: %s\n", strerror(errno));
	execle("/bin/sh", "sh", "/test/run.sh", (char *)NULL,
	       (char *[]){"PATH=/test:/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=dumb",
			  "FTRACE_VM=1", "TMPDIR=/tmp", NULL});
	say("init: exec /bin/sh /test/run.sh: %s\n", strerror(errno));
	_exit(INIT_ERROR);
}

/* Reap children (orphans are re-parented to us) until `child` exits. */
static int wait_for(pid_t child)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, 0);

		if (p < 0) {
			if (errno == EINTR)
				continue;
			say("init: waitpid: %s\n", strerror(errno));
			return INIT_ERROR;
		}
		if (p != child)
			continue;
		if (WIFEXITED(st))
			return WEXITSTATUS(st);
		if (WIFSIGNALED(st))
			return 128 + WTERMSIG(st);
	}
}

/* Stop whatever the tests left behind so that sync and poweroff are clean. */
static void kill_all(void)
{
	kill(-1, SIGTERM);
	/* up to 200 ms for them to go; waitpid returns -1 (ECHILD) once none is left */
	for (int i = 0; i < 10; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (waitpid(-1, NULL, WNOHANG) < 0)
			break;
		usleep(20000);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(void)
{
	struct utsname u;
	int status = INIT_ERROR;
	pid_t child;

	mount_fs("devtmpfs", "/dev", 1);
	open_console();
	mount_fs("proc", "/proc", 1);
	mount_fs("sysfs", "/sys", 1);
	mount_fs("tracefs", "/sys/kernel/tracing", 1);
	mount_fs("debugfs", "/sys/kernel/debug", 1);
	mount_fs("bpf", "/sys/fs/bpf", 0); /* optional */
	mkdir("/tmp", 01777);
	chmod("/tmp", 01777);

	print_file("version", "/proc/version");
	print_file("uptime", "/proc/uptime");
	if (uname(&u) == 0)
		say("FTRACE-VM-KERNEL=%s %s\n", u.release, u.machine);

	install_busybox();
	if (access("/test/run.sh", R_OK) != 0) {
		say("init: /test/run.sh: %s\n", strerror(errno));
	} else if ((child = start_script()) < 0) {
		say("init: fork: %s\n", strerror(errno));
	} else {
		status = wait_for(child);
	}
	kill_all();
	print_file("uptime", "/proc/uptime");
	/* leading newline: the script's last line may lack one */
	say("\nFTRACE-VM-EXIT=%d\n", status);
	sync();
	reboot(RB_POWER_OFF);
	say("init: reboot(RB_POWER_OFF): %s\n", strerror(errno));
	return status; /* PID 1 exiting panics the kernel; with -no-reboot qemu stops */
}
