/* SPDX-License-Identifier: MIT */
/* Turning ring-buffer records into text lines. Pure: no I/O. */
#ifndef FTRACE_FORMAT_H
#define FTRACE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sc_table;

struct fmt_opts {
	const char *const *labels;	/* label of target i: "libc.so.6:malloc" */
	size_t nlabels;
	bool timestamps;		/* prefix wall-clock time of the event */
	int64_t mono_to_real_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int utc_offset_s;		/* local time zone offset, for -t */
	bool comm;			/* [comm:PID,TID] instead of [PID,TID] */
	const struct sc_table *sc;	/* syscall targets' prototypes (syscalls.h) */
};

/* Registers of a record, by the architecture's names (arch/): the entry
 * registers (arguments), the return register, syscall-wrapper arguments. */
size_t fmt_nregs(void);
const char *fmt_reg(const uint8_t *regs, size_t i, uint64_t *val);
const char *fmt_ret_reg(const uint8_t *regs, uint64_t *val);
size_t fmt_nsysargs(void);
uint64_t fmt_sysarg(const uint8_t *inner, size_t i);

/* Check a record's size, type and target; 0 or -EINVAL. */
int fmt_check(const struct fmt_opts *o, const void *rec, size_t len);

/* The comm of a record as printable text (NUL-terminated, at most 15
 * bytes; control bytes as '?'), for the text format. */
void fmt_comm(const char comm[16], char out[16]);

/* Longest line format_event can produce. */
#define FMT_LINE_MAX 1024

/* Format one record into out (at least FMT_LINE_MAX bytes), newline
 * included. Returns the length, or -EINVAL for a malformed record (too
 * short, unknown type, target out of range). */
int format_event(const struct fmt_opts *o, const void *rec, size_t len, char *out);

/* "0.000001523" for 1523 ns: seconds with nine decimals, exact. */
size_t format_seconds(char *out, uint64_t ns);

#endif
