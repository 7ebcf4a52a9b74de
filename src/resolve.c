// SPDX-License-Identifier: MIT
/* Resolving user-mode targets: find the file, read its ELF, turn each symbol
 * or offset into a file offset, and decide where a return probe is safe. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/types.h>

#include "cli.h"
#include "elf.h"
#include "err.h"
#include "event.h"
#include "glob.h"
#include "libpath.h"
#include "resolve.h"

#define NSUGGEST 5

void targets_free(struct ft_targets *t)
{
	free(t->v);
	free(t->skipped);
	memset(t, 0, sizeof(*t));
}

struct ft_target *targets_slot(struct ft_targets *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct ft_target *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	return &t->v[t->n];
}

int targets_skip(struct ft_targets *t, const char *label, const char *why,
		 const char *kind)
{
	struct ft_skip *s;

	if (t->nskipped == t->skip_cap) {
		size_t cap = t->skip_cap ? 2 * t->skip_cap : 16;

		s = realloc(t->skipped, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		t->skipped = s;
		t->skip_cap = cap;
	}
	s = &t->skipped[t->nskipped++];
	snprintf(s->label, sizeof(s->label), "%s", label);
	snprintf(s->why, sizeof(s->why), "%s", why);
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	return 0;
}

int targets_drop(struct ft_targets *t, size_t i, const char *why, const char *kind)
{
	t->v[i].dropped = true;
	return targets_skip(t, t->v[i].label, why, kind);
}

int procmap_parse(char *line, struct procmap *m)
{
	int n = 0;
	unsigned long long start, end, off, ino;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, m->perms,
		   &off, &m->dev_major, &m->dev_minor, &ino, &n) < 7)
		return -EINVAL;
	m->start = start;
	m->end = end;
	m->offset = off;
	m->inode = ino;
	m->path = n > 0 ? line + n : "";
	return 0;
}

static int elf_error(const char *name, int ret, struct ft_err *err)
{
	switch (-ret) {
	case ENOENT:
		return ft_errf(err, ret, "%s: no such file", name);
	case EACCES:
	case EPERM:
		return ft_errf(err, ret, "%s: permission denied", name);
	case EISDIR:
		return ft_errf(err, ret, "%s: is a directory, not an ELF file", name);
	case ENODEV:
		return ft_errf(err, ret, "%s: not a regular file", name);
	case ENOEXEC:
		return ft_errf(err, ret, "%s: not an ELF file", name);
	case EINVAL:
		return ft_errf(err, ret, "%s: malformed or truncated ELF file", name);
	default:
		return ft_errf(err, ret, "%s: %s", name, strerror(-ret));
	}
}

int resolve_pid_check(pid_t pid, bool user, struct ft_err *err)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return ft_errf(err, -ESRCH, "no such process: %d", (int)pid);
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	if (!p || strlen(p) < 3)
		return ft_errf(err, -ESRCH, "no such process: %d", (int)pid);
	if (p[2] == 'Z' || p[2] == 'X')
		return ft_errf(err, -ESRCH, "process %d has exited (zombie)", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ret = readlink(path, buf, sizeof(buf));
	if (user && ret < 0 && errno == ENOENT)
		return ft_errf(err, -EINVAL, "process %d is a kernel thread: "
			       "it runs no user code", (int)pid);
	return 0;
}

static int find_file(const char *lib, pid_t pid, char *path, size_t sz,
		     struct ft_err *err)
{
	struct libpath_env env = {
		.root = "",
		.ld_library_path = getenv("LD_LIBRARY_PATH"),
		.path = getenv("PATH"),
		.multiarch = ARCH_MULTIARCH,
		.want_machine = ARCH_ELF_MACHINE,
		.want_64 = ARCH_ELF_CLASS64,
	};
	int ret;

	if (pid > 0) {
		ret = libpath_find_in_pid(pid, lib, path, sz);
		if (ret == 0)
			return 0;
		if (ret == -ESRCH)
			return ft_errf(err, ret, "no such process: %d", (int)pid);
	}
	ret = libpath_find(&env, lib, path, sz);
	if (ret == -ENOENT)
		return ft_errf(err, ret, "%s: no such file%s", lib, strchr(lib, '/') ? "" :
			       " (searched LD_LIBRARY_PATH, ld.so.cache, library "
			       "directories and PATH)");
	if (ret)
		return ft_errf(err, ret, "%s: %s", lib, strerror(-ret));
	return 0;
}

static int check_machine(const struct elf_file *ef, const char *name,
			 struct ft_err *err)
{
	if (ef->machine == ARCH_ELF_MACHINE && ef->is64 == !!ARCH_ELF_CLASS64)
		return 0;
	return ft_errf(err, -ENOEXEC, "%s: ELF for %s (%d-bit), but this ftrace "
		       "traces %s", name, elf_machine_name(ef->machine),
		       ef->is64 ? 64 : 32, ARCH_NAME);
}

/* the file's name; for /proc/PID/map_files/... (a deleted file, or one
 * only reachable that way) the name the kernel shows for it */
