// SPDX-License-Identifier: MIT
/* The text sink: one line per event (format.c), as ftrace always printed.
 * Lost events and the summary go to stderr, not here. */
#include <errno.h>
#include <stdlib.h>

#include "sink.h"

struct text_sink {
	struct ft_sink base;
	char line[FMT_LINE_MAX];
};

static int text_event(struct ft_sink *s, const void *rec, size_t len)
{
	struct text_sink *t = (struct text_sink *)s;
	int n = format_event(s->fmt, rec, len, t->line);

	if (n < 0)
		return n;
	if (fwrite(t->line, 1, (size_t)n, s->out) != (size_t)n)
		return -(errno ? errno : EIO);
	s->written++;
	return 0;
}

static int text_lost(struct ft_sink *s, uint64_t ts, uint64_t total)
{
	(void)s, (void)ts, (void)total;
	return 0;
}

static int text_close(struct ft_sink *s, const struct sink_summary *sum)
{
	(void)sum;
	return sink_file_close(s);
}

static const struct sink_ops text_ops = {
	.name = "text",
	.event = text_event,
	.lost = text_lost,
	.flush = sink_file_flush,
	.close = text_close,
};

struct ft_sink *sink_text_new(void)
{
	struct text_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->base.ops = &text_ops;
	return &t->base;
}
