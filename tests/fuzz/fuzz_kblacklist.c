// SPDX-License-Identifier: MIT
/* libFuzzer target: kprobe blacklist parser, then lookups on the result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kblacklist bl;
	const char *sym;
	char *buf = malloc(size ? size : 1);	/* exact size: no NUL after it */

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (kblacklist_parse(buf, size, &bl) == 0) {
		for (size_t i = 0; i < bl.nents && i < 32; i++) {
			const struct kbl_entry *e = &bl.ents[i];

			kblacklist_hit(&bl, e->start, &sym);
			kblacklist_hit(&bl, e->end, &sym);
			kblacklist_hit(&bl, e->end - 1, NULL);
			if (e->sym)
				kblacklist_has_name(&bl, e->sym);
		}
		kblacklist_hit(&bl, 0, &sym);
		kblacklist_hit(&bl, UINT64_MAX, &sym);
		kblacklist_has_name(&bl, "do_int3");
	}
	kblacklist_free(&bl);
	free(buf);
	return 0;
}
