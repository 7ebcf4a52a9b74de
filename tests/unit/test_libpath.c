// SPDX-License-Identifier: MIT
/* Library lookup tests: crafted /proc/PID/maps text and ld.so.cache images,
 * a fake root under /tmp with its own ld.so.conf tree, cache and library
 * dirs, and the real system (libc.so.6, this process's maps). */
#include "check.h"
#include "libpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/ftrace-test-libpath-XXXXXX";

/* ---- maps ------------------------------------------------------------ */

static const char maps[] =
	"55d0c0a00000-55d0c0a02000 r--p 00000000 08:01 1234    /usr/bin/my prog\n"
	"7f0000000000-7f0000001000 r-xp 00000000 08:01 99      /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f0000002000-7f0000003000 rw-p 00000000 00:00 0 \n"
	"7f0000003000-7f0000004000 rw-p 00000000 00:00 0\n"
	"7f0000004000-7f0000005000 r-xp 00000000 08:01 77      /tmp/lib with space/libfoo-1.2.so (deleted)\n"
	"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n"
	"7f0000006000-7f0000007000 r-xp 00000000 08:01 55      /opt/libcrypto.so.3\n"
	"garbage line\n"
	"\n"
	"7f0000008000-7f0000009000 r-xp 00000000 08:01 56      /opt/old/libc-2.31.so";

static int mf(const char *name, char *out, size_t outsz)
{
	return maps_find(maps, sizeof(maps) - 1, name, out, outsz);
}

