// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfproto.h"
#include "err.h"
#include "format.h"
#include "protoset.h"
#include "resolve.h"

int protoset_split(struct protoset *ps, char **targets, int ntargets,
		   struct ft_err *err)
{
	int ret;

	memset(ps, 0, sizeof(*ps));
	for (int i = 0; i < ntargets; i++) {
		if (!proto_is(targets[i]))
			continue;
		if (!ps->user) {
			ps->user = calloc((size_t)ntargets, sizeof(*ps->user));
			if (!ps->user)
				return -ENOMEM;
		}
		ret = proto_parse(targets[i], &ps->user[ps->nuser], err);
		if (ret)
			return ret;
		targets[i] = ps->user[ps->nuser++].name;
	}
	return 0;
}

/* "lib:func" -> func without @VERSION, lib */
static void split(const char *label, char *lib, size_t libsz, char *func, size_t fsz)
{
	const char *c = strchr(label, ':');
	size_t n = c ? (size_t)(c - label) : 0;

	if (n >= libsz)
		n = libsz - 1;
	memcpy(lib, label, n);
	lib[n] = 0;
	snprintf(func, fsz, "%s", c ? c + 1 : label);
	func[strcspn(func, "@")] = 0;
}

static bool is_libc(const char *lib)
{
	return !strncmp(lib, "libc.so", 7) || !strncmp(lib, "libc-", 5);
}

/* a probe at a function's first instruction: the return address is where
 * the calling convention puts it */
static bool at_entry(const char *func)
{
	return strncmp(func, "0x", 2) && !strchr(func, '+');
}

int protoset_assign(struct protoset *ps, const struct ft_targets *t, bool raw)
{
	ps->n = t->n;
	ps->by_target = calloc(t->n ? t->n : 1, sizeof(*ps->by_target));
	ps->tflags = calloc(t->n ? t->n : 1, 1);
	if (!ps->by_target || !ps->tflags)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		const struct ft_target *tg = &t->v[i];
		char lib[256], func[256];

		split(tg->label, lib, sizeof(lib), func, sizeof(func));
		if (!tg->kernel && at_entry(func))
			ps->tflags[i] |= FMT_T_RA;
		for (size_t k = 0; k < ps->nuser && !ps->by_target[i]; k++)
			if (!strcmp(ps->user[k].name, func) && !tg->from_glob)
				ps->by_target[i] = &ps->user[k];
		if (!ps->by_target[i] && !raw && !tg->kernel && !tg->from_glob &&
		    is_libc(lib))
			ps->by_target[i] = proto_builtin(func);
	}
	return 0;
}

void protoset_target_cfg(const struct protoset *ps, size_t i, uint32_t stack,
			 bool by_stack, struct ft_target_cfg *tc)
{
	if (i < ps->n && ps->by_target[i] && proto_bpf_args(ps->by_target[i], tc->arg))
		tc->flags |= FT_T_ARGS;
	tc->flags |= stack;
	if (by_stack && i < ps->n && (ps->tflags[i] & FMT_T_RA))
		tc->flags |= FT_T_ENTRY;
}

/* why a kernel target gets no BTF prototype: an index into kbtf_why */
enum { KB_OK, KB_INSIDE, KB_MODULE, KB_DUP, KB_NOTIN, KB_AMBIG, KB_BAD, KB_NR };

static const char *const kbtf_why[KB_NR] = {
	[KB_INSIDE] = "inside a function", [KB_MODULE] = "in a module",
	[KB_DUP] = "several kernel functions of the name",
	[KB_NOTIN] = "not in BTF", [KB_AMBIG] = "several prototypes in BTF",
	[KB_BAD] = "malformed BTF type",
};

static int kbtf_one(const struct btf_funcs *ix, const struct ft_target *tg,
		    struct ft_proto *p)
{
	int ret;

	if (tg->offset)
		return KB_INSIDE;
	if (tg->kmodule)
		return KB_MODULE;
	if (tg->kdup)
		return KB_DUP;
	ret = btf_proto(ix, tg->path, p);
	return !ret ? KB_OK : ret == -ENOENT ? KB_NOTIN : ret == -ENOTUNIQ ?
	       KB_AMBIG : KB_BAD;
}

/* "no argument names for N of M targets (not in BTF: 2, e.g. f; ...)" */
static void kbtf_summary(const size_t count[KB_NR], const char *const ex[KB_NR],
			 size_t total, const char *btf_path, char *why, size_t cap)
{
	size_t none = 0, n;

	for (int k = KB_INSIDE; k < KB_NR; k++)
		none += count[k];
	if (!none)
		return;
	n = (size_t)snprintf(why, cap, "kernel BTF (%s): no argument names for %zu "
			     "of %zu targets (", btf_path, none, total);
	for (int k = KB_INSIDE, first = 1; k < KB_NR && n < cap; k++) {
		if (!count[k])
			continue;
		n += (size_t)snprintf(why + n, cap - n, "%s%s: %zu, e.g. %.64s",
				      first ? "" : "; ", kbtf_why[k], count[k], ex[k]);
		first = 0;
	}
	if (n < cap)
		snprintf(why + n, cap - n, "): arguments as raw registers");
}

int protoset_kernel_btf(struct protoset *ps, const struct ft_targets *t,
			const uint8_t *btf, size_t len, int read_err,
			const char *btf_path, char *why, size_t cap)
{
	size_t count[KB_NR] = { 0 }, total = 0;
	const char *ex[KB_NR] = { 0 };
	struct btf_funcs ix;
	struct btf b;
	int ret;

	why[0] = 0;
	for (size_t i = 0; i < ps->n && i < t->n; i++)
		total += t->v[i].kernel && !t->v[i].syscall && !ps->by_target[i];
	if (!total)
		return 0;
	if (!btf) {
		snprintf(why, cap, "no kernel BTF (%s%s%s): arguments as raw registers",
			 btf_path, read_err == -ENOENT ? "" : ": ",
			 read_err == -ENOENT ? "" : strerror(-read_err));
		return 0;
	}
	if (btf_parse(btf, len, &b)) {
		snprintf(why, cap, "kernel BTF (%s) is malformed: arguments as raw "
			 "registers", btf_path);
		return 0;
	}
	ret = btf_funcs_index(&b, &ix);
	if (!ret && !(ps->kbtf = calloc(t->n, sizeof(*ps->kbtf))))
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < ps->n && i < t->n; i++) {
		const struct ft_target *tg = &t->v[i];
		int k;

		if (!tg->kernel || tg->syscall || ps->by_target[i])
			continue;
		k = kbtf_one(&ix, tg, &ps->kbtf[i]);
		if (k == KB_OK) {
			ps->by_target[i] = &ps->kbtf[i];
			continue;
		}
		if (!count[k]++)
			ex[k] = tg->path;
	}
	if (!ret)
		kbtf_summary(count, ex, total, btf_path, why, cap);
	btf_funcs_free(&ix);
	btf_free(&b);
	return ret;
}

void protoset_free(struct protoset *ps)
{
	free(ps->kbtf);
	free(ps->user);
	free(ps->by_target);
	free(ps->tflags);
	memset(ps, 0, sizeof(*ps));
}
