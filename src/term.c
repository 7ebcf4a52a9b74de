// SPDX-License-Identifier: MIT
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

#define ENTER_SEQ	"\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"
#define LEAVE_SEQ	"\x1b[?25h\x1b[?1049l"

/* The saved terminal state must be reachable from a signal handler and from
 * atexit(): this is the one piece of global state the module keeps. */
static struct {
	volatile sig_atomic_t active;
	int in_fd, out_fd;
	struct termios saved;
	bool hooks;
} term;

static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT };

int term_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void term_leave(void)
{
	int saved_errno = errno;

	if (term.active) {
		term.active = 0;
		(void)!write(term.out_fd, LEAVE_SEQ, sizeof(LEAVE_SEQ) - 1);
		tcsetattr(term.in_fd, TCSAFLUSH, &term.saved);
	}
	errno = saved_errno;
}

/* a crash puts the terminal back, then dies of the same signal */
static void on_fatal(int sig)
{
	term_leave();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_hooks(void)
{
	struct sigaction sa;

	if (term.hooks)
		return;
	term.hooks = true;
	atexit(term_leave);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++)
		sigaction(fatal_sigs[i], &sa, NULL);
}

int term_enter(int in_fd, int out_fd)
{
	struct termios raw;

	if (term.active)
		return 0;
	if (tcgetattr(in_fd, &term.saved))
		return -errno;
	raw = term.saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	term.in_fd = in_fd;
	term.out_fd = out_fd;
	install_hooks();
	if (tcsetattr(in_fd, TCSAFLUSH, &raw))
		return -errno;
	term.active = 1;
	return term_write(out_fd, ENTER_SEQ, sizeof(ENTER_SEQ) - 1);
}

int term_size(int fd, int *cols, int *rows)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_col || !ws.ws_row) {
		*cols = 80;
		*rows = 24;
		return errno ? -errno : -EINVAL;
	}
	*cols = ws.ws_col;
	*rows = ws.ws_row;
	return 0;
}
