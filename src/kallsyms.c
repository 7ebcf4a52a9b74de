// SPDX-License-Identifier: MIT
/* Kernel symbol tables. The inputs (/proc/kallsyms, debugfs
 * kprobes/blacklist) are text the caller may have read from anywhere, so the
 * parsers walk [buf, buf + len) with explicit bounds, never rely on a NUL
 * terminator and skip (and count) lines they do not understand.
 *
 * ksyms_parse makes two passes over the text: the first counts the text
 * symbols, the other symbols and the bytes their names need; the second
 * fills arrays of exactly that size, so nothing is reallocated and the
 * name pointers stay valid. The real file has ~100k-200k lines; both passes
 * are memchr-driven and the two sorts are O(n log n). */
#include "kallsyms.h"
#include "readfile.h"
#include "suggest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSYMS_MAX_FILE		(256u << 20)

/* ---- small lexing helpers --------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Digits in base 16 or 10 from *p (bounded by end) into *v. Returns the
 * number of digits consumed (0: none), -1 on overflow. Advances *p. */
static int parse_u64(const char **p, const char *end, int base, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	while (s < end) {
		int d = base == 16 ? hexval(*s) :
			(*s >= '0' && *s <= '9' ? *s - '0' : -1);

		if (d < 0)
			break;
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -1;
		x = x * (uint64_t)base + (uint64_t)d;
		s++;
		n++;
	}
	*p = s;
	*v = x;
	return n;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

static const char *skip_word(const char *p, const char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

/* Optional "[module]" ending the line at p. 1: found, 0: nothing left,
 * -1: something else. */
static int parse_module(const char *p, const char *end, const char **mod,
			size_t *mlen)
{
	const char *close;

	*mod = NULL;
	*mlen = 0;
	if (p == end)
		return 0;
	if (*p != '[' || end - p < 3 || end[-1] != ']')
		return -1;
	close = memchr(p + 1, ']', (size_t)(end - p - 1));
	if (close != end - 1)
		return -1;
	if (skip_word(p + 1, close) != close)
		return -1;
	*mod = p + 1;
	*mlen = (size_t)(close - p - 1);
	return 1;
}

/* The line [p, end) without its '\n', trailing blanks dropped. */
static const char *trim_end(const char *p, const char *end)
{
	while (end > p && is_blank(end[-1]))
		end--;
	return end;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- kallsyms ---------------------------------------------------------- */

struct kline {
	uint64_t addr;
	const char *name, *mod;
	size_t nlen, mlen;
	char type;
};

/* 1: parsed, 0: blank line, -1: malformed. */
static int parse_kline(const char *p, const char *end, struct kline *l)
{
	const char *q;

	end = trim_end(p, end);
	p = skip_blanks(p, end);
	if (p == end)
		return 0;
	if (memchr(p, '\0', (size_t)(end - p)))
		return -1;
	q = p;
	if (parse_u64(&q, end, 16, &l->addr) <= 0 || q == end || *q != ' ')
		return -1;
	p = skip_blanks(q, end);
	if (end - p < 3 || is_blank(p[0]) || !is_blank(p[1]))
		return -1;
	l->type = p[0];
	p = skip_blanks(p + 1, end);
	l->name = p;
	p = skip_word(p, end);
	l->nlen = (size_t)(p - l->name);
	if (!l->nlen || l->name[0] == '[')
		return -1;
	p = skip_blanks(p, end);
	return parse_module(p, end, &l->mod, &l->mlen) < 0 ? -1 : 1;
}

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/* Line iterator over [buf, buf + len); the last line may lack its '\n'. */
struct lines {
	const char *p, *end;
};

static struct lines lines_of(const char *buf, size_t len)
{
	return (struct lines){ .p = buf, .end = len ? buf + len : buf };
}

/* The next line as [*s, *e) without its '\n'; false at the end. */
static bool next_line(struct lines *it, const char **s, const char **e)
{
	const char *nl;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*s = it->p;
	*e = nl ? nl : it->end;
	it->p = nl ? nl + 1 : it->end;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* During the sort, size holds the input position: ties keep input order. */
static int cmp_ksym_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static int cmp_ksym_name(const void *a, const void *b)
{
	const struct ksym *x = *(const struct ksym *const *)a;
	const struct ksym *y = *(const struct ksym *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static char *copy_str(char **pool, const char *s, size_t n)
{
	char *d = *pool;

	memcpy(d, s, n);
	d[n] = '\0';
	*pool += n + 1;
	return d;
}

/* Fill in sizes: distance to the next greater address among the text
 * symbols and the others (sorted). */
static void set_sizes(struct ksyms *ks, const uint64_t *other, size_t nother)
{
	size_t i = 0, o = 0;

	while (i < ks->nsyms) {
		uint64_t a = ks->syms[i].addr, next = 0;
		size_t j = i;

		while (j < ks->nsyms && ks->syms[j].addr == a)
			j++;
		while (o < nother && other[o] <= a)
			o++;
		if (j < ks->nsyms)
			next = ks->syms[j].addr;
		if (o < nother && (!next || other[o] < next))
			next = other[o];
		for (; i < j; i++)
			ks->syms[i].size = next ? next - a : 0;
	}
}

int ksyms_parse(const char *buf, size_t len, struct ksyms *ks)
{
	size_t ntext = 0, nother = 0, bytes = 0, nbad = 0, nlines = 0, i;
	const char *lastmod = NULL, *p, *eol;
	size_t lastmlen = 0;
	uint64_t *other = NULL;
	struct lines it;
	char *pool;
	bool hidden = true;
	struct kline l;

	memset(ks, 0, sizeof(*ks));
	it = lines_of(buf, len);
	while (next_line(&it, &p, &eol)) {
		int r = parse_kline(p, eol, &l);

		nlines += r != 0;
		if (r < 0) {
			nbad++;
		} else if (r > 0 && is_text_type(l.type)) {
			ntext++;
			bytes += l.nlen + 1 + (l.mod ? l.mlen + 1 : 0);
		} else if (r > 0) {
			nother++;
		}
	}
	ks->nskipped = nbad;
	if (nlines && nbad == nlines)
		return -EINVAL;
	if (!ntext)
		return 0;

	ks->syms = calloc(ntext, sizeof(*ks->syms));
	ks->by_name = calloc(ntext, sizeof(*ks->by_name));
	ks->strings = malloc(bytes);
	other = nother ? calloc(nother, sizeof(*other)) : NULL;
	if (!ks->syms || !ks->by_name || !ks->strings || (nother && !other)) {
		free(other);
		ksyms_free(ks);
		return -ENOMEM;
	}

	pool = ks->strings;
	nother = 0;
	it = lines_of(buf, len);
	while (next_line(&it, &p, &eol)) {
		struct ksym *s;

		if (parse_kline(p, eol, &l) <= 0)
			continue;
		if (!is_text_type(l.type)) {
			other[nother++] = l.addr;
			continue;
		}
		s = &ks->syms[ks->nsyms];
		s->addr = l.addr;
		s->size = ks->nsyms++;	/* input order, see cmp_ksym_addr */
		s->type = l.type;
		s->name = copy_str(&pool, l.name, l.nlen);
		if (l.addr)
			hidden = false;
		if (!l.mod)
			continue;
		/* A module's symbols come in one run: share its name. */
		if (!lastmod || lastmlen != l.mlen || memcmp(lastmod, l.mod, l.mlen)) {
			lastmod = copy_str(&pool, l.mod, l.mlen);
			lastmlen = l.mlen;
		}
		s->module = lastmod;
	}

	qsort(ks->syms, ks->nsyms, sizeof(*ks->syms), cmp_ksym_addr);
	ks->addrs_hidden = hidden;
	if (hidden) {
		for (i = 0; i < ks->nsyms; i++)
			ks->syms[i].size = 0;
	} else {
		if (nother)
			qsort(other, nother, sizeof(*other), cmp_u64);
		set_sizes(ks, other, nother);
	}
	free(other);

	for (i = 0; i < ks->nsyms; i++)
		ks->by_name[i] = &ks->syms[i];
	qsort(ks->by_name, ks->nsyms, sizeof(*ks->by_name), cmp_ksym_name);
	return 0;
}

int ksyms_load(const char *path, struct ksyms *ks)
{
	size_t len;
	char *buf;
	int err;

	memset(ks, 0, sizeof(*ks));
	err = read_whole_file(path, KSYMS_MAX_FILE, &buf, &len);
	if (err)
		return err;
	err = ksyms_parse(buf, len, ks);
	free(buf);
	return err;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->by_name);
	free(ks->strings);
	memset(ks, 0, sizeof(*ks));
}

/* First by_name index whose name is >= name. */
static size_t name_lower(const struct ksyms *ks, const char *name)
{
	size_t lo = 0, hi = ks->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ks->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ksym *ksyms_find_nth(const struct ksyms *ks, const char *name,
				  size_t n)
{
	size_t i;

	if (!ks->nsyms)
		return NULL;
	i = name_lower(ks, name);
	if (i + n < i || i + n >= ks->nsyms || strcmp(ks->by_name[i + n]->name, name))
		return NULL;
	return ks->by_name[i + n];
}

const struct ksym *ksyms_find(const struct ksyms *ks, const char *name)
{
	return ksyms_find_nth(ks, name, 0);
}

size_t ksyms_count(const struct ksyms *ks, const char *name)
{
	size_t i, n = 0;

	if (!ks->nsyms)
		return 0;
	for (i = name_lower(ks, name); i < ks->nsyms; i++, n++)
		if (strcmp(ks->by_name[i]->name, name))
			break;
	return n;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !memcmp(s + ls - lx, suffix, lx);
}

/* Linker-script section markers, which share an address with the first
 * function of their section. */
static bool is_marker(const char *name)
{
	static const char *const names[] = {
		"_text", "_stext", "_etext", "_sinittext", "_einittext",
		"_end", "__init_begin", "__init_end",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return name[0] == '_' && name[1] == '_' &&
	       (ends_with(name, "_text_start") || ends_with(name, "_text_end"));
}

const struct ksym *ksyms_at(const struct ksyms *ks, uint64_t addr,
			    uint64_t *off)
{
	size_t lo = 0, hi = ks->nsyms, first, i;
	const struct ksym *s;

	if (ks->addrs_hidden || !ks->nsyms)
		return NULL;
	while (lo < hi) {	/* first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &ks->syms[lo - 1];
	if (s->size && addr - s->addr >= s->size)
		return NULL;
	first = lo - 1;
	while (first > 0 && ks->syms[first - 1].addr == s->addr)
		first--;
	for (i = first; i < lo; i++) {
		if (!is_marker(ks->syms[i].name)) {
			s = &ks->syms[i];
			break;
		}
	}
	if (i == lo)
		s = &ks->syms[first];
	if (off)
		*off = addr - s->addr;
	return s;
}

/* ---- suggestions ------------------------------------------------------- */

size_t ksyms_suggest(const struct ksyms *ks, const char *name,
		     const char **out, size_t max)
{
	bool want_pfx = starts_with(name, "__pfx_") || starts_with(name, "__cfi_");
	const char *prev = NULL;
	struct suggest sg;
	size_t i;

	suggest_init(&sg, name, out, max);
	/* name order: duplicates are adjacent and skipped */
	for (i = 0; i < ks->nsyms; i++) {
		const char *cand = ks->by_name[i]->name;

		if (prev && !strcmp(prev, cand))
			continue;
		prev = cand;
		if (!want_pfx && cand[0] == '_' && cand[1] == '_' &&
		    (starts_with(cand, "__pfx_") || starts_with(cand, "__cfi_")))
			continue;
		suggest_add(&sg, cand);
	}
	return sg.n;
}

/* ---- probe targets ----------------------------------------------------- */

static bool is_sym_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
}

int ktarget_parse(const char *text, struct ktarget *t)
{
	const char *p = text, *end;
	size_t nlen;

	memset(t, 0, sizeof(*t));
	if (!text || !*text)
		return -EINVAL;
	end = text + strlen(text);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (parse_u64(&p, end, 16, &t->addr) <= 0 || p != end)
			return -EINVAL;
		t->kind = KTARGET_ADDR;
		return 0;
	}
	if (p[0] >= '0' && p[0] <= '9')
		return -EINVAL;
	while (p < end && is_sym_char(*p))
		p++;
	nlen = (size_t)(p - text);
	if (!nlen)
		return -EINVAL;
	if (p < end) {
		int base = 10;

		if (*p++ != '+')
			return -EINVAL;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			p += 2;
			base = 16;
		}
		if (parse_u64(&p, end, base, &t->off) <= 0 || p != end)
			return -EINVAL;
	}
	if (nlen >= sizeof(t->sym))
		return -ENAMETOOLONG;
	memcpy(t->sym, text, nlen);
	t->sym[nlen] = '\0';
	t->kind = KTARGET_SYM;
	return 0;
}

/* ---- kprobe blacklist -------------------------------------------------- */

struct bline {
	uint64_t start, end;
	const char *sym, *mod;
	size_t slen, mlen;
};

static int parse_bound(const char **p, const char *end, uint64_t *v)
{
	if (end - *p >= 2 && (*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X'))
		*p += 2;
	return parse_u64(p, end, 16, v) > 0 ? 0 : -1;
}

/* 1: parsed, 0: blank line, -1: malformed. */
static int parse_bline(const char *p, const char *end, struct bline *l)
{
	end = trim_end(p, end);
	p = skip_blanks(p, end);
	if (p == end)
		return 0;
	if (memchr(p, '\0', (size_t)(end - p)))
		return -1;
	memset(l, 0, sizeof(*l));
	if (parse_bound(&p, end, &l->start) || p == end || *p++ != '-' ||
	    parse_bound(&p, end, &l->end) || l->end < l->start)
		return -1;
	if (p == end)
		return 1;
	if (!is_blank(*p))
		return -1;
	p = skip_blanks(p, end);
	l->sym = p;
	p = skip_word(p, end);
	l->slen = (size_t)(p - l->sym);
	if (l->sym[0] == '[')
		return -1;
	p = skip_blanks(p, end);
	return parse_module(p, end, &l->mod, &l->mlen) < 0 ? -1 : 1;
}

static int cmp_kbl(const void *a, const void *b)
{
	const struct kbl_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Sort and (re)build maxend after ents changed. */
static int kbl_finish(struct kblacklist *bl)
{
	uint64_t *me = NULL, m = 0;
	size_t i;

	if (bl->nents) {
		me = realloc(bl->maxend, bl->nents * sizeof(*me));
		if (!me)
			return -ENOMEM;
	}
	bl->maxend = me;
	qsort(bl->ents, bl->nents, sizeof(*bl->ents), cmp_kbl);
	for (i = 0; i < bl->nents; i++) {
		if (bl->ents[i].end > m)
			m = bl->ents[i].end;
		me[i] = m;
	}
	return 0;
}

int kblacklist_parse(const char *buf, size_t len, struct kblacklist *bl)
{
	size_t n = 0, bytes = 0, nbad = 0, nlines = 0;
	bool hidden = true;
	struct bline l;
	char *pool;
	const char *p, *eol;
	struct lines it;
	int err;

	memset(bl, 0, sizeof(*bl));
	it = lines_of(buf, len);
	while (next_line(&it, &p, &eol)) {
		int r = parse_bline(p, eol, &l);

		nlines += r != 0;
		if (r < 0) {
			nbad++;
		} else if (r > 0) {
			n++;
			bytes += (l.sym ? l.slen + 1 : 0) + (l.mod ? l.mlen + 1 : 0);
		}
	}
	bl->nskipped = nbad;
	if (nlines && nbad == nlines)
		return -EINVAL;
	if (!n)
		return 0;
	bl->ents = calloc(n, sizeof(*bl->ents));
	bl->strings = bytes ? malloc(bytes) : NULL;
	if (!bl->ents || (bytes && !bl->strings)) {
		kblacklist_free(bl);
		return -ENOMEM;
	}
	pool = bl->strings;
	it = lines_of(buf, len);
	while (next_line(&it, &p, &eol)) {
		struct kbl_entry *e;

		if (parse_bline(p, eol, &l) <= 0)
			continue;
		e = &bl->ents[bl->nents++];
		e->start = l.start;
		e->end = l.end;
		if (l.sym)
			e->sym = copy_str(&pool, l.sym, l.slen);
		if (l.mod)
			e->module = copy_str(&pool, l.mod, l.mlen);
		if (l.start || l.end)
			hidden = false;
	}
	bl->addrs_hidden = hidden;
	err = kbl_finish(bl);
	if (err)
		kblacklist_free(bl);
	return err;
}

int kblacklist_load(const char *path, struct kblacklist *bl)
{
	size_t len;
	char *buf;
	int err;

	memset(bl, 0, sizeof(*bl));
	err = read_whole_file(path, KSYMS_MAX_FILE, &buf, &len);
	if (err)
		return err;
	err = kblacklist_parse(buf, len, bl);
	free(buf);
	return err;
}

int kblacklist_add_sections(struct kblacklist *bl, const struct ksyms *ks)
{
	static const char *const secs[] = {
		"__kprobes_text",	/* __kprobes / NOKPROBE functions */
		"__noinstr_text",	/* noinstr, holds __cpuidle_text */
		"__entry_text",		/* x86, arm64 entry code */
		"__irqentry_text",
		"__idmap_text",		/* arm64 */
		"__hyp_idmap_text",
		"__hyp_text",
	};
	struct kbl_entry add[sizeof(secs) / sizeof(secs[0])], *ents;
	size_t n = 0, i;
	int err;

	if (ks->addrs_hidden)
		return 0;
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		char name[64];
		const struct ksym *s, *e;

		snprintf(name, sizeof(name), "%s_start", secs[i]);
		s = ksyms_find(ks, name);
		snprintf(name, sizeof(name), "%s_end", secs[i]);
		e = ksyms_find(ks, name);
		if (!s || !e || e->addr <= s->addr)
			continue;
		add[n] = (struct kbl_entry){
			.start = s->addr, .end = e->addr, .sym = secs[i],
			.section = true,
		};
		n++;
	}
	if (!n)
		return 0;
	ents = realloc(bl->ents, (bl->nents + n) * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	bl->ents = ents;
	memcpy(ents + bl->nents, add, n * sizeof(*ents));
	bl->nents += n;
	bl->addrs_hidden = false;
	err = kbl_finish(bl);
	return err ? err : (int)n;
}

bool kblacklist_hit(const struct kblacklist *bl, uint64_t addr,
		    const char **sym)
{
	size_t lo = 0, hi = bl->nents;

	if (sym)
		*sym = NULL;
	if (bl->addrs_hidden || !bl->nents)
		return false;
	while (lo < hi) {	/* first entry starting above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (bl->ents[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk down while some earlier range still reaches past addr; the
	 * first hit starts last (innermost). */
	while (lo > 0 && bl->maxend[lo - 1] > addr) {
		const struct kbl_entry *e = &bl->ents[--lo];

		if (addr < e->end) {
			if (sym)
				*sym = e->sym;
			return true;
		}
	}
	return false;
}

bool kblacklist_has_name(const struct kblacklist *bl, const char *name)
{
	size_t i;

	for (i = 0; i < bl->nents; i++)
		if (bl->ents[i].sym && !bl->ents[i].section &&
		    !strcmp(bl->ents[i].sym, name))
			return true;
	return false;
}

void kblacklist_free(struct kblacklist *bl)
{
	if (!bl)
		return;
	free(bl->ents);
	free(bl->maxend);
	free(bl->strings);
	memset(bl, 0, sizeof(*bl));
}

/* ---- syscalls ---------------------------------------------------------- */

bool ksym_is_syscall_wrapper(const char *name, const char *prefix)
{
	size_t n;

	if (!prefix || !*prefix)
		return false;
	n = strlen(prefix);
	return !strncmp(name, prefix, n) && name[n];
}

const char *ksym_syscall_guess(const struct ksyms *ks, const char *name,
			       const char *prefix)
{
	const char *base = name, *cands[2] = { prefix, "sys_" }, *sys;
	char buf[KSYM_NAME_LEN];
	size_t i;

	if (ksym_is_syscall_wrapper(name, prefix))
		base = name + strlen(prefix);
	else if (name[0] == '_' && name[1] == '_' && (sys = strstr(name, "_sys_")))
		base = sys + 5;		/* __se_sys_, __do_sys_, __arm64_sys_ */
	else if (starts_with(name, "sys_"))
		base = name + 4;
	if (!*base)
		return NULL;
	for (i = 0; i < 2; i++) {
		const struct ksym *s;
		int n;

		if (!cands[i] || !*cands[i])
			continue;
		n = snprintf(buf, sizeof(buf), "%s%s", cands[i], base);
		if (n < 0 || (size_t)n >= sizeof(buf))
			continue;
		s = ksyms_find(ks, buf);
		if (s && strcmp(s->name, name))
			return s->name;
	}
	return NULL;
}
