// SPDX-License-Identifier: MIT
/* Reader for the embedded BPF ELF object. Everything read from the image is
 * bounds-checked: the blob is ours, but a corrupted binary must fail cleanly,
 * and the same code is fuzzed. */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bpfobj.h"
#include "btf.h"
#include "err.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_64_64 1
#define BPF_LD_IMM64 0x18

struct elf_img {
	const uint8_t *buf;
	size_t len;
	const Elf64_Shdr *shdrs;
	size_t nshdrs;
	const char *shstr;
	size_t shstr_len;
};

static bool range_ok(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

static const char *strtab_get(const char *tab, size_t len, uint64_t off)
{
	if (!tab || off >= len || !memchr(tab + off, 0, len - off))
		return NULL;
	return tab + off;
}

static const uint8_t *sec_data(const struct elf_img *img, size_t idx,
			       uint64_t *size)
{
	const Elf64_Shdr *sh;

	if (idx >= img->nshdrs)
		return NULL;
	sh = &img->shdrs[idx];
	if (sh->sh_type == SHT_NOBITS || !range_ok(img->len, sh->sh_offset, sh->sh_size))
		return NULL;
	*size = sh->sh_size;
	return img->buf + sh->sh_offset;
}

static const char *sec_name(const struct elf_img *img, size_t idx)
{
	return strtab_get(img->shstr, img->shstr_len, img->shdrs[idx].sh_name);
}

static int elf_img_init(struct elf_img *img, const void *buf, size_t len,
			struct ft_err *err)
{
	const Elf64_Ehdr *eh = buf;
	uint64_t size;

	memset(img, 0, sizeof(*img));
	img->buf = buf;
	img->len = len;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return ft_errf(err, -ENOEXEC, "BPF object: not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_BPF)
		return ft_errf(err, -ENOEXEC, "BPF object: not a little-endian BPF ELF");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    !range_ok(len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    eh->e_shoff % 8)
		return ft_errf(err, -EINVAL, "BPF object: bad section table");
	img->shdrs = (const Elf64_Shdr *)(img->buf + eh->e_shoff);
	img->nshdrs = eh->e_shnum;
	img->shstr = (const char *)sec_data(img, eh->e_shstrndx, &size);
	if (!img->shstr)
		return ft_errf(err, -EINVAL, "BPF object: bad section name table");
	img->shstr_len = size;
	return 0;
}

/* __uint(name, val) is "int (*name)[val]": a pointer to an array of val. */
static int btf_uint_member(const struct btf *btf, uint32_t type, uint32_t *val)
{
	const struct btf_type *p = btf_skip_mods(btf, type, NULL), *a;
	uint32_t arr[3];

	if (!p || btf_kind(p) != BTF_KIND_PTR)
		return -EINVAL;
	a = btf_skip_mods(btf, p->size_type, NULL);
	if (!a || btf_kind(a) != BTF_KIND_ARRAY)
		return -EINVAL;
	memcpy(arr, a + 1, sizeof(arr));
	*val = arr[2];
	return 0;
}

/* __type(name, T) is "T *name". */
static int btf_type_member(const struct btf *btf, uint32_t type, uint32_t *size)
{
	const struct btf_type *p = btf_skip_mods(btf, type, NULL);

	if (!p || btf_kind(p) != BTF_KIND_PTR)
		return -EINVAL;
	return btf_size(btf, p->size_type, size, 0);
}

static int map_from_var(const struct btf *btf, const struct btf_type *var,
			struct bpfobj_map *m, struct ft_err *err)
{
	const char *name = btf_name(btf, var->name_off);
	const struct btf_type *st;
	uint32_t i;

	if (!name || strlen(name) >= sizeof(m->name))
		return ft_errf(err, -EINVAL, "BPF object: bad map name");
	strcpy(m->name, name);
	st = btf_skip_mods(btf, var->size_type, NULL);
	if (!st || btf_kind(st) != BTF_KIND_STRUCT)
		return ft_errf(err, -EINVAL, "BPF object: map %s is not a struct", name);
	for (i = 0; i < btf_vlen(st); i++) {
		uint32_t mem[3], *dst = NULL;
		const char *mname;
		int ret;

		memcpy(mem, (const uint8_t *)(st + 1) + i * 12, sizeof(mem));
		mname = btf_name(btf, mem[0]);
		if (!mname)
			return ft_errf(err, -EINVAL, "BPF object: map %s: bad member", name);
		if (!strcmp(mname, "type"))
			dst = &m->type;
		else if (!strcmp(mname, "max_entries"))
			dst = &m->max_entries;
		else if (!strcmp(mname, "map_flags"))
			dst = &m->flags;
		else if (!strcmp(mname, "key_size"))
			dst = &m->key_size;
		else if (!strcmp(mname, "value_size"))
			dst = &m->value_size;
		if (dst) {
			ret = btf_uint_member(btf, mem[1], dst);
		} else if (!strcmp(mname, "key")) {
			ret = btf_type_member(btf, mem[1], &m->key_size);
		} else if (!strcmp(mname, "value")) {
			ret = btf_type_member(btf, mem[1], &m->value_size);
		} else {
			return ft_errf(err, -EOPNOTSUPP,
				       "BPF object: map %s: unsupported attribute %s",
				       name, mname);
		}
		if (ret)
			return ft_errf(err, -EINVAL, "BPF object: map %s: bad %s",
				       name, mname);
	}
	return 0;
}

static int parse_maps(const struct btf *btf, struct bpfobj *obj,
		      struct ft_err *err)
{
	for (uint32_t id = 1; id < btf->ntypes; id++) {
		const struct btf_type *t = btf_type(btf, id);
		const char *name = btf_name(btf, t->name_off);
		uint32_t n = btf_vlen(t);

		if (btf_kind(t) != BTF_KIND_DATASEC || !name || strcmp(name, ".maps"))
			continue;
		obj->maps = calloc(n ? n : 1, sizeof(*obj->maps));
		if (!obj->maps)
			return -ENOMEM;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t vsi[3];
			const struct btf_type *var;
			int ret;

			memcpy(vsi, (const uint8_t *)(t + 1) + i * 12, sizeof(vsi));
			var = btf_type(btf, vsi[0]);
			if (!var || btf_kind(var) != BTF_KIND_VAR)
				return ft_errf(err, -EINVAL, "BPF object: bad .maps entry");
			ret = map_from_var(btf, var, &obj->maps[obj->nmaps], err);
			if (ret)
				return ret;
			obj->nmaps++;
		}
		return 0;
	}
	return 0;
}

/* ---- ELF symbols, programs, relocations ---- */

struct syms {
	const Elf64_Sym *tab;
	size_t n;
	const char *str;
	size_t str_len;
};

static int find_symtab(const struct elf_img *img, struct syms *s,
		       struct ft_err *err)
{
	for (size_t i = 0; i < img->nshdrs; i++) {
		const Elf64_Shdr *sh = &img->shdrs[i];
		uint64_t size, ssize;

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		s->tab = (const Elf64_Sym *)sec_data(img, i, &size);
		s->str = (const char *)sec_data(img, sh->sh_link, &ssize);
		if (!s->tab || !s->str || sh->sh_entsize != sizeof(Elf64_Sym) ||
		    sh->sh_offset % 8)
			break;
		s->n = size / sizeof(Elf64_Sym);
		s->str_len = ssize;
		return 0;
	}
	return ft_errf(err, -EINVAL, "BPF object: no usable symbol table");
}

static const char *sym_name(const struct syms *s, const Elf64_Sym *sym)
{
	return strtab_get(s->str, s->str_len, sym->st_name);
}

static int map_by_sym(const struct bpfobj *obj, const char *name)
{
	for (size_t i = 0; i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, name))
			return (int)i;
	return -1;
}

