/* SPDX-License-Identifier: MIT */
/* errno names for syscall return values ("EBADF" for 9). */
#ifndef FTRACE_ERRNAMES_H
#define FTRACE_ERRNAMES_H

/* The name of errno e (1..133, the kernel's 512..519), NULL if none. */
const char *errno_name(long e);

#endif
