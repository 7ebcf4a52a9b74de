#!/bin/sh
# tests/vm/guest.sh -- the test script run inside the VM (busybox sh, as root).
# tests/vm/run.sh puts it first in the initramfs, so init runs it; everything
# else from VM_FILES is beside it in /test (the ftrace binary is /test/ftrace).
# It also runs on a host: FTRACE=./ftrace sh tests/vm/guest.sh
#
# Prints "N passed, N failed" and exits 1 if anything failed.
# Add tests as `check NAME COMMAND...` (passes when COMMAND exits 0; its output
# is shown only on failure) or with explicit `pass NAME` / `fail NAME WHY`.

HERE=$(cd "$(dirname "$0")" && pwd)
FTRACE=${FTRACE:-$HERE/ftrace}
PASSED=0
FAILED=0
OUT=${TMPDIR:-/tmp}/guest-check.$$

pass() { PASSED=$((PASSED + 1)); echo "PASS: $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $1${2:+: $2}"; }
check() {
	name=$1
	shift
	if "$@" >"$OUT" 2>&1; then
		pass "$name"
	else
		rc=$?
		fail "$name" "exit $rc: $*"
		sed 's/^/    | /' "$OUT" | head -40
	fi
	rm -f "$OUT"
}
info() { echo "info: $*"; }

# --- environment ------------------------------------------------------------
info "kernel $(uname -r) $(uname -m), $(grep -c ^processor /proc/cpuinfo 2>/dev/null || echo '?') cpu(s)"
EVS=
for d in /sys/bus/event_source/devices/*; do [ -e "$d" ] && EVS="$EVS ${d##*/}"; done
info "event sources:${EVS:- none}"
for f in /sys/kernel/btf/vmlinux /proc/sys/net/core/bpf_jit_enable /sys/fs/bpf; do
	if [ -e "$f" ]; then
		case $f in /proc/*) info "$f = $(cat "$f")" ;; *) info "$f present" ;; esac
	else
		info "$f absent"
	fi
done

check "ftrace --version runs" "$FTRACE" --version
info "ftrace --version: $("$FTRACE" --version 2>&1 | head -1)"
check "kprobe PMU" test -r /sys/bus/event_source/devices/kprobe/type
check "uprobe PMU" test -r /sys/bus/event_source/devices/uprobe/type
check "tracefs kprobe_events" test -e /sys/kernel/tracing/kprobe_events
check "tracefs uprobe_events" test -e /sys/kernel/tracing/uprobe_events

# --- tracer tests go here -----------------------------------------------------

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
