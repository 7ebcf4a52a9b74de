// SPDX-License-Identifier: MIT
/* Prototypes: 'NAME(TYPE [ARG], ...)[->TYPE]'. Types: int uint long ulong
 * ssize size hex ptr char bool oct str buf:N void, s8 u8 s16 u16, kstr
 * kustr (kernel mode). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "proto.h"

static const struct { const char *name; enum proto_type t; } types[] = {
	{ "int", PT_INT }, { "uint", PT_UINT }, { "long", PT_LONG },
	{ "ulong", PT_ULONG }, { "ssize", PT_SSIZE }, { "size", PT_SIZE },
	{ "hex", PT_HEX }, { "ptr", PT_PTR }, { "char", PT_CHAR },
	{ "bool", PT_BOOL }, { "oct", PT_OCT }, { "str", PT_STR },
	{ "buf", PT_BUF }, { "void", PT_NONE },
	{ "s8", PT_S8 }, { "u8", PT_U8 }, { "s16", PT_S16 }, { "u16", PT_U16 },
	{ "kstr", PT_KSTR }, { "kustr", PT_KUSTR },
};

static const char *const opaque_names[] = {
	[PO_STRUCT] = "struct", [PO_UNION] = "union", [PO_FLOAT] = "float",
	[PO_WIDE] = "wide", [PO_OTHER] = "other",
};

struct lex {
	const char *text;	/* the whole prototype, for messages */
	const char *p;
	const char *tok;	/* start of the current token */
	size_t len;
	struct ft_err *err;
};

bool proto_is(const char *text)
{
	return strchr(text, '(') != NULL;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '@' || c == '$';
}

/* the next token: an identifier or number, "->", or one character */
static void next(struct lex *l)
{
	while (*l->p == ' ' || *l->p == '\t')
		l->p++;
	l->tok = l->p;
	if (!*l->p) {
		l->len = 0;
	} else if (ident_char(*l->p)) {
		while (ident_char(*l->p))
			l->p++;
		l->len = (size_t)(l->p - l->tok);
	} else if (l->p[0] == '-' && l->p[1] == '>') {
		l->p += 2;
		l->len = 2;
	} else {
		l->p++;
		l->len = 1;
	}
}

static bool is(const struct lex *l, const char *s)
{
	return l->len == strlen(s) && !memcmp(l->tok, s, l->len);
}

/* n bytes of s, control and non-ASCII bytes as '?': one line */
static void printable(char *out, size_t cap, const char *s, size_t n)
{
	if (n > cap - 1)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[n] = 0;
}

static int bad(struct lex *l, const char *what)
{
	char tok[48], text[301];

	printable(tok, sizeof(tok), l->tok, l->len);
	printable(text, sizeof(text), l->text, strlen(l->text));
	if (!l->len)
		return ft_errf(l->err, -EINVAL, "prototype '%s': %s at the end", text, what);
	return ft_errf(l->err, -EINVAL, "prototype '%s': %s '%s' at column %zu",
		       text, what, tok, (size_t)(l->tok - l->text) + 1);
}

static bool is_ident(const struct lex *l)
{
	return l->len && ident_char(*l->tok) && !(*l->tok >= '0' && *l->tok <= '9');
}

/* TYPE or buf:N; the token after it is current */
static int parse_type(struct lex *l, enum proto_type *t, uint16_t *len, bool ret)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (is(l, types[i].name))
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return bad(l, is_ident(l) ? "unknown type" : "expected a type, got");
	*t = types[i].t;
	if ((PT_IS_STR(*t) || *t == PT_BUF) && ret)
		return bad(l, "a return value is not read from memory; use ptr, not");
	next(l);
	if (*t != PT_BUF)
		return 0;
	if (!is(l, ":"))
		return bad(l, "buf needs its size (buf:N), got");
	next(l);
	{
		unsigned long n = 0;

		for (i = 0; i < l->len && l->tok[i] >= '0' && l->tok[i] <= '9' && n <= FT_BUF_MAX; i++)
			n = n * 10 + (unsigned long)(l->tok[i] - '0');
		if (!l->len || i != l->len || n < 1 || n > FT_BUF_MAX)
			return bad(l, "buf:N needs N from 1 to 256, got");
		*len = (uint16_t)n;
	}
	next(l);
	return 0;
}

