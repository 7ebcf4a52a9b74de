// SPDX-License-Identifier: MIT
/* format_event: exact text for crafted records. */
#include <errno.h>
#include <linux/types.h>
#include <string.h>

#include "check.h"
#include "event.h"
#include "format.h"

static const struct arch_reg entry_regs[] = { ARCH_ENTRY_REGS };
static const struct arch_reg ret_reg = ARCH_RET_REG;

static void set_reg(struct ft_event *e, unsigned int slot, uint64_t v)
{
#if ARCH_WORD_SIZE == 8
	memcpy(e->regs + slot * 8, &v, 8);
#else
	uint32_t w = (uint32_t)v;

	memcpy(e->regs + slot * 4, &w, 4);
#endif
}

int main(void)
{
	const char *labels[] = { "libc.so.6:malloc", "app:0x11c0" };
	struct fmt_opts o = { .labels = labels, .nlabels = 2 };
	struct ft_event_args ea;
	struct ft_event *e = &ea.ev;
	char out[FMT_LINE_MAX], want[FMT_LINE_MAX], regs[512] = "";
	size_t n = 0;

	memset(&ea, 0, sizeof(ea));
	e->tgid = 1234;
	e->tid = 1240;
	e->type = FT_ENTRY;
	e->flags = FT_F_FIRST;
	for (size_t i = 0; i < sizeof(entry_regs) / sizeof(entry_regs[0]); i++) {
		set_reg(e, entry_regs[i].slot, 0x10 + i);
		n += snprintf(regs + n, sizeof(regs) - n, "%s%s=0x%zx", i ? ", " : "",
			      entry_regs[i].name, 0x10 + i);
	}
	snprintf(want, sizeof(want), "[1234,1240][libc.so.6:malloc] FIRST ENTRY %s\n", regs);
	CHECK_EQ(format_event(&o, e, sizeof(*e), out), strlen(want));
	CHECK_STR(out, want);

	e->flags = 0;
	e->delta = 323100;
	snprintf(want, sizeof(want),
		 "[1234,1240][libc.so.6:malloc] REENTRY after 0.000323100 seconds %s\n", regs);
	format_event(&o, e, sizeof(*e), out);
	CHECK_STR(out, want);

	/* return: register value, exact nanoseconds, large figures */
	memset(e->regs, 0, sizeof(e->regs));
	e->type = FT_RET;
	e->target = 1;
	e->delta = 12345678901ULL;
	set_reg(e, ret_reg.slot, 0x5786193473d0ULL);
	snprintf(want, sizeof(want), "[1234,1240][app:0x11c0] RET (%s=0x%s) "
		 "exec_time_ns: 12.345678901 seconds\n", ret_reg.name,
		 ARCH_WORD_SIZE == 8 ? "5786193473d0" : "193473d0");
	format_event(&o, e, sizeof(*e), out);
	CHECK_STR(out, want);

	e->flags = FT_F_NO_ENTRY;
	set_reg(e, ret_reg.slot, 0);
	snprintf(want, sizeof(want), "[1234,1240][app:0x11c0] RET (%s=0x0) "
		 "exec_time_ns: unknown (entry not seen)\n", ret_reg.name);
	format_event(&o, e, sizeof(*e), out);
	CHECK_STR(out, want);

	/* malformed records are refused, never over-read */
	CHECK_EQ(format_event(&o, e, sizeof(*e) - 1, out), -EINVAL);
	e->target = 2;
	CHECK_EQ(format_event(&o, e, sizeof(*e), out), -EINVAL);
	e->target = 0;
	e->type = 7;
	CHECK_EQ(format_event(&o, e, sizeof(*e), out), -EINVAL);
	e->type = FT_ENTRY;
	e->flags = FT_F_ARGS;
	CHECK_EQ(format_event(&o, e, sizeof(*e), out), -EINVAL);
	CHECK(format_event(&o, e, sizeof(ea), out) > 0);
	CHECK(strstr(out, " args=(0x0, 0x0, 0x0, 0x0, 0x0, 0x0)\n") != NULL);

	/* -t: wall clock from the monotonic stamp */
	e->flags = FT_F_FIRST;
	e->ts = 5000000001ULL;
	o.timestamps = true;
	o.mono_to_real_ns = (int64_t)(3600 + 2 * 60 + 3) * 1000000000LL - 5000000000LL;
	format_event(&o, e, sizeof(*e), out);
	CHECK(!strncmp(out, "01:02:03.000000001 [1234,1240]", 30));

	format_seconds(out, 0);
	CHECK_STR(out, "0.000000000");
	format_seconds(out, 1500);
	CHECK_STR(out, "0.000001500");
	format_seconds(out, UINT64_MAX);
	CHECK_STR(out, "18446744073.709551615");
	return check_done("test_format");
}
