/* SPDX-License-Identifier: MIT */
/* The syscall tracepoints' part of the contract between probe.bpf.c
 * (src/syscalls.bpf.h) and user space (src/syscalls.c). A syscall event is
 * an ordinary struct ft_event whose regs[] hold the start of the tracepoint
 * record instead of a pt_regs: the sys_enter record (its arguments) or the
 * sys_exit record (the return value). Per-syscall (syscalls:sys_enter_NAME)
 * and raw_syscalls:sys_enter records have the same layout: a trace_entry
 * header, the syscall number, then unsigned long args[6] (enter) or long
 * ret (exit), at FT_SC_ARGS_OFF. */
#ifndef FTRACE_SC_EVENT_H
#define FTRACE_SC_EVENT_H

#define FT_F_SC			0x4000	/* regs[] hold a syscall tracepoint record */
#define FT_F_SC_STR		0x8000	/* ENTRY: struct ft_sc_strs follows */

#define FT_SC_REC		64	/* record bytes copied into regs[] */
#define FT_SC_ARGS_OFF		(ARCH_WORD_SIZE == 8 ? 16 : 12)
#define FT_SC_NSTR		3	/* string arguments read per call */
#define FT_SC_STRLEN		256	/* bytes of each, NUL included */
#define FT_SC_NR_MAX		1024	/* syscall numbers in the nr map */

/* sc_targets map value, by target index: which arguments are strings */
struct ft_sc_target {
	__u8 str_arg[FT_SC_NSTR];	/* argument index + 1, 0: none */
	__u8 nstr;
};

/* An ENTRY with FT_F_SC_STR: the strings, NUL-terminated; ev.pad has bit
 * k set when string k could not be read. */
struct ft_sc_event {
	struct ft_event ev;
	char str[FT_SC_NSTR][FT_SC_STRLEN];
};

#endif
