/* SPDX-License-Identifier: MIT */
/* Command-line parsing. Pure: fills struct ft_cli or describes the error. */
#ifndef FTRACE_CLI_H
#define FTRACE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum ft_mode { FT_MODE_NONE, FT_MODE_USER, FT_MODE_KERNEL, FT_MODE_SYSCALL };
enum ft_format { FT_FORMAT_TEXT, FT_FORMAT_JSON };
enum ft_loader_kind { FT_LOADER_DEFAULT, FT_LOADER_BUILTIN, FT_LOADER_LIBBPF };
/* --by: the values of enum ft_agg_by (event.h) */
enum ft_by { FT_BY_KEY_NONE, FT_BY_KEY_PID, FT_BY_KEY_TID, FT_BY_KEY_COMM,
	FT_BY_KEY_STACK };

/* --stack[=user|kernel|user,kernel]: which stacks (after parsing, a plain
 * --stack is the mode's: user in user mode, else kernel) */
#define FT_STACK_USER	0x1
#define FT_STACK_KERNEL	0x2
#define FT_STACK_MODE	0x100	/* while parsing: a plain --stack */

#define FT_MAX_EXCLUDES	64

#define FT_PID_ALL	0
#define FT_PID_SELF	(-2)	/* the process that started ftrace */

struct ft_cli {
	enum ft_mode mode;
	const char *lib;		/* user mode: library or executable */
	char **targets;			/* syscall mode: may be none (all) */
	int ntargets;
	pid_t pid;			/* FT_PID_ALL, FT_PID_SELF or a PID */
	bool timestamps;
	uint64_t limit;			/* 0: no limit */
	bool no_retprobe;
	bool force;
	const char *mechanism;		/* --mechanism (--fentry), NULL: choose */
	char *excludes[FT_MAX_EXCLUDES];	/* --exclude patterns */
	int nexcludes;
	enum ft_loader_kind loader;	/* --loader */
	const char *libbpf_path;	/* --libbpf-path, NULL: the default */
	uint32_t buffer_size;		/* ring buffer bytes */
	int verbose;
	bool top;			/* --top: the live view */
	bool batch;			/* --batch: top -b style tables */
	uint32_t interval_ms;		/* -i/--interval, 0: not given */
	uint64_t iterations;		/* -n/--iterations, 0: no limit */
	enum ft_format format;		/* --format */
	const char *output;		/* -o/--output FILE, NULL: stdout */
	const char *perfetto;		/* --perfetto FILE */
	bool comm;			/* --comm: [comm:PID,TID] in text */
	bool raw;			/* --raw: no built-in prototypes */
	unsigned int stack;		/* --stack: FT_STACK_*, 0: off */
	bool folded;			/* --folded: -s --by stack, folded lines */
	const char *cmd_str;		/* -c CMD */
	char **cmd;			/* -- CMD ARGS...: NULL-terminated */
	bool follow;			/* -f/--follow: the command's children too */
	const char *user;		/* -u USER: run the command as USER */
	bool stats;			/* -s/--stats: a table of summaries */
	bool hist;			/* --hist: latency histograms */
	enum ft_by by;			/* --by: the summaries' key */
	uint64_t min_dur, max_dur;	/* --min/--max-duration (ns) */
	bool has_min_dur, has_max_dur;
	const char *cgroup;		/* --cgroup PATH: only tasks in it */
	uint64_t flight;		/* --flight-recorder: bytes kept, 0: off */
	bool help, version;
};

#define FT_DEFAULT_FLIGHT (4u << 20)

#define FT_DEFAULT_BUFFER (16u << 20)

struct ft_err;
/* Returns 0 or -EINVAL with a one-line message in err. argv is permuted. */
int cli_parse(int argc, char **argv, struct ft_cli *cli, struct ft_err *err);

/* Strict number parsing used by the CLI and target parsing. */
int parse_u64(const char *s, int base, uint64_t *out);
int parse_size(const char *s, uint64_t *out);	/* 4096, 64K, 16M, 1G */
/* 500ns, 250us, 1ms, 1.5ms, 2s: exact nanoseconds (a fraction that is not
 * a whole number of ns is refused) */
int parse_duration(const char *s, uint64_t *ns);

extern const char ft_usage[];

#endif
