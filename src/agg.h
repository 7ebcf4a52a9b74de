/* SPDX-License-Identifier: MIT */
/* Summaries aggregated in the kernel (-s/--stats, --hist): the agg map's
 * per-CPU values merged into rows, and the log-linear histogram's buckets
 * and quantiles. Pure except agg_read()/agg_clear(), which talk to the map. */
#ifndef FTRACE_AGG_H
#define FTRACE_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "event.h"

/* One target x key, summed over the CPUs. */
struct agg_row {
	uint32_t target;
	uint32_t id;			/* tgid / tid with --by pid / tid, else 0 */
	char comm[FT_COMM_LEN + 1];	/* the key's (--by comm) or the creator's */
	uint32_t tgid;			/* the creator's process (--by tid) */
	uint64_t calls;			/* entries */
	uint64_t timed;			/* returns with their entry */
	uint64_t unmatched;		/* returns without an entry seen */
	uint64_t total_ns, min_ns, max_ns;
	uint64_t hist[FT_HIST_NR];
	/* --by stack: the key's stack ids (or -errno, FT_STACKID_*), the
	 * caller at a function's entry; then, from the stack map, the frames
	 * innermost first: nkern kernel ones, then nuser user ones (the caller
	 * inserted after the first) */
	int32_t ustack, kstack;
	uint64_t ra;
	uint16_t nkern, nuser;
	uint64_t frames[2 * FT_STACK_MAX + 1];
};

struct agg_table {
	struct agg_row *rows;
	size_t n, cap;
};

/* The bucket of an exec time, as the BPF program computes it, and the
 * smallest and largest value it holds (the last one is open-ended:
 * agg_bucket_hi() gives UINT64_MAX). */
unsigned int agg_bucket(uint64_t ns);
uint64_t agg_bucket_lo(unsigned int b);
uint64_t agg_bucket_hi(unsigned int b);

/* The quantile permille/1000 of a row's exec times: the value of rank
 * ceil(q * timed) in sorted order is in a known bucket; the estimate is
 * that bucket's midpoint, kept within [min_ns, max_ns]. Below 16 ns it is
 * exact; elsewhere, up to 2^42 ns, its relative error is at most 1/16
 * (6.25%). 0 when nothing was timed. */
uint64_t agg_quantile(const struct agg_row *r, unsigned int permille);

/* Add one CPU's value to a row (the row's key already set). */
void agg_add_cpu(struct agg_row *r, const struct ft_agg_val *v);
/* A row from a key and the ncpus per-CPU values of a lookup (stride: the
 * kernel's per-CPU value size, sizeof(struct ft_agg_val) rounded to 8). */
void agg_merge(struct agg_row *r, const struct ft_agg_key *k, const void *percpu,
	       int ncpus, enum ft_agg_by by);
/* Sort rows by target, then key (id, comm). */
void agg_sort(struct agg_table *t);
/* --by stack: by target, then calls (most first), then key. */
void agg_sort_calls(struct agg_table *t);

/* --by stack: a row's frames from the kernel stack k[nk] and the user
 * stack u[nu] (innermost first; the caller r->ra, when set, inserted after
 * the first user frame unless it is the next one already). Pure. */
void agg_set_frames(struct agg_row *r, const uint64_t *k, size_t nk,
		    const uint64_t *u, size_t nu);
/* --by stack: every row's frames from the stack map (fd): -errno. */
int agg_read_stacks(int fd, struct agg_table *t);

/* Read the whole map into t (replacing its rows): -errno. */
int agg_read(int fd, int ncpus, enum ft_agg_by by, struct agg_table *t);
/* the same from the agg_tgt array (no --by): a row per target, in order */
int agg_read_targets(int fd, int ncpus, uint32_t n, struct agg_table *t);
/* Delete every key (reset): -errno. */
int agg_clear(int fd);
void agg_table_free(struct agg_table *t);

#define AGG_PERCPU_STRIDE ((sizeof(struct ft_agg_val) + 7) & ~(size_t)7)

#endif
