/* SPDX-License-Identifier: MIT */
/* Close-name suggestions for "unknown symbol" errors: candidates within a
 * small edit distance of the query (adjacent transpositions count as one
 * edit), then names containing it; ranked, deduplicated. */
#ifndef FTRACE_SUGGEST_H
#define FTRACE_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX 16

struct suggest {
	const char *name;	/* the query */
	size_t nlen;
	size_t limit;		/* largest edit distance accepted */
	const char **out;	/* ranked results, best first */
	size_t scores[SUGGEST_MAX];
	size_t n, max;
};

/* Collect up to max (at most SUGGEST_MAX) names into out. */
void suggest_init(struct suggest *s, const char *name, const char **out,
		  size_t max);

/* Consider one candidate; cand must outlive s->out. The query itself and
 * repeats are ignored. */
void suggest_add(struct suggest *s, const char *cand);

#endif
