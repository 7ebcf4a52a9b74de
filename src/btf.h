/* SPDX-License-Identifier: MIT */
/* BTF reader (Documentation/bpf/btf.rst): the blob's own BTF, for its map
 * definitions, and the kernel's vmlinux BTF, for fentry/fexit targets. Never
 * reads outside the buffer it is given. */
#ifndef FTRACE_BTF_H
#define FTRACE_BTF_H

#include <stddef.h>
#include <stdint.h>

enum {
	BTF_KIND_INT = 1, BTF_KIND_PTR, BTF_KIND_ARRAY, BTF_KIND_STRUCT,
	BTF_KIND_UNION, BTF_KIND_ENUM, BTF_KIND_FWD, BTF_KIND_TYPEDEF,
	BTF_KIND_VOLATILE, BTF_KIND_CONST, BTF_KIND_RESTRICT, BTF_KIND_FUNC,
	BTF_KIND_FUNC_PROTO, BTF_KIND_VAR, BTF_KIND_DATASEC, BTF_KIND_FLOAT,
	BTF_KIND_DECL_TAG, BTF_KIND_TYPE_TAG, BTF_KIND_ENUM64,
};

struct btf_type {
	uint32_t name_off, info, size_type;
};

struct btf {
	const uint8_t *types;		/* start of the type section */
	size_t types_len;
	const char *strs;
	size_t strs_len;
	uint32_t *offs;			/* offs[id] = offset of type id */
	uint32_t ntypes;		/* ids 1..ntypes-1 valid */
};

int btf_parse(const uint8_t *data, uint64_t size, struct btf *btf);
void btf_free(struct btf *btf);
const struct btf_type *btf_type(const struct btf *btf, uint32_t id);
uint32_t btf_kind(const struct btf_type *t);
uint32_t btf_vlen(const struct btf_type *t);
const char *btf_name(const struct btf *btf, uint32_t off);
/* follow typedefs and qualifiers; *out_id (if non-NULL) gets the final id */
const struct btf_type *btf_skip_mods(const struct btf *btf, uint32_t id,
				    uint32_t *out_id);
int btf_size(const struct btf *btf, uint32_t id, uint32_t *size, int depth);
/* id of the FUNC named name, or -ENOENT; *nargs from its prototype */
int btf_find_func(const struct btf *btf, const char *name, uint32_t *nargs);

#endif
