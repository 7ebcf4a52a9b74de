// SPDX-License-Identifier: MIT
/* Resolving kernel-mode targets against /proc/kallsyms and the kprobe
 * blacklist: symbol, symbol+offset or absolute address. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "glob.h"
#include "kallsyms.h"
#include "resolve.h"
#include "syscalls.h"

#define NSUGGEST 5

struct kctx {
	struct ksyms ks;
	struct kblacklist bl;
	bool have_bl;
	const struct resolve_opts *o;
};

static int unknown_ksym(const struct kctx *c, const char *name, struct ft_err *err)
{
	const char *guess = ksym_syscall_guess(&c->ks, name, ARCH_SYSCALL_PREFIX);
	const char *sugg[NSUGGEST];
	char list[512] = "";
	size_t n, len = 0;

	if (guess)
		return ft_errf(err, -ENOENT, "unknown kernel symbol '%s'; did you mean: "
			       "%s?", name, guess);
	n = ksyms_suggest(&c->ks, name, sugg, NSUGGEST);
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				sugg[i]);
	if (n)
		return ft_errf(err, -ENOENT, "unknown kernel symbol '%s'; did you mean: "
			       "%s?", name, list);
	return ft_errf(err, -ENOENT, "unknown kernel symbol '%s' (not in "
		       "/proc/kallsyms)", name);
}

static int check_blacklist(const struct kctx *c, const struct ksym *sym,
			   uint64_t off, struct ft_err *err)
{
	const char *why = NULL;

	if (!c->have_bl)
		return 0;
	if ((!c->ks.addrs_hidden && kblacklist_hit(&c->bl, sym->addr + off, &why)) ||
	    kblacklist_has_name(&c->bl, sym->name))
		return ft_errf(err, -EPERM, "%s is on the kernel's kprobe blacklist "
			       "(debugfs kprobes/blacklist%s%s): the kernel forbids "
			       "probing it", sym->name, why ? ": " : "", why ? why : "");
	return 0;
}

/* Fill t from a symbol and an offset into it. */
static int kernel_sym(const struct kctx *c, const char *text, const struct ksym *sym,
		      uint64_t off, struct ft_target *t, struct ft_err *err)
{
	size_t nsame = ksyms_count(&c->ks, sym->name);
	int ret;

	if (sym->size && off >= sym->size && !c->ks.addrs_hidden)
		return ft_errf(err, -ERANGE, "%s: offset 0x%" PRIx64 " is past the end "
			       "of %s (0x%" PRIx64 " bytes)", text, off, sym->name, sym->size);
	if (sym->module && !strncmp(sym->module, "__builtin__", 11))
		return ft_errf(err, -EINVAL, "%s is not a function but a %s trampoline",
			       sym->name, sym->module + 11);
	ret = check_blacklist(c, sym, off, err);
	if (ret)
		return ret;
	t->kernel = true;
	t->kmodule = sym->module != NULL;
	t->kdup = nsame > 1;
	snprintf(t->path, sizeof(t->path), "%s", sym->name);
	t->offset = off;
	snprintf(t->label, sizeof(t->label), "<kernel>:%s", text);
	t->want_ret = !c->o->no_retprobe;
	if (off && t->want_ret) {
		t->want_ret = false;
		snprintf(t->note, sizeof(t->note), "%s is %s+0x%" PRIx64 ", inside the "
			 "function: entry probe only (return probes need a function's "
			 "first instruction)", text, sym->name, off);
		t->warn = true;
	} else if (strcmp(text, sym->name)) {
		snprintf(t->note, sizeof(t->note), "%s is %s+0x%" PRIx64, text,
			 sym->name, off);
		t->warn = true;
	}
	if (nsame > 1) {
		size_t n = strlen(t->note);

		snprintf(t->note + n, sizeof(t->note) - n, "%s%zu kernel functions are "
			 "named %s; the kernel probes the first one", n ? "; " : "",
			 nsame, sym->name);
		t->warn = true;
	}
	if (ARCH_WRAPPER_ARG_SLOT >= 0 &&
	    ksym_is_syscall_wrapper(sym->name, ARCH_SYSCALL_PREFIX))
		t->flags |= FT_T_WRAPPER;
	return 0;
}

static int kernel_one(const struct kctx *c, const char *text, struct ft_target *t,
		      struct ft_err *err)
{
	const struct ksym *sym;
	struct ktarget kt;
	uint64_t off;

