/* SPDX-License-Identifier: MIT */
/* Targets that name many functions: fnmatch(3) patterns ("str*",
 * "*alloc*", "[a-c]*") and the --exclude patterns that thin them out. */
#ifndef FTRACE_GLOB_H
#define FTRACE_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* s holds a pattern character: '*', '?' or '['. */
bool glob_is_pattern(const char *s);

/* name matches pattern (fnmatch, no flags). */
bool glob_match(const char *pattern, const char *name);

/* name matches one of the n exclude patterns. */
bool glob_excluded(char *const *excl, size_t n, const char *name);

#endif