static const char *base_name(const char *path)
{
	static char link[PATH_MAX];
	const char *s;
	ssize_t n;

	if (!strncmp(path, "/proc/", 6) && strstr(path, "/map_files/") &&
	    (n = readlink(path, link, sizeof(link) - 1)) > 0) {
		link[n] = 0;
		if (n > 10 && !strcmp(link + n - 10, " (deleted)"))
			link[n - 10] = 0;
		path = link;
	}
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- IFUNC: read the resolver's choice from a live process's GOT ---- */

struct ifunc_ctx {
	const struct elf_file *ef;
	const char *path;
	struct stat st;
	uint64_t slot;		/* vaddr of the GOT slot */
	uint64_t impl;		/* result: vaddr of the implementation */
	pid_t pid;
};

static uint64_t first_load_page(const struct elf_file *ef)
{
	uint64_t lo = UINT64_MAX;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < ef->nsegs; i++)
		if (ef->segs[i].offset == 0 && ef->segs[i].vaddr < lo)
			lo = ef->segs[i].vaddr;
	return lo == UINT64_MAX ? 0 : lo & ~(page - 1);
}

/* 0 and the load bias if pid maps the file, else -ENOENT. */
static int pid_bias(pid_t pid, const struct ifunc_ctx *c, uint64_t *bias)
{
	char path[64], line[4096 + 128];
	struct procmap m;
	FILE *f;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (procmap_parse(line, &m) || m.inode != c->st.st_ino || m.offset)
			continue;
		if (makedev(m.dev_major, m.dev_minor) != c->st.st_dev &&
		    strcmp(m.path, c->path))
			continue;
		*bias = m.start - first_load_page(c->ef);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int read_slot(pid_t pid, uint64_t addr, uint64_t *val)
{
	char path[64];
	int fd;
	ssize_t n;
#if ARCH_WORD_SIZE == 8
	uint64_t v;
#else
	uint32_t v;
#endif

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, &v, sizeof(v), (off_t)addr);
	close(fd);
	if (n != (ssize_t)sizeof(v))
		return -EIO;
	*val = v;
	return 0;
}

static int ifunc_try_pid(struct ifunc_ctx *c, pid_t pid)
{
	uint64_t bias, val;

	if (pid == getpid() || pid_bias(pid, c, &bias) || read_slot(pid, bias + c->slot, &val))
		return -ENOENT;
	/* the slot must point at code of this very file */
	if (val < bias || elf_vaddr_to_off(c->ef, val - bias, &val) || !val)
		return -ENOENT;
	if (elf_off_to_vaddr(c->ef, val, &c->impl))
		return -ENOENT;
	c->pid = pid;
	return 0;
}

static int ifunc_resolve(struct ifunc_ctx *c, pid_t pid)
{
	DIR *d;
	struct dirent *de;
	int ret = -ENOENT;

	if (pid > 0)
		return ifunc_try_pid(c, pid);
	d = opendir("/proc");
	if (!d)
		return -errno;
	while (ret && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		ret = ifunc_try_pid(c, (pid_t)atoi(de->d_name));
	}
	closedir(d);
	return ret;
}

static int resolve_ifunc(const struct elf_file *ef, const char *path,
			 const struct elf_sym *sym, pid_t pid, uint64_t *vaddr,
			 struct ft_target *t, struct ft_err *err)
{
	struct ifunc_ctx c = { .ef = ef, .path = path };
	const struct elf_sym *impl;
	uint64_t off;

