// SPDX-License-Identifier: MIT
/* raw_syscalls: every syscall target on the two raw_syscalls tracepoints
 * (sys_enter, sys_exit), the target found by syscall number in the sc_nr
 * map: two perf events whatever the number of syscalls (ftrace syscall
 * without a filter), where syscalls:* would take two per syscall. */
#include <errno.h>
#include <stdio.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "mech.h"
#include "resolve.h"
#include "sc_event.h"
#include "sys.h"
#include "syscalls.h"

static bool raw_takes(const struct ft_target *t)
{
	return t->syscall && t->sc_nr >= 0;
}

static int raw_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	if (l->prog_fd(b, "ft_raw_enter") < 0 || l->prog_fd(b, "ft_raw_exit") < 0)
		return ft_errf(err, -EOPNOTSUPP, "syscall tracepoints need BPF cookies "
			       "(Linux 5.15+)%s", sys_bpf_has_cookie() ? "" :
			       ", which this kernel lacks");
	return 0;
}

static int raw_map(const struct ft_loader *l, struct ft_bpf *b,
		   const struct mech_batch *mb, struct ft_err *err)
{
	int fd = l->map_fd(b, "sc_nr");

	if (fd < 0)
		return ft_errf(err, -ENOENT, "BPF object lacks its sc_nr map");
	for (size_t i = 0; i < mb->n; i++) {
		const struct ft_target *t = &mb->ts->v[mb->idx[i]];
		uint32_t nr = (uint32_t)t->sc_nr, target = mb->idx[i];

		if (!raw_takes(t) || nr >= FT_SC_NR_MAX * 4)
			return ft_errf(err, -EINVAL, "%s has no syscall number", t->label);
		if (bpf_map_update(fd, &nr, &target, 0))
			return ft_errf(err, -E2BIG, "cannot write the sc_nr map (more "
				       "than %d syscalls?)", FT_SC_NR_MAX);
	}
	return 0;
}

static int raw_attach(const struct ft_loader *l, struct ft_bpf *b,
		      const struct mech_batch *mb, struct ft_err *err)
{
	const char *prog = mb->ret ? "ft_raw_exit" : "ft_raw_enter";
	uint32_t enter, exit;
	int fd = l->prog_fd(b, prog);
	int ret = 0;

	if (fd < 0 && sys_bpf_has_cookie() == 0)
		ret = ft_errf(err, -EOPNOTSUPP, "syscall tracepoints need BPF cookies "
			      "(Linux 5.15+), which this kernel lacks");
	else if (fd < 0)
		ret = ft_errf(err, -ENOENT, "BPF object has no %s program", prog);

	if (!ret && !mb->ret)
		ret = raw_map(l, b, mb, err);
	if (!ret)
		ret = sc_raw_ids(&enter, &exit, err);
	if (!ret)
		ret = mech_tp_link(l, b, fd, mb->ret ? exit : enter, 0, mb->ret ?
				   "raw_syscalls:sys_exit" : "raw_syscalls:sys_enter", err);
	return ret;
}

const struct ft_mech mech_raw_syscalls = {
	.name = "raw_syscalls",
	.ret_name = "raw_sys_exit",
	.kernel = true,
	.multi = true,
	.avail = raw_avail,
	.attach = raw_attach,
	.takes = raw_takes,
};
