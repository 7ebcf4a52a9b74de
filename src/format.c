// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include <linux/types.h>

#include "event.h"
#include "format.h"
#include "proto.h"
#include "sc_event.h"
#include "syscalls.h"

static const struct arch_reg entry_regs[] = { ARCH_ENTRY_REGS };
static const struct arch_reg ret_reg = ARCH_RET_REG;
static const unsigned int syscall_slots[] = { ARCH_SYSCALL_ARG_SLOTS };

static uint64_t reg_at(const uint8_t *regs, unsigned int slot)
{
#if ARCH_WORD_SIZE == 8
	uint64_t v;
#else
	uint32_t v;
#endif
	memcpy(&v, regs + (size_t)slot * ARCH_WORD_SIZE, sizeof(v));
	return v;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	*p++ = '0';
	*p++ = 'x';
	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_udec(char *p, uint64_t v, int width)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

size_t format_seconds(char *out, uint64_t ns)
{
	char *p = put_udec(out, ns / 1000000000ULL, 1);

	*p++ = '.';
	p = put_udec(p, ns % 1000000000ULL, 9);
	*p = 0;
	return (size_t)(p - out);
}

/* "HH:MM:SS.nnnnnnnnn " */
static char *put_time(char *p, const struct fmt_opts *o, uint64_t mono)
{
	int64_t real = (int64_t)mono + o->mono_to_real_ns +
		       (int64_t)o->utc_offset_s * 1000000000LL;
	uint64_t secs, day;

	if (real < 0)
		real = 0;
	secs = (uint64_t)real / 1000000000ULL;
	day = secs % 86400;
	p = put_udec(p, day / 3600, 2);
	*p++ = ':';
	p = put_udec(p, day / 60 % 60, 2);
	*p++ = ':';
	p = put_udec(p, day % 60, 2);
	*p++ = '.';
	p = put_udec(p, (uint64_t)real % 1000000000ULL, 9);
	*p++ = ' ';
	return p;
}

static char *put_regs(char *p, const uint8_t *regs)
{
	for (size_t i = 0; i < sizeof(entry_regs) / sizeof(entry_regs[0]); i++) {
		if (i)
			p = put_str(p, ", ");
		p = put_str(p, entry_regs[i].name);
		*p++ = '=';
		p = put_hex(p, reg_at(regs, entry_regs[i].slot));
	}
	return p;
}

static char *put_args(char *p, const uint8_t *inner)
{
	p = put_str(p, " args=(");
	for (size_t i = 0; i < sizeof(syscall_slots) / sizeof(syscall_slots[0]); i++) {
		if (i)
			p = put_str(p, ", ");
		p = put_hex(p, reg_at(inner, syscall_slots[i]));
	}
	*p++ = ')';
	return p;
}

static char *put_label(char *p, const char *label)
{
	size_t n = strnlen(label, FMT_LINE_MAX / 2);

	memcpy(p, label, n);
	return p + n;
}

size_t fmt_nregs(void)
{
	return sizeof(entry_regs) / sizeof(entry_regs[0]);
}

const char *fmt_reg(const uint8_t *regs, size_t i, uint64_t *val)
{
	*val = reg_at(regs, entry_regs[i].slot);
	return entry_regs[i].name;
}

const char *fmt_ret_reg(const uint8_t *regs, uint64_t *val)
{
	*val = reg_at(regs, ret_reg.slot);
	return ret_reg.name;
}

size_t fmt_nsysargs(void)
{
	return sizeof(syscall_slots) / sizeof(syscall_slots[0]);
}

uint64_t fmt_sysarg(const uint8_t *inner, size_t i)
{
	return reg_at(inner, syscall_slots[i]);
}

void fmt_comm(const char comm[16], char out[16])
{
	size_t i;

	for (i = 0; i < 15 && comm[i]; i++)
		out[i] = comm[i] >= 0x20 && comm[i] < 0x7f ? comm[i] : '?';
	out[i] = 0;
}

int fmt_check(const struct fmt_opts *o, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	const struct ft_ext *x;
	const uint8_t *data;
	const uint64_t *frames;

	if (len < sizeof(*e) || e->target >= o->nlabels)
		return -EINVAL;
	if (e->type != FT_ENTRY && e->type != FT_RET)
		return -EINVAL;
	if ((e->flags & FT_F_ARGS) && len < sizeof(struct ft_event_args))
		return -EINVAL;
	if ((e->flags & FT_F_EXT) && (e->flags & FT_F_ARGS))
		return -EINVAL;
	if ((e->flags & FT_F_EXT) && proto_ext(rec, len, &x, &data, &frames))
		return -EINVAL;
	return 0;
}

size_t fmt_frames(const struct fmt_opts *o, const void *rec, size_t len,
		  uint64_t *out, size_t max)
{
	const struct ft_event *e = rec;
	const struct ft_ext *x;
	const uint8_t *data;
	const uint64_t *frames;
	size_t n = 0;

	if (!(e->flags & FT_F_EXT) || proto_ext(rec, len, &x, &data, &frames))
		return 0;
	for (size_t i = 0; i < x->nframes && n < max; i++) {
		uint64_t a;

		memcpy(&a, frames + i, sizeof(a));
		out[n++] = a;
		/* the caller, which the frame-pointer walk skips at entry */
		if (i == 0 && x->ra && n < max && o->tflags &&
		    (o->tflags[e->target] & FMT_T_RA)) {
			uint64_t next = 0;

			if (x->nframes > 1)
				memcpy(&next, frames + 1, sizeof(next));
			if (next != x->ra)
				out[n++] = x->ra;
		}
	}
	return n;
}

bool fmt_kstack(const struct fmt_opts *o, uint32_t target)
{
	if (o->tflags)
		return o->tflags[target] & FMT_T_KSTACK;
	return o->labels[target][0] == '<';
}

size_t fmt_frame(const struct fmt_opts *o, uint32_t pid, uint64_t addr, bool kernel,
		 char *out, size_t cap)
{
	size_t n = o->frame ? o->frame(o->frame_ctx, pid, addr, kernel, out, cap) : 0;

	if (!n && cap > 2) {
		char *p = put_hex(out, addr);

		*p = 0;
		n = (size_t)(p - out);
	}
	return n;
}

static char *put_stack(char *p, const struct fmt_opts *o, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	uint64_t f[FT_STACK_MAX + 1];
	size_t n = fmt_frames(o, rec, len, f, FT_STACK_MAX + 1);
	bool kernel = fmt_kstack(o, e->target);

	for (size_t i = 0; i < n; i++) {
		*p++ = '\n';
		p = put_str(p, "    ");
		p += fmt_frame(o, e->tgid, f[i], kernel, p, FMT_FRAME_MAX);
	}
	return p;
}

static char *put_protoargs(char *p, const struct ft_proto *pr, const void *rec,
			   size_t len)
{
	const struct ft_event *e = rec;
	const struct ft_ext *x = NULL;
	const uint8_t *data = NULL;
	const uint64_t *frames;
	size_t off = 0;

	if ((e->flags & FT_F_EXT) && proto_ext(rec, len, &x, &data, &frames))
		return p;
	for (unsigned int i = 0; i < pr->nargs; i++) {
		struct proto_val v;

		if (proto_arg_value(pr, i, e->regs, x, data, x ? x->data_len : 0, &off, &v))
			return put_str(p, ", <malformed>");
		p = put_str(p, ", ");
		p = put_str(p, pr->args[i].name);
		*p++ = '=';
		p += proto_val_text(&v, p, PROTO_VAL_MAX);
	}
	if (pr->more)
		p = put_str(p, ", ...");
	return p;
}

static const struct ft_proto *proto_of(const struct fmt_opts *o, uint32_t target)
{
	return o->protos ? o->protos[target] : NULL;
}

int format_event(const struct fmt_opts *o, const void *rec, size_t len, char *out)
{
	const struct ft_event *e = rec;
	char *p = out;

	if (fmt_check(o, rec, len))
		return -EINVAL;
	if (o->timestamps)
		p = put_time(p, o, e->ts);
	*p++ = '[';
	if (o->comm) {
		char c[16];

		fmt_comm(e->comm, c);
		p = put_str(p, c);
		*p++ = ':';
	}
	p = put_udec(p, e->tgid, 1);
	*p++ = ',';
	p = put_udec(p, e->tid, 1);
	p = put_str(p, "][");
	p = put_label(p, o->labels[e->target]);
	*p++ = ']';
	if (e->type == FT_ENTRY) {
		if (e->flags & FT_F_FIRST) {
			p = put_str(p, " FIRST ENTRY ");
		} else {
			p = put_str(p, " REENTRY after ");
			p += format_seconds(p, e->delta);
			p = put_str(p, " seconds ");
		}
		if (e->flags & FT_F_SC) {	/* a syscall tracepoint's record */
			p = sc_put_call(o->sc, rec, len, p, out + FMT_LINE_MAX - 2);
		} else {
			p = put_regs(p, e->regs);
			if (e->flags & FT_F_ARGS)
				p = put_args(p, ((const struct ft_event_args *)rec)->args);
			else if (e->flags & FT_F_ARGS_FAULT)
				p = put_str(p, " args=(unreadable)");
			if (proto_of(o, e->target))
				p = put_protoargs(p, proto_of(o, e->target), rec, len);
		}
	} else {
		const struct ft_proto *pr = proto_of(o, e->target);

		p = put_str(p, " RET (");
		if (e->flags & FT_F_SC) {
			p = sc_put_ret(o->sc, e, p, out + FMT_LINE_MAX - 64);
			p = put_str(p, ")");
		} else {
			p = put_str(p, ret_reg.name);
			*p++ = '=';
			p = put_hex(p, reg_at(e->regs, ret_reg.slot));
			*p++ = ')';
			if (pr && pr->ret != PT_NONE) {
				struct proto_val v;

				proto_ret_value(pr->ret, reg_at(e->regs, ret_reg.slot), &v);
				p = put_str(p, " ret=");
				p += proto_val_text(&v, p, PROTO_VAL_MAX);
			}
		}
		p = put_str(p, " exec_time_ns: ");
		if (e->flags & FT_F_NO_ENTRY) {
			p = put_str(p, "unknown (entry not seen)");
		} else {
			p += format_seconds(p, e->delta);
			p = put_str(p, " seconds");
		}
	}
	if (e->type == FT_ENTRY && (e->flags & FT_F_EXT))
		p = put_stack(p, o, rec, len);
	*p++ = '\n';
	*p = 0;
	return (int)(p - out);
}
