/* SPDX-License-Identifier: MIT */
/* Kernel symbols for kernel mode: /proc/kallsyms (text symbols only), the
 * kprobe blacklist (debugfs kprobes/blacklist, or the kernel's no-probe
 * sections as a fallback), probe-target syntax and syscall-wrapper names.
 * Pure parsing; nothing here attaches a probe. */
#ifndef FTRACE_KALLSYMS_H
#define FTRACE_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KSYM_NAME_LEN		512	/* the kernel's limit, NUL included */
#define KALLSYMS_PATH		"/proc/kallsyms"
#define KBLACKLIST_PATH		"/sys/kernel/debug/kprobes/blacklist"

struct ksym {
	uint64_t addr;
	uint64_t size;		/* distance to the next higher address of any
				 * kallsyms symbol (text or not); 0 when
				 * unknown (the highest symbol, hidden addrs) */
	const char *name;
	const char *module;	/* "ext4", "bpf", "__builtin__ftrace"; NULL for
				 * the core kernel */
	char type;		/* 't' 'T' (local/global) or 'w' 'W' (weak) */
};

struct ksyms {
	struct ksym *syms;	/* sorted by addr, ties in input order */
	size_t nsyms;
	const struct ksym **by_name;	/* syms sorted by name, then addr */
	size_t nskipped;	/* malformed lines that were ignored */
	bool addrs_hidden;	/* kptr_restrict: every address read as 0 */
	char *strings;		/* backing store for names and modules */
};

/* Parse /proc/kallsyms text: "ffffffff81234560 T vfs_read" with an optional
 * "\t[module]". Keeps text symbols (types t, T and the weak w, W: weak
 * functions such as abort are W); other types only bound the size of the
 * text symbol below them. Malformed lines are skipped and counted. Never
 * reads outside [buf, buf + len); buf need not be NUL-terminated. Returns 0,
 * -EINVAL when there were lines but none was well-formed, -ENOMEM. On error
 * *ks is left empty (safe to ksyms_free). */
int ksyms_parse(const char *buf, size_t len, struct ksyms *ks);

/* Read a file to EOF (procfs reports size 0) and parse it. Besides
 * ksyms_parse's errors: -errno from open/read, -EISDIR, -ENODEV (not a
 * regular file), -EFBIG (over 256 MiB). */
int ksyms_load(const char *path, struct ksyms *ks);

void ksyms_free(struct ksyms *ks);

/* Exact name lookup; with several symbols of that name (static functions of
 * different files, a module's copy) the one at the lowest address. NULL when
 * absent. O(log n). */
const struct ksym *ksyms_find(const struct ksyms *ks, const char *name);

/* How many symbols have this name (0 when absent). */
size_t ksyms_count(const struct ksyms *ks, const char *name);

/* The n-th (0-based, address order) symbol of that name, or NULL. */
const struct ksym *ksyms_find_nth(const struct ksyms *ks, const char *name,
				  size_t n);

/* The symbol containing addr: the greatest address <= addr, and addr below
 * the next symbol's address (of any type); the highest symbol has no upper
 * bound. Aliases at one address: the first in input order that is not a
 * section marker (_stext, __entry_text_start, ...). *off (if non-NULL) gets
 * addr - sym->addr. NULL when below every symbol, in a gap, or when the
 * addresses are hidden. */
const struct ksym *ksyms_at(const struct ksyms *ks, uint64_t addr,
			    uint64_t *off);

/* Up to max (at most 16) distinct names close to name: edit distance
 * (adjacent transpositions count 1) of at most max(2, len/3) capped at 6,
 * then names containing name (3+ characters), best first. __pfx_ and __cfi_
 * names are left out unless name starts that way. Returns how many; the
 * strings belong to ks. */
size_t ksyms_suggest(const struct ksyms *ks, const char *name,
		     const char **out, size_t max);

/* ---- probe targets ---------------------------------------------------- */

