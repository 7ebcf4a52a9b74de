// SPDX-License-Identifier: MIT
/* Kernel prototypes from BTF: a hand-built blob (ints of each size and
 * sign, bool, char, an enum, strings with and without a 'user' type tag,
 * a struct by value, variadic, too many arguments, an ambiguous name)
 * turned into struct ft_proto; which targets get one and the -v line;
 * the values of such a prototype from a record. */
#include <errno.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btfproto.h"
#include "check.h"
#include "err.h"
#include "event.h"
#include "format.h"
#include "protoset.h"
#include "resolve.h"

/* a BTF blob under construction */
struct bb {
	uint32_t types[512];
	size_t nt;		/* words */
	char strs[1024];
	size_t ns;
	uint32_t nid;		/* the next type id */
};

static uint32_t str(struct bb *b, const char *s)
{
	uint32_t off = (uint32_t)b->ns;

	if (!*s)
		return 0;
	memcpy(b->strs + b->ns, s, strlen(s) + 1);
	b->ns += strlen(s) + 1;
	return off;
}

static uint32_t type(struct bb *b, const char *name, uint32_t kind, uint32_t vlen,
		     uint32_t kflag, uint32_t size_type)
{
	b->types[b->nt++] = str(b, name);
	b->types[b->nt++] = kind << 24 | vlen | kflag << 31;
	b->types[b->nt++] = size_type;
	return b->nid++;
}

static uint32_t int_t(struct bb *b, const char *name, uint32_t size, uint32_t enc)
{
	uint32_t id = type(b, name, BTF_KIND_INT, 0, 0, size);

	b->types[b->nt++] = enc << 24 | size * 8;
	return id;
}

static void word(struct bb *b, uint32_t w)
{
	b->types[b->nt++] = w;
}

/* FUNC name with a FUNC_PROTO of n params (name, type pairs) */


static uint32_t func(struct bb *b, const char *name, uint32_t ret, int n, ...)
{
	va_list ap;
	uint32_t fp = type(b, "", BTF_KIND_FUNC_PROTO, (uint32_t)n, 0, ret);

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *pn = va_arg(ap, const char *);

		word(b, str(b, pn));
		word(b, va_arg(ap, uint32_t));
	}
	va_end(ap);
	return type(b, name, BTF_KIND_FUNC, 0, 0, fp);
}

static uint8_t *blob(struct bb *b, size_t *len)
{
	uint32_t hdr[6] = { 0xeB9F | 1 << 16, 24, 0, (uint32_t)(b->nt * 4),
			    (uint32_t)(b->nt * 4), (uint32_t)b->ns };
	uint8_t *out = malloc(24 + b->nt * 4 + b->ns);

	memcpy(out, hdr, 24);
	memcpy(out + 24, b->types, b->nt * 4);
	memcpy(out + 24 + b->nt * 4, b->strs, b->ns);
	*len = 24 + b->nt * 4 + b->ns;
	return out;
}

static uint32_t t_int, t_uint, t_char, t_cchar_p, t_uchar_p, t_void_p, t_bool,
	t_long, t_short, t_u8, t_enum, t_senum, t_struct, t_char_p;

/* the common types; tag: add a 'user' type tag for t_uchar_p */
static void base(struct bb *b, bool tag)
{
	uint32_t cc, ut;

	memset(b, 0, sizeof(*b));
	b->ns = 1;		/* offset 0: "" */
	b->nid = 1;
	t_int = int_t(b, "int", 4, 1);
	t_uint = int_t(b, "unsigned int", 4, 0);
	t_char = int_t(b, "char", 1, 1);
	cc = type(b, "", BTF_KIND_CONST, 0, 0, t_char);
	t_cchar_p = type(b, "", BTF_KIND_PTR, 0, 0, cc);
	ut = tag ? type(b, "user", BTF_KIND_TYPE_TAG, 0, 0, cc) : cc;
	t_uchar_p = type(b, "", BTF_KIND_PTR, 0, 0, ut);
	t_void_p = type(b, "", BTF_KIND_PTR, 0, 0, 0);
	t_bool = int_t(b, "_Bool", 1, 4);
	t_long = int_t(b, "long", 8, 1);
	t_short = int_t(b, "short", 2, 1);
	t_u8 = type(b, "u8", BTF_KIND_TYPEDEF, 0, 0, int_t(b, "unsigned char", 1, 0));
	t_enum = type(b, "e", BTF_KIND_ENUM, 0, 0, 4);
	t_senum = type(b, "se", BTF_KIND_ENUM, 0, 1, 4);
	t_struct = type(b, "s", BTF_KIND_STRUCT, 0, 0, 16);
	t_char_p = type(b, "", BTF_KIND_PTR, 0, 0, t_char);
}

static const char *text(const struct btf_funcs *ix, const char *name)
{
	static char out[512];
	struct ft_proto p;
	int ret = btf_proto(ix, name, &p);

	if (ret)
		snprintf(out, sizeof(out), "%s", ret == -ENOENT ? "none" :
			 ret == -ENOTUNIQ ? "ambiguous" : "error");
	else
		proto_text(&p, out, sizeof(out));
	return out;
}

