// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <string.h>

#include "suggest.h"

#define SUGGEST_MAXLEN	64	/* longer names get only substring matches */
#define SUGGEST_SUBSTR	1000	/* score base of substring matches */
#define SUGGEST_MAXDIST	6

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions), or limit + 1 as soon as it must exceed limit. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb,
			   size_t limit)
{
	size_t r0[SUGGEST_MAXLEN + 1], r1[SUGGEST_MAXLEN + 1],
	       r2[SUGGEST_MAXLEN + 1];
	size_t *pp = r0, *p = r1, *c = r2, *t, i, j;

	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		size_t rowmin;

		c[0] = i;
		rowmin = i;
		for (j = 1; j <= lb; j++) {
			size_t v = p[j - 1] + (a[i - 1] != b[j - 1]);

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		/* every later cell derives from this row (+0 or more) or, by
		 * transposition, from the one before (+1): no way back */
		if (rowmin > limit)
			return limit + 1;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

void suggest_init(struct suggest *s, const char *name, const char **out,
		  size_t max)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->nlen = strlen(name);
	s->limit = s->nlen / 3 > 2 ? s->nlen / 3 : 2;
	if (s->limit > SUGGEST_MAXDIST)
		s->limit = SUGGEST_MAXDIST;
	s->out = out;
	s->max = max > SUGGEST_MAX ? SUGGEST_MAX : max;
}

/* SIZE_MAX: not a suggestion; lower is better */
static size_t score(const struct suggest *s, const char *cand, size_t clen)
{
	size_t diff = clen > s->nlen ? clen - s->nlen : s->nlen - clen;

	if (diff <= s->limit && s->nlen <= SUGGEST_MAXLEN && clen <= SUGGEST_MAXLEN) {
		size_t d = osa_distance(s->name, s->nlen, cand, clen, s->limit);

		if (d == 0)
			return SIZE_MAX;	/* the query itself */
		if (d <= s->limit)
			return d;
	}
	if (s->nlen >= 3 && clen > s->nlen && strstr(cand, s->name))
		return SUGGEST_SUBSTR + clen;
	return SIZE_MAX;
}

void suggest_add(struct suggest *s, const char *cand)
{
	size_t sc, pos;

	if (!s->max || !s->nlen)
		return;
	sc = score(s, cand, strlen(cand));
	if (sc == SIZE_MAX)
		return;
	for (pos = 0; pos < s->n; pos++)
		if (!strcmp(s->out[pos], cand))
			return;
	for (pos = 0; pos < s->n; pos++)
		if (sc < s->scores[pos] ||
		    (sc == s->scores[pos] && strcmp(cand, s->out[pos]) < 0))
			break;
	if (pos >= s->max)
		return;
	if (s->n == s->max)
		s->n--;
	memmove(s->out + pos + 1, s->out + pos, (s->n - pos) * sizeof(*s->out));
	memmove(s->scores + pos + 1, s->scores + pos, (s->n - pos) * sizeof(*s->scores));
	s->out[pos] = cand;
	s->scores[pos] = sc;
	s->n++;
}
