// SPDX-License-Identifier: MIT
/* Syscall tracepoints, user side: the tracefs format parser (formats as
 * Linux 6.18 x86_64 writes them, a 32-bit one, malformed ones), errno
 * names, the text and JSON of records, and the flight recorder's ring. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "check.h"
#include "errnames.h"
#include "event.h"
#include "flight.h"
#include "format.h"
#include "sc_event.h"
#include "syscalls.h"

#define HDR \
"name: sys_enter_x\nID: 1\nformat:\n" \
"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char openat_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n\n"
"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx\", ((unsigned long)(REC->dfd))\n";

static const char mount_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:char * dev_name;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:char * dir_name;\toffset:24;\tsize:8;\tsigned:0;\n"
"\tfield:char * type;\toffset:32;\tsize:8;\tsigned:0;\n"
"\tfield:unsigned long flags;\toffset:40;\tsize:8;\tsigned:0;\n"
"\tfield:void * data;\toffset:48;\tsize:8;\tsigned:0;\n";

static const char read_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:char * buf;\toffset:24;\tsize:8;\tsigned:0;\n"
"\tfield:size_t count;\toffset:32;\tsize:8;\tsigned:0;\n";

static const char getppid_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n\n"
"print fmt: \"\"\n";

/* armv7l: 4-byte arguments from offset 12 */
static const char arm_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:unsigned int fd;\toffset:12;\tsize:4;\tsigned:0;\n"
"\tfield:off_t offset;\toffset:16;\tsize:4;\tsigned:1;\n";

static const char exit_fmt[] = HDR
"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n";

static void test_parse(void)
{
	struct sc_proto p;

	memset(&p, 0, sizeof(p));
	CHECK_EQ(sc_format_parse(openat_fmt, &p), 0);
	CHECK_EQ(p.nargs, 4);
	CHECK_STR(p.args[0].name, "dfd");
	CHECK_STR(p.args[0].type, "int");
	CHECK(p.args[0].is_int && !p.args[0].is_str);
	CHECK_STR(p.args[1].name, "filename");
	CHECK_STR(p.args[1].type, "const char *");
	CHECK_EQ(p.args[1].off, 24);
	CHECK_EQ(p.args[1].size, 8);
	CHECK(p.args[1].is_str);
	CHECK_EQ(p.str_arg[0], 2);
	CHECK_EQ(p.str_arg[1], 0);
	CHECK_STR(p.args[3].name, "mode");
	CHECK(!p.args[3].is_int);

	CHECK_EQ(sc_format_parse(mount_fmt, &p), 0);
	CHECK_EQ(p.nargs, 5);
	/* non-const, named like strings: dev_name, dir_name, type */
	CHECK_EQ(p.str_arg[0], 1);
	CHECK_EQ(p.str_arg[1], 2);
	CHECK_EQ(p.str_arg[2], 3);
	CHECK(!p.args[4].is_str);	/* void *data */

	CHECK_EQ(sc_format_parse(read_fmt, &p), 0);
	CHECK(!p.args[1].is_str);	/* read's buf is an output */
	CHECK_EQ(p.str_arg[0], 0);

	CHECK_EQ(sc_format_parse(getppid_fmt, &p), 0);
	CHECK_EQ(p.nargs, 0);

	CHECK_EQ(sc_format_parse(arm_fmt, &p), 0);
	CHECK_EQ(p.nargs, 2);
	CHECK_EQ(p.args[1].off, 16);
	CHECK_EQ(p.args[1].size, 4);
	CHECK(p.args[1].is_signed);

	CHECK_EQ(sc_exit_parse(exit_fmt, &p), 0);
	CHECK_EQ(p.ret_off, 16);
	CHECK_EQ(p.ret_size, 8);
}

static void test_parse_bad(void)
{
	struct sc_proto p;
	char buf[2048];

	memset(&p, 0, sizeof(p));
	CHECK_EQ(sc_format_parse("", &p), -EINVAL);		/* no __syscall_nr */
	CHECK_EQ(sc_format_parse("field:", &p), -EINVAL);
	CHECK_EQ(sc_format_parse(HDR "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\n"
				 "\tfield:long x;\toffset:16;\tsize:3;\tsigned:1;\n", &p), -EINVAL);
	CHECK_EQ(sc_format_parse(HDR "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\n"
				 "\tfield:long x;\toffset:60;\tsize:8;\n", &p), -EINVAL);
	CHECK_EQ(sc_format_parse(HDR "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\n"
				 "\tfield:long x;\toffset:;\tsize:8;\n", &p), -EINVAL);
	CHECK_EQ(sc_format_parse(HDR "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\n"
				 "\tfield:;\toffset:16;\tsize:8;\n", &p), -EINVAL);
	/* seven arguments */
	snprintf(buf, sizeof(buf), "%s", "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\n");
	for (int i = 0; i < 7; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 "\tfield:long a%d;\toffset:%d;\tsize:4;\n", i, 16 + 4 * i);
	CHECK_EQ(sc_format_parse(buf, &p), -EINVAL);
	CHECK_EQ(sc_exit_parse(getppid_fmt, &p), -EINVAL);
}

