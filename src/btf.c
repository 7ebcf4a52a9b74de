// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

#define BTF_MAGIC 0xeB9F

struct btf_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

static bool range_ok(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}


static size_t btf_extra(uint32_t kind, uint32_t vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return 12;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return (size_t)vlen * 12;
	case BTF_KIND_ENUM:
	case BTF_KIND_FUNC_PROTO:
		return (size_t)vlen * 8;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return SIZE_MAX;
	}
}

uint32_t btf_kind(const struct btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}

uint32_t btf_vlen(const struct btf_type *t)
{
	return t->info & 0xffff;
}

const struct btf_type *btf_type(const struct btf *btf, uint32_t id)
{
	if (id == 0 || id >= btf->ntypes)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id]);
}

const char *btf_name(const struct btf *btf, uint32_t off)
{
	return (off < btf->strs_len && memchr(btf->strs + off, 0, btf->strs_len - off)) ?
	       btf->strs + off : NULL;
}

static int btf_parse_types(const uint8_t *data, uint64_t size, struct btf *btf)
{
	struct btf_hdr h;
	size_t off, cap = 64;

	memset(btf, 0, sizeof(*btf));
	if (size < sizeof(h))
		return -EINVAL;
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h) || h.hdr_len > size)
		return -EINVAL;
	if (!range_ok(size - h.hdr_len, h.type_off, h.type_len) ||
	    !range_ok(size - h.hdr_len, h.str_off, h.str_len))
		return -EINVAL;
	/* btf_type() hands out struct pointers into the type section: it must
	 * be 4-aligned in memory, not just at a 4-aligned type_off (hdr_len
	 * is free, and so is a .BTF section's file offset) */
	if ((uintptr_t)(data + h.hdr_len + h.type_off) % 4)
		return -EINVAL;
	btf->types = data + h.hdr_len + h.type_off;
	btf->types_len = h.type_len;
	btf->strs = (const char *)data + h.hdr_len + h.str_off;
	btf->strs_len = h.str_len;
	btf->offs = malloc(cap * sizeof(*btf->offs));
	if (!btf->offs)
		return -ENOMEM;
	btf->ntypes = 1;
	for (off = 0; off < btf->types_len;) {
		struct btf_type t;
		size_t extra;

		if (btf->types_len - off < sizeof(t))
			return -EINVAL;
		memcpy(&t, btf->types + off, sizeof(t));
		extra = btf_extra(btf_kind(&t), btf_vlen(&t));
		if (extra == SIZE_MAX || extra > btf->types_len - off - sizeof(t))
			return -EINVAL;
		if (btf->ntypes == cap) {
			uint32_t *n = realloc(btf->offs, 2 * cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			btf->offs = n;
			cap *= 2;
		}
		btf->offs[btf->ntypes++] = off;
		off += sizeof(t) + extra;
	}
	return 0;
}

/* Follow typedefs and qualifiers. */
const struct btf_type *btf_skip_mods(const struct btf *btf, uint32_t id,
					    uint32_t *out_id)
{
	for (int i = 0; i < 32; i++) {
		const struct btf_type *t = btf_type(btf, id);

		if (!t)
			return NULL;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->size_type;
			continue;
		default:
			if (out_id)
				*out_id = id;
			return t;
		}
	}
	return NULL;
}

int btf_size(const struct btf *btf, uint32_t id, uint32_t *size, int depth)
{
	const struct btf_type *t = btf_skip_mods(btf, id, NULL);
	uint32_t elem;
	uint32_t arr[3];

	if (!t || depth > 16)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		*size = t->size_type;
		return 0;
	case BTF_KIND_PTR:
		*size = 8;
		return 0;
	case BTF_KIND_ARRAY:
		memcpy(arr, t + 1, sizeof(arr));
		if (btf_size(btf, arr[0], &elem, depth + 1))
			return -EINVAL;
		if (arr[2] && elem > UINT32_MAX / arr[2])
			return -EINVAL;
		*size = elem * arr[2];
		return 0;
	default:
		return -EINVAL;
	}
}

/* On error nothing stays allocated (btf_free is still safe to call). */
int btf_parse(const uint8_t *data, uint64_t size, struct btf *btf)
{
	int ret = btf_parse_types(data, size, btf);

	if (ret)
		btf_free(btf);
	return ret;
}

void btf_free(struct btf *btf)
{
	free(btf->offs);
	btf->offs = NULL;
	btf->ntypes = 0;
}

int btf_find_func(const struct btf *btf, const char *name, uint32_t *nargs)
{
	for (uint32_t id = 1; id < btf->ntypes; id++) {
		const struct btf_type *t = btf_type(btf, id), *proto;
		const char *n;

		if (btf_kind(t) != BTF_KIND_FUNC)
			continue;
		n = btf_name(btf, t->name_off);
		if (!n || strcmp(n, name))
			continue;
		proto = btf_type(btf, t->size_type);
		if (!proto || btf_kind(proto) != BTF_KIND_FUNC_PROTO)
			return -EINVAL;
		*nargs = btf_vlen(proto);
		return (int)id;
	}
	return -ENOENT;
}
