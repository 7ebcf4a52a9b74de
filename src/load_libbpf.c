// SPDX-License-Identifier: MIT
/* The libbpf loader: the same embedded object, loaded through libbpf, which
 * is dlopen'd at run time so that ftrace never needs it to build or run.
 * Only libbpf's public, stable API is used (0.8 through 1.x); its opts
 * structs are declared here with their leading sz field, which is how libbpf
 * accepts structs from older and newer callers. libbpf's objects stay
 * opaque. The ring buffer is read by ftrace's own consumer on the events
 * map's fd, like with the built-in loader. */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "mech.h"
#include "pmu.h"
#include "sys.h"
#include "err.h"
#include "loader.h"

#define LOG_SIZE (4u << 20)
#define MSG_SIZE (64u << 10)
#define MIN_MINOR 8		/* 0.8 */

struct bpf_object;
struct bpf_map;
struct bpf_program;
struct bpf_link;

/* struct bpf_object_open_opts up to kernel_log_level (libbpf 0.7+) */
struct lb_open_opts {
	size_t sz;
	const char *object_name;
	bool relaxed_maps;
	const char *pin_root_path;
	uint32_t attach_prog_fd;	/* a stub since 1.0 */
	const char *kconfig;
	const char *btf_custom_path;
	char *kernel_log_buf;
	size_t kernel_log_size;
	uint32_t kernel_log_level;
};

/* struct bpf_trace_opts (libbpf 0.8+) */
struct lb_trace_opts {
	size_t sz;
	uint64_t cookie;
};

/* struct bpf_uprobe_opts up to retprobe (libbpf 0.5+) */
struct lb_uprobe_opts {
	size_t sz;
	size_t ref_ctr_offset;
	uint64_t bpf_cookie;
	bool retprobe;
};

/* struct bpf_kprobe_opts up to retprobe (libbpf 0.5+) */
struct lb_kprobe_opts {
	size_t sz;
	uint64_t bpf_cookie;
	size_t offset;		/* from func_name, or an address if it is NULL */
	bool retprobe;
};

enum lb_level { LB_WARN, LB_INFO, LB_DEBUG };
typedef int (*lb_print_fn)(enum lb_level level, const char *fmt, va_list ap);

struct lb_api {
	uint32_t (*major_version)(void);
	uint32_t (*minor_version)(void);
	const char *(*version_string)(void);
	long (*get_error)(const void *ptr);
	lb_print_fn (*set_print)(lb_print_fn fn);
	struct bpf_object *(*open_mem)(const void *buf, size_t sz,
				       const struct lb_open_opts *opts);
	struct bpf_map *(*find_map)(const struct bpf_object *obj, const char *name);
	int (*set_max_entries)(struct bpf_map *map, uint32_t max);
	int (*map_fd)(const struct bpf_map *map);
	struct bpf_program *(*find_prog)(const struct bpf_object *obj, const char *name);
	int (*set_autoload)(struct bpf_program *prog, bool autoload);
	int (*load)(struct bpf_object *obj);
	struct bpf_link *(*attach_uprobe)(const struct bpf_program *prog, pid_t pid,
					  const char *path, size_t offset,
					  const struct lb_uprobe_opts *opts);
	struct bpf_link *(*attach_kprobe)(const struct bpf_program *prog,
					  const char *func, const struct lb_kprobe_opts *opts);
	int (*link_destroy)(struct bpf_link *link);
	struct bpf_link *(*attach_auto)(const struct bpf_program *prog);
	void (*close)(struct bpf_object *obj);
	/* fentry/fexit: one object per target, sharing the first one's maps */
	struct bpf_map *(*next_map)(const struct bpf_object *obj,
				    const struct bpf_map *map);
	const char *(*map_name)(const struct bpf_map *map);
	int (*reuse_fd)(struct bpf_map *map, int fd);
	int (*set_attach_target)(struct bpf_program *prog, int attach_prog_fd,
				 const char *attach_func_name);
	struct bpf_link *(*attach_trace)(const struct bpf_program *prog,
					 const struct lb_trace_opts *opts);
	struct bpf_link *(*attach_tp)(const struct bpf_program *prog,
				      const char *category, const char *name);
	/* multi-probe programs: typed by hand (libbpf 1.1 does not know
	 * uprobe.multi), attached by ftrace (mech_*_multi.c) */
	int (*prog_fd)(const struct bpf_program *prog);
	struct bpf_program *(*next_prog)(const struct bpf_object *obj,
					 struct bpf_program *prog);
	const char *(*prog_name)(const struct bpf_program *prog);
	int (*set_type)(struct bpf_program *prog, int type);
	int (*set_attach_type)(struct bpf_program *prog, int type);
};