static int parse_arg(struct lex *l, struct ft_proto *p)
{
	struct proto_arg *a = &p->args[p->nargs];
	const char *type_tok = l->tok;
	size_t type_len = l->len;
	int ret;

	if (p->nargs >= ARCH_NARG_SLOTS)
		return bad(l, "too many arguments (" ARCH_NAME " passes at most "
			   "the first in registers):");
	ret = parse_type(l, &a->type, &a->len, false);
	if (ret)
		return ret;
	if (a->type == PT_NONE) {
		l->tok = type_tok, l->len = type_len;
		return bad(l, "void is not an argument type:");
	}
	if (is_ident(l)) {
		if (l->len >= sizeof(a->name))
			return bad(l, "argument name too long:");
		memcpy(a->name, l->tok, l->len);
		a->name[l->len] = 0;
		next(l);
	} else {
		snprintf(a->name, sizeof(a->name), "arg%u", p->nargs);
	}
	for (unsigned int i = 0; i < p->nargs; i++)
		if (!strcmp(p->args[i].name, a->name)) {
			l->tok -= strlen(a->name), l->len = strlen(a->name);
			return bad(l, "duplicate argument name");
		}
	p->nargs++;
	return 0;
}

static int parse_args(struct lex *l, struct ft_proto *p)
{
	int ret;

	if (is(l, ")"))
		return 0;
	if (is(l, "void")) {
		struct lex save = *l;

		next(l);
		if (is(l, ")"))
			return 0;
		*l = save;
	}
	for (;;) {
		ret = parse_arg(l, p);
		if (ret)
			return ret;
		if (is(l, ")"))
			return 0;
		if (!is(l, ","))
			return bad(l, "expected ',' or ')', got");
		next(l);
	}
}

int proto_parse(const char *text, struct ft_proto *p, struct ft_err *err)
{
	struct lex l = { .text = text, .p = text, .err = err };
	int ret;

	memset(p, 0, sizeof(*p));
	next(&l);
	if (!is_ident(&l))
		return bad(&l, "expected a function name, got");
	if (l.len >= sizeof(p->name))
		return bad(&l, "function name too long:");
	memcpy(p->name, l.tok, l.len);
	next(&l);
	if (!is(&l, "("))
		return bad(&l, strpbrk(l.tok, "*?[") == l.tok ?
			   "a prototype names one function, not a pattern:" :
			   "expected '(', got");
	next(&l);
	ret = parse_args(&l, p);
	if (ret)
		return ret;
	next(&l);	/* past ')' */
	if (is(&l, "->")) {
		uint16_t len = 0;

		next(&l);
		ret = parse_type(&l, &p->ret, &len, true);
		if (ret)
			return ret;
	}
	if (l.len)
		return bad(&l, "unexpected");
	return 0;
}

bool proto_bpf_args(const struct ft_proto *p, uint16_t arg[FT_ARG_SLOTS])
{
	bool any = false;

	memset(arg, 0, FT_ARG_SLOTS * sizeof(arg[0]));
	for (unsigned int i = 0; i < p->nargs && i < FT_ARG_SLOTS; i++) {
		if (p->args[i].type == PT_STR)
			arg[i] = FT_A_STR;
		else if (p->args[i].type == PT_KSTR)
			arg[i] = FT_A_KSTR;
		else if (p->args[i].type == PT_KUSTR)
			arg[i] = FT_A_KSTR | FT_A_STR;
		else if (p->args[i].type == PT_BUF)
			arg[i] = p->args[i].len;
		any |= arg[i] != 0;
	}
	return any;
}

