// SPDX-License-Identifier: MIT
/* PMU discovery and the kernel-mode mechanism choice, on a fake sysfs: the
 * "kernel lacks a feature" paths this host cannot show for real. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mech.h"
#include "pmu.h"
#include "check.h"
#include "err.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], dir[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void clear(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/*", root);
	if (system(cmd))
		fprintf(stderr, "cannot clear %s\n", root);
}

int main(void)
{
	struct ft_err err;
	struct ft_pmu pmu;
	struct mech_caps caps;
	const struct ft_mech *m;

	snprintf(root, sizeof(root), "/tmp/ftrace-sysfs.XXXXXX");
	if (!mkdtemp(root))
		return 2;

	/* the real layout: type and format/retprobe */
	put("bus/event_source/devices/uprobe/type", "9\n");
	put("bus/event_source/devices/uprobe/format/retprobe", "config:0\n");
	CHECK_EQ(pmu_read(root, "uprobe", &pmu), 0);
	CHECK_EQ(pmu.type, 9);
	CHECK_EQ(pmu.retprobe_bit, 0);
	CHECK_EQ(pmu_read(root, "kprobe", &pmu), -ENOENT);
	put("bus/event_source/devices/kprobe/type", "8\n");
	put("bus/event_source/devices/kprobe/format/retprobe", "config:63\n");
	CHECK_EQ(pmu_read(root, "kprobe", &pmu), 0);
	CHECK_EQ(pmu.retprobe_bit, 63);
	put("bus/event_source/devices/kprobe/format/retprobe", "config1:0\n");
	CHECK_EQ(pmu_read(root, "kprobe", &pmu), -EINVAL);
	put("bus/event_source/devices/kprobe/format/retprobe", "config:64\n");
	CHECK_EQ(pmu_read(root, "kprobe", &pmu), -EINVAL);

	/* kprobes present: kprobes */
	put("bus/event_source/devices/kprobe/format/retprobe", "config:0\n");
	mech_caps_read(root, &caps);
	CHECK(caps.uprobe_pmu && caps.kprobe_pmu && !caps.btf);
	CHECK_EQ(mech_base(&caps, true, NULL, &m, &err), 0);
	CHECK(m == &mech_kprobe);
	CHECK(mech_multi_of(m) == &mech_kprobe_multi);
	CHECK_EQ(mech_base(&caps, true, "kprobe_multi", &m, &err), 0);
	CHECK(m == &mech_kprobe);
	CHECK_EQ(mech_base(&caps, false, NULL, &m, &err), 0);
	CHECK(m == &mech_uprobe && mech_multi_of(m) == &mech_uprobe_multi);
	/* --mechanism fentry without BTF: says what is missing */
	CHECK_EQ(mech_base(&caps, true, "fentry", &m, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "--mechanism fentry: the kernel has no BTF "
		  "(/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
	/* no kprobes, BTF: fentry; kprobe asked for: what is missing */
	clear();
	put("kernel/btf/vmlinux", "x");
	mech_caps_read(root, &caps);
	caps.kver = MECH_FENTRY_KVER;
	CHECK_EQ(mech_base(&caps, true, NULL, &m, &err), 0);
	CHECK(m == &mech_fentry && !mech_multi_of(m));
	/* BTF on a kernel before 6.0 (5.10): what fentry needs, said */
	caps.kver = (5u << 16) | (10u << 8);
	CHECK_EQ(mech_base(&caps, true, "fentry", &m, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "--mechanism fentry needs Linux 6.0+ (BPF cookies on "
		  "tracing links)");
	caps.kver = MECH_FENTRY_KVER;
	CHECK_EQ(mech_base(&caps, true, "kprobe_multi", &m, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "--mechanism kprobe_multi: the kernel has no kprobe PMU "
		  "(CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)");
	CHECK_EQ(mech_base(&caps, false, NULL, &m, &err), -EOPNOTSUPP);
	/* neither: one line naming both */
	clear();
	mech_caps_read(root, &caps);
	CHECK_EQ(mech_base(&caps, true, NULL, &m, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "this kernel cannot trace kernel functions: no kprobe PMU "
		  "(CONFIG_KPROBES, CONFIG_KPROBE_EVENTS) and no BTF for fentry/fexit "
		  "(CONFIG_DEBUG_INFO_BTF)");
	CHECK(mech_by_name("uprobe_multi") == &mech_uprobe_multi);
	CHECK(mech_by_name("tracepoint") == &mech_tracepoint);
	CHECK(mech_by_name("raw_syscalls") == &mech_raw_syscalls);
	CHECK(mech_by_name("tracepoints") == NULL);

	clear();
	rmdir(root);
	return check_done("test_pmu");
}
