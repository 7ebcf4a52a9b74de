/* SPDX-License-Identifier: MIT */
/* Starting the traced command (-c CMD, -- CMD ARGS...): found through PATH
 * before anything is attached, forked and held before execve until every
 * probe is armed, then released; its exit status becomes ftrace's. */
#ifndef FTRACE_SPAWN_H
#define FTRACE_SPAWN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ft_err;

#define SPAWN_MAX_GROUPS 64

/* -u USER: who the command runs as */
struct spawn_user {
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t groups[SPAWN_MAX_GROUPS];	/* supplementary groups */
};

struct spawn {
	pid_t pid;		/* the command, 0 before spawn_start */
	int go_fd;		/* write end: one byte releases the child */
	int err_fd;		/* read end: the child's execve errno; EOF = exec'd */
	char path[PATH_MAX];	/* the program that is executed */
	int status;		/* wait status once reaped */
	bool reaped;
};

/* Split -c's string into words the way sh does for simple quoting: blanks
 * separate words; '...' keeps everything literally, "..." keeps everything
 * but \" \\ \$ \` ; a backslash outside quotes escapes the next character.
 * No expansion, no operators: a string that needs a shell can say
 * -c "sh -c '...'" itself. *argv is one malloc'd block (free it alone).
 * -EINVAL with one line in err on an unterminated quote or no word. */
int spawn_split(const char *cmd, char ***argv, struct ft_err *err);

/* Find NAME as execvp would (a name with a '/' is used as is; else each
 * directory of $PATH, default /usr/local/bin:/usr/bin:/bin). On failure
 * returns -errno, a line in err and the shell's exit status in *code:
 * 127 not found, 126 found but not executable (or a directory). */
int spawn_find(const char *name, char *out, size_t size, int *code,
	       struct ft_err *err);

/* Fork the command, held before execve until spawn_release(). Signals the
 * child gets are back to their defaults and unblocked; with user it drops
 * to that uid, gid and groups first. */
int spawn_start(struct spawn *sp, char *const argv[], const struct spawn_user *user,
		struct ft_err *err);

/* Let the child execve. -errno, a line in err and *code (126/127) when the
 * execve itself failed. */
int spawn_release(struct spawn *sp, int *code, struct ft_err *err);

/* Reap the command (blocking); afterwards sp->status holds its status. */
int spawn_wait(struct spawn *sp);

/* ftrace gives up before release: kill the held child and reap it. */
void spawn_abort(struct spawn *sp);

/* The shell's view of a wait status: the exit code, or 128+N when signal
 * N killed the process. */
int spawn_exit_code(int status);

void spawn_close(struct spawn *sp);

#endif
