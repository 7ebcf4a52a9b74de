// SPDX-License-Identifier: MIT
#include <asm/unistd.h>
#include <stddef.h>
#include <string.h>

#include "sysnr.h"

struct nr_name {
	const char *name;
	int nr;
};

/* gen/sysnr.inc: SYSNR(name) for every __NR_name of <asm/unistd.h> */
#define SYSNR(n) { #n, __NR_##n },
static const struct nr_name table[] = {
#include "sysnr.inc"
};

int sysnr_of(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return table[i].nr;
	return -1;
}