enum ktarget_kind {
	KTARGET_SYM,		/* "vfs_read", "vfs_read+0x10", "vfs_read+16" */
	KTARGET_ADDR,		/* "0xffffffff81234560" */
};

struct ktarget {
	enum ktarget_kind kind;
	char sym[KSYM_NAME_LEN];	/* KTARGET_SYM */
	uint64_t off;			/* KTARGET_SYM: offset into sym */
	uint64_t addr;			/* KTARGET_ADDR */
};

/* Parse SYM, SYM+OFF (OFF: 0x-hex or decimal) or 0xADDR. Symbol names are
 * [A-Za-z0-9_.$] not starting with a digit ("foo.isra.0", "foo.cold").
 * -EINVAL for anything else (empty, "+0x10", "foo+", "0x", overflow,
 * whitespace, trailing junk), -ENAMETOOLONG for a name of KSYM_NAME_LEN
 * characters or more. Holds no allocation: nothing to free. */
int ktarget_parse(const char *text, struct ktarget *t);

/* ---- kprobe blacklist -------------------------------------------------- */

struct kbl_entry {
	uint64_t start, end;	/* [start, end) */
	const char *sym;	/* NULL for a range-only line */
	const char *module;	/* NULL unless the line said "sym [mod]" */
	bool section;		/* from kblacklist_add_sections */
};

struct kblacklist {
	struct kbl_entry *ents;	/* sorted by start, then end */
	size_t nents;
	uint64_t *maxend;	/* maxend[i]: greatest end in ents[0..i] */
	size_t nskipped;	/* malformed lines that were ignored */
	bool addrs_hidden;	/* every range read as 0-0 (kptr_restrict):
				 * only kblacklist_has_name is meaningful */
	char *strings;
};

/* Parse debugfs kprobes/blacklist text: "0xSTART-0xEND\tsym", "... sym
 * [mod]", or a bare "0xSTART-0xEND". Same conventions as ksyms_parse. */
int kblacklist_parse(const char *buf, size_t len, struct kblacklist *bl);

/* Read and parse; -ENOENT when the file is absent (debugfs not mounted),
 * -EACCES when not root: the caller decides whether that matters. */
int kblacklist_load(const char *path, struct kblacklist *bl);

/* Add the sections the kernel refuses to probe as a whole, as far as
 * kallsyms shows their start/end markers: .kprobes.text, .noinstr.text
 * (which holds .cpuidle.text), .entry.text, .irqentry.text, and arm64's
 * idmap/hyp text. Usable on an empty (zeroed) list when debugfs is absent.
 * Adds nothing when ks->addrs_hidden. Returns how many ranges were added or
 * -ENOMEM. */
int kblacklist_add_sections(struct kblacklist *bl, const struct ksyms *ks);

/* Whether addr lies in a blacklisted range; *sym (if non-NULL) gets that
 * entry's symbol, section marker name (e.g. "__kprobes_text") or NULL. */
bool kblacklist_hit(const struct kblacklist *bl, uint64_t addr,
		    const char **sym);

/* Whether a blacklist line names this symbol (works with hidden addrs). */
bool kblacklist_has_name(const struct kblacklist *bl, const char *name);

void kblacklist_free(struct kblacklist *bl);

/* ---- syscalls ---------------------------------------------------------- */

/* name starts with prefix ("__x64_sys_", "__riscv_sys_", "__arm64_sys_",
 * "sys_") and has something after it. False for a NULL or empty prefix. */
bool ksym_is_syscall_wrapper(const char *name, const char *prefix);

/* For "mount", "sys_mount", "__se_sys_mount", "__do_sys_mount" or another
 * arch's "__arm64_sys_mount": the existing symbol prefix+"mount", else
 * "sys_mount" (kernels without wrappers). NULL when neither exists or the
 * guess is name itself. The string belongs to ks. */
const char *ksym_syscall_guess(const struct ksyms *ks, const char *name,
			       const char *prefix);

#endif
