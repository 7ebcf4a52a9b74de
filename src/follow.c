// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cli.h"
#include "err.h"
#include "event.h"
#include "follow.h"
#include "loader.h"
#include "readfile.h"
#include "sys.h"

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* "offset:12;" in [p, end): the number */
static int field_num(const char *p, const char *end, const char *key, uint32_t *out)
{
	size_t klen = strlen(key);
	char buf[16];
	uint64_t v;
	size_t n;

	for (; p + klen <= end; p++)
		if (!memcmp(p, key, klen))
			break;
	if (p + klen > end)
		return -ENOENT;
	p += klen;
	for (n = 0; p + n < end && p[n] != ';' && n < sizeof(buf) - 1; n++)
		buf[n] = p[n];
	buf[n] = 0;
	if (parse_u64(buf, 10, &v) || v > UINT32_MAX)
		return -ENOENT;
	*out = (uint32_t)v;
	return 0;
}

int tp_field(const char *format, const char *name, uint32_t *off, uint32_t *size)
{
	size_t nlen = strlen(name);

	for (const char *p = format; *p; ) {
		const char *end = strchr(p, '\n'), *f, *semi, *e;

		if (!end)
			end = p + strlen(p);
		f = strstr(p, "field:");
		semi = f && f < end ? memchr(f, ';', (size_t)(end - f)) : NULL;
		if (semi) {
			/* the declaration's last identifier, before a trailing [N] */
			e = semi;
			if (e > f && e[-1] == ']')
				while (e > f && e[-1] != '[')
					e--;
			while (e > f && !is_ident(e[-1]))
				e--;
			if (nlen && (size_t)(e - f) > nlen && !memcmp(e - nlen, name, nlen) &&
			    !is_ident(e[-(long)nlen - 1]) &&
			    !field_num(semi, end, "offset:", off) &&
			    !field_num(semi, end, "size:", size))
				return 0;
		}
		p = *end ? end + 1 : end;
	}
	return -ENOENT;
}

/* events directory of tracefs: the tracefs mount, debugfs's copy, or
 * tracefs mounted now */
int tracefs_events_dir(const char *root, char *dir, size_t size)
{
	static const char *const where[] = { "/sys/kernel/tracing",
					     "/sys/kernel/debug/tracing" };
	struct stat st;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2; i++) {
			snprintf(dir, size, "%s%s/events", root, where[i]);
			if (!stat(dir, &st))
				return 0;
		}
		snprintf(dir, size, "%s/sys/kernel/tracing", root);
		if (pass || mount("nodev", dir, "tracefs", 0, NULL))
			break;
	}
	return -ENOENT;
}

static int read_event(const char *dir, const char *event, const char *file,
		      char **buf)
{
	char path[512];
	size_t len;

	snprintf(path, sizeof(path), "%s/sched/%s/%s", dir, event, file);
	return read_whole_file(path, 1 << 16, buf, &len);
}

static int event_id(const char *dir, const char *event, uint32_t *id,
		    struct ft_err *err)
{
	uint64_t v;
	char *buf;
	int ret = read_event(dir, event, "id", &buf);

	if (ret)
		return ft_errf(err, ret, "-f: cannot read %s/sched/%s/id: %s", dir,
			       event, strerror(-ret));
	buf[strcspn(buf, "\n")] = 0;
	ret = parse_u64(buf, 10, &v) || !v || v > UINT32_MAX;
	free(buf);
	if (ret)
		return ft_errf(err, -EINVAL, "-f: bad tracepoint id in %s/sched/%s/id",
			       dir, event);
	*id = (uint32_t)v;
	return 0;
}

int follow_prepare(const char *root, struct follow_info *fi, struct ft_err *err)
{
	uint32_t size;
	char dir[384], *fmt;
	int ret = tracefs_events_dir(root, dir, sizeof(dir));

	if (ret)
		return ft_errf(err, ret, "-f needs tracefs: not at /sys/kernel/tracing "
			       "or /sys/kernel/debug/tracing, and mounting it failed");
	ret = event_id(dir, "sched_process_fork", &fi->fork_id, err);
	if (!ret)
		ret = event_id(dir, "sched_process_exit", &fi->exit_id, err);
	if (ret)
		return ret;
	ret = read_event(dir, "sched_process_fork", "format", &fmt);
	if (ret)
		return ft_errf(err, ret, "-f: cannot read the sched_process_fork format");
	ret = tp_field(fmt, "child_pid", &fi->child_off, &size);
	free(fmt);
	if (ret || size != 4 || fi->child_off < 8 || fi->child_off + 4 > FT_TP_MAX_OFF ||
	    fi->child_off % 4)
		return ft_errf(err, -EINVAL, "-f: sched_process_fork has no usable "
			       "child_pid field");
	fi->dead_off = 0;
	if (!read_event(dir, "sched_process_exit", "format", &fmt)) {
		if (tp_field(fmt, "group_dead", &fi->dead_off, &size) || size != 1 ||
		    fi->dead_off < 8 || fi->dead_off >= FT_TP_MAX_OFF)
			fi->dead_off = 0;
		free(fmt);
	}
	return 0;
}

int follow_start(const struct ft_loader *l, struct ft_bpf *b,
		 const struct follow_info *fi, pid_t pid, struct ft_err *err)
{
	static const char *const prog[] = { "ft_fork", "ft_exit" };
	static const char *const tp[] = { "sched/sched_process_fork",
					  "sched/sched_process_exit" };
	uint32_t key = (uint32_t)pid, one = 1;
	int fd = l->map_fd(b, "follow");

	if (fd < 0)
		return ft_errf(err, -ENOENT, "BPF object lacks its follow map");
	if (bpf_map_update(fd, &key, &one, 0))
		return ft_errf(err, -EIO, "cannot write the follow map");
	for (int i = 0; i < 2; i++) {
		struct ft_probe p = { .kind = FT_PROBE_TRACEPOINT, .path = tp[i],
				      .prog = prog[i], .pid = -1,
				      .offset = i ? fi->exit_id : fi->fork_id };
		int ret = l->attach(b, &p, err);

		if (ret) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			return ft_errf(err, ret, "-f: cannot attach to %s: %s", tp[i], why);
		}
	}
	return 0;
}
