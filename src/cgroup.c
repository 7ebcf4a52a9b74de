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

int cgroup2_mount(char *buf, size_t len)
{
	char line[4096], dir[4096], type[64];
	FILE *f = fopen("/proc/self/mounts", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 && !strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			ret = 0;
		}
	fclose(f);
	return ret;
}

int cgroup_open(const char *path, struct ft_err *err)
{
	char alt[4096], root[2048] = "/sys/fs/cgroup";
	struct statfs sf;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = errno;

	if (fd < 0 && path[0] != '/' && e == ENOENT) {
		cgroup2_mount(root, sizeof(root));
		snprintf(alt, sizeof(alt), "%s/%s", root, path);
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
		if (cgroup2_mount(root, sizeof(root)))
			return ft_errf(err, -EINVAL, "--cgroup %s: not a cgroup v2 "
				       "directory, and no cgroup2 is mounted", path);
		return ft_errf(err, -EINVAL, "--cgroup %s: not a cgroup v2 directory "
			       "(cgroup2 is mounted at %s)", path, root);
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
