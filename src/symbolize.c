// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "elf.h"
#include "kallsyms.h"
#include "resolve.h"
#include "symbolize.h"

#define SYM_PROCS	64	/* processes whose mappings are kept */
#define SYM_FILES	256	/* ELF files whose symbols are kept */
#define SYM_CACHE	4096	/* frames remembered (direct-mapped) */
#define SYM_TEXT	200	/* a longer frame text is not remembered */

/* the text of a frame already symbolized: stacks repeat, and an address
 * no symbol covers costs a walk down the symbol table */
struct sym_cached {
	uint64_t addr;
	uint32_t pid;		/* 0 for the kernel */
	uint8_t len;		/* 0: empty slot */
	bool none;		/* no mapping covers it: nothing to write */
	char text[SYM_TEXT];
};

struct sym_map {
	uint64_t start, end, offset, inode;
	unsigned int dev_major, dev_minor;
	char name[64];		/* base name of the mapped file */
	char *path;		/* as maps shows it */
};

struct sym_proc {
	uint32_t pid;
	struct sym_map *maps;
	size_t n;
	struct timespec read_at;	/* maps read again at most every 100 ms */
};

struct sym_file {
	uint64_t inode;
	unsigned int dev_major, dev_minor;
	int err;		/* could not be read: no symbols */
	struct elf_file ef;
};

struct symbolizer {
	struct sym_proc procs[SYM_PROCS];
	size_t next_proc;	/* round-robin eviction */
	struct sym_file *files;
	size_t nfiles;
	struct ksyms ks;
	int ks_state;		/* 0 not loaded, 1 loaded, -1 failed */
	struct sym_cached *cache;
};

static void base_name(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t n;

	snprintf(out, cap, "%s", b ? b + 1 : path);
	n = strlen(out);
	if (n > 10 && !strcmp(out + n - 10, " (deleted)"))
		out[n - 10] = 0;
}

static void maps_free(struct sym_proc *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->maps[i].path);
	free(p->maps);
	p->maps = NULL;
	p->n = 0;
}

/* the file at path if it is the mapped one (same device and inode) */
static int open_same(const char *path, const struct sym_map *m, struct elf_file *ef)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (st.st_ino != m->inode || major(st.st_dev) != m->dev_major ||
	    minor(st.st_dev) != m->dev_minor)
		return -ENOENT;
	return elf_open(path, ef);
}

/* (re)read the file mappings of pid into p */
static int read_maps(struct sym_proc *p, uint32_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0, n = 0;
	struct sym_map *v = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		struct procmap m;

		line[strcspn(line, "\n")] = 0;
		if (procmap_parse(line, &m) || !m.inode || m.path[0] != '/')
			continue;
		if (!(n & (n + 1)) || !v) {
			struct sym_map *nv = realloc(v, (2 * n + 2) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n] = (struct sym_map){ m.start, m.end, m.offset, m.inode,
					 m.dev_major, m.dev_minor, "", NULL };
		base_name(m.path, v[n].name, sizeof(v[n].name));
		v[n].path = strdup(m.path);
		n++;
	}
	free(line);
	fclose(f);
	maps_free(p);
	p->maps = v;
	p->n = n;
	p->pid = pid;
	clock_gettime(CLOCK_MONOTONIC, &p->read_at);
	return 0;
}

/* an unknown address: read the maps again, unless they are fresh (a
 * frame-pointer walk through code without them yields garbage addresses) */
static bool maps_stale(const struct sym_proc *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - p->read_at.tv_sec) * 1000000000LL +
	       (now.tv_nsec - p->read_at.tv_nsec) >= 100000000LL;
}

/* a process that cannot be read (gone) evicts no other */
static struct sym_proc *proc_get(struct symbolizer *s, uint32_t pid)
{
	struct sym_proc tmp = { 0 }, *p;

	for (size_t i = 0; i < SYM_PROCS; i++)
		if (s->procs[i].pid == pid && s->procs[i].maps)
			return &s->procs[i];
	if (read_maps(&tmp, pid) || !tmp.n) {	/* a zombie has no mappings */
		maps_free(&tmp);
		return NULL;
	}
	p = &s->procs[s->next_proc++ % SYM_PROCS];
	maps_free(p);
	*p = tmp;
	return p;
}

static const struct sym_map *map_at(const struct sym_proc *p, uint64_t addr)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

/* the file as the process maps it: its map_files link, else through its
 * root */
