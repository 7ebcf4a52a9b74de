// SPDX-License-Identifier: MIT
/* ELF reader tests. argv[1] is the fixture directory built by unit.mk: the
 * fixture binaries plus readelf dumps of them (.syms, .phdrs, .relocs) that
 * the reader is cross-checked against. */
#include "check.h"
#include "elf.h"
#include "libpath.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define EM_ARM_ 40
#define EM_X86_64_ 62
#define EM_RISCV_ 243

static const char *fixdir;
static char tmpdir[] = "/tmp/ftrace-test-elf-XXXXXX";

static const char *fix(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", fixdir, name);
	return path;
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- readelf dumps --------------------------------------------------- */

struct dsym {
	char name[256];		/* without version */
	char version[64];	/* "" if none */
	bool hidden;
	uint64_t value, size;
	char type[16];
	bool dynamic;
};

struct dump {
	struct dsym *s;
	size_t n;
};

static void parse_dsym(struct dsym *d, const char *full)
{
	const char *at = strchr(full, '@');
	size_t n = at ? (size_t)(at - full) : strlen(full);

	snprintf(d->name, sizeof(d->name), "%.*s", (int)n, full);
	d->version[0] = '\0';
	d->hidden = false;
	if (at && at != full) {
		d->hidden = at[1] != '@';
		snprintf(d->version, sizeof(d->version), "%s",
			 at + (d->hidden ? 1 : 2));
	}
}

/* Defined FUNC/IFUNC/OBJECT/TLS symbols with a name from readelf -Ws. */
static int load_syms(const char *path, struct dump *dp)
{
	size_t len;
	char *buf = slurp(path, &len), *line, *save = NULL;
	bool dynamic = false;

	dp->s = NULL;
	dp->n = 0;
	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char size[32], type[16], bind[16], vis[16], ndx[16], name[512];
		uint64_t value;
		struct dsym *d;

		if (strstr(line, "Symbol table '")) {
			dynamic = strstr(line, "'.dynsym'") != NULL;
			continue;
		}
		if (sscanf(line, " %*u: %" SCNx64 " %31s %15s %15s %15s %15s %511s",
			   &value, size, type, bind, vis, ndx, name) != 7)
			continue;
		if (!strcmp(ndx, "UND") || (!strcmp(ndx, "ABS") && !value) ||
		    name[0] == '$' || (strcmp(type, "FUNC") &&
		    strcmp(type, "IFUNC") && strcmp(type, "OBJECT") &&
		    strcmp(type, "TLS")))
			continue;
		dp->s = realloc(dp->s, (dp->n + 1) * sizeof(*dp->s));
		d = &dp->s[dp->n++];
		parse_dsym(d, name);
		d->value = value;
		d->size = strtoull(size, NULL, 0);
		snprintf(d->type, sizeof(d->type), "%s", type);
		d->dynamic = dynamic;
	}
	free(buf);
	return 0;
}

struct dseg {
	uint64_t off, vaddr, filesz, memsz;
	bool exec;
};

static size_t load_phdrs(const char *path, struct dseg *segs, size_t max)
{
	size_t len, n = 0;
	char *buf = slurp(path, &len), *line, *save = NULL;

	if (!buf)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct dseg *s = &segs[n];
		int pos = 0;
		char *align;

		if (sscanf(line, " LOAD %" SCNx64 " %" SCNx64 " %*x %" SCNx64
			   " %" SCNx64 "%n", &s->off, &s->vaddr, &s->filesz,
			   &s->memsz, &pos) != 4)
			continue;
		align = strstr(line + pos, "0x");
		if (align)
			*align = '\0';
		s->exec = strchr(line + pos, 'E') != NULL;
		n++;
	}
	free(buf);
	return n;
}

