/* SPDX-License-Identifier: MIT */
/* The live view sink (--top): a full-screen table on a terminal, or with
 * --batch / a non-terminal stdout the table printed every interval (top -b).
 * Rows come from a source of cumulative per process x function counters. */
#ifndef FTRACE_SINK_TOP_H
#define FTRACE_SINK_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "top.h"

struct ft_err;

/* Where the rows come from: a snapshot of cumulative counters (rows owned by
 * the source, valid until the next call) and a way to zero them. */
struct top_source {
	int (*snapshot)(void *ctx, const struct top_row **rows, size_t *n);
	int (*reset)(void *ctx);
	void *ctx;
};

struct top_sink_opts {
	bool batch;			/* --batch, or stdout is not a terminal */
	uint32_t interval_ms;		/* refresh */
	uint64_t iterations;		/* batch: stop after N tables, 0: never */
	const char *mech;		/* "uprobe+uretprobe" */
	const char *const *labels;	/* target index -> function label */
	size_t nlabels;
	int in_fd, out_fd;		/* keys (a terminal) and the screen */
	struct top_source src;
};

struct top_sink;

int top_sink_open(const struct top_sink_opts *o, struct top_sink **out,
		  struct ft_err *err);
/* Called often (every stream tick): reads keys, follows the terminal size,
 * refreshes when the interval is due. lost: events lost so far. Returns 1
 * when the user quit or the batch iterations are done, 0, or -errno. */
int top_sink_tick(struct top_sink *t, uint64_t lost);
/* The stream stopped: the terminal is given back at once (detaching the
 * probes may take a while). */
void top_sink_stop(struct top_sink *t);
/* Batch mode prints a last table unless one was printed at this instant or
 * the iteration limit was reached; the terminal is restored. */
int top_sink_close(struct top_sink *t, uint64_t lost);

/* A source aggregating the event stream in user space: ENTRY records count
 * calls, RET records add their exec time to a log-linear histogram. */
struct top_agg;
int top_agg_new(struct top_agg **out);
void top_agg_free(struct top_agg *a);
void top_agg_event(struct top_agg *a, const void *rec, size_t len);
struct top_source top_agg_source(struct top_agg *a);

#endif
