/* SPDX-License-Identifier: MIT */
/* Syscalls through tracepoints, user side: which targets are syscalls,
 * their prototypes from the tracepoints' format files (tracefs), the
 * sc_targets/sc_nr maps (src/syscalls.bpf.h) -- syscalls.c; parsing the
 * format files and turning the records (src/sc_event.h) into
 * "lseek(fd=0x3039, offset=0x1234, whence=0x7)" and "-9 EBADF" --
 * scformat.c; the same as JSON -- sc_json.c. */
#ifndef FTRACE_SYSCALLS_H
#define FTRACE_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ft_err;
struct ft_bpf;
struct ft_loader;
struct ft_target;
struct ft_targets;
struct ft_event;

#define SC_MAX_ARGS	6

struct sc_arg {
	char name[32];
	char type[64];		/* "const char *" */
	uint32_t off, size;	/* in the sys_enter record */
	bool is_signed;
	bool is_str;		/* a C string, read in the kernel */
	bool is_int;		/* int-sized: shown in 32 bits */
};

struct sc_proto {
	char name[64];		/* "openat" */
	unsigned int nargs;
	struct sc_arg args[SC_MAX_ARGS];
	uint32_t ret_off, ret_size;	/* in the sys_exit record */
	uint8_t str_arg[3];	/* FT_SC_NSTR: argument index + 1, 0: none */
	bool addr_ret;		/* returns an address (mmap): hex */
};

/* Per target: its prototype, NULL for a target that is not a syscall. */
struct sc_table {
	struct sc_proto **by_target;
	size_t n;
};

/* Parse a syscalls:sys_enter_NAME format file into p (name not set): the
 * fields after __syscall_nr. 0, or -EINVAL for a file that is not one. */
int sc_format_parse(const char *fmt, struct sc_proto *p);

/* The ret field of a sys_exit format file. 0 or -EINVAL. */
int sc_exit_parse(const char *fmt, struct sc_proto *p);

/* The syscall a kernel target may name: "syscall:NAME", the wrapper
 * "__x64_sys_NAME" (this architecture's prefix), "sys_NAME",
 * "__se_sys_NAME", "__do_sys_NAME"; NULL if none. */
const char *sc_name_of(const char *target);

/* Kernel mode: look every syscall target up in tracefs (those given as
 * syscall:NAME, and with wrappers all those named like a syscall function
 * that has tracepoints); such targets get t->syscall and their tracepoint
 * ids. With only, a target that is not a syscall is an error. *n: how
 * many are syscalls. */
int sc_prepare(struct ft_targets *ts, struct sc_table *tab, bool wrappers,
	       bool only, size_t *n, struct ft_err *err);

/* ftrace syscall [NAME|GLOB...]: a target per matching syscall (every one
 * without patterns), sorted by name. */
int sc_expand(char *const *pats, int npats, char *const *excl, size_t nexcl,
	      bool want_ret, struct ft_targets *ts, struct sc_table *tab,
	      struct ft_err *err);

/* Fill a kernel-mode target for "syscall:NAME" (resolve_kernel). */
int sc_target_init(struct ft_target *t, const char *text, bool want_ret,
		   struct ft_err *err);

void sc_table_free(struct sc_table *tab);

/* tracefs event ids of raw_syscalls:sys_enter and sys_exit */
int sc_raw_ids(uint32_t *enter, uint32_t *exit, struct ft_err *err);

/* Write the sc_targets map (string arguments) and, for targets attached
 * through raw_syscalls, the sc_nr map. */
int sc_maps_setup(const struct ft_loader *l, struct ft_bpf *b,
		  const struct ft_targets *ts, const struct sc_table *tab,
		  struct ft_err *err);

/* For the output files: target's prototype (NULL: not a syscall), an
 * argument's value, string argument arg of a record (NULL: none, or
 * unreadable), the return value. */
const struct sc_proto *sc_proto_of(const struct sc_table *tab, uint32_t target);
uint64_t sc_arg_value(const struct sc_arg *a, const uint8_t *rec);
const char *sc_str_of(const void *rec, size_t len, const struct sc_proto *pr,
		      unsigned int arg);
int64_t sc_ret_value(const struct sc_proto *pr, const struct ft_event *e);

/* The call or return of a record with FT_F_SC, from just after the label
 * up to end: "lseek(fd=0x3039, ...)" or "ret=-9 EBADF". Returns the new
 * end of the text. */
char *sc_put_call(const struct sc_table *tab, const void *rec, size_t len,
		  char *p, char *end);
char *sc_put_ret(const struct sc_table *tab, const struct ft_event *e, char *p,
		 char *end);

/* JSON members: ,"syscall":"lseek","args":{...} or ,"ret":-9,"errno":"EBADF" */
void sc_json_call(FILE *f, const struct sc_table *tab, const void *rec, size_t len);
void sc_json_ret(FILE *f, const struct sc_table *tab, const struct ft_event *e);

#endif
