/* SPDX-License-Identifier: MIT */
/* armv7l (ARM EABI, A32): pt_regs is unsigned long uregs[18]. */
#ifndef FTRACE_ARCH_ARMV7L_H
#define FTRACE_ARCH_ARMV7L_H

#define ARCH_NAME		"armv7l"
#define ARCH_ELF_MACHINE	40	/* EM_ARM */
#define ARCH_ELF_CLASS64	0
#define ARCH_WORD_SIZE		4
#define ARCH_PT_REGS_SIZE	72	/* 18 * 4 */
#define ARCH_MULTIARCH		"arm-linux-gnueabihf"
/* Thumb-2 code exists here: uprobes on it, and uretprobes on functions it
 * calls, corrupt or kill the process (measured on Debian armhf 6.1) */
/* Instruction prefixes, and those the kernel's uprobe decoder refuses at a
 * probe (x86: is_prefix_bad(), LOCK and segment overrides): a function a
 * pattern matched that starts with one is skipped without asking the
 * kernel. Empty: the kernel is asked. */
#define ARCH_INSN_PREFIXES	""
#define ARCH_UPROBE_BAD_PREFIXES	""
#define ARCH_THUMB_HAZARD	1
#define ARCH_SYSCALL_PREFIX	"sys_"
#define ARCH_WRAPPER_ARG_SLOT	(-1)	/* 32-bit ARM has no pt_regs syscall wrappers */

/* where fentry/fexit put a function's arguments and return value, so their
 * records read like pt_regs ones (calling convention order) */
#define ARCH_ARG_SLOTS		0, 1, 2, 3
#define ARCH_NARG_SLOTS		4
#define ARCH_RET_SLOT		0

/* --stack: where the return address is at a function's first instruction:
 * a pt_regs slot, or (-1) the word at the stack pointer (slot SP) */
#define ARCH_ENTRY_RA_SLOT	14
#define ARCH_ENTRY_SP_SLOT	13

#ifndef __bpf__
#define ARCH_ENTRY_REGS \
	{ "r0", 0 }, { "r1", 1 }, { "r2", 2 }, { "r3", 3 }, \
	{ "r4", 4 }, { "r5", 5 }, { "r6", 6 }, { "sp", 13 }, { "lr", 14 }
#define ARCH_RET_REG		{ "r0", 0 }
#define ARCH_SP_SLOT		13
#define ARCH_IP_SLOT		15
#define ARCH_SYSCALL_ARG_SLOTS	0, 1, 2, 3, 4, 5
#endif

#endif
