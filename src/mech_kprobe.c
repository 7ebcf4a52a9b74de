// SPDX-License-Identifier: MIT
/* kprobe: one perf event on the kprobe PMU per probe. */
#include <errno.h>

#include "err.h"
#include "mech.h"
#include "pmu.h"

static int kprobe_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	struct ft_pmu pmu;

	(void)l;
	(void)b;
	if (pmu_read("/sys", "kprobe", &pmu))
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no kprobe PMU "
			       "(CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)");
	return 0;
}

static int kprobe_attach(const struct ft_loader *l, struct ft_bpf *b,
			 const struct mech_batch *mb, struct ft_err *err)
{
	return mech_attach_each(l, b, mb, FT_PROBE_KPROBE, err);
}

const struct ft_mech mech_kprobe = {
	.name = "kprobe",
	.ret_name = "kretprobe",
	.kernel = true,
	.offsets = true,
	.avail = kprobe_avail,
	.attach = kprobe_attach,
};
