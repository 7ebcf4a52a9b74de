// SPDX-License-Identifier: MIT
/* Which probe mechanisms the kernel has, and the one ftrace uses. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "mech.h"
#include "pmu.h"
#include "resolve.h"
#include "sys.h"

static const struct ft_mech *const all[] = {
	&mech_uprobe, &mech_uprobe_multi, &mech_kprobe, &mech_kprobe_multi,
	&mech_fentry, &mech_tracepoint, &mech_raw_syscalls,
};

void mech_caps_read(const char *sysfs, struct mech_caps *c)
{
	struct ft_pmu pmu;
	char path[256];

	snprintf(path, sizeof(path), "%s/kernel/btf/vmlinux", sysfs);
	c->btf = !access(path, R_OK);
	c->uprobe_pmu = !pmu_read(sysfs, "uprobe", &pmu);
	c->kprobe_pmu = !pmu_read(sysfs, "kprobe", &pmu);
	c->kver = sys_kernel_version();
}

const struct ft_mech *mech_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

const struct ft_mech *mech_multi_of(const struct ft_mech *m)
{
	if (m == &mech_uprobe)
		return &mech_uprobe_multi;
	if (m == &mech_kprobe)
		return &mech_kprobe_multi;
	return NULL;
}

static int mech_kernel(const struct mech_caps *c, const char *name,
		       const struct ft_mech **out, struct ft_err *err)
{
	bool fentry = name && !strcmp(name, "fentry");

	if (!fentry && c->kprobe_pmu) {
		*out = &mech_kprobe;
		return 0;
	}
	if (name && !fentry)
		return ft_errf(err, -EOPNOTSUPP, "--mechanism %s: the kernel has no kprobe "
			       "PMU (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)", name);
	if (c->btf && c->kver >= MECH_FENTRY_KVER) {
		*out = &mech_fentry;
		return 0;
	}
	if (c->btf)
		return ft_errf(err, -EOPNOTSUPP, "%sfentry needs Linux 6.0+ (BPF cookies "
			       "on tracing links)%s", fentry ? "--mechanism " : "",
			       fentry ? "" : " and this kernel has no kprobe PMU either");
	if (fentry)
		return ft_errf(err, -EOPNOTSUPP, "--mechanism fentry: the kernel has no "
			       "BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
	return ft_errf(err, -EOPNOTSUPP, "this kernel cannot trace kernel functions: "
		       "no kprobe PMU (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS) and no BTF "
		       "for fentry/fexit (CONFIG_DEBUG_INFO_BTF)");
}

int mech_base(const struct mech_caps *c, bool kernel, const char *name,
	      const struct ft_mech **out, struct ft_err *err)
{
	if (kernel)
		return mech_kernel(c, name, out, err);
	if (!c->uprobe_pmu)
		return ft_errf(err, -EOPNOTSUPP, "the kernel has no uprobe PMU "
			       "(CONFIG_UPROBES, CONFIG_UPROBE_EVENTS)");
	*out = &mech_uprobe;
	return 0;
}

int mech_attach_each(const struct ft_loader *l, struct ft_bpf *b,
		     const struct mech_batch *mb, enum ft_probe_kind kind,
		     struct ft_err *err)
{
	size_t mark = l->mark(b);

	for (size_t i = 0; i < mb->n; i++) {
		const struct ft_target *t = &mb->ts->v[mb->idx[i]];
		struct ft_probe p = {
			.kind = kind,
			.ret = mb->ret,
			.path = t->path[0] ? t->path : NULL,
			.offset = t->offset,
			.pid = mb->pid,
			.cookie = ((uint64_t)mb->idx[i] << 1) | (mb->ret ? FT_COOKIE_RET : 0),
		};
		int ret = l->attach(b, &p, err);

		if (ret) {
			l->rollback(b, mark);
			return ret;
		}
	}
	return 0;
}

int mech_link_create(int prog_fd, uint32_t attach_type, const void *multi,
		     size_t multi_sz)
{
	union bpf_attr a;

	if (multi_sz > sizeof(a) - 16)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog_fd;
	a.link_create.attach_type = attach_type;
	memcpy((char *)&a + 16, multi, multi_sz);
	return sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
}
