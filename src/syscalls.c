// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "errnames.h"
#include "follow.h"
#include "glob.h"
#include "kallsyms.h"
#include "loader.h"
#include "readfile.h"
#include "resolve.h"
#include "sink.h"
#include "sc_event.h"
#include "sys.h"
#include "syscalls.h"
#include "sysnr.h"

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
	if ((a->size != 4 && a->size != 8) || a->off + a->size > FT_SC_REC)
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
	    off + size > FT_SC_REC)
		return -EINVAL;
	p->ret_off = off;
	p->ret_size = size;
	return 0;
}

/* ---- targets ----------------------------------------------------------- */

const char *sc_name_of(const char *target)
{
	size_t n = strlen(ARCH_SYSCALL_PREFIX);

	if (!strncmp(target, "syscall:", 8))
		return target[8] ? target + 8 : NULL;
	if (ksym_is_syscall_wrapper(target, ARCH_SYSCALL_PREFIX))
		return target + n;
	return NULL;
}

static int read_event(const char *dir, const char *group, const char *ev,
		      const char *file, char **buf)
{
	char path[512];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s/%s/%s", dir, group, ev, file);
	return read_whole_file(path, 1 << 16, buf, &len);
}

static int event_id(const char *dir, const char *group, const char *ev, uint32_t *id)
{
	char *buf, *end;
	unsigned long v;
	int ret = read_event(dir, group, ev, "id", &buf);

	if (ret)
		return ret;
	v = strtoul(buf, &end, 10);
	ret = end == buf || !v || v > UINT32_MAX ? -EINVAL : 0;
	free(buf);
	*id = (uint32_t)v;
	return ret;
}

static bool addr_ret(const char *name)
{
	static const char *const names[] = { "mmap", "mmap2", "mremap", "brk", "shmat" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static int events_dir(char *dir, size_t size, struct ft_err *err)
{
	if (tracefs_events_dir("", dir, size))
		return ft_errf(err, -ENOENT, "syscall tracepoints need tracefs: not at "
			       "/sys/kernel/tracing or /sys/kernel/debug/tracing, and "
			       "mounting it failed");
	return 0;
}

/* the prototype and tracepoint ids of syscall name */
static int load_proto(const char *dir, const char *name, struct sc_proto *p,
		      struct ft_target *t, struct ft_err *err)
{
	char ev[128], *fmt;
	int ret;

	if (strlen(name) >= sizeof(p->name))
		return ft_errf(err, -EINVAL, "syscall name too long: %.64s...", name);
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->addr_ret = addr_ret(name);
	snprintf(ev, sizeof(ev), "sys_enter_%s", name);
	ret = event_id(dir, "syscalls", ev, &t->tp_enter);
	if (ret == -ENOENT)
		return ft_errf(err, -ENOENT, "no tracepoint syscalls:sys_enter_%s (not a "
			       "syscall of this kernel, or no CONFIG_FTRACE_SYSCALLS)", name);
	if (!ret)
		ret = read_event(dir, "syscalls", ev, "format", &fmt);
	if (!ret) {
		ret = sc_format_parse(fmt, p);
		free(fmt);
	}
	snprintf(ev, sizeof(ev), "sys_exit_%s", name);
	if (!ret)
		ret = event_id(dir, "syscalls", ev, &t->tp_exit);
	if (!ret)
		ret = read_event(dir, "syscalls", ev, "format", &fmt);
	if (!ret) {
		ret = sc_exit_parse(fmt, p);
		free(fmt);
	}
	if (ret)
		return ft_errf(err, ret, "cannot read the tracepoints of syscall %s in %s/"
			       "syscalls: %s", name, dir, strerror(-ret));
	t->syscall = true;
	t->flags &= ~(uint32_t)FT_T_WRAPPER;
	return 0;
}

static int table_init(struct sc_table *tab, size_t n)
{
	tab->by_target = calloc(n ? n : 1, sizeof(*tab->by_target));
	tab->n = n;
	return tab->by_target ? 0 : -ENOMEM;
}

int sc_target_init(struct ft_target *t, const char *text, bool want_ret,
		   struct ft_err *err)
{
	const char *name = sc_name_of(text);

	if (!name || strlen(name) >= 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
						  "0123456789_") != strlen(name))
		return ft_errf(err, -EINVAL, "invalid syscall target '%s': expected "
			       "syscall:NAME", text);
	t->kernel = true;
	t->syscall = true;
	t->sc_nr = -1;
	t->want_ret = want_ret;
	snprintf(t->path, sizeof(t->path), "%s", name);
	snprintf(t->label, sizeof(t->label), "syscall:%s", name);
	return 0;
}

int sc_prepare(struct ft_targets *ts, struct sc_table *tab, bool wrappers,
	       bool only, size_t *n, struct ft_err *err)
{
	char dir[384];
	int ret = table_init(tab, ts->n);

	*n = 0;
	if (ret)
		return ret;
	for (size_t i = 0; i < ts->n; i++) {
		struct ft_target *t = &ts->v[i];
		const char *name = t->syscall ? t->path : wrappers && !t->offset ?
				   sc_name_of(t->path) : NULL;

		if (!name && only)
			return ft_errf(err, -EINVAL, "%s is not a syscall: the tracepoint "
				       "mechanism traces syscalls only (__x64_sys_NAME, "
				       "syscall:NAME)", t->label);
		if (!name)
			continue;
		if (!*n && (ret = events_dir(dir, sizeof(dir), err)))
			return ret;
		tab->by_target[i] = calloc(1, sizeof(struct sc_proto));
		if (!tab->by_target[i])
			return -ENOMEM;
		ret = load_proto(dir, name, tab->by_target[i], t, err);
		if (ret)
			return ret;
		/* the tracepoints' name, not the wrapper's, from now on */
		memmove(t->path, tab->by_target[i]->name, strlen(tab->by_target[i]->name) + 1);
		t->sc_nr = -1;
		(*n)++;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the names of syscalls:sys_enter_* in dir, sorted */
static int list_syscalls(const char *dir, char ***out, size_t *n)
{
	char path[512], **v = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/syscalls", dir);
	d = opendir(path);
	if (!d)
		return -errno;
	*n = 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "sys_enter_", 10))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 512) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[*n] = strdup(de->d_name + 10);
		if (!v[*n])
			break;
		(*n)++;
	}
	closedir(d);
	if (de) {
		while (*n)
			free(v[--*n]);
		free(v);
		return -ENOMEM;
	}
	qsort(v, *n, sizeof(*v), cmp_str);
	*out = v;
	return 0;
}

