#!/bin/sh
# Run inside the VM (make vm-test): the harness's environment checks, the
# user-mode suite and the kernel-mode suite, against the static binaries in /test.
HERE=$(cd "$(dirname "$0")" && pwd)
rc=0
# the guest clock at each suite: a kernel message (a lockup, an oops) is then
# placed in the suite that ran when it came
mark() { echo "# [$(cut -d' ' -f1 /proc/uptime)] $*"; }
[ -f "$HERE/guest.sh" ] && { FTRACE=$HERE/ftrace sh "$HERE/guest.sh" || rc=1; }
THUMB=
[ -f "$HERE/thumb" ] && THUMB=$HERE/thumb
mark user
FTRACE=$HERE/ftrace CALLS=$HERE/calls THUMB=$THUMB E2E_NO_LIBC=1 sh "$HERE/user.sh" || rc=1
mark kernel
FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/kernel.sh" || rc=1
mark scale
FTRACE=$HERE/ftrace CALLS=$HERE/calls E2E_NO_LIBC=1 sh "$HERE/scale.sh" || rc=1
mark stress
FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/stress.sh" || rc=1
# the traced command: -c, --, -f (Linux 6.1's tracepoint layout), -u
mark spawn
FTRACE=$HERE/ftrace CALLS=$HERE/calls SPAWNEE=$HERE/spawnee sh "$HERE/spawn.sh" || rc=1
# syscalls through tracepoints (forced where kprobes exist), --cgroup, flight recorder
mark syscall
FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/syscall.sh" || rc=1
# the same suites through libbpf, where the harness shipped it (x86_64)
LIBBPF_OK=1
if [ -f "$HERE/lib/libbpf.so.1" ]; then
	# before Linux 5.15 (no BPF cookies) libbpf cannot attach as ftrace needs:
	# one clear line, and the built-in loader's suites above are the answer
	LD_LIBRARY_PATH=$HERE/lib "$HERE/ftrace" user "$HERE/calls" ft_args6 -c true \
		--libbpf-path "$HERE/lib/libbpf.so.1" > /dev/null 2> /tmp/libbpf.err
	if grep -q "the libbpf loader needs BPF cookies (Linux 5.15+)" /tmp/libbpf.err; then
		echo "ok - libbpf loader on $(uname -r): one line saying it needs BPF cookies"
		LIBBPF_OK=
	fi
fi
if [ -f "$HERE/lib/libbpf.so.1" ] && [ -n "$LIBBPF_OK" ]; then
	echo "# --loader=libbpf ($HERE/lib)"
	export LD_LIBRARY_PATH=$HERE/lib
	export FTRACE_LOADER_ARGS="--libbpf-path $HERE/lib/libbpf.so.1"
	mark user
	FTRACE=$HERE/ftrace CALLS=$HERE/calls E2E_NO_LIBC=1 sh "$HERE/user.sh" || rc=1
	mark kernel
	FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/kernel.sh" || rc=1
	mark spawn
	FTRACE=$HERE/ftrace CALLS=$HERE/calls SPAWNEE=$HERE/spawnee sh "$HERE/spawn.sh" || rc=1
	mark syscall
	FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/syscall.sh" || rc=1
	unset LD_LIBRARY_PATH FTRACE_LOADER_ARGS
fi
# the same program through the other execution engine: interpreter <-> JIT
JIT=/proc/sys/net/core/bpf_jit_enable
if [ -w $JIT ]; then
	was=$(cat $JIT)
	now=$((1 - was))
	if echo $now > $JIT 2>/dev/null && [ "$(cat $JIT)" = $now ]; then
		echo "# bpf_jit_enable=$now (was $was): exact counts and kernel suite again"
		FTRACE=$HERE/ftrace CALLS=$HERE/calls THUMB=$THUMB E2E_NO_LIBC=1 E2E_ONLY=exact_counts \
			sh "$HERE/user.sh" || rc=1
		mark kernel
		FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/kernel.sh" || rc=1
		echo $was > $JIT
	else
		echo "# bpf_jit_enable cannot be switched to $now here"
	fi
fi
exit $rc