static const struct {
	const char *name;
	size_t off;
} lb_syms[] = {
#define SYM(field, sym) { #sym, offsetof(struct lb_api, field) }
	SYM(major_version, libbpf_major_version),
	SYM(minor_version, libbpf_minor_version),
	SYM(version_string, libbpf_version_string),
	SYM(get_error, libbpf_get_error),
	SYM(set_print, libbpf_set_print),
	SYM(open_mem, bpf_object__open_mem),
	SYM(find_map, bpf_object__find_map_by_name),
	SYM(set_max_entries, bpf_map__set_max_entries),
	SYM(map_fd, bpf_map__fd),
	SYM(find_prog, bpf_object__find_program_by_name),
	SYM(set_autoload, bpf_program__set_autoload),
	SYM(load, bpf_object__load),
	SYM(attach_uprobe, bpf_program__attach_uprobe_opts),
	SYM(attach_kprobe, bpf_program__attach_kprobe_opts),
	SYM(link_destroy, bpf_link__destroy),
	SYM(attach_auto, bpf_program__attach),
	SYM(close, bpf_object__close),
	SYM(next_map, bpf_object__next_map),
	SYM(map_name, bpf_map__name),
	SYM(reuse_fd, bpf_map__reuse_fd),
	SYM(set_attach_target, bpf_program__set_attach_target),
	SYM(attach_trace, bpf_program__attach_trace_opts),
	SYM(attach_tp, bpf_program__attach_tracepoint),
	SYM(prog_fd, bpf_program__fd),
	SYM(next_prog, bpf_object__next_program),
	SYM(prog_name, bpf_program__name),
	SYM(set_type, bpf_program__set_type),
	SYM(set_attach_type, bpf_program__set_expected_attach_type),
#undef SYM
};

struct lb_lib {
	struct lb_api api;
	char desc[320];		/* "libbpf 1.1 (/usr/lib/.../libbpf.so.1)" */
};

struct lb_msgs {
	char *buf;		/* libbpf's own messages (warnings, info) */
	size_t len;
	char last[256];		/* the last warning, one line */
};

/* what an attached probe holds: a libbpf link, or a link fd made by a
 * multi-probe mechanism; fentry/fexit also their own object */
struct lb_link {
	struct bpf_link *link;
	int fd;
	struct bpf_object *fobj;
};

struct ft_bpf {
	struct lb_lib lib;
	struct bpf_object *obj;
	struct bpf_program *entry, *ret;
	struct lb_link *links;
	size_t nlinks, links_cap;
	char *log;		/* verifier log */
	char *full_log;		/* verifier log + libbpf's messages */
	struct lb_msgs msgs;
	const void *blob;	/* the object, reopened per fentry target */
	size_t blob_sz;
	struct bpf_link *thread_exit;	/* raw tracepoint: per-thread cleanup */
};

/* libbpf_set_print() takes no context pointer: this names the object whose
 * messages are being collected, NULL when none is (they are dropped). */
static struct lb_msgs *lb_sink;

static int lb_print(enum lb_level level, const char *fmt, va_list ap)
{
	struct lb_msgs *m = lb_sink;
	char line[1024];
	int n;

	if (!m || level == LB_DEBUG)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	if (level == LB_WARN) {
		snprintf(m->last, sizeof(m->last), "%s", line);
		m->last[strcspn(m->last, "\n")] = 0;
	}
	if (m->buf && m->len + strlen(line) + 1 < MSG_SIZE) {
		memcpy(m->buf + m->len, line, strlen(line) + 1);
		m->len += strlen(line);
	}
	return 0;
}

static const char *fallback =
	"install libbpf 0.8 or later (Debian: apt install libbpf1) or use "
	"--loader=builtin (the default)";

