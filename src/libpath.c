// SPDX-License-Identifier: MIT
/* Finding the file behind a name: LD_LIBRARY_PATH, /etc/ld.so.cache,
 * /etc/ld.so.conf (with include globs), default dirs, PATH, and the file
 * mappings of a live process.
 *
 * Every absolute path read is prefixed with env->root; the returned path
 * carries the prefix too (it is the file to open). Candidates found by a
 * search (not a name with a '/') must be ELF files of the wanted machine and
 * class, so linker scripts such as /usr/lib/<ma>/libc.so and libraries of
 * another ABI (i386 entries in an x86_64 cache) are skipped. */
#include "libpath.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define CONF_MAX_DEPTH	8		/* nested includes */
#define CONF_MAX_SIZE	(1u << 20)	/* one ld.so.conf file */
#define CACHE_MAX_SIZE	(64u << 20)
#define MAPS_MAX_SIZE	(64u << 20)

/* ---- small helpers --------------------------------------------------- */

static int copy_out(char *out, size_t outsz, const char *s)
{
	size_t n = strlen(s);

	if (n >= outsz)
		return -ENAMETOOLONG;
	memcpy(out, s, n + 1);
	return 0;
}

/* root + path (path absolute), or path as is. */
static int rooted(const struct libpath_env *env, const char *path, char *out,
		  size_t outsz)
{
	const char *root = env->root && path[0] == '/' ? env->root : "";
	int n = snprintf(out, outsz, "%s%s", root, path);

	return n < 0 || (size_t)n >= outsz ? -ENAMETOOLONG : 0;
}

/* Read a whole (small) file into a NUL-terminated malloc'd buffer. */
static bool is_regular(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The file starts with an ELF header of the wanted machine and class. */
static bool elf_matches(const struct libpath_env *env, const char *path)
{
	unsigned char h[20];
	ssize_t n;
	int fd, mach;

	if (!is_regular(path))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "\177ELF", 4) || h[5] != 1)
		return false;	/* not ELF, or not little-endian */
	if (h[4] != 1 && h[4] != 2)
		return false;
	if (env->want_64 >= 0 && (h[4] == 2) != (env->want_64 == 1))
		return false;
	mach = h[18] | h[19] << 8;
	return !env->want_machine || mach == env->want_machine;
}

/* Try dir/name; 0 on a match (path in out), 1 to go on, <0 on error. */
static int try_dir(const struct libpath_env *env, const char *dir, size_t dlen,
		   const char *name, char *out, size_t outsz)
{
	char rel[PATH_MAX], full[PATH_MAX];
	int n;

	if (dlen == 0) {
		dir = ".";
		dlen = 1;
	}
	n = snprintf(rel, sizeof(rel), "%.*s/%s", (int)dlen, dir, name);
	if (n < 0 || (size_t)n >= sizeof(rel) ||
	    rooted(env, rel, full, sizeof(full)))
		return 1;	/* cannot exist */
	if (!elf_matches(env, full))
		return 1;
	return copy_out(out, outsz, full);
}

/* Each ':'-separated directory of list in turn. */
static int try_list(const struct libpath_env *env, const char *list,
		    const char *name, char *out, size_t outsz)
{
	const char *p = list;

	while (p) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);
		int r = try_dir(env, p, dlen, name, out, outsz);

		if (r <= 0)
			return r;
		p = end ? end + 1 : NULL;
	}
	return 1;
}

/* ---- ld.so.cache ----------------------------------------------------- */

#define CACHE_OLD_MAGIC		"ld.so-1.7.0"
#define CACHE_OLD_MAGIC_LEN	11
#define CACHE_OLD_HDR		16	/* magic, pad, u32 nlibs */
#define CACHE_OLD_ENTRY		12	/* i32 flags, u32 key, u32 value */
#define CACHE_NEW_MAGIC		"glibc-ld.so.cache1.1"
#define CACHE_NEW_MAGIC_LEN	20
#define CACHE_NEW_HDR		48	/* magic+version, nlibs, len_strings,
					 * flags, pad[3], ext offset, unused[3] */
