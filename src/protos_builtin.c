// SPDX-License-Identifier: MIT
/* Built-in prototypes for common libc functions, in ftrace's own prototype
 * syntax (the set ltrace's libc.so.conf covers most often). Used for a libc
 * target named explicitly (not through a pattern) that has no prototype of
 * its own; --raw turns them off. Parsed on first use. */
#include <stddef.h>
#include <string.h>

#include "err.h"
#include "proto.h"

static const char *const builtin[] = {
	/* files */
	"open(str path, hex flags, oct mode)->int",
	"open64(str path, hex flags, oct mode)->int",
	"openat(int dirfd, str path, hex flags, oct mode)->int",
	"openat64(int dirfd, str path, hex flags, oct mode)->int",
	"creat(str path, oct mode)->int",
	"close(int fd)->int",
	"read(int fd, ptr buf, size count)->ssize",
	"write(int fd, ptr buf, size count)->ssize",
	"pread64(int fd, ptr buf, size count, long offset)->ssize",
	"pwrite64(int fd, ptr buf, size count, long offset)->ssize",
	"lseek(int fd, long offset, int whence)->long",
	"access(str path, int mode)->int",
	"faccessat(int dirfd, str path, int mode, int flags)->int",
	"stat(str path, ptr buf)->int",
	"lstat(str path, ptr buf)->int",
	"stat64(str path, ptr buf)->int",
	"lstat64(str path, ptr buf)->int",
	"fstat(int fd, ptr buf)->int",
	"unlink(str path)->int",
	"unlinkat(int dirfd, str path, hex flags)->int",
	"rename(str oldpath, str newpath)->int",
	"mkdir(str path, oct mode)->int",
	"rmdir(str path)->int",
	"chdir(str path)->int",
	"chmod(str path, oct mode)->int",
	"chown(str path, int uid, int gid)->int",
	"readlink(str path, ptr buf, size size)->ssize",
	"symlink(str target, str linkpath)->int",
	"link(str oldpath, str newpath)->int",
	"truncate(str path, long length)->int",
	"dup(int fd)->int",
	"dup2(int oldfd, int newfd)->int",
	"pipe(ptr fds)->int",
	"fopen(str path, str mode)->ptr",
	"fopen64(str path, str mode)->ptr",
	"fdopen(int fd, str mode)->ptr",
	"freopen(str path, str mode, ptr stream)->ptr",
	"fclose(ptr stream)->int",
	"fflush(ptr stream)->int",
	"fread(ptr buf, size size, size n, ptr stream)->size",
	"fwrite(ptr buf, size size, size n, ptr stream)->size",
	"fputs(str s, ptr stream)->int",
	"fgets(ptr buf, int size, ptr stream)->ptr",
	"opendir(str path)->ptr",
	"closedir(ptr dir)->int",
	"readdir(ptr dir)->ptr",
	"realpath(str path, ptr resolved)->ptr",
	"dlopen(str file, hex flags)->ptr",
	"dlsym(ptr handle, str symbol)->ptr",
	/* memory */
	"malloc(size size)->ptr",
	"calloc(size n, size size)->ptr",
	"realloc(ptr p, size size)->ptr",
	"reallocarray(ptr p, size n, size size)->ptr",
	"free(ptr p)",
	"aligned_alloc(size alignment, size size)->ptr",
	"posix_memalign(ptr memptr, size alignment, size size)->int",
	"mmap(ptr addr, size length, hex prot, hex flags, int fd, long offset)->ptr",
	"munmap(ptr addr, size length)->int",
	"mprotect(ptr addr, size length, hex prot)->int",
	/* strings */
	"strlen(str s)->size",
	"strnlen(str s, size maxlen)->size",
	"strcmp(str s1, str s2)->int",
	"strncmp(str s1, str s2, size n)->int",
	"strcasecmp(str s1, str s2)->int",
	"strncasecmp(str s1, str s2, size n)->int",
	"strcpy(ptr dest, str src)->ptr",
	"strncpy(ptr dest, str src, size n)->ptr",
	"strcat(str dest, str src)->ptr",
	"strncat(str dest, str src, size n)->ptr",
	"strdup(str s)->ptr",
	"strndup(str s, size n)->ptr",
	"strchr(str s, char c)->ptr",
	"strrchr(str s, char c)->ptr",
	"strstr(str haystack, str needle)->ptr",
	"strtol(str s, ptr endptr, int base)->long",
	"strtoul(str s, ptr endptr, int base)->ulong",
	"atoi(str s)->int",
	"atol(str s)->long",
	"memcpy(ptr dest, ptr src, size n)->ptr",
	"memmove(ptr dest, ptr src, size n)->ptr",
	"memset(ptr s, char c, size n)->ptr",
	"memcmp(ptr s1, ptr s2, size n)->int",
	"memchr(ptr s, char c, size n)->ptr",
	/* environment, processes */
	"getenv(str name)->ptr",
	"setenv(str name, str value, int overwrite)->int",
	"unsetenv(str name)->int",
	"putenv(str string)->int",
	"system(str command)->int",
	"execve(str path, ptr argv, ptr envp)->int",
	"execv(str path, ptr argv)->int",
	"execvp(str file, ptr argv)->int",
	"fork()->int",
	"vfork()->int",
	"waitpid(int pid, ptr status, int options)->int",
	"kill(int pid, int sig)->int",
	"exit(int status)",
	"_exit(int status)",
	"abort()",
	"getpid()->int",
	"getppid()->int",
	"getuid()->uint",
	"geteuid()->uint",
	"sleep(uint seconds)->uint",
	"usleep(uint usec)->int",
	"signal(int sig, ptr handler)->ptr",
	"sigaction(int sig, ptr act, ptr oldact)->int",
	"raise(int sig)->int",
	/* output */
	"puts(str s)->int",
	"putchar(char c)->int",
	"printf(str format)->int",
	"fprintf(ptr stream, str format)->int",
	"sprintf(ptr buf, str format)->int",
	"snprintf(ptr buf, size size, str format)->int",
	"dprintf(int fd, str format)->int",
	"perror(str s)",
	"syslog(int priority, str format)",
	/* sockets */
	"socket(int domain, int type, int protocol)->int",
	"connect(int fd, ptr addr, uint addrlen)->int",
	"bind(int fd, ptr addr, uint addrlen)->int",
	"listen(int fd, int backlog)->int",
	"accept(int fd, ptr addr, ptr addrlen)->int",
	"accept4(int fd, ptr addr, ptr addrlen, hex flags)->int",
	"send(int fd, ptr buf, size len, hex flags)->ssize",
	"recv(int fd, ptr buf, size len, hex flags)->ssize",
	"sendto(int fd, ptr buf, size len, hex flags, ptr addr, uint addrlen)->ssize",
	"recvfrom(int fd, ptr buf, size len, hex flags, ptr addr, ptr addrlen)->ssize",
	"shutdown(int fd, int how)->int",
	"getaddrinfo(str node, str service, ptr hints, ptr res)->int",
	"gethostbyname(str name)->ptr",
	"inet_pton(int af, str src, ptr dst)->int",
	/* threads */
	"pthread_create(ptr thread, ptr attr, ptr start, ptr arg)->int",
	"pthread_join(ulong thread, ptr retval)->int",
	"pthread_mutex_lock(ptr mutex)->int",
	"pthread_mutex_unlock(ptr mutex)->int",
};

#define NBUILTIN (sizeof(builtin) / sizeof(builtin[0]))

static struct ft_proto parsed[NBUILTIN];
static bool parsed_ok[NBUILTIN];
static bool done;

static void parse_all(void)
{
	for (size_t i = 0; i < NBUILTIN; i++)
		parsed_ok[i] = !proto_parse(builtin[i], &parsed[i], NULL);
	done = true;
}

const struct ft_proto *proto_builtin(const char *func)
{
	if (!done)
		parse_all();
	for (size_t i = 0; i < NBUILTIN; i++)
		if (parsed_ok[i] && !strcmp(parsed[i].name, func))
			return &parsed[i];
	return NULL;
}

size_t proto_builtin_count(void)
{
	return NBUILTIN;
}

const char *proto_builtin_text(size_t i)
{
	return i < NBUILTIN ? builtin[i] : NULL;
}
