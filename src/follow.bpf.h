/* SPDX-License-Identifier: GPL-2.0 */
/* -f/--follow, kernel side: the set of traced processes (tgids), kept up to
 * date from the sched_process_fork/exit tracepoints. Included by probe.bpf.c
 * after its maps and helpers. The record field offsets come from the
 * tracepoints' format files, read by ftrace at run time (src/follow.c), so
 * no kernel headers are needed and layouts that differ between kernels
 * work. */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FT_FOLLOW_MAX);
	__type(key, __u32);
	__type(value, __u32);
} follow SEC(".maps");

/* is this process in the followed set (only with -f) */
static __always_inline int follow_has(const struct ft_config *cfg, __u32 tgid)
{
	return cfg->follow && bpf_map_lookup_elem(&follow, &tgid);
}

/* a copy of the start of the tracepoint record: the context may only be
 * read at constant offsets, a map value at bounded variable ones */
struct ft_tp_rec {
	__u8 b[FT_TP_MAX_OFF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_tp_rec);
} tp_rec SEC(".maps");

/* the 32-bit field of the record at a run-time offset (aligned) */
static __always_inline __u32 tp_u32(void *ctx, __u32 off)
{
	__u32 zero = 0, v;
	struct ft_tp_rec *r = bpf_map_lookup_elem(&tp_rec, &zero);

	if (!r || bpf_probe_read_kernel(r->b, sizeof(r->b), ctx))
		return 0;
	off &= FT_TP_MAX_OFF - 4;
	__builtin_memcpy(&v, r->b + off, sizeof(v));
	return v;
}

/* the tracepoint runs in the parent: a followed process's child joins the
 * set. A new thread is added too (its tid); it leaves at its exit. */
SEC("tracepoint/sched/sched_process_fork")
int ft_fork(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, zero = 0, one = 1, child;
	struct ft_config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (!cfg || !cfg->follow || !bpf_map_lookup_elem(&follow, &tgid))
		return 0;
	child = tp_u32(ctx, cfg->fork_child_off);
	if (child && bpf_map_update_elem(&follow, &child, &one, BPF_ANY))
		stat_inc(FT_STAT_FOLLOW);
	return 0;
}

/* runs in the exiting thread: a thread's tid leaves the set; the process
 * leaves when its last thread exits (group_dead, where the kernel has it;
 * else when its main thread exits) */
SEC("tracepoint/sched/sched_process_exit")
int ft_exit(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0;
	struct ft_config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (!cfg || !cfg->follow)
		return 0;
	if (tid != tgid) {
		bpf_map_delete_elem(&follow, &tid);
		return 0;
	}
	/* little endian on every arch here: the byte at off is the low one */
	if (cfg->exit_dead_off &&
	    !((tp_u32(ctx, cfg->exit_dead_off & ~3u) >> (cfg->exit_dead_off & 3) * 8) & 0xff))
		return 0;
	bpf_map_delete_elem(&follow, &tgid);
	return 0;
}