	if (elf_irel_slot(ef, sym->addr, &c.slot))
		return ft_errf(err, -EINVAL, "%s is an IFUNC: its address is a resolver "
			       "that runs once at load time, and %s has no IRELATIVE "
			       "slot to learn its choice from; give the implementation's "
			       "offset instead", sym->name, base_name(path));
	if (stat(path, &c.st))
		return ft_errf(err, -errno, "%s: %s", path, strerror(errno));
	if (ifunc_resolve(&c, pid))
		return ft_errf(err, -ENOENT, "%s is an IFUNC: its address is a resolver "
			       "that runs once at load time; no running process%s maps "
			       "%s to read the chosen implementation from (start the "
			       "program first, or give the implementation's offset)",
			       sym->name, pid > 0 ? " with that PID" : "", base_name(path));
	*vaddr = c.impl;
	impl = elf_func_at(ef, c.impl);
	elf_vaddr_to_off(ef, c.impl, &off);
	snprintf(t->note, sizeof(t->note), "%s is an IFUNC; attached to the "
		 "implementation its resolver chose (read from process %d): %s "
		 "offset 0x%" PRIx64 "%s%s", sym->name, (int)c.pid, base_name(path), off,
		 impl ? " = " : "", impl ? impl->name : "");
	t->warn = true;
	return 0;
}

/* ---- symbols and offsets ---- */

/* Names come from files anyone can write: keep messages one printable line. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

static int unknown_symbol(const struct elf_file *ef, const char *file,
			  const char *name, struct ft_err *err)
{
	const char *sugg[NSUGGEST];
	size_t n = elf_suggest(ef, name, sugg, NSUGGEST);
	char list[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				sugg[i]);
	printable(list);
	if (!ef->nsyms)
		return ft_errf(err, -ENOENT, "%s: no symbol table (stripped): give a "
			       "0x file offset instead of '%s'", file, name);
	if (n)
		return ft_errf(err, -ENOENT, "%s: unknown symbol '%s'; did you mean: %s?",
			       file, name, list);
	return ft_errf(err, -ENOENT, "%s: unknown symbol '%s'", file, name);
}

/* Where sym (found by the name text) is probed: its vaddr. */
static int resolve_sym(const struct elf_file *ef, const char *path,
		       const char *text, const struct elf_sym *sym,
		       const struct resolve_opts *o, uint64_t *vaddr,
		       struct ft_target *t, struct ft_err *err)
{
	const char *file = base_name(path);

	switch (sym->kind) {
	case ELF_SYM_DATA:
		return ft_errf(err, -EINVAL, "%s: '%s' is a data object, not a function",
			       file, text);
	case ELF_SYM_IFUNC:
		return resolve_ifunc(ef, path, sym, o->pid, vaddr, t, err);
	default:
		break;
	}
	if (sym->thumb)
		return ft_errf(err, -EINVAL, "%s: '%s' is Thumb code: uprobes on Thumb "
			       "functions make them misbehave; rebuild it with -marm",
			       file, text);
	*vaddr = sym->addr;
	return 0;
}

static int resolve_offset(const struct elf_file *ef, const char *path,
			  const char *text, uint64_t *vaddr, bool *mid,
			  struct ft_target *t, struct ft_err *err)
{
	const char *file = base_name(path);
	const struct elf_sym *fn;
	uint64_t off;

	if (parse_u64(text + 2, 16, &off) || !text[2])
		return ft_errf(err, -EINVAL, "invalid offset '%s': expected 0x followed "
			       "by hex digits", text);
	if (elf_off_to_vaddr(ef, off, vaddr))
		return ft_errf(err, -ERANGE, "%s: offset %s is outside the file's "
			       "executable code", file, text);
	fn = elf_func_at(ef, *vaddr);
	*mid = !fn || fn->addr != *vaddr;
	if (fn && fn->thumb)
		return ft_errf(err, -EINVAL, "%s: offset %s is in Thumb function %s: "
			       "uprobes on Thumb code make it misbehave", file, text, fn->name);
	if (fn && !*mid)
		snprintf(t->note, sizeof(t->note), "%s is the start of %s", text, fn->name);
	else if (fn)
		snprintf(t->note, sizeof(t->note), "%s is %s+0x%" PRIx64 ", inside the "
			 "function", text, fn->name, *vaddr - fn->addr);
	else
		snprintf(t->note, sizeof(t->note), "%s is not in any known function", text);
	return 0;
}

/* Where a return probe would corrupt or crash the process, say why. */
static const char *ret_hazard(const struct elf_file *ef, bool mid)
{
	if (mid)
		return "a return probe at an offset that is not a function's first "
		       "instruction would hijack whatever sits at the stack pointer";
	if (ef->is_go)
		return "Go programs move their stacks, and return probes crash them";
	if (ef->has_thumb && ARCH_THUMB_HAZARD)
		return "this binary contains Thumb code, and a return probe on a "
		       "function called from Thumb code kills the process with SIGILL";
	return NULL;
}

