/* SPDX-License-Identifier: MIT */
/* Function prototypes on targets ('open(str path, int flags, oct mode)->int'):
 * parsing, what the BPF program must read for them, and turning a record's
 * registers and strings into typed values. Pure: no I/O. */
#ifndef FTRACE_PROTO_H
#define FTRACE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "event.h"

struct ft_err;

enum proto_type {
	PT_NONE = 0,	/* no return type (or void) */
	PT_INT, PT_UINT, PT_LONG, PT_ULONG, PT_SSIZE, PT_SIZE,
	PT_HEX, PT_PTR, PT_CHAR, PT_BOOL, PT_OCT,
	PT_STR, PT_BUF,
	PT_S8, PT_U8, PT_S16, PT_U16,	/* the low 8/16 bits (kernel BTF) */
	PT_KSTR,	/* a kernel string (bpf_probe_read_kernel_str) */
	PT_KUSTR,	/* a kernel string, else a user one: kernel BTF without
			 * type tags cannot tell 'const char __user *' apart */
	PT_OPAQUE,	/* kernel BTF: not one register (a struct by value...):
			 * shown as <what>, never as a value; the last argument */
};

/* the text of a string type: read from memory at entry */
#define PT_IS_STR(t)	((t) == PT_STR || (t) == PT_KSTR || (t) == PT_KUSTR)

#define PROTO_NAME_MAX	128
#define PROTO_ARG_NAME	32

struct proto_arg {
	enum proto_type type;
	uint16_t len;			/* buf:N; PT_OPAQUE: enum proto_opaque */
	char name[PROTO_ARG_NAME];
};

struct ft_proto {
	char name[PROTO_NAME_MAX];	/* the function */
	unsigned int nargs;
	struct proto_arg args[FT_ARG_SLOTS];
	enum proto_type ret;		/* PT_NONE: none */
	bool more;			/* kernel BTF: more arguments than shown */
};

/* why a kernel BTF argument is PT_OPAQUE */
enum proto_opaque {
	PO_STRUCT, PO_UNION, PO_FLOAT, PO_WIDE, PO_OTHER,
};

/* The prototype as text, in the syntax proto_parse reads (PT_OPAQUE as
 * '<struct> name'). Returns the length; at most cap - 1 bytes and a NUL. */
size_t proto_text(const struct ft_proto *p, char *out, size_t cap);

/* text has a '(': it is a prototype, not a bare target */
bool proto_is(const char *text);

/* Parse text into p; -EINVAL with one line in err naming the bad token and
 * its column. At most ARCH_NARG_SLOTS arguments (those in registers). */
int proto_parse(const char *text, struct ft_proto *p, struct ft_err *err);

/* What the BPF program reads for p: the targets map's arg[] (0 when a
 * slot needs no read). Returns true when some slot needs one. */
bool proto_bpf_args(const struct ft_proto *p, uint16_t arg[FT_ARG_SLOTS]);

/* A built-in prototype for a libc function (protos_builtin.c), or NULL. */
const struct ft_proto *proto_builtin(const char *func);
/* the built-in table, for the tests: its size and each prototype's text */
size_t proto_builtin_count(void);
const char *proto_builtin_text(size_t i);

/* One typed value, from a record. */
enum proto_vkind {
	PV_INT,		/* i */
	PV_UINT,	/* u */
	PV_HEX,		/* u, shown 0x... */
	PV_OCT,		/* u, shown 0644 */
	PV_BOOL,	/* u != 0 */
	PV_CHAR,	/* the byte u */
	PV_NULL,	/* a NULL pointer */
	PV_BYTES,	/* bytes[n] (str, buf); trunc: more were there */
	PV_UNREADABLE,	/* u: the pointer; err: errno */
	PV_OPAQUE,	/* err: enum proto_opaque; shown <struct>... */
};

struct proto_val {
	enum proto_vkind kind;
	int64_t i;
	uint64_t u;
	const uint8_t *bytes;
	size_t n;
	bool trunc;
	int err;
};

/* The register value of argument i (calling-convention order). */
uint64_t proto_arg_reg(const uint8_t *regs, unsigned int i);

/* The value of p's argument i from an entry record; ext NULL when the
 * record carries no strings (then str/buf show their pointer). *off is the
 * running offset into the record's data (start at 0, pass in slot order).
 * -EINVAL when the record's data is too short. */
int proto_arg_value(const struct ft_proto *p, unsigned int i, const uint8_t *regs,
		    const struct ft_ext *ext, const uint8_t *data, size_t data_len,
		    size_t *off, struct proto_val *v);

/* The typed return value. */
void proto_ret_value(enum proto_type t, uint64_t raw, struct proto_val *v);

/* A value as text: "-1", "0644", "\"a\\n\""...; at most cap - 1 bytes and
 * a NUL (cap >= PROTO_VAL_MAX holds any value). Returns the length. */
#define PROTO_VAL_MAX	(FT_STR_MAX * 4 + 64)
size_t proto_val_text(const struct proto_val *v, char *out, size_t cap);

/* C escapes of n bytes into out: \" \\ \n \t \r, other bytes outside
 * 0x20..0x7e as \xNN. out holds 4 * n + 1 bytes. Returns the length. */
size_t proto_escape(const uint8_t *s, size_t n, char *out);

/* The record's ft_ext, data and frames, checked against len: 0, or
 * -EINVAL for a malformed record. */
int proto_ext(const void *rec, size_t len, const struct ft_ext **x,
	      const uint8_t **data, const uint64_t **frames);

#endif
