/* SPDX-License-Identifier: MIT */
/* The seam between ftrace and whatever loads the BPF object into the
 * kernel. The built-in loader (load.c) speaks bpf(2) directly; a libbpf-backed
 * loader can sit beside it behind the same operations. */
#ifndef FTRACE_LOADER_H
#define FTRACE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ft_err;
struct ft_bpf;			/* a loaded object, owned by its loader */

struct ft_load_opts {
	const void *obj;	/* the BPF ELF image */
	size_t obj_sz;
	uint32_t ringbuf_bytes;	/* power of two, multiple of the page size */
	uint32_t max_targets;
	uint32_t agg_entries;	/* size of the agg map (-s), 0: the blob's */
	uint32_t agg_tgt_entries; /* the agg_tgt array (-s without --by) */
	uint32_t held_entries;	/* size of the held map (--min-duration) */
	uint32_t stack_entries;	/* --by stack: the stackmap and stack_keys */
	int log_level;		/* verifier log kept on success: 0 none,
				 * 1 statistics, 2 everything */
	const char *lib_path;	/* libbpf loader: the library, NULL: default */
	bool tracepoints;	/* also load the tracepoint programs (-f) */
	bool flight;		/* records to the perf buffers of the "flight"
				 * map (--flight-recorder), not the ring */
	unsigned int multi;	/* also load the multi-probe programs: FT_LOAD_* */
};

#define FT_LOAD_UMULTI	1	/* uprobe_multi: ft_umulti_entry/return */
#define FT_LOAD_KMULTI	2	/* kprobe_multi: ft_kmulti_entry/return */

enum ft_probe_kind { FT_PROBE_UPROBE, FT_PROBE_KPROBE, FT_PROBE_FENTRY,
		     FT_PROBE_TRACEPOINT };

struct ft_probe {
	enum ft_probe_kind kind;
	bool ret;		/* return probe */
	const char *path;	/* uprobe: file; kprobe, fentry: symbol;
				 * tracepoint: "category/name" */
	uint64_t offset;	/* uprobe: file offset; kprobe: offset from
				 * symbol, or absolute address if path==NULL;
				 * tracepoint: its tracefs id */
	const char *prog;	/* tracepoint: the program to run */
	pid_t pid;		/* uprobe: -1 for every process */
	uint64_t cookie;
};

struct ft_loader {
	const char *name;
	int (*load)(const struct ft_load_opts *opts, struct ft_bpf **out,
		    struct ft_err *err);
	/* fd of a map of the object ("events", "config", ...) or -ENOENT */
	int (*map_fd)(struct ft_bpf *b, const char *name);
	/* verifier log of the last load (may be empty) */
	const char *(*log)(struct ft_bpf *b);
	int (*attach)(struct ft_bpf *b, const struct ft_probe *p, struct ft_err *err);
	/* fd of a loaded program by name, or -errno (-ENOENT: not loaded) */
	int (*prog_fd)(struct ft_bpf *b, const char *name);
	/* take ownership of a link fd made elsewhere (the multi-probe
	 * mechanisms); closed with the rest. 0 or -ENOMEM (fd then closed) */
	int (*keep_fd)(struct ft_bpf *b, int fd);
	/* how many links are held; rollback() closes those added since */
	size_t (*mark)(struct ft_bpf *b);
	void (*rollback)(struct ft_bpf *b, size_t mark);
	/* close every probe; maps stay readable */
	void (*detach)(struct ft_bpf *b);
	/* detach everything and free */
	void (*destroy)(struct ft_bpf *b);
	/* what does the loading, e.g. "libbpf 1.1 (/usr/lib/...)"; optional */
	const char *(*describe)(struct ft_bpf *b);
};

extern const struct ft_loader ft_loader_builtin;
/* libbpf, dlopen'd at run time (load_libbpf.c) */
extern const struct ft_loader ft_loader_libbpf;

/* Open libbpf (path, or NULL: libbpf.so.1, then libbpf.so.0) and describe it
 * in buf ("libbpf 1.1 (/usr/lib/x86_64-linux-gnu/libbpf.so.1)"). -errno and
 * one line in err when it is missing, too old or cannot be loaded. */
int ft_libbpf_probe(const char *path, char *buf, size_t size, struct ft_err *err);

#endif
