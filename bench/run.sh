#!/bin/sh
# SPDX-License-Identifier: MIT
# ftrace benchmark: a target calling the noinline ft_bench() CALLS times,
# timed from release to exit in three setups, interleaved round by round so
# that machine noise hits all three alike:
#   none    no probes
#   floor   an empty BPF program on the same uprobe+uretprobe (bench/floor.c):
#           what the kernel's probes cost on their own
#   ftrace  ./ftrace user calls ft_bench -p PID > file
# Reported: ftrace/floor wall-time ratio, events delivered out of 2*CALLS,
# and ftrace's CPU time (user+sys, whole run) per event.
# Bar: median ratio <= 1.10 and every event delivered in every round.
#
# Environment: FTRACE, BENCH_DIR (floor, drive, calls), ROUNDS, CALLS,
# FTRACE_ARGS (extra ftrace options, e.g. "--no-retprobe", "-b 64M",
# "--format=json"; %TMP% is the scratch directory: with
# "--perfetto %TMP%/trace.json -o /dev/null" the slices of the trace are
# counted as the delivered events).
set -eu

FTRACE=${FTRACE:-./ftrace}
BENCH_DIR=${BENCH_DIR:-build/x86_64/bench}
ROUNDS=${ROUNDS:-3}
CALLS=${CALLS:-1000000}
FTRACE_ARGS=${FTRACE_ARGS:-}
BAR=1.10

die() {
	echo "bench: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (uprobes and BPF)"
for f in "$FTRACE" "$BENCH_DIR/floor" "$BENCH_DIR/drive" "$BENCH_DIR/calls"; do
	[ -x "$f" ] || die "$f: not built (run make bench)"
done
FTRACE=$(cd "$(dirname "$FTRACE")" && pwd)/$(basename "$FTRACE")
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
CALLS_BIN=$BENCH_DIR/calls
OFF=$("$CALLS_BIN" --offset ft_bench) || die "cannot find ft_bench in $CALLS_BIN"
EVENTS=$((2 * CALLS))
case " $FTRACE_ARGS " in
*" --no-retprobe "*) EVENTS=$CALLS ;;
esac
# -s/--stats: no events; "delivered" is what the kernel counted (calls +
# timed returns of the final JSON report) and the bar is 1.02
STATS=0
case " $FTRACE_ARGS " in
*" -s "* | *" --stats "* | *" --hist "*)
	STATS=1 BAR=1.02
	case " $FTRACE_ARGS " in *" --format=json "*) ;; *) FTRACE_ARGS="$FTRACE_ARGS --format=json" ;; esac
	;;
esac

# the output file is ~250 MB per million calls: keep it beside the build
TMP=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
FIFO=$TMP/go
RES=$TMP/results
mkfifo "$FIFO"
: >"$RES"

# drive ARGS... -> "key=value ..." on stdout
drive() {
	"$BENCH_DIR/drive" -f "$FIFO" "$@" || die "run failed: $*"
}

# val KEY LINE
val() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

echo "bench: $CALLS calls of ft_bench ($CALLS_BIN:$OFF), $ROUNDS rounds," \
	"$(nproc) CPUs, Linux $(uname -r)"
[ -z "$FTRACE_ARGS" ] || echo "bench: ftrace options: $FTRACE_ARGS"

# the floor attaches as ftrace does: uprobe_multi unless ftrace is told
# to use perf-event uprobes
FLOOR_M=-m
case " $FTRACE_ARGS " in *" --mechanism uprobe "*) FLOOR_M= ;; esac

