// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "btfproto.h"

#define BTF_INT_SIGNED	1
#define BTF_INT_BOOL	4

static int fn_cmp(const void *a, const void *b)
{
	const struct btf_fn *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->proto > y->proto) - (x->proto < y->proto);
}

static bool is_user_tag(const struct btf *btf, const struct btf_type *t)
{
	const char *n = btf_name(btf, t->name_off);

	return btf_kind(t) == BTF_KIND_TYPE_TAG && n && !strcmp(n, "user");
}

int btf_funcs_index(const struct btf *btf, struct btf_funcs *ix)
{
	size_t cap = 0;

	memset(ix, 0, sizeof(*ix));
	ix->btf = btf;
	for (uint32_t id = 1; id < btf->ntypes; id++) {
		const struct btf_type *t = btf_type(btf, id);
		const char *n = btf_name(btf, t->name_off);

		if (is_user_tag(btf, t))
			ix->tags = true;
		if (btf_kind(t) != BTF_KIND_FUNC || !n || !*n)
			continue;
		if (ix->n == cap) {
			struct btf_fn *v;

			cap = cap ? 2 * cap : 1024;
			v = realloc(ix->v, cap * sizeof(*v));
			if (!v) {
				btf_funcs_free(ix);
				return -ENOMEM;
			}
			ix->v = v;
		}
		ix->v[ix->n].name = n;
		ix->v[ix->n++].proto = t->size_type;
	}
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(*ix->v), fn_cmp);
	return 0;
}

void btf_funcs_free(struct btf_funcs *ix)
{
	free(ix->v);
	memset(ix, 0, sizeof(*ix));
}

/* by size and signedness; 0 when not one register */
static enum proto_type int_type(uint32_t size, bool sign)
{
	switch (size) {
	case 1:
		return sign ? PT_S8 : PT_U8;
	case 2:
		return sign ? PT_S16 : PT_U16;
	case 4:
		return sign ? PT_INT : PT_UINT;
	case 8:
		if (ARCH_WORD_SIZE == 8)
			return sign ? PT_LONG : PT_ULONG;
		return PT_NONE;
	default:
		return PT_NONE;
	}
}

/* A pointer's target: a string when it is 'const char' (through typedefs
 * and qualifiers); a user one when a 'user' type tag is on the way. */
static enum proto_type ptr_type(const struct btf_funcs *ix, uint32_t id)
{
	bool user = false, cnst = false;

	for (int i = 0; i < 32; i++) {
		const struct btf_type *t = btf_type(ix->btf, id);
		const char *n;

		if (!t)
			return PT_PTR;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPE_TAG:
			user |= is_user_tag(ix->btf, t);
			id = t->size_type;
			continue;
		case BTF_KIND_CONST:
			cnst = true;
			/* fall through */
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPEDEF:
			id = t->size_type;
			continue;
		case BTF_KIND_INT:
			n = btf_name(ix->btf, t->name_off);
			if (!cnst || !n || strcmp(n, "char") || t->size_type != 1)
				return PT_PTR;
			return user ? PT_STR : ix->tags ? PT_KSTR : PT_KUSTR;
		default:
			return PT_PTR;
		}
	}
	return PT_PTR;
}

/* The type of a value of BTF type id; PT_OPAQUE with *why when it is not
 * one register. */
static enum proto_type value_type(const struct btf_funcs *ix, uint32_t id,
				  uint16_t *why)
{
	const struct btf_type *t = btf_skip_mods(ix->btf, id, NULL);
	enum proto_type pt = PT_NONE;
	uint32_t enc;
	const char *n;

	*why = PO_OTHER;
	if (!t)
		return PT_OPAQUE;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		memcpy(&enc, t + 1, sizeof(enc));
		enc >>= 24;
		n = btf_name(ix->btf, t->name_off);
		if ((enc & BTF_INT_BOOL) && t->size_type <= ARCH_WORD_SIZE)
			return PT_BOOL;
		if (n && !strcmp(n, "char") && t->size_type == 1)
			return PT_CHAR;
		pt = int_type(t->size_type, enc & BTF_INT_SIGNED);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		pt = int_type(t->size_type, t->info >> 31);	/* kflag: signed */
		break;
	case BTF_KIND_PTR:
		return ptr_type(ix, t->size_type);
	case BTF_KIND_STRUCT:
		*why = PO_STRUCT;
		return PT_OPAQUE;
	case BTF_KIND_UNION:
		*why = PO_UNION;
		return PT_OPAQUE;
	case BTF_KIND_FLOAT:
		*why = PO_FLOAT;
		return PT_OPAQUE;
	default:
		return PT_OPAQUE;
	}
	if (pt == PT_NONE) {
		*why = PO_WIDE;
		return PT_OPAQUE;
	}
	return pt;
}

