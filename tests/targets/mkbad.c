// SPDX-License-Identifier: MIT
/* Writes malformed ELF files for the bad-input table, derived from a good
 * 64-bit little-endian ELF (the calls test target):
 *   mkbad GOOD_ELF OUTDIR
 * OUTDIR/empty, trunc-header, shdr-past-eof, bad-names, huge-symcount,
 * i386-header, ctrl-names (a symbol renamed to contain a newline and 0xff).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char *img;
static size_t len;

static int put(const char *dir, const char *name, const void *buf, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f))
		return -1;
	return 0;
}

static Elf64_Shdr *shdr(size_t i)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;

	return (Elf64_Shdr *)(img + eh->e_shoff + i * sizeof(Elf64_Shdr));
}

static Elf64_Shdr *find_sec(unsigned int type)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;

	for (size_t i = 0; i < eh->e_shnum; i++)
		if (shdr(i)->sh_type == type)
			return shdr(i);
	return NULL;
}

static int with_copy(const char *dir, const char *name, void (*edit)(unsigned char *))
{
	unsigned char *c = malloc(len);
	int ret;

	if (!c)
		return -1;
	memcpy(c, img, len);
	{
		unsigned char *save = img;

		img = c;
		edit(c);
		img = save;
	}
	ret = put(dir, name, c, len);
	free(c);
	return ret;
}

static void shdr_past_eof(unsigned char *c)
{
	((Elf64_Ehdr *)c)->e_shoff = len + 4096;
}

static void bad_names(unsigned char *c)
{
	Elf64_Shdr *st = find_sec(SHT_SYMTAB);
	Elf64_Sym *s;

	(void)c;
	if (!st)
		st = find_sec(SHT_DYNSYM);
	s = (Elf64_Sym *)(img + st->sh_offset);
	for (size_t i = 1; i < st->sh_size / sizeof(*s); i++)
		s[i].st_name = 0x7ffffff0;
}

static void huge_count(unsigned char *c)
{
	Elf64_Shdr *st = find_sec(SHT_SYMTAB);

	(void)c;
	st->sh_size = 0x7fffffffffffff00ULL;
}

/* rename ft_inner (8 bytes) to "ft_in\n\xff" + "r" */
static void ctrl_names(unsigned char *c)
{
	for (size_t i = 0; i + 9 <= len; i++)
		if (!memcmp(c + i, "ft_inner", 9))
			memcpy(c + i, "ft_in\n\xffr", 9);
}

int main(int argc, char **argv)
{
	Elf64_Ehdr i386 = { 0 };
	FILE *f;
	long n;

	if (argc != 3 || !(f = fopen(argv[1], "rb")))
		return 2;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	len = (size_t)n;
	img = malloc(len);
	if (!img || fread(img, 1, len, f) != len || len < sizeof(Elf64_Ehdr) ||
	    img[EI_CLASS] != ELFCLASS64 || !find_sec(SHT_SYMTAB))
		return 2;
	fclose(f);
	memcpy(i386.e_ident, ELFMAG, SELFMAG);
	i386.e_ident[EI_CLASS] = ELFCLASS32;
	i386.e_ident[EI_DATA] = ELFDATA2LSB;
	i386.e_ident[EI_VERSION] = EV_CURRENT;
	((Elf32_Ehdr *)&i386)->e_type = ET_EXEC;
	((Elf32_Ehdr *)&i386)->e_machine = EM_386;
	((Elf32_Ehdr *)&i386)->e_version = EV_CURRENT;
	((Elf32_Ehdr *)&i386)->e_ehsize = sizeof(Elf32_Ehdr);
	if (put(argv[2], "empty", "", 0) || put(argv[2], "trunc-header", img, 30) ||
	    put(argv[2], "i386-header", &i386, sizeof(Elf32_Ehdr)) ||
	    with_copy(argv[2], "shdr-past-eof", shdr_past_eof) ||
	    with_copy(argv[2], "bad-names", bad_names) ||
	    with_copy(argv[2], "huge-symcount", huge_count) ||
	    with_copy(argv[2], "ctrl-names", ctrl_names))
		return 1;
	return 0;
}
