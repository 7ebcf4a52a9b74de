/* SPDX-License-Identifier: MIT */
/* Selects the target architecture's description. Every per-architecture fact
 * lives in arch/<arch>.h; nothing outside arch/ tests the architecture. */
#ifndef FTRACE_ARCH_H
#define FTRACE_ARCH_H

#if defined(FTRACE_ARCH_x86_64)
#include "x86_64.h"
#elif defined(FTRACE_ARCH_armv7l)
#include "armv7l.h"
#elif defined(FTRACE_ARCH_riscv64)
#include "riscv64.h"
#else
#error "define FTRACE_ARCH_<arch> (x86_64, armv7l, riscv64)"
#endif

#ifndef __bpf__
struct arch_reg {
	const char *name;
	unsigned int slot;	/* word index into struct pt_regs */
};
#endif

#endif