static void *lb_dlopen(const char *path, char *why, size_t size)
{
	const char *names[] = { path, path ? NULL : "libbpf.so.1",
				path ? NULL : "libbpf.so.0" };
	void *h = NULL;

	why[0] = 0;
	for (size_t i = 0; !h && i < 3; i++) {
		const char *e;

		if (!names[i])
			continue;
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		e = h ? NULL : dlerror();
		if (e && !why[0])	/* the first failure says the most */
			snprintf(why, size, "%s", e);
	}
	return h;
}

static void lb_describe_path(void *h, const char *path, struct lb_lib *l)
{
	struct link_map *lm = NULL;
	const char *v = l->api.version_string();

	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) || !lm || !lm->l_name || !lm->l_name[0])
		lm = NULL;
	snprintf(l->desc, sizeof(l->desc), "libbpf %s (%s)",
		 v && v[0] == 'v' ? v + 1 : v ? v : "?",
		 lm ? lm->l_name : path ? path : "libbpf.so");
}

/* dlopen libbpf and look up the API; the library stays loaded until exit
 * (unloading the C library a static binary dlopen'd is not safe) */
static int lb_open(const char *path, struct lb_lib *l, struct ft_err *err)
{
	char why[512];
	void *h = lb_dlopen(path, why, sizeof(why));
	uint32_t major, minor;

	if (!h)
		return ft_errf(err, -ENOENT, "cannot load libbpf: %s; %s", why, fallback);
	for (size_t i = 0; i < sizeof(lb_syms) / sizeof(lb_syms[0]); i++) {
		void *sym = dlsym(h, lb_syms[i].name);

		if (!sym)
			return ft_errf(err, -ENOSYS, "%s is too old or not libbpf (it "
				       "lacks %s); %s", path ? path : "libbpf.so",
				       lb_syms[i].name, fallback);
		memcpy((char *)&l->api + lb_syms[i].off, &sym, sizeof(sym));
	}
	major = l->api.major_version();
	minor = l->api.minor_version();
	lb_describe_path(h, path, l);
	if (major == 0 && minor < MIN_MINOR)
		return ft_errf(err, -ENOSYS, "%s is too old: the libbpf loader needs "
			       "0.8 or later; %s", l->desc, fallback);
	return 0;
}

int ft_libbpf_probe(const char *path, char *buf, size_t size, struct ft_err *err)
{
	struct lb_lib l;
	int ret = lb_open(path, &l, err);

	if (!ret)
		snprintf(buf, size, "%s", l.desc);
	return ret;
}

/* libbpf 0.x returns encoded error pointers, 1.x NULL and errno (libbpf's
 * errno: a static binary's errno is not the dlopen'd C library's) */
static long lb_err(struct ft_bpf *b, const void *ptr)
{
	long e = b->lib.api.get_error(ptr);

	return e ? e : ptr ? 0 : -ENOENT;
}

static const char *lb_why(struct ft_bpf *b, int e)
{
	static const char *const unknown = "libbpf error";

	if (b->msgs.last[0])
		return b->msgs.last;
	return e < 0 && -e < 4000 ? strerror(-e) : unknown;
}

static int lb_resize(struct ft_bpf *b, const char *name, uint32_t max,
		     struct ft_err *err)
{
	struct bpf_map *m = b->lib.api.find_map(b->obj, name);
	long e = lb_err(b, m);

	if (!e)
		e = b->lib.api.set_max_entries(m, max);
	if (e)
		return ft_errf(err, (int)e, "libbpf cannot size map %s: %s", name,
			       lb_why(b, (int)e));
	return 0;
}

static int lb_load_err(struct ft_bpf *b, int e, struct ft_err *err)
{
	/* libbpf's first step (probing, then the maps) fails: as built-in */
	if (e == -EPERM || e == -EACCES)
		return ft_errf(err, e, "permission denied creating BPF maps: "
			       "run as root (or with CAP_BPF and CAP_PERFMON)");
	if (e == -EMFILE || e == -ENFILE)
		return ft_errf(err, e, "libbpf could not load the BPF object: too many "
			       "open files (raise the limit with ulimit -n)");
	if (b->log[0])
		return ft_errf(err, e, "libbpf could not load the BPF object (%s); "
			       "verifier log:\n%s", lb_why(b, e), b->log);
	return ft_errf(err, e, "libbpf could not load the BPF object: %s",
		       lb_why(b, e));
}

