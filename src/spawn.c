// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "spawn.h"

/* one pass: count words and bytes (count) or write them (argv != NULL) */
static int split_pass(const char *s, char **argv, char *buf, size_t *nwords,
		      size_t *nbytes)
{
	size_t w = 0, b = 0;

	while (*s) {
		bool word = false;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (argv && *s)
			argv[w] = buf + b;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
			char q = *s;

			word = true;
			if (q == '\'' || q == '"') {
				for (s++; *s && *s != q; s++) {
					if (q == '"' && *s == '\\' && strchr("\"\\$`", s[1]))
						s++;
					if (argv)
						buf[b] = *s;
					b++;
				}
				if (!*s)
					return -EINVAL;
				s++;
				continue;
			}
			if (q == '\\' && s[1])
				s++;
			if (argv)
				buf[b] = *s;
			b++;
			s++;
		}
		if (word) {
			if (argv)
				buf[b] = 0;
			b++;
			w++;
		}
	}
	*nwords = w;
	*nbytes = b;
	return 0;
}

int spawn_split(const char *cmd, char ***argv, struct ft_err *err)
{
	size_t nw, nb;
	char **v;

	if (split_pass(cmd, NULL, NULL, &nw, &nb))
		return ft_errf(err, -EINVAL, "-c: unterminated quote in '%s'", cmd);
	if (!nw)
		return ft_errf(err, -EINVAL, "-c: empty command");
	v = malloc((nw + 1) * sizeof(*v) + nb);
	if (!v)
		return -ENOMEM;
	split_pass(cmd, v, (char *)(v + nw + 1), &nw, &nb);
	v[nw] = NULL;
	*argv = v;
	return 0;
}

/* 0 if path is a file we may execute; else -errno (EACCES for a directory,
 * as execve says) */
static int can_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return access(path, X_OK) ? -errno : 0;
}

static int find_fail(const char *name, int e, int *code, struct ft_err *err)
{
	*code = e == -ENOENT || e == -ENOTDIR || e == -ENAMETOOLONG ? 127 : 126;
	return ft_errf(err, e, "%s: %s", name, strerror(-e));
}

int spawn_find(const char *name, char *out, size_t size, int *code,
	       struct ft_err *err)
{
	const char *path = getenv("PATH"), *p;
	int seen = -ENOENT, ret;

	if (!*name)
		return find_fail(name, -ENOENT, code, err);
	if (strchr(name, '/')) {
		if (strlen(name) >= size)
			return find_fail(name, -ENAMETOOLONG, code, err);
		ret = can_exec(name);
		if (ret)
			return find_fail(name, ret, code, err);
		strcpy(out, name);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		size_t n = strcspn(p, ":");
		int len = snprintf(out, size, "%.*s%s%s", (int)n, n ? p : "",
				   n ? "/" : "", name);

		/* an empty entry is the current directory */
		if (len > 0 && (size_t)len < size) {
			ret = can_exec(out);
			if (!ret)
				return 0;
			if (ret != -ENOENT && ret != -ENOTDIR)
				seen = ret;	/* found, not runnable: 126 */
		}
		p += n;
		if (!*p)
			break;
	}
	if (seen == -ENOENT) {
		*code = 127;
		return ft_errf(err, -ENOENT, "%s: command not found", name);
	}
	return find_fail(name, seen, code, err);
}

static int drop_to(const struct spawn_user *u)
{
	if (setgroups(u->ngroups, u->groups) || setgid(u->gid) || setuid(u->uid))
		return errno;
	return 0;
}

/* The child: only async-signal-safe calls until execve. Any failure is
 * reported as an errno through err_w and ends the child. */
static void child(int go_r, int err_w, const char *path, char *const argv[],
		  const struct spawn_user *user)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
				    SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU };
	sigset_t none;
	char c;
	int e = 0;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (user)
		e = drop_to(user);
	/* held here until every probe is armed; EOF: ftrace gave up */
	if (!e && read(go_r, &c, 1) != 1)
		_exit(127);
	close(go_r);
	if (!e) {
		execv(path, argv);
		e = errno;
	}
	if (write(err_w, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int spawn_start(struct spawn *sp, char *const argv[], const struct spawn_user *user,
		struct ft_err *err)
{
	int go[2], ep[2];

	if (pipe2(go, O_CLOEXEC))
		return ft_errf(err, -errno, "cannot create a pipe: %s", strerror(errno));
	if (pipe2(ep, O_CLOEXEC)) {
		int ret = -errno;

		close(go[0]);
		close(go[1]);
		return ft_errf(err, ret, "cannot create a pipe: %s", strerror(-ret));
	}
	fflush(NULL);
	sp->pid = fork();
	if (sp->pid == 0)
		child(go[0], ep[1], sp->path, argv, user);
	close(go[0]);
	close(ep[1]);
	if (sp->pid < 0) {
		int ret = -errno;

		close(go[1]);
		close(ep[0]);
		sp->pid = 0;
		return ft_errf(err, ret, "cannot fork: %s", strerror(-ret));
	}
	sp->go_fd = go[1];
	sp->err_fd = ep[0];
	return 0;
}

int spawn_release(struct spawn *sp, int *code, struct ft_err *err)
{
	ssize_t n;
	int e = 0;

	if (write(sp->go_fd, "g", 1) != 1)
		e = errno;
	close(sp->go_fd);
	sp->go_fd = -1;
	/* EOF once execve succeeded (the pipe is close-on-exec) */
	do
		n = read(sp->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(sp->err_fd);
	sp->err_fd = -1;
	if (n == (ssize_t)sizeof(e) && e) {
		*code = e == ENOENT || e == ENOTDIR ? 127 : 126;
		return ft_errf(err, -e, "%s: %s", sp->path, strerror(e));
	}
	if (n != 0 && n != (ssize_t)sizeof(e)) {
		*code = 127;
		return ft_errf(err, -EIO, "%s: could not be started", sp->path);
	}
	return 0;
}

int spawn_wait(struct spawn *sp)
{
	pid_t r;

	if (sp->reaped || !sp->pid)
		return 0;
	do
		r = waitpid(sp->pid, &sp->status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	sp->reaped = true;
	return 0;
}

void spawn_abort(struct spawn *sp)
{
	if (!sp->pid || sp->reaped)
		return;
	kill(sp->pid, SIGKILL);
	spawn_wait(sp);
}

int spawn_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

void spawn_close(struct spawn *sp)
{
	if (sp->go_fd >= 0)
		close(sp->go_fd);
	if (sp->err_fd >= 0)
		close(sp->err_fd);
	sp->go_fd = sp->err_fd = -1;
}