static int decide_ret(const struct elf_file *ef, bool mid, const char *file,
		      const struct resolve_opts *o, struct ft_target *t,
		      struct ft_err *err)
{
	const char *why = ret_hazard(ef, mid);
	size_t n = strlen(t->note);

	t->want_ret = !o->no_retprobe;
	if (!t->want_ret || !why)
		return 0;
	if (mid) {
		/* never overridable: nothing can make this safe */
		t->want_ret = false;
		snprintf(t->note + n, sizeof(t->note) - n, "; entry probe only: %s", why);
		t->warn = true;
		return 0;
	}
	if (o->force) {
		snprintf(t->note + n, sizeof(t->note) - n, "%sreturn probe forced although "
			 "%s", n ? "; " : "", why);
		t->warn = true;
		return 0;
	}
	return ft_errf(err, -EINVAL, "%s: refusing return probes: %s (use "
		       "--no-retprobe, or --force to attach anyway)", file, why);
}

/* Place text (a 0x offset or a symbol name; sym when already found) in
 * the file: offset, label and path of t. */
static int resolve_place(const struct elf_file *ef, const char *path,
			 const char *text, const struct elf_sym *sym,
			 const struct resolve_opts *o, bool *mid,
			 struct ft_target *t, struct ft_err *err)
{
	const char *file = base_name(path);
	uint64_t vaddr;
	int ret;

	*mid = false;
	if (!sym && (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2)))
		ret = resolve_offset(ef, path, text, &vaddr, mid, t, err);
	else if (!sym && !(sym = elf_find_sym(ef, text)))
		ret = unknown_symbol(ef, file, text, err);
	else
		ret = resolve_sym(ef, path, text, sym, o, &vaddr, t, err);
	if (ret)
		return ret;
	if (elf_vaddr_to_off(ef, vaddr, &t->offset))
		return ft_errf(err, -ERANGE, "%s: '%s' is not in an executable segment",
			       file, text);
	snprintf(t->label, sizeof(t->label), "%s:%s", file, text);
	snprintf(t->path, sizeof(t->path), "%s", path);
	printable(t->label);
	printable(t->note);
	return 0;
}

static int resolve_one(const struct elf_file *ef, const char *path,
		       const char *text, const struct resolve_opts *o,
		       struct ft_target *t, struct ft_err *err)
{
	bool mid;
	int ret = resolve_place(ef, path, text, NULL, o, &mid, t, err);

	if (!ret)
		ret = decide_ret(ef, mid, base_name(path), o, t, err);
	printable(t->note);
	return ret;
}

/* Of two names for one address, the one a person would call it by:
 * global, fewer leading underscores, shorter. */
static bool better_name(const struct elf_sym *a, const struct elf_sym *b)
{
	size_t ua = strspn(a->name, "_"), ub = strspn(b->name, "_");
	size_t la = strlen(a->name), lb = strlen(b->name);

	if (a->global != b->global)
		return a->global;
	if (ua != ub)
		return ua < ub;
	if (la != lb)
		return la < lb;
	return strcmp(a->name, b->name) < 0;
}

/* The best-named function at syms[*i]'s address that matches pattern,
 * NULL when none does or --exclude names the function by any of its names
 * (aliases at one address are one function); *i moves past that address. */
static const struct elf_sym *next_match(const struct elf_file *ef, size_t *i,
					const char *pattern,
					const struct resolve_opts *o, size_t *nexcl)
{
	const struct elf_sym *best = NULL;
	uint64_t addr = ef->syms[*i].addr;
	bool excl = false, hit = false;

	for (; *i < ef->nsyms && ef->syms[*i].addr == addr; (*i)++) {
		const struct elf_sym *s = &ef->syms[*i];

		if ((s->kind != ELF_SYM_FUNC && s->kind != ELF_SYM_IFUNC) || !s->addr)
			continue;
		if (glob_excluded(o->excludes, o->nexcludes, s->name))
			excl = true;
		if (!glob_match(pattern, s->name))
			continue;
		hit = true;
		if (!best || better_name(s, best))
			best = s;
	}
	if (excl && hit) {
		(*nexcl)++;
		return NULL;
	}
	return best;
}

/* The kernel would refuse a uprobe on the instruction at file offset off:
 * it starts with a prefix the arch table lists (arch/). */
