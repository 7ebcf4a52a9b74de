// SPDX-License-Identifier: MIT
/* The live view's model: rates from two snapshots, sorting and reversing,
 * filters (and their parser), totals, the table cut to a width and height,
 * duration formatting and the log-linear histogram's bound. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "check.h"
#include "event.h"
#include "sink_top.h"
#include "cli.h"
#include "err.h"
#include "top.h"

static const char *const labels[] = { "malloc", "free", "a_very_long_function_name_indeed" };

static struct top_row row(uint32_t pid, const char *comm, uint32_t target,
			  uint64_t calls, uint64_t total, uint64_t p99)
{
	struct top_row r = { .pid = pid, .target = target, .calls = calls,
			     .timed = calls, .total_ns = total, .p99_ns = p99 };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	return r;
}

static uint32_t pid_at(const struct top_model *m, size_t k)
{
	return m->rows[m->order[k]].pid;
}

static uint32_t target_at(const struct top_model *m, size_t k)
{
	return m->rows[m->order[k]].target;
}

static void test_rates(void)
{
	struct top_model m;
	struct top_row a[] = {
		row(10, "web", 0, 100, 1000, 10),
		row(20, "db", 1, 50, 5000, 100),
	};
	/* second snapshot 2 s later: one row grew, one is new, order differs */
	struct top_row b[] = {
		row(30, "cron", 0, 7, 70, 10),
		row(20, "db", 1, 50, 5000, 100),
		row(10, "web", 0, 300, 3000, 10),
	};
	struct top_totals t;

	top_init(&m, labels, 3);
	CHECK_EQ(top_update(&m, a, 2, 1000000000ULL), 0);
	/* first snapshot: no interval yet, rates 0 */
	CHECK(m.rows[0].rate == 0 && m.rows[1].rate == 0);
	CHECK_EQ(top_update(&m, b, 3, 3000000000ULL), 0);
	CHECK(m.rows[2].rate == 100.0);	/* (300 - 100) / 2 s */
	CHECK(m.rows[1].rate == 0.0);
	CHECK(m.rows[0].rate == 3.5);		/* new row: all 7 calls in 2 s */
	/* default sort: rate, highest first */
	CHECK_EQ(m.sort, TOP_COL_RATE);
	CHECK_EQ(m.norder, 3);
	CHECK_EQ(pid_at(&m, 0), 10);
	CHECK_EQ(pid_at(&m, 1), 30);
	CHECK_EQ(pid_at(&m, 2), 20);
	top_totals(&m, &t);
	CHECK_EQ(t.calls, 357);
	CHECK(t.rate == 103.5);
	CHECK_EQ(t.rows, 3);
	CHECK_EQ(t.procs, 3);
	/* counters went backwards (reset behind our back): rate from zero */
	b[2].calls = 20;
	CHECK_EQ(top_update(&m, b, 3, 4000000000ULL), 0);
	CHECK(m.rows[2].rate == 20.0);
	/* reset: empty, and the next interval starts at the reset */
	top_reset(&m, 5000000000ULL);
	CHECK_EQ(m.norder, 0);
	b[2].calls = 10;
	CHECK_EQ(top_update(&m, &b[2], 1, 5500000000ULL), 0);
	CHECK(m.rows[0].rate == 20.0);	/* 10 calls in 0.5 s */
	top_free(&m);
}