#define CACHE_NEW_ENTRY		24	/* flags, key, value, osversion, u64 hwcap */

typedef bool (*cache_accept_fn)(const char *path, void *ctx);

struct cache_view {
	const unsigned char *buf;
	size_t len;
	size_t strbase;		/* string offsets are relative to this */
	size_t entries;		/* offset of the first entry */
	size_t entsize;
	uint32_t nlibs;
};

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);	/* the cache is in host byte order */
	return v;
}

/* The string at strbase + off, or NULL if it is not wholly in the buffer. */
static const char *cache_str(const struct cache_view *v, uint32_t off)
{
	const char *s;

	if (off >= v->len - v->strbase)
		return NULL;
	s = (const char *)v->buf + v->strbase + off;
	if (!memchr(s, '\0', v->len - v->strbase - off))
		return NULL;
	return s;
}

static int cache_view_new(struct cache_view *v, size_t base)
{
	uint64_t end;

	if (v->len - base < CACHE_NEW_HDR)
		return -EINVAL;
	v->nlibs = get32(v->buf + base + 20);
	v->strbase = base;
	v->entries = base + CACHE_NEW_HDR;
	v->entsize = CACHE_NEW_ENTRY;
	end = (uint64_t)v->entries + (uint64_t)v->nlibs * CACHE_NEW_ENTRY;
	return end > v->len ? -EINVAL : 0;
}

static bool has_new_magic(const struct cache_view *v, uint64_t off)
{
	return off <= v->len && v->len - off >= CACHE_NEW_MAGIC_LEN &&
	       !memcmp(v->buf + off, CACHE_NEW_MAGIC, CACHE_NEW_MAGIC_LEN);
}

/* Old format, possibly with the new one after it (aligned to 8 on most
 * ABIs, 4 on i386: try both). */
static int cache_view_old(struct cache_view *v)
{
	uint64_t end, al;

	if (v->len < CACHE_OLD_HDR)
		return -EINVAL;
	v->nlibs = get32(v->buf + 12);
	end = CACHE_OLD_HDR + (uint64_t)v->nlibs * CACHE_OLD_ENTRY;
	if (end > v->len)
		return -EINVAL;
	for (al = 8; al >= 4; al /= 2) {
		uint64_t off = (end + al - 1) & ~(al - 1);

		if (has_new_magic(v, off))
			return cache_view_new(v, (size_t)off);
	}
	v->strbase = (size_t)end;
	v->entries = CACHE_OLD_HDR;
	v->entsize = CACHE_OLD_ENTRY;
	return 0;
}

static int cache_view(const void *buf, size_t len, struct cache_view *v)
{
	memset(v, 0, sizeof(*v));
	v->buf = buf;
	v->len = len;
	if (buf && has_new_magic(v, 0))
		return cache_view_new(v, 0);
	if (buf && len >= CACHE_OLD_MAGIC_LEN &&
	    !memcmp(buf, CACHE_OLD_MAGIC, CACHE_OLD_MAGIC_LEN))
		return cache_view_old(v);
	return -EINVAL;
}

static int cache_entry(const struct cache_view *v, uint32_t i,
		       const char **key, const char **value)
{
	const unsigned char *e = v->buf + v->entries + (size_t)i * v->entsize;

	*key = cache_str(v, get32(e + 4));
	*value = cache_str(v, get32(e + 8));
	return *key && *value ? 0 : -EINVAL;
}

/* First entry for name that accept (if any) takes. The whole table is
 * checked first so a corrupt cache is -EINVAL whatever is looked up. */
static int cache_find(const void *buf, size_t len, const char *name,
		      cache_accept_fn accept, void *ctx, char *out,
		      size_t outsz)
{
	const char *key, *value;
	struct cache_view v;
	uint32_t i;
	int err;

	err = cache_view(buf, len, &v);
	if (err)
		return err;
	for (i = 0; i < v.nlibs; i++)
		if (cache_entry(&v, i, &key, &value))
			return -EINVAL;
	for (i = 0; i < v.nlibs; i++) {
		cache_entry(&v, i, &key, &value);
		if (strcmp(key, name) || (accept && !accept(value, ctx)))
			continue;
		return copy_out(out, outsz, value);
	}
	return -ENOENT;
}