/* out_mode: made and frozen here (libbpf fills only its own .rodata), so
 * that the verifier knows it; the flight map: a slot per possible CPU */
static int lb_out_mode(struct ft_bpf *b, bool flight, struct ft_err *err)
{
	struct bpf_map *m = b->lib.api.find_map(b->obj, "out_mode");
	int fd, n = sys_possible_cpus();
	long e = lb_err(b, m);

	if (e)
		return ft_errf(err, (int)e, "BPF object lacks its out_mode map");
	fd = bpf_map_const_u32("out_mode", flight);
	if (fd == -EPERM || fd == -EACCES || fd == -EMFILE || fd == -ENFILE)
		return lb_load_err(b, fd, err);	/* the first map: as libbpf's */
	if (fd < 0)
		return ft_errf(err, fd, "cannot create BPF map out_mode: %s",
			       strerror(-fd));
	e = b->lib.api.reuse_fd(m, fd);
	close(fd);	/* libbpf holds its own copy */
	if (e)
		return ft_errf(err, (int)e, "libbpf cannot use map out_mode: %s",
			       lb_why(b, (int)e));
	if (n <= 0)
		return ft_errf(err, n ? n : -EIO, "cannot count possible CPUs");
	return lb_resize(b, "flight", (uint32_t)n, err);
}

/* The multi-probe programs: loaded when asked for, typed by hand */
static void lb_multi(struct ft_bpf *b, unsigned int multi)
{
	static const struct {
		const char *name;
		unsigned int want;
		int attach_type;
	} progs[] = {
		{ MECH_PROG_UMULTI_ENTRY, FT_LOAD_UMULTI, MECH_ATTACH_UPROBE_MULTI },
		{ MECH_PROG_UMULTI_RET, FT_LOAD_UMULTI, MECH_ATTACH_UPROBE_MULTI },
		{ MECH_PROG_KMULTI_ENTRY, FT_LOAD_KMULTI, MECH_ATTACH_KPROBE_MULTI },
		{ MECH_PROG_KMULTI_RET, FT_LOAD_KMULTI, MECH_ATTACH_KPROBE_MULTI },
	};
	struct lb_api *a = &b->lib.api;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_program *p = a->find_prog(b->obj, progs[i].name);

		if (lb_err(b, p))
			continue;
		if (!(multi & progs[i].want)) {
			a->set_autoload(p, false);
			continue;
		}
		a->set_type(p, BPF_PROG_TYPE_KPROBE);
		a->set_attach_type(p, progs[i].attach_type);
	}
}

static int lb_programs(struct ft_bpf *b, bool tracepoints, struct ft_err *err)
{
	static const char *const off[] = { "ft_fentry", "ft_fexit", "ft_fork", "ft_exit",
					   "ft_sys_enter", "ft_sys_exit", "ft_raw_enter",
					   "ft_raw_exit" };
	struct lb_api *a = &b->lib.api;

	b->entry = a->find_prog(b->obj, "ft_entry");
	b->ret = a->find_prog(b->obj, "ft_return");
	if (lb_err(b, b->entry) || lb_err(b, b->ret))
		return ft_errf(err, -ENOENT, "BPF object lacks its ft_entry/ft_return "
			       "programs");
	/* fentry/fexit have no attach target in the object; only -f and
	 * syscalls need the tracepoint programs */
	for (size_t i = 0; i < (tracepoints ? 2 : sizeof(off) / sizeof(off[0])); i++) {
		struct bpf_program *p = a->find_prog(b->obj, off[i]);

		if (!lb_err(b, p))
			a->set_autoload(p, false);
	}
	return 0;
}


static int lb_open_obj(struct ft_bpf *b, int log_level, struct bpf_object **obj,
		       struct ft_err *err)
{
	struct lb_open_opts oo;
	long e;

	memset(&oo, 0, sizeof(oo));	/* padding too: see lb_attach_one() */
	oo.sz = sizeof(oo);
	oo.object_name = "ftrace";
	oo.kernel_log_buf = b->log;
	oo.kernel_log_size = LOG_SIZE;
	oo.kernel_log_level = log_level > 1 ? 1 | 4 : log_level ? 4 : 0;

