// SPDX-License-Identifier: MIT
/* Syscall tracepoints: the JSON members of records (sink_json.c). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "errnames.h"
#include "event.h"
#include "sc_event.h"
#include "sink.h"
#include "syscalls.h"

void sc_json_call(FILE *f, const struct sc_table *tab, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	const struct sc_proto *pr = sc_proto_of(tab, e->target);

	if (!pr)
		return;
	fputs(",\"syscall\":", f);
	json_str(f, pr->name, strlen(pr->name));
	fputs(",\"args\":{", f);
	for (unsigned int i = 0; i < pr->nargs; i++) {
		const struct sc_arg *a = &pr->args[i];
		const char *s = a->is_str ? sc_str_of(rec, len, pr, i) : NULL;

		fprintf(f, "%s", i ? "," : "");
		json_str(f, a->name, strlen(a->name));
		putc(':', f);
		if (s)
			json_str(f, s, strnlen(s, FT_SC_STRLEN));
		else
			fprintf(f, "\"0x%" PRIx64 "\"", sc_arg_value(a, e->regs));
	}
	putc('}', f);
}

void sc_json_ret(FILE *f, const struct sc_table *tab, const struct ft_event *e)
{
	const struct sc_proto *pr = sc_proto_of(tab, e->target);
	int64_t r = sc_ret_value(pr, e);
	const char *en = r < 0 && r >= -4095 ? errno_name((long)-r) : NULL;

	fprintf(f, ",\"ret\":%" PRId64, r);
	if (en)
		fprintf(f, ",\"errno\":\"%s\"", en);
	else if (r < 0 && r >= -4095)
		fputs(",\"errno\":null", f);
}