static void test_sort_filter(void)
{
	struct top_model m;
	struct top_row a[] = {
		row(10, "web", 0, 300, 300 * 50, 90),	/* avg 50 */
		row(10, "web", 1, 100, 100 * 400, 900),	/* avg 400 */
		row(20, "db", 0, 200, 200 * 20, 30),	/* avg 20 */
		row(20, "db", 2, 50, 50 * 1000, 5000),	/* avg 1000 */
	};
	struct top_filter f;
	char why[128], s[128];

	top_init(&m, labels, 3);
	top_set_sort(&m, TOP_COL_CALLS);
	CHECK_EQ(top_update(&m, a, 4, 1), 0);
	CHECK_EQ(m.rows[m.order[0]].calls, 300);
	CHECK_EQ(m.rows[m.order[1]].calls, 200);
	CHECK_EQ(m.rows[m.order[2]].calls, 100);
	CHECK_EQ(m.rows[m.order[3]].calls, 50);
	m.reverse = true;
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.rows[m.order[0]].calls, 50);
	CHECK_EQ(m.rows[m.order[3]].calls, 300);
	/* next column to the right: AVG; a new column starts in natural order */
	top_next_sort(&m, +1);
	top_next_sort(&m, +1);
	CHECK_EQ(m.sort, TOP_COL_AVG);
	CHECK(!m.reverse);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(target_at(&m, 0), 2);	/* avg 1000 */
	CHECK_EQ(target_at(&m, 3), 0);
	CHECK_EQ(pid_at(&m, 3), 20);	/* avg 20 */
	top_set_sort(&m, TOP_COL_P99);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.rows[m.order[0]].p99_ns, 5000);
	/* text columns ascend: FUNCTION a_very..., free, malloc, malloc */
	top_set_sort(&m, TOP_COL_FUNC);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(target_at(&m, 0), 2);
	CHECK_EQ(target_at(&m, 1), 1);
	CHECK_EQ(target_at(&m, 2), 0);
	CHECK_EQ(pid_at(&m, 2), 10);	/* tie: more calls first */
	top_set_sort(&m, TOP_COL_COMM);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_STR(m.rows[m.order[0]].comm, "db");
	top_next_sort(&m, -1);
	top_next_sort(&m, -1);
	CHECK_EQ(m.sort, TOP_COL_P99);	/* wraps around */

	/* filters */
	CHECK_EQ(top_filter_parse("pid:20", &m.filter, why, sizeof(why)), 0);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.norder, 2);
	CHECK_EQ(pid_at(&m, 0), 20);
	CHECK_EQ(pid_at(&m, 1), 20);
	CHECK_EQ(top_filter_parse("fn:mall", &m.filter, why, sizeof(why)), 0);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.norder, 2);
	CHECK_EQ(target_at(&m, 0), 0);
	CHECK_EQ(top_filter_parse(" comm:we , fn:free ", &m.filter, why, sizeof(why)), 0);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.norder, 1);
	CHECK_EQ(target_at(&m, 0), 1);
	top_filter_str(&m.filter, s, sizeof(s));
	CHECK_STR(s, "comm:we,fn:free");
	CHECK_EQ(top_filter_parse("very_long", &m.filter, why, sizeof(why)), 0);
	CHECK_STR(m.filter.func, "very_long");
	CHECK_EQ(top_filter_parse("pid:20,comm:nomatch", &m.filter, why, sizeof(why)), 0);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.norder, 0);
	CHECK_EQ(top_filter_parse("", &m.filter, why, sizeof(why)), 0);
	CHECK_EQ(top_refresh(&m), 0);
	CHECK_EQ(m.norder, 4);
	top_filter_str(&m.filter, s, sizeof(s));
	CHECK_STR(s, "");

	/* bad filters leave the old one in place and say why */
	f = m.filter;
	f.pid = 7;
	CHECK_EQ(top_filter_parse("pid:abc", &f, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "pid: expected a positive number");
	CHECK_EQ(f.pid, 7);
	CHECK_EQ(top_filter_parse("pid:0", &f, why, sizeof(why)), -EINVAL);
	CHECK_EQ(top_filter_parse("pid:", &f, why, sizeof(why)), -EINVAL);
	CHECK_EQ(top_filter_parse("pid:99999999999", &f, why, sizeof(why)), -EINVAL);
	CHECK_EQ(top_filter_parse("pid:1,pid:2", &f, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "pid given twice");
	CHECK_EQ(top_filter_parse("user:root", &f, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "unknown field 'user': expected pid:, comm: or fn:");
	CHECK_EQ(top_filter_parse("comm:0123456789abcdef", &f, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "comm: expected 1 to 15 characters");
	CHECK_EQ(top_filter_parse("fn:", &f, why, sizeof(why)), -EINVAL);
	CHECK_EQ(top_filter_parse("a,b", &f, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "fn given twice");
	CHECK_EQ(f.pid, 7);
	top_free(&m);
}

/* the line'th line of a rendered table, without its newline */
static const char *line_of(const struct top_buf *b, int line, char *out, size_t len)
{
	const char *p = b->p;

	for (int i = 0; i < line && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p)
		return NULL;
	snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	return out;
}

static int count_lines(const struct top_buf *b)
{
	int n = 0;

	for (size_t i = 0; i < b->len; i++)
		n += b->p[i] == '\n';
	return n;
}

static void test_render(void)
{
	struct top_model m;
	struct top_row a[] = {
		row(4242, "a-process-name-too-long", 2, 1234567, 1234567ULL * 1500, 25000),
		row(7, "sh", 0, 3, 3 * 999, 1000),
		row(8, "sh", 1, 0, 0, 0),
	};
	struct top_buf b = { 0 };
	char l[512];

	top_init(&m, labels, 3);
	top_set_sort(&m, TOP_COL_CALLS);
	CHECK_EQ(top_update(&m, a, 3, 1), 0);
	/* batch: no width limit, the function column fits the longest label */
	CHECK_EQ(top_render_table(&m, 0, 0, &b), 3);
	CHECK_EQ(count_lines(&b), 4);
	CHECK_STR(line_of(&b, 0, l, sizeof(l)),
		  "    PID COMM            FUNCTION                         "
		  "      CALLS     RATE/s      AVG      P99");
	CHECK_STR(line_of(&b, 1, l, sizeof(l)),
		  "   4242 a-process-name- a_very_long_function_name_indeed "
		  "    1234567        0.0   1.50us   25.0us");
	CHECK_STR(line_of(&b, 2, l, sizeof(l)),
		  "      7 sh              malloc                           "
		  "          3        0.0    999ns   1.00us");
	/* a row without timed calls shows '-' for latency */
	CHECK_STR(line_of(&b, 3, l, sizeof(l)),
		  "      8 sh              free                             "
		  "          0        0.0        -        -");
	top_buf_free(&b);

	/* 70 columns: the function column shrinks to the minimum (8) and
	 * the label ends in '+'; nothing is longer than the width */
	CHECK_EQ(top_render_table(&m, 70, 0, &b), 3);
	CHECK_STR(line_of(&b, 1, l, sizeof(l)),
		  "   4242 a-process-name- a_very_+     1234567        0.0   1.50us   25.");
	top_buf_free(&b);
	CHECK_EQ(top_render_table(&m, 40, 2, &b), 2);
	CHECK_EQ(count_lines(&b), 3);
	for (int i = 0; i < 3; i++)
		CHECK(strlen(line_of(&b, i, l, sizeof(l))) <= 40);
	CHECK_STR(line_of(&b, 1, l, sizeof(l)), "   4242 a-process-name- a_very_+     123");
	top_buf_free(&b);
	/* 100 columns: the function column takes what the others leave */
	CHECK_EQ(top_render_table(&m, 100, 1, &b), 1);
	CHECK_STR(line_of(&b, 1, l, sizeof(l)),
		  "   4242 a-process-name- a_very_long_function_name_indeed   "
		  "     1234567        0.0   1.50us   25.0us");
	top_buf_free(&b);
	top_free(&m);
}

static void test_fmt_hist(void)
{
	char s[16];
	uint32_t *h = calloc(TOP_HIST_NR, sizeof(*h));

	top_fmt_ns(0, s, sizeof(s));
	CHECK_STR(s, "0ns");
	top_fmt_ns(999, s, sizeof(s));
	CHECK_STR(s, "999ns");
	top_fmt_ns(1000, s, sizeof(s));
	CHECK_STR(s, "1.00us");
	top_fmt_ns(123456, s, sizeof(s));
	CHECK_STR(s, "123us");
	top_fmt_ns(12345678, s, sizeof(s));
	CHECK_STR(s, "12.3ms");
	top_fmt_ns(2500000000ULL, s, sizeof(s));
	CHECK_STR(s, "2.50s");

	/* every value lands in a bucket whose bounds are within 1/8 of it */
	for (uint64_t v = 1; v < (1ULL << 62); v = v * 3 + 1) {
		unsigned int b = top_hist_bucket(v);
		uint64_t up = top_hist_upper(b);

		CHECK(b < TOP_HIST_NR);
		CHECK(up >= v);
		CHECK((double)(up - v) <= (double)v / TOP_HIST_SUB);
		CHECK(!b || top_hist_upper(b - 1) < v);
	}
	CHECK_EQ(top_hist_bucket(7), 7);
	CHECK_EQ(top_hist_upper(top_hist_bucket(UINT64_MAX)), UINT64_MAX);
	/* 99 calls of 1000 ns and one of 1 ms: p99 is 1000 (within 1/8), p100 1 ms */
	h[top_hist_bucket(1000)] = 99;
	h[top_hist_bucket(1000000)] = 1;
	CHECK(top_hist_quantile(h, 100, 0.99) >= 1000);
	CHECK(top_hist_quantile(h, 100, 0.99) <= 1125);
	CHECK(top_hist_quantile(h, 100, 1.0) >= 1000000);
	CHECK(top_hist_quantile(h, 100, 1.0) <= 1125000);
	CHECK_EQ(top_hist_quantile(h, 0, 0.99), 0);
	free(h);
}

/* the user-space aggregator behind --top: rows per process x target */
static void feed(struct top_agg *a, uint32_t pid, uint32_t target, int type,
		 uint64_t delta, uint16_t flags)
{
	struct ft_event e = { .tgid = pid, .tid = pid, .target = target,
			      .type = (uint16_t)type, .flags = flags, .delta = delta };

	snprintf(e.comm, sizeof(e.comm), "p%u", pid);
	top_agg_event(a, &e, sizeof(e));
}

static const struct top_row *find(const struct top_row *rows, size_t n,
				  uint32_t pid, uint32_t target)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].pid == pid && rows[i].target == target)
			return &rows[i];
	return NULL;
}

static void test_agg(void)
{
	struct top_agg *a;
	struct top_source src;
	const struct top_row *rows, *r;
	size_t n;

	CHECK_EQ(top_agg_new(&a), 0);
	src = top_agg_source(a);
	/* pid 7, target 0: 99 calls of 1000 ns and one of 1 ms */
	for (int i = 0; i < 100; i++) {
		feed(a, 7, 0, FT_ENTRY, 0, 0);
		feed(a, 7, 0, FT_RET, i == 50 ? 1000000 : 1000, 0);
	}
	/* pid 7, target 1: 3 calls of exactly 5000 ns; a return without its
	 * entry is not timed, an entry without return is a call */
	for (int i = 0; i < 3; i++) {
		feed(a, 7, 1, FT_ENTRY, 0, 0);
		feed(a, 7, 1, FT_RET, 5000, 0);
	}
	feed(a, 7, 1, FT_RET, 777777, FT_F_NO_ENTRY);
	feed(a, 7, 1, FT_ENTRY, 0, 0);
	/* a truncated record is ignored */
	top_agg_event(a, "short", 5);
	CHECK_EQ(src.snapshot(src.ctx, &rows, &n), 0);
	CHECK_EQ(n, 2);
	r = find(rows, n, 7, 0);
	CHECK(r != NULL);
	if (r) {
		CHECK_EQ(r->calls, 100);
		CHECK_EQ(r->timed, 100);
		CHECK_EQ(r->total_ns, 99 * 1000 + 1000000);
		CHECK(r->p99_ns >= 1000 && r->p99_ns <= 1125);
		CHECK_STR(r->comm, "p7");
	}
	r = find(rows, n, 7, 1);
	CHECK(r != NULL);
	if (r) {
		CHECK_EQ(r->calls, 4);
		CHECK_EQ(r->timed, 3);
		CHECK_EQ(r->total_ns, 15000);
		CHECK_EQ(r->p99_ns, 5000);	/* capped at the slowest call: exact */
	}
	/* 300 more rows: the table grows and keeps every count */
	for (uint32_t p = 100; p < 400; p++)
		for (uint32_t k = 0; k <= p % 3; k++)
			feed(a, p, 2, FT_ENTRY, 0, 0);
	CHECK_EQ(src.snapshot(src.ctx, &rows, &n), 0);
	CHECK_EQ(n, 302);
	r = find(rows, n, 7, 0);
	CHECK(r && r->calls == 100);
	for (uint32_t p = 100; p < 400; p++) {
		r = find(rows, n, p, 2);
		CHECK(r && r->calls == p % 3 + 1 && r->timed == 0);
	}
	CHECK_EQ(src.reset(src.ctx), 0);
	CHECK_EQ(src.snapshot(src.ctx, &rows, &n), 0);
	CHECK_EQ(n, 0);
	feed(a, 7, 0, FT_ENTRY, 0, 0);
	CHECK_EQ(src.snapshot(src.ctx, &rows, &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(rows[0].calls, 1);
	CHECK_EQ(rows[0].timed, 0);
	top_agg_free(a);
}

/* the live view's options (cli.c) */
static int parse(const char *line, struct ft_cli *cli, struct ft_err *err)
{
	static char buf[512];
	static char *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "ftrace %s", line);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err->msg[0] = 0;
	return cli_parse(argc, argv, cli, err);
}

static void test_cli(void)
{
	struct ft_cli c;
	struct ft_err e;

	CHECK_EQ(parse("user x f --top", &c, &e), 0);
	CHECK(c.top && !c.batch);
	CHECK_EQ(c.interval_ms, 0);
	CHECK_EQ(parse("user x f --top --batch -i 0.5 -n 3", &c, &e), 0);
	CHECK(c.top && c.batch);
	CHECK_EQ(c.interval_ms, 500);
	CHECK_EQ(c.iterations, 3);
	CHECK_EQ(parse("user x f --top --interval=2.25 --iterations 1", &c, &e), 0);
	CHECK_EQ(c.interval_ms, 2250);
	CHECK_EQ(parse("user x f --top -i 3600", &c, &e), 0);
	CHECK_EQ(c.interval_ms, 3600000);
	CHECK_EQ(parse("user x f --top -i 0.1", &c, &e), 0);
	CHECK_EQ(c.interval_ms, 100);
	static const char *const bad_iv[] = { "0", "0.09", "3600.001", "1.2345", ".5",
					      "1.", "-1", "1e3", "abc", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad_iv) / sizeof(bad_iv[0]); i++) {
		char line[96], msg[128];

		snprintf(line, sizeof(line), "user x f --top -i %s", bad_iv[i]);
		snprintf(msg, sizeof(msg), "invalid interval '%s': expected seconds from "
			 "0.1 to 3600 (e.g. 1 or 0.5)", bad_iv[i]);
		CHECK_EQ(parse(line, &c, &e), -EINVAL);
		CHECK_STR(e.msg, msg);
	}
	CHECK_EQ(parse("user x f --batch", &c, &e), -EINVAL);
	CHECK_STR(e.msg, "--batch needs --top");
	CHECK_EQ(parse("user x f -n 2", &c, &e), -EINVAL);
	CHECK_STR(e.msg, "--iterations needs --top");
	CHECK_EQ(parse("user x f -i 2", &c, &e), -EINVAL);
	CHECK_STR(e.msg, "--interval needs --top, --stats or --hist");
	CHECK_EQ(parse("user x f --top -n 0", &c, &e), -EINVAL);
	CHECK_STR(e.msg, "invalid iterations '0': expected a positive number");
	CHECK_EQ(parse("user x f --top -l 5", &c, &e), -EINVAL);
	CHECK_STR(e.msg, "--limit counts printed events; --top prints none "
		  "(use --iterations with --batch)");
}

int main(void)
{
	test_cli();
	test_agg();
	test_rates();
	test_sort_filter();
	test_render();
	test_fmt_hist();
	return check_done("top");
}