r=1
while [ "$r" -le "$ROUNDS" ]; do
	none=$(drive -- "$CALLS_BIN" -w "$FIFO" bench "$CALLS")
	floor=$(drive -s -e "$TMP/floor.err" -- "$CALLS_BIN" -w "$FIFO" bench "$CALLS" \
		-- "$BENCH_DIR/floor" $FLOOR_M -p %PID% "$CALLS_BIN" "$OFF")
	# shellcheck disable=SC2086 # FTRACE_ARGS is a list of options
	args=$(echo "$FTRACE_ARGS" | sed "s|%TMP%|$TMP|g")
	# shellcheck disable=SC2086 # args is a list of options
	ft=$(drive -o "$TMP/out" -e "$TMP/ftrace.err" -- "$CALLS_BIN" -w "$FIFO" \
		bench "$CALLS" -- "$FTRACE" user "$CALLS_BIN" ft_bench -p %PID% $args)
	# events only: not JSON's summary/lost records
	lines=$(grep -c -v '"type":"\(summary\|lost\)"' "$TMP/out" || true)
	if [ -f "$TMP/trace.json" ]; then
		lines=$(grep -c '"ph":"[BE]"' "$TMP/trace.json" || true)
		rm -f "$TMP/trace.json"
	fi
	lost=$(sed -n 's/^ftrace: [0-9]* events printed, \([0-9]*\) lost.*/\1/p' \
		"$TMP/ftrace.err")
	if [ "$STATS" = 1 ]; then
		lines=$(grep '"type":"stats".*"final":true' "$TMP/out" |
			sed 's/.*"calls":\([0-9]*\),.*"timed":\([0-9]*\),.*/\1 \2/' |
			awk '{s += $1 + $2} END {print s + 0}')
		grep -q 'calls counted in the kernel' "$TMP/ftrace.err" && lost=$(sed -n \
			's/^ftrace: \([0-9]*\) calls not counted.*/\1/p' "$TMP/ftrace.err")
		lost=${lost:-0}
	fi
	[ -n "$lost" ] || die "no summary from ftrace: $(cat "$TMP/ftrace.err")"
	rm -f "$TMP/out"
	echo "$r $(val wall_ns "$none") $(val wall_ns "$floor") $(val wall_ns "$ft")" \
		"$lines $lost $(val tracer_user_ns "$ft") $(val tracer_sys_ns "$ft")" \
		"$(val tracer_lag_ns "$ft") $(val target_sys_ns "$floor")" \
		"$(val target_sys_ns "$ft")" >>"$RES"
	[ "$r" = 1 ] && echo "bench: floor $(grep -q uprobe_multi "$TMP/floor.err" &&
		echo 'through uprobe_multi links' || echo 'through perf-event uprobes'), as ftrace"
	r=$((r + 1))
done

# columns: 1 round, 2 none, 3 floor, 4 ftrace (wall ns), 5 lines, 6 lost,
# 7 ftrace user ns, 8 ftrace sys ns, 9 ftrace lag ns, 10 floor target sys ns,
# 11 ftrace target sys ns
awk -v events="$EVENTS" -v calls="$CALLS" -v bar="$BAR" '
function med(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	n++
	rf[n] = $3 / $2; rt[n] = $4 / $3
	cpu[n] = ($7 + $8) / ($5 > 0 ? $5 : 1)
	us[n] = ($7 + $8) / 1e6
	w0[n] = $2 / 1e6; w1[n] = $3 / 1e6; w2[n] = $4 / 1e6
	pc1[n] = $3 / calls; pc2[n] = $4 / calls
	lag[n] = $9 / 1e6
	ks1[n] = $10 / calls; ks2[n] = $11 / calls
	if (n == 1 || $5 < mind)
		mind = $5
	lost += $6
	printf "%s%5d %10.1f %10.1f %10.1f %9.1f %9.1f %8.3f %8.3f %9d/%d %7d %9.0f %8.1f\n",
		n == 1 ? hdr() : "", $1, w0[n], w1[n], w2[n], pc1[n], pc2[n], rf[n], rt[n],
		$5, events, $6, us[n], cpu[n]
}
function hdr() {
	printf "%5s %10s %10s %10s %9s %9s %8s %8s %19s %7s %9s %8s\n",
		"round", "none ms", "floor ms", "ftrace ms", "floor", "ftrace",
		"floor/", "ftrace/", "delivered", "lost", "ftrace", "ftrace"
	printf "%5s %10s %10s %10s %9s %9s %8s %8s %19s %7s %9s %8s\n",
		"", "", "", "", "ns/call", "ns/call", "none", "floor", "", "",
		"cpu ms", "ns/event"
	return ""
}
END {
	r = med(rt, n)
	printf "%5s %10.1f %10.1f %10.1f %9.1f %9.1f %8.3f %8.3f %19s %7s %9.0f %8.1f\n",
		"med", med(w0, n), med(w1, n), med(w2, n), med(pc1, n), med(pc2, n),
		med(rf, n), r, "", "", med(us, n), med(cpu, n)
	printf "\ntarget kernel time per call: floor %.0f ns, ftrace %.0f ns;" \
		" ftrace finished %.0f ms after the target\n",
		med(ks1, n), med(ks2, n), med(lag, n)
	pass = r <= bar && mind == events && lost == 0
	printf "bench: ratio=%.3f delivered=%d/%d cpu_per_event=%.0f ns  bar: %s\n",
		r, mind, events, med(cpu, n), pass ? "PASS" : "FAIL"
}' "$RES"