static const unsigned int arg_slots[] = { ARCH_ARG_SLOTS };

uint64_t proto_arg_reg(const uint8_t *regs, unsigned int i)
{
#if ARCH_WORD_SIZE == 8
	uint64_t v;
#else
	uint32_t v;
#endif
	if (i >= sizeof(arg_slots) / sizeof(arg_slots[0]))
		return 0;
	memcpy(&v, regs + (size_t)arg_slots[i] * ARCH_WORD_SIZE, sizeof(v));
	return v;
}

static void scalar(enum proto_type t, uint64_t raw, struct proto_val *v)
{
	memset(v, 0, sizeof(*v));
	v->u = raw;
	switch (t) {
	case PT_INT:
		v->kind = PV_INT;
		v->i = (int32_t)(uint32_t)raw;
		break;
	case PT_LONG:
	case PT_SSIZE:
		v->kind = PV_INT;
		v->i = ARCH_WORD_SIZE == 8 ? (int64_t)raw : (int32_t)(uint32_t)raw;
		break;
	case PT_UINT:
		v->kind = PV_UINT;
		v->u = (uint32_t)raw;
		break;
	case PT_S8:
		v->kind = PV_INT;
		v->i = (int8_t)(uint8_t)raw;
		break;
	case PT_U8:
		v->kind = PV_UINT;
		v->u = (uint8_t)raw;
		break;
	case PT_S16:
		v->kind = PV_INT;
		v->i = (int16_t)(uint16_t)raw;
		break;
	case PT_U16:
		v->kind = PV_UINT;
		v->u = (uint16_t)raw;
		break;
	case PT_ULONG:
	case PT_SIZE:
		v->kind = PV_UINT;
		break;
	case PT_OCT:
		v->kind = PV_OCT;
		v->u = (uint32_t)raw;
		break;
	case PT_BOOL:
		v->kind = PV_BOOL;
		v->u = (uint8_t)raw;
		break;
	case PT_CHAR:
		v->kind = PV_CHAR;
		v->u = (uint8_t)raw;
		break;
	case PT_PTR:
	case PT_STR:
	case PT_KSTR:
	case PT_KUSTR:
	case PT_BUF:
		v->kind = raw ? PV_HEX : PV_NULL;
		break;
	default:
		v->kind = PV_HEX;
		break;
	}
}

void proto_ret_value(enum proto_type t, uint64_t raw, struct proto_val *v)
{
	scalar(t, raw, v);
}

int proto_arg_value(const struct ft_proto *p, unsigned int i, const uint8_t *regs,
		    const struct ft_ext *ext, const uint8_t *data, size_t data_len,
		    size_t *off, struct proto_val *v)
{
	const struct proto_arg *a = &p->args[i];
	uint64_t raw = proto_arg_reg(regs, i);
	size_t n;

	scalar(a->type, raw, v);
	if (a->type == PT_OPAQUE) {
		v->kind = PV_OPAQUE;
		v->err = a->len;
		return 0;
	}
	if ((!PT_IS_STR(a->type) && a->type != PT_BUF) || !raw || !ext)
		return 0;
	if (ext->err & (1u << i)) {
		v->kind = PV_UNREADABLE;
		v->err = ext->len[i];
		return 0;
	}
	n = ext->len[i];
	if (n > data_len || *off > data_len - n)
		return -EINVAL;
	v->kind = PV_BYTES;
	v->bytes = data + *off;
	v->n = n;
	*off += n;
	if (PT_IS_STR(a->type) && n > FT_STR_MAX) {
		v->n = FT_STR_MAX;
		v->trunc = true;
	}
	if (a->type == PT_BUF && v->n > a->len)
		return -EINVAL;
	return 0;
}