static void check_maps(void)
{
	size_t len = sizeof(maps) - 1, n, bad = 0;
	char out[256];
	char *copy;

	CHECK_EQ(mf("my prog", out, sizeof(out)), 0);
	CHECK_STR(out, "/usr/bin/my prog");
	CHECK_EQ(mf("/usr/bin/my prog", out, sizeof(out)), 0);
	CHECK_STR(out, "/usr/bin/my prog");
	CHECK_EQ(mf("libc.so.6", out, sizeof(out)), 0);	/* basename wins */
	CHECK_STR(out, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_EQ(mf("libc", out, sizeof(out)), 0);	/* stem, not libcrypto */
	CHECK_STR(out, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_EQ(mf("libfoo.so", out, sizeof(out)), 0);	/* stem + (deleted) */
	CHECK_STR(out, "/tmp/lib with space/libfoo-1.2.so");
	CHECK_EQ(mf("libfoo-1.2.so", out, sizeof(out)), 0);
	CHECK_STR(out, "/tmp/lib with space/libfoo-1.2.so");
	CHECK_EQ(mf("libcrypto.so.3", out, sizeof(out)), 0);
	CHECK_STR(out, "/opt/libcrypto.so.3");
	CHECK_EQ(mf("/opt/old/libc-2.31.so", out, sizeof(out)), 0);	/* no \n */
	CHECK_STR(out, "/opt/old/libc-2.31.so");
	CHECK_EQ(mf("/opt/libc.so.6", out, sizeof(out)), -ENOENT);
	CHECK_EQ(mf("[stack]", out, sizeof(out)), -ENOENT);
	CHECK_EQ(mf("stack", out, sizeof(out)), -ENOENT);
	CHECK_EQ(mf("libz.so.1", out, sizeof(out)), -ENOENT);
	CHECK_EQ(mf("", out, sizeof(out)), -ENOENT);
	CHECK_EQ(mf("my prog", out, 16), -ENAMETOOLONG);
	CHECK_EQ(mf("my prog", out, 17), 0);
	CHECK_EQ(maps_find(NULL, 0, "libc.so.6", out, sizeof(out)), -ENOENT);

	/* every prefix, in an exact-size copy: no read past the end */
	for (n = 0; n <= len; n++) {
		int r;

		copy = malloc(n ? n : 1);
		memcpy(copy, maps, n);
		r = maps_find(copy, n, "libc-2.31.so", out, sizeof(out));
		if (r != (n == len ? 0 : -ENOENT))
			bad++;
		free(copy);
	}
	CHECK_EQ(bad, 0);
	/* a NUL inside a line does not end the scan early or leak through */
	copy = malloc(len);
	memcpy(copy, maps, len);
	copy[60] = '\0';
	CHECK_EQ(maps_find(copy, len, "my prog", out, sizeof(out)), -ENOENT);
	CHECK_EQ(maps_find(copy, len, "libcrypto.so.3", out, sizeof(out)), 0);
	free(copy);
}

/* ---- ld.so.cache images ---------------------------------------------- */

struct cent {
	const char *key, *value;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* New-format cache at buf (8-aligned), strings right after the entries,
 * offsets relative to buf. Returns its size. */
static size_t build_new(uint8_t *buf, const struct cent *e, uint32_t n)
{
	size_t pos = 48 + (size_t)n * 24, strstart = pos;
	uint32_t i;

	memset(buf, 0, pos);
	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	put32(buf + 20, n);
	buf[28] = 2;	/* little-endian */
	for (i = 0; i < n; i++) {
		uint8_t *ent = buf + 48 + i * 24;

		put32(ent, 0x0303);
		put32(ent + 4, (uint32_t)pos);
		strcpy((char *)buf + pos, e[i].key);
		pos += strlen(e[i].key) + 1;
		put32(ent + 8, (uint32_t)pos);
		strcpy((char *)buf + pos, e[i].value);
		pos += strlen(e[i].value) + 1;
	}
	put32(buf + 24, (uint32_t)(pos - strstart));
	return pos;
}

/* Old format; with_new: the new format follows, 8-aligned. */
static size_t build_old(uint8_t *buf, const struct cent *old, uint32_t nold,
			const struct cent *e, uint32_t n, bool with_new)
{
	size_t end = 16 + (size_t)nold * 12, pos, newat;
	uint32_t i;

	memset(buf, 0, end + 8);
	memcpy(buf, "ld.so-1.7.0", 11);
	put32(buf + 12, nold);
	newat = (end + 7) & ~(size_t)7;
	pos = with_new ? newat + build_new(buf + newat, e, n) : end;
	for (i = 0; i < nold; i++) {	/* strings relative to end */
		uint8_t *ent = buf + 16 + i * 12;

		put32(ent, 1);
		put32(ent + 4, (uint32_t)(pos - end));
		strcpy((char *)buf + pos, old[i].key);
		pos += strlen(old[i].key) + 1;
		put32(ent + 8, (uint32_t)(pos - end));
		strcpy((char *)buf + pos, old[i].value);
		pos += strlen(old[i].value) + 1;
	}
	return pos;
}

static int lookup_copy(const uint8_t *img, size_t len, const char *name,
		       char *out, size_t outsz)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, img, len);
	r = ldcache_lookup(copy, len, name, out, outsz);
	free(copy);
	return r;
}

static void check_ldcache_crafted(void)
{
	static const struct cent e[] = {
		{ "libfoo.so.1", "/lib/i386-linux-gnu/libfoo.so.1" },
		{ "libfoo.so.1", "/lib/x86_64-linux-gnu/libfoo.so.1" },
		{ "libbar.so.2", "/usr/lib/libbar.so.2" },
	};
	static const struct cent old[] = {
		{ "libbar.so.2", "/old/libbar.so.2" },
		{ "libold.so.1", "/old/libold.so.1" },
	};
	static uint8_t img[4096];
	size_t len, n, bad = 0;
	char out[256];
	uint32_t v;

	len = build_new(img, e, 3);
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, sizeof(out)), 0);
	CHECK_STR(out, "/usr/lib/libbar.so.2");
	CHECK_EQ(lookup_copy(img, len, "libfoo.so.1", out, sizeof(out)), 0);
	CHECK_STR(out, "/lib/i386-linux-gnu/libfoo.so.1");	/* first */
	CHECK_EQ(lookup_copy(img, len, "libnope.so", out, sizeof(out)), -ENOENT);
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, 20), -ENAMETOOLONG);
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, 21), 0);
	/* the last string is at the very end: every truncation is -EINVAL */
	for (n = 0; n < len; n++)
		if (lookup_copy(img, n, "libbar.so.2", out, sizeof(out)) !=
		    -EINVAL)
			bad++;
	CHECK_EQ(bad, 0);
	put32(img + 20, 0x10000000);	/* nlibs past the end */
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, sizeof(out)), -EINVAL);
	put32(img + 20, 0xffffffff);
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, sizeof(out)), -EINVAL);
	put32(img + 20, 3);
	memcpy(&v, img + 48 + 24 + 8, 4);
	put32(img + 48 + 24 + 8, (uint32_t)len);	/* value offset == len */
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, sizeof(out)), -EINVAL);
	put32(img + 48 + 24 + 8, v);
	img[len - 1] = 'x';	/* last string not terminated */
	CHECK_EQ(lookup_copy(img, len, "libfoo.so.1", out, sizeof(out)), -EINVAL);
	CHECK_EQ(lookup_copy((const uint8_t *)"garbage", 7, "libc.so.6", out,
			     sizeof(out)), -EINVAL);
	CHECK_EQ(ldcache_lookup(NULL, 0, "libc.so.6", out, sizeof(out)), -EINVAL);

	/* old format followed by the new one: the new one is used */
	len = build_old(img, old, 2, e, 3, true);
	CHECK_EQ(lookup_copy(img, len, "libbar.so.2", out, sizeof(out)), 0);
	CHECK_STR(out, "/usr/lib/libbar.so.2");
	CHECK_EQ(lookup_copy(img, len, "libold.so.1", out, sizeof(out)), -ENOENT);
	/* old format alone */
	len = build_old(img, old, 2, NULL, 0, false);
	CHECK_EQ(lookup_copy(img, len, "libold.so.1", out, sizeof(out)), 0);
	CHECK_STR(out, "/old/libold.so.1");
	for (n = 0, bad = 0; n < len; n++)
		if (lookup_copy(img, n, "libold.so.1", out, sizeof(out)) !=
		    -EINVAL)
			bad++;
	CHECK_EQ(bad, 0);
}