	*obj = b->lib.api.open_mem(b->blob, b->blob_sz, &oo);
	e = lb_err(b, *obj);
	if (e) {
		*obj = NULL;
		return ft_errf(err, (int)e, "libbpf cannot open the embedded BPF "
			       "object: %s", lb_why(b, (int)e));
	}
	return 0;
}

static void lb_destroy(struct ft_bpf *b);

/* the raw tracepoint that frees an exiting thread's state, attached with
 * the object (its section, raw_tp/sched_process_exit, says where) */
static int lb_thread_exit(struct ft_bpf *b, struct ft_err *err)
{
	struct bpf_program *p = b->lib.api.find_prog(b->obj, "ft_thread_exit");
	long e;

	if (lb_err(b, p))
		return ft_errf(err, -ENOENT, "BPF object lacks ft_thread_exit");
	b->thread_exit = b->lib.api.attach_auto(p);
	e = lb_err(b, b->thread_exit);
	if (e) {
		b->thread_exit = NULL;
		return ft_errf(err, (int)e, "cannot attach to the raw tracepoint "
			       "sched_process_exit: %s", e == -EMFILE ? "too many open "
			       "files (raise the limit with ulimit -n)" : lb_why(b, (int)e));
	}
	return 0;
}

static int lb_load(const struct ft_load_opts *o, struct ft_bpf **out,
		   struct ft_err *err)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct ft_bpf *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	if (sys_bpf_has_cookie() == 0) {
		free(b);
		/* libbpf attaches with the cookie or not at all */
		return ft_errf(err, -EOPNOTSUPP, "the libbpf loader needs BPF cookies "
			       "(Linux 5.15+), which this kernel lacks; the built-in "
			       "loader (--loader=builtin, the default) traces it");
	}
	b->log = calloc(1, LOG_SIZE);
	b->msgs.buf = calloc(1, MSG_SIZE);
	ret = b->log && b->msgs.buf ? lb_open(o->lib_path, &b->lib, err) : -ENOMEM;
	if (ret)
		goto fail;
	lb_sink = &b->msgs;
	b->lib.api.set_print(lb_print);
	/* kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK */
	setrlimit(RLIMIT_MEMLOCK, &rl);
	b->blob = o->obj;
	b->blob_sz = o->obj_sz;
	ret = lb_open_obj(b, o->log_level, &b->obj, err);
	if (!ret && o->ringbuf_bytes)
		ret = lb_resize(b, "events", o->ringbuf_bytes, err);
	if (!ret && o->max_targets)
		ret = lb_resize(b, "targets", o->max_targets, err);
	if (!ret && o->agg_entries)
		ret = lb_resize(b, "agg", o->agg_entries, err);
	if (!ret && o->agg_tgt_entries)
		ret = lb_resize(b, "agg_tgt", o->agg_tgt_entries, err);
	if (!ret && o->held_entries)
		ret = lb_resize(b, "held", o->held_entries, err);
	if (!ret && o->stack_entries)
		ret = lb_resize(b, "stackmap", o->stack_entries, err);
	if (!ret && o->stack_entries)
		ret = lb_resize(b, "stack_keys", o->stack_entries, err);
	if (!ret)
		ret = lb_out_mode(b, o->flight, err);
	if (!ret)
		ret = lb_programs(b, o->tracepoints, err);
	if (!ret) {
		lb_multi(b, o->multi);
		b->msgs.last[0] = 0;
		ret = b->lib.api.load(b->obj);
		if (ret && o->multi) {
			/* a kernel that refuses the multi-probe programs
			 * gets perf-event probes: load again without them */
			struct ft_load_opts single = *o;

			single.multi = 0;
			lb_destroy(b);
			return lb_load(&single, out, err);
		}
		if (ret)
			ret = lb_load_err(b, ret, err);
	}
	if (!ret)
		ret = lb_thread_exit(b, err);
	if (ret)
		goto fail;
	*out = b;
	return 0;
fail:
	lb_destroy(b);
	return ret;
}

static int lb_map_fd(struct ft_bpf *b, const char *name)
{
	struct bpf_map *m = b->lib.api.find_map(b->obj, name);
	int fd;

	if (lb_err(b, m))
		return -ENOENT;
	fd = b->lib.api.map_fd(m);
	return fd < 0 ? -ENOENT : fd;
}