size_t proto_escape(const uint8_t *s, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			*o++ = '\\';
			*o++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else if (c < 0x20 || c > 0x7e) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = 0;
	return (size_t)(o - out);
}

size_t proto_val_text(const struct proto_val *v, char *out, size_t cap)
{
	char tmp[PROTO_VAL_MAX];
	int n;

	switch (v->kind) {
	case PV_INT:
		n = snprintf(out, cap, "%lld", (long long)v->i);
		break;
	case PV_UINT:
		n = snprintf(out, cap, "%llu", (unsigned long long)v->u);
		break;
	case PV_OCT:
		n = snprintf(out, cap, v->u ? "0%llo" : "0", (unsigned long long)v->u);
		break;
	case PV_BOOL:
		n = snprintf(out, cap, "%s", v->u ? "true" : "false");
		break;
	case PV_CHAR: {
		uint8_t c = (uint8_t)v->u;

		proto_escape(&c, 1, tmp);
		n = snprintf(out, cap, "'%s'", c == '\'' ? "\\'" : c == '"' ? "\"" : tmp);
		break;
	}
	case PV_NULL:
		n = snprintf(out, cap, "NULL");
		break;
	case PV_BYTES:
		proto_escape(v->bytes, v->n < FT_STR_MAX ? v->n : FT_STR_MAX, tmp);
		n = snprintf(out, cap, "\"%s\"%s", tmp, v->trunc ? "..." : "");
		break;
	case PV_UNREADABLE:
		n = snprintf(out, cap, "0x%llx<unreadable>", (unsigned long long)v->u);
		break;
	case PV_OPAQUE:
		n = snprintf(out, cap, "<%s>", v->err >= 0 && v->err <= PO_OTHER ?
			     opaque_names[v->err] : "other");
		break;
	default:
		n = snprintf(out, cap, "0x%llx", (unsigned long long)v->u);
		break;
	}
	if (n < 0)
		n = 0;
	return (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}

int proto_ext(const void *rec, size_t len, const struct ft_ext **x,
	      const uint8_t **data, const uint64_t **frames)
{
	const uint8_t *b = rec;
	size_t hdr = sizeof(struct ft_event) + sizeof(struct ft_ext);
	const struct ft_ext *e;

	if (len < hdr)
		return -EINVAL;
	e = (const struct ft_ext *)(b + sizeof(struct ft_event));
	if (e->data_len > len - hdr || (e->data_len & 7) ||
	    (size_t)e->nframes * 8 > len - hdr - e->data_len ||
	    e->nframes > FT_STACK_MAX)
		return -EINVAL;
	*x = e;
	*data = b + hdr;
	*frames = (const uint64_t *)(b + hdr + e->data_len);
	return 0;
}

static const char *type_name(enum proto_type t)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].t == t)
			return types[i].name;
	return "?";
}

size_t proto_text(const struct ft_proto *p, char *out, size_t cap)
{
	size_t n = 0;

#define PUT(...) do { int k_ = snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__); \
		if (k_ > 0) n += (size_t)k_; } while (0)
	if (!cap)
		return 0;
	out[0] = 0;
	PUT("%s(", p->name);
	for (unsigned int i = 0; i < p->nargs && i < FT_ARG_SLOTS; i++) {
		const struct proto_arg *a = &p->args[i];

		if (a->type == PT_OPAQUE)
			PUT("%s<%s> %s", i ? ", " : "", a->len <= PO_OTHER ?
			    opaque_names[a->len] : "other", a->name);
		else if (a->type == PT_BUF)
			PUT("%sbuf:%u %s", i ? ", " : "", a->len, a->name);
		else
			PUT("%s%s %s", i ? ", " : "", type_name(a->type), a->name);
	}
	PUT("%s)", p->more ? (p->nargs ? ", ..." : "...") : "");
	if (p->ret != PT_NONE)
		PUT("->%s", type_name(p->ret));
#undef PUT
	return n < cap ? n : cap - 1;
}
