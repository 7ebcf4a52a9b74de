// SPDX-License-Identifier: MIT
/* fentry/fexit: a BPF trampoline per function, from kernel BTF; the loader
 * loads a program copy per target (its attach point is fixed at load). */
#include <errno.h>
#include <unistd.h>

#include "err.h"
#include "mech.h"

static int fentry_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	(void)l;
	(void)b;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no BTF "
			       "(/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
	return 0;
}

static int fentry_attach(const struct ft_loader *l, struct ft_bpf *b,
			 const struct mech_batch *mb, struct ft_err *err)
{
	return mech_attach_each(l, b, mb, FT_PROBE_FENTRY, err);
}

const struct ft_mech mech_fentry = {
	.name = "fentry",
	.ret_name = "fexit",
	.kernel = true,
	.avail = fentry_avail,
	.attach = fentry_attach,
};
