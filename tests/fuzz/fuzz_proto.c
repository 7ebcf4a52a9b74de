// SPDX-License-Identifier: MIT
/* libFuzzer target: the prototype parser, and the value formatter on the
 * parsed prototype with the input's bytes as a record's registers and
 * string data. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "err.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t regs[ARCH_PT_REGS_SIZE];
	struct ft_err err = { "" };
	struct ft_ext x = { 0 };
	struct ft_proto p;
	char *s = malloc(size + 1);
	size_t off = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (proto_parse(s, &p, &err)) {
		if (!err.msg[0] || strchr(err.msg, '\n'))
			abort();	/* one line, always */
		free(s);
		return 0;
	}
	if (p.nargs > ARCH_NARG_SLOTS || strnlen(p.name, sizeof(p.name)) == sizeof(p.name))
		abort();
	memcpy(regs, data, size < sizeof(regs) ? size : sizeof(regs));
	for (unsigned int i = 0; i < p.nargs; i++) {
		x.len[i] = (uint16_t)(size > i ? data[i] * 3 : 0);
		if (size > 8 && (data[8] >> i) & 1)
			x.err |= (uint16_t)(1u << i);
	}
	for (unsigned int i = 0; i < p.nargs; i++) {
		char out[PROTO_VAL_MAX];
		struct proto_val v;

		if (proto_arg_value(&p, i, regs, &x, data, size, &off, &v))
			break;
		if (proto_val_text(&v, out, sizeof(out)) >= sizeof(out))
			abort();
	}
	free(s);
	return 0;
}
