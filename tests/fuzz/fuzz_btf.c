// SPDX-License-Identifier: MIT
/* libFuzzer target: the BTF reader (blob BTF, vmlinux BTF), function lookup
 * and the type walkers the BPF object reader uses, and kernel prototypes
 * from BTF (btfproto.c: the name index, each FUNC's prototype and its
 * text). Input copied to an aligned buffer, as btf_parse's callers hand
 * it one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btfproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_protos(const struct btf *btf)
{
	struct btf_funcs ix;
	struct ft_proto p;
	char text[2048];

	if (btf_funcs_index(btf, &ix))
		return;
	for (size_t i = 0; i < ix.n && i < 512; i++)
		if (!btf_proto(&ix, ix.v[i].name, &p))
			proto_text(&p, text, sizeof(text));
	btf_proto(&ix, "", &p);
	btf_proto(&ix, "vfs_read", &p);
	btf_funcs_free(&ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf btf;
	uint32_t nargs, sz, id;
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (btf_parse(buf, size, &btf) == 0) {
		btf_find_func(&btf, "vfs_read", &nargs);
		btf_find_func(&btf, "", &nargs);
		for (uint32_t i = 1; i < btf.ntypes && i < 256; i++) {
			const struct btf_type *t = btf_type(&btf, i);
			const char *name = btf_name(&btf, t->name_off);

			if (btf_kind(t) == BTF_KIND_FUNC && name)
				btf_find_func(&btf, name, &nargs);
			btf_skip_mods(&btf, i, &id);
			btf_size(&btf, i, &sz, 0);
			btf_vlen(t);
		}
		fuzz_protos(&btf);
		btf_type(&btf, 0);
		btf_type(&btf, btf.ntypes);
		btf_name(&btf, UINT32_MAX);
	}
	btf_free(&btf);
	free(buf);
	return 0;
}
