/* SPDX-License-Identifier: MIT */
/* Reading a whole file into memory: regular files, and procfs, sysfs and
 * debugfs files, which report a size of 0 and are read to EOF. */
#ifndef FTRACE_READFILE_H
#define FTRACE_READFILE_H

#include <stddef.h>

/* *buf gets a malloc'd copy with a NUL appended (not counted in *len).
 * Never blocks on a FIFO. -EISDIR, -ENODEV (not a regular file), -EFBIG
 * (larger than max), -ENOMEM, or -errno from open/read. */
int read_whole_file(const char *path, size_t max, char **buf, size_t *len);

#endif
