// SPDX-License-Identifier: MIT
/* ELF reader. Every offset and size taken from the file is checked against
 * the buffer with overflow-safe arithmetic before it is used; the file is
 * untrusted input (it will be fuzzed).
 *
 * Layout: the kernel's <linux/elf.h> provides the on-disk structures (the
 * libc <elf.h> is shadowed by src/elf.h because of -Isrc). Only little-endian
 * files are accepted and every supported host (x86_64, armv7l, riscv64) is
 * little-endian, so records are memcpy'd into those structures.
 *
 * Names: the string tables that symbol names and version names come from are
 * copied into ef->strings, so the elf_file holds no pointer into the caller's
 * buffer. The string table of .symtab is copied twice: the second copy gets a
 * NUL written over the '@' of "name@VER"/"name@@VER" so that the bare name
 * can be used in place while the first copy keeps the version intact.
 *
 * A symbol whose st_name lies outside its string table makes the whole file
 * -EINVAL (a linker never writes one; such a file is corrupt). */
#include "elf.h"
#include "suggest.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "elf.c reads little-endian ELF files on a little-endian host"
#endif

#ifndef STT_GNU_IFUNC
#define STT_GNU_IFUNC		10
#endif
#ifndef STB_GNU_UNIQUE
#define STB_GNU_UNIQUE		10
#endif
#ifndef SHN_XINDEX
#define SHN_XINDEX		0xffff
#endif
#ifndef SHT_GNU_verdef
#define SHT_GNU_verdef		0x6ffffffd
#endif
#ifndef SHT_GNU_versym
#define SHT_GNU_versym		0x6fffffff
#endif
#define VERDEF_SIZE		20	/* Elf{32,64}_Verdef: same in both */
#define VERDAUX_SIZE		8
#define VER_FLG_BASE_BIT	0x1
#define VERSYM_HIDDEN		0x8000
#define VERSYM_INDEX_MASK	0x7fff

#define R_386_IRELATIVE_T	42
#define R_X86_64_IRELATIVE_T	37
#define R_ARM_IRELATIVE_T	160
#define R_AARCH64_IRELATIVE_T	1032
#define R_RISCV_IRELATIVE_T	58

#ifndef EM_RISCV
#define EM_RISCV		243
#endif
#ifndef EM_AARCH64
#define EM_AARCH64		183
#endif

/* Section header, either class, widened. */
struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t entsize;
};

struct ctx {
	const uint8_t *buf;
	size_t len;
	bool is64;
	uint16_t machine;
	uint64_t shoff;
	size_t shnum;
	size_t shentsize;
	struct shdr shstr;	/* section name string table, if any */
	bool have_shstr;
	size_t nsyms_cap;	/* size of ef->syms */
};

/* [off, off + size) lies inside the buffer. */
static bool in_buf(const struct ctx *c, uint64_t off, uint64_t size)
{
	return off <= c->len && size <= (uint64_t)c->len - off;
}

static void *alloc_array(size_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / size)
		return NULL;
	return calloc(n, size);
}

static int read_shdr(const struct ctx *c, size_t idx, struct shdr *sh)
{
	uint64_t off;

	if (idx >= c->shnum)
		return -EINVAL;
	off = c->shoff + (uint64_t)idx * c->shentsize;	/* checked at setup */
	if (c->is64) {
		Elf64_Shdr s;

		memcpy(&s, c->buf + off, sizeof(s));
		*sh = (struct shdr){ s.sh_name, s.sh_type, s.sh_flags,
				     s.sh_addr, s.sh_offset, s.sh_size,
				     s.sh_link, s.sh_info, s.sh_entsize };
	} else {
		Elf32_Shdr s;

		memcpy(&s, c->buf + off, sizeof(s));
		*sh = (struct shdr){ s.sh_name, s.sh_type, s.sh_flags,
				     s.sh_addr, s.sh_offset, s.sh_size,
				     s.sh_link, s.sh_info, s.sh_entsize };
	}
	if (sh->type != SHT_NOBITS && sh->type != SHT_NULL &&
	    !in_buf(c, sh->offset, sh->size))
		return -EINVAL;
	return 0;
}

/* Name of a section, or NULL when it has none or it is out of range. */
static const char *section_name(const struct ctx *c, const struct shdr *sh)
{
	const char *s;

	if (!c->have_shstr || sh->name >= c->shstr.size)
		return NULL;
	s = (const char *)c->buf + c->shstr.offset + sh->name;
	if (!memchr(s, '\0', c->shstr.size - sh->name))
		return NULL;
	return s;
}