int ldcache_lookup(const void *buf, size_t len, const char *name,
		   char *out, size_t outsz)
{
	return cache_find(buf, len, name, NULL, NULL, out, outsz);
}

struct accept_ctx {
	const struct libpath_env *env;
};

static bool cache_accept(const char *path, void *p)
{
	const struct accept_ctx *a = p;
	char full[PATH_MAX];

	return !rooted(a->env, path, full, sizeof(full)) &&
	       elf_matches(a->env, full);
}

static int try_cache(const struct libpath_env *env, const char *name,
		     char *out, size_t outsz)
{
	struct accept_ctx a = { env };
	char path[PATH_MAX], found[PATH_MAX];
	size_t len;
	char *buf;
	int err;

	if (rooted(env, "/etc/ld.so.cache", path, sizeof(path)) ||
	    read_whole_file(path, CACHE_MAX_SIZE, &buf, &len))
		return 1;
	err = cache_find(buf, len, name, cache_accept, &a, found,
			 sizeof(found));
	free(buf);
	if (err)
		return 1;	/* missing or corrupt cache: search on */
	if (rooted(env, found, path, sizeof(path)))
		return 1;
	return copy_out(out, outsz, path);
}

/* ---- ld.so.conf ------------------------------------------------------ */

struct conf_search {
	const struct libpath_env *env;
	const char *name;
	char *out;
	size_t outsz;
};

static int parse_conf(struct conf_search *cs, const char *path, int depth);

/* "include PATTERN": relative patterns are relative to the directory of the
 * file holding the include. path is the rooted file name. */
