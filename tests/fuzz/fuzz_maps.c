// SPDX-License-Identifier: MIT
/* libFuzzer target: maps_find on /proc/PID/maps text (not NUL-terminated:
 * the input is copied to an exact-size buffer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"libc.so.6", "libc.so", "libc", "/usr/lib/x86_64-linux-gnu/libc.so.6",
		"ls", "/usr/bin/ls", "[heap]", "", "/", "lib.so", ".so",
	};
	char out[4096], small[8];
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		maps_find(buf, size, names[i], out, sizeof(out));
		maps_find(buf, size, names[i], small, sizeof(small));
	}
	free(buf);
	return 0;
}
