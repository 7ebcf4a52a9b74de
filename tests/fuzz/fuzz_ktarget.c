// SPDX-License-Identifier: MIT
/* libFuzzer target: kernel probe-target syntax (SYM, SYM+OFF, 0xADDR). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktarget t;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (ktarget_parse(s, &t) == 0 && t.kind == KTARGET_SYM &&
	    strnlen(t.sym, sizeof(t.sym)) == sizeof(t.sym))
		abort();	/* the name must be NUL-terminated */
	ksym_is_syscall_wrapper(s, "__x64_sys_");
	free(s);
	return 0;
}
