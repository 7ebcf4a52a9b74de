// SPDX-License-Identifier: MIT
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "flight.h"
#include "sys.h"

#define REC_RAW_OFF	12	/* perf_event_header, u32 size, raw data */
#define REC_MAX		65536	/* a perf record's size is a u16 */

static int open_cpu(struct flight *f, int cpu, int map_fd, struct ft_err *err)
{
	struct perf_event_attr a;
	struct flight_cpu *c = &f->cpu[cpu];
	uint32_t key = (uint32_t)cpu;
	int fd, ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_BPF_OUTPUT;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_RAW;
	a.write_backward = 1;
	fd = sys_perf_event_open(&a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd == -ENODEV)
		return 0;	/* offline */
	if (fd < 0)
		return ft_errf(err, fd, "flight recorder: cannot open a perf buffer "
			       "on CPU %d: %s", cpu, strerror(-fd));
	c->fd = fd;
	/* no PROT_WRITE: the kernel overwrites the oldest records */
	c->mem = mmap(NULL, f->page + f->size, PROT_READ, MAP_SHARED, fd, 0);
	if (c->mem == MAP_FAILED) {
		c->mem = NULL;
		return ft_errf(err, -errno, "flight recorder: cannot map %zu bytes "
			       "on CPU %d: %s", f->page + f->size, cpu, strerror(errno));
	}
	ret = bpf_map_update(map_fd, &key, &fd, 0);
	if (ret)
		return ft_errf(err, ret, "flight recorder: cannot set CPU %d's buffer: "
			       "%s", cpu, strerror(-ret));
	f->nbuf++;
	return 0;
}

int flight_open(struct flight *f, int map_fd, uint64_t total, struct ft_err *err)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int ret = 0;

	memset(f, 0, sizeof(*f));
	f->page = (size_t)sysconf(_SC_PAGESIZE);
	f->ncpu = sys_possible_cpus();
	if (f->ncpu <= 0 || online <= 0 || map_fd < 0)
		return ft_errf(err, -EIO, "flight recorder: cannot count the CPUs");
	for (f->size = f->page; f->size * 2 <= total / (uint64_t)online;)
		f->size *= 2;
	f->cpu = calloc((size_t)f->ncpu, sizeof(*f->cpu));
	if (!f->cpu)
		return -ENOMEM;
	for (int i = 0; i < f->ncpu; i++)
		f->cpu[i].fd = -1;
	for (int i = 0; i < f->ncpu && !ret; i++)
		ret = open_cpu(f, i, map_fd, err);
	if (!ret && !f->nbuf)
		ret = ft_errf(err, -ENODEV, "flight recorder: no CPU online");
	if (ret)
		flight_close(f);
	return ret;
}

void flight_close(struct flight *f)
{
	for (int i = 0; f->cpu && i < f->ncpu; i++) {
		if (f->cpu[i].mem)
			munmap(f->cpu[i].mem, f->page + f->size);
		if (f->cpu[i].fd >= 0)
			close(f->cpu[i].fd);
	}
	free(f->cpu);
	free(f->copy);
	free(f->recs);
	memset(f, 0, sizeof(*f));
}

/* data_head: a u64, stable while paused (two loads on 32-bit are fine) */
static uint64_t data_head(const struct flight_cpu *c)
{
	const volatile struct perf_event_mmap_page *pg = (const void *)c->mem;
	uint64_t head = pg->data_head;

	__sync_synchronize();	/* the data after the head */
	return head;
}

/* Bytes written from head up to last. A 32-bit kernel counts in an
 * unsigned long: the high half is 0 then (a 64-bit one writing backward
 * has it all ones, or head and last are both 0). */
static uint64_t written(uint64_t head, uint64_t last)
{
	uint64_t d = last - head;

	return head >> 32 || last >> 32 ? d : (uint32_t)d;
}

bool flight_pending(const struct flight *f)
{
	for (int i = 0; i < f->ncpu; i++)
		if (f->cpu[i].mem && written(data_head(&f->cpu[i]), f->cpu[i].last))
			return true;
	return false;
}

