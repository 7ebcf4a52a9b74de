// SPDX-License-Identifier: MIT
/* The BPF object reader on the committed blobs: every map with the type and
 * sizes probe.bpf.c declares, every program, every relocation on an
 * ld_imm64; and truncated copies refused without a crash. */
#include <errno.h>
#include <stdbool.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfobj.h"
#include "check.h"
#include "err.h"
#include "event.h"
#include "sc_event.h"

static void *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = aligned_alloc(8, ((size_t)n + 7) & ~(size_t)7);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void check_map(const struct bpfobj *o, const char *name, uint32_t type,
		      uint32_t key, uint32_t value, uint32_t max)
{
	const struct bpfobj_map *m = bpfobj_map(o, name);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->type, type);
	CHECK_EQ(m->key_size, key);
	CHECK_EQ(m->value_size, value);
	CHECK_EQ(m->max_entries, max);
}


/* the --cgroup blob: the same plus the cgroup array (kernels without
 * CONFIG_CGROUPS cannot create one, so only --cgroup loads it) */
static void check_cgroup_blob(const char *arch)
{
	struct bpfobj o;
	struct ft_err err = { "" };
	char path[256];
	size_t len = 0;
	void *buf;

	snprintf(path, sizeof(path), "blobs/%s/probe-cgroup.bpf.o", arch);
	buf = load(path, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_EQ(bpfobj_parse(buf, len, &o, &err), 0);
	CHECK_EQ(o.nmaps, 22);
	check_map(&o, "cgroup_filter", 8 /* CGROUP_ARRAY */, 4, 4, 1);
	CHECK_EQ(o.nprogs, 15);
	bpfobj_free(&o);
	free(buf);
}

static void check_blob(const char *arch, bool native)
{
	char path[128];
	struct bpfobj o;
	struct ft_err err = { "" };
	size_t len = 0;
	void *buf;

	check_cgroup_blob(arch);
	snprintf(path, sizeof(path), "blobs/%s/probe.bpf.o", arch);
	buf = load(path, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_EQ(bpfobj_parse(buf, len, &o, &err), 0);
	CHECK_STR(o.license, "GPL");
	CHECK_EQ(o.nmaps, 21);
	/* --by stack: one entry until the loader sizes them; no BTF types
	 * for the stack map (the kernel takes none) */
	check_map(&o, "stackmap", 7 /* STACK_TRACE */, 4, FT_STACK_MAX * 8, 1);
	check_map(&o, "stack_keys", 9, sizeof(struct ft_held_key),
		  sizeof(struct ft_agg_key), 1);
	/* syscall tracepoints */
	check_map(&o, "sc_targets", 2, 4, sizeof(struct ft_sc_target), FT_MAX_TARGETS);
	check_map(&o, "sc_nr", 1, 4, 4, FT_SC_NR_MAX);
	check_map(&o, "events", 27 /* RINGBUF */, 0, 0, 1u << 24);
	check_map(&o, "config", 2 /* ARRAY */, 4, sizeof(struct ft_config), 1);
	/* the flight recorder: the mode, read-only to the programs (the
	 * verifier knows it); the perf buffers, a slot per CPU */
	check_map(&o, "out_mode", 2, 4, 4, 1);
	CHECK_EQ(bpfobj_map(&o, "out_mode") ? bpfobj_map(&o, "out_mode")->flags : 0,
		  1u << 7 /* BPF_F_RDONLY_PROG */);
	check_map(&o, "flight", 4 /* PERF_EVENT_ARRAY */, 4, 4, 0);
	check_map(&o, "follow", 1 /* HASH */, 4, 4, FT_FOLLOW_MAX);
	check_map(&o, "tp_rec", 6, 4, FT_TP_MAX_OFF, 1);
	check_map(&o, "targets", 2, 4, sizeof(struct ft_target_cfg), FT_MAX_TARGETS);
	check_map(&o, "stats", 6 /* PERCPU_ARRAY */, 4, 8, FT_STAT_NR);
	check_map(&o, "last_entry", 9 /* LRU_HASH */, 8, 8, 65536);
	/* summaries and held entries: one entry until the loader sizes them */
	check_map(&o, "agg", 5 /* PERCPU_HASH */, sizeof(struct ft_agg_key),
		  sizeof(struct ft_agg_val), 1);
	check_map(&o, "agg_zero", 6, 4, sizeof(struct ft_agg_val), 1);
	if (native) {	/* struct sizes as this compiler lays them out */
		check_map(&o, "stacks", 1, 4, sizeof(struct ft_stack), 8192);
		check_map(&o, "zero_stack", 6, 4, sizeof(struct ft_stack), 1);
		check_map(&o, "held", 9, sizeof(struct ft_held_key),
			  sizeof(struct ft_event_args), 1);
		check_map(&o, "held_scratch", 6, 4, sizeof(struct ft_event_args), 1);
		/* prototypes and --stack: the record built before it is sent */
		check_map(&o, "ext_scratch", 6, 4, sizeof(struct ft_event_ext), 1);
	}
	CHECK_EQ(o.nprogs, 15);
	CHECK_STR(bpfobj_prog(&o, "ft_sys_enter") ? bpfobj_prog(&o, "ft_sys_enter")->sec
		  : "", "tracepoint/syscalls/sys_enter");
	CHECK_STR(bpfobj_prog(&o, "ft_raw_exit") ? bpfobj_prog(&o, "ft_raw_exit")->sec
		  : "", "tracepoint/raw_syscalls/sys_exit");
	/* the multi-probe programs: their sections give the attach type */
	CHECK_STR(bpfobj_prog(&o, "ft_umulti_entry") ? bpfobj_prog(&o, "ft_umulti_entry")->sec
		  : "", "uprobe.multi");
	CHECK_STR(bpfobj_prog(&o, "ft_umulti_return") ? bpfobj_prog(&o, "ft_umulti_return")->sec
		  : "", "uretprobe.multi");
	CHECK_STR(bpfobj_prog(&o, "ft_kmulti_entry") ? bpfobj_prog(&o, "ft_kmulti_entry")->sec
		  : "", "kprobe.multi");
	CHECK_STR(bpfobj_prog(&o, "ft_kmulti_return") ? bpfobj_prog(&o, "ft_kmulti_return")->sec
		  : "", "kretprobe.multi");
	CHECK_STR(bpfobj_prog(&o, "ft_entry") ? bpfobj_prog(&o, "ft_entry")->sec : "", "uprobe");
	CHECK_STR(bpfobj_prog(&o, "ft_return") ? bpfobj_prog(&o, "ft_return")->sec : "", "uretprobe");
	CHECK_STR(bpfobj_prog(&o, "ft_fentry") ? bpfobj_prog(&o, "ft_fentry")->sec : "", "fentry");
	CHECK_STR(bpfobj_prog(&o, "ft_fexit") ? bpfobj_prog(&o, "ft_fexit")->sec : "", "fexit");
	CHECK_STR(bpfobj_prog(&o, "ft_thread_exit") ? bpfobj_prog(&o, "ft_thread_exit")->sec : "",
		  "raw_tp/sched_process_exit");
	CHECK_STR(bpfobj_prog(&o, "ft_fork") ? bpfobj_prog(&o, "ft_fork")->sec : "",
		  "tracepoint/sched/sched_process_fork");
	CHECK_STR(bpfobj_prog(&o, "ft_exit") ? bpfobj_prog(&o, "ft_exit")->sec : "",
		  "tracepoint/sched/sched_process_exit");
	for (size_t i = 0; i < o.nprogs; i++) {
		const struct bpfobj_prog *p = &o.progs[i];

		CHECK(p->nrelocs > 0);
		for (size_t r = 0; r < p->nrelocs; r++) {
			CHECK(p->relocs[r].map < o.nmaps);
			CHECK(p->relocs[r].insn + 1 < p->ninsns);
			CHECK_EQ(p->insns[p->relocs[r].insn].code, 0x18);	/* ld_imm64 */
		}
	}
	bpfobj_free(&o);

	/* every truncation is refused cleanly (ASan checks the reads) */
	for (size_t cut = 0; cut < len; cut += len / 64 + 1) {
		int ret = bpfobj_parse(buf, cut, &o, &err);

		CHECK(ret == -ENOEXEC || ret == -EINVAL || ret == -EOPNOTSUPP);
	}
	free(buf);
}

int main(void)
{
	check_blob(ARCH_NAME, true);
	check_blob("x86_64", !strcmp(ARCH_NAME, "x86_64"));
	check_blob("armv7l", !strcmp(ARCH_NAME, "armv7l"));
	check_blob("riscv64", !strcmp(ARCH_NAME, "riscv64"));
	return check_done("test_bpfobj");
}
