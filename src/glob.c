// SPDX-License-Identifier: MIT
#include <fnmatch.h>
#include <string.h>

#include "glob.h"

bool glob_is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

bool glob_match(const char *pattern, const char *name)
{
	return fnmatch(pattern, name, 0) == 0;
}

bool glob_excluded(char *const *excl, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (glob_match(excl[i], name))
			return true;
	return false;
}