static const char *lb_log(struct ft_bpf *b)
{
	size_t n = strlen(b->log);

	if (!b->msgs.len)
		return b->log;
	free(b->full_log);
	b->full_log = malloc(n + b->msgs.len + 32);
	if (!b->full_log)
		return b->log;
	snprintf(b->full_log, n + b->msgs.len + 32, "%s%slibbpf said:\n%s",
		 b->log, n ? "\n" : "", b->msgs.buf);
	return b->full_log;
}

static int lb_add(struct ft_bpf *b, struct bpf_link *l, int fd, struct bpf_object *fobj)
{
	if (b->nlinks == b->links_cap) {
		size_t cap = b->links_cap ? 2 * b->links_cap : 16;
		struct lb_link *n = realloc(b->links, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		b->links = n;
		b->links_cap = cap;
	}
	b->links[b->nlinks].link = l;
	b->links[b->nlinks].fd = fd;
	b->links[b->nlinks].fobj = fobj;
	b->nlinks++;
	return 0;
}

/* Options are zeroed whole, padding included: libbpf refuses a struct
 * whose bytes past the last field it knows are not zero. */
static struct bpf_link *lb_attach_one(struct ft_bpf *b, const struct ft_probe *p)
{
	struct bpf_program *prog = p->ret ? b->ret : b->entry;

	if (p->kind == FT_PROBE_TRACEPOINT) {
		char cat[64];
		size_t n = strcspn(p->path, "/");

		snprintf(cat, sizeof(cat), "%.*s", (int)n, p->path);
		prog = b->lib.api.find_prog(b->obj, p->prog);
		if (!prog || lb_err(b, prog) || !p->path[n])
			return (struct bpf_link *)(long)-ENOENT;
		return b->lib.api.attach_tp(prog, cat, p->path + n + 1);
	}

	if (p->kind == FT_PROBE_UPROBE) {
		struct lb_uprobe_opts uo;

		memset(&uo, 0, sizeof(uo));
		uo.sz = sizeof(uo);
		uo.bpf_cookie = p->cookie;
		uo.retprobe = p->ret;
		return b->lib.api.attach_uprobe(prog, p->pid, p->path,
						(size_t)p->offset, &uo);
	} else {
		struct lb_kprobe_opts ko;

		memset(&ko, 0, sizeof(ko));
		ko.sz = sizeof(ko);
		ko.bpf_cookie = p->cookie;
		ko.offset = (size_t)p->offset;
		ko.retprobe = p->ret;
		return b->lib.api.attach_kprobe(prog, p->path, &ko);
	}
}

/* Make obj use the maps of the first object, so all targets share one ring
 * buffer, one set of per-thread stacks and one config. */
static int lb_share_maps(struct ft_bpf *b, struct bpf_object *obj)
{
	struct lb_api *a = &b->lib.api;
	struct bpf_map *m = NULL;

	while ((m = a->next_map(obj, m))) {
		struct bpf_map *mine = a->find_map(b->obj, a->map_name(m));
		int ret;

		if (lb_err(b, mine))
			return -ENOENT;
		ret = a->reuse_fd(m, a->map_fd(mine));
		if (ret)
			return ret;
	}
	return 0;
}

/* fentry/fexit: a BPF trampoline program names its target at load time, so
 * each target gets its own copy of the object, with only that program
 * loaded and every map shared with the first object. */
static int lb_attach_fentry(struct ft_bpf *b, const struct ft_probe *p,
			    struct ft_err *err)
{
	const char *want = p->ret ? "ft_fexit" : "ft_fentry";
	struct lb_api *a = &b->lib.api;
	struct bpf_program *prog = NULL;
	struct bpf_object *obj;
	struct bpf_link *l = NULL;
	struct lb_trace_opts to;
	int ret;
	long e;

	ret = lb_open_obj(b, 0, &obj, err);
	if (ret)
		return ret;
	ret = lb_share_maps(b, obj);
	/* only the one program: every other stays unloaded */
	for (struct bpf_program *pr = NULL; !ret && (pr = a->next_prog(obj, pr));) {
		if (strcmp(a->prog_name(pr), want))
			a->set_autoload(pr, false);
		else
			prog = pr;
	}
	if (!ret && !prog)
		ret = -ENOENT;
	b->msgs.last[0] = 0;
	if (!ret)
		ret = a->set_attach_target(prog, 0, p->path);
	if (!ret)
		ret = a->load(obj);
	if (!ret) {
		memset(&to, 0, sizeof(to));	/* padding too: see lb_attach_one() */
		to.sz = sizeof(to);
		to.cookie = p->cookie;
		l = a->attach_trace(prog, &to);
		e = lb_err(b, l);
		ret = (int)e;
	}
	if (!ret)
		ret = lb_add(b, l, -1, obj);
	if (ret) {
		if (l && !lb_err(b, l))
			a->link_destroy(l);
		a->close(obj);
		if (ret == -EPERM || ret == -EACCES)
			return ft_errf(err, ret, "the kernel refused the fentry/fexit "
				       "program (permission denied: kernel lockdown, or "
				       "missing CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)");
		return ft_errf(err, ret, "cannot attach fentry/fexit to %s: %s",
			       p->path, lb_why(b, ret));
	}
	return 0;
}

static int lb_attach(struct ft_bpf *b, const struct ft_probe *p,
		     struct ft_err *err)
{
	struct bpf_link *l;
	long e;
	int ret;

	if (p->kind == FT_PROBE_FENTRY)
		return lb_attach_fentry(b, p, err);
	b->msgs.last[0] = 0;
	l = lb_attach_one(b, p);
	e = lb_err(b, l);
	if (e) {
		if (e == -EINVAL && strstr(b->msgs.last, "cookie"))
			return ft_errf(err, (int)e, "the kernel cannot link BPF programs "
				       "to perf events with a cookie (needs Linux 5.15+)");
		if (e < 0 && -e < 4000 && b->msgs.last[0])
			return ft_errf(err, (int)e, "%s (libbpf: %s)",
				       probe_strerror(p, (int)e), b->msgs.last);
		return ft_errf(err, (int)e, "%s", e < 0 && -e < 4000 ?
			       probe_strerror(p, (int)e) : lb_why(b, (int)e));
	}
	ret = lb_add(b, l, -1, NULL);
	if (ret)
		b->lib.api.link_destroy(l);
	return ret;
}

static int lb_prog_fd(struct ft_bpf *b, const char *name)
{
	struct bpf_program *p = b->lib.api.find_prog(b->obj, name);
	int fd;

	if (lb_err(b, p))
		return -ENOENT;
	fd = b->lib.api.prog_fd(p);
	return fd < 0 ? -ENOENT : fd;
}

static int lb_keep_fd(struct ft_bpf *b, int fd)
{
	int ret = lb_add(b, NULL, fd, NULL);

	if (ret)
		close(fd);
	return ret;
}

static size_t lb_mark(struct ft_bpf *b)
{
	return b->nlinks;
}

static void lb_rollback(struct ft_bpf *b, size_t mark)
{
	for (size_t i = mark; i < b->nlinks; i++) {
		struct lb_link *l = &b->links[i];

		if (l->link)
			b->lib.api.link_destroy(l->link);
		if (l->fd >= 0)
			close(l->fd);
		if (l->fobj)
			b->lib.api.close(l->fobj);
	}
	if (mark < b->nlinks)
		b->nlinks = mark;
}

static void lb_detach(struct ft_bpf *b)
{
	lb_rollback(b, 0);
}

static void lb_destroy(struct ft_bpf *b)
{
	if (!b)
		return;
	lb_detach(b);
	if (b->thread_exit)
		b->lib.api.link_destroy(b->thread_exit);
	if (b->obj)
		b->lib.api.close(b->obj);
	if (lb_sink == &b->msgs)
		lb_sink = NULL;
	free(b->links);
	free(b->log);
	free(b->full_log);
	free(b->msgs.buf);
	free(b);
}

static const char *lb_describe(struct ft_bpf *b)
{
	return b->lib.desc;
}

const struct ft_loader ft_loader_libbpf = {
	.name = "libbpf",
	.load = lb_load,
	.map_fd = lb_map_fd,
	.log = lb_log,
	.attach = lb_attach,
	.prog_fd = lb_prog_fd,
	.keep_fd = lb_keep_fd,
	.mark = lb_mark,
	.rollback = lb_rollback,
	.detach = lb_detach,
	.destroy = lb_destroy,
	.describe = lb_describe,
};
