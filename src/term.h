/* SPDX-License-Identifier: MIT */
/* The terminal for the live view, with ANSI escapes only (no ncurses):
 * raw input, the alternate screen, the size, and the way back on every exit
 * path (normal, error, exit(), fatal signals). */
#ifndef FTRACE_TERM_H
#define FTRACE_TERM_H

#include <stddef.h>

/* Raw keys from in_fd (no echo, no line editing, Ctrl-C arrives as a byte,
 * reads never block), the alternate screen and a hidden cursor on out_fd.
 * 0 or -errno. */
int term_enter(int in_fd, int out_fd);
/* Undo term_enter; safe to call more than once, async-signal-safe. */
void term_leave(void);
/* Current size; 0 or -errno (then 80 x 24). */
int term_size(int fd, int *cols, int *rows);
/* Write all of buf to fd; 0 or -errno. */
int term_write(int fd, const char *buf, size_t len);

#endif
