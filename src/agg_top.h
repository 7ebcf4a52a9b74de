/* SPDX-License-Identifier: MIT */
/* --top's rows read from the kernel's agg map (by process), not from the
 * event stream: a top_source for sink_top.c. */
#ifndef FTRACE_AGG_TOP_H
#define FTRACE_AGG_TOP_H

#include "sink_top.h"

struct agg_row;
struct agg_top;

int agg_top_new(int fd, int ncpus, struct agg_top **out);
void agg_top_free(struct agg_top *a);
struct top_source agg_top_source(struct agg_top *a);
/* one summary row as a live-view row (pure) */
void agg_top_row(struct top_row *out, const struct agg_row *r);

#endif
