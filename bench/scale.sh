#!/bin/sh
# SPDX-License-Identifier: MIT
# Arming and tearing down many probes: seconds from start until ftrace says
# "attached", and from Ctrl-C (SIGINT) until it has exited, for
#   libc '*'      every function of libc.so.6, default mechanism
#                 (uprobe_multi where the kernel has it)
#   libc 'g*'     a smaller set, once through the default mechanism and once
#                 through perf-event uprobes (--mechanism uprobe), whose
#                 teardown waits for the kernel one probe at a time
# The traced process is a shell sleeping, so the figures are attach/detach
# costs, not event costs. Environment: FTRACE.
set -eu

FTRACE=${FTRACE:-./ftrace}
[ "$(id -u)" = 0 ] || { echo "bench scale: needs root" >&2; exit 1; }
TMP=$(mktemp -d)
sleep 600 &
SLEEPER=$!
trap 'kill $SLEEPER 2>/dev/null; rm -rf "$TMP"' EXIT

now() { date +%s%N; }

# run LABEL ARGS...: one line with the target count and both times
run() {
	label=$1; shift
	t0=$(now)
	"$FTRACE" "$@" -p "$SLEEPER" > /dev/null 2> "$TMP/err" &
	fp=$!
	while ! grep -q "attached .* probes" "$TMP/err"; do
		kill -0 "$fp" 2>/dev/null || { cat "$TMP/err" >&2; exit 1; }
		sleep 0.01
	done
	t1=$(now)
	kill -INT "$fp"
	wait "$fp" || true
	t2=$(now)
	awk -v l="$label" -v a="$t1" -v s="$t0" -v e="$t2" -v what="$(grep -o 'attached [0-9]* probes to [0-9]* targets' "$TMP/err")" \
		'BEGIN { printf "%-34s %-36s armed %6.2f s   exit %6.2f s\n", l, what, (a - s) / 1e9, (e - a) / 1e9 }'
}

run "libc.so.6 '*'" user libc.so.6 '*'
run "libc.so.6 'g*'" user libc.so.6 'g*'
run "libc.so.6 'g*' --mechanism uprobe" user libc.so.6 'g*' --mechanism uprobe
