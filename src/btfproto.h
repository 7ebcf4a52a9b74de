/* SPDX-License-Identifier: MIT */
/* Kernel functions' prototypes from BTF (Documentation/bpf/btf.rst): a
 * FUNC's FUNC_PROTO turned into the struct ft_proto that user-mode
 * prototypes are parsed into, so the BPF program and the formatting treat
 * both alike. Pure: works on a parsed blob, never reads outside it. */
#ifndef FTRACE_BTFPROTO_H
#define FTRACE_BTFPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf.h"
#include "proto.h"

struct btf_fn {
	const char *name;
	uint32_t proto;			/* its FUNC_PROTO's id */
};

/* The FUNCs of a BTF blob sorted by name, for lookups by name. */
struct btf_funcs {
	const struct btf *btf;
	struct btf_fn *v;
	size_t n;
	bool tags;			/* the blob has 'user' type tags */
};

/* 0 or -ENOMEM. */
int btf_funcs_index(const struct btf *btf, struct btf_funcs *ix);
void btf_funcs_free(struct btf_funcs *ix);

/* name's prototype into p: 0; -ENOENT: no FUNC of that name; -ENOTUNIQ:
 * several FUNCs of that name with different prototypes; -EINVAL: its type
 * is malformed. Arguments past the ones in registers (ARCH_NARG_SLOTS), a
 * variadic tail, and those after one that is not one register (a struct by
 * value, a 64-bit integer on a 32-bit machine: PT_OPAQUE) are not shown:
 * p->more. */
int btf_proto(const struct btf_funcs *ix, const char *name, struct ft_proto *p);

#endif