static int add_prog(struct bpfobj *obj, const struct elf_img *img, size_t sec,
		    const struct syms *s, const Elf64_Sym *sym, struct ft_err *err)
{
	const char *name = sym_name(s, sym), *sname = sec_name(img, sec);
	struct bpfobj_prog *p, *np;
	const uint8_t *data;
	uint64_t size;

	data = sec_data(img, sec, &size);
	if (!name || !sname || !data || !range_ok(size, sym->st_value, sym->st_size) ||
	    sym->st_value % 8 || sym->st_size % 8 || !sym->st_size ||
	    strlen(name) >= BPFOBJ_NAME_MAX || strlen(sname) >= BPFOBJ_NAME_MAX)
		return ft_errf(err, -EINVAL, "BPF object: bad program symbol");
	np = realloc(obj->progs, (obj->nprogs + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	obj->progs = np;
	p = &obj->progs[obj->nprogs++];
	memset(p, 0, sizeof(*p));
	strcpy(p->name, name);
	strcpy(p->sec, sname);
	p->ninsns = sym->st_size / 8;
	p->insns = malloc(sym->st_size);
	if (!p->insns)
		return -ENOMEM;
	memcpy(p->insns, data + sym->st_value, sym->st_size);
	return 0;
}

/* The program of section sec that holds byte offset off, or NULL. */
static struct bpfobj_prog *prog_at(struct bpfobj *obj, const struct elf_img *img,
				   const struct syms *s, size_t sec, uint64_t off,
				   uint64_t *start)
{
	const char *sname = sec_name(img, sec);

	for (size_t i = 0; sname && i < s->n; i++) {
		const Elf64_Sym *sym = &s->tab[i];
		const char *name;

		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_shndx != sec ||
		    off < sym->st_value || off - sym->st_value >= sym->st_size)
			continue;
		name = sym_name(s, sym);
		for (size_t j = 0; name && j < obj->nprogs; j++)
			if (!strcmp(obj->progs[j].name, name) &&
			    !strcmp(obj->progs[j].sec, sname)) {
				*start = sym->st_value;
				return &obj->progs[j];
			}
	}
	return NULL;
}

static int add_relocs(struct bpfobj *obj, const struct elf_img *img,
		      const struct syms *s, size_t relsec, size_t maps_sec,
		      struct ft_err *err)
{
	const Elf64_Shdr *sh = &img->shdrs[relsec];
	const Elf64_Rel *rel;
	uint64_t size;

	rel = (const Elf64_Rel *)sec_data(img, relsec, &size);
	if (!rel || sh->sh_entsize != sizeof(*rel) || sh->sh_offset % 8)
		return ft_errf(err, -EINVAL, "BPF object: bad relocation section");
	for (uint64_t i = 0; i < size / sizeof(*rel); i++) {
		uint64_t symi = ELF64_R_SYM(rel[i].r_info), start, insn;
		struct bpfobj_prog *p;
		struct bpfobj_reloc *nr;
		const Elf64_Sym *sym;
		const char *name;
		int m;

		if (ELF64_R_TYPE(rel[i].r_info) != R_BPF_64_64 || symi >= s->n)
			return ft_errf(err, -EOPNOTSUPP,
				       "BPF object: unsupported relocation");
		sym = &s->tab[symi];
		name = sym_name(s, sym);
		if (sym->st_shndx != maps_sec || !name || (m = map_by_sym(obj, name)) < 0)
			return ft_errf(err, -EOPNOTSUPP,
				       "BPF object: relocation against %s is not a map",
				       name ? name : "?");
		p = prog_at(obj, img, s, sh->sh_info, rel[i].r_offset, &start);
		if (!p || (rel[i].r_offset - start) % 8)
			return ft_errf(err, -EINVAL, "BPF object: relocation outside a program");
		/* 64-bit: the symbol found may be a same-named one larger than
		 * the program, and the index must not wrap in 32 bits */
		insn = (rel[i].r_offset - start) / 8;
		if (insn + 1 >= p->ninsns || p->insns[insn].code != BPF_LD_IMM64)
			return ft_errf(err, -EINVAL, "BPF object: relocation not on ld_imm64");
		nr = realloc(p->relocs, (p->nrelocs + 1) * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		p->relocs = nr;
		nr[p->nrelocs].insn = (uint32_t)insn;
		nr[p->nrelocs].map = m;
		p->nrelocs++;
		obj->maps[m].sym_off = sym->st_value;
	}
	return 0;
}

static int parse_progs(struct bpfobj *obj, const struct elf_img *img,
		       const struct syms *s, struct ft_err *err)
{
	for (size_t i = 0; i < s->n; i++) {
		const Elf64_Sym *sym = &s->tab[i];
		const Elf64_Shdr *sh;
		int ret;

		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC ||
		    sym->st_shndx == SHN_UNDEF || sym->st_shndx >= img->nshdrs)
			continue;
		sh = &img->shdrs[sym->st_shndx];
		if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_EXECINSTR))
			continue;
		if (!strcmp(sec_name(img, sym->st_shndx) ?: "", ".text"))
			return ft_errf(err, -EOPNOTSUPP,
				       "BPF object: subprograms (.text) are not supported");
		ret = add_prog(obj, img, sym->st_shndx, s, sym, err);
		if (ret)
			return ret;
	}
	return 0;
}

