/* SPDX-License-Identifier: MIT */
/* riscv64: struct pt_regs { epc, ra, sp, gp, tp, t0-t2, s0, s1, a0-a7, ... }
 * (arch/riscv/include/asm/ptrace.h): 36 unsigned longs. */
#ifndef FTRACE_ARCH_RISCV64_H
#define FTRACE_ARCH_RISCV64_H

#define ARCH_NAME		"riscv64"
#define ARCH_ELF_MACHINE	243	/* EM_RISCV */
#define ARCH_ELF_CLASS64	1
#define ARCH_WORD_SIZE		8
#define ARCH_PT_REGS_SIZE	288	/* 36 * 8 */
#define ARCH_MULTIARCH		"riscv64-linux-gnu"
/* Instruction prefixes, and those the kernel's uprobe decoder refuses at a
 * probe (x86: is_prefix_bad(), LOCK and segment overrides): a function a
 * pattern matched that starts with one is skipped without asking the
 * kernel. Empty: the kernel is asked. */
#define ARCH_INSN_PREFIXES	""
#define ARCH_UPROBE_BAD_PREFIXES	""
#define ARCH_THUMB_HAZARD	0	/* no Thumb-like mode */
#define ARCH_SYSCALL_PREFIX	"__riscv_sys_"
#define ARCH_WRAPPER_ARG_SLOT	10	/* a0 */

/* where fentry/fexit put a function's arguments and return value, so their
 * records read like pt_regs ones (calling convention order) */
#define ARCH_ARG_SLOTS		10, 11, 12, 13, 14, 15, 16, 17
#define ARCH_NARG_SLOTS		8
#define ARCH_RET_SLOT		10

/* --stack: where the return address is at a function's first instruction:
 * a pt_regs slot, or (-1) the word at the stack pointer (slot SP) */
#define ARCH_ENTRY_RA_SLOT	1
#define ARCH_ENTRY_SP_SLOT	2

#ifndef __bpf__
#define ARCH_ENTRY_REGS \
	{ "ra", 1 }, { "a0", 10 }, { "a1", 11 }, { "a2", 12 }, { "a3", 13 }, \
	{ "a4", 14 }, { "a5", 15 }, { "a6", 16 }, { "a7", 17 }
#define ARCH_RET_REG		{ "a0", 10 }
#define ARCH_SP_SLOT		2
#define ARCH_IP_SLOT		0
#define ARCH_SYSCALL_ARG_SLOTS	10, 11, 12, 13, 14, 15
#endif

#endif
