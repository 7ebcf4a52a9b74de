// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "format.h"
#include "protoset.h"
#include "resolve.h"

int protoset_split(struct protoset *ps, char **targets, int ntargets, bool kernel,
		   struct ft_err *err)
{
	int ret;

	memset(ps, 0, sizeof(*ps));
	for (int i = 0; i < ntargets; i++) {
		if (!proto_is(targets[i]))
			continue;
		if (kernel)
			return ft_errf(err, -EINVAL, "prototype '%.300s': prototypes "
				       "are for user mode", targets[i]);
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

void protoset_free(struct protoset *ps)
{
	free(ps->user);
	free(ps->by_target);
	free(ps->tflags);
	memset(ps, 0, sizeof(*ps));
}