static void test_convert(bool tag)
{
	struct bb b;
	struct btf btf;
	struct btf_funcs ix;
	uint8_t *data;
	size_t len;

	base(&b, tag);
	func(&b, "f", t_long, 6, "a", t_int, "s", t_cchar_p, "u", t_uchar_p,
	     "p", t_void_p, "b", t_bool, "e", t_enum);
	func(&b, "g", 0, 3, "x", t_uint, "st", t_struct, "y", t_int);
	func(&b, "h", t_int, 2, "sh", t_short, "", 0);
	func(&b, "dup", t_int, 1, "a", t_int);
	func(&b, "dup", t_int, 1, "a", t_uint);
	func(&b, "same", t_int, 1, "a", t_int);
	func(&b, "same", t_int, 1, "a", t_int);
	func(&b, "nc", t_cchar_p, 4, "buf", t_char_p, "c", t_char, "v", t_u8,
	     "se", t_senum);
	func(&b, "many", t_bool, 9, "a0", t_int, "a1", t_int, "a2", t_int, "a3",
	     t_int, "a4", t_int, "a5", t_int, "a6", t_int, "a7", t_int, "a8", t_int);
	func(&b, "odd", t_struct, 2, "we!rd", t_int, "", t_int);
	data = blob(&b, &len);
	CHECK_EQ(btf_parse(data, len, &btf), 0);
	CHECK_EQ(btf_funcs_index(&btf, &ix), 0);
	CHECK_EQ(ix.tags, tag);
	if (ARCH_NARG_SLOTS >= 6)
		CHECK_STR(text(&ix, "f"), tag ?
			  "f(int a, kstr s, str u, ptr p, bool b, uint e)->long" :
			  "f(int a, kustr s, kustr u, ptr p, bool b, uint e)->long");
	else	/* 4 in registers; a 64-bit return is a register pair: none */
		CHECK_STR(text(&ix, "f"), tag ? "f(int a, kstr s, str u, ptr p, ...)" :
			  "f(int a, kustr s, kustr u, ptr p, ...)");
	CHECK_STR(text(&ix, "g"), "g(uint x, <struct> st, ...)");
	CHECK_STR(text(&ix, "h"), "h(s16 sh, ...)->int");
	CHECK_STR(text(&ix, "dup"), "ambiguous");
	CHECK_STR(text(&ix, "same"), "same(int a)->int");
	CHECK_STR(text(&ix, "nc"), "nc(ptr buf, char c, u8 v, int se)->ptr");
	if (ARCH_NARG_SLOTS == 6)
		CHECK_STR(text(&ix, "many"), "many(int a0, int a1, int a2, int a3, "
			  "int a4, int a5, ...)->bool");
	else if (ARCH_NARG_SLOTS == 8)
		CHECK_STR(text(&ix, "many"), "many(int a0, int a1, int a2, int a3, "
			  "int a4, int a5, int a6, int a7, ...)->bool");
	else
		CHECK_STR(text(&ix, "many"), "many(int a0, int a1, int a2, int a3, ...)->bool");
	CHECK_STR(text(&ix, "odd"), "odd(int we_rd, int arg1)");
	CHECK_STR(text(&ix, "nothere"), "none");
	CHECK_STR(text(&ix, ""), "none");
	CHECK_STR(text(&ix, "zzz"), "none");
	btf_funcs_free(&ix);
	btf_free(&btf);
	free(data);
}

/* 64-bit integers: a register pair on a 32-bit machine, shown opaque */
static void test_wide(void)
{
	struct bb b;
	struct btf btf;
	struct btf_funcs ix;
	uint8_t *data;
	size_t len;

	base(&b, false);
	func(&b, "w", t_long, 2, "off", t_long, "n", t_int);
	data = blob(&b, &len);
	CHECK_EQ(btf_parse(data, len, &btf), 0);
	CHECK_EQ(btf_funcs_index(&btf, &ix), 0);
	CHECK_STR(text(&ix, "w"), ARCH_WORD_SIZE == 8 ? "w(long off, int n)->long" :
		  "w(<wide> off, ...)");
	btf_funcs_free(&ix);
	btf_free(&btf);
	free(data);
}

static void target(struct ft_targets *t, const char *sym, uint64_t off, bool mod,
		   bool dup)
{
	struct ft_target *tg = targets_slot(t);

	snprintf(tg->label, sizeof(tg->label), "<kernel>:%s", sym);
	snprintf(tg->path, sizeof(tg->path), "%s", sym);
	tg->offset = off;
	tg->kernel = true;
	tg->kmodule = mod;
	tg->kdup = dup;
	t->n++;
}

