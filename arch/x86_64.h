/* SPDX-License-Identifier: MIT */
/* x86_64: struct pt_regs layout (arch/x86/include/uapi/asm/ptrace.h) and the
 * registers worth showing at entry (SysV ABI argument order) and return. */
#ifndef FTRACE_ARCH_X86_64_H
#define FTRACE_ARCH_X86_64_H

#define ARCH_NAME		"x86_64"
#define ARCH_ELF_MACHINE	62	/* EM_X86_64 */
#define ARCH_ELF_CLASS64	1
#define ARCH_WORD_SIZE		8
#define ARCH_PT_REGS_SIZE	168	/* 21 * 8 */
#define ARCH_MULTIARCH		"x86_64-linux-gnu"
/* Instruction prefixes, and those the kernel's uprobe decoder refuses at a
 * probe (x86: is_prefix_bad(), LOCK and segment overrides): a function a
 * pattern matched that starts with one is skipped without asking the
 * kernel. Empty: the kernel is asked. */
#define ARCH_INSN_PREFIXES	"\x66\x67\xf2\xf3\xf0\x26\x2e\x36\x3e\x64\x65"
#define ARCH_UPROBE_BAD_PREFIXES	"\xf0\x26\x2e\x36\x3e"
#define ARCH_THUMB_HAZARD	0	/* no Thumb-like mode */
#define ARCH_SYSCALL_PREFIX	"__x64_sys_"
/* pt_regs slot (word index) of the register holding the first argument of a
 * syscall wrapper: __x64_sys_*(const struct pt_regs *regs) */
#define ARCH_WRAPPER_ARG_SLOT	14	/* di */

/* where fentry/fexit put a function's arguments and return value, so their
 * records read like pt_regs ones (calling convention order) */
#define ARCH_ARG_SLOTS		14, 13, 12, 11, 9, 8
#define ARCH_NARG_SLOTS		6
#define ARCH_RET_SLOT		10

/* --stack: where the return address is at a function's first instruction:
 * a pt_regs slot, or (-1) the word at the stack pointer (slot SP) */
#define ARCH_ENTRY_RA_SLOT	(-1)
#define ARCH_ENTRY_SP_SLOT	19

#ifndef __bpf__
#define ARCH_ENTRY_REGS \
	{ "di", 14 }, { "si", 13 }, { "dx", 12 }, { "cx", 11 }, \
	{ "r8", 9 }, { "r9", 8 }, { "r10", 7 }
#define ARCH_RET_REG		{ "ax", 10 }
#define ARCH_SP_SLOT		19
#define ARCH_IP_SLOT		16
/* syscall argument slots in pt_regs, in argument order (di si dx r10 r8 r9) */
#define ARCH_SYSCALL_ARG_SLOTS	14, 13, 12, 7, 9, 8
#endif

#endif
