/* SPDX-License-Identifier: MIT */
/* Output sinks: where events go once they leave the ring buffer. One
 * interface, one file per format (sink_text.c, sink_json.c,
 * sink_perfetto.c); sink_open() is the one place that chooses. A session
 * feeds every open sink the same records, lost-event reports and summary. */
#ifndef FTRACE_SINK_H
#define FTRACE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"

struct ft_err;
struct ft_sink;
struct agg_row;

/* summaries aggregated in the kernel (-s/--stats, --hist), cumulative
 * since tracing started; rows sorted by target, then key */
struct sink_report {
	const struct agg_row *rows;
	size_t n;
	uint64_t elapsed_ns;	/* since the probes were attached */
	uint64_t agg_full;	/* calls not aggregated: agg map full */
	uint64_t untimed;	/* calls nested too deep to be timed */
	uint64_t stack_lost;	/* --by stack: stacks not captured */
	bool final;		/* at exit, not an -i interval */
};

/* what ended a run, for the summary record */
struct sink_summary {
	uint64_t printed;	/* records written by this sink */
	uint64_t lost;		/* dropped in the kernel: ring buffer full */
	uint64_t untimed;	/* calls nested too deep to be timed */
	uint64_t no_state;	/* events without per-thread state */
	uint64_t malformed;	/* records no sink could read */
	uint64_t agg_full;	/* calls not aggregated: agg map full */
	uint64_t held_lost;	/* --min-duration: entries not held */
	uint64_t stack_lost;	/* --by stack: stacks not captured */
	const char *why;	/* "signal", "limit" or "process exited" */
};

struct sink_ops {
	const char *name;
	/* optional: write the header once the file is open */
	int (*start)(struct ft_sink *s);
	/* 0 written, -EINVAL malformed record, other -errno: write error */
	int (*event)(struct ft_sink *s, const void *rec, size_t len);
	/* the kernel's lost-event count grew to total (at ts_ns, monotonic) */
	int (*lost)(struct ft_sink *s, uint64_t ts_ns, uint64_t total);
	/* optional: print a summary report; -errno on a write error */
	int (*report)(struct ft_sink *s, const struct sink_report *r);
	/* flush what is buffered; -errno on a write error */
	int (*flush)(struct ft_sink *s);
	/* write the trailer (summary), flush, close and free; -errno */
	int (*close)(struct ft_sink *s, const struct sink_summary *sum);
};

struct ft_sink {
	const struct sink_ops *ops;
	FILE *out;
	bool own_out;			/* fclose() at close */
	const struct fmt_opts *fmt;	/* labels ("lib:func"), time base */
	const uint64_t *offsets;	/* offset of target i, as resolved */
	uint64_t written;
};

enum sink_kind { SINK_TEXT, SINK_JSON, SINK_PERFETTO, SINK_STATS };

struct sink_opts {
	enum sink_kind kind;
	const char *path;		/* NULL: stdout */
	const struct fmt_opts *fmt;
	const uint64_t *offsets;
	/* SINK_STATS */
	bool json;			/* JSON Lines instead of tables */
	bool table;			/* -s: the table */
	bool hist;			/* --hist: the histograms */
	unsigned int by;		/* enum ft_agg_by */
	bool folded;			/* --folded: folded stacks */
};

/* Open (and create) the sink's file now, so that a bad path is an error
 * before anything is attached. -errno with one line in err. */
int sink_open(const struct sink_opts *o, struct ft_sink **out, struct ft_err *err);

/* Common parts for the sink files */
int sink_file_open(struct ft_sink *s, const char *path, struct ft_err *err);
int sink_file_close(struct ft_sink *s);	/* frees s; -errno of the last write */
int sink_file_flush(struct ft_sink *s);

/* "lib" and "func" of target i's label "lib:func" */
void sink_split_label(const char *label, const char **func, size_t *liblen);

/* JSON string (with quotes) of n bytes: control characters and bytes that
 * are not valid UTF-8 escaped as \u00XX, so every line parses. */
void json_str(FILE *f, const char *s, size_t n);

struct ft_sink *sink_text_new(void);
struct ft_sink *sink_json_new(void);
struct ft_sink *sink_perfetto_new(void);
struct ft_sink *sink_stats_new(const struct sink_opts *o);

#endif
