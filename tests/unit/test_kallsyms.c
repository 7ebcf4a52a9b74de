// SPDX-License-Identifier: MIT
/* kallsyms.c: crafted kallsyms and blacklist text, probe-target syntax,
 * syscall-wrapper guesses, and the host's own /proc/kallsyms when readable. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "check.h"
#include "kallsyms.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A heap copy of exactly len bytes, so a sanitizer build catches any read
 * past the end. */
static char *dup_exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, s, len);
	return p;
}

static int parse_str(const char *text, struct ksyms *ks)
{
	size_t len = strlen(text);
	char *buf = dup_exact(text, len);
	int err = ksyms_parse(buf, len, ks);

	free(buf);
	return err;
}

static bool has(const char **out, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(out[i], name))
			return true;
	return false;
}

static const char crafted[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 t helper\n"
	"ffffffff81000200 T vfs_read\n"
	"ffffffff81000300 D some_data\n"
	"ffffffff81000400 t dup_static\n"
	"ffffffff81000180 t unsorted_fn\n"
	"ffffffff81000500 W abort\n"
	"ffffffff81000600 t dup_static\n"
	"garbage line\n"
	"\n"
	"ffffffff8100070\n"
	"zzzz T bad_hex\n"
	"ffffffff81000700 T\n"
	"11112222333344445 T too_wide\n"
	"ffffffff81000800 T foo.isra.0\r\n"
	"ffffffff81000900 TT two_char_type\n"
	"ffffffff81000a00 T extra words\n"
	"ffffffffc0001000 t ext4_read\t[ext4]\n"
	"ffffffffc0001100 t ext4_write\t[ext4]\n"
	"ffffffffc0002000 t dup_static\t[xfs]\n"
	"ffffffffc0002100 d xfs_data\t[xfs]\n"
	"ffffffffc0002200 t xfs_bad\t[xfs\n"
	"ffffffffc0002300 t xfs_empty\t[]\n"
	"ffffffffc0003000 T last_fn";	/* no trailing newline */

static void test_crafted(void)
{
	struct ksyms ks;
	const struct ksym *s;
	uint64_t off = 99;
	const char *out[16];
	size_t n, i;

	CHECK_EQ(parse_str(crafted, &ks), 0);
	CHECK_EQ(ks.nsyms, 13);
	CHECK_EQ(ks.nskipped, 9);
	CHECK(!ks.addrs_hidden);
	for (i = 1; i < ks.nsyms; i++)
		CHECK(ks.syms[i - 1].addr <= ks.syms[i].addr);
	for (i = 1; i < ks.nsyms; i++)
		CHECK(strcmp(ks.by_name[i - 1]->name, ks.by_name[i]->name) <= 0);
	/* ties keep input order */
	CHECK_STR(ks.syms[0].name, "_stext");
	CHECK_STR(ks.syms[1].name, "startup_64");

	s = ksyms_find(&ks, "vfs_read");
	CHECK(s && s->addr == 0xffffffff81000200ull && s->type == 'T' && !s->module);
	CHECK(s && s->size == 0x100);	/* bounded by some_data */
	s = ksyms_find(&ks, "abort");
	CHECK(s && s->type == 'W');
	CHECK(ksyms_find(&ks, "some_data") == NULL);
	CHECK(ksyms_find(&ks, "xfs_data") == NULL);
	CHECK(ksyms_find(&ks, "xfs_bad") == NULL);
	CHECK(ksyms_find(&ks, "xfs_empty") == NULL);
	CHECK(ksyms_find(&ks, "two_char_type") == NULL);
	CHECK(ksyms_find(&ks, "extra") == NULL);
	CHECK(ksyms_find(&ks, "vfs_rea") == NULL);
	CHECK(ksyms_find(&ks, "vfs_read_") == NULL);
	CHECK(ksyms_find(&ks, "") == NULL);
	CHECK(ksyms_find(&ks, "foo.isra.0") != NULL);	/* '\r' dropped */
	s = ksyms_find(&ks, "last_fn");
	CHECK(s && s->addr == 0xffffffffc0003000ull && s->size == 0);

	s = ksyms_find(&ks, "ext4_read");
	CHECK(s && s->module && !strcmp(s->module, "ext4"));
	CHECK(s && s->size == 0x100);
	CHECK(s && s[1].module == s->module);	/* shared module string */

	CHECK_EQ(ksyms_count(&ks, "dup_static"), 3);
	CHECK_EQ(ksyms_count(&ks, "vfs_read"), 1);
	CHECK_EQ(ksyms_count(&ks, "nope"), 0);
	s = ksyms_find(&ks, "dup_static");
	CHECK(s && s->addr == 0xffffffff81000400ull);
	s = ksyms_find_nth(&ks, "dup_static", 1);
	CHECK(s && s->addr == 0xffffffff81000600ull && !s->module);
	s = ksyms_find_nth(&ks, "dup_static", 2);
	CHECK(s && s->module && !strcmp(s->module, "xfs"));
	CHECK(ksyms_find_nth(&ks, "dup_static", 3) == NULL);
	CHECK(ksyms_find_nth(&ks, "dup_static", SIZE_MAX) == NULL);

	s = ksyms_at(&ks, 0xffffffff81000000ull, &off);
	CHECK(s && !strcmp(s->name, "startup_64") && off == 0);	/* not _stext */
	s = ksyms_at(&ks, 0xffffffff81000150ull, &off);
	CHECK(s && !strcmp(s->name, "helper") && off == 0x50);
	s = ksyms_at(&ks, 0xffffffff81000180ull, &off);
	CHECK(s && !strcmp(s->name, "unsorted_fn") && off == 0);
	s = ksyms_at(&ks, 0xffffffff81000020ull, &off);
	CHECK(s && !strcmp(s->name, "startup_64") && off == 0x20);
	s = ksyms_at(&ks, 0xffffffff810002ffull, &off);
	CHECK(s && !strcmp(s->name, "vfs_read") && off == 0xff);
	CHECK(ksyms_at(&ks, 0xffffffff81000300ull, NULL) == NULL);	/* data */
	CHECK(ksyms_at(&ks, 0xffffffff81000350ull, NULL) == NULL);
	CHECK(ksyms_at(&ks, 0xffffffff80000000ull, NULL) == NULL);
	CHECK(ksyms_at(&ks, 0, NULL) == NULL);
	s = ksyms_at(&ks, 0xffffffffc0002050ull, &off);
	CHECK(s && !strcmp(s->name, "dup_static") && off == 0x50);
	CHECK(ksyms_at(&ks, 0xffffffffc0002150ull, NULL) == NULL);
	s = ksyms_at(&ks, 0xffffffffc0003010ull, &off);
	CHECK(s && !strcmp(s->name, "last_fn") && off == 0x10);
	s = ksyms_at(&ks, UINT64_MAX, &off);
	CHECK(s && !strcmp(s->name, "last_fn"));

	n = ksyms_suggest(&ks, "vfs_raed", out, 16);
	CHECK(n >= 1 && !strcmp(out[0], "vfs_read"));
	n = ksyms_suggest(&ks, "abrot", out, 16);
	CHECK(has(out, n, "abort"));
	n = ksyms_suggest(&ks, "ext4", out, 16);
	CHECK(n == 2 && has(out, n, "ext4_read") && has(out, n, "ext4_write"));
	n = ksyms_suggest(&ks, "dup_statc", out, 16);
	CHECK_EQ(n, 1);		/* three symbols, one name */
	n = ksyms_suggest(&ks, "vfs_read", out, 16);
	CHECK(!has(out, n, "vfs_read"));
	CHECK_EQ(ksyms_suggest(&ks, "", out, 16), 0);
	CHECK_EQ(ksyms_suggest(&ks, "vfs_raed", out, 0), 0);
	CHECK_EQ(ksyms_suggest(&ks, "qqqqqqqqqqqqqqqqqq", out, 16), 0);
	ksyms_free(&ks);
	CHECK(ks.syms == NULL && ks.nsyms == 0);
	ksyms_free(&ks);	/* twice is fine */
}

static void test_edge(void)
{
	struct ksyms ks;
	static const char nul[] = "ffffffff81000000 T a\0b\nffffffff81000010 T c\n";
	const struct ksym *s;
	char *buf;

	CHECK_EQ(parse_str("", &ks), 0);
	CHECK_EQ(ks.nsyms, 0);
	CHECK(ksyms_find(&ks, "x") == NULL);
	CHECK(ksyms_at(&ks, 1, NULL) == NULL);
	CHECK_EQ(ksyms_count(&ks, "x"), 0);
	ksyms_free(&ks);
	CHECK_EQ(ksyms_parse(NULL, 0, &ks), 0);
	ksyms_free(&ks);

	CHECK_EQ(parse_str("\n\n  \n", &ks), 0);
	CHECK_EQ(ks.nsyms, 0);
	ksyms_free(&ks);
	CHECK_EQ(parse_str("not kallsyms\nat all\n", &ks), -EINVAL);
	CHECK(ks.syms == NULL && ks.nsyms == 0);
	ksyms_free(&ks);
	CHECK_EQ(parse_str("ffffffff82000000 D only_data\n", &ks), 0);
	CHECK_EQ(ks.nsyms, 0);
	ksyms_free(&ks);

	/* kptr_restrict: all zero */
	CHECK_EQ(parse_str("0000000000000000 T a\n0000000000000000 t b\t[m]\n"
			   "0000000000000000 t a\n", &ks), 0);
	CHECK(ks.addrs_hidden);
	CHECK_EQ(ks.nsyms, 3);
	CHECK(ksyms_find(&ks, "b") != NULL);
	CHECK_EQ(ksyms_count(&ks, "a"), 2);
	CHECK(ksyms_at(&ks, 0, NULL) == NULL);
	ksyms_free(&ks);
	/* one real address: not hidden (32-bit widths too) */
	CHECK_EQ(parse_str("00000000 T a\nc0008000 T b\n", &ks), 0);
	CHECK(!ks.addrs_hidden);
	s = ksyms_at(&ks, 0xc0008004ull, NULL);
	CHECK(s && !strcmp(s->name, "b"));
	ksyms_free(&ks);

	/* embedded NUL: that line is dropped, the next kept */
	buf = dup_exact(nul, sizeof(nul) - 1);
	CHECK_EQ(ksyms_parse(buf, sizeof(nul) - 1, &ks), 0);
	CHECK_EQ(ks.nsyms, 1);
	CHECK(ksyms_find(&ks, "c") != NULL);
	ksyms_free(&ks);
	free(buf);
	/* every prefix of the crafted text: no read past the end */
	for (size_t len = 0; len <= sizeof(crafted) - 1; len++) {
		buf = dup_exact(crafted, len);
		if (ksyms_parse(buf, len, &ks) == 0)
			CHECK(ks.nsyms <= 13);
		ksyms_free(&ks);
		free(buf);
	}
	/* random mutations: must not crash (meaningful under SANITIZE=1) */
	srand(1);
	for (int round = 0; round < 2000; round++) {
		size_t len = sizeof(crafted) - 1;

		buf = dup_exact(crafted, len);
		for (int k = 0; k < 8; k++)
			buf[(size_t)rand() % len] = (char)(rand() % 256);
		if (ksyms_parse(buf, len, &ks) == 0) {
			const char *out[4];

			ksyms_at(&ks, 0xffffffff81000200ull, NULL);
			ksyms_suggest(&ks, "vfs_read", out, 4);
		}
		ksyms_free(&ks);
		free(buf);
	}
	CHECK(1);

	CHECK_EQ(ksyms_load("/nonexistent/kallsyms", &ks), -ENOENT);
	CHECK_EQ(ksyms_load("/", &ks), -EISDIR);
	CHECK_EQ(ksyms_load("/dev/null", &ks), -ENODEV);
}

static void test_ktarget(void)
{
	static const struct {
		const char *text;
		int err;
		enum ktarget_kind kind;
		const char *sym;
		uint64_t val;	/* off or addr */
	} cases[] = {
		{ "vfs_read", 0, KTARGET_SYM, "vfs_read", 0 },
		{ "vfs_read+0x10", 0, KTARGET_SYM, "vfs_read", 0x10 },
		{ "vfs_read+0X1f", 0, KTARGET_SYM, "vfs_read", 0x1f },
		{ "vfs_read+16", 0, KTARGET_SYM, "vfs_read", 16 },
		{ "vfs_read+010", 0, KTARGET_SYM, "vfs_read", 10 },	/* decimal */
		{ "vfs_read+0", 0, KTARGET_SYM, "vfs_read", 0 },
		{ "foo.isra.0", 0, KTARGET_SYM, "foo.isra.0", 0 },
		{ "foo.cold+0x4", 0, KTARGET_SYM, "foo.cold", 4 },
		{ "_", 0, KTARGET_SYM, "_", 0 },
		{ "__x64_sys_mount", 0, KTARGET_SYM, "__x64_sys_mount", 0 },
		{ "f+18446744073709551615", 0, KTARGET_SYM, "f", UINT64_MAX },
		{ "f+0xffffffffffffffff", 0, KTARGET_SYM, "f", UINT64_MAX },
		{ "0xffffffff81234560", 0, KTARGET_ADDR, NULL, 0xffffffff81234560ull },
		{ "0XC0008000", 0, KTARGET_ADDR, NULL, 0xc0008000ull },
		{ "0x0", 0, KTARGET_ADDR, NULL, 0 },
		{ "0x0000000000000000ffffffff81234560", 0, KTARGET_ADDR, NULL,
		  0xffffffff81234560ull },
		{ "", -EINVAL, 0, NULL, 0 },
		{ "+0x10", -EINVAL, 0, NULL, 0 },
		{ "foo+", -EINVAL, 0, NULL, 0 },
		{ "foo+0x", -EINVAL, 0, NULL, 0 },
		{ "foo+x10", -EINVAL, 0, NULL, 0 },
		{ "foo+-1", -EINVAL, 0, NULL, 0 },
		{ "foo+0x10+4", -EINVAL, 0, NULL, 0 },
		{ "foo+10z", -EINVAL, 0, NULL, 0 },
		{ "foo+0x1g", -EINVAL, 0, NULL, 0 },
		{ "foo-0x10", -EINVAL, 0, NULL, 0 },
		{ "foo+18446744073709551616", -EINVAL, 0, NULL, 0 },
		{ "foo+0x10000000000000000", -EINVAL, 0, NULL, 0 },
		{ "0x", -EINVAL, 0, NULL, 0 },
		{ "0x10000000000000000", -EINVAL, 0, NULL, 0 },
		{ "0xffffffff8123456g", -EINVAL, 0, NULL, 0 },
		{ "0x10+4", -EINVAL, 0, NULL, 0 },
		{ "1234", -EINVAL, 0, NULL, 0 },
		{ "1foo", -EINVAL, 0, NULL, 0 },
		{ " vfs_read", -EINVAL, 0, NULL, 0 },
		{ "vfs_read ", -EINVAL, 0, NULL, 0 },
		{ "vfs read", -EINVAL, 0, NULL, 0 },
		{ "ext4:ext4_read", -EINVAL, 0, NULL, 0 },
		{ "foo()", -EINVAL, 0, NULL, 0 },
		{ "foo+0x10\n", -EINVAL, 0, NULL, 0 },
	};
	struct ktarget t;
	char *longname;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = ktarget_parse(cases[i].text, &t);

		CHECK_EQ(err, cases[i].err);
		if (err != cases[i].err)
			fprintf(stderr, "  ktarget_parse(\"%s\")\n", cases[i].text);
		if (err || cases[i].err)
			continue;
		CHECK_EQ(t.kind, cases[i].kind);
		if (cases[i].kind == KTARGET_SYM) {
			CHECK_STR(t.sym, cases[i].sym);
			CHECK(t.off == cases[i].val);
		} else {
			CHECK(t.addr == cases[i].val);
		}
	}
	CHECK_EQ(ktarget_parse(NULL, &t), -EINVAL);
	longname = malloc(KSYM_NAME_LEN + 1);
	memset(longname, 'a', KSYM_NAME_LEN);
	longname[KSYM_NAME_LEN] = '\0';
	CHECK_EQ(ktarget_parse(longname, &t), -ENAMETOOLONG);
	longname[KSYM_NAME_LEN - 1] = '\0';
	CHECK_EQ(ktarget_parse(longname, &t), 0);
	CHECK_EQ(strlen(t.sym), KSYM_NAME_LEN - 1);
	free(longname);
}