static void check_ldcache_real(void)
{
	char out[PATH_MAX];
	size_t len = 0;
	uint8_t *buf;
	FILE *f = fopen("/etc/ld.so.cache", "rb");
	long n;

	if (!f) {
		printf("test_libpath: no /etc/ld.so.cache, skipped\n");
		return;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (fread(buf, 1, (size_t)n, f) == (size_t)n)
		len = (size_t)n;
	fclose(f);
	CHECK_EQ(ldcache_lookup(buf, len, "libc.so.6", out, sizeof(out)), 0);
	CHECK(strlen(out) > 10 &&
	      !strcmp(out + strlen(out) - 10, "/libc.so.6"));
	CHECK(access(out, F_OK) == 0);
	CHECK_EQ(ldcache_lookup(buf, len, "libnonexistent-ftrace.so.9", out,
				sizeof(out)), -ENOENT);
	free(buf);
}

/* ---- fake root ------------------------------------------------------- */

static void put_file(const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	CHECK(fd >= 0 && write(fd, data, len) == (ssize_t)len);
	close(fd);
}

static void put_text(const char *rel, const char *text)
{
	put_file(rel, text, strlen(text));
}

/* Just an ELF identification + e_type/e_machine: all the lookup reads. */
static void put_elf(const char *rel, int machine, bool is64)
{
	uint8_t h[64] = { 0x7f, 'E', 'L', 'F' };

	h[4] = is64 ? 2 : 1;
	h[5] = 1;
	h[6] = 1;
	h[16] = 3;	/* ET_DYN */
	h[18] = (uint8_t)machine;
	h[19] = (uint8_t)(machine >> 8);
	put_file(rel, h, sizeof(h));
}

static void rm_rf(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

static int find(struct libpath_env *env, const char *name, char *out)
{
	return libpath_find(env, name, out, PATH_MAX);
}

static const char *rp(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	return path;
}

static void check_fake_root(void)
{
	struct libpath_env env = { root, NULL, NULL, "x86_64-linux-gnu", 62, 1 };
	static uint8_t cache[4096];
	static const struct cent ce[] = {
		{ "libcached.so.1", "/cache/i386/libcached.so.1" },
		{ "libcached.so.1", "/cache/x64/libcached.so.1" },
		{ "libmissing.so.1", "/cache/gone/libmissing.so.1" },
	};
	char out[PATH_MAX];

	put_text("/etc/ld.so.conf",
		 "# comment line\n"
		 "\n"
		 "include conf.d/*.conf\n"
		 "   /opt/a   # trailing comment\n"
		 "hwcap 1 nosegneg\n"
		 "include /etc/loop.conf\n");
	put_text("/etc/conf.d/1.conf", "/opt/b/\n");
	put_text("/etc/conf.d/2.conf", "include /etc/more.conf\r\n");
	put_text("/etc/conf.d/skip.txt", "/opt/never\n");
	put_text("/etc/more.conf", "/opt/c=libc6\n");
	put_text("/etc/loop.conf", "include /etc/loop.conf\n"
				   "include /etc/loop.conf\n");
	put_text("/opt/a/libfx.so.1", "INPUT(libfx.so.1)\n");	/* script */
	put_elf("/opt/b/libfx.so.1", 62, true);
	put_elf("/opt/c/libfx.so.1", 40, false);
	put_elf("/opt/c/libdeep.so", 62, true);
	put_elf("/opt/never/libnever.so", 62, true);
	put_elf("/lld/libfx.so.1", 62, true);
	put_elf("/cache/i386/libcached.so.1", 3, false);
	put_elf("/cache/x64/libcached.so.1", 62, true);
	put_elf("/opt/b/libcached.so.1", 62, true);
	put_elf("/usr/lib/x86_64-linux-gnu/libma.so.1", 62, true);
	put_elf("/usr/lib64/libma.so.1", 62, true);
	put_elf("/usr/lib64/libdef.so", 62, true);
	put_elf("/bin2/fxprog", 62, true);
	put_elf("/opt/b/fxprog", 62, true);
	put_elf("/usr/lib/liblast.so", 62, true);
	put_file("/etc/ld.so.cache", cache, build_new(cache, ce, 3));

	/* ld.so.conf: the script in /opt/a is skipped, /opt/b holds it */
	CHECK_EQ(find(&env, "libfx.so.1", out), 0);
	CHECK_STR(out, rp("/opt/b/libfx.so.1"));
	/* nested absolute include, "=TYPE" suffix */
	CHECK_EQ(find(&env, "libdeep.so", out), 0);
	CHECK_STR(out, rp("/opt/c/libdeep.so"));
	/* glob picks only *.conf */
	CHECK_EQ(find(&env, "libnever.so", out), -ENOENT);
	/* machine and class decide */
	env.want_machine = 40;
	env.want_64 = 0;
	CHECK_EQ(find(&env, "libfx.so.1", out), 0);
	CHECK_STR(out, rp("/opt/c/libfx.so.1"));
	env.want_64 = 1;
	CHECK_EQ(find(&env, "libfx.so.1", out), -ENOENT);
	env.want_machine = 0;
	env.want_64 = -1;
	CHECK_EQ(find(&env, "libfx.so.1", out), 0);	/* any: first ELF */
	CHECK_STR(out, rp("/opt/b/libfx.so.1"));
	env.want_machine = 62;
	env.want_64 = 1;
	/* LD_LIBRARY_PATH first, with an empty and a missing entry */
	env.ld_library_path = "/nonexistent::/lld";
	CHECK_EQ(find(&env, "libfx.so.1", out), 0);
	CHECK_STR(out, rp("/lld/libfx.so.1"));
	env.ld_library_path = NULL;
	/* the cache before ld.so.conf, its wrong-arch entry skipped */
	CHECK_EQ(find(&env, "libcached.so.1", out), 0);
	CHECK_STR(out, rp("/cache/x64/libcached.so.1"));
	env.want_machine = 3;
	env.want_64 = 0;
	CHECK_EQ(find(&env, "libcached.so.1", out), 0);
	CHECK_STR(out, rp("/cache/i386/libcached.so.1"));
	env.want_machine = 62;
	env.want_64 = 1;
	CHECK_EQ(find(&env, "libmissing.so.1", out), -ENOENT);
	/* multiarch dir before /usr/lib64, then the plain default dirs */
	CHECK_EQ(find(&env, "libma.so.1", out), 0);
	CHECK_STR(out, rp("/usr/lib/x86_64-linux-gnu/libma.so.1"));
	env.multiarch = NULL;
	CHECK_EQ(find(&env, "libma.so.1", out), 0);
	CHECK_STR(out, rp("/usr/lib64/libma.so.1"));
	env.multiarch = "x86_64-linux-gnu";
	CHECK_EQ(find(&env, "libdef.so", out), 0);
	CHECK_STR(out, rp("/usr/lib64/libdef.so"));
	CHECK_EQ(find(&env, "liblast.so", out), 0);
	CHECK_STR(out, rp("/usr/lib/liblast.so"));
	/* bare names: PATH first, then the library dirs */
	env.path = "/bin1:/bin2";
	CHECK_EQ(find(&env, "fxprog", out), 0);
	CHECK_STR(out, rp("/bin2/fxprog"));
	env.path = "/bin1";
	CHECK_EQ(find(&env, "fxprog", out), 0);
	CHECK_STR(out, rp("/opt/b/fxprog"));
	/* names with a slash: as is (absolute ones under the root) */
	CHECK_EQ(find(&env, "/opt/a/libfx.so.1", out), 0);
	CHECK_STR(out, rp("/opt/a/libfx.so.1"));
	CHECK_EQ(find(&env, "/opt/a/nope.so", out), -ENOENT);
	CHECK_EQ(find(&env, "libnothing.so.7", out), -ENOENT);
	CHECK_EQ(find(&env, "", out), -ENOENT);
	CHECK_EQ(libpath_find(&env, "libfx.so.1", out, 8), -ENAMETOOLONG);
	CHECK_EQ(libpath_find(&env, "/opt/b/libfx.so.1", out, 8),
		 -ENAMETOOLONG);
	/* a corrupt cache is ignored, the search goes on */
	put_text("/etc/ld.so.cache", "glibc-ld.so.cache1.1 truncated");
	CHECK_EQ(find(&env, "libcached.so.1", out), 0);
	CHECK_STR(out, rp("/opt/b/libcached.so.1"));
}

/* ---- the real system ------------------------------------------------- */

static void check_system(void)
{
	struct libpath_env env = { "", NULL, getenv("PATH"), "x86_64-linux-gnu",
				   62, 1 };
	char out[PATH_MAX], a[PATH_MAX], b[PATH_MAX + 32], self[PATH_MAX];
	const char *base;
	ssize_t n;

	CHECK_EQ(libpath_find(&env, "libc.so.6", out, sizeof(out)), 0);
	CHECK(realpath(out, a) != NULL);
	if (realpath("/lib/x86_64-linux-gnu/libc.so.6", b))
		CHECK_STR(a, b);
	CHECK_EQ(libpath_find(&env, "sh", out, sizeof(out)), 0);
	CHECK(strlen(out) > 3 && !strcmp(out + strlen(out) - 3, "/sh"));

	/* this process: its libc and its own executable */
	CHECK_EQ(libpath_find_in_pid(getpid(), "libc.so.6", out, sizeof(out)), 0);
	snprintf(a, sizeof(a), "/proc/%d/root/", (int)getpid());
	CHECK(!strncmp(out, a, strlen(a)) && access(out, R_OK) == 0);
	CHECK(strstr(out, "libc.so.6") != NULL);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	if (n > 0) {
		self[n] = '\0';
		base = strrchr(self, '/') + 1;
		CHECK_EQ(libpath_find_in_pid(getpid(), base, out, sizeof(out)),
			 0);
		snprintf(b, sizeof(b), "/proc/%d/root%s", (int)getpid(), self);
		CHECK_STR(out, b);
	}
	CHECK_EQ(libpath_find_in_pid(getpid(), "libnothing-ftrace.so", out,
				     sizeof(out)), -ENOENT);
	CHECK_EQ(libpath_find_in_pid(99999999, "libc.so.6", out, sizeof(out)),
		 -ESRCH);
	CHECK_EQ(libpath_find_in_pid(getpid(), "libc.so.6", out, 10),
		 -ENAMETOOLONG);
}

/* a process in a chroot names "/app"; maps shows the host path */
static void check_maps_chroot(void)
{
	static const char maps[] =
		"00400000-00401000 r--p 00000000 fe:00 1095 /tmp/croot/app\n"
		"00401000-004a3000 r-xp 00001000 fe:00 1095 /tmp/croot/app\n"
		"7f0000000000-7f0000001000 r-xp 00000000 fe:00 77 /tmp/croot/lib/app\n"
		"7f0000002000-7f0000003000 r-xp 00000000 fe:00 78 /app\n";
	char out[64];

	CHECK_EQ(maps_find(maps, sizeof(maps) - 1, "/app", out, sizeof(out)), 0);
	CHECK_STR(out, "/app");		/* an exact path beats a rooted one */
	CHECK_EQ(maps_find(maps, (size_t)(strstr(maps, "7f0000002000") - maps), "/app", out, sizeof(out)), 0);
	CHECK_STR(out, "/tmp/croot/app");	/* the first rooted match */
	CHECK_EQ(maps_find(maps, sizeof(maps) - 1, "/lib/app", out, sizeof(out)), 0);
	CHECK_STR(out, "/tmp/croot/lib/app");
	CHECK_EQ(maps_find(maps, sizeof(maps) - 1, "/pp", out, sizeof(out)), -ENOENT);
	CHECK_EQ(maps_find(maps, sizeof(maps) - 1, "pp", out, sizeof(out)), -ENOENT);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	check_maps();
	check_maps_chroot();
	check_ldcache_crafted();
	check_ldcache_real();
	check_fake_root();
	check_system();
	rm_rf(root);
	return check_done("test_libpath");
}
