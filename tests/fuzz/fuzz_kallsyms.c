// SPDX-License-Identifier: MIT
/* libFuzzer target: /proc/kallsyms parser, then lookups on the result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksyms ks;
	struct kblacklist bl;
	const char *out[16];
	uint64_t off;
	char *buf = malloc(size ? size : 1);	/* exact size: no NUL after it */

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (ksyms_parse(buf, size, &ks) == 0) {
		for (size_t i = 0; i < ks.nsyms && i < 32; i++) {
			const struct ksym *s = &ks.syms[i];

			ksyms_find(&ks, s->name);
			ksyms_count(&ks, s->name);
			ksyms_find_nth(&ks, s->name, 1);
			ksyms_at(&ks, s->addr, &off);
			ksyms_at(&ks, s->addr + s->size, &off);
			ksyms_at(&ks, s->addr - 1, NULL);
			ksym_syscall_guess(&ks, s->name, "__x64_sys_");
		}
		ksyms_find(&ks, "vfs_read");
		ksyms_at(&ks, 0, &off);
		ksyms_at(&ks, UINT64_MAX, &off);
		ksyms_suggest(&ks, "vfs_raed", out, 16);
		ksyms_suggest(&ks, "x", out, 16);
		ksyms_suggest(&ks, "__pfx_vfs", out, 4);
		if (ks.nsyms)
			ksyms_suggest(&ks, ks.syms[ks.nsyms / 2].name, out, 16);
		ksym_syscall_guess(&ks, "mount", "__x64_sys_");
		ksym_syscall_guess(&ks, "__do_sys_mount", "__arm64_sys_");
		/* the kallsyms section markers as a blacklist */
		memset(&bl, 0, sizeof(bl));
		kblacklist_add_sections(&bl, &ks);
		if (ks.nsyms)
			kblacklist_hit(&bl, ks.syms[0].addr, NULL);
		kblacklist_free(&bl);
	}
	ksyms_free(&ks);
	free(buf);
	return 0;
}
