/* SPDX-License-Identifier: MIT */
/* Error context: modules return -errno and describe the failure here;
 * only ftrace.c prints it. */
#ifndef FTRACE_ERR_H
#define FTRACE_ERR_H

struct ft_err {
	char msg[1024];
};

/* Format a message into e (if e is non-NULL) and return err (negative). */
int ft_errf(struct ft_err *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
