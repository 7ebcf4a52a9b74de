// SPDX-License-Identifier: MIT
/* PMU discovery and the kernel-mode mechanism choice, on a fake sysfs: the
 * "kernel lacks a feature" paths this host cannot show for real. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
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
	enum ft_probe_kind kind;

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
	CHECK_EQ(kernel_mechanism(root, false, &kind, &err), 0);
	CHECK_EQ(kind, FT_PROBE_KPROBE);
	/* --fentry without BTF: says what is missing */
	CHECK_EQ(kernel_mechanism(root, true, &kind, &err), -EOPNOTSUPP);
	CHECK(strstr(err.msg, "--fentry: the kernel has no BTF") != NULL);
	/* no kprobes, BTF: fentry */
	clear();
	put("kernel/btf/vmlinux", "x");
	CHECK_EQ(kernel_mechanism(root, false, &kind, &err), 0);
	CHECK_EQ(kind, FT_PROBE_FENTRY);
	/* neither: one line naming both */
	clear();
	CHECK_EQ(kernel_mechanism(root, false, &kind, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "this kernel cannot trace kernel functions: no kprobe PMU "
		  "(CONFIG_KPROBES, CONFIG_KPROBE_EVENTS) and no BTF for fentry/fexit "
		  "(CONFIG_DEBUG_INFO_BTF)");

	clear();
	rmdir(root);
	return check_done("test_attach");
}
