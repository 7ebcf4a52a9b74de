// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "flight.h"

/* each record: its length in a u64, then the record padded to 8 bytes, so
 * that records stay aligned for the sinks */
#define HDR	sizeof(uint64_t)
#define SLOT(len)	(HDR + (((len) + 7) & ~(size_t)7))

int flight_init(struct flight *f, size_t size)
{
	memset(f, 0, sizeof(*f));
	size &= ~(size_t)7;
	f->buf = malloc(size);
	if (!f->buf)
		return -ENOMEM;
	f->size = size;
	f->dumped_at = UINT64_MAX;
	return 0;
}

void flight_free(struct flight *f)
{
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

/* copy n bytes in and out of the ring at pos, wrapping */
static void ring_put(struct flight *f, size_t pos, const void *src, size_t n)
{
	size_t first = f->size - pos < n ? f->size - pos : n;

	memcpy(f->buf + pos, src, first);
	memcpy(f->buf, (const uint8_t *)src + first, n - first);
}

static void ring_get(const struct flight *f, size_t pos, void *dst, size_t n)
{
	size_t first = f->size - pos < n ? f->size - pos : n;

	memcpy(dst, f->buf + pos, first);
	memcpy((uint8_t *)dst + first, f->buf, n - first);
}

static void drop_oldest(struct flight *f)
{
	uint64_t len;

	ring_get(f, f->tail, &len, HDR);
	f->tail = (f->tail + SLOT(len)) % f->size;
	f->used -= SLOT(len);
	f->held--;
	f->dropped++;
}

int flight_add(struct flight *f, const void *rec, size_t len)
{
	uint64_t l = len;
	size_t head;

	if (len > f->size || SLOT(len) > f->size) {
		f->dropped++;
		return -E2BIG;
	}
	while (f->size - f->used < SLOT(len))
		drop_oldest(f);
	head = (f->tail + f->used) % f->size;
	ring_put(f, head, &l, HDR);
	ring_put(f, (head + HDR) % f->size, rec, len);
	f->used += SLOT(len);
	f->held++;
	f->added++;
	return 0;
}

struct ref {
	uint64_t ts, seq;
	size_t off;
	size_t len;
};

static int by_time(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int flight_dump(struct flight *f, flight_cb cb, void *ctx)
{
	uint8_t *lin = malloc(f->used + 8);	/* malloc: 8-byte aligned */
	struct ref *refs = calloc(f->held + 1, sizeof(*refs));
	size_t off = 0;
	int ret = 0;

	if (!lin || !refs) {
		free(lin);
		free(refs);
		return -ENOMEM;
	}
	ring_get(f, f->tail, lin, f->used);
	for (uint64_t i = 0; i < f->held; i++) {
		struct ref *r = &refs[i];
		uint64_t len;

		memcpy(&len, lin + off, HDR);
		r->len = (size_t)len;
		r->off = off + HDR;
		r->seq = i;
		r->ts = 0;
		if (r->len >= sizeof(r->ts))
			memcpy(&r->ts, lin + r->off, sizeof(r->ts));
		off += SLOT(r->len);
	}
	qsort(refs, f->held, sizeof(*refs), by_time);
	for (uint64_t i = 0; i < f->held && !ret; i++)
		ret = cb(ctx, lin + refs[i].off, refs[i].len);
	f->dumped_at = f->added;
	free(lin);
	free(refs);
	return ret;
}

/* struct pidfd_info as of Linux 6.15 (PIDFD_INFO_SIZE_VER0) */
struct pidfd_info0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t spare0;
};

#define PIDFD_INFO_EXIT		(1ULL << 3)
#define PIDFD_GET_INFO0		_IOWR(0xFF, 11, struct pidfd_info0)

int flight_exit_status(int pidfd, int *status)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 50; i++) {
		struct pidfd_info0 info;

		memset(&info, 0, sizeof(info));
		info.mask = PIDFD_INFO_EXIT;
		if (ioctl(pidfd, PIDFD_GET_INFO0, &info))
			return -errno;
		if (info.mask & PIDFD_INFO_EXIT) {
			*status = info.exit_code;
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	return -EAGAIN;
}
