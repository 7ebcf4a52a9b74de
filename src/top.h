/* SPDX-License-Identifier: MIT */
/* The live view's model (--top): rows of process x function, rates from two
 * snapshots, sorting, filtering, and the table laid out for a given width
 * and height. Pure: no terminal, no BPF; the sink (sink_top.c) feeds it
 * snapshots and writes what it renders. */
#ifndef FTRACE_TOP_H
#define FTRACE_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOP_COMM_LEN	16
#define TOP_FILTER_LEN	64

/* One process x function, counters cumulative since start or reset. */
struct top_row {
	uint32_t pid;
	uint32_t target;		/* index into the labels */
	char comm[TOP_COMM_LEN];
	uint64_t calls;
	uint64_t timed;			/* calls with an exec time (returned) */
	uint64_t total_ns;		/* sum of the exec times */
	uint64_t p99_ns;
	double rate;			/* calls/s over the last interval (derived) */
};

enum top_col {
	TOP_COL_PID, TOP_COL_COMM, TOP_COL_FUNC, TOP_COL_CALLS,
	TOP_COL_RATE, TOP_COL_AVG, TOP_COL_P99, TOP_COL_NR,
};

/* Empty fields match everything; all given fields must match. */
struct top_filter {
	uint32_t pid;			/* 0: any */
	char comm[TOP_COMM_LEN];	/* substring of the process name */
	char func[TOP_FILTER_LEN];	/* substring of the function label */
};

/* Parse "pid:1234,comm:nginx,fn:malloc" (fields in any order, each at most
 * once; a bare word is a function substring; "" clears). 0 or -EINVAL with
 * a one-line reason in why. */
int top_filter_parse(const char *s, struct top_filter *f, char *why, size_t whylen);
/* The filter written back in the syntax above ("" when empty). */
void top_filter_str(const struct top_filter *f, char *buf, size_t len);

struct top_model {
	struct top_row *rows;		/* current snapshot */
	size_t n, cap;
	struct top_row *prev;		/* previous snapshot, sorted by key */
	size_t nprev, prevcap;
	uint64_t now_ns, prev_ns;	/* snapshot times (CLOCK_MONOTONIC) */
	size_t *order;			/* filtered and sorted row indices */
	size_t norder;
	enum top_col sort;
	bool reverse;			/* against the column's natural order */
	struct top_filter filter;
	const char *const *labels;	/* target index -> function label */
	size_t nlabels;
};

void top_init(struct top_model *m, const char *const *labels, size_t nlabels);
void top_free(struct top_model *m);
/* Take a new snapshot (rows copied) at time now_ns: the previous one becomes
 * the base of the rates, then rows are filtered and sorted. */
int top_update(struct top_model *m, const struct top_row *rows, size_t n,
	       uint64_t now_ns);
/* Counters were reset: rates restart from zero at now_ns. */
void top_reset(struct top_model *m, uint64_t now_ns);
/* Re-filter and re-sort the current snapshot (after a key press). */
int top_refresh(struct top_model *m);
void top_set_sort(struct top_model *m, enum top_col col);
void top_next_sort(struct top_model *m, int dir);	/* +1 right, -1 left */
const char *top_col_name(enum top_col col);

/* Totals over the rows that pass the filter. */
struct top_totals {
	uint64_t calls;
	double rate;
	size_t rows;
	size_t procs;
};
void top_totals(const struct top_model *m, struct top_totals *t);

/* A growing text buffer the renderer appends to. */
struct top_buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void top_buf_free(struct top_buf *b);
void top_buf_printf(struct top_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The column heading and up to max_rows rows (0: all), each line at most
 * width characters (0: no limit; the function column then takes the longest
 * label), lines ended by "\n". Returns the number of rows written. */
size_t top_render_table(const struct top_model *m, int width, size_t max_rows,
			struct top_buf *out);

/* "850ns", "12.3us", "1.20ms", "2.00s" into buf (at most 8 chars). */
void top_fmt_ns(uint64_t ns, char *buf, size_t len);

/* Log-linear latency histogram for rows aggregated in user space: 8
 * sub-buckets per power of two, relative error below 1/8. */
#define TOP_HIST_SUB	8
#define TOP_HIST_NR	(64 * TOP_HIST_SUB)
unsigned int top_hist_bucket(uint64_t ns);
uint64_t top_hist_upper(unsigned int bucket);	/* largest value in it */
uint64_t top_hist_quantile(const uint32_t *hist, uint64_t count, double q);

#endif
