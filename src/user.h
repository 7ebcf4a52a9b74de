/* SPDX-License-Identifier: MIT */
/* -u USER: the uid, gid and supplementary groups of a user, read from
 * /etc/passwd and /etc/group (the static binary has no NSS). */
#ifndef FTRACE_USER_H
#define FTRACE_USER_H

#include <stddef.h>

struct ft_err;
struct spawn_user;

/* Find NAME (or a numeric uid) in a passwd text: 0, or -ENOENT. */
int user_from_passwd(const char *text, const char *name, struct spawn_user *u,
		     char *login, size_t login_size);

/* Add the groups of a group text that list LOGIN as a member (the primary
 * gid is always the first group). */
void user_groups(const char *text, const char *login, struct spawn_user *u);

/* Both, from the files under root ("" for /). -errno and one line in err. */
int user_lookup(const char *root, const char *name, struct spawn_user *u,
		struct ft_err *err);

#endif
