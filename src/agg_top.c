// SPDX-License-Identifier: MIT
/* The live view's rows from the kernel (--top): the agg map keyed by
 * process (FT_BY_TGID), read every refresh, as top_row snapshots. Reset
 * deletes the map's keys. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "agg_top.h"

struct agg_top {
	int fd, ncpus;
	struct agg_table t;
	struct top_row *rows;
	size_t cap;
};

int agg_top_new(int fd, int ncpus, struct agg_top **out)
{
	struct agg_top *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->fd = fd;
	a->ncpus = ncpus;
	*out = a;
	return 0;
}

void agg_top_free(struct agg_top *a)
{
	if (!a)
		return;
	agg_table_free(&a->t);
	free(a->rows);
	free(a);
}

void agg_top_row(struct top_row *out, const struct agg_row *r)
{
	memset(out, 0, sizeof(*out));
	out->pid = r->id;
	out->target = r->target;
	memcpy(out->comm, r->comm, sizeof(out->comm) - 1);
	out->calls = r->calls;
	out->timed = r->timed;
	out->total_ns = r->total_ns;
	out->p99_ns = agg_quantile(r, 990);
}

static int snapshot(void *ctx, const struct top_row **rows, size_t *n)
{
	struct agg_top *a = ctx;
	int ret = agg_read(a->fd, a->ncpus, FT_BY_TGID, &a->t);

	if (ret)
		return ret;
	if (a->t.n > a->cap) {
		struct top_row *nr = realloc(a->rows, a->t.n * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		a->rows = nr;
		a->cap = a->t.n;
	}
	for (size_t i = 0; i < a->t.n; i++)
		agg_top_row(&a->rows[i], &a->t.rows[i]);
	*rows = a->rows;
	*n = a->t.n;
	return 0;
}

static int reset(void *ctx)
{
	struct agg_top *a = ctx;

	return agg_clear(a->fd);
}

struct top_source agg_top_source(struct agg_top *a)
{
	return (struct top_source){ snapshot, reset, a };
}