static int bl_parse_str(const char *text, struct kblacklist *bl)
{
	size_t len = strlen(text);
	char *buf = dup_exact(text, len);
	int err = kblacklist_parse(buf, len, bl);

	free(buf);
	return err;
}

static void test_blacklist(void)
{
	static const char text[] =
		"0xffffffff81000000-0xffffffff81000010\tfoo\n"
		"0xffffffff81000100-0xffffffff81000200\tbar\n"
		"0xffffffff81000120-0xffffffff81000130\tinner\n"
		"0xffffffffc0000000-0xffffffffc0000100\tmodfn [mymod]\n"
		"0xffffffff82000000-0xffffffff82000040\n"
		"garbage\n"
		"0xffffffff81000300-0xffffffff81000200\tbackwards\n"
		"0xffffffff81000400-\tnoend\n"
		"0xffffffff81000500-0xffffffff81000600x\tjunk\n"
		"\n"
		"0xffffffff81001000-0xffffffff81001010\tlast";
	static const char ksyms_text[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000010 T __entry_text_start\n"
		"ffffffff81000010 T entry_SYSCALL_64\n"
		"ffffffff81001a87 T __entry_text_end\n"
		"ffffffff82000000 T __noinstr_text_start\n"
		"ffffffff82000000 T __noinstr_text_end\n"	/* empty */
		"ffffffff8226f580 T __kprobes_text_start\n"
		"ffffffff8226f580 T kprobe_thing\n"
		"ffffffff8226f600 T __kprobes_text_end\n"
		"ffffffff8226f600 T vfs_read\n";
	struct kblacklist bl;
	struct ksyms ks;
	const char *sym;

	CHECK_EQ(bl_parse_str(text, &bl), 0);
	CHECK_EQ(bl.nents, 6);
	CHECK_EQ(bl.nskipped, 4);
	CHECK(!bl.addrs_hidden);
	CHECK(kblacklist_hit(&bl, 0xffffffff81000005ull, &sym) && sym && !strcmp(sym, "foo"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81000000ull, NULL));
	CHECK(!kblacklist_hit(&bl, 0xffffffff81000010ull, &sym) && !sym);
	CHECK(!kblacklist_hit(&bl, 0xffffffff80ffffffull, NULL));
	CHECK(kblacklist_hit(&bl, 0xffffffff81000125ull, &sym) && sym && !strcmp(sym, "inner"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81000150ull, &sym) && sym && !strcmp(sym, "bar"));
	CHECK(kblacklist_hit(&bl, 0xffffffff810001ffull, &sym) && sym && !strcmp(sym, "bar"));
	CHECK(!kblacklist_hit(&bl, 0xffffffff81000200ull, NULL));
	CHECK(!kblacklist_hit(&bl, 0xffffffff81000250ull, NULL));
	CHECK(kblacklist_hit(&bl, 0xffffffffc0000050ull, &sym) && sym && !strcmp(sym, "modfn"));
	CHECK(kblacklist_hit(&bl, 0xffffffff82000010ull, &sym) && !sym);	/* range only */
	CHECK(kblacklist_hit(&bl, 0xffffffff81001000ull, &sym) && sym && !strcmp(sym, "last"));
	CHECK(!kblacklist_hit(&bl, UINT64_MAX, NULL));
	CHECK(!kblacklist_hit(&bl, 0, NULL));
	CHECK(kblacklist_has_name(&bl, "modfn"));
	CHECK(kblacklist_has_name(&bl, "inner"));
	CHECK(!kblacklist_has_name(&bl, "backwards"));
	CHECK(!kblacklist_has_name(&bl, "mymod"));
	for (size_t i = 0; i < bl.nents; i++)
		if (bl.ents[i].sym && !strcmp(bl.ents[i].sym, "modfn"))
			CHECK_STR(bl.ents[i].module, "mymod");

	/* plus the kernel's no-probe sections */
	CHECK_EQ(parse_str(ksyms_text, &ks), 0);
	CHECK_EQ(kblacklist_add_sections(&bl, &ks), 2);	/* noinstr is empty */
	CHECK_EQ(bl.nents, 8);
	CHECK(kblacklist_hit(&bl, 0xffffffff81000050ull, &sym) && sym && !strcmp(sym, "__entry_text"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81000005ull, &sym) && sym && !strcmp(sym, "foo"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81000125ull, &sym) && sym && !strcmp(sym, "inner"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81001005ull, &sym) && sym && !strcmp(sym, "last"));
	CHECK(kblacklist_hit(&bl, 0xffffffff81001a86ull, &sym) && sym && !strcmp(sym, "__entry_text"));
	CHECK(!kblacklist_hit(&bl, 0xffffffff81001a87ull, NULL));
	CHECK(kblacklist_hit(&bl, 0xffffffff8226f580ull, &sym) && sym && !strcmp(sym, "__kprobes_text"));
	CHECK(!kblacklist_hit(&bl, 0xffffffff8226f600ull, NULL));
	CHECK(!kblacklist_has_name(&bl, "__kprobes_text"));
	kblacklist_free(&bl);
	/* on an empty list (debugfs absent) */
	memset(&bl, 0, sizeof(bl));
	CHECK_EQ(kblacklist_add_sections(&bl, &ks), 2);
	CHECK(kblacklist_hit(&bl, ksyms_find(&ks, "kprobe_thing")->addr, NULL));
	CHECK(!kblacklist_hit(&bl, ksyms_find(&ks, "vfs_read")->addr, NULL));
	kblacklist_free(&bl);
	ksyms_free(&ks);

	/* kptr_restrict: zero ranges, names still usable */
	CHECK_EQ(bl_parse_str("0x0000000000000000-0x0000000000000000\tfoo\n"
			      "0x00000000-0x00000000\tbar\n", &bl), 0);
	CHECK(bl.addrs_hidden);
	CHECK(!kblacklist_hit(&bl, 0, NULL));
	CHECK(kblacklist_has_name(&bl, "foo"));
	CHECK(kblacklist_has_name(&bl, "bar"));
	kblacklist_free(&bl);

	CHECK_EQ(bl_parse_str("", &bl), 0);
	CHECK_EQ(bl.nents, 0);
	CHECK(!kblacklist_hit(&bl, 5, NULL));
	kblacklist_free(&bl);
	CHECK_EQ(bl_parse_str("nope\n", &bl), -EINVAL);
	kblacklist_free(&bl);
	CHECK_EQ(kblacklist_load("/nonexistent/debug/kprobes/blacklist", &bl), -ENOENT);
	kblacklist_free(&bl);
	for (size_t len = 0; len <= sizeof(text) - 1; len++) {
		char *buf = dup_exact(text, len);

		kblacklist_parse(buf, len, &bl);
		kblacklist_hit(&bl, 0xffffffff81000125ull, NULL);
		kblacklist_free(&bl);
		free(buf);
	}
}

static void test_syscalls(void)
{
	static const char text[] =
		"ffffffff81712790 T __x64_sys_mount\n"
		"ffffffff817128f0 T __ia32_sys_mount\n"
		"ffffffff81712a00 T sys_old\n"
		"ffffffff81712b00 T __x64_sys_\n"
		"ffffffff81712c00 T read\n"
		"ffffffff81712d00 T __x64_sys_read\n";
	struct ksyms ks;

	CHECK(ksym_is_syscall_wrapper("__x64_sys_mount", "__x64_sys_"));
	CHECK(ksym_is_syscall_wrapper("__riscv_sys_openat", "__riscv_sys_"));
	CHECK(ksym_is_syscall_wrapper("__arm64_sys_read", "__arm64_sys_"));
	CHECK(ksym_is_syscall_wrapper("sys_read", "sys_"));
	CHECK(!ksym_is_syscall_wrapper("__x64_sys_", "__x64_sys_"));
	CHECK(!ksym_is_syscall_wrapper("__ia32_sys_mount", "__x64_sys_"));
	CHECK(!ksym_is_syscall_wrapper("vfs_read", "__x64_sys_"));
	CHECK(!ksym_is_syscall_wrapper("vfs_read", ""));
	CHECK(!ksym_is_syscall_wrapper("vfs_read", NULL));

	CHECK_EQ(parse_str(text, &ks), 0);
	CHECK_STR(ksym_syscall_guess(&ks, "mount", "__x64_sys_"), "__x64_sys_mount");
	CHECK_STR(ksym_syscall_guess(&ks, "sys_mount", "__x64_sys_"), "__x64_sys_mount");
	CHECK_STR(ksym_syscall_guess(&ks, "__se_sys_mount", "__x64_sys_"), "__x64_sys_mount");
	CHECK_STR(ksym_syscall_guess(&ks, "__do_sys_mount", "__x64_sys_"), "__x64_sys_mount");
	CHECK_STR(ksym_syscall_guess(&ks, "__arm64_sys_mount", "__x64_sys_"), "__x64_sys_mount");
	CHECK_STR(ksym_syscall_guess(&ks, "read", "__x64_sys_"), "__x64_sys_read");
	CHECK(ksym_syscall_guess(&ks, "__x64_sys_mount", "__x64_sys_") == NULL);
	CHECK_STR(ksym_syscall_guess(&ks, "old", "__x64_sys_"), "sys_old");
	CHECK_STR(ksym_syscall_guess(&ks, "old", "sys_"), "sys_old");
	CHECK_STR(ksym_syscall_guess(&ks, "old", NULL), "sys_old");
	CHECK(ksym_syscall_guess(&ks, "sys_old", "sys_") == NULL);
	CHECK(ksym_syscall_guess(&ks, "mount", "__riscv_sys_") == NULL);
	CHECK(ksym_syscall_guess(&ks, "nosuch", "__x64_sys_") == NULL);
	CHECK(ksym_syscall_guess(&ks, "sys_", "__x64_sys_") == NULL);
	CHECK(ksym_syscall_guess(&ks, "", "__x64_sys_") == NULL);
	ksyms_free(&ks);
}

/* Read a whole file with stdio (procfs reports size 0). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 20, n = 0;
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t r;

		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void test_host(void)
{
	struct utsname un;
	struct ksyms ks;
	struct kblacklist bl;
	const struct ksym *s, *vr;
	const char *out[16], *sym;
	double t0, t1;
	uint64_t off = 0;
	size_t len, n, i, bad = 0;
	char *buf = slurp(KALLSYMS_PATH, &len);
	int err;

	if (!buf || !len) {
		printf("test_kallsyms: %s not readable, host checks skipped\n",
		       KALLSYMS_PATH);
		free(buf);
		return;
	}
	t0 = now();
	err = ksyms_parse(buf, len, &ks);
	t1 = now();
	free(buf);
	CHECK_EQ(err, 0);
	if (err)
		return;
	printf("test_kallsyms: host: %zu text symbols of %zu bytes parsed in %.1f ms%s\n",
	       ks.nsyms, len, (t1 - t0) * 1e3, ks.addrs_hidden ? " (addresses hidden)" : "");
	CHECK(t1 - t0 < 1.0);
	CHECK(ks.nsyms > 1000);
	CHECK_EQ(ks.nskipped, 0);
	vr = ksyms_find(&ks, "vfs_read");
	CHECK(vr != NULL);
	CHECK(ksyms_count(&ks, "vfs_read") == 1);

	t0 = now();
	n = ksyms_suggest(&ks, "vfs_raed", out, 8);
	t1 = now();
	CHECK(has(out, n, "vfs_read"));
	CHECK(t1 - t0 < 0.5);
	t0 = now();
	n = ksyms_suggest(&ks, "this_is_a_rather_long_nonexistent_kernel_function", out, 8);
	t1 = now();
	CHECK(t1 - t0 < 0.5);
	printf("test_kallsyms: host: suggest on a long name %.1f ms (%zu hits)\n",
	       (t1 - t0) * 1e3, n);

	if (!uname(&un) && !strcmp(un.machine, "x86_64")) {
		CHECK(ksyms_find(&ks, "__x64_sys_mount") != NULL);
		CHECK_STR(ksym_syscall_guess(&ks, "mount", "__x64_sys_"), "__x64_sys_mount");
		CHECK_STR(ksym_syscall_guess(&ks, "sys_mount", "__x64_sys_"), "__x64_sys_mount");
	}

	if (!ks.addrs_hidden && vr) {
		s = ksyms_at(&ks, vr->addr + 5, &off);
		CHECK(s == vr && off == 5);
		/* every symbol's own address maps to a symbol at that address */
		t0 = now();
		for (i = 0; i < ks.nsyms; i++) {
			s = ksyms_at(&ks, ks.syms[i].addr, &off);
			if (!s || s->addr != ks.syms[i].addr || off)
				bad++;
		}
		t1 = now();
		CHECK_EQ(bad, 0);
		CHECK(t1 - t0 < 1.0);

		memset(&bl, 0, sizeof(bl));
		err = kblacklist_add_sections(&bl, &ks);
		CHECK(err >= 0);
		s = ksyms_find(&ks, "entry_SYSCALL_64");
		if (s && ksyms_find(&ks, "__entry_text_start"))
			CHECK(kblacklist_hit(&bl, s->addr, &sym));
		CHECK(!kblacklist_hit(&bl, vr->addr, NULL));
		kblacklist_free(&bl);
	}

	err = kblacklist_load(KBLACKLIST_PATH, &bl);
	if (err == -ENOENT || err == -EACCES) {
		printf("test_kallsyms: %s: %s, real blacklist checks skipped\n",
		       KBLACKLIST_PATH, strerror(-err));
	} else {
		CHECK_EQ(err, 0);
		printf("test_kallsyms: host blacklist: %zu entries%s\n", bl.nents,
		       bl.addrs_hidden ? " (addresses hidden)" : "");
		CHECK(bl.nents > 0);
		CHECK_EQ(bl.nskipped, 0);
		if (vr && !bl.addrs_hidden && !ks.addrs_hidden)
			CHECK(!kblacklist_hit(&bl, vr->addr, NULL));
		/* every named entry is a kallsyms symbol */
		for (i = 0, bad = 0; i < bl.nents; i++)
			if (bl.ents[i].sym && !ksyms_find(&ks, bl.ents[i].sym))
				bad++;
		CHECK(bad <= bl.nents / 20);
		kblacklist_free(&bl);
	}

	ksyms_free(&ks);
	t0 = now();
	err = ksyms_load(KALLSYMS_PATH, &ks);
	t1 = now();
	CHECK_EQ(err, 0);
	CHECK(ks.nsyms > 1000);
	printf("test_kallsyms: host: ksyms_load %.1f ms\n", (t1 - t0) * 1e3);
	ksyms_free(&ks);
}

int main(void)
{
	test_crafted();
	test_edge();
	test_ktarget();
	test_blacklist();
	test_syscalls();
	test_host();
	return check_done("test_kallsyms");
}
