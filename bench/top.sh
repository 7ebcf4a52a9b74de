#!/bin/sh
# SPDX-License-Identifier: MIT
# ftrace --top's own CPU time per second at a 1 s refresh (batch tables to
# /dev/null; the full screen does the same work plus a redraw per second):
#   idle    nothing calls the target
#   load    the bench workload (calls bench N, back to back) runs the whole time
#   stream  for reference: plain ftrace (one line per event) to /dev/null
#           under the same load
# CPU time is utime + stime of ftrace from /proc/PID/stat over a WINDOW-second
# window after attach; the workload's calls in the window come from the last
# --top table (calls/s of the load).
#
# Environment: FTRACE, BENCH_DIR (calls), WINDOW (default 5), CALLS (default
# 1000000 per workload process).
set -eu

FTRACE=${FTRACE:-./ftrace}
BENCH_DIR=${BENCH_DIR:-build/x86_64/bench}
WINDOW=${WINDOW:-5}
CALLS=${CALLS:-1000000}
CALLS_BIN=$BENCH_DIR/calls
HZ=$(getconf CLK_TCK)

die() {
	echo "bench top: $*" >&2
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
[ -x "$CALLS_BIN" ] || die "$CALLS_BIN: not built (run make bench)"
TMP=$(mktemp -d)
LOAD=
FPID=
trap '[ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null; [ -n "$FPID" ] && kill "$FPID" 2>/dev/null; rm -rf "$TMP"' EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# the workload: calls bench N, one process after the other, until killed
load_loop() {
	while :; do "$CALLS_BIN" bench "$CALLS" > /dev/null || exit 1; done
}

# measure NAME with_load FTRACE_ARGS...: CPU seconds per second, on stdout
measure() {
	name=$1 with=$2
	shift 2
	"$FTRACE" user "$CALLS_BIN" ft_bench "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	FPID=$!
	i=0
	until grep -q "attached" "$TMP/$name.err"; do
		i=$((i + 1)); [ $i -lt 200 ] || die "$name: ftrace did not attach"; sleep 0.05
	done
	if [ "$with" = 1 ]; then load_loop & LOAD=$!; sleep 0.5; fi
	t0=$(ticks "$FPID")
	sleep "$WINDOW"
	t1=$(ticks "$FPID")
	if [ -n "$LOAD" ]; then kill "$LOAD"; wait "$LOAD" 2>/dev/null || true; LOAD=; fi
	kill -INT "$FPID"; wait "$FPID" || die "$name: ftrace failed: $(cat "$TMP/$name.err")"
	FPID=
	awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v w="$WINDOW" 'BEGIN {printf "%.3f", (b - a) / hz / w}'
}

echo "bench top: $(nproc) CPUs, Linux $(uname -r), window $WINDOW s, refresh 1 s"
idle=$(measure idle 0 --top --batch -i 1)
top=$(measure top 1 --top --batch -i 1)
rate=$(awk '$3 ~ /ft_bench$/ && $5 > r {r = $5} END {printf "%.0f", r}' "$TMP/top.out")
lost=$(awk '/^ftrace - / {l = $0} END {sub(/ lost.*/, "", l); sub(/.* /, "", l); print l}' "$TMP/top.out")
stream=$(measure stream 1)
printf '%-8s %14s\n' "setup" "ftrace CPU s/s"
printf '%-8s %14s\n' idle "$idle" top "$top" stream "$stream"
echo "bench top: idle=$idle load=$top (workload up to $rate calls/s per process, $lost lost) stream=$stream"