static void test_errnames(void)
{
	CHECK_STR(errno_name(9), "EBADF");
	CHECK_STR(errno_name(2), "ENOENT");
	CHECK_STR(errno_name(1), "EPERM");
	CHECK_STR(errno_name(11), "EAGAIN");
	CHECK_STR(errno_name(110), "ETIMEDOUT");
	CHECK_STR(errno_name(133), "EHWPOISON");
	CHECK_STR(errno_name(512), "ERESTARTSYS");
	CHECK(!errno_name(0));
	CHECK(!errno_name(-1));
	CHECK(!errno_name(134));
	CHECK(!errno_name(4095));
}

static void test_names(void)
{
	CHECK_STR(sc_name_of("syscall:mount"), "mount");
	CHECK(!sc_name_of("syscall:"));
	CHECK(!sc_name_of("vfs_read"));
	CHECK_STR(sc_name_of("sys_mount"), "mount");
	CHECK_STR(sc_name_of("__se_sys_mount"), "mount");
#if defined(FTRACE_ARCH_x86_64)
	CHECK_STR(sc_name_of("__x64_sys_getppid"), "getppid");
	CHECK(!sc_name_of("__x64_sys_"));
#endif
}

/* a record as the kernel sends it: the tracepoint record in regs */
static void test_output(void)
{
	static struct sc_proto pr;
	struct sc_proto *byt[1] = { &pr };
	struct sc_table tab = { byt, 1 };
	const char *labels[1] = { "syscall:openat" };
	struct fmt_opts o = { .labels = labels, .nlabels = 1, .sc = &tab };
	struct ft_sc_event se;
	uint64_t v;
	char line[FMT_LINE_MAX];
	int n;

	CHECK_EQ(sc_format_parse(openat_fmt, &pr), 0);
	CHECK_EQ(sc_exit_parse(exit_fmt, &pr), 0);
	snprintf(pr.name, sizeof(pr.name), "openat");
	memset(&se, 0, sizeof(se));
	se.ev.type = FT_ENTRY;
	se.ev.flags = FT_F_SC | FT_F_SC_STR | FT_F_FIRST;
	se.ev.tgid = se.ev.tid = 7;
	v = (uint64_t)-100;
	memcpy(se.ev.regs + 16, &v, 8);
	v = 0x7ffd0000;
	memcpy(se.ev.regs + 24, &v, 8);
	snprintf(se.str[0], sizeof(se.str[0]), "/etc/\"x\"\n");
	n = format_event(&o, &se, sizeof(se), line);
	CHECK(n > 0);
	CHECK_STR(line, "[7,7][syscall:openat] FIRST ENTRY openat(dfd=0xffffff9c, "
		  "filename=\"/etc/\\\"x\\\"\\n\", flags=0x0, mode=0x0)\n");
	/* unreadable string: the pointer */
	se.ev.pad = 1;
	format_event(&o, &se, sizeof(se), line);
	CHECK(strstr(line, "filename=0x7ffd0000 (unreadable)") != NULL);
	/* a short record is not read past its end */
	se.ev.pad = 0;
	format_event(&o, &se, sizeof(se.ev), line);
	CHECK(strstr(line, "filename=0x7ffd0000 (unreadable)") != NULL);
	/* a long string is cut, the line stays in bounds */
	memset(se.str[0], 'a', FT_SC_STRLEN - 1);
	se.str[0][FT_SC_STRLEN - 1] = 0;
	n = format_event(&o, &se, sizeof(se), line);
	CHECK(n > 0 && n < FMT_LINE_MAX);
	CHECK(strstr(line, "aaa\"...") != NULL);

	se.ev.type = FT_RET;
	se.ev.flags = FT_F_SC;
	se.ev.delta = 1500;
	v = (uint64_t)-2;
	memcpy(se.ev.regs + 16, &v, 8);
	format_event(&o, &se, sizeof(se.ev), line);
	CHECK_STR(line, "[7,7][syscall:openat] RET (ret=-2 ENOENT) exec_time_ns: "
		  "0.000001500 seconds\n");
	v = 3;
	memcpy(se.ev.regs + 16, &v, 8);
	format_event(&o, &se, sizeof(se.ev), line);
	CHECK(strstr(line, "RET (ret=3) ") != NULL);
	v = (uint64_t)-600;	/* no name */
	memcpy(se.ev.regs + 16, &v, 8);
	format_event(&o, &se, sizeof(se.ev), line);
	CHECK(strstr(line, "RET (ret=-600) ") != NULL);
}