/* r_offset of the IRELATIVE relocations; addends where RELA. */
static size_t load_irels(const char *path, uint64_t *slots, uint64_t *addends,
			 size_t max)
{
	size_t len, n = 0;
	char *buf = slurp(path, &len), *line, *save = NULL;

	if (!buf)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char type[64];
		int pos = 0;

		if (!strstr(line, "IRELATIV"))
			continue;
		if (sscanf(line, " %" SCNx64 " %*x %63s%n", &slots[n], type,
			   &pos) != 2)
			continue;
		addends[n] = 0;
		sscanf(line + pos, " %" SCNx64, &addends[n]);
		n++;
	}
	free(buf);
	return n;
}

/* ---- helpers on the parsed file -------------------------------------- */

/* The entry for (name, version, addr); an unversioned .symtab entry may have
 * been folded into a versioned .dynsym one of the same name and address. */
static const struct elf_sym *exact(const struct elf_file *ef, const char *name,
				   const char *version, uint64_t addr)
{
	const struct elf_sym *folded = NULL;
	size_t i;

	for (i = 0; i < ef->nsyms; i++) {
		const struct elf_sym *s = &ef->syms[i];

		if (s->addr != addr || strcmp(s->name, name))
			continue;
		if (!strcmp(s->version ? s->version : "", version))
			return s;
		if (!version[0] && !folded)
			folded = s;
	}
	return folded;
}

static enum elf_sym_kind kind_of(const char *type)
{
	if (!strcmp(type, "FUNC"))
		return ELF_SYM_FUNC;
	if (!strcmp(type, "IFUNC"))
		return ELF_SYM_IFUNC;
	return ELF_SYM_DATA;
}

static bool dump_has(const struct dump *d, const char *name, uint64_t addr,
		     bool arm)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		uint64_t v = d->s[i].value;

		if (arm && strcmp(d->s[i].type, "OBJECT"))
			v &= ~(uint64_t)1;
		if (v == addr && !strcmp(d->s[i].name, name))
			return true;
	}
	return false;
}

/* Every defined symbol readelf lists is in ef with the same address, size,
 * kind and version; every function/data symbol of ef is in readelf's list;
 * the array is sorted. */
