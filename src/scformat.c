// SPDX-License-Identifier: MIT
/* Syscall tracepoints: the format files' parser and the text of records.
 * Pure (no I/O): fuzzed (tests/fuzz/fuzz_scformat.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "errnames.h"
#include "event.h"
#include "follow.h"
#include "sc_event.h"
#include "syscalls.h"

/* ---- format files ------------------------------------------------------ */

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* "key:NUMBER;" in [p, end) */
static int num_after(const char *p, const char *end, const char *key, uint32_t *out)
{
	size_t klen = strlen(key);
	uint64_t v = 0;
	int digits = 0;

	for (; p + klen <= end; p++)
		if (!memcmp(p, key, klen))
			break;
	if (p + klen > end)
		return -EINVAL;
	for (p += klen; p < end && *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (!digits || p >= end || *p != ';' || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* "field:const char * filename;" -> type "const char *", name "filename" */
static int split_decl(const char *d, const char *semi, struct sc_arg *a)
{
	const char *e = semi, *nb;
	size_t tlen;

	while (e > d && e[-1] == ' ')
		e--;
	nb = e;
	while (nb > d && is_ident(nb[-1]))
		nb--;
	if (nb == e || (size_t)(e - nb) >= sizeof(a->name))
		return -EINVAL;
	memcpy(a->name, nb, (size_t)(e - nb));
	a->name[e - nb] = 0;
	while (nb > d && nb[-1] == ' ')
		nb--;
	tlen = (size_t)(nb - d);
	if (!tlen || tlen >= sizeof(a->type))
		return -EINVAL;
	memcpy(a->type, d, tlen);
	a->type[tlen] = 0;
	return 0;
}

/* A char * argument is read as a string when const (an input: openat's
 * filename), or named like one where the kernel leaves it unconst
 * (mount's dev_name, dir_name, type); read's buf is an output. */
static bool str_like(const char *name)
{
	static const char *const words[] = { "name", "path", "file", "type", "dir",
					     "key", "old", "new" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i]))
			return true;
	return false;
}

static void classify(struct sc_arg *a)
{
	size_t stars = count_char(a->type, '*');

	a->is_str = stars == 1 && strstr(a->type, "char") && !strstr(a->type, "unsigned") &&
		    (!strncmp(a->type, "const ", 6) || str_like(a->name));
	a->is_int = !stars && a->size > 4 && strstr(a->type, "int") &&
		    !strstr(a->type, "long") && !strstr(a->type, "64");
}

/* one "field:" line into a, or 1 to skip it (common_*, __syscall_nr) */
static int parse_field(const char *line, const char *end, struct sc_arg *a)
{
	const char *d = line + 6, *semi = memchr(d, ';', (size_t)(end - d));
	uint32_t sgn = 0;

	if (!semi)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (split_decl(d, semi, a))
		return -EINVAL;
	if (num_after(semi, end, "offset:", &a->off) || num_after(semi, end, "size:", &a->size))
		return -EINVAL;
	if (!num_after(semi, end, "signed:", &sgn))
		a->is_signed = sgn != 0;
	if (!strncmp(a->name, "common_", 7) || !strcmp(a->name, "__syscall_nr") ||
	    strstr(a->type, "__data_loc"))
		return 1;
	if ((a->size != 4 && a->size != 8) || (uint64_t)a->off + a->size > FT_SC_REC)
		return -EINVAL;
	classify(a);
	return 0;
}

int sc_format_parse(const char *fmt, struct sc_proto *p)
{
	bool nr = false;
	unsigned int nstr = 0;

	p->nargs = 0;
	memset(p->str_arg, 0, sizeof(p->str_arg));
	for (const char *l = fmt; *l; ) {
		const char *end = strchr(l, '\n'), *f;
		struct sc_arg a;
		int r;

		if (!end)
			end = l + strlen(l);
		f = l;
		while (f < end && (*f == ' ' || *f == '\t'))
			f++;
		if ((size_t)(end - f) > 6 && !memcmp(f, "field:", 6)) {
			r = parse_field(f, end, &a);
			if (r < 0)
				return -EINVAL;
			nr |= !strcmp(a.name, "__syscall_nr");
			if (!r) {
				if (p->nargs == SC_MAX_ARGS)
					return -EINVAL;
				/* the kernel side reads strings at FT_SC_ARGS_OFF + i words */
				if (a.is_str && (a.off != FT_SC_ARGS_OFF + p->nargs * ARCH_WORD_SIZE ||
						 nstr == FT_SC_NSTR))
					a.is_str = false;
				if (a.is_str)
					p->str_arg[nstr++] = (uint8_t)(p->nargs + 1);
				p->args[p->nargs++] = a;
			}
		}
		l = *end ? end + 1 : end;
	}
	return nr ? 0 : -EINVAL;
}

int sc_exit_parse(const char *fmt, struct sc_proto *p)
{
	uint32_t off, size;

	if (tp_field(fmt, "ret", &off, &size) || (size != 4 && size != 8) ||
	    (uint64_t)off + size > FT_SC_REC)
		return -EINVAL;
	p->ret_off = off;
	p->ret_size = size;
	return 0;
}

/* ---- output ------------------------------------------------------------ */

const struct sc_proto *sc_proto_of(const struct sc_table *tab, uint32_t target)
{
	return tab && target < tab->n ? tab->by_target[target] : NULL;
}

static uint64_t field(const uint8_t *rec, uint32_t off, uint32_t size, bool sign)
{
	uint64_t v = 0;

	if ((uint64_t)off + size > FT_SC_REC)
		return 0;
	if (size == 4) {
		uint32_t w;

		memcpy(&w, rec + off, 4);
		v = sign ? (uint64_t)(int64_t)(int32_t)w : w;
	} else {
		memcpy(&v, rec + off, 8);
	}
	return v;
}

uint64_t sc_arg_value(const struct sc_arg *a, const uint8_t *rec)
{
	uint64_t v = field(rec, a->off, a->size, a->is_signed);

	return a->is_int ? (uint32_t)v : v;
}

static char *put(char *p, char *end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static char *put(char *p, char *end, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p >= end)
		return p;
	va_start(ap, fmt);
	n = vsnprintf(p, (size_t)(end - p) + 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return p;
	return (size_t)n > (size_t)(end - p) ? end : p + n;
}

/* a string as C text, cut with "..." where room ends */
static char *put_cstr(char *p, char *end, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	p = put(p, end, "\"");
	for (size_t i = 0; i < n && p < end - 8; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			p = put(p, end, "\\%c", c);
		else if (c == '\n')
			p = put(p, end, "\\n");
		else if (c == '\t')
			p = put(p, end, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			p = put(p, end, "\\x%02x", c);
		else
			*p++ = (char)c;
		if (i + 1 < n && p >= end - 8) {
			p = put(p, end, "\"...");
			return p;
		}
	}
	p = put(p, end, "\"");
	return n == max - 1 ? put(p, end, "...") : p;
}

/* string k of the record, NULL when it has none or it was unreadable */
const char *sc_str_of(const void *rec, size_t len, const struct sc_proto *pr,
		      unsigned int arg)
{
	const struct ft_sc_event *se = rec;

	if (!(se->ev.flags & FT_F_SC_STR) || len < sizeof(*se))
		return NULL;
	for (unsigned int k = 0; k < FT_SC_NSTR; k++)
		if (pr->str_arg[k] == arg + 1)
			return se->ev.pad & (1u << k) ? NULL : se->str[k];
	return NULL;
}

char *sc_put_call(const struct sc_table *tab, const void *rec, size_t len,
		  char *p, char *end)
{
	const struct ft_event *e = rec;
	const struct sc_proto *pr = sc_proto_of(tab, e->target);

	if (!pr) {
		uint32_t nr;

		memcpy(&nr, e->regs + 8, sizeof(nr));
		return put(p, end, "syscall_%u(...)", nr);
	}
	p = put(p, end, "%s(", pr->name);
	for (unsigned int i = 0; i < pr->nargs; i++) {
		const struct sc_arg *a = &pr->args[i];
		uint64_t v = sc_arg_value(a, e->regs);
		const char *s = a->is_str ? sc_str_of(rec, len, pr, i) : NULL;

		p = put(p, end, "%s%s=", i ? ", " : "", a->name);
		if (s)
			p = put_cstr(p, end, s, FT_SC_STRLEN);
		else
			p = put(p, end, "0x%" PRIx64 "%s", v, a->is_str &&
				(e->flags & FT_F_SC_STR) ? " (unreadable)" : "");
	}
	return put(p, end, ")");
}

int64_t sc_ret_value(const struct sc_proto *pr, const struct ft_event *e)
{
	if (pr)
		return (int64_t)field(e->regs, pr->ret_off, pr->ret_size, true);
	return (int64_t)field(e->regs, FT_SC_ARGS_OFF, ARCH_WORD_SIZE, true);
}

char *sc_put_ret(const struct sc_table *tab, const struct ft_event *e, char *p,
		 char *end)
{
	const struct sc_proto *pr = sc_proto_of(tab, e->target);
	int64_t r = sc_ret_value(pr, e);
	const char *en = r < 0 && r >= -4095 ? errno_name((long)-r) : NULL;

	if (pr && pr->addr_ret && r >= 0)
		return put(p, end, "ret=0x%" PRIx64, (uint64_t)r);
	return put(p, end, "ret=%" PRId64 "%s%s", r, en ? " " : "", en ? en : "");
}

