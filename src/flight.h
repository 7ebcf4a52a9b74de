/* SPDX-License-Identifier: MIT */
/* --flight-recorder: the newest events, kept and written later.
 *
 * The BPF ring buffer cannot overwrite: a full one drops the new record.
 * So the kernel ring is drained as always (the producers rarely wake the
 * consumer: see submit() in probe.bpf.c) and the records go into this
 * overwriting ring of fixed size instead of a sink: the oldest records
 * leave as new ones come, whole. A dump hands the records kept, in time
 * order, to a callback (the sinks); recording goes on. */
#ifndef FTRACE_FLIGHT_H
#define FTRACE_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

struct flight {
	uint8_t *buf;
	size_t size;		/* bytes, fixed (a multiple of 8) */
	size_t tail, used;	/* oldest record, bytes held */
	uint64_t held;		/* records held */
	uint64_t dropped;	/* records overwritten so far */
	uint64_t added;		/* records added so far */
	uint64_t dumped_at;	/* added at the last dump, UINT64_MAX: none */
};

int flight_init(struct flight *f, size_t size);
void flight_free(struct flight *f);

/* Keep a record (len bytes, in 8 + len rounded up to 8), dropping the
 * oldest as needed. A record larger than the whole buffer is dropped:
 * -E2BIG. Records come back 8-byte aligned. */
int flight_add(struct flight *f, const void *rec, size_t len);

/* The records held, oldest first, by ts (the first 8 bytes of a record,
 * u64), ties in arrival order. cb's nonzero return stops the dump and is
 * returned. -ENOMEM when the scratch copy cannot be made. */
typedef int (*flight_cb)(void *ctx, const void *rec, size_t len);
int flight_dump(struct flight *f, flight_cb cb, void *ctx);

/* The wait status of the exited process behind pidfd, from the kernel
 * (PIDFD_GET_INFO, Linux 6.15+; once its parent has reaped it, so this
 * waits up to 0.5 s). 0, or -errno: not known. */
int flight_exit_status(int pidfd, int *status);

#endif