static void cross_check(const char *name, const struct elf_file *ef)
{
	char path[4096];
	struct dump d;
	size_t i, missing = 0, extra = 0, bad = 0, unsorted = 0;
	bool arm = ef->machine == EM_ARM_;

	snprintf(path, sizeof(path), "%s/%s.syms", fixdir, name);
	CHECK_EQ(load_syms(path, &d), 0);
	CHECK(d.n > 0);
	for (i = 0; i < d.n; i++) {
		const struct dsym *ds = &d.s[i];
		bool fn = strcmp(ds->type, "OBJECT") && strcmp(ds->type, "TLS");
		uint64_t addr = arm && fn ? ds->value & ~(uint64_t)1 : ds->value;
		const struct elf_sym *s = exact(ef, ds->name, ds->version, addr);

		if (!s) {
			fprintf(stderr, "%s: missing %s@%s %" PRIx64 "\n", name,
				ds->name, ds->version, addr);
			missing++;
			continue;
		}
		if (s->size != ds->size || s->kind != kind_of(ds->type) ||
		    (ds->version[0] && s->ver_hidden != ds->hidden) ||
		    (ds->dynamic && !s->dynamic) ||
		    s->thumb != (arm && fn && (ds->value & 1))) {
			fprintf(stderr, "%s: wrong %s\n", name, ds->name);
			bad++;
		}
	}
	for (i = 0; i < ef->nsyms; i++) {
		const struct elf_sym *s = &ef->syms[i];

		if (i && (s[-1].addr > s->addr || (s[-1].addr == s->addr &&
		    strcmp(s[-1].name, s->name) > 0)))
			unsorted++;
		if (s->kind != ELF_SYM_OTHER && !dump_has(&d, s->name, s->addr,
							  arm)) {
			fprintf(stderr, "%s: extra %s\n", name, s->name);
			extra++;
		}
	}
	CHECK_EQ(missing, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(extra, 0);
	CHECK_EQ(unsorted, 0);
	free(d.s);
}

/* Segments equal readelf -l's LOAD lines; fx_magic's bytes are at the file
 * offset computed by hand from those lines. */
static void check_segments(const char *name, const struct elf_file *ef,
			   const void *file, size_t flen)
{
	struct dseg segs[16];
	const struct elf_sym *m = elf_find_sym(ef, "fx_magic");
	char path[4096];
	uint64_t off = UINT64_MAX, got = 0, back = 0;
	size_t n, i;

	snprintf(path, sizeof(path), "%s/%s.phdrs", fixdir, name);
	n = load_phdrs(path, segs, 16);
	CHECK(n >= 2);
	CHECK_EQ(ef->nsegs, n);
	for (i = 0; i < n && i < ef->nsegs; i++) {
		CHECK_EQ(ef->segs[i].offset, segs[i].off);
		CHECK_EQ(ef->segs[i].vaddr, segs[i].vaddr);
		CHECK_EQ(ef->segs[i].filesz, segs[i].filesz);
		CHECK_EQ(ef->segs[i].memsz, segs[i].memsz);
		CHECK_EQ(ef->segs[i].exec, segs[i].exec);
	}
	CHECK(m != NULL);
	if (!m)
		return;
	for (i = 0; i < n; i++)
		if (segs[i].exec && m->addr >= segs[i].vaddr &&
		    m->addr < segs[i].vaddr + segs[i].filesz)
			off = m->addr - segs[i].vaddr + segs[i].off;
	CHECK(off != UINT64_MAX);
	CHECK_EQ(elf_vaddr_to_off(ef, m->addr, &got), 0);
	CHECK_EQ(got, off);
	CHECK(off + 8 <= flen && !memcmp((const char *)file + off, "FTRACEFX", 8));
	CHECK_EQ(elf_off_to_vaddr(ef, off, &back), 0);
	CHECK_EQ(back, m->addr);
	/* a data address is in no executable segment */
	m = elf_find_sym(ef, "fx_data");
	CHECK(m && elf_vaddr_to_off(ef, m->addr, &got) == -ERANGE);
	CHECK_EQ(elf_off_to_vaddr(ef, (uint64_t)flen + 4096, &back), -ERANGE);
}

/* fx_ifunc's resolver has the IRELATIVE slot readelf -r shows. */
static void check_irel(const char *name, const struct elf_file *ef)
{
	uint64_t slots[16], addends[16], slot = 0;
	const struct elf_sym *s = elf_find_sym(ef, "fx_ifunc");
	char path[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.relocs", fixdir, name);
	n = load_irels(path, slots, addends, 16);
	CHECK_EQ(n, 1);
	CHECK_EQ(ef->nirels, n);
	CHECK(s && s->kind == ELF_SYM_IFUNC);
	if (!s || n != 1)
		return;
	CHECK_EQ(elf_irel_slot(ef, s->addr, &slot), 0);
	CHECK_EQ(slot, slots[0]);
	if (addends[0])	/* RELA: readelf shows the addend */
		CHECK_EQ(ef->irels[0].resolver, addends[0]);
	CHECK_EQ(elf_irel_slot(ef, s->addr + 2, &slot), -ENOENT);
}

/* ---- fixtures -------------------------------------------------------- */

static void check_prog(const char *name, uint16_t machine, bool is64,
		       bool pie, bool has_symtab)
{
	const struct elf_sym *t, *a, *f;
	struct elf_file ef;
	const char *sugg[5];
	size_t flen, n;
	void *file;

	if (!exists(fix(name))) {
		printf("test_elf: %s not built, skipped\n", name);
		return;
	}
	file = slurp(fix(name), &flen);
	CHECK_EQ(elf_open(fix(name), &ef), 0);
	CHECK_EQ(ef.machine, machine);
	CHECK_EQ(ef.is64, is64);
	CHECK_EQ(ef.pie_or_dso, pie);
	CHECK(!ef.is_go);
	CHECK_EQ(ef.has_thumb, machine == EM_ARM_);
	cross_check(name, &ef);
	check_segments(name, &ef, file, flen);
	check_irel(name, &ef);

	t = elf_find_sym(&ef, "fx_target");
	a = elf_find_sym(&ef, "fx_alias_a");
	CHECK(t && a && t->addr == a->addr && t->kind == ELF_SYM_FUNC);
	CHECK(t && t->global && t->size > 0 && !t->version);
	CHECK(t && t->dynamic == pie);	/* -rdynamic for the PIEs only */
	CHECK_EQ(t && t->thumb, machine == EM_ARM_);
	if (t) {
		CHECK_EQ(t->addr & 1, 0);
		f = elf_func_at(&ef, t->addr + t->size - 1);
		CHECK(f && !strcmp(f->name, "fx_target"));	/* shortest */
		f = elf_func_at(&ef, t->addr + t->size);
		CHECK(!f || strcmp(f->name, "fx_target"));
	}
	f = elf_find_sym(&ef, "fx_data");
	CHECK(f && f->kind == ELF_SYM_DATA && f->size == 16);
	f = elf_find_sym(&ef, "fx_resolve");
	CHECK_EQ(f != NULL, has_symtab);	/* static: only in .symtab */
	CHECK(!elf_find_sym(&ef, "fx_no_such"));
	CHECK(!elf_find_sym(&ef, "fx_target@@V1"));
	CHECK(!elf_find_sym(&ef, "printf"));	/* undefined */

	n = elf_suggest(&ef, "fx_compute_chksum", sugg, 5);
	CHECK(n >= 1 && !strcmp(sugg[0], "fx_compute_checksum"));
	n = elf_suggest(&ef, "fx_targt", sugg, 5);
	CHECK(n >= 1 && !strcmp(sugg[0], "fx_target"));
	n = elf_suggest(&ef, "checksum", sugg, 5);
	CHECK(n >= 1 && !strcmp(sugg[0], "fx_compute_checksum"));
	n = elf_suggest(&ef, "fx_alias", sugg, 5);
	CHECK(n >= 2 && n <= 5 && strcmp(sugg[0], sugg[1]));
	CHECK_EQ(elf_suggest(&ef, "fx_target", sugg, 0), 0);
	elf_free(&ef);
	elf_free(&ef);	/* idempotent */
	free(file);
}

static void check_lib(const char *name, uint16_t machine)
{
	const struct elf_sym *s, *old, *cur;
	struct elf_file ef;

	if (!exists(fix(name))) {
		printf("test_elf: %s not built, skipped\n", name);
		return;
	}
	CHECK_EQ(elf_open(fix(name), &ef), 0);
	CHECK_EQ(ef.machine, machine);
	CHECK(ef.pie_or_dso);
	cross_check(name, &ef);

	old = elf_find_sym(&ef, "fx_ver@VER_1");
	cur = elf_find_sym(&ef, "fx_ver@@VER_2");
	CHECK(old && old->version && !strcmp(old->version, "VER_1"));
	CHECK(old && old->ver_hidden && old->dynamic);
	CHECK(cur && cur->version && !strcmp(cur->version, "VER_2"));
	CHECK(cur && !cur->ver_hidden);
	CHECK(old && cur && old->addr != cur->addr);
	CHECK(elf_find_sym(&ef, "fx_ver") == cur);	/* the default */
	CHECK(elf_find_sym(&ef, "fx_ver@VER_2") == cur);
	CHECK(!elf_find_sym(&ef, "fx_ver@@VER_1"));	/* not the default */
	CHECK(!elf_find_sym(&ef, "fx_ver@VER_3"));
	s = elf_find_sym(&ef, "fx_ver_old");	/* .symtab alias, local */
	CHECK(s && old && s->addr == old->addr && !s->global);
	s = elf_find_sym(&ef, "fx_lib_func@@VER_1");
	CHECK(s && s->kind == ELF_SYM_FUNC && s->global && s->dynamic);
	/* .symtab's unversioned fx_lib_func merged with .dynsym's */
	CHECK(s && s == elf_find_sym(&ef, "fx_lib_func"));
	s = elf_find_sym(&ef, "fx_lib_ifunc");
	CHECK(s && s->kind == ELF_SYM_IFUNC);
	s = elf_find_sym(&ef, "fx_lib_data");
	CHECK(s && s->kind == ELF_SYM_DATA && s->size == 4);
	elf_free(&ef);
}

/* The system C library: versioned names, IFUNC strlen and its GOT slot. */
static void check_libc(void)
{
	struct libpath_env env = { "", NULL, NULL, "x86_64-linux-gnu",
				   EM_X86_64_, 1 };
	const struct elf_sym *m, *s;
	char path[4096], cmd[4200], line[512];
	size_t checked = 0, wrong = 0;
	uint64_t slot = 0;
	struct elf_file ef;
	FILE *p;

	CHECK_EQ(libpath_find(&env, "libc.so.6", path, sizeof(path)), 0);
	CHECK_EQ(elf_open(path, &ef), 0);
	CHECK_EQ(ef.machine, EM_X86_64_);
	m = elf_find_sym(&ef, "malloc@@GLIBC_2.2.5");
	CHECK(m && m->kind == ELF_SYM_FUNC && m->dynamic && m->size > 0);
	CHECK(m && m->version && !strcmp(m->version, "GLIBC_2.2.5"));
	CHECK(m && m == elf_find_sym(&ef, "malloc"));
	CHECK(m && m == elf_find_sym(&ef, "malloc@GLIBC_2.2.5"));
	s = elf_find_sym(&ef, "strlen");
	CHECK(s && s->kind == ELF_SYM_IFUNC);
	CHECK(s && elf_irel_slot(&ef, s->addr, &slot) == 0 && slot != 0);
	CHECK(ef.nirels > 10);
	/* a symbol with two versions at one address keeps both (glibc 2.34
	 * moved libpthread in and gave sem_destroy a second version) */
	m = elf_find_sym(&ef, "sem_destroy@@GLIBC_2.34");
	if (m) {
		s = elf_find_sym(&ef, "sem_destroy@GLIBC_2.2.5");
		CHECK(s && s->ver_hidden && s->addr == m->addr && s != m);
	}

	/* every defined .dynsym function agrees with readelf */
	snprintf(cmd, sizeof(cmd), "readelf -W --dyn-syms '%s'", path);
	p = popen(cmd, "r");
	CHECK(p != NULL);
	while (p && fgets(line, sizeof(line), p)) {
		char type[16], ndx[16], name[256];
		uint64_t value, size;

		if (sscanf(line, " %*u: %" SCNx64 " %" SCNu64 " %15s %*s %*s %15s %255s",
			   &value, &size, type, ndx, name) != 5 ||
		    strcmp(ndx, "UND") == 0 ||
		    (strcmp(type, "FUNC") && strcmp(type, "IFUNC")))
			continue;
		s = elf_find_sym(&ef, name);
		checked++;
		if (!s || s->addr != value || s->size != size) {
			fprintf(stderr, "libc: %s\n", name);
			wrong++;
		}
	}
	if (p)
		pclose(p);
	CHECK(checked > 1000);
	CHECK_EQ(wrong, 0);
	elf_free(&ef);
}

/* ---- malformed input ------------------------------------------------- */

static int parse_copy(const void *src, size_t len)
{
	void *buf = malloc(len ? len : 1);	/* exact size: ASan sees overreads */
	struct elf_file ef;
	int err;

	memcpy(buf, src, len);
	err = elf_parse(buf, len, &ef);
	if (!err) {
		const char *out[5];

		if (ef.nsyms) {
			elf_find_sym(&ef, ef.syms[0].name);
			elf_func_at(&ef, ef.syms[ef.nsyms / 2].addr);
			elf_suggest(&ef, ef.syms[0].name, out, 5);
		}
	}
	free(buf);	/* ef must not point into buf */
	if (!err && ef.nsyms)
		CHECK(strlen(ef.syms[ef.nsyms - 1].name) < 1u << 20);
	elf_free(&ef);
	return err;
}

typedef struct {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
} Elf64_Shdr_;

/* Section header i of a 64-bit image. */
static Elf64_Shdr_ *shdr64(uint8_t *img, unsigned int i)
{
	uint64_t shoff;
	uint16_t shentsize;

	memcpy(&shoff, img + 0x28, 8);
	memcpy(&shentsize, img + 0x3a, 2);
	return (Elf64_Shdr_ *)(void *)(img + shoff + (uint64_t)i * shentsize);
}

static uint16_t shnum64(const uint8_t *img)
{
	uint16_t n;

	memcpy(&n, img + 0x3c, 2);
	return n;
}

/* Index of the first section of type, or 0. */
static unsigned int find_section(uint8_t *img, uint32_t type)
{
	unsigned int i;

	for (i = 1; i < shnum64(img); i++)
		if (shdr64(img, i)->type == type)
			return i;
	return 0;
}

static void check_malformed(void)
{
	static const uint8_t junk[] = "this is not an ELF file at all.....";
	size_t len, n, fails = 0;
	uint8_t *img, *buf;
	unsigned int sym, vd;
	uint64_t big;
	unsigned int seed = 12345;

	CHECK_EQ(parse_copy("", 0), -ENOEXEC);
	CHECK_EQ(parse_copy(junk, sizeof(junk)), -ENOEXEC);
	CHECK_EQ(parse_copy("\177EL", 3), -ENOEXEC);

	img = slurp(fix("pie"), &len);
	CHECK(img && len > 4096);
	if (!img)
		return;
	buf = malloc(len);
	CHECK_EQ(parse_copy(img, len), 0);
	CHECK_EQ(parse_copy(img, 20), -EINVAL);		/* truncated header */
	CHECK_EQ(parse_copy(img, 63), -EINVAL);
	/* every truncation loses the section table at the end: -EINVAL */
	for (n = 4; n < len; n++)
		if (parse_copy(img, n) != -EINVAL)
			fails++;
	CHECK_EQ(fails, 0);

#define MUTATE(stmt, expect) do {					\
	memcpy(buf, img, len);						\
	{ uint8_t *m = buf; (void)m; stmt; }				\
	CHECK_EQ(parse_copy(buf, len), expect);			\
} while (0)
	MUTATE(m[5] = 2, -ENOEXEC);				/* big-endian */
	MUTATE(m[4] = 3, -EINVAL);				/* bad class */
	big = len - 10;
	MUTATE(memcpy(m + 0x28, &big, 8), -EINVAL);		/* shoff past EOF */
	big = UINT64_MAX - 8;
	MUTATE(memcpy(m + 0x28, &big, 8), -EINVAL);		/* shoff overflow */
	MUTATE(m[0x3c] = 0xfe; m[0x3d] = 0xff, -EINVAL);	/* huge shnum */
	MUTATE(m[0x38] = 0xfe; m[0x39] = 0xff, -EINVAL);	/* huge phnum */
	MUTATE(m[0x3a] = 8, -EINVAL);				/* tiny shentsize */

	sym = find_section(img, 2);	/* SHT_SYMTAB */
	CHECK(sym != 0);
	MUTATE(shdr64(m, sym)->link = 9999, -EINVAL);		/* sh_link range */
	MUTATE(shdr64(m, sym)->size = UINT64_MAX / 2, -EINVAL);	/* huge count */
	MUTATE(shdr64(m, sym)->offset = len, -EINVAL);
	MUTATE(shdr64(m, sym)->entsize = 0, -EINVAL);
	/* symbol 1's st_name far past its string table */
	MUTATE(memset(m + shdr64(m, sym)->offset + 24, 0x7f, 4), -EINVAL);
	/* the dynamic table's too */
	MUTATE(memset(m + shdr64(m, find_section(m, 11))->offset + 24, 0x7f, 4),
	       -EINVAL);
	free(img);
	free(buf);

	img = slurp(fix("libfx.so"), &len);
	CHECK(img != NULL);
	if (!img)
		return;
	buf = malloc(len);
	vd = find_section(img, 0x6ffffffd);	/* SHT_GNU_verdef */
	CHECK(vd != 0);
	/* vd_aux of the first verdef out of the section */
	MUTATE(memset(m + shdr64(m, vd)->offset + 12, 0x7f, 4), -EINVAL);
	/* verdef count huge: walking stops at the section end or vd_next 0 */
	MUTATE(shdr64(m, vd)->info = 0xffffffff, 0);
	/* vd_next looping back onto itself: bounded by the count */
	MUTATE(memset(m + shdr64(m, vd)->offset + 16, 0, 4), 0);

	/* random byte flips in the headers and tables: no crash, no hang */
	for (n = 0; n < 3000; n++) {
		unsigned int k, flips = 1 + rand_r(&seed) % 8;

		memcpy(buf, img, len);
		for (k = 0; k < flips; k++) {
			size_t at = (size_t)rand_r(&seed) % len;

			if (k & 1)	/* bias toward the header and shdrs */
				at = k == 1 ? (size_t)rand_r(&seed) % 64 :
				     len - 1 - (size_t)rand_r(&seed) % 2048;
			buf[at] = (uint8_t)rand_r(&seed);
		}
		(void)parse_copy(buf, len);
	}
	CHECK(1);
	free(img);
	free(buf);
#undef MUTATE
}

static void check_open_errors(void)
{
	char path[4200];
	struct elf_file ef;
	int fd;

	CHECK_EQ(elf_open("/nonexistent/ftrace-x", &ef), -ENOENT);
	CHECK_EQ(elf_open(tmpdir, &ef), -EISDIR);
	CHECK_EQ(elf_open("/dev/null", &ef), -ENODEV);
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	CHECK_EQ(mkfifo(path, 0600), 0);
	CHECK_EQ(elf_open(path, &ef), -ENODEV);	/* and does not block */
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(elf_open(path, &ef), -ENOEXEC);
	CHECK_EQ(ef.nsyms, 0);
	elf_free(&ef);
	unlink(path);
	snprintf(path, sizeof(path), "%s/junk", tmpdir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "#!/bin/sh\necho hi\n", 18) == 18);
	close(fd);
	CHECK_EQ(elf_open(path, &ef), -ENOEXEC);
	unlink(path);
}

