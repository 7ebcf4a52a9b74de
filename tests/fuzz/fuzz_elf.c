// SPDX-License-Identifier: MIT
/* libFuzzer target: the ELF reader, then the lookups on what it returned. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_file ef;
	const char *names[8];
	uint64_t v;

	if (elf_parse(data, size, &ef) == 0) {
		/* exercise the queries on whatever was parsed */
		for (size_t i = 0; i < ef.nsyms && i < 64; i++) {
			const struct elf_sym *s = &ef.syms[i];

			elf_find_sym(&ef, s->name);
			elf_func_at(&ef, s->addr);
			elf_vaddr_to_off(&ef, s->addr, &v);
			elf_irel_slot(&ef, s->addr, &v);
		}
		for (size_t i = 0; i < ef.nsegs; i++) {
			elf_off_to_vaddr(&ef, ef.segs[i].offset, &v);
			elf_func_at(&ef, ef.segs[i].vaddr);
		}
		elf_find_sym(&ef, "malloc");
		elf_find_sym(&ef, "malloc@@GLIBC_2.2.5");
		elf_find_sym(&ef, "malloc@GLIBC_2.2.5");
		elf_suggest(&ef, "mallco", names, 8);
		if (ef.nsyms)	/* names from the file: long, odd, any length */
			elf_suggest(&ef, ef.syms[ef.nsyms / 2].name, names, 8);
		elf_machine_name(ef.machine);
	}
	elf_free(&ef);
	return 0;
}
