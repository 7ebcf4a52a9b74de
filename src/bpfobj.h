/* SPDX-License-Identifier: MIT */
/* Reader for the embedded BPF object: programs, BTF-defined maps (.maps) and
 * map relocations. Pure parsing, used by the built-in loader. */
#ifndef FTRACE_BPFOBJ_H
#define FTRACE_BPFOBJ_H

#include <stddef.h>
#include <stdint.h>

#define BPFOBJ_NAME_MAX	64

struct bpfobj_map {
	char name[BPFOBJ_NAME_MAX];
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t sym_off;		/* offset of its symbol in .maps */
};

struct bpfobj_reloc {
	uint32_t insn;			/* instruction index */
	uint32_t map;			/* index into maps */
};

struct bpfobj_prog {
	char name[BPFOBJ_NAME_MAX];	/* function name */
	char sec[BPFOBJ_NAME_MAX];	/* section name: "uprobe", ... */
	struct bpf_insn_raw {
		uint8_t code;
		uint8_t regs;
		int16_t off;
		int32_t imm;
	} *insns;
	size_t ninsns;
	struct bpfobj_reloc *relocs;
	size_t nrelocs;
};

struct bpfobj {
	char license[64];
	struct bpfobj_map *maps;
	size_t nmaps;
	struct bpfobj_prog *progs;
	size_t nprogs;
};

/* Parse a BPF ELF object from memory; never reads outside [buf, buf+len).
 * -ENOEXEC: not a BPF ELF; -EINVAL: malformed (message in err);
 * -EOPNOTSUPP: a feature this loader does not implement; -ENOMEM. */
struct ft_err;
int bpfobj_parse(const void *buf, size_t len, struct bpfobj *obj,
		 struct ft_err *err);
void bpfobj_free(struct bpfobj *obj);

const struct bpfobj_map *bpfobj_map(const struct bpfobj *obj, const char *name);
const struct bpfobj_prog *bpfobj_prog(const struct bpfobj *obj, const char *name);

#endif
