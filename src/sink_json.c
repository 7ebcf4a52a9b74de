// SPDX-License-Identifier: MIT
/* The JSON sink: one object per line (JSON Lines), schema in the README.
 * Events are "entry" and "return"; "lost" and "summary" records say what
 * did not arrive and how the run ended. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "event.h"
#include "proto.h"
#include "sc_event.h"
#include "syscalls.h"
#include "sink.h"

static void put_regs(FILE *f, const uint8_t *regs)
{
	fputs(",\"regs\":{", f);
	for (size_t i = 0; i < fmt_nregs(); i++) {
		uint64_t v;
		const char *name = fmt_reg(regs, i, &v);

		fprintf(f, "%s\"%s\":\"0x%llx\"", i ? "," : "", name, (unsigned long long)v);
	}
	putc('}', f);
}

static void put_args(FILE *f, const void *rec, uint16_t flags)
{
	const struct ft_event_args *ea = rec;

	if (flags & FT_F_ARGS_FAULT) {
		fputs(",\"args\":null,\"args_error\":\"unreadable\"", f);
		return;
	}
	fputs(",\"args\":[", f);
	for (size_t i = 0; i < fmt_nsysargs(); i++)
		fprintf(f, "%s\"0x%llx\"", i ? "," : "",
			(unsigned long long)fmt_sysarg(ea->args, i));
	putc(']', f);
}

/* a typed value: numbers as numbers, bool, pointers and octal as strings,
 * strings and buffers as JSON strings of their bytes, NULL and unreadable
 * pointers as null */
static void put_val(FILE *f, const struct proto_val *v)
{
	char txt[PROTO_VAL_MAX];

	switch (v->kind) {
	case PV_INT:
		fprintf(f, "%lld", (long long)v->i);
		break;
	case PV_UINT:
		fprintf(f, "%llu", (unsigned long long)v->u);
		break;
	case PV_BOOL:
		fputs(v->u ? "true" : "false", f);
		break;
	case PV_CHAR:
		json_str(f, (const char *)&(char){ (char)v->u }, 1);
		break;
	case PV_BYTES:
		json_str(f, (const char *)v->bytes, v->n);
		break;
	case PV_NULL:
	case PV_UNREADABLE:
		fputs("null", f);
		break;
	default:
		proto_val_text(v, txt, sizeof(txt));
		json_str(f, txt, strlen(txt));
		break;
	}
}

/* "args":{name:value...}, and the names of the arguments that were
 * unreadable or truncated */
static void put_protoargs(FILE *f, const struct ft_proto *p, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	const struct ft_ext *x = NULL;
	const uint8_t *data = NULL;
	const uint64_t *frames;
	char bad[FT_ARG_SLOTS] = { 0 };
	size_t off = 0;

	if ((e->flags & FT_F_EXT) && proto_ext(rec, len, &x, &data, &frames))
		return;
	fputs(",\"args\":{", f);
	for (unsigned int i = 0; i < p->nargs; i++) {
		struct proto_val v;

		if (proto_arg_value(p, i, e->regs, x, data, x ? x->data_len : 0, &off, &v))
			break;
		fprintf(f, "%s\"%s\":", i ? "," : "", p->args[i].name);
		put_val(f, &v);
		bad[i] = v.kind == PV_UNREADABLE ? 'u' : v.trunc ? 't' : 0;
	}
	putc('}', f);
	for (int k = 0; k < 2; k++) {
		char want = k ? 't' : 'u';
		int n = 0;

		for (unsigned int i = 0; i < p->nargs; i++)
			if (bad[i] == want)
				fprintf(f, "%s\"%s\"", n++ ? "," : k ? ",\"args_truncated\":[" :
					",\"args_unreadable\":[", p->args[i].name);
		if (n)
			putc(']', f);
	}
}

static void put_stack(struct ft_sink *s, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	uint64_t fr[FT_STACK_MAX + 1];
	size_t n = fmt_frames(s->fmt, rec, len, fr, FT_STACK_MAX + 1);
	bool kernel = fmt_kstack(s->fmt, e->target);
	char txt[FMT_FRAME_MAX];

	fputs(",\"stack\":[", s->out);
	for (size_t i = 0; i < n; i++) {
		size_t k = fmt_frame(s->fmt, e->tgid, fr[i], kernel, txt, sizeof(txt));

		if (i)
			putc(',', s->out);
		json_str(s->out, txt, k);
	}
	putc(']', s->out);
}

