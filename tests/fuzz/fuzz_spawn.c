// SPDX-License-Identifier: MIT
/* libFuzzer target: the traced command's parsers of outside input: -c's word
 * splitting, /etc/passwd + /etc/group for -u (input: the name, a NUL, the
 * passwd text, a NUL, the group text), and -f's tracepoint format files
 * (the whole input as a format, the first word as the field). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "follow.h"
#include "spawn.h"
#include "user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *pw, *gr, **argv = NULL, login[64];
	struct spawn_user u;
	struct ft_err err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = 0;
	if (!spawn_split(buf, &argv, &err)) {
		size_t n = 0;

		while (argv[n])
			(void)strlen(argv[n++]);
		if (!n)
			abort();
		free(argv);
	}
	pw = buf + strlen(buf) + 1;
	gr = pw + strlen(pw) + 1;
	if (gr > buf + size + 2)
		gr = buf + size + 2;
	if (!user_from_passwd(pw, buf, &u, login, sizeof(login))) {
		if (u.ngroups != 1 || strlen(login) >= sizeof(login))
			abort();
		user_groups(gr, login, &u);
		if (u.ngroups > SPAWN_MAX_GROUPS)
			abort();
	}
	{
		uint32_t off, sz;

		tp_field(pw, buf, &off, &sz);
		tp_field(buf, "child_pid", &off, &sz);
	}
	free(buf);
	return 0;
}