	if (ktarget_parse(text, &kt))
		return ft_errf(err, -EINVAL, "invalid kernel target '%s': expected "
			       "SYMBOL, SYMBOL+0xOFFSET or 0xADDRESS", text);
	if (kt.kind == KTARGET_SYM) {
		sym = ksyms_find(&c->ks, kt.sym);
		if (!sym)
			return unknown_ksym(c, kt.sym, err);
		return kernel_sym(c, text, sym, kt.off, t, err);
	}
	if (c->ks.addrs_hidden)
		return ft_errf(err, -EPERM, "/proc/kallsyms shows zero addresses "
			       "(kernel.kptr_restrict): cannot place %s; run as root or "
			       "give a symbol", text);
	sym = ksyms_at(&c->ks, kt.addr, &off);
	if (!sym)
		return ft_errf(err, -ERANGE, "%s is not inside any kernel function", text);
	return kernel_sym(c, text, sym, off, t, err);
}

/* Every kernel function whose name matches pattern: a target each, or a
 * skip with the reason (blacklisted, a trampoline, ...). */
static int expand_kernel(const struct kctx *c, const char *pattern,
			 struct ft_targets *out, struct ft_err *err)
{
	size_t matched = 0, nexcl = 0;
	int ret;

	for (size_t i = 0; i < c->ks.nsyms; i++) {
		const struct ksym *sym = c->ks.by_name[i];
		struct ft_err why = { 0 };
		struct ft_target *t;

		if (!glob_match(pattern, sym->name))
			continue;
		/* one target per name: kprobes by name take the first */
		if (i && !strcmp(c->ks.by_name[i - 1]->name, sym->name))
			continue;
		if (glob_excluded(c->o->excludes, c->o->nexcludes, sym->name)) {
			nexcl++;
			continue;
		}
		matched++;
		t = targets_slot(out);
		if (!t)
			return -ENOMEM;
		ret = kernel_sym(c, sym->name, sym, 0, t, &why);
		if (ret) {
			char label[256];

			snprintf(label, sizeof(label), "<kernel>:%s", sym->name);
			if (targets_skip(out, label, why.msg, ret == -EPERM ?
					 "on the kprobe blacklist" : "not a function"))
				return -ENOMEM;
			continue;
		}
		t->from_glob = true;
		t->warn = false;
		if (!resolve_is_duplicate(out, t))
			out->n++;
	}
	out->nmatched += matched;
	if (!matched && nexcl)
		return ft_errf(err, -ENOENT, "pattern '%s' matches only kernel functions "
			       "that --exclude removes", pattern);
	if (!matched)
		return ft_errf(err, -ENOENT, "pattern '%s' matches no kernel function",
			       pattern);
	return 0;
}

int resolve_kernel(char *const *targets, int ntargets, const struct resolve_opts *o,
		   struct ft_targets *out, struct ft_err *err)
{
	struct kctx c = { .o = o };
	int ret;

	memset(out, 0, sizeof(*out));
	if (o->pid > 0 && (ret = resolve_pid_check(o->pid, false, err)))
		return ret;
	ret = ksyms_load(KALLSYMS_PATH, &c.ks);
	if (ret)
		return ft_errf(err, ret, "cannot read %s: %s", KALLSYMS_PATH, strerror(-ret));
	c.have_bl = !kblacklist_load(KBLACKLIST_PATH, &c.bl);
	if (c.have_bl)
		kblacklist_add_sections(&c.bl, &c.ks);
	for (int i = 0; !ret && i < ntargets; i++) {
		struct ft_target *t;

		if (!strncmp(targets[i], "syscall:", 8)) {	/* syscalls.c */
			t = targets_slot(out);
			ret = t ? sc_target_init(t, targets[i], !o->no_retprobe, err) : -ENOMEM;
			if (!ret && !resolve_is_duplicate(out, t))
				out->n++;
			continue;
		}
		if (glob_is_pattern(targets[i])) {
			ret = expand_kernel(&c, targets[i], out, err);
			continue;
		}
		t = targets_slot(out);
		ret = t ? kernel_one(&c, targets[i], t, err) : -ENOMEM;
		if (ret)
			break;
		if (resolve_is_duplicate(out, t))
			continue;
		out->n++;
	}
	if (c.have_bl)
		kblacklist_free(&c.bl);
	ksyms_free(&c.ks);
	if (ret)
		targets_free(out);
	return ret;
}
