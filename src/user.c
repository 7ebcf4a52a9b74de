// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "readfile.h"
#include "spawn.h"
#include "user.h"

#define USER_FILE_MAX (16u << 20)

/* field k (0-based) of a ':'-separated line ending at end: start and length */
static int field(const char *line, const char *end, int k, const char **f, size_t *n)
{
	const char *p = line;

	for (int i = 0; i < k; i++) {
		p = memchr(p, ':', (size_t)(end - p));
		if (!p)
			return -1;
		p++;
	}
	*f = p;
	p = memchr(p, ':', (size_t)(end - p));
	*n = (size_t)((p ? p : end) - *f);
	return 0;
}

static int field_id(const char *line, const char *end, int k, unsigned int *out)
{
	char buf[16];
	const char *f;
	uint64_t v;
	size_t n;

	if (field(line, end, k, &f, &n) || !n || n >= sizeof(buf))
		return -1;
	memcpy(buf, f, n);
	buf[n] = 0;
	if (parse_u64(buf, 10, &v) || v >= 0xffffffffu)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static const char *line_end(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e : p + strlen(p);
}

int user_from_passwd(const char *text, const char *name, struct spawn_user *u,
		     char *login, size_t login_size)
{
	uint64_t num;
	bool by_id = !parse_u64(name, 10, &num);

	for (const char *p = text; *p; ) {
		const char *e = line_end(p), *f;
		unsigned int uid, gid;
		size_t n;

		if (!field(p, e, 0, &f, &n) && n && n < login_size &&
		    !field_id(p, e, 2, &uid) && !field_id(p, e, 3, &gid) &&
		    (by_id ? uid == num : strlen(name) == n && !memcmp(f, name, n))) {
			memcpy(login, f, n);
			login[n] = 0;
			u->uid = uid;
			u->gid = gid;
			u->groups[0] = gid;
			u->ngroups = 1;
			return 0;
		}
		p = *e ? e + 1 : e;
	}
	return -ENOENT;
}

static bool has_member(const char *list, size_t n, const char *login)
{
	size_t len = strlen(login);

	while (n) {
		const char *c = memchr(list, ',', n);
		size_t k = c ? (size_t)(c - list) : n;

		if (k == len && !memcmp(list, login, len))
			return true;
		if (!c)
			break;
		n -= k + 1;
		list = c + 1;
	}
	return false;
}

void user_groups(const char *text, const char *login, struct spawn_user *u)
{
	for (const char *p = text; *p && u->ngroups < SPAWN_MAX_GROUPS; ) {
		const char *e = line_end(p), *f;
		unsigned int gid;
		size_t n, i;

		if (!field_id(p, e, 2, &gid) && !field(p, e, 3, &f, &n) &&
		    has_member(f, n, login)) {
			for (i = 0; i < u->ngroups && u->groups[i] != gid; i++)
				;
			if (i == u->ngroups)
				u->groups[u->ngroups++] = gid;
		}
		p = *e ? e + 1 : e;
	}
}

int user_lookup(const char *root, const char *name, struct spawn_user *u,
		struct ft_err *err)
{
	char path[512], login[256];
	size_t len;
	char *buf;
	int ret;

	snprintf(path, sizeof(path), "%s/etc/passwd", root);
	ret = read_whole_file(path, USER_FILE_MAX, &buf, &len);
	if (ret)
		return ft_errf(err, ret, "-u %s: cannot read %s: %s", name, path,
			       strerror(-ret));
	ret = user_from_passwd(buf, name, u, login, sizeof(login));
	free(buf);
	if (ret)
		return ft_errf(err, ret, "-u %s: no such user in %s", name, path);
	snprintf(path, sizeof(path), "%s/etc/group", root);
	if (!read_whole_file(path, USER_FILE_MAX, &buf, &len)) {
		user_groups(buf, login, u);
		free(buf);
	}
	return 0;
}
