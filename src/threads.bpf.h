/* SPDX-License-Identifier: GPL-2.0 */
/* Per-thread state that never runs out (included by probe.bpf.c).
 *
 * A thread's call stack lives in the stacks hash from its first traced
 * entry until the thread exits: the raw tracepoint sched_process_exit runs
 * in the exiting task, so deleting current's entry there frees the slot of
 * every thread that ever called a target, traced or not, whatever it was in
 * the middle of. Reentry gaps live in an LRU hash: when it is full the
 * least recently used (thread, target) pairs go first, which are those of
 * exited threads long before those of live ones. */
#ifndef FTRACE_THREADS_BPF_H
#define FTRACE_THREADS_BPF_H

SEC("raw_tp/sched_process_exit")
int ft_thread_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	(void)ctx;
	bpf_map_delete_elem(&stacks, &tid);
	return 0;
}

#endif
