/* SPDX-License-Identifier: MIT */
/* Consuming the BPF ring buffer (mmap + epoll) and the event loop around it:
 * records, periodic ticks, signals and the traced process's exit. */
#ifndef FTRACE_STREAM_H
#define FTRACE_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/signalfd.h>

struct ft_ring {
	int map_fd;
	unsigned long *cons_pos;	/* consumer page (read-write) */
	unsigned long *prod_pos;	/* producer page (read-only) */
	uint8_t *data;			/* data pages, mapped twice */
	size_t size;			/* data size, power of two */
	size_t page;
};

int ring_open(int map_fd, size_t size, struct ft_ring *r);
void ring_close(struct ft_ring *r);

/* Hand every complete record to cb. Returns the number consumed, or a
 * nonzero value returned by cb (which stops consumption). */
typedef int (*ring_cb)(void *ctx, const void *data, size_t len);
long ring_consume(struct ft_ring *r, ring_cb cb, void *ctx, int *cb_ret);

enum stream_stop {
	STREAM_SIGNAL = 1,	/* SIGINT/SIGTERM/SIGHUP */
	STREAM_LIMIT,		/* the callback asked to stop */
	STREAM_PID_EXIT,	/* the traced process exited */
};

struct stream_ops {
	ring_cb on_event;		/* > 0: stop (limit reached) */
	void (*on_idle)(void *ctx);	/* after each batch and each tick */
	/* optional: a signal arrived; nonzero stops the stream (the default) */
	int (*on_signal)(void *ctx, const struct signalfd_siginfo *si);
};

/* Run until a signal in sigfd's set arrives, the callback stops, or pidfd
 * (if >= 0) reports the process's exit. Drains the ring before returning.
 * Returns enum stream_stop or -errno. */
int stream_run(struct ft_ring *r, int sigfd, int pidfd, int tick_ms,
	       const struct stream_ops *ops, void *ctx);

#endif
