// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"

static int check_type(int fd, size_t *hint)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -ENODEV;
	*hint = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	return 0;
}

static int grow(char **buf, size_t *cap, size_t max)
{
	size_t ncap = *cap > max / 2 ? max + 1 : *cap * 2;
	char *nb;

	if (*cap > max)
		return -EFBIG;
	nb = realloc(*buf, ncap);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = ncap;
	return 0;
}

int read_whole_file(const char *path, size_t max, char **bufp, size_t *lenp)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int fd, err;

	/* O_NONBLOCK: a FIFO put in the file's place must not hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	err = check_type(fd, &cap);
	if (!err && cap > max + 1)
		err = -EFBIG;
	if (!err && !(buf = malloc(cap)))
		err = -ENOMEM;
	while (!err) {
		ssize_t n;

		if (cap - len < 2 && (err = grow(&buf, &cap, max)))
			break;
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = 0;
	*bufp = buf;
	*lenp = len;
	return 0;
}