static int parse_ehdr(struct ctx *c, struct elf_file *ef, uint64_t *phoff,
		      size_t *phnum, size_t *phentsize, size_t *shstrndx)
{
	const uint8_t *id = c->buf;
	uint16_t type;

	if (c->len < SELFMAG || memcmp(id, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (c->len < EI_NIDENT)
		return -EINVAL;
	if (id[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;	/* big-endian: not supported */
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;

		if (c->len < sizeof(e))
			return -EINVAL;
		memcpy(&e, c->buf, sizeof(e));
		type = e.e_type;
		c->machine = e.e_machine;
		*phoff = e.e_phoff;
		*phnum = e.e_phnum;
		*phentsize = e.e_phentsize;
		c->shoff = e.e_shoff;
		c->shnum = e.e_shnum;
		c->shentsize = e.e_shentsize;
		*shstrndx = e.e_shstrndx;
		c->is64 = true;
	} else if (id[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;

		if (c->len < sizeof(e))
			return -EINVAL;
		memcpy(&e, c->buf, sizeof(e));
		type = e.e_type;
		c->machine = e.e_machine;
		*phoff = e.e_phoff;
		*phnum = e.e_phnum;
		*phentsize = e.e_phentsize;
		c->shoff = e.e_shoff;
		c->shnum = e.e_shnum;
		c->shentsize = e.e_shentsize;
		*shstrndx = e.e_shstrndx;
		c->is64 = false;
	} else {
		return -EINVAL;
	}
	ef->machine = c->machine;
	ef->is64 = c->is64;
	ef->pie_or_dso = type == ET_DYN;
	return 0;
}

/* Validate the section header table, resolving the extended numbering
 * (e_shnum == 0, e_shstrndx == SHN_XINDEX, e_phnum == PN_XNUM), which lives
 * in section 0. */
static int setup_sections(struct ctx *c, size_t *phnum, size_t shstrndx)
{
	size_t minsz = c->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	size_t shnum = c->shnum;
	struct shdr sh0;
	int err;

	if (c->shoff == 0) {
		c->shnum = 0;
		return *phnum == PN_XNUM ? -EINVAL : 0;
	}
	if (c->shentsize < minsz || !in_buf(c, c->shoff, minsz))
		return -EINVAL;
	if (shnum == 0 || shstrndx == SHN_XINDEX || *phnum == PN_XNUM) {
		c->shnum = 1;	/* just enough to read section 0 */
		err = read_shdr(c, 0, &sh0);
		if (err)
			return err;
		if (shnum == 0) {
			if (sh0.size == 0 || sh0.size > c->len)
				return -EINVAL;
			shnum = (size_t)sh0.size;
		}
		if (shstrndx == SHN_XINDEX)
			shstrndx = sh0.link;
		if (*phnum == PN_XNUM)
			*phnum = sh0.info;
	}
	if (shnum > c->len / c->shentsize ||
	    !in_buf(c, c->shoff, (uint64_t)shnum * c->shentsize))
		return -EINVAL;
	c->shnum = shnum;
	if (shstrndx != SHN_UNDEF) {
		err = read_shdr(c, shstrndx, &c->shstr);
		if (err)
			return err;
		c->have_shstr = c->shstr.type == SHT_STRTAB;
	}
	return 0;
}

static int parse_segs(const struct ctx *c, struct elf_file *ef, uint64_t phoff,
		      size_t phnum, size_t phentsize)
{
	size_t minsz = c->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t i;

	if (phnum == 0)
		return 0;
	if (phentsize < minsz || phnum > c->len / phentsize ||
	    !in_buf(c, phoff, (uint64_t)phnum * phentsize))
		return -EINVAL;
	ef->segs = alloc_array(phnum, sizeof(*ef->segs));
	if (!ef->segs)
		return -ENOMEM;
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = c->buf + phoff + (uint64_t)i * phentsize;
		struct elf_seg *s = &ef->segs[ef->nsegs];
		uint32_t type, flags;

		if (c->is64) {
			Elf64_Phdr h;

			memcpy(&h, p, sizeof(h));
			type = h.p_type;
			flags = h.p_flags;
			*s = (struct elf_seg){ h.p_vaddr, h.p_memsz,
					       h.p_offset, h.p_filesz, false };
		} else {
			Elf32_Phdr h;

			memcpy(&h, p, sizeof(h));
			type = h.p_type;
			flags = h.p_flags;
			*s = (struct elf_seg){ h.p_vaddr, h.p_memsz,
					       h.p_offset, h.p_filesz, false };
		}
		if (type != PT_LOAD)
			continue;
		s->exec = flags & PF_X;
		ef->nsegs++;
	}
	return 0;
}

/* ---- string tables -------------------------------------------------- */

/* One string table copied into ef->strings: base is the copy (NUL added
 * after it), size the section's size. */
struct strtab {
	const char *base;
	uint64_t size;
};

static const char *strtab_get(const struct strtab *t, uint64_t off)
{
	if (!t->base || off >= t->size)
		return NULL;
	return t->base + off;
}

/* The sections whose strings we keep. */
struct tables {
	struct shdr symtab, dynsym, versym, verdef;
	size_t symtab_idx, dynsym_idx;
	bool have_symtab, have_dynsym, have_versym, have_verdef;
	struct shdr symstr, dynstr, verstr;
	struct strtab t_sym, t_sym_split, t_dyn, t_ver;
};

static int link_strtab(const struct ctx *c, const struct shdr *sh,
		       struct shdr *str)
{
	int err = read_shdr(c, sh->link, str);

	if (err)
		return err;
	if (str->type != SHT_STRTAB)
		return -EINVAL;
	return 0;
}

static void scan_section(const struct ctx *c, struct elf_file *ef,
			 struct tables *t, size_t i, const struct shdr *sh)
{
	const char *name = section_name(c, sh);

	if (name && (!strcmp(name, ".go.buildinfo") ||
		     !strcmp(name, ".note.go.buildid") ||
		     !strcmp(name, ".gopclntab")))
		ef->is_go = true;
	if (sh->type == SHT_SYMTAB && !t->have_symtab) {
		t->symtab = *sh;
		t->symtab_idx = i;
		t->have_symtab = true;
	} else if (sh->type == SHT_DYNSYM && !t->have_dynsym) {
		t->dynsym = *sh;
		t->dynsym_idx = i;
		t->have_dynsym = true;
	} else if (sh->type == SHT_GNU_versym && !t->have_versym) {
		t->versym = *sh;
		t->have_versym = true;
	} else if (sh->type == SHT_GNU_verdef && !t->have_verdef) {
		t->verdef = *sh;
		t->have_verdef = true;
	}
}

static int find_tables(const struct ctx *c, struct elf_file *ef,
		       struct tables *t)
{
	struct shdr sh;
	size_t i;
	int err;

	for (i = 1; i < c->shnum; i++) {
		err = read_shdr(c, i, &sh);
		if (err)
			return err;
		scan_section(c, ef, t, i, &sh);
	}
	if (t->have_symtab && (err = link_strtab(c, &t->symtab, &t->symstr)))
		return err;
	if (t->have_dynsym && (err = link_strtab(c, &t->dynsym, &t->dynstr)))
		return err;
	if (t->have_versym && (!t->have_dynsym ||
			       t->versym.link != t->dynsym_idx))
		t->have_versym = false;	/* belongs to no symbol table we read */
	if (t->have_verdef && (err = link_strtab(c, &t->verdef, &t->verstr)))
		return err;
	return 0;
}

/* Copy the needed string tables into one allocation. */
static int copy_strtabs(const struct ctx *c, struct elf_file *ef,
			struct tables *t)
{
	const struct shdr *src[4] = { NULL, NULL, NULL, NULL };
	struct strtab *dst[4] = { &t->t_sym, &t->t_sym_split, &t->t_dyn,
				  &t->t_ver };
	uint64_t total = 0;
	size_t i, pos = 0;

	if (t->have_symtab)
		src[0] = src[1] = &t->symstr;
	if (t->have_dynsym)
		src[2] = &t->dynstr;
	if (t->have_verdef)
		src[3] = &t->verstr;
	for (i = 0; i < 4; i++)
		if (src[i])
			total += src[i]->size + 1;	/* each <= len */
	if (total == 0)
		return 0;
	if (total > SIZE_MAX)
		return -ENOMEM;
	ef->strings = malloc((size_t)total);
	if (!ef->strings)
		return -ENOMEM;
	for (i = 0; i < 4; i++) {
		if (!src[i])
			continue;
		memcpy(ef->strings + pos, c->buf + src[i]->offset,
		       (size_t)src[i]->size);
		ef->strings[pos + src[i]->size] = '\0';
		dst[i]->base = ef->strings + pos;
		dst[i]->size = src[i]->size;
		pos += (size_t)src[i]->size + 1;
	}
	return 0;
}

/* ---- versions -------------------------------------------------------- */

/* verdef index -> version name; indices are 15-bit. */
struct vernames {
	const char **name;
	size_t n;
};

static int read_verdef_one(const struct ctx *c, const struct tables *t,
			   uint64_t off, struct vernames *vn, uint32_t *next)
{
	uint16_t flags, ndx;
	uint32_t aux, vda_name;
	const uint8_t *p;
	const char *name;

	if (off > t->verdef.size || t->verdef.size - off < VERDEF_SIZE)
		return -EINVAL;
	p = c->buf + t->verdef.offset + off;
	memcpy(&flags, p + 2, 2);
	memcpy(&ndx, p + 4, 2);
	memcpy(&aux, p + 12, 4);
	memcpy(next, p + 16, 4);
	if (aux > t->verdef.size - off ||
	    t->verdef.size - off - aux < VERDAUX_SIZE)
		return -EINVAL;
	memcpy(&vda_name, p + aux, 4);
	name = strtab_get(&t->t_ver, vda_name);
	if (!name)
		return -EINVAL;
	ndx &= VERSYM_INDEX_MASK;
	if (!(flags & VER_FLG_BASE_BIT) && ndx < vn->n)
		vn->name[ndx] = name;
	return 0;
}

static int read_verdefs(const struct ctx *c, const struct tables *t,
			struct vernames *vn)
{
	uint64_t off = 0, max = t->verdef.size / VERDEF_SIZE;
	uint32_t next, i;
	int err;

	if (!t->have_verdef || !t->have_versym)
		return 0;
	vn->n = VERSYM_INDEX_MASK + 1;
	vn->name = calloc(vn->n, sizeof(*vn->name));
	if (!vn->name)
		return -ENOMEM;
	for (i = 0; i < t->verdef.info && i < max; i++) {
		err = read_verdef_one(c, t, off, vn, &next);
		if (err)
			return err;
		if (next == 0)
			break;
		off += next;
	}
	return 0;
}

/* ---- symbols --------------------------------------------------------- */

struct rawsym {
	uint32_t name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value, size;
};

static void read_sym(const struct ctx *c, const uint8_t *p, struct rawsym *r)
{
	if (c->is64) {
		Elf64_Sym s;

		memcpy(&s, p, sizeof(s));
		*r = (struct rawsym){ s.st_name, s.st_info, s.st_shndx,
				      s.st_value, s.st_size };
	} else {
		Elf32_Sym s;

		memcpy(&s, p, sizeof(s));
		*r = (struct rawsym){ s.st_name, s.st_info, s.st_shndx,
				      s.st_value, s.st_size };
	}
}

static bool is_mapping_symbol(const char *name)
{
	return name[0] == '$' && name[1] && strchr("atdx", name[1]) &&
	       (name[2] == '\0' || name[2] == '.');
}

static enum elf_sym_kind sym_kind(unsigned int type)
{
	switch (type) {
	case STT_FUNC:
		return ELF_SYM_FUNC;
	case STT_GNU_IFUNC:
		return ELF_SYM_IFUNC;
	case STT_OBJECT:
	case STT_TLS:
	case STT_COMMON:
		return ELF_SYM_DATA;
	default:
		return ELF_SYM_OTHER;
	}
}

/* Split "name@VER" / "name@@VER" from .symtab. */
static void split_version(const struct tables *t, uint32_t st_name,
			  struct elf_sym *s)
{
	const char *full = strtab_get(&t->t_sym, st_name);
	const char *at = strchr(full, '@');
	char *split;

	s->name = full;
	if (!at || at == full)
		return;
	split = (char *)strtab_get(&t->t_sym_split, st_name);
	split[at - full] = '\0';
	s->name = split;
	if (at[1] == '@') {
		s->version = at + 2;
	} else {
		s->version = at + 1;
		s->ver_hidden = true;
	}
	if (!*s->version)
		s->version = NULL;
}

static int add_symbols(const struct ctx *c, struct elf_file *ef,
		       const struct tables *t, bool dynamic,
		       const struct vernames *vn)
{
	const struct shdr *sh = dynamic ? &t->dynsym : &t->symtab;
	const struct strtab *str = dynamic ? &t->t_dyn : &t->t_sym;
	size_t minsz = c->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	uint64_t n, i;

	if (sh->entsize < minsz)
		return -EINVAL;
	n = sh->size / sh->entsize;
	for (i = 1; i < n; i++) {
		const uint8_t *p = c->buf + sh->offset + i * sh->entsize;
		unsigned int type, bind;
		struct elf_sym *s;
		struct rawsym r;
		const char *name;

		read_sym(c, p, &r);
		name = strtab_get(str, r.name);
		if (!name)
			return -EINVAL;
		type = r.info & 0xf;
		bind = r.info >> 4;
		/* undefined, section/file markers, and absolute zeros (the
		 * VER_1 symbols that name version definitions) */
		if (!*name || r.shndx == SHN_UNDEF || type == STT_SECTION ||
		    type == STT_FILE || (r.shndx == SHN_ABS && !r.value))
			continue;
		if (is_mapping_symbol(name)) {
			if (name[1] == 't' && c->machine == EM_ARM)
				ef->has_thumb = true;
			continue;
		}
		if (ef->nsyms >= c->nsyms_cap)
			return -EINVAL;	/* cannot happen: cap counts both */
		s = &ef->syms[ef->nsyms++];
		memset(s, 0, sizeof(*s));
		s->name = name;
		s->addr = r.value;
		s->size = r.size;
		s->kind = sym_kind(type);
		s->global = bind == STB_GLOBAL || bind == STB_WEAK ||
			    bind == STB_GNU_UNIQUE;
		s->dynamic = dynamic;
		if (c->machine == EM_ARM && (r.value & 1) &&
		    (s->kind == ELF_SYM_FUNC || s->kind == ELF_SYM_IFUNC)) {
			s->addr &= ~(uint64_t)1;
			s->thumb = true;
			ef->has_thumb = true;
		}
		if (!dynamic) {
			split_version(t, r.name, s);
		} else if (vn->name) {
			uint64_t voff = i * 2;
			uint16_t v;

			if (voff >= t->versym.size || t->versym.size - voff < 2)
				continue;
			memcpy(&v, c->buf + t->versym.offset + voff, 2);
			s->version = vn->name[v & VERSYM_INDEX_MASK];
			s->ver_hidden = s->version && (v & VERSYM_HIDDEN);
		}
	}
	return 0;
}

static int vercmp(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;	/* NULL first */
	return strcmp(a, b);
}

static int sym_cmp(const void *pa, const void *pb)
{
	const struct elf_sym *a = pa, *b = pb;
	int r;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	r = strcmp(a->name, b->name);
	if (r)
		return r;
	r = vercmp(a->version, b->version);
	if (r)
		return r;
	return (int)b->dynamic - (int)a->dynamic;	/* .dynsym first */
}

static void merge_into(struct elf_sym *dst, const struct elf_sym *src)
{
	dst->global |= src->global;
	dst->dynamic |= src->dynamic;
	dst->thumb |= src->thumb;
	if (src->size > dst->size)
		dst->size = src->size;
	if (dst->kind == ELF_SYM_OTHER)
		dst->kind = src->kind;
}

/* After sorting, entries with the same (addr, name) are adjacent, the
 * unversioned ones first. An unversioned entry is folded into a versioned
 * one of the run when there is one (same symbol seen in .symtab without the
 * version and in .dynsym with it); entries whose version is equal are folded
 * together. Different versions at one address (libc's sem_destroy@GLIBC_2.2.5
 * and sem_destroy@@GLIBC_2.34) are kept apart so either can be looked up. */
static void dedup_syms(struct elf_file *ef)
{
	size_t i, j, out = 0, run_end;

	for (i = 0; i < ef->nsyms; i = run_end) {
		size_t first_ver, run_out = out;

		run_end = i + 1;
		while (run_end < ef->nsyms &&
		       ef->syms[run_end].addr == ef->syms[i].addr &&
		       !strcmp(ef->syms[run_end].name, ef->syms[i].name))
			run_end++;
		for (first_ver = i; first_ver < run_end &&
		     !ef->syms[first_ver].version; first_ver++)
			;
		if (first_ver == run_end)
			first_ver = i;	/* none versioned: keep the first */
		for (j = i; j < run_end; j++) {
			if (j == first_ver)
				continue;
			if (!ef->syms[j].version) {
				merge_into(&ef->syms[first_ver], &ef->syms[j]);
				ef->syms[j].name = NULL;
			}
		}
		for (j = i; j < run_end; j++) {
			struct elf_sym *s = &ef->syms[j];

			if (!s->name)
				continue;
			if (out > run_out && ef->syms[out - 1].addr == s->addr &&
			    !strcmp(ef->syms[out - 1].name, s->name) &&
			    !vercmp(ef->syms[out - 1].version, s->version)) {
				merge_into(&ef->syms[out - 1], s);
				continue;
			}
			ef->syms[out++] = *s;
		}
	}
	ef->nsyms = out;
}

static int parse_symbols(struct ctx *c, struct elf_file *ef,
			 struct tables *t)
{
	struct vernames vn = { NULL, 0 };
	uint64_t n = 0;
	int err;

	if (t->have_symtab && t->symtab.entsize)
		n += t->symtab.size / t->symtab.entsize;
	if (t->have_dynsym && t->dynsym.entsize)
		n += t->dynsym.size / t->dynsym.entsize;
	if (n == 0 && !t->have_symtab && !t->have_dynsym)
		return 0;
	if (n > SIZE_MAX)
		return -ENOMEM;
	ef->syms = alloc_array((size_t)n, sizeof(*ef->syms));
	if (!ef->syms)
		return -ENOMEM;
	c->nsyms_cap = (size_t)n;
	err = read_verdefs(c, t, &vn);
	if (!err && t->have_symtab)
		err = add_symbols(c, ef, t, false, &vn);
	if (!err && t->have_dynsym)
		err = add_symbols(c, ef, t, true, &vn);
	free(vn.name);
	if (err)
		return err;
	qsort(ef->syms, ef->nsyms, sizeof(*ef->syms), sym_cmp);
	dedup_syms(ef);
	return 0;
}

/* ---- IRELATIVE relocations ------------------------------------------ */

static bool is_irelative(uint16_t machine, uint32_t type)
{
	switch (machine) {
	case EM_X86_64:
		return type == R_X86_64_IRELATIVE_T;
	case EM_386:
		return type == R_386_IRELATIVE_T;
	case EM_ARM:
		return type == R_ARM_IRELATIVE_T;
	case EM_AARCH64:
		return type == R_AARCH64_IRELATIVE_T;
	case EM_RISCV:
		return type == R_RISCV_IRELATIVE_T;
	default:
		return false;
	}
}

/* File offset of vaddr in any PT_LOAD's file image, size bytes long. */
static int vaddr_to_off_any(const struct elf_file *ef, uint64_t vaddr,
			    uint64_t size, uint64_t *off)
{
	size_t i;

	for (i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->filesz &&
		    s->filesz - (vaddr - s->vaddr) >= size) {
			*off = s->offset + (vaddr - s->vaddr);
			return 0;
		}
	}
	return -ERANGE;
}

/* REL: the addend is the word already stored in the slot. */
static bool rel_addend(const struct ctx *c, const struct elf_file *ef,
		       uint64_t slot, uint64_t *addend)
{
	size_t w = c->is64 ? 8 : 4;
	uint64_t off;

	if (vaddr_to_off_any(ef, slot, w, &off) || !in_buf(c, off, w))
		return false;
	if (c->is64) {
		memcpy(addend, c->buf + off, 8);
	} else {
		uint32_t v;

		memcpy(&v, c->buf + off, 4);
		*addend = v;
	}
	return true;
}

static bool read_rel(const struct ctx *c, const struct elf_file *ef,
		     const uint8_t *p, bool rela, struct elf_irel *ir)
{
	uint64_t info, addend = 0;
	uint32_t type;

	if (c->is64) {
		Elf64_Rela r = { 0 };

		memcpy(&r, p, rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel));
		ir->slot = r.r_offset;
		info = r.r_info;
		type = (uint32_t)(info & 0xffffffff);
		if (rela)
			addend = (uint64_t)r.r_addend;
	} else {
		Elf32_Rela r = { 0 };

		memcpy(&r, p, rela ? sizeof(Elf32_Rela) : sizeof(Elf32_Rel));
		ir->slot = r.r_offset;
		info = r.r_info;
		type = (uint32_t)(info & 0xff);
		if (rela)
			addend = (uint32_t)r.r_addend;
	}
	if (!is_irelative(c->machine, type))
		return false;
	if (!rela && !rel_addend(c, ef, ir->slot, &addend))
		return false;
	if (c->machine == EM_ARM)
		addend &= ~(uint64_t)1;	/* Thumb resolver: match sym addr */
	ir->resolver = addend;
	return true;
}

static int count_relocs(const struct ctx *c, uint64_t *total)
{
	struct shdr sh;
	size_t i;
	int err;

	*total = 0;
	for (i = 1; i < c->shnum; i++) {
		err = read_shdr(c, i, &sh);
		if (err)
			return err;
		if ((sh.type == SHT_REL || sh.type == SHT_RELA) &&
		    (sh.flags & SHF_ALLOC) && sh.entsize)
			*total += sh.size / sh.entsize;
	}
	return 0;
}

static int parse_relocs_in(const struct ctx *c, struct elf_file *ef,
			   const struct shdr *sh)
{
	bool rela = sh->type == SHT_RELA;
	size_t minsz;
	uint64_t n, i;

	if (c->is64)
		minsz = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
	else
		minsz = rela ? sizeof(Elf32_Rela) : sizeof(Elf32_Rel);
	if (sh->entsize < minsz)
		return -EINVAL;
	n = sh->size / sh->entsize;
	for (i = 0; i < n; i++) {
		const uint8_t *p = c->buf + sh->offset + i * sh->entsize;

		if (read_rel(c, ef, p, rela, &ef->irels[ef->nirels]))
			ef->nirels++;
	}
	return 0;
}

/* Most relocations are not IRELATIVE: give the unused room back. */
static void shrink_irels(struct elf_file *ef)
{
	struct elf_irel *p;

	if (ef->nirels == 0) {
		free(ef->irels);
		ef->irels = NULL;
		return;
	}
	p = realloc(ef->irels, ef->nirels * sizeof(*p));
	if (p)
		ef->irels = p;
}

static int parse_irels(const struct ctx *c, struct elf_file *ef)
{
	uint64_t total;
	struct shdr sh;
	size_t i;
	int err;

	err = count_relocs(c, &total);
	if (err || total == 0)
		return err;
	if (total > SIZE_MAX)
		return -ENOMEM;
	ef->irels = alloc_array((size_t)total, sizeof(*ef->irels));
	if (!ef->irels)
		return -ENOMEM;
	for (i = 1; i < c->shnum; i++) {
		err = read_shdr(c, i, &sh);
		if (err)
			return err;
		if ((sh.type != SHT_REL && sh.type != SHT_RELA) ||
		    !(sh.flags & SHF_ALLOC) || !sh.entsize)
			continue;
		err = parse_relocs_in(c, ef, &sh);
		if (err)
			return err;
	}
	shrink_irels(ef);
	return 0;
}

/* ---- public ---------------------------------------------------------- */

int elf_parse(const void *buf, size_t len, struct elf_file *ef)
{
	struct ctx c = { .buf = buf, .len = len };
	struct tables t;
	size_t phnum, phentsize, shstrndx;
	uint64_t phoff;
	int err;

	memset(ef, 0, sizeof(*ef));
	memset(&t, 0, sizeof(t));
	if (!buf)
		return len ? -EINVAL : -ENOEXEC;
	err = parse_ehdr(&c, ef, &phoff, &phnum, &phentsize, &shstrndx);
	if (!err)
		err = setup_sections(&c, &phnum, shstrndx);
	if (!err)
		err = parse_segs(&c, ef, phoff, phnum, phentsize);
	if (!err)
		err = find_tables(&c, ef, &t);
	if (!err)
		err = copy_strtabs(&c, ef, &t);
	if (!err)
		err = parse_symbols(&c, ef, &t);
	if (!err)
		err = parse_irels(&c, ef);
	if (err)
		elf_free(ef);
	return err;
}

static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EINVAL;	/* shrank under us */
		done += (size_t)n;
	}
	return 0;
}