static void check_machine_names(void)
{
	CHECK_STR(elf_machine_name(62), "x86_64");
	CHECK_STR(elf_machine_name(3), "i386");
	CHECK_STR(elf_machine_name(40), "ARM");
	CHECK_STR(elf_machine_name(183), "AArch64");
	CHECK_STR(elf_machine_name(243), "RISC-V");
	CHECK_STR(elf_machine_name(20), "PowerPC");
	CHECK_STR(elf_machine_name(22), "s390");
	CHECK_STR(elf_machine_name(8), "MIPS");
	CHECK_STR(elf_machine_name(4242), "machine 4242");
}

int main(int argc, char **argv)
{
	fixdir = argc > 1 ? argv[1] : "build/x86_64/fixtures";
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	check_prog("pie", EM_X86_64_, true, true, true);
	check_prog("nopie", EM_X86_64_, true, false, true);
	check_prog("stripped", EM_X86_64_, true, true, false);
	check_prog("arm-pie", EM_ARM_, false, true, true);
	check_prog("riscv64-pie", EM_RISCV_, true, true, true);
	check_lib("libfx.so", EM_X86_64_);
	check_lib("arm-libfx.so", EM_ARM_);
	check_libc();
	check_malformed();
	check_open_errors();
	check_machine_names();
	rmdir(tmpdir);
	return check_done("test_elf");
}
