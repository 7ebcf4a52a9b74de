/* SPDX-License-Identifier: MIT */
/* --flight-recorder: the newest events, kept in the kernel and written on
 * demand.
 *
 * The BPF ring buffer cannot overwrite (a full one drops the new record),
 * so in this mode the probes write to a perf buffer per CPU instead
 * (bpf_perf_event_output on the object's "flight" map). ftrace maps each
 * read-only, which makes the kernel overwrite the oldest records, and asks
 * for write_backward, which puts the newest record at data_head: the
 * records from data_head on are the newest first, whatever the wrap. Nothing
 * is read while recording. A dump pauses every buffer, copies out what was
 * written since the previous dump, resumes, and hands the records to a
 * callback merged in time order. Memory: SIZE split across the online CPUs,
 * each a power of two of pages, and a copy of it while dumping. */
#ifndef FTRACE_FLIGHT_H
#define FTRACE_FLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ft_err;

struct flight_cpu {
	int fd;			/* perf event, -1: CPU offline */
	uint8_t *mem;		/* the control page, then the data */
	uint64_t last;		/* data_head at the previous dump */
};

struct flight_rec {
	uint64_t ts;		/* the record's first 8 bytes */
	uint64_t order;		/* ties: CPU, then oldest first */
	const uint8_t *raw;	/* in copy, unaligned */
	uint32_t len;
};

struct flight {
	struct flight_cpu *cpu;
	int ncpu;		/* possible CPUs */
	int nbuf;		/* buffers opened: online CPUs */
	size_t page, size;	/* per-CPU data bytes, a power of two */
	uint8_t *copy;		/* a dump: the buffers' new bytes */
	struct flight_rec *recs;	/* a dump: the records, in time order */
	size_t nrecs, cap;
	uint64_t cut;		/* a dump: records older than the newest
				 * CPU-wide gap, left out */
};

/* Open a perf buffer on every online CPU, of total / CPUs bytes rounded
 * down to a power of two of pages (one page at least), and put their fds
 * in the BPF map map_fd (index: CPU). */
int flight_open(struct flight *f, int map_fd, uint64_t total, struct ft_err *err);
void flight_close(struct flight *f);

/* Was anything written since the last dump? */
bool flight_pending(const struct flight *f);

/* Pause every buffer, call paused(ctx) (the counters are stable then),
 * take the records written since the previous dump, resume. The records
 * are then in f->recs, oldest first; records before a gap of an
 * overwritten CPU are left out (f->cut) so that those kept have none.
 * -ENOMEM. */
int flight_collect(struct flight *f, void (*paused)(void *ctx), void *ctx);

/* Hand the collected records to cb, 8-byte aligned, and free them. cb's
 * nonzero return stops and is returned. */
typedef int (*flight_cb)(void *ctx, const void *rec, size_t len);
int flight_emit(struct flight *f, flight_cb cb, void *ctx);

/* One buffer's bytes written since last, up to head (backward: newest
 * first), copied linear into out (size bytes): those of the whole records
 * still there. *wrapped: some since last were overwritten. Returns the
 * bytes copied. Pure, for the tests. */
size_t flight_window(const uint8_t *data, size_t size, uint64_t head,
		     uint64_t last, uint8_t *out, bool *wrapped);

/* The wait status of the exited process behind pidfd, from the kernel
 * (PIDFD_GET_INFO, Linux 6.15+; once its parent has reaped it, so this
 * waits up to 0.5 s). 0, or -errno: not known. */
int flight_exit_status(int pidfd, int *status);

#endif