static int parse_fd(int fd, size_t len, struct elf_file *ef)
{
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	int err;

	if (map != MAP_FAILED) {
		err = elf_parse(map, len, ef);
		munmap(map, len);
		return err;
	}
	map = malloc(len);
	if (!map)
		return -ENOMEM;
	err = read_all(fd, map, len);
	if (!err)
		err = elf_parse(map, len, ef);
	free(map);
	return err;
}

static int check_type(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -ENODEV;
	if (st->st_size <= 0)
		return -ENOEXEC;
	if ((uint64_t)st->st_size > SIZE_MAX)
		return -EFBIG;
	return 0;
}

int elf_open(const char *path, struct elf_file *ef)
{
	struct stat st;
	int fd, err;

	memset(ef, 0, sizeof(*ef));
	if (stat(path, &st))
		return -errno;
	err = check_type(&st);
	if (err)
		return err;
	/* O_NONBLOCK: if a FIFO replaced the file since stat, do not hang. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else
		err = check_type(&st);
	if (!err)
		err = parse_fd(fd, (size_t)st.st_size, ef);
	close(fd);
	return err;
}

void elf_free(struct elf_file *ef)
{
	if (!ef)
		return;
	free(ef->segs);
	free(ef->syms);
	free(ef->irels);
	free(ef->strings);
	memset(ef, 0, sizeof(*ef));
}

static bool is_func(const struct elf_sym *s)
{
	return s->kind == ELF_SYM_FUNC || s->kind == ELF_SYM_IFUNC;
}

static int find_score(const struct elf_sym *s)
{
	return (is_func(s) ? 8 : 0) + (s->addr ? 4 : 0) + (s->global ? 2 : 0) +
	       (s->ver_hidden ? 0 : 1);
}

/* "name", "name@VER" (that version, default or not) or "name@@VER" (only
 * the default version). */
const struct elf_sym *elf_find_sym(const struct elf_file *ef, const char *name)
{
	const char *at = strchr(name, '@'), *ver = NULL;
	const struct elf_sym *best = NULL;
	size_t nlen = at ? (size_t)(at - name) : strlen(name);
	bool want_default = false;
	int best_score = -1;
	size_t i;

	if (at) {
		want_default = at[1] == '@';
		ver = at + 1 + want_default;
	}
	for (i = 0; i < ef->nsyms; i++) {
		const struct elf_sym *s = &ef->syms[i];
		int score;

		if (strncmp(s->name, name, nlen) || s->name[nlen])
			continue;
		if (ver && (!s->version || strcmp(s->version, ver) ||
			    (want_default && s->ver_hidden)))
			continue;
		score = find_score(s);
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

/* Better of two aliases: global, then shorter name, then name order. */
static bool alias_better(const struct elf_sym *a, const struct elf_sym *b)
{
	size_t la, lb;

	if (a->global != b->global)
		return a->global;
	la = strlen(a->name);
	lb = strlen(b->name);
	if (la != lb)
		return la < lb;
	return strcmp(a->name, b->name) < 0;
}

static bool func_holds(const struct elf_sym *s, uint64_t vaddr)
{
	return is_func(s) && s->size && vaddr >= s->addr &&
	       vaddr - s->addr < s->size;
}

const struct elf_sym *elf_func_at(const struct elf_file *ef, uint64_t vaddr)
{
	const struct elf_sym *best = NULL;
	size_t lo = 0, hi = ef->nsyms;

	while (lo < hi) {	/* first symbol with addr > vaddr */
		size_t mid = lo + (hi - lo) / 2;

		if (ef->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk down; the innermost (highest) start wins, then its aliases. */
	while (lo-- > 0) {
		const struct elf_sym *s = &ef->syms[lo];

		if (best && s->addr != best->addr)
			break;
		if (func_holds(s, vaddr) && (!best || alias_better(s, best)))
			best = s;
	}
	return best;
}

int elf_vaddr_to_off(const struct elf_file *ef, uint64_t vaddr, uint64_t *off)
{
	size_t i;

	for (i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->exec && vaddr >= s->vaddr &&
		    vaddr - s->vaddr < s->filesz) {
			*off = vaddr - s->vaddr + s->offset;
			return 0;
		}
	}
	return -ERANGE;
}

int elf_off_to_vaddr(const struct elf_file *ef, uint64_t off, uint64_t *vaddr)
{
	size_t i;

	for (i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->exec && off >= s->offset && off - s->offset < s->filesz) {
			*vaddr = off - s->offset + s->vaddr;
			return 0;
		}
	}
	return -ERANGE;
}

/* ---- suggestions ----------------------------------------------------- */

size_t elf_suggest(const struct elf_file *ef, const char *name,
		   const char **out, size_t max)
{
	struct suggest sg;
	size_t i;

	suggest_init(&sg, name, out, max);
	for (i = 0; i < ef->nsyms; i++)
		if (is_func(&ef->syms[i]))
			suggest_add(&sg, ef->syms[i].name);
	return sg.n;
}

int elf_irel_slot(const struct elf_file *ef, uint64_t resolver, uint64_t *slot)
{
	size_t i;

	for (i = 0; i < ef->nirels; i++) {
		if (ef->irels[i].resolver == resolver) {
			*slot = ef->irels[i].slot;
			return 0;
		}
	}
	return -ENOENT;
}

const char *elf_machine_name(uint16_t machine)
{
	/* Per-thread scratch for the rare unknown machine: the interface
	 * returns a string and takes no buffer. */
	static _Thread_local char buf[24];

	switch (machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_386:
		return "i386";
	case EM_ARM:
		return "ARM";
	case EM_AARCH64:
		return "AArch64";
	case EM_RISCV:
		return "RISC-V";
	case EM_PPC:
		return "PowerPC";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "s390";
	case EM_MIPS:
		return "MIPS";
	case EM_SPARCV9:
		return "SPARC64";
	default:
		snprintf(buf, sizeof(buf), "machine %u", (unsigned int)machine);
		return buf;
	}
}
