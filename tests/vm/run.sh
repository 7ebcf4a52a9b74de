#!/bin/bash
# tests/vm/run.sh ARCH FILE... -- run guest tests in a qemu VM (TCG) for ARCH
#
# Gets the kernel and busybox (tests/vm/kernel.sh, cached), builds the initramfs
# (tests/vm/mkinitramfs.sh: FILEs go to /test/, the first one is the script that
# init runs), boots qemu with the serial console on stdout, tees the console to
# $FTRACE_VM_OUT/console.log and exits with the guest script's exit status, read
# from the line FTRACE-VM-EXIT=<n> that tests/vm/init.c prints.
#
# Exit status: the guest's (0 = passed; 121 = init could not run the script),
#   124  timeout (FTRACE_VM_TIMEOUT seconds),
#   125  the VM stopped without an FTRACE-VM-EXIT line (kernel panic, crash...),
#        after one more boot if the first one ended in a guest kernel lockup
#        (softlockup_panic=1 makes that a panic with the stuck CPU's trace; the
#        first console log is kept as console.lockup.log and its lines printed)
#   2    usage or host setup error (kernel/busybox/initramfs/qemu missing).
# Env: FTRACE_VM_CACHE   kernel/busybox cache (default ~/.cache/ftrace-vm)
#      FTRACE_VM_OUT     build dir (default build/ARCH/vm in the repo)
#      FTRACE_VM_TIMEOUT seconds (default 900)
#      FTRACE_VM_KERNEL  boot this kernel image instead of the cached one
#      FTRACE_VM_APPEND  extra kernel command line
#      FTRACE_VM_MEM / FTRACE_VM_SMP (default 512M / 2)
set -euo pipefail

err() { echo "vm: $*" >&2; exit 2; }

[ $# -ge 2 ] || err "usage: tests/vm/run.sh x86_64|armv7l|riscv64 SCRIPT [FILE...]"
ARCH=$1
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${FTRACE_VM_CACHE:-$HOME/.cache/ftrace-vm}
# FTRACE_VM_SUITE (kernel.sh): another Debian release's kernel, cached apart
KD=$CACHE/$ARCH
case ${FTRACE_VM_SUITE:-bookworm} in bookworm) ;; *) KD=$CACHE/$ARCH-$FTRACE_VM_SUITE;; esac
export FTRACE_VM_CACHE=$CACHE
OUTDIR=${FTRACE_VM_OUT:-$ROOT/build/$ARCH/vm}
TMO=${FTRACE_VM_TIMEOUT:-900}
MEM=${FTRACE_VM_MEM:-512M}
SMP=${FTRACE_VM_SMP:-2}
# init=/init too: if rdinit fails the kernel panics instead of falling back to
# an interactive /bin/sh that would wait for the timeout.
# softlockup_panic: a CPU stuck in the guest kernel for 2 minutes (2 x
# watchdog_thresh: longer than any stall of a vCPU thread on a loaded host)
# ends the run with its registers and trace (loglevel=5 shows them), not at
# the timeout.
APPEND="panic=-1 oops=panic softlockup_panic=1 watchdog_thresh=60 loglevel=5 rdinit=/init init=/init"

case $ARCH in
  x86_64)
    # thread=single: one host thread runs both vCPUs in turn. x86 patches
    # live kernel code (jump labels, as tracepoints switch on and off) with
    # int3 and IPIs, not stop_machine; under multi-threaded TCG a vCPU
    # running that code meanwhile was seen looping in syscall_trace_enter
    # (soft lockup, Debian's 6.1.0-57). ARM and RISC-V patch under
    # stop_machine, so they keep one host thread per vCPU.
    QEMU=(qemu-system-x86_64 -M q35 -accel tcg,thread=single -cpu max)
    APPEND="console=ttyS0 $APPEND";;
  armv7l)
    # shellcheck disable=SC2054  # the commas belong to -M's value
    QEMU=(qemu-system-arm -M virt,highmem=off -cpu cortex-a15)
    APPEND="console=ttyAMA0 $APPEND";;
  riscv64)
    QEMU=(qemu-system-riscv64 -M virt -bios default)
    APPEND="console=ttyS0 $APPEND";;
  *) err "unsupported ARCH '$ARCH' (x86_64, armv7l, riscv64)";;
esac
command -v "${QEMU[0]}" >/dev/null || err "${QEMU[0]} not found (see tests/vm/README.md for host packages)"
[ -z "${FTRACE_VM_APPEND:-}" ] || APPEND="$APPEND $FTRACE_VM_APPEND"

"$HERE/kernel.sh" "$ARCH" >&2 || err "cannot get the $ARCH kernel/busybox (tests/vm/kernel.sh $ARCH)"
KERNEL=${FTRACE_VM_KERNEL:-$KD/kernel}
[ -s "$KERNEL" ] || err "no kernel image $KERNEL"

mkdir -p "$OUTDIR"
INITRD=$OUTDIR/initramfs.cpio.gz
LOG=$OUTDIR/console.log
"$HERE/mkinitramfs.sh" "$ARCH" "$INITRD" "$@" >&2 || err "cannot build the initramfs"

boot() {
	echo "vm: booting $ARCH: $(cat "$KD/kernel.version" 2>/dev/null || echo "$KERNEL"); timeout ${TMO}s; console log $LOG" >&2
	T0=$(date +%s.%N)
	set +e
	# --foreground: Ctrl-C still reaches qemu; -k: SIGKILL if SIGTERM is not enough.
	timeout --foreground -k 10 "$TMO" "${QEMU[@]}" -smp "$SMP" -m "$MEM" \
	  -nographic -no-reboot -nic none \
	  -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" </dev/null 2>&1 | tee "$LOG"
	QRC=${PIPESTATUS[0]}
	set -e
	WALL=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}')
}
LOCKUP='soft lockup - CPU#|rcu_.*self-detected stall|rcu_.*detected stalls'
boot
if ! grep -q 'FTRACE-VM-EXIT=' "$LOG" && grep -Eq "$LOCKUP" "$LOG"; then
	cp "$LOG" "$OUTDIR/console.lockup.log"
	echo "vm: the guest kernel locked up (kept as $OUTDIR/console.lockup.log):" >&2
	tr -d '\r' < "$LOG" | grep '^# \[' | tail -1 >&2
	tr -d '\r' < "$LOG" | grep -m1 -E -A40 "$LOCKUP" >&2
	echo "vm: booting once more" >&2
	boot
fi

# The guest console ends lines with \r\n.
EXIT=$(tr -d '\r' < "$LOG" | sed -n 's/^FTRACE-VM-EXIT=\([0-9][0-9]*\)$/\1/p' | tail -1)
GUEST_KERNEL=$(tr -d '\r' < "$LOG" | sed -n 's/^FTRACE-VM-KERNEL=//p' | tail -1)
if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
  RC=124 WHY="TIMEOUT after ${TMO}s"
elif [ -n "$EXIT" ]; then
  RC=$EXIT WHY="guest exit status $EXIT"
else
  RC=125 WHY="no FTRACE-VM-EXIT line (qemu exit $QRC)"
  if grep -q 'Kernel panic' "$LOG"; then WHY="$WHY: kernel panic"; fi
fi
echo "vm: arch=$ARCH kernel=${GUEST_KERNEL:-?} wall=${WALL}s result: $WHY" >&2
exit "$RC"
