/* SPDX-License-Identifier: GPL-2.0 */
/* Prototypes and --stack in the kernel (included by probe.bpf.c after its
 * maps and helpers). An entry of a target whose targets-map value has
 * FT_T_ARGS/FT_T_USTACK/FT_T_KSTACK is built in a per-CPU scratch record
 * (ext_scratch, probe.bpf.c):
 * the event, a struct ft_ext, the strings and buffers its prototype names
 * (read from user or kernel memory now, while they are valid), then the
 * stack. The record is copied to the ring buffer (or the flight recorder's
 * perf buffer) at its real size (bpf_ringbuf_output,
 * bpf_perf_event_output): a string costs its length, not FT_STR_READ. Targets
 * without these flags never come here: the plain path is unchanged. */
#ifndef FTRACE_ARGS_BPF_H
#define FTRACE_ARGS_BPF_H

static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size,
					 const void *src) = (void *)115;
static long (*bpf_get_stack)(void *ctx, void *buf, __u32 size,
			     __u64 flags) = (void *)67;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
				  __u64 flags) = (void *)130;

static __always_inline __u64 arg_word(const __u8 *regs, unsigned int slot)
{
	unsigned long v;

	__builtin_memcpy(&v, regs + slot * ARCH_WORD_SIZE, sizeof(v));
	return v;
}

/* read argument slot i as its prototype says; returns the new data offset */
static __always_inline __u32 read_arg(struct ft_event_ext *r, __u32 i,
				      __u16 kind, __u64 ptr, __u32 off)
{
	long n;

	if (!kind || !ptr)
		return off;
	if (off > FT_EXT_DATA - FT_STR_READ)
		return off;
	if (kind & (FT_A_STR | FT_A_KSTR)) {
		n = -14;
		if (kind & FT_A_KSTR)
			n = bpf_probe_read_kernel_str(r->data + off, FT_STR_READ,
						      (void *)ptr);
		if (n <= 0 && (kind & FT_A_STR))
			n = bpf_probe_read_user_str(r->data + off, FT_STR_READ,
						    (void *)ptr);
		if (n <= 0) {
			r->x.err |= 1 << i;
			r->x.len[i] = n < 0 ? -n : 14;	/* EFAULT */
			return off;
		}
		r->x.len[i] = n - 1;
		return off + ((n - 1) & 0x1ff);
	}
	n = kind & 0x1ff;
	if (n > FT_BUF_MAX)
		n = FT_BUF_MAX;
	if (n <= 0)
		return off;
	n = bpf_probe_read_user(r->data + off, n, (void *)ptr) ? -14 : n;
	if (n < 0) {
		r->x.err |= 1 << i;
		r->x.len[i] = 14;
		return off;
	}
	r->x.len[i] = n;
	return off + (n & 0x1ff);
}

static __always_inline __u32 read_args(struct ft_event_ext *r,
				       const struct ft_target_cfg *tc)
{
	const unsigned int slots[] = { ARCH_ARG_SLOTS };
	__u32 off = 0;

#pragma unroll
	for (int i = 0; i < ARCH_NARG_SLOTS && i < FT_ARG_SLOTS; i++)
		off = read_arg(r, i, tc->arg[i], arg_word(r->ev.regs, slots[i]), off);
	return off;
}

static __always_inline void read_ra(struct ft_event_ext *r)
{
#if ARCH_ENTRY_RA_SLOT >= 0
	r->x.ra = arg_word(r->ev.regs, ARCH_ENTRY_RA_SLOT);
#else
	unsigned long ra = 0;

	bpf_probe_read_user(&ra, sizeof(ra),
			    (void *)arg_word(r->ev.regs, ARCH_ENTRY_SP_SLOT));
	r->x.ra = ra;
#endif
}

static __always_inline __u32 read_stack(void *ctx, struct ft_event_ext *r,
					__u32 flags, __u32 off)
{
	long n;

	off = (off + 7) & ~7U;
	if (off > FT_EXT_DATA)
		return off;
	if (flags & FT_T_USTACK)
		read_ra(r);
	n = bpf_get_stack(ctx, r->data + off, FT_STACK_MAX * 8,
			  (flags & FT_T_USTACK) ? BPF_F_USER_STACK : 0);
	if (n < 0) {
		r->x.stack_err = -n;
		return off;
	}
	r->x.nframes = n / 8;
	return off + (n & (FT_STACK_MAX * 8 * 2 - 1));
}

/* as submit() decides for a reserved record */
static __always_inline __u64 wake_flags(__u64 size)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 mark = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 8;
	__u64 len = (size + 8 + 7) & ~7ULL;

	return avail + len >= mark && avail < mark ? BPF_RB_FORCE_WAKEUP
						   : BPF_RB_NO_WAKEUP;
}

/* An entry with arguments to read or a stack: 0 sent, -1 lost. */
static __always_inline int entry_ext(void *ctx, const struct ft_target_cfg *tc,
				     __u64 id, __u64 now, __u32 target,
				     enum regs_src src, __u16 flags, __u64 gap,
				     __u32 depth)
{
	struct ft_event_ext *r;
	__u32 zero = 0, off = 0, size;

	r = bpf_map_lookup_elem(&ext_scratch, &zero);
	if (!r)
		return -1;
	fill(&r->ev, id, now, target, ctx, src);
	r->ev.type = FT_ENTRY;
	r->ev.flags = flags | FT_F_EXT;
	r->ev.delta = gap;
	r->ev.depth = depth;
	__builtin_memset(&r->x, 0, sizeof(r->x));
	if (tc->flags & FT_T_ARGS)
		off = read_args(r, tc);
	off = (off + 7) & ~7U;	/* pads with the scratch's old bytes */
	if (off > FT_EXT_DATA)
		off = FT_EXT_DATA;
	r->x.data_len = off;
	if (tc->flags & (FT_T_USTACK | FT_T_KSTACK))
		off = read_stack(ctx, r, tc->flags, off);
	size = sizeof(r->ev) + sizeof(r->x) + off;
	if (size > sizeof(*r))
		size = sizeof(*r);
	if (flight_on())
		return bpf_perf_event_output(ctx, &flight, BPF_F_CURRENT_CPU, r,
					     size) ? -1 : 0;
	return bpf_ringbuf_output(&events, r, size, wake_flags(size)) ? -1 : 0;
}

#endif