static int conf_include(struct conf_search *cs, const char *path,
			const char *pat, int depth)
{
	char full[PATH_MAX];
	glob_t g;
	size_t i;
	int r = 1, n;

	if (pat[0] == '/') {
		if (rooted(cs->env, pat, full, sizeof(full)))
			return 1;
	} else {
		const char *slash = strrchr(path, '/');
		int dlen = slash ? (int)(slash - path) : 1;

		n = snprintf(full, sizeof(full), "%.*s/%s", dlen,
			     slash ? path : ".", pat);
		if (n < 0 || (size_t)n >= sizeof(full))
			return 1;
	}
	if (glob(full, 0, NULL, &g))
		return 1;
	for (i = 0; i < g.gl_pathc && r > 0; i++)
		r = parse_conf(cs, g.gl_pathv[i], depth + 1);
	globfree(&g);
	return r;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int conf_line(struct conf_search *cs, const char *path, char *line,
		     int depth)
{
	char *hash = strchr(line, '#'), *eq;
	size_t dlen;

	if (hash)
		*hash = '\0';
	line = trim(line);
	if (!*line)
		return 1;
	if (!strncmp(line, "include", 7) && (line[7] == ' ' || line[7] == '\t'))
		return conf_include(cs, path, trim(line + 8), depth);
	if (!strncmp(line, "hwcap", 5) && (line[5] == ' ' || line[5] == '\t'))
		return 1;
	eq = strchr(line, '=');	/* old "dir=TYPE" form */
	dlen = eq ? (size_t)(eq - line) : strlen(line);
	while (dlen > 1 && line[dlen - 1] == '/')
		dlen--;
	return try_dir(cs->env, line, dlen, cs->name, cs->out, cs->outsz);
}

/* 0: found, 1: not here, <0: error. */
static int parse_conf(struct conf_search *cs, const char *path, int depth)
{
	char *buf, *line, *next;
	size_t len;
	int r = 1;

	if (depth > CONF_MAX_DEPTH || read_whole_file(path, CONF_MAX_SIZE, &buf, &len))
		return 1;
	for (line = buf; line && r > 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r = conf_line(cs, path, line, depth);
	}
	free(buf);
	return r;
}

static int try_conf(const struct libpath_env *env, const char *name,
		    char *out, size_t outsz)
{
	struct conf_search cs = { env, name, out, outsz };
	char path[PATH_MAX];

	if (rooted(env, "/etc/ld.so.conf", path, sizeof(path)))
		return 1;
	return parse_conf(&cs, path, 0);
}

/* ---- lookup ---------------------------------------------------------- */

static int try_default_dirs(const struct libpath_env *env, const char *name,
			    char *out, size_t outsz)
{
	static const char *const dirs[] = { "/lib64", "/usr/lib64", "/lib",
					    "/usr/lib" };
	char dir[PATH_MAX];
	size_t i;
	int r, n;

	if (env->multiarch && *env->multiarch) {
		for (i = 0; i < 2; i++) {
			n = snprintf(dir, sizeof(dir), "%s/%s",
				     i ? "/usr/lib" : "/lib", env->multiarch);
			if (n < 0 || (size_t)n >= sizeof(dir))
				continue;
			r = try_dir(env, dir, (size_t)n, name, out, outsz);
			if (r <= 0)
				return r;
		}
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		r = try_dir(env, dirs[i], strlen(dirs[i]), name, out, outsz);
		if (r <= 0)
			return r;
	}
	return 1;
}

static int find_library(const struct libpath_env *env, const char *name,
			char *out, size_t outsz)
{
	int r = 1;

	if (env->ld_library_path && *env->ld_library_path)
		r = try_list(env, env->ld_library_path, name, out, outsz);
	if (r > 0)
		r = try_cache(env, name, out, outsz);
	if (r > 0)
		r = try_conf(env, name, out, outsz);
	if (r > 0)
		r = try_default_dirs(env, name, out, outsz);
	return r > 0 ? -ENOENT : r;
}

int libpath_find(const struct libpath_env *env, const char *name,
		 char *out, size_t outsz)
{
	char full[PATH_MAX];
	int r;

	if (!name || !*name)
		return -ENOENT;
	if (strchr(name, '/')) {
		if (rooted(env, name, full, sizeof(full)))
			return -ENAMETOOLONG;
		if (access(full, F_OK))
			return -ENOENT;
		return copy_out(out, outsz, full);
	}
	if (!strstr(name, ".so") && env->path && *env->path) {
		r = try_list(env, env->path, name, out, outsz);
		if (r <= 0)
			return r;
	}
	return find_library(env, name, out, outsz);
}

/* ---- /proc/PID/maps -------------------------------------------------- */

/* MATCH_ROOTED: an absolute name that the path ends with, as a process in
 * a chroot names a file that maps shows from our root ("/app" for
 * "/tmp/croot/app") */
enum maps_match { MATCH_NONE, MATCH_ROOTED, MATCH_STEM, MATCH_BASE, MATCH_EXACT };

/* The path of one maps line (NUL-free text [p, end)), or NULL: skip five
 * fields (range, perms, offset, dev, inode), then the blanks. */
static const char *maps_path(const char *p, const char *end)
{
	int field;

	for (field = 0; field < 5; field++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return NULL;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p < end && *p == '/' ? p : NULL;
}

static bool mem_eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(p, s, n);
}

static enum maps_match maps_match(const char *path, size_t plen,
				  const char *name)
{
	const char *base = path + plen, *so;
	size_t blen, stem;

	if (mem_eq(path, plen, name))
		return MATCH_EXACT;
	while (base > path && base[-1] != '/')
		base--;
	blen = (size_t)(path + plen - base);
	if (name[0] == '/' && plen > strlen(name) &&
	    !memcmp(path + plen - strlen(name), name, strlen(name)))
		return MATCH_ROOTED;
	if (strchr(name, '/'))
		return MATCH_NONE;
	if (mem_eq(base, blen, name))
		return MATCH_BASE;
	so = strstr(name, ".so");
	stem = so ? (size_t)(so - name) : strlen(name);
	/* libc.so.6 ~ libc-2.31.so, libc.so.6.1: same stem, then '.' or '-',
	 * and a shared object */
	if (stem && blen > stem && !memcmp(base, name, stem) &&
	    (base[stem] == '.' || base[stem] == '-') &&
	    memmem(base, blen, ".so", 3))
		return MATCH_STEM;
	return MATCH_NONE;
}

int maps_find(const char *buf, size_t len, const char *name,
	      char *out, size_t outsz)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof(deleted) - 1;
	const char *p = buf, *end = buf + len, *best = NULL;
	enum maps_match best_m = MATCH_NONE;
	size_t best_len = 0;

	if (!buf || !name || !*name)
		return -ENOENT;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *path;
		enum maps_match m;
		size_t plen;

		path = memchr(p, '\0', (size_t)(eol - p)) ? NULL :
		       maps_path(p, eol);
		p = nl ? nl + 1 : end;
		if (!path)
			continue;
		plen = (size_t)(eol - path);
		if (plen > dlen && !memcmp(eol - dlen, deleted, dlen))
			plen -= dlen;
		m = maps_match(path, plen, name);
		if (m > best_m) {
			best = path;
			best_len = plen;
			best_m = m;
		}
	}
	if (!best)
		return -ENOENT;
	if (best_len >= outsz)
		return -ENAMETOOLONG;
	memcpy(out, best, best_len);
	out[best_len] = '\0';
	return 0;
}

