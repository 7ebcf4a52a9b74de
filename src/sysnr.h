/* SPDX-License-Identifier: MIT */
/* Syscall numbers by name, for the raw_syscalls tracepoints (ftrace
 * syscall): the table is generated at build time from the compiler's
 * <asm/unistd.h> for the target architecture (Makefile: gen/sysnr.inc). */
#ifndef FTRACE_SYSNR_H
#define FTRACE_SYSNR_H

/* The number of syscall name, or -1 when this architecture has none. */
int sysnr_of(const char *name);

#endif
