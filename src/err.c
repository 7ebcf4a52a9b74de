// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int ft_errf(struct ft_err *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err;
}