/* a backward perf buffer as the kernel writes it: head goes down by each
 * record's size, the record at head; the oldest bytes are overwritten */
static uint8_t ring[256];

static uint64_t put_rec(uint64_t head, uint64_t ts, uint16_t size)
{
	uint8_t rec[64] = { 0 };
	uint32_t type = 9;	/* PERF_RECORD_SAMPLE */
	uint32_t raw = size - 12u;

	memcpy(rec, &type, 4);
	memcpy(rec + 6, &size, 2);
	memcpy(rec + 8, &raw, 4);
	memcpy(rec + 12, &ts, 8);
	head -= size;
	for (uint16_t i = 0; i < size; i++)
		ring[(head + i) % sizeof(ring)] = rec[i];
	return head;
}

/* the times of the records in a window, newest first */
static size_t window_ts(const uint8_t *w, size_t len, uint64_t *ts, size_t max)
{
	size_t n = 0;

	for (size_t off = 0; off < len && n < max;) {
		uint16_t size;

		memcpy(&size, w + off + 6, 2);
		memcpy(&ts[n++], w + off + 12, 8);
		off += size;
	}
	return n;
}

static void test_flight(void)
{
	uint8_t out[256];
	uint64_t head = 0, last, ts[16];
	bool wrapped;
	size_t n;
	int ok = 1;

	/* nothing written */
	CHECK_EQ(flight_window(ring, sizeof(ring), 0, 0, out, &wrapped), 0);
	CHECK(!wrapped);
	/* 11 records of 32 bytes in 256: the newest 8, whole */
	for (uint64_t i = 1; i <= 11; i++)
		head = put_rec(head, i, 32);
	n = flight_window(ring, sizeof(ring), head, 0, out, &wrapped);
	CHECK_EQ(n, 256);
	CHECK(wrapped);
	CHECK_EQ(window_ts(out, n, ts, 16), 8);
	for (size_t i = 0; i < 8; i++)
		ok &= ts[i] == 11 - i;
	CHECK(ok);
	/* since the last dump: 2 more, nothing lost */
	last = head;
	head = put_rec(head, 12, 32);
	head = put_rec(head, 13, 40);
	n = flight_window(ring, sizeof(ring), head, last, out, &wrapped);
	CHECK_EQ(n, 72);
	CHECK(!wrapped);
	CHECK_EQ(window_ts(out, n, ts, 16), 2);
	CHECK_EQ(ts[0], 13);
	CHECK_EQ(ts[1], 12);
	/* sizes that do not divide the buffer: the oldest, half overwritten,
	 * is left out */
	last = head;
	for (uint64_t i = 14; i <= 20; i++)
		head = put_rec(head, i, 48);
	n = flight_window(ring, sizeof(ring), head, last, out, &wrapped);
	CHECK(wrapped);
	CHECK_EQ(n, 240);
	CHECK_EQ(window_ts(out, n, ts, 16), 5);
	CHECK_EQ(ts[0], 20);
	CHECK_EQ(ts[4], 16);
	/* a 32-bit kernel: data_head counts in 32 bits, zero-extended */
	memset(ring, 0, sizeof(ring));
	head = 0;
	for (uint64_t i = 1; i <= 3; i++)
		head = put_rec(head, i, 32);
	n = flight_window(ring, sizeof(ring), (uint32_t)head, 0, out, &wrapped);
	CHECK_EQ(n, 96);
	CHECK(!wrapped);
	CHECK_EQ(window_ts(out, n, ts, 16), 3);
	CHECK_EQ(ts[2], 1);
}

int main(void)
{
	test_parse();
	test_parse_bad();
	test_errnames();
	test_names();
	test_output();
	test_flight();
	return check_done("syscalls");
}
