// SPDX-License-Identifier: MIT
/* Output sinks on crafted records: JSON string escaping byte by byte, the
 * JSON and Perfetto records of an entry/return pair (exact text), malformed
 * records refused, label splitting. */
#include <errno.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "err.h"
#include "event.h"
#include "sink.h"

static void str_is(const char *in, size_t n, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_str(f, in, n);
	fclose(f);
	if (strcmp(buf, want)) {
		check_fail++;
		fprintf(stderr, "FAIL: json_str gave %s, want %s\n", buf, want);
	} else {
		check_pass++;
	}
	free(buf);
}

static void test_json_str(void)
{
	str_is("plain", 5, "\"plain\"");
	str_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	str_is("\n\t\x01\x7f", 4, "\"\\u000a\\u0009\\u0001\\u007f\"");
	str_is("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");		/* valid UTF-8 kept */
	str_is("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");		/* euro sign */
	str_is("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");	/* 4 bytes */
	str_is("\xff\xfe", 2, "\"\\u00ff\\u00fe\"");		/* never UTF-8 */
	str_is("\xc3", 1, "\"\\u00c3\"");			/* truncated */
	str_is("\xc0\xaf", 2, "\"\\u00c0\\u00af\"");		/* overlong */
	str_is("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"");	/* surrogate */
	str_is("a\0b", 3, "\"a\\u0000b\"");
}

static char *run_sink(enum sink_kind kind, const struct fmt_opts *fo,
		      const void *recs[], const size_t lens[], int n, int *bad)
{
	char path[] = "/tmp/ftrace-test-sink.XXXXXX";
	struct sink_summary sum = { .why = "signal" };
	struct sink_opts so = { .kind = kind, .path = path, .fmt = fo };
	static const uint64_t offs[] = { 0x1130 };
	struct ft_err err = { "" };
	struct ft_sink *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int fd = mkstemp(path);

	close(fd);
	so.offsets = offs;
	if (sink_open(&so, &s, &err))
		return NULL;
	*bad = 0;
	for (int i = 0; i < n; i++)
		if (s->ops->event(s, recs[i], lens[i]) == -EINVAL)
			(*bad)++;
	s->ops->close(s, &sum);
	f = fopen(path, "r");
	if (f) {
		buf = calloc(1, 1 << 16);
		len = fread(buf, 1, (1 << 16) - 1, f);
		fclose(f);
	}
	unlink(path);
	(void)len;
	return buf;
}

static void test_records(void)
{
	const char *labels[] = { "app:work" };
	struct fmt_opts fo = { .labels = labels, .nlabels = 1 };
	struct ft_event in = { .ts = 1000, .tgid = 7, .tid = 8, .type = FT_ENTRY,
			       .flags = FT_F_FIRST, .depth = 1, .comm = "w\"k" };
	struct ft_event out = in, junk = in;
	const void *recs[] = { &in, &out, &junk, &in };
	size_t lens[] = { sizeof(in), sizeof(out), sizeof(junk), 8 };
	char *text;
	int bad;

	out.type = FT_RET;
	out.flags = 0;
	out.ts = 3500;
	out.delta = 2500;
	junk.target = 5;	/* no such target */
	text = run_sink(SINK_JSON, &fo, recs, lens, 4, &bad);
	CHECK(text != NULL);
	CHECK_EQ(bad, 2);
	if (text) {
		CHECK(strstr(text, "{\"ts_ns\":1000,\"type\":\"entry\",\"pid\":7,\"tid\":8,"
			      "\"comm\":\"w\\\"k\",\"lib\":\"app\",\"func\":\"work\","
			      "\"offset\":4400,\"depth\":1,\"gap_ns\":null,\"regs\":{") == text);
		CHECK(strstr(text, "\"type\":\"return\"") != NULL);
		CHECK(strstr(text, "\"duration_ns\":2500,\"ret\":\"0x0\"}\n") != NULL);
		CHECK(strstr(text, "{\"type\":\"summary\",\"events\":2,\"lost\":0,") != NULL);
		free(text);
	}
	text = run_sink(SINK_PERFETTO, &fo, recs, lens, 2, &bad);
	CHECK(text != NULL);
	if (text) {
		CHECK(strncmp(text, "{\"traceEvents\":[", 16) == 0);
		CHECK(strstr(text, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7,"
			      "\"tid\":8,\"args\":{\"name\":\"w\\\"k\"}}") != NULL);
		CHECK(strstr(text, "{\"ph\":\"B\",\"pid\":7,\"tid\":8,\"ts\":1.000,"
			      "\"name\":\"work\",\"cat\":\"app\"") != NULL);
		CHECK(strstr(text, "{\"ph\":\"E\",\"pid\":7,\"tid\":8,\"ts\":3.500,") != NULL);
		CHECK(strstr(text, "\n],\"displayTimeUnit\":\"ns\"") != NULL);
		free(text);
	}
	/* an entry left open is ended at the last timestamp, marked */
	text = run_sink(SINK_PERFETTO, &fo, recs, lens, 1, &bad);
	if (text) {
		CHECK(strstr(text, "\"unfinished\":\"still running at the end\"") != NULL);
		free(text);
	}
}

static void test_split(void)
{
	const char *func;
	size_t n;

	sink_split_label("libc.so.6:malloc", &func, &n);
	CHECK(!strcmp(func, "malloc") && n == 9);
	sink_split_label("<kernel>:vfs_read+0x10", &func, &n);
	CHECK(!strcmp(func, "vfs_read+0x10") && n == 8);
	sink_split_label("nolib", &func, &n);
	CHECK(!strcmp(func, "nolib") && n == 0);
}

int main(void)
{
	test_json_str();
	test_records();
	test_split();
	return check_done("test_sink");
}
