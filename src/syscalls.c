// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "follow.h"
#include "glob.h"
#include "kallsyms.h"
#include "loader.h"
#include "readfile.h"
#include "resolve.h"
#include "sc_event.h"
#include "sys.h"
#include "syscalls.h"
#include "sysnr.h"

/* ---- targets ----------------------------------------------------------- */

const char *sc_name_of(const char *target)
{
	/* this architecture's wrappers, then the generic names (riscv64
	 * before 6.6, armv7l), then the inner functions */
	static const char *const pfx[] = { ARCH_SYSCALL_PREFIX, "sys_", "__se_sys_",
					   "__do_sys_" };

	if (!strncmp(target, "syscall:", 8))
		return target[8] ? target + 8 : NULL;
	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (ksym_is_syscall_wrapper(target, pfx[i]))
			return target + strlen(pfx[i]);
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
		if (ret == -ENOENT && !t->syscall && !only) {
			/* named like a syscall (sys_copyarea) but not one */
			free(tab->by_target[i]);
			tab->by_target[i] = NULL;
			continue;
		}
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