/* names the headers know under another name (x86_64, the generic table) */
static int nr_of(const char *name)
{
	static const char *const alias[][2] = {
		{ "newstat", "stat" }, { "newlstat", "lstat" }, { "newfstat", "fstat" },
		{ "newuname", "uname" }, { "sendfile64", "sendfile" },
		{ "umount", "umount2" },
	};
	int nr = sysnr_of(name);

	for (size_t i = 0; nr < 0 && i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(name, alias[i][0]))
			nr = sysnr_of(alias[i][1]);
	return nr;
}

static bool wanted(char *const *pats, int npats, const char *name, bool *hit)
{
	bool any = !npats;

	for (int k = 0; k < npats; k++)
		if (glob_is_pattern(pats[k]) ? glob_match(pats[k], name) : !strcmp(pats[k], name))
			any = hit[k] = true;
	return any;
}

static int add_syscall(const char *dir, const char *name, bool want_ret,
		       struct ft_targets *ts, struct sc_proto **pp, struct ft_err *err)
{
	struct ft_target *t = targets_slot(ts);
	char text[80];
	int ret;

	*pp = calloc(1, sizeof(**pp));
	if (!t || !*pp)
		return -ENOMEM;
	snprintf(text, sizeof(text), "syscall:%s", name);
	ret = sc_target_init(t, text, want_ret, err);
	if (!ret)
		ret = load_proto(dir, name, *pp, t, err);
	if (ret)
		return ret;
	t->sc_nr = nr_of(name);
	ts->n++;
	ts->nmatched++;
	return 0;
}

int sc_expand(char *const *pats, int npats, char *const *excl, size_t nexcl,
	      bool want_ret, struct ft_targets *ts, struct sc_table *tab,
	      struct ft_err *err)
{
	char dir[384], **names = NULL;
	size_t n = 0;
	bool *hit = calloc((size_t)npats + 1, sizeof(*hit));
	int ret = hit ? events_dir(dir, sizeof(dir), err) : -ENOMEM;

	memset(ts, 0, sizeof(*ts));
	if (!ret && (ret = list_syscalls(dir, &names, &n)))
		ret = ft_errf(err, ret, "cannot list %s/syscalls: %s (no "
			      "CONFIG_FTRACE_SYSCALLS?)", dir, strerror(-ret));
	if (!ret)
		ret = table_init(tab, n);
	for (size_t i = 0; !ret && i < n; i++) {
		if (!wanted(pats, npats, names[i], hit) ||
		    glob_excluded(excl, nexcl, names[i]))
			continue;
		ret = add_syscall(dir, names[i], want_ret, ts, &tab->by_target[ts->n], err);
	}
	for (int k = 0; !ret && k < npats; k++)
		if (!hit[k])
			ret = ft_errf(err, -ENOENT, glob_is_pattern(pats[k]) ?
				      "pattern '%s' matches no syscall" :
				      "unknown syscall '%s' (no syscalls:sys_enter_%s "
				      "tracepoint)", pats[k], pats[k]);
	if (!ret && !ts->n)
		ret = ft_errf(err, -ENOENT, "--exclude leaves no syscall to trace");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(hit);
	return ret;
}

void sc_table_free(struct sc_table *tab)
{
	for (size_t i = 0; tab->by_target && i < tab->n; i++)
		free(tab->by_target[i]);
	free(tab->by_target);
	tab->by_target = NULL;
	tab->n = 0;
}

