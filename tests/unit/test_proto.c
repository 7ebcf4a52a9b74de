// SPDX-License-Identifier: MIT
/* Prototypes: the parser (every error names its token and column), the
 * built-in table, values from crafted records, the string escaper, and
 * format_event's text for an entry with strings and a typed return. */
#include <errno.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "event.h"
#include "format.h"
#include "proto.h"

static const unsigned int arg_slots[] = { ARCH_ARG_SLOTS };

static void set_arg(struct ft_event *e, unsigned int i, uint64_t v)
{
#if ARCH_WORD_SIZE == 8
	memcpy(e->regs + arg_slots[i] * 8, &v, 8);
#else
	uint32_t w = (uint32_t)v;

	memcpy(e->regs + arg_slots[i] * 4, &w, 4);
#endif
}

static const char *perr(const char *text)
{
	static struct ft_err err;
	struct ft_proto p;

	err.msg[0] = 0;
	if (proto_parse(text, &p, &err) != -EINVAL)
		return "(parsed)";
	return err.msg;
}

static void test_parse(void)
{
	struct ft_proto p;

	CHECK_EQ(proto_parse("open(str path, int flags, oct mode)->int", &p, NULL), 0);
	CHECK_STR(p.name, "open");
	CHECK_EQ(p.nargs, 3);
	CHECK_EQ(p.args[0].type, PT_STR);
	CHECK_STR(p.args[0].name, "path");
	CHECK_EQ(p.args[2].type, PT_OCT);
	CHECK_EQ(p.ret, PT_INT);
	CHECK_EQ(proto_parse("  f ( buf:16 , ulong )  ", &p, NULL), 0);
	CHECK_EQ(p.nargs, 2);
	CHECK_EQ(p.args[0].type, PT_BUF);
	CHECK_EQ(p.args[0].len, 16);
	CHECK_STR(p.args[0].name, "arg0");
	CHECK_STR(p.args[1].name, "arg1");
	CHECK_EQ(p.ret, PT_NONE);
	CHECK_EQ(proto_parse("f(void)->void", &p, NULL), 0);
	CHECK_EQ(p.nargs, 0);
	CHECK_EQ(proto_parse("f()", &p, NULL), 0);
	CHECK_EQ(proto_parse("malloc@@GLIBC_2.2.5(size n)->ptr", &p, NULL), 0);
	CHECK_STR(p.name, "malloc@@GLIBC_2.2.5");
	CHECK_EQ(proto_parse("f(buf:256 b, char c, bool b2, hex h, size s, ssize z)", &p, NULL), 0);
	CHECK_EQ(p.args[0].len, 256);
	CHECK_EQ(proto_parse("k(kstr a, kustr b, s8 c, u16 f)->s16", &p, NULL), 0);
	CHECK_EQ(p.args[0].type, PT_KSTR);
	CHECK_EQ(p.args[1].type, PT_KUSTR);
	CHECK_EQ(p.ret, PT_S16);
	{
		uint16_t arg[FT_ARG_SLOTS];
		char t[256];

		CHECK(proto_bpf_args(&p, arg));
		CHECK_EQ(arg[0], FT_A_KSTR);
		CHECK_EQ(arg[1], FT_A_KSTR | FT_A_STR);
		CHECK_EQ(arg[2], 0);
		proto_text(&p, t, sizeof(t));
		CHECK_STR(t, "k(kstr a, kustr b, s8 c, u16 f)->s16");
		CHECK_EQ(proto_text(&p, t, 8), 7);
		CHECK_STR(t, "k(kstr ");
	}
	CHECK_STR(perr("f()->kstr"), "prototype 'f()->kstr': a return value is not read from memory; use ptr, not 'kstr' at column 6");

	CHECK_STR(perr("f(strr s)"), "prototype 'f(strr s)': unknown type 'strr' at column 3");
	CHECK_STR(perr("f(int"), "prototype 'f(int': expected ',' or ')', got at the end");
	CHECK_STR(perr("f(int a,)"), "prototype 'f(int a,)': expected a type, got ')' at column 9");
	CHECK_STR(perr("f(buf:257 b)"), "prototype 'f(buf:257 b)': buf:N needs N from 1 to 256, got '257' at column 7");
	CHECK_STR(perr("f(buf:x b)"), "prototype 'f(buf:x b)': buf:N needs N from 1 to 256, got 'x' at column 7");
	CHECK_STR(perr("f(buf b)"), "prototype 'f(buf b)': buf needs its size (buf:N), got 'b' at column 7");
	CHECK_STR(perr("f()->buf:4"), "prototype 'f()->buf:4': a return value is not read from memory; use ptr, not 'buf' at column 6");
	CHECK_STR(perr("f()->"), "prototype 'f()->': expected a type, got at the end");
	CHECK_STR(perr("f() int"), "prototype 'f() int': unexpected 'int' at column 5");
	CHECK_STR(perr("f(int a, long a)"), "prototype 'f(int a, long a)': duplicate argument name 'a' at column 15");
	CHECK_STR(perr("f(void v)"), "prototype 'f(void v)': void is not an argument type: 'void' at column 3");
	CHECK_STR(perr("9f()"), "prototype '9f()': expected a function name, got '9f' at column 1");
	CHECK_STR(perr("f*(int a)"), "prototype 'f*(int a)': a prototype names one function, not a pattern: '*' at column 2");
	CHECK_STR(perr("f[int a]"), "prototype 'f[int a]': a prototype names one function, not a pattern: '[' at column 2");
	CHECK_STR(perr("f(int \x01)"), "prototype 'f(int ?)': expected ',' or ')', got '?' at column 7");
#if ARCH_NARG_SLOTS == 6
	CHECK_STR(perr("f(int a, int b, int c, int d, int e, int f, int g)"),
		  "prototype 'f(int a, int b, int c, int d, int e, int f, int g)': too many "
		  "arguments (x86_64 passes at most the first in registers): 'int' at column 45");
#endif
	CHECK(proto_is("f(int)"));
	CHECK(!proto_is("f*"));
}

