// SPDX-License-Identifier: MIT
/* libFuzzer target: one /proc/PID/maps line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmap m;
	char *line = malloc(size + 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = 0;
	if (procmap_parse(line, &m) == 0) {
		/* path must point into the line (or be the static "") */
		if (*m.path && (m.path < line || m.path > line + size))
			abort();
		(void)strlen(m.path);
		if (strnlen(m.perms, sizeof(m.perms)) == sizeof(m.perms))
			abort();
	}
	free(line);
	return 0;
}