static bool insn_refused(int fd, uint64_t off)
{
	unsigned char b[4];
	ssize_t n = fd < 0 ? -1 : pread(fd, b, sizeof(b), (off_t)off);

	for (ssize_t i = 0; i < n; i++) {
		if (!memchr(ARCH_INSN_PREFIXES, b[i], sizeof(ARCH_INSN_PREFIXES) - 1))
			return false;
		if (memchr(ARCH_UPROBE_BAD_PREFIXES, b[i],
			   sizeof(ARCH_UPROBE_BAD_PREFIXES) - 1))
			return true;
	}
	return false;
}

/* One function a pattern matched: a target, or a skip with the reason. */
static int add_match(const struct elf_file *ef, const char *path, int fd,
		     const struct elf_sym *sym, const struct resolve_opts *o,
		     struct ft_targets *out, struct ft_err *err)
{
	struct ft_target *t = targets_slot(out);
	struct ft_err why = { 0 };
	bool mid;
	int ret;

	if (!t)
		return -ENOMEM;
	ret = resolve_place(ef, path, sym->name, sym, o, &mid, t, &why);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		char label[256];

		snprintf(label, sizeof(label), "%s:%s", base_name(path), sym->name);
		printable(label);
		return targets_skip(out, label, why.msg, sym->kind == ELF_SYM_IFUNC ?
				    "IFUNC without a known choice" : sym->thumb ?
				    "Thumb code" : "cannot be placed");
	}
	/* file-wide hazards (Go, Thumb) stay errors */
	ret = decide_ret(ef, mid, base_name(path), o, t, err);
	if (ret)
		return ret;
	t->from_glob = true;
	t->warn = false;	/* notes of matched functions: -v */
	if (resolve_is_duplicate(out, t))
		return 0;
	if (insn_refused(fd, t->offset))
		return targets_skip(out, t->label, "the kernel cannot probe its first "
				    "instruction (a LOCK or segment prefix)",
				    "refused by the kernel");
	out->n++;
	return 0;
}

static int expand_user(const struct elf_file *ef, const char *path,
		       const char *pattern, const struct resolve_opts *o,
		       struct ft_targets *out, struct ft_err *err)
{
	size_t matched = 0, nexcl = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	for (size_t i = 0; !ret && i < ef->nsyms;) {
		const struct elf_sym *sym = next_match(ef, &i, pattern, o, &nexcl);

		if (!sym)
			continue;
		matched++;
		ret = add_match(ef, path, fd, sym, o, out, err);
	}
	if (fd >= 0)
		close(fd);
	if (ret)
		return ret;
	out->nmatched += matched;
	if (!matched && nexcl)
		return ft_errf(err, -ENOENT, "%s: pattern '%s' matches only functions "
			       "that --exclude removes", base_name(path), pattern);
	if (!matched)
		return ft_errf(err, -ENOENT, "%s: pattern '%s' matches no function",
			       base_name(path), pattern);
	return 0;
}

bool resolve_is_duplicate(const struct ft_targets *out, const struct ft_target *t)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].offset == t->offset && !strcmp(out->v[i].path, t->path))
			return true;
	return false;
}

int resolve_user(const char *lib, char *const *targets, int ntargets,
		 const struct resolve_opts *o, struct ft_targets *out,
		 struct ft_err *err)
{
	char path[PATH_MAX];
	struct elf_file ef;
	int ret;

	memset(out, 0, sizeof(*out));
	if (o->pid > 0 && (ret = resolve_pid_check(o->pid, true, err)))
		return ret;
	ret = find_file(lib, o->pid, path, sizeof(path), err);
	if (ret)
		return ret;
	ret = elf_open(path, &ef);
	if (ret)
		return elf_error(path, ret, err);
	ret = check_machine(&ef, path, err);
	for (int i = 0; !ret && i < ntargets; i++) {
		struct ft_target *t;

		if (glob_is_pattern(targets[i]) && strncmp(targets[i], "0x", 2)) {
			ret = expand_user(&ef, path, targets[i], o, out, err);
			continue;
		}
		t = targets_slot(out);
		ret = t ? resolve_one(&ef, path, targets[i], o, t, err) : -ENOMEM;
		if (ret)
			break;
		if (resolve_is_duplicate(out, t)) {
			memset(t, 0, sizeof(*t));
			continue;	/* an alias of a target already listed */
		}
		out->n++;
	}
	elf_free(&ef);
	if (ret)
		targets_free(out);
	return ret;
}