static void test_builtin(void)
{
	const struct ft_proto *p;
	struct ft_proto q;

	/* every entry of the table parses */
	for (size_t i = 0; i < proto_builtin_count(); i++) {
		struct ft_err err = { "" };
		int r = proto_parse(proto_builtin_text(i), &q, &err);

		if (r)
			fprintf(stderr, "builtin %zu: %s\n", i, err.msg);
		CHECK_EQ(r, 0);
	}
	CHECK(proto_builtin_count() >= 100);
	p = proto_builtin("open");
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ(p->args[0].type, PT_STR);
		CHECK_EQ(p->ret, PT_INT);
	}
	p = proto_builtin("strlen");
	CHECK(p && p->ret == PT_SIZE);
	CHECK(proto_builtin("no_such_function") == NULL);
}

static void esc(const char *in, size_t n, const char *want)
{
	char out[4 * 64 + 1];

	CHECK_EQ(proto_escape((const uint8_t *)in, n, out), strlen(want));
	CHECK_STR(out, want);
}

static void test_escape(void)
{
	esc("plain", 5, "plain");
	esc("a\"b\\c", 5, "a\\\"b\\\\c");
	esc("\n\t\r", 3, "\\n\\t\\r");
	esc("\x00\x01\x1f\x7f\x80\xff", 6, "\\x00\\x01\\x1f\\x7f\\x80\\xff");
	esc("", 0, "");
	esc("caf\xc3\xa9", 5, "caf\\xc3\\xa9");
}

static const char *val(enum proto_type t, uint64_t raw)
{
	static char out[PROTO_VAL_MAX];
	struct proto_val v;

	proto_ret_value(t, raw, &v);
	proto_val_text(&v, out, sizeof(out));
	return out;
}