size_t flight_window(const uint8_t *data, size_t size, uint64_t head,
		     uint64_t last, uint8_t *out, bool *wrapped)
{
	uint64_t n = written(head, last);
	size_t limit = n < size ? (size_t)n : size, at = (size_t)(head & (size - 1));
	size_t first = size - at < limit ? size - at : limit, off = 0;

	*wrapped = n > size;
	memcpy(out, data + at, first);
	memcpy(out + first, data, limit - first);
	/* whole records only: the oldest may be half overwritten */
	while (limit - off >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;

		memcpy(&h, out + off, sizeof(h));
		if (h.size < sizeof(h) || h.size % 8 || h.size > limit - off)
			break;
		off += h.size;
	}
	return off;
}

static int add_rec(struct flight *f, const uint8_t *raw, uint32_t len,
		   uint64_t order)
{
	struct flight_rec *r;

	if (f->nrecs == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 1024;

		r = realloc(f->recs, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		f->recs = r;
		f->cap = cap;
	}
	r = &f->recs[f->nrecs++];
	memcpy(&r->ts, raw, sizeof(r->ts));
	r->order = order;
	r->raw = raw;
	r->len = len;
	return 0;
}

/* One CPU's new bytes at buf: the samples as records; *oldest: the
 * oldest one's time. */
static int parse_cpu(struct flight *f, int cpu, const uint8_t *buf, size_t len,
		     uint64_t *oldest)
{
	uint32_t n = 0;

	for (size_t off = 0; off < len;) {
		struct perf_event_header h;
		uint32_t raw;
		int ret;

		memcpy(&h, buf + off, sizeof(h));
		memcpy(&raw, buf + off + sizeof(h), sizeof(raw));
		if (h.type == PERF_RECORD_SAMPLE && h.size >= REC_RAW_OFF + 8 &&
		    raw >= 8 && raw <= (uint32_t)h.size - REC_RAW_OFF) {
			/* newest first: the order counts down */
			ret = add_rec(f, buf + off + REC_RAW_OFF, raw,
				      (uint64_t)cpu << 32 | (UINT32_MAX - n++));
			if (ret)
				return ret;
			*oldest = f->recs[f->nrecs - 1].ts;
		}
		off += h.size;	/* PERF_RECORD_LOST: counted by the probes */
	}
	return 0;
}

static void pause_all(struct flight *f, int on)
{
	for (int i = 0; i < f->ncpu; i++)
		if (f->cpu[i].fd >= 0)
			ioctl(f->cpu[i].fd, PERF_EVENT_IOC_PAUSE_OUTPUT, on);
}

static int by_time(const void *a, const void *b)
{
	const struct flight_rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int flight_collect(struct flight *f, void (*paused)(void *ctx), void *ctx)
{
	struct timespec settle = { 0, 1000 * 1000 };
	size_t used = 0, keep = 0;
	int ret = 0;

	free(f->copy);
	f->copy = malloc((size_t)f->nbuf * f->size + 8);
	f->nrecs = 0;
	f->cut = 0;
	if (!f->copy)
		return -ENOMEM;
	pause_all(f, 1);
	nanosleep(&settle, NULL);	/* writes under way end */
	if (paused)
		paused(ctx);
	for (int i = 0; i < f->ncpu && !ret; i++) {
		struct flight_cpu *c = &f->cpu[i];
		uint64_t head, oldest = 0;
		bool wrapped;
		size_t n;

		if (!c->mem)
			continue;
		head = data_head(c);
		n = flight_window(c->mem + f->page, f->size, head, c->last,
				  f->copy + used, &wrapped);
		c->last = head;
		ret = parse_cpu(f, i, f->copy + used, n, &oldest);
		used += n;
		if (wrapped && oldest > f->cut)
			f->cut = oldest;
	}
	pause_all(f, 0);
	if (ret)
		return ret;
	/* every CPU has all of its records from the cut on */
	for (size_t i = 0; i < f->nrecs; i++)
		if (f->recs[i].ts >= f->cut)
			f->recs[keep++] = f->recs[i];
	f->nrecs = keep;
	qsort(f->recs, f->nrecs, sizeof(*f->recs), by_time);
	return 0;
}

int flight_emit(struct flight *f, flight_cb cb, void *ctx)
{
	uint64_t *buf = malloc(REC_MAX);	/* aligned for the sinks */
	int ret = buf ? 0 : -ENOMEM;

	for (size_t i = 0; i < f->nrecs && !ret; i++) {
		memcpy(buf, f->recs[i].raw, f->recs[i].len);
		ret = cb(ctx, buf, f->recs[i].len);
	}
	free(buf);
	free(f->copy);
	f->copy = NULL;
	f->nrecs = 0;
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
