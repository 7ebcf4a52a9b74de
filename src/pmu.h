/* SPDX-License-Identifier: MIT */
/* Perf-event probes: uprobe/kprobe perf events on the dynamic PMUs, to
 * which the loaders link a BPF program by fd, so nothing outlives the
 * process. Shared by the uprobe and kprobe mechanisms (mech_*.c). */
#ifndef FTRACE_PMU_H
#define FTRACE_PMU_H

#include <stdbool.h>

#include "loader.h"

/* Linux-internal ENOTSUPP, seen from kprobe registration */
#define ENOTSUPP_LINUX 524

struct ft_pmu {
	int type;		/* perf_event_attr.type */
	int retprobe_bit;	/* config bit selecting a return probe */
};

/* Read /sys/bus/event_source/devices/<name>/{type,format/retprobe}.
 * -ENOENT when the kernel has no such PMU. */
int pmu_read(const char *sysfs, const char *name, struct ft_pmu *pmu);

/* Open the perf event for p. Returns its fd or -errno (message in err). */
int probe_open(const struct ft_pmu *pmu, const struct ft_probe *p,
	       struct ft_err *err);

/* A human-readable reason for a failed probe_open/link errno. */
const char *probe_strerror(const struct ft_probe *p, int err);

#endif
