// SPDX-License-Identifier: MIT
/* tracepoint: a syscall target on syscalls:sys_enter_NAME (entry) and
 * syscalls:sys_exit_NAME (return), one perf event each, the BPF program
 * linked with the target's cookie (Linux 5.15+). For kernels without
 * kprobes, or where they are refused, and on request. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "mech.h"
#include "resolve.h"
#include "sys.h"

#define PROG_ENTER	"ft_sys_enter"
#define PROG_EXIT	"ft_sys_exit"

/* prog on tracepoint id, cookie: the link holds the perf event */
int mech_tp_link(const struct ft_loader *l, struct ft_bpf *b, int prog,
		 uint32_t id, uint64_t cookie, const char *what, struct ft_err *err)
{
	struct perf_event_attr attr;
	int pfd, lfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* one CPU: the program hangs off the tracepoint and runs on all */
	pfd = sys_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return ft_errf(err, pfd, "perf_event_open on tracepoint %s: %s", what,
			       pfd == -EMFILE ? "too many open files (raise the limit "
			       "with ulimit -n)" : strerror(-pfd));
	lfd = bpf_link_perf_event(prog, pfd, cookie);
	close(pfd);
	if (lfd == -EINVAL)
		return ft_errf(err, lfd, "the kernel cannot link BPF programs to "
			       "tracepoints with a cookie (needs Linux 5.15+)");
	if (lfd < 0)
		return ft_errf(err, lfd, "cannot link the BPF program to tracepoint %s: "
			       "%s", what, strerror(-lfd));
	return l->keep_fd(b, lfd);
}

static int tp_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	if (l->prog_fd(b, PROG_ENTER) < 0 || l->prog_fd(b, PROG_EXIT) < 0)
		return ft_errf(err, -EOPNOTSUPP, "syscall tracepoints need BPF "
			       "cookies (Linux 5.15+)%s", sys_bpf_has_cookie() ? "" :
			       ", which this kernel lacks");
	return 0;
}

static int tp_attach(const struct ft_loader *l, struct ft_bpf *b,
		     const struct mech_batch *mb, struct ft_err *err)
{
	int prog = l->prog_fd(b, mb->ret ? PROG_EXIT : PROG_ENTER);
	size_t mark = l->mark(b);

	if (prog < 0)
		return tp_avail(l, b, err) ? -EOPNOTSUPP :
		       ft_errf(err, -ENOENT, "BPF object has no %s program",
			       mb->ret ? PROG_EXIT : PROG_ENTER);
	for (size_t i = 0; i < mb->n; i++) {
		const struct ft_target *t = &mb->ts->v[mb->idx[i]];
		uint64_t cookie = ((uint64_t)mb->idx[i] << 1) | (mb->ret ? FT_COOKIE_RET : 0);
		char what[320];
		int ret;

		snprintf(what, sizeof(what), "syscalls:sys_%s_%s", mb->ret ? "exit" :
			 "enter", t->path);
		ret = t->syscall ? mech_tp_link(l, b, prog, mb->ret ? t->tp_exit :
						t->tp_enter, cookie, what, err) :
			ft_errf(err, -EINVAL, "%s is not a syscall", t->label);
		if (ret) {
			l->rollback(b, mark);
			return ret;
		}
	}
	return 0;
}

const struct ft_mech mech_tracepoint = {
	.name = "tracepoint",
	.ret_name = "sys_exit",
	.kernel = true,
	.avail = tp_avail,
	.attach = tp_attach,
};
