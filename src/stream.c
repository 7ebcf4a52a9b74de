// SPDX-License-Identifier: MIT
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "stream.h"

#define RB_BUSY		(1U << 31)
#define RB_DISCARD	(1U << 30)
#define RB_HDR		8

int ring_open(int map_fd, size_t size, struct ft_ring *r)
{
	void *p;

	memset(r, 0, sizeof(*r));
	r->map_fd = map_fd;
	r->size = size;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->cons_pos = p;
	p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fd, r->page);
	if (p == MAP_FAILED) {
		int ret = -errno;

		munmap(r->cons_pos, r->page);
		r->cons_pos = NULL;
		return ret;
	}
	r->prod_pos = p;
	r->data = (uint8_t *)p + r->page;
	return 0;
}

void ring_close(struct ft_ring *r)
{
	if (r->cons_pos)
		munmap(r->cons_pos, r->page);
	if (r->prod_pos)
		munmap(r->prod_pos, r->page + 2 * r->size);
	memset(r, 0, sizeof(*r));
}

long ring_consume(struct ft_ring *r, ring_cb cb, void *ctx, int *cb_ret)
{
	unsigned long cons = __atomic_load_n(r->cons_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(r->prod_pos, __ATOMIC_ACQUIRE);
	long n = 0;

	*cb_ret = 0;
	while (cons < prod) {
		uint32_t *hdr = (uint32_t *)(r->data + (cons & (r->size - 1)));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (len & RB_BUSY)
			break;	/* reserved, not yet submitted */
		cons += (RB_HDR + (len & ~(RB_BUSY | RB_DISCARD)) + 7) & ~7UL;
		if (!(len & RB_DISCARD)) {
			*cb_ret = cb(ctx, hdr + 2, len & ~(RB_BUSY | RB_DISCARD));
			n++;
		}
		__atomic_store_n(r->cons_pos, cons, __ATOMIC_RELEASE);
		if (*cb_ret)
			break;
		if (cons >= prod)
			prod = __atomic_load_n(r->prod_pos, __ATOMIC_ACQUIRE);
	}
	return n;
}

static int epoll_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

enum { TAG_RING, TAG_SIG, TAG_PID };

static int drain(struct ft_ring *r, const struct stream_ops *ops, void *ctx)
{
	int cb_ret;

	do {
		if (ring_consume(r, ops->on_event, ctx, &cb_ret) <= 0 && !cb_ret)
			break;
	} while (!cb_ret);
	ops->on_idle(ctx);
	return cb_ret;
}

int stream_run(struct ft_ring *r, int sigfd, int pidfd, int tick_ms,
	       const struct stream_ops *ops, void *ctx)
{
	struct epoll_event evs[4];
	int ep, ret, stop = 0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	ret = epoll_add(ep, r->map_fd, TAG_RING);
	if (!ret)
		ret = epoll_add(ep, sigfd, TAG_SIG);
	if (!ret && pidfd >= 0)
		ret = epoll_add(ep, pidfd, TAG_PID);
	while (!ret && !stop) {
		int n = epoll_wait(ep, evs, 4, tick_ms);

		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == TAG_SIG) {
				struct signalfd_siginfo si;

				if (read(sigfd, &si, sizeof(si)) == sizeof(si) &&
				    (!ops->on_signal || ops->on_signal(ctx, &si)))
					stop = STREAM_SIGNAL;
			} else if (evs[i].data.u32 == TAG_PID) {
				stop = STREAM_PID_EXIT;
			}
		}
		if (drain(r, ops, ctx) > 0)
			stop = STREAM_LIMIT;
	}
	close(ep);
	return ret ? ret : stop;
}
