// SPDX-License-Identifier: MIT
/* libFuzzer target: ld.so.cache lookup. Every lookup validates the whole
 * table first, so a few names suffice: a present one (with a roomy and a
 * too-small output buffer), an absent one, the empty name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"libc.so.6", "libnosuch.so.1", "",
	};
	char out[4096], small[8];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ldcache_lookup(data, size, names[i], out, sizeof(out));
	ldcache_lookup(data, size, names[0], small, sizeof(small));
	return 0;
}
