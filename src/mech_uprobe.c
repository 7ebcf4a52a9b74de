// SPDX-License-Identifier: MIT
/* uprobe: one perf event on the uprobe PMU per probe (any kernel). */
#include <errno.h>

#include "err.h"
#include "mech.h"
#include "pmu.h"

static int uprobe_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	struct ft_pmu pmu;

	(void)l;
	(void)b;
	if (pmu_read("/sys", "uprobe", &pmu))
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no uprobe PMU "
			       "(CONFIG_UPROBES, CONFIG_UPROBE_EVENTS)");
	return 0;
}

static int uprobe_attach(const struct ft_loader *l, struct ft_bpf *b,
			 const struct mech_batch *mb, struct ft_err *err)
{
	return mech_attach_each(l, b, mb, FT_PROBE_UPROBE, err);
}

const struct ft_mech mech_uprobe = {
	.name = "uprobe",
	.ret_name = "uretprobe",
	.offsets = true,
	.avail = uprobe_avail,
	.attach = uprobe_attach,
};