int sc_raw_ids(uint32_t *enter, uint32_t *exit, struct ft_err *err)
{
	char dir[384];
	int ret = events_dir(dir, sizeof(dir), err);

	if (ret)
		return ret;
	ret = event_id(dir, "raw_syscalls", "sys_enter", enter);
	if (!ret)
		ret = event_id(dir, "raw_syscalls", "sys_exit", exit);
	if (ret)
		return ft_errf(err, ret, "cannot read the raw_syscalls tracepoints in "
			       "%s: %s", dir, strerror(-ret));
	return 0;
}

int sc_maps_setup(const struct ft_loader *l, struct ft_bpf *b,
		  const struct ft_targets *ts, const struct sc_table *tab,
		  struct ft_err *err)
{
	int fd = l->map_fd(b, "sc_targets");

	if (fd < 0)
		return ft_errf(err, -ENOENT, "BPF object lacks its sc_targets map");
	for (uint32_t i = 0; i < ts->n && i < tab->n && i < FT_MAX_TARGETS; i++) {
		const struct sc_proto *p = tab->by_target[i];
		struct ft_sc_target v = { { 0 }, 0 };

		if (!p)
			continue;
		for (int k = 0; k < FT_SC_NSTR; k++)
			v.nstr += (v.str_arg[k] = p->str_arg[k]) != 0;
		if (bpf_map_update(fd, &i, &v, 0))
			return ft_errf(err, -EIO, "cannot write the sc_targets map");
	}
	return 0;
}

/* ---- output ------------------------------------------------------------ */

static const struct sc_proto *proto_of(const struct sc_table *tab, uint32_t target)
{
	return tab && target < tab->n ? tab->by_target[target] : NULL;
}

static uint64_t field(const uint8_t *rec, uint32_t off, uint32_t size, bool sign)
{
	uint64_t v = 0;

	if (off + size > FT_SC_REC)
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

static uint64_t arg_value(const struct sc_arg *a, const uint8_t *rec)
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
static const char *str_of(const void *rec, size_t len, const struct sc_proto *pr,
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
	const struct sc_proto *pr = proto_of(tab, e->target);

	if (!pr) {
		uint32_t nr;

		memcpy(&nr, e->regs + 8, sizeof(nr));
		return put(p, end, "syscall_%u(...)", nr);
	}
	p = put(p, end, "%s(", pr->name);
	for (unsigned int i = 0; i < pr->nargs; i++) {
		const struct sc_arg *a = &pr->args[i];
		uint64_t v = arg_value(a, e->regs);
		const char *s = a->is_str ? str_of(rec, len, pr, i) : NULL;

		p = put(p, end, "%s%s=", i ? ", " : "", a->name);
		if (s)
			p = put_cstr(p, end, s, FT_SC_STRLEN);
		else
			p = put(p, end, "0x%" PRIx64 "%s", v, a->is_str &&
				(e->flags & FT_F_SC_STR) ? " (unreadable)" : "");
	}
	return put(p, end, ")");
}

static int64_t ret_value(const struct sc_proto *pr, const struct ft_event *e)
{
	if (pr)
		return (int64_t)field(e->regs, pr->ret_off, pr->ret_size, true);
	return (int64_t)field(e->regs, FT_SC_ARGS_OFF, ARCH_WORD_SIZE, true);
}

char *sc_put_ret(const struct sc_table *tab, const struct ft_event *e, char *p,
		 char *end)
{
	const struct sc_proto *pr = proto_of(tab, e->target);
	int64_t r = ret_value(pr, e);
	const char *en = r < 0 && r >= -4095 ? errno_name((long)-r) : NULL;

	if (pr && pr->addr_ret && r >= 0)
		return put(p, end, "ret=0x%" PRIx64, (uint64_t)r);
	return put(p, end, "ret=%" PRId64 "%s%s", r, en ? " " : "", en ? en : "");
}

void sc_json_call(FILE *f, const struct sc_table *tab, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	const struct sc_proto *pr = proto_of(tab, e->target);

	if (!pr)
		return;
	fputs(",\"syscall\":", f);
	json_str(f, pr->name, strlen(pr->name));
	fputs(",\"args\":{", f);
	for (unsigned int i = 0; i < pr->nargs; i++) {
		const struct sc_arg *a = &pr->args[i];
		const char *s = a->is_str ? str_of(rec, len, pr, i) : NULL;

		fprintf(f, "%s", i ? "," : "");
		json_str(f, a->name, strlen(a->name));
		putc(':', f);
		if (s)
			json_str(f, s, strnlen(s, FT_SC_STRLEN));
		else
			fprintf(f, "\"0x%" PRIx64 "\"", arg_value(a, e->regs));
	}
	putc('}', f);
}

void sc_json_ret(FILE *f, const struct sc_table *tab, const struct ft_event *e)
{
	const struct sc_proto *pr = proto_of(tab, e->target);
	int64_t r = ret_value(pr, e);
	const char *en = r < 0 && r >= -4095 ? errno_name((long)-r) : NULL;

	fprintf(f, ",\"ret\":%" PRId64, r);
	if (en)
		fprintf(f, ",\"errno\":\"%s\"", en);
	else if (r < 0 && r >= -4095)
		fputs(",\"errno\":null", f);
}