/* a BTF name as an argument name: identifier characters only, or argN */
static void arg_name(const struct btf *btf, uint32_t off, unsigned int i, char *out)
{
	const char *n = btf_name(btf, off);
	size_t k = 0;

	for (; n && n[k] && k < PROTO_ARG_NAME - 1; k++) {
		char c = n[k];

		out[k] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' ? c : '_';
	}
	out[k] = 0;
	if (!k)
		snprintf(out, PROTO_ARG_NAME, "arg%u", i);
}

static int fill(const struct btf_funcs *ix, const struct btf_type *fp,
		struct ft_proto *p)
{
	const uint8_t *params = (const uint8_t *)(fp + 1);
	uint32_t vlen = btf_vlen(fp);
	uint16_t why;

	if (fp->size_type) {
		p->ret = value_type(ix, fp->size_type, &why);
		if (p->ret == PT_OPAQUE)
			p->ret = PT_NONE;
		else if (PT_IS_STR(p->ret))
			p->ret = PT_PTR;
	}
	for (uint32_t i = 0; i < vlen; i++) {
		struct proto_arg *a = &p->args[p->nargs];
		uint32_t pm[2];		/* name_off, type */

		memcpy(pm, params + (size_t)i * 8, sizeof(pm));
		if (!pm[1] || p->nargs >= ARCH_NARG_SLOTS || p->nargs >= FT_ARG_SLOTS) {
			p->more = true;	/* variadic, or past the registers */
			break;
		}
		a->type = value_type(ix, pm[1], &why);
		arg_name(ix->btf, pm[0], p->nargs, a->name);
		p->nargs++;
		if (a->type == PT_OPAQUE) {
			a->len = why;
			p->more = i + 1 < vlen;
			break;
		}
	}
	return 0;
}

/* the same return and parameter types (names aside) */
static bool same_proto(const struct btf_type *a, const struct btf_type *b)
{
	uint32_t n = btf_vlen(a);

	if (a == b)
		return true;
	if (!b || btf_kind(b) != BTF_KIND_FUNC_PROTO || btf_vlen(b) != n ||
	    a->size_type != b->size_type)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x, y;

		memcpy(&x, (const uint8_t *)(a + 1) + (size_t)i * 8 + 4, sizeof(x));
		memcpy(&y, (const uint8_t *)(b + 1) + (size_t)i * 8 + 4, sizeof(y));
		if (x != y)
			return false;
	}
	return true;
}

int btf_proto(const struct btf_funcs *ix, const char *name, struct ft_proto *p)
{
	struct btf_fn key = { .name = name, .proto = 0 };
	size_t lo = 0, hi = ix->n, first;
	const struct btf_type *fp;

	memset(p, 0, sizeof(*p));
	while (lo < hi) {		/* the first entry not below key */
		size_t mid = lo + (hi - lo) / 2;

		if (fn_cmp(&ix->v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ix->n || strcmp(ix->v[lo].name, name))
		return -ENOENT;
	first = lo;
	fp = btf_type(ix->btf, ix->v[first].proto);
	if (!fp || btf_kind(fp) != BTF_KIND_FUNC_PROTO)
		return -EINVAL;
	for (size_t k = first + 1; k < ix->n && !strcmp(ix->v[k].name, name); k++)
		if (!same_proto(fp, btf_type(ix->btf, ix->v[k].proto)))
			return -ENOTUNIQ;
	snprintf(p->name, sizeof(p->name), "%s", name);
	return fill(ix, fp, p);
}
