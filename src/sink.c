// SPDX-License-Identifier: MIT
/* Choosing an output sink, and what the sink files share: their FILE and
 * JSON strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sink.h"

int sink_file_open(struct ft_sink *s, const char *path, struct ft_err *err)
{
	if (!path) {
		s->out = stdout;
		return 0;
	}
	s->out = fopen(path, "we");
	if (!s->out)
		return ft_errf(err, -errno, "cannot write '%s': %s", path, strerror(errno));
	s->own_out = true;
	setvbuf(s->out, NULL, _IOFBF, 1 << 16);
	return 0;
}

int sink_file_flush(struct ft_sink *s)
{
	if (fflush(s->out) || ferror(s->out))
		return -(errno ? errno : EIO);
	return 0;
}

int sink_file_close(struct ft_sink *s)
{
	int ret = sink_file_flush(s);

	if (s->own_out && fclose(s->out) && !ret)
		ret = -(errno ? errno : EIO);
	free(s);
	return ret;
}

int sink_open(const struct sink_opts *o, struct ft_sink **out, struct ft_err *err)
{
	struct ft_sink *s;
	int ret;

	switch (o->kind) {
	case SINK_JSON:
		s = sink_json_new();
		break;
	case SINK_PERFETTO:
		s = sink_perfetto_new();
		break;
	case SINK_STATS:
		s = sink_stats_new(o);
		break;
	default:
		s = sink_text_new();
		break;
	}
	if (!s)
		return ft_errf(err, -ENOMEM, "out of memory");
	s->fmt = o->fmt;
	s->offsets = o->offsets;
	ret = sink_file_open(s, o->path, err);
	if (ret) {
		free(s);
		return ret;
	}
	if (s->ops->start && s->ops->start(s)) {
		ret = -(errno ? errno : EIO);
		sink_file_close(s);
		return ft_errf(err, ret, "cannot write '%s': %s",
			       o->path ? o->path : "stdout", strerror(-ret));
	}
	*out = s;
	return 0;
}

void sink_split_label(const char *label, const char **func, size_t *liblen)
{
	const char *c = strchr(label, ':');

	if (!c) {
		*func = label;
		*liblen = 0;
		return;
	}
	*func = c + 1;
	*liblen = (size_t)(c - label);
}

/* length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned int cp, min;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void json_str(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	putc('"', f);
	while (i < n) {
		size_t l = utf8_len(p + i, n - i);

		if (l > 1) {
			fwrite(p + i, 1, l, f);
			i += l;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\') {
			putc('\\', f);
			putc(p[i], f);
		} else if (l == 0 || p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(f, "\\u%04x", p[i]);
		} else {
			putc(p[i], f);
		}
		i++;
	}
	putc('"', f);
}
