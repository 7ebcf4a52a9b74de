/* SPDX-License-Identifier: MIT */
/* --stack: addresses to "lib:func+0xoff". User addresses go through the
 * process's mappings (/proc/PID/maps, read when a process is first seen and
 * again on an address no mapping covers) to the mapped file, opened the way
 * the kernel maps it: /proc/PID/map_files/START-END (chroots, mount
 * namespaces, deleted files), else /proc/PID/root/PATH; ELF symbol tables
 * are cached per file (device and inode). Kernel addresses through
 * /proc/kallsyms, loaded on first use. */
#ifndef FTRACE_SYMBOLIZE_H
#define FTRACE_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbolizer;

/* pid > 0: read its mappings now (the process may exit before its events
 * are read). 0 or -ENOMEM. */
int sym_new(int pid, struct symbolizer **out);

/* fmt_opts.frame: "lib:func+0xoff", "lib+0xoff" (file offset) when no
 * symbol covers it, 0 (nothing written) when no mapping does. */
size_t sym_frame(void *ctx, uint32_t pid, uint64_t addr, bool kernel, char *out,
		 size_t cap);

/* Read pid's mappings now unless they are known: 0 or -errno. */
int sym_prefetch(struct symbolizer *s, uint32_t pid);

void sym_free(struct symbolizer *s);

#endif
