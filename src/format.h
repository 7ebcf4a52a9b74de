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
	/* prototypes and --stack (NULL: none) */
	const struct ft_proto *const *protos;	/* of target i, or NULL */
	const uint8_t *tflags;		/* of target i: FMT_T_* */
	/* a stack frame as "lib:func+0xoff" into out (cap bytes); the
	 * symbolizer (symbolize.c), kept behind a pointer: format.c stays pure */
	size_t (*frame)(void *ctx, uint32_t pid, uint64_t addr, bool kernel,
			char *out, size_t cap);
	void *frame_ctx;
	const struct sc_table *sc;	/* syscall targets' prototypes (syscalls.h) */
};

#define FMT_T_RA	0x01	/* a probe at function entry: the return
				 * address is the caller's frame */
#define FMT_T_KSTACK	0x02	/* --stack: its frames are kernel addresses */

struct ft_proto;
struct ft_ext;

/* The frames of an entry record with a stack, innermost first: the
 * captured ones plus, at function entry, the caller (the frame-pointer
 * walk starts at the caller's caller there). Returns how many (at most
 * max), 0 when the record has none. */
size_t fmt_frames(const struct fmt_opts *o, const void *rec, size_t len,
		  uint64_t *out, size_t max);

/* Whether target's --stack frames are kernel addresses. */
bool fmt_kstack(const struct fmt_opts *o, uint32_t target);

/* A frame's text: the symbolizer's, else 0xADDR. */
size_t fmt_frame(const struct fmt_opts *o, uint32_t pid, uint64_t addr, bool kernel,
		 char *out, size_t cap);
#define FMT_FRAME_MAX	320

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
#define FMT_LINE_MAX 32768

/* Format one record into out (at least FMT_LINE_MAX bytes), newline
 * included. Returns the length, or -EINVAL for a malformed record (too
 * short, unknown type, target out of range). */
int format_event(const struct fmt_opts *o, const void *rec, size_t len, char *out);

/* "0.000001523" for 1523 ns: seconds with nine decimals, exact. */
size_t format_seconds(char *out, uint64_t ns);

#endif
