// SPDX-License-Identifier: MIT
/* libFuzzer target: the BPF object reader. It reads the image through Elf64
 * structs, as the loader does with the (aligned) embedded blob, so the input
 * is copied to an 8-byte-aligned buffer of exactly its size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpfobj.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfobj obj;
	struct ft_err err;
	void *buf = malloc(size ? size : 1);	/* malloc: 16-byte aligned */

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (bpfobj_parse(buf, size, &obj, &err) == 0) {
		for (size_t i = 0; i < obj.nmaps; i++)
			bpfobj_map(&obj, obj.maps[i].name);
		for (size_t i = 0; i < obj.nprogs; i++) {
			const struct bpfobj_prog *p = bpfobj_prog(&obj, obj.progs[i].name);

			for (size_t r = 0; r < p->nrelocs; r++)
				if (p->relocs[r].insn + 1 >= p->ninsns ||
				    p->relocs[r].map >= obj.nmaps)
					abort();
		}
		bpfobj_map(&obj, "events");
		bpfobj_prog(&obj, "ft_uprobe");
	}
	bpfobj_free(&obj);
	free(buf);
	return 0;
}