/* The maps line of the file at path (first match): its range, device and
 * inode. 0 or -ENOENT. */
static int maps_line_of(const char *buf, const char *path, unsigned long long *lo,
			unsigned long long *hi, unsigned int *maj, unsigned int *min,
			unsigned long long *ino)
{
	const char *line = buf;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t plen = strlen(path), n = nl ? (size_t)(nl - line) : strlen(line);
		int pos = 0;

		if (sscanf(line, "%llx-%llx %*s %*x %x:%x %llu %n", lo, hi, maj, min,
			   ino, &pos) == 5 && pos > 0 && (size_t)pos <= n &&
		    n - (size_t)pos >= plen && !memcmp(line + pos, path, plen) &&
		    (n - (size_t)pos == plen || line[pos + plen] == ' '))
			return 0;
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

/* path names the mapped file: same device and inode */
static bool same_file(const char *path, unsigned int maj, unsigned int min,
		      unsigned long long ino)
{
	struct stat st;

	return !stat(path, &st) && st.st_ino == ino && major(st.st_dev) == maj &&
	       minor(st.st_dev) == min;
}

/* The file the process maps, reachable from here: through its root (mount
 * namespaces, pivot_root), as named (a chroot in our mount namespace: maps
 * shows our path), else its map_files link (deleted files, the rest). */
static int pid_file(pid_t pid, const char *buf, const char *found, char *out,
		    size_t outsz)
{
	unsigned long long lo, hi, ino;
	unsigned int maj, min;
	int n;

	n = snprintf(out, outsz, "/proc/%d/root%s", (int)pid, found);
	if (n < 0 || (size_t)n >= outsz)
		return -ENAMETOOLONG;
	if (maps_line_of(buf, found, &lo, &hi, &maj, &min, &ino) ||
	    same_file(out, maj, min, ino))
		return 0;
	if (same_file(found, maj, min, ino)) {
		n = snprintf(out, outsz, "%s", found);
		return n < 0 || (size_t)n >= outsz ? -ENAMETOOLONG : 0;
	}
	n = snprintf(out, outsz, "/proc/%d/map_files/%llx-%llx", (int)pid, lo, hi);
	return n < 0 || (size_t)n >= outsz ? -ENAMETOOLONG : 0;
}

int libpath_find_in_pid(pid_t pid, const char *name, char *out, size_t outsz)
{
	char path[64], found[PATH_MAX];
	size_t len;
	char *buf;
	int err;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	err = read_whole_file(path, MAPS_MAX_SIZE, &buf, &len);
	if (err == -ENOENT)
		return -ESRCH;
	if (err)
		return err;
	err = maps_find(buf, len, name, found, sizeof(found));
	if (!err)
		err = pid_file(pid, buf, found, out, outsz);
	free(buf);
	return err;
}