/* which targets get a prototype, the -v line, and an entry's text */
static void test_protoset(void)
{
	struct bb b;
	struct ft_targets t = { 0 };
	struct protoset ps;
	struct ft_err err = { 0 };
	char why[512], *words[] = { "g(int a)" };
	uint8_t *data;
	size_t len;

	base(&b, false);
	func(&b, "f", t_long, 3, "a", t_int, "s", t_cchar_p, "sh", t_short);
	func(&b, "g", 0, 1, "x", t_uint);
	func(&b, "m", 0, 1, "x", t_uint);
	data = blob(&b, &len);
	target(&t, "f", 0, false, false);
	target(&t, "g", 0, false, false);
	target(&t, "f", 4, false, false);
	target(&t, "m", 0, true, false);
	target(&t, "m", 0, false, true);
	target(&t, "zz", 0, false, false);
	CHECK_EQ(protoset_split(&ps, words, 1, &err), 0);
	CHECK_EQ(protoset_assign(&ps, &t, false), 0);
	CHECK_EQ(protoset_kernel_btf(&ps, &t, data, len, 0, "/x/vmlinux", why,
				     sizeof(why)), 0);
	CHECK(ps.by_target[0] == &ps.kbtf[0]);
	CHECK(ps.by_target[1] == &ps.user[0]);	/* the command line's wins */
	CHECK(!ps.by_target[2] && !ps.by_target[3] && !ps.by_target[4] &&
	      !ps.by_target[5]);
	CHECK_STR(why, "kernel BTF (/x/vmlinux): no argument names for 4 of 5 "
		  "targets (inside a function: 1, e.g. f; in a module: 1, e.g. m; "
		  "several kernel functions of the name: 1, e.g. m; not in BTF: 1, "
		  "e.g. zz): arguments as raw registers");
	{
		struct ft_target_cfg tc = { 0 };

		protoset_target_cfg(&ps, 0, false, true, &tc);
		CHECK_EQ(tc.flags, FT_T_ARGS);
		CHECK_EQ(tc.arg[1], FT_A_STR | FT_A_KSTR);
		CHECK_EQ(tc.arg[0], 0);
	}
	{	/* an entry record with the string read: the text line */
		static uint8_t rec[sizeof(struct ft_event) + sizeof(struct ft_ext) + 16];
		static const unsigned int slots[] = { ARCH_ARG_SLOTS };
		struct ft_event *e = (struct ft_event *)rec;
		struct ft_ext *x = (struct ft_ext *)(rec + sizeof(*e));
		const char *labels[] = { "<kernel>:f" };
		const struct ft_proto *pr[] = { ps.by_target[0] };
		struct fmt_opts o = { .labels = labels, .nlabels = 1, .protos = pr };
		unsigned long v[3] = { (unsigned long)-100L, 0x1000, 0x1ffff };
		char line[FMT_LINE_MAX], *p;

		e->type = FT_ENTRY;
		e->flags = FT_F_FIRST | FT_F_EXT;
		for (int i = 0; i < 3; i++)
			memcpy(e->regs + slots[i] * ARCH_WORD_SIZE, &v[i], ARCH_WORD_SIZE);
		x->len[1] = 5;
		x->data_len = 8;
		memcpy(rec + sizeof(*e) + sizeof(*x), "/tmp\n", 5);
		CHECK(format_event(&o, rec, sizeof(*e) + sizeof(*x) + 8, line) > 0);
		p = strstr(line, ", a=");
		CHECK_STR(p, ", a=-100, s=\"/tmp\\n\", sh=-1\n");
		x->err = 2;
		x->len[1] = 14;
		x->data_len = 0;
		CHECK(format_event(&o, rec, sizeof(*e) + sizeof(*x), line) > 0);
		CHECK_STR(strstr(line, ", a="), ", a=-100, s=0x1000<unreadable>, sh=-1\n");
	}
	protoset_free(&ps);
	/* no BTF: one line, nothing named */
	CHECK_EQ(protoset_split(&ps, words, 0, &err), 0);
	CHECK_EQ(protoset_assign(&ps, &t, false), 0);
	CHECK_EQ(protoset_kernel_btf(&ps, &t, NULL, 0, -ENOENT, "/x/vmlinux", why,
				     sizeof(why)), 0);
	CHECK_STR(why, "no kernel BTF (/x/vmlinux): arguments as raw registers");
	CHECK(!ps.by_target[0]);
	protoset_free(&ps);
	/* malformed BTF */
	CHECK_EQ(protoset_split(&ps, words, 0, &err), 0);
	CHECK_EQ(protoset_assign(&ps, &t, false), 0);
	data[0] = 0;
	CHECK_EQ(protoset_kernel_btf(&ps, &t, data, len, 0, "/x/vmlinux", why,
				     sizeof(why)), 0);
	CHECK_STR(why, "kernel BTF (/x/vmlinux) is malformed: arguments as raw registers");
	protoset_free(&ps);
	targets_free(&t);
	free(data);
}

int main(void)
{
	test_convert(false);
	test_convert(true);
	test_wide();
	test_protoset();
	return check_done("test_btfproto");
}