static struct sym_file *file_get(struct symbolizer *s, uint32_t pid,
				 const struct sym_map *m)
{
	struct sym_file *f;
	char path[96];

	for (size_t i = 0; i < s->nfiles; i++)
		if (s->files[i].inode == m->inode && s->files[i].dev_major == m->dev_major &&
		    s->files[i].dev_minor == m->dev_minor)
			return &s->files[i];
	if (s->nfiles >= SYM_FILES)
		return NULL;
	if (!s->files) {
		s->files = calloc(SYM_FILES, sizeof(*s->files));
		if (!s->files)
			return NULL;
	}
	f = &s->files[s->nfiles++];
	f->inode = m->inode;
	f->dev_major = m->dev_major;
	f->dev_minor = m->dev_minor;
	snprintf(path, sizeof(path), "/proc/%u/map_files/%llx-%llx", pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	f->err = elf_open(path, &f->ef);
	if (f->err && m->path) {	/* the process is gone: by its root, as is */
		char root[4200];

		snprintf(root, sizeof(root), "/proc/%u/root%s", pid, m->path);
		f->err = open_same(root, m, &f->ef);
		if (f->err)
			f->err = open_same(m->path, m, &f->ef);
	}
	return f;
}

static size_t user_frame(struct symbolizer *s, uint32_t pid, uint64_t addr,
			 char *out, size_t cap)
{
	struct sym_proc *p = proc_get(s, pid);
	const struct sym_map *m = map_at(p, addr);
	const struct elf_sym *sym = NULL;
	struct sym_file *f;
	uint64_t off, vaddr = 0;
	int n;

	if (!m && p && maps_stale(p) && !read_maps(p, pid)) {	/* mapped since: read again */
		m = map_at(p, addr);
		if (s->cache)	/* an exec may have changed every address */
			memset(s->cache, 0, SYM_CACHE * sizeof(*s->cache));
	}
	if (!m)
		return 0;
	off = addr - m->start + m->offset;
	f = file_get(s, pid, m);
	if (f && !f->err && !elf_off_to_vaddr(&f->ef, off, &vaddr))
		sym = elf_func_at(&f->ef, vaddr);
	if (sym)
		n = snprintf(out, cap, "%s:%s+0x%llx", m->name, sym->name,
			     (unsigned long long)(vaddr - sym->addr));
	else
		n = snprintf(out, cap, "%s+0x%llx", m->name, (unsigned long long)off);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static size_t kernel_frame(struct symbolizer *s, uint64_t addr, char *out, size_t cap)
{
	const struct ksym *k;
	uint64_t off = 0;
	int n;

	if (!s->ks_state)
		s->ks_state = ksyms_load("/proc/kallsyms", &s->ks) ? -1 : 1;
	k = s->ks_state > 0 ? ksyms_at(&s->ks, addr, &off) : NULL;
	if (!k)
		return 0;
	n = snprintf(out, cap, "%s%s%s+0x%llx", k->module ? k->module : "",
		     k->module ? ":" : "", k->name, (unsigned long long)off);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t sym_frame(void *ctx, uint32_t pid, uint64_t addr, bool kernel, char *out,
		 size_t cap)
{
	struct symbolizer *s = ctx;
	uint32_t key = kernel ? 0 : pid;
	struct sym_cached *c;
	size_t n;

	if (!cap)
		return 0;
	if (!s->cache)
		s->cache = calloc(SYM_CACHE, sizeof(*s->cache));
	c = s->cache ? &s->cache[((addr >> 2) ^ (addr >> 14) ^ key) % SYM_CACHE] : NULL;
	if (c && c->len && c->addr == addr && c->pid == key && c->len < cap) {
		if (c->none)
			return 0;
		memcpy(out, c->text, c->len);
		out[c->len] = 0;
		return c->len;
	}
	n = kernel ? kernel_frame(s, addr, out, cap) : user_frame(s, pid, addr, out, cap);
	if (c && n < SYM_TEXT) {
		c->addr = addr;
		c->pid = key;
		c->len = n ? (uint8_t)n : 1;
		c->none = !n;
		memcpy(c->text, out, n);
	}
	return n;
}

int sym_prefetch(struct symbolizer *s, uint32_t pid)
{
	return proc_get(s, pid) ? 0 : -ESRCH;
}

int sym_new(int pid, struct symbolizer **out)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (pid > 0)
		proc_get(s, (uint32_t)pid);
	*out = s;
	return 0;
}

void sym_free(struct symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < SYM_PROCS; i++)
		maps_free(&s->procs[i]);
	for (size_t i = 0; i < s->nfiles; i++)
		elf_free(&s->files[i].ef);
	free(s->files);
	free(s->cache);
	if (s->ks_state > 0)
		ksyms_free(&s->ks);
	free(s);
}
