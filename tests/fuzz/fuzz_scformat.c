// SPDX-License-Identifier: MIT
/* libFuzzer target: tracefs format files of syscall tracepoints (sys_enter
 * and sys_exit), then a record decoded with what was parsed. The input is
 * the format text; its last FT_SC_REC + 2 * FT_SC_STRLEN bytes (when there
 * are that many) also serve as the record's bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "event.h"
#include "sc_event.h"
#include "syscalls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_proto p;
	struct sc_proto *byt[1] = { &p };
	struct sc_table tab = { byt, 1 };
	struct ft_sc_event se;
	char *s = malloc(size + 1), line[1024];
	size_t n = size < sizeof(se) ? size : sizeof(se);
	char *end;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	memset(&p, 0, sizeof(p));
	memset(&se, 0, sizeof(se));
	memcpy(&se, data + size - n, n);
	se.ev.target = 0;
	if (!sc_format_parse(s, &p)) {
		if (p.nargs > SC_MAX_ARGS)
			abort();
		for (unsigned int i = 0; i < p.nargs; i++)
			if (p.args[i].off + p.args[i].size > FT_SC_REC)
				abort();
		end = sc_put_call(&tab, &se, n, line, line + sizeof(line) - 1);
		if (end < line || end > line + sizeof(line) - 1)
			abort();
	}
	if (!sc_exit_parse(s, &p)) {
		if (p.ret_off + p.ret_size > FT_SC_REC)
			abort();
		end = sc_put_ret(&tab, &se.ev, line, line + 64);
		if (end > line + 64)
			abort();
	}
	free(s);
	return 0;
}
