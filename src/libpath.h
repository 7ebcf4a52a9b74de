/* SPDX-License-Identifier: MIT */
/* Finding the file behind a name the way the dynamic loader and the shell
 * would: LD_LIBRARY_PATH, /etc/ld.so.cache, ld.so.conf, default dirs, PATH,
 * and what a process actually has mapped. */
#ifndef FTRACE_LIBPATH_H
#define FTRACE_LIBPATH_H

#include <stddef.h>
#include <sys/types.h>

struct libpath_env {		/* everything the lookup reads, for tests */
	const char *root;	/* prefix for every absolute path, "" normally */
	const char *ld_library_path;	/* getenv("LD_LIBRARY_PATH") or NULL */
	const char *path;	/* getenv("PATH") or NULL */
	const char *multiarch;	/* "x86_64-linux-gnu", "arm-linux-gnueabihf",
				 * "riscv64-linux-gnu" */
	int want_machine;	/* e_machine the file must have, 0 = any */
	int want_64;		/* 1: ELFCLASS64, 0: ELFCLASS32, -1: any */
};

/* Resolve name to a path in out (size outsz).
 * - name with a '/': used as is (must exist).
 * - "lib*.so*"-like names (containing ".so"): LD_LIBRARY_PATH, then
 *   ld.so.cache, then ld.so.conf dirs (with include globs), then multiarch
 *   and default dirs (/lib/<ma>, /usr/lib/<ma>, /lib64, /usr/lib64, /lib,
 *   /usr/lib). Candidates of the wrong machine/class are skipped.
 * - other bare names: PATH first, then the library search.
 * Search candidates must be little-endian ELF files (linker scripts such as
 * /usr/lib/<ma>/libc.so are skipped). Absolute names and every searched
 * directory get env->root prepended, and so does the path returned.
 * Returns 0, -ENOENT when nothing matches, -ENAMETOOLONG. */
int libpath_find(const struct libpath_env *env, const char *name,
		 char *out, size_t outsz);

/* Parse an ld.so.cache image (new "glibc-ld.so.cache1.1" format, and the old
 * "ld.so-1.7.0" format with the new one appended) and look name up: the
 * first entry for name, whatever its ABI flags (libpath_find checks the
 * file's machine itself). Never reads outside the buffer; any entry with a
 * string outside it makes the whole cache -EINVAL. Returns 0 and the path,
 * or -ENOENT, -EINVAL, -ENAMETOOLONG (outsz too small). */
int ldcache_lookup(const void *buf, size_t len, const char *name,
		   char *out, size_t outsz);

/* Among the file mappings of /proc/PID/maps (text in buf), find the one
 * whose path equals name, or whose basename equals name, or (for a library
 * name like "libc.so.6") whose basename starts with name's stem; copy its path
 * into out (without a " (deleted)" suffix). Exact path beats basename beats
 * stem; among equals the first line wins. Never reads outside buf. Returns
 * 0, -ENOENT, -ENAMETOOLONG. */
int maps_find(const char *buf, size_t len, const char *name,
	      char *out, size_t outsz);

/* Same on the live process: reads /proc/PID/maps and writes
 * "/proc/PID/root<path>" into out so files in other mount namespaces
 * (containers) resolve. -ESRCH if the process does not exist. */
int libpath_find_in_pid(pid_t pid, const char *name, char *out, size_t outsz);

#endif
