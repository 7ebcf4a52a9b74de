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
	bool verbose;		/* keep the verifier log even on success */
};

enum ft_probe_kind { FT_PROBE_UPROBE, FT_PROBE_KPROBE, FT_PROBE_FENTRY };

struct ft_probe {
	enum ft_probe_kind kind;
	bool ret;		/* return probe */
	const char *path;	/* uprobe: file; kprobe, fentry: symbol */
	uint64_t offset;	/* uprobe: file offset; kprobe: offset from
				 * symbol, or absolute address if path==NULL */
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
	/* close every probe; maps stay readable */
	void (*detach)(struct ft_bpf *b);
	/* detach everything and free */
	void (*destroy)(struct ft_bpf *b);
};

extern const struct ft_loader ft_loader_builtin;

#endif
