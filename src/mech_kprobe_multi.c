// SPDX-License-Identifier: MIT
/* kprobe_multi (Linux 5.18+, fprobe): one BPF link probes many kernel
 * functions by name, each with its cookie; function entry only. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "mech.h"
#include "pmu.h"
#include "resolve.h"

/* link_create.kprobe_multi */
struct kmulti_attr {
	uint32_t flags;		/* BPF_F_KPROBE_MULTI_RETURN */
	uint32_t cnt;
	uint64_t syms;
	uint64_t addrs;
	uint64_t cookies;
};

#define KMULTI_RETURN		1u

static int kmulti_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	static const char *const nosuch[] = { "ftrace_probe_no_such_function" };
	int prog = l->prog_fd(b, MECH_PROG_KMULTI_ENTRY);
	struct kmulti_attr a = { 0 };
	int fd;

	if (prog < 0)
		return ft_errf(err, -EOPNOTSUPP, "the kernel refused the kprobe_multi "
			       "program (needs Linux 5.18+)");
	/* an unknown symbol: ESRCH/ENOENT where kprobe_multi exists */
	a.cnt = 1;
	a.syms = (uint64_t)(uintptr_t)nosuch;
	fd = mech_link_create(prog, MECH_ATTACH_KPROBE_MULTI, &a, sizeof(a));
	if (fd >= 0)
		close(fd);
	if (fd == -EOPNOTSUPP || fd == -ENOTSUPP_LINUX)
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no kprobe_multi links "
			       "(CONFIG_FPROBE)");
	if (fd == -EINVAL)
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no kprobe_multi links "
			       "(Linux 5.18+)");
	return 0;
}

static int kmulti_attach(const struct ft_loader *l, struct ft_bpf *b,
			 const struct mech_batch *mb, struct ft_err *err)
{
	int prog = l->prog_fd(b, mb->ret ? MECH_PROG_KMULTI_RET : MECH_PROG_KMULTI_ENTRY);
	const char **syms = calloc(mb->n, sizeof(*syms));
	uint64_t *cookies = calloc(mb->n, sizeof(*cookies));
	struct kmulti_attr a = { 0 };
	int fd;

	if (!syms || !cookies) {
		free(syms);
		free(cookies);
		return -ENOMEM;
	}
	for (size_t i = 0; i < mb->n; i++) {
		syms[i] = mb->ts->v[mb->idx[i]].path;
		cookies[i] = ((uint64_t)mb->idx[i] << 1) | (mb->ret ? FT_COOKIE_RET : 0);
	}
	a.flags = mb->ret ? KMULTI_RETURN : 0;
	a.cnt = (uint32_t)mb->n;
	a.syms = (uint64_t)(uintptr_t)syms;
	a.cookies = (uint64_t)(uintptr_t)cookies;
	fd = prog < 0 ? prog : mech_link_create(prog, MECH_ATTACH_KPROBE_MULTI, &a, sizeof(a));
	free(syms);
	free(cookies);
	if (fd < 0) {
		struct ft_probe p = { .kind = FT_PROBE_KPROBE };

		if (fd == -ESRCH)	/* ftrace cannot trace it (not in
					 * available_filter_functions) */
			return ft_errf(err, fd, "the kernel cannot trace this function "
				       "through ftrace (kprobe_multi)");
		return ft_errf(err, fd, "%s", probe_strerror(&p, fd));
	}
	return l->keep_fd(b, fd);
}

const struct ft_mech mech_kprobe_multi = {
	.name = "kprobe_multi",
	.ret_name = "kretprobe_multi",
	.kernel = true,
	.multi = true,
	.avail = kmulti_avail,
	.attach = kmulti_attach,
};