static void test_values(void)
{
	CHECK_STR(val(PT_INT, 0xffffffffULL), "-1");
	CHECK_STR(val(PT_INT, 0xffffffff80000000ULL), "-2147483648");
	CHECK_STR(val(PT_UINT, 0xffffffffffffffffULL), "4294967295");
	CHECK_STR(val(PT_OCT, 0644), "0644");
	CHECK_STR(val(PT_OCT, 0), "0");
	CHECK_STR(val(PT_HEX, 0), "0x0");
	CHECK_STR(val(PT_PTR, 0), "NULL");
	CHECK_STR(val(PT_PTR, 0x1000), "0x1000");
	CHECK_STR(val(PT_BOOL, 0x100), "false");
	CHECK_STR(val(PT_BOOL, 2), "true");
	CHECK_STR(val(PT_CHAR, 'A'), "'A'");
	CHECK_STR(val(PT_CHAR, '\n'), "'\\n'");
	CHECK_STR(val(PT_CHAR, '\''), "'\\''");
#if ARCH_WORD_SIZE == 8
	CHECK_STR(val(PT_LONG, 0xfffffffffffffffbULL), "-5");
	CHECK_STR(val(PT_S8, 0x1ff), "-1");
	CHECK_STR(val(PT_U8, 0x1ff), "255");
	CHECK_STR(val(PT_S16, 0x18000), "-32768");
	CHECK_STR(val(PT_U16, 0xfffff), "65535");
	CHECK_STR(val(PT_KSTR, 0), "NULL");
	CHECK_STR(val(PT_KUSTR, 0x10), "0x10");
	CHECK_STR(val(PT_SIZE, 0xffffffffffffffffULL), "18446744073709551615");
#endif
}

/* a record: entry of f(str s, int n, buf:4 b) with s, b read */
static void test_record(void)
{
	static struct ft_event_ext r;
	const char *labels[] = { "app:f" };
	const struct ft_proto *protos[1];
	struct ft_proto p;
	struct fmt_opts o = { .labels = labels, .nlabels = 1, .protos = protos };
	static char out[FMT_LINE_MAX];
	const char *tail;
	size_t len;
	int n;

	CHECK_EQ(proto_parse("f(str s, int n, buf:4 b)->int", &p, NULL), 0);
	protos[0] = &p;
	memset(&r, 0, sizeof(r));
	r.ev.tgid = r.ev.tid = 7;
	r.ev.type = FT_ENTRY;
	r.ev.flags = FT_F_FIRST | FT_F_EXT;
	set_arg(&r.ev, 0, 0x1000);
	set_arg(&r.ev, 1, (uint64_t)-3);
	set_arg(&r.ev, 2, 0x2000);
	r.x.len[0] = 3;
	r.x.len[2] = 4;
	memcpy(r.data, "a\"b" "\x00\xff\n\\", 7);
	r.x.data_len = 8;
	len = sizeof(r.ev) + sizeof(r.x) + 8;
	n = format_event(&o, &r, len, out);
	CHECK(n > 0);
	tail = strstr(out, ", s=");
	CHECK_STR(tail, ", s=\"a\\\"b\", n=-3, b=\"\\x00\\xff\\n\\\\\"\n");
	/* a read that failed */
	r.x.err = 1;
	r.x.len[0] = 14;
	r.x.len[2] = 0;
	r.x.data_len = 0;
	set_arg(&r.ev, 2, 0);
	n = format_event(&o, &r, sizeof(r.ev) + sizeof(r.x), out);
	CHECK_STR(strstr(out, ", s="), ", s=0x1000<unreadable>, n=-3, b=NULL\n");
	/* data shorter than the lengths say: malformed, not printed */
	r.x.err = 0;
	r.x.len[0] = 100;
	r.x.data_len = 8;
	n = format_event(&o, &r, sizeof(r.ev) + sizeof(r.x) + 8, out);
	CHECK(n > 0 && strstr(out, "<malformed>"));
	CHECK_EQ(format_event(&o, &r, sizeof(r.ev) + sizeof(r.x) + 4, out), -EINVAL);
	/* a typed return */
	r.ev.type = FT_RET;
	r.ev.flags = 0;
	{
		static const struct arch_reg ret = ARCH_RET_REG;
		uint64_t v = (uint64_t)-1;

		memcpy(r.ev.regs + ret.slot * ARCH_WORD_SIZE, &v, ARCH_WORD_SIZE);
	}
	n = format_event(&o, &r, sizeof(r.ev), out);
	CHECK(n > 0 && strstr(out, ") ret=-1 exec_time_ns: "));
}

int main(void)
{
	test_parse();
	test_builtin();
	test_escape();
	test_values();
	test_record();
	return check_done("test_proto");
}