static void put_head(struct ft_sink *s, const struct ft_event *e)
{
	const char *label = s->fmt->labels[e->target], *func;
	size_t liblen;
	FILE *f = s->out;

	sink_split_label(label, &func, &liblen);
	fprintf(f, "{\"ts_ns\":%llu,\"type\":\"%s\",\"pid\":%u,\"tid\":%u,\"comm\":",
		(unsigned long long)e->ts, e->type == FT_ENTRY ? "entry" : "return",
		e->tgid, e->tid);
	json_str(f, e->comm, strnlen(e->comm, sizeof(e->comm)));
	fputs(",\"lib\":", f);
	json_str(f, label, liblen);
	fputs(",\"func\":", f);
	json_str(f, func, strlen(func));
	fprintf(f, ",\"offset\":%llu,\"depth\":%u",
		(unsigned long long)(s->offsets ? s->offsets[e->target] : 0), e->depth);
}

static int json_event(struct ft_sink *s, const void *rec, size_t len)
{
	const struct ft_event *e = rec;
	const struct ft_proto *pr;
	FILE *f = s->out;

	if (fmt_check(s->fmt, rec, len))
		return -EINVAL;
	pr = s->fmt->protos ? s->fmt->protos[e->target] : NULL;
	put_head(s, e);
	if (e->type == FT_ENTRY) {
		if (e->flags & FT_F_FIRST)
			fputs(",\"gap_ns\":null", f);
		else
			fprintf(f, ",\"gap_ns\":%llu", (unsigned long long)e->delta);
		if (e->flags & FT_F_SC) {	/* a syscall tracepoint's record */
			sc_json_call(f, s->fmt->sc, rec, len);
		} else {
			put_regs(f, e->regs);
			if (e->flags & (FT_F_ARGS | FT_F_ARGS_FAULT))
				put_args(f, rec, e->flags);
			else if (pr)
				put_protoargs(f, pr, rec, len);
			if (e->flags & FT_F_EXT && ((const struct ft_ext *)(e + 1))->nframes)
				put_stack(s, rec, len);
		}
	} else {
		uint64_t v;

		fmt_ret_reg(e->regs, &v);
		if (e->flags & FT_F_NO_ENTRY)
			fputs(",\"duration_ns\":null", f);
		else
			fprintf(f, ",\"duration_ns\":%llu", (unsigned long long)e->delta);
		if (e->flags & FT_F_SC) {
			sc_json_ret(f, s->fmt->sc, e);
		} else if (pr && pr->ret != PT_NONE) {
			struct proto_val pv;

			proto_ret_value(pr->ret, v, &pv);
			fputs(",\"ret\":", f);
			put_val(f, &pv);
			fprintf(f, ",\"ret_reg\":\"0x%llx\"", (unsigned long long)v);
		} else {
			fprintf(f, ",\"ret\":\"0x%llx\"", (unsigned long long)v);
		}
	}
	if (fputs("}\n", f) == EOF)
		return -(errno ? errno : EIO);
	s->written++;
	return 0;
}

static int json_lost(struct ft_sink *s, uint64_t ts, uint64_t total)
{
	fprintf(s->out, "{\"ts_ns\":%llu,\"type\":\"lost\",\"lost_total\":%llu}\n",
		(unsigned long long)ts, (unsigned long long)total);
	return ferror(s->out) ? -EIO : 0;
}

static int json_close(struct ft_sink *s, const struct sink_summary *m)
{
	if (!m)
		return sink_file_close(s);
	fprintf(s->out, "{\"type\":\"summary\",\"events\":%llu,\"lost\":%llu,"
		"\"untimed\":%llu,\"no_state\":%llu,\"malformed\":%llu,\"stopped\":",
		(unsigned long long)s->written, (unsigned long long)m->lost,
		(unsigned long long)m->untimed, (unsigned long long)m->no_state,
		(unsigned long long)m->malformed);
	json_str(s->out, m->why ? m->why : "", m->why ? strlen(m->why) : 0);
	fputs("}\n", s->out);
	return sink_file_close(s);
}

static const struct sink_ops json_ops = {
	.name = "json",
	.event = json_event,
	.lost = json_lost,
	.flush = sink_file_flush,
	.close = json_close,
};

struct ft_sink *sink_json_new(void)
{
	struct ft_sink *s = calloc(1, sizeof(*s));

	if (s)
		s->ops = &json_ops;
	return s;
}