static int find_sec(const struct elf_img *img, const char *name)
{
	for (size_t i = 0; i < img->nshdrs; i++) {
		const char *n = sec_name(img, i);

		if (n && !strcmp(n, name))
			return (int)i;
	}
	return -1;
}

static int parse_license(struct bpfobj *obj, const struct elf_img *img)
{
	int sec = find_sec(img, "license");
	const uint8_t *data;
	uint64_t size;

	if (sec < 0 || !(data = sec_data(img, sec, &size)) || !size ||
	    size >= sizeof(obj->license) || data[size - 1])
		return -EINVAL;
	memcpy(obj->license, data, size);
	return 0;
}

int bpfobj_parse(const void *buf, size_t len, struct bpfobj *obj,
		 struct ft_err *err)
{
	struct elf_img img;
	struct btf btf = { 0 };
	struct syms s = { 0 };
	uint64_t size;
	const uint8_t *data;
	int ret, btf_sec, maps_sec;

	memset(obj, 0, sizeof(*obj));
	ret = elf_img_init(&img, buf, len, err);
	if (ret)
		return ret;
	if (parse_license(obj, &img))
		return ft_errf(err, -EINVAL, "BPF object: bad license section");
	btf_sec = find_sec(&img, ".BTF");
	maps_sec = find_sec(&img, ".maps");
	if (btf_sec < 0 || maps_sec < 0 || !(data = sec_data(&img, btf_sec, &size)))
		return ft_errf(err, -EINVAL, "BPF object: no .BTF or .maps section");
	ret = btf_parse(data, size, &btf);
	if (ret) {
		ft_errf(err, ret, "BPF object: bad BTF");
		goto out;
	}
	ret = parse_maps(&btf, obj, err);
	if (!ret)
		ret = find_symtab(&img, &s, err);
	if (!ret)
		ret = parse_progs(obj, &img, &s, err);
	for (size_t i = 0; !ret && i < img.nshdrs; i++)
		if (img.shdrs[i].sh_type == SHT_REL && img.shdrs[i].sh_info < img.nshdrs &&
		    (img.shdrs[img.shdrs[i].sh_info].sh_flags & SHF_EXECINSTR))
			ret = add_relocs(obj, &img, &s, i, maps_sec, err);
out:
	btf_free(&btf);
	if (ret)
		bpfobj_free(obj);
	return ret;
}

void bpfobj_free(struct bpfobj *obj)
{
	for (size_t i = 0; i < obj->nprogs; i++) {
		free(obj->progs[i].insns);
		free(obj->progs[i].relocs);
	}
	free(obj->progs);
	free(obj->maps);
	memset(obj, 0, sizeof(*obj));
}

const struct bpfobj_map *bpfobj_map(const struct bpfobj *obj, const char *name)
{
	int i = map_by_sym(obj, name);

	return i < 0 ? NULL : &obj->maps[i];
}

const struct bpfobj_prog *bpfobj_prog(const struct bpfobj *obj, const char *name)
{
	for (size_t i = 0; i < obj->nprogs; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return NULL;
}
