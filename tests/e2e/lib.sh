# Shared by the end-to-end suites (run.sh, kernel.sh, stress.sh, parity.sh);
# sourced, POSIX sh. Needs FTRACE and CALLS; gives a scratch dir $T, result
# counters, process helpers and the architecture's register names.
# FTRACE_LOADER_ARGS (e.g. --loader=libbpf) is appended to every ftrace run.
set -u
FTRACE=${FTRACE:?set FTRACE}
CALLS=${CALLS:?set CALLS}
T=$(mktemp -d /tmp/ftrace-e2e.XXXXXX)
TARGET_PIDS=
trap 'kill $TARGET_PIDS 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() {
	fail=$((fail + 1)); echo "FAIL - $1"
	[ -n "${2:-}" ] && echo "    $2"
	# the first lines, and the last ones (the error after a -v dump)
	for f in "$T"/err "$T"/out; do
		[ -s "$f" ] || continue
		if [ "$(wc -l < "$f")" -gt 8 ]; then
			{ head -n 3 "$f"; echo ...; tail -n 3 "$f"; }
		else
			cat "$f"
		fi | sed "s|^|    $(basename "$f"): |"
	done
	return 0
}
skipped() { skip=$((skip + 1)); echo "skip - $1 ($2)"; }
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got '$2', want '$3'"; fi; }
check_grep() { if grep -q -- "$2" "$3"; then ok "$1"; else nok "$1" "no '$2' in $(basename "$3")"; fi; }
count() { grep -c -- "$1" "$2"; }

# start_target NAME MODE ARGS...: the target blocks on a FIFO until released
start_target() {
	n=$1; shift
	rm -f "$T/$n.fifo" "$T/$n.fifo.ready"; mkfifo "$T/$n.fifo"
	"$CALLS_BIN" -w "$T/$n.fifo" "$@" &
	eval "PID_$n=$!"
	TARGET_PIDS="$TARGET_PIDS $!"
	# wait until it runs our code (exec'd, libraries mapped), not the shell's
	i=0
	while [ ! -e "$T/$n.fifo.ready" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.02; done
}
release() { echo go > "$T/$1.fifo"; }

# trace ARGS...: start ftrace in the background; wait until it has attached
trace() {
	: > "$T/out"; : > "$T/err"
	"$FTRACE" "$@" $XFLAGS ${FTRACE_LOADER_ARGS:-} > "$T/out" 2> "$T/err" &
	FPID=$!
	i=0
	while ! grep -q "attached .* probes" "$T/err"; do
		kill -0 "$FPID" 2>/dev/null || return 1
		i=$((i + 1)); [ $i -gt 400 ] && return 1
		sleep 0.05
	done
	return 0
}

# wait_gone PID SECONDS: wait for a process to exit; 1 on timeout
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt $(($2 * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}

# stop_trace [SIGNAL]: stop ftrace, collect its exit status in FRC
stop_trace() {
	kill -"${1:-INT}" "$FPID" 2>/dev/null
	wait_gone "$FPID" 10 || kill -9 "$FPID"
	wait "$FPID"; FRC=$?
}

# finish_pid_trace: ftrace -p exits on its own when the process exits
finish_pid_trace() {
	if wait_gone "$FPID" 30; then wait "$FPID"; FRC=$?; else stop_trace KILL; FRC=99; fi
}

run_ftrace() { "$FTRACE" "$@" ${FTRACE_LOADER_ARGS:-} > "$T/out" 2> "$T/err"; FRC=$?; }

CALLS_BIN=$CALLS
REGS='di=0x11, si=0x22, dx=0x33, cx=0x44, r8=0x55, r9=0x66'
case $("$FTRACE" --version) in
*armv7l*) REGS='r0=0x11, r1=0x22, r2=0x33, r3=0x44' ;;
*riscv64*) REGS='a0=0x11, a1=0x22, a2=0x33, a3=0x44, a4=0x55, a5=0x66' ;;
esac
RETV=0x165
# armv7l: static glibc is Thumb-2, so ftrace refuses return probes on these
# binaries unless forced; our targets are ARM code called from ARM code.
XFLAGS=
case $("$FTRACE" --version) in *armv7l*) XFLAGS=--force ;; esac
case $("$FTRACE" --version) in
*x86_64*) RETREG=ax ARG0=di ;; *armv7l*) RETREG=r0 ARG0=r0 ;; *) RETREG=a0 ARG0=a0 ;;
esac

# summary_printed: N of ftrace's "N events printed" line; lines: lines of output
summary_printed() { sed -n 's/^ftrace: \([0-9]*\) events printed.*/\1/p' "$T/err"; }
lines() { wc -l < "$T/out" | tr -d ' '; }

# done_suite NAME: the closing line and the exit status
done_suite() {
	echo "$1: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}
