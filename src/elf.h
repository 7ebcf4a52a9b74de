/* SPDX-License-Identifier: MIT */
/* ELF reader: symbols, loadable segments and the few facts about a binary that
 * decide how it may be probed. Pure parsing; no probing happens here. */
#ifndef FTRACE_ELF_H
#define FTRACE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum elf_sym_kind {
	ELF_SYM_FUNC,		/* STT_FUNC */
	ELF_SYM_IFUNC,		/* STT_GNU_IFUNC: value is the resolver */
	ELF_SYM_DATA,		/* STT_OBJECT, STT_TLS, STT_COMMON */
	ELF_SYM_OTHER,		/* STT_NOTYPE and the rest */
};

struct elf_sym {
	const char *name;	/* without any @VERSION / @@VERSION suffix */
	const char *version;	/* "GLIBC_2.2.5" or NULL */
	bool ver_hidden;	/* "name@VER" (not the default "name@@VER") */
	uint64_t addr;		/* st_value, Thumb bit cleared */
	uint64_t size;
	enum elf_sym_kind kind;
	bool thumb;		/* ARM: st_value had bit 0 set on a function */
	bool global;		/* STB_GLOBAL or STB_WEAK */
	bool dynamic;		/* came from .dynsym */
};

struct elf_seg {		/* one PT_LOAD */
	uint64_t vaddr, memsz;
	uint64_t offset, filesz;
	bool exec;		/* PF_X */
};

struct elf_irel {		/* R_*_IRELATIVE: GOT slot filled by a resolver */
	uint64_t slot;		/* vaddr of the slot */
	uint64_t resolver;	/* vaddr of the resolver (the addend; ARM:
				 * Thumb bit cleared, like elf_sym.addr) */
};

struct elf_file {
	uint16_t machine;	/* e_machine */
	bool is64;		/* ELFCLASS64 */
	bool pie_or_dso;	/* ET_DYN */
	bool is_go;		/* .go.buildinfo or .note.go.buildid present */
	bool has_thumb;		/* ARM: some function symbol is Thumb */
	struct elf_seg *segs;
	size_t nsegs;
	struct elf_sym *syms;	/* .symtab + .dynsym, sorted by addr, then name,
				 * then version; the same (name, addr) appears
				 * once per version (libc has sem_destroy@GLIBC_2.2.5
				 * and sem_destroy@@GLIBC_2.34 at one address) */
	size_t nsyms;
	struct elf_irel *irels;
	size_t nirels;
	char *strings;		/* backing store for names */
};

/* Parse an ELF image held in memory. Never reads outside [buf, buf + len).
 * Returns 0, -ENOEXEC (not an ELF file), -EINVAL (malformed or truncated),
 * -ENOMEM. On error *ef is left empty (safe to elf_free). */
int elf_parse(const void *buf, size_t len, struct elf_file *ef);

/* Read and parse a file. Besides elf_parse's errors: -errno from open/read,
 * -EISDIR for a directory, -ENODEV for anything not a regular file. */
int elf_open(const char *path, struct elf_file *ef);

void elf_free(struct elf_file *ef);

/* Look a symbol up by name. "malloc" matches "malloc", "malloc@GLIBC_2.2.5"
 * and "malloc@@GLIBC_2.2.5"; "malloc@@GLIBC_2.2.5" matches only that
 * version when it is the default one; "malloc@GLIBC_2.2.5" matches that
 * version, default or not. Prefers a function with nonzero address and a
 * global binding, then the default version.
 * Returns NULL when absent (undefined symbols, st_shndx == SHN_UNDEF, are
 * never returned). */
const struct elf_sym *elf_find_sym(const struct elf_file *ef, const char *name);

/* The function (FUNC or IFUNC, size > 0) whose [addr, addr+size) holds
 * vaddr, or NULL. Aliases at one address: returns the global one, then the
 * shortest name. Nested ranges: the one starting last (innermost). */
const struct elf_sym *elf_func_at(const struct elf_file *ef, uint64_t vaddr);

/* File offset of a virtual address inside an executable PT_LOAD:
 * vaddr - p_vaddr + p_offset. -ERANGE if vaddr is in no executable segment
 * (or past p_filesz). */
int elf_vaddr_to_off(const struct elf_file *ef, uint64_t vaddr, uint64_t *off);

/* Inverse: the vaddr of a file offset inside an executable PT_LOAD, -ERANGE
 * if the offset lies in no executable segment's file image. */
int elf_off_to_vaddr(const struct elf_file *ef, uint64_t off, uint64_t *vaddr);

/* Up to max function names closest to name (edit distance, then prefix or
 * substring matches), best first, no duplicates. Returns how many. */
size_t elf_suggest(const struct elf_file *ef, const char *name,
		   const char **out, size_t max);

/* The GOT slot an IRELATIVE relocation fills with resolver's choice, or
 * -ENOENT. */
int elf_irel_slot(const struct elf_file *ef, uint64_t resolver, uint64_t *slot);

/* Name of an e_machine value ("x86_64", "ARM", "RISC-V", "AArch64", ...). */
const char *elf_machine_name(uint16_t machine);

#endif
