// SPDX-License-Identifier: MIT
/* uprobe_multi (Linux 6.6+): one BPF link probes many offsets of one file,
 * each with its cookie, and is torn down at once. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "event.h"
#include "mech.h"
#include "pmu.h"
#include "resolve.h"
#include "sys.h"

/* link_create.uprobe_multi */
struct umulti_attr {
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t flags;		/* BPF_F_UPROBE_MULTI_RETURN */
	uint32_t pid;
};

#define UMULTI_RETURN		1u
/* before 6.10 the link's own PID filter matched one thread, not the
 * process ("bpf: fix multi-uprobe PID filtering logic"): the program's
 * tgid filter does the work there */
#define UMULTI_PID_OK		((6u << 16) | (10u << 8))

static int umulti_avail(const struct ft_loader *l, struct ft_bpf *b, struct ft_err *err)
{
	int prog = l->prog_fd(b, MECH_PROG_UMULTI_ENTRY);
	struct umulti_attr a = { 0 };
	uint64_t off = 0;
	int fd;

	if (prog < 0)
		return ft_errf(err, -EOPNOTSUPP, "the kernel refused the uprobe_multi "
			       "program (needs Linux 6.6+)");
	/* a directory: EBADF where uprobe_multi exists, EINVAL where not */
	a.path = (uint64_t)(uintptr_t)"/";
	a.offsets = (uint64_t)(uintptr_t)&off;
	a.cnt = 1;
	fd = mech_link_create(prog, MECH_ATTACH_UPROBE_MULTI, &a, sizeof(a));
	if (fd >= 0)
		close(fd);
	if (fd >= 0 || fd == -EBADF)
		return 0;
	return ft_errf(err, -EOPNOTSUPP, "the kernel has no uprobe_multi links "
		       "(Linux 6.6+)");
}

static int umulti_attach(const struct ft_loader *l, struct ft_bpf *b,
			 const struct mech_batch *mb, struct ft_err *err)
{
	int prog = l->prog_fd(b, mb->ret ? MECH_PROG_UMULTI_RET : MECH_PROG_UMULTI_ENTRY);
	uint64_t *offs = calloc(mb->n, sizeof(*offs));
	uint64_t *cookies = calloc(mb->n, sizeof(*cookies));
	struct umulti_attr a = { 0 };
	int fd;

	if (!offs || !cookies) {
		free(offs);
		free(cookies);
		return -ENOMEM;
	}
	for (size_t i = 0; i < mb->n; i++) {
		offs[i] = mb->ts->v[mb->idx[i]].offset;
		cookies[i] = ((uint64_t)mb->idx[i] << 1) | (mb->ret ? FT_COOKIE_RET : 0);
	}
	a.path = (uint64_t)(uintptr_t)mb->ts->v[mb->idx[0]].path;
	a.offsets = (uint64_t)(uintptr_t)offs;
	a.cookies = (uint64_t)(uintptr_t)cookies;
	a.cnt = (uint32_t)mb->n;
	a.flags = mb->ret ? UMULTI_RETURN : 0;
	if (mb->pid > 0 && sys_kernel_version() >= UMULTI_PID_OK)
		a.pid = (uint32_t)mb->pid;
	fd = prog < 0 ? prog : mech_link_create(prog, MECH_ATTACH_UPROBE_MULTI, &a, sizeof(a));
	free(offs);
	free(cookies);
	if (fd < 0) {
		struct ft_probe p = { .kind = FT_PROBE_UPROBE };

		return ft_errf(err, fd, "%s", probe_strerror(&p, fd));
	}
	return l->keep_fd(b, fd);
}

const struct ft_mech mech_uprobe_multi = {
	.name = "uprobe_multi",
	.ret_name = "uretprobe_multi",
	.multi = true,
	.offsets = true,
	.avail = umulti_avail,
	.attach = umulti_attach,
};
