// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "loader.h"
#include "sys.h"

#define CGROUP2_MAGIC	0x63677270	/* CGROUP2_SUPER_MAGIC */
#define CGROUP_ROOT	"/sys/fs/cgroup"

int cgroup_open(const char *path, struct ft_err *err)
{
	char alt[4096];
	struct statfs sf;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = errno;

	if (fd < 0 && path[0] != '/' && e == ENOENT) {
		snprintf(alt, sizeof(alt), "%s/%s", CGROUP_ROOT, path);
		fd = open(alt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			path = alt;
		else
			errno = e;
	}
	if (fd < 0)
		return ft_errf(err, -errno, "--cgroup %s: %s", path, strerror(errno));
	if (fstatfs(fd, &sf) || sf.f_type != CGROUP2_MAGIC) {
		close(fd);
		return ft_errf(err, -EINVAL, "--cgroup %s: not a cgroup v2 directory "
			       "(cgroup2 is mounted at " CGROUP_ROOT " on most systems)",
			       path);
	}
	return fd;
}

int cgroup_filter_set(const struct ft_loader *l, struct ft_bpf *b, int fd,
		      struct ft_err *err)
{
	int map = l->map_fd(b, "cgroup_filter");
	uint32_t key = 0, val = (uint32_t)fd;
	int ret;

	if (map < 0)
		return ft_errf(err, -ENOENT, "BPF object lacks its cgroup_filter map");
	ret = bpf_map_update(map, &key, &val, 0);
	if (ret)
		return ft_errf(err, ret, "cannot set the --cgroup filter: %s",
			       strerror(-ret));
	return 0;
}
