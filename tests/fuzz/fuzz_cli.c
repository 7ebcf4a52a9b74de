// SPDX-License-Identifier: MIT
/* libFuzzer target: command-line parsing. The input is an argv, arguments
 * separated by NUL bytes ("user\0libc.so.6\0malloc\0-p\0self"); argv[0] is
 * added. Each argument is also fed to parse_u64 (bases 10 and 16) and
 * parse_size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 0;
	struct ft_cli cli;
	struct ft_err err = { .msg = "" };
	uint64_t v;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[argc++] = "ftrace";
	for (size_t i = 0; i <= size && argc <= MAX_ARGS; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++) {
		parse_u64(argv[i], 10, &v);
		parse_u64(argv[i], 16, &v);
		parse_size(argv[i], &v);
	}
	if (cli_parse(argc, argv, &cli, &err) == 0 && !cli.help && !cli.version) {
		if (cli.mode != FT_MODE_USER && cli.mode != FT_MODE_KERNEL &&
		    cli.mode != FT_MODE_SYSCALL)
			abort();
		/* ftrace syscall alone: every syscall, no target */
		if ((cli.ntargets < 1 && cli.mode != FT_MODE_SYSCALL) || cli.ntargets < 0 ||
		    (cli.ntargets && cli.targets + cli.ntargets > argv + argc))
			abort();
		for (int i = 0; i < cli.ntargets; i++)
			(void)strlen(cli.targets[i]);
	} else if (strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg)) {
		abort();
	}
	free(buf);
	return 0;
}
