#!/bin/sh
# SPDX-License-Identifier: MIT
# Summaries aggregated in the kernel (-s/--stats, --hist, --by) and the
# duration filters (--min-duration, --max-duration), end to end: exact call
# counts per target, process, thread and name; percentiles of a target that
# sleeps known durations against the durations it measured itself, within
# the README's bound; histogram buckets; only the slow calls, each with its
# entry; JSON read back by python3 (tests/e2e/statscheck.py); usage errors.
#   FTRACE=... CALLS=... [FTRACE_LOADER_ARGS=--loader=libbpf] tests/e2e/stats.sh
. "$(dirname "$0")/lib.sh"
CHECK="python3 $(dirname "$0")/statscheck.py"
LABEL=$(basename "$CALLS")

# ft ARGS... [-- CMD]: ftrace with a traced command; stdout (the command's
# and ftrace's) in $T/out, stderr in $T/err, status in FRC
ft() {
	: > "$T/out"; : > "$T/err"
	# shellcheck disable=SC2086 # option lists
	timeout 60 "$FTRACE" $XFLAGS ${FTRACE_LOADER_ARGS:-} "$@" > "$T/out" 2> "$T/err"
	FRC=$?
}

# rows FILE: the final report's rows, "func key calls timed unmatched",
# checked against the schema by the independent reader
rows() {
	if $CHECK rows "$1" > "$T/rows" 2> "$T/check"; then :; else
		nok "schema of $(basename "$1")" "$(head -n 3 "$T/check")"
	fi
}
row() { awk -v f="$1" -v k="$2" '$1 == f && $2 == k {print $3, $4, $5}' "$T/rows"; }

# between NAME N: the target ("sleep US NS" lines in $T/out) measured at
# least N calls below 2^23 ns, and at most N below 2^23 ns + 100 us
between() {
	lo=$(awk '$1 == "sleep" && $3 < 8388608' "$T/out" | wc -l | tr -d ' ')
	hi=$(awk '$1 == "sleep" && $3 < 8488608' "$T/out" | wc -l | tr -d ' ')
	if [ "$2" -ge "$lo" ] && [ "$2" -le "$hi" ]; then ok "$1 ($2)"; else
		nok "$1" "got $2, the target measured $lo below 2^23 ns, $hi below 2^23 ns + 100 us"
	fi
}

t_counts() {
	# args 1000: 1000 ft_args6 and one ft_mid; ft_inner never runs
	ft user "$CALLS" ft_args6 ft_mid ft_inner -s --format=json -o "$T/s.json" \
		-- "$CALLS" args 1000
	check_eq "counts: exit status" "$FRC" 0
	rows "$T/s.json"
	check_eq "counts: ft_args6 calls timed unmatched" "$(row ft_args6 -)" "1000 1000 0"
	check_eq "counts: ft_mid" "$(row ft_mid -)" "1 1 0"
	check_eq "counts: ft_inner, never called, still a row" "$(row ft_inner -)" "0 0 0"
	check_eq "counts: three rows" "$(wc -l < "$T/rows" | tr -d ' ')" 3
	check_eq "counts: no event records" "$(grep -c '"type":"entry"\|"type":"return"' "$T/s.json")" 0
	check_grep "counts: stderr total" "^ftrace: 1001 calls counted in the kernel (traced process exited)$" "$T/err"

	# nested 50: ft_outer 50, ft_inner 100 (nested inside it); text table
	ft user "$CALLS" ft_outer ft_inner --stats -- "$CALLS" nested 50
	check_eq "table: exit status" "$FRC" 0
	check_grep "table: heading" "^FUNCTION  *CALLS  *CALLS/s  *TOTAL  *AVG  *MIN  *MAX  *P50  *P90  *P99  *UNMATCHED$" "$T/out"
	check_eq "table: ft_outer calls, unmatched" \
		"$(awk -v f="$LABEL:ft_outer" '$1 == f {print $2, $NF}' "$T/out")" "50 0"
	check_eq "table: ft_inner calls, unmatched" \
		"$(awk -v f="$LABEL:ft_inner" '$1 == f {print $2, $NF}' "$T/out")" "100 0"
	check_grep "table: one report at exit" "^ftrace stats: [0-9.]* s, 2 rows, at exit$" "$T/out"

	# recursion: ft_fact(10) is 10 nested calls of one target
	ft user "$CALLS" ft_fact -s --format=json -o "$T/s.json" -- "$CALLS" recurse 10
	rows "$T/s.json"
	check_eq "recursion: 10 calls, 10 timed" "$(row ft_fact -)" "10 10 0"

	# entries only: calls counted, no times (nulls)
	ft user "$CALLS" ft_args6 -s --no-retprobe --format=json -o "$T/s.json" -- "$CALLS" args 300
	rows "$T/s.json"
	check_eq "--no-retprobe: 300 calls, none timed" "$(row ft_args6 -)" "300 0 0"
	check_grep "--no-retprobe: p99 null" '"p99_ns":null' "$T/s.json"
}

t_by() {
	# forkexec 300 with -f: 300 calls in the parent, 300 in its child
	ft user "$CALLS" ft_args6 -s --by pid --format=json -o "$T/s.json" -f -- "$CALLS" forkexec 300
	check_eq "--by pid: exit status" "$FRC" 0
	rows "$T/s.json"
	check_eq "--by pid: two processes of 300 calls" \
		"$(awk '$1 == "ft_args6" {print $3, $4}' "$T/rows" | tr '\n' ' ')" "300 300 300 300 "
	check_eq "--by pid: two different pids" "$(awk '$1 == "ft_args6" {print $2}' "$T/rows" | sort -u | wc -l | tr -d ' ')" 2
	check_grep "--by pid: comm" '"pid":[0-9]*,"comm":"calls"' "$T/s.json"

	# the same by name: one row
	ft user "$CALLS" ft_args6 -s --by comm --format=json -o "$T/s.json" -f -- "$CALLS" forkexec 300
	rows "$T/s.json"
	check_eq "--by comm: one row of 600" "$(row ft_args6 calls)" "600 600 0"

	# threads 4 100: four threads, 100 calls each
	ft user "$CALLS" ft_args6 -s --by tid --format=json -o "$T/s.json" -- "$CALLS" threads 4 100
	rows "$T/s.json"
	check_eq "--by tid: four threads of 100 calls" \
		"$(awk '$1 == "ft_args6" {print $3}' "$T/rows" | tr '\n' ' ')" "100 100 100 100 "
	check_eq "--by tid: four tids" "$(awk '$1 == "ft_args6" {print $2}' "$T/rows" | sort -u | wc -l | tr -d ' ')" 4
	# each row names its process too: the one process of the four threads
	# (the main thread's tid is its pid, and it made no call)
	check_eq "--by tid: the threads' process, as pid" \
		"$(sed -n 's/.*"final":true.*"pid":\([0-9]*\),"tid":\([0-9]*\).*/\1/p' "$T/s.json" | sort -u | wc -l | tr -d ' ') $(grep -c '"final":true.*"tid"' "$T/s.json")" "1 4"

	# text: the key columns
	ft user "$CALLS" ft_args6 -s --by pid -f -- "$CALLS" forkexec 20
	check_grep "--by pid text: heading" "^ *PID COMM  *FUNCTION  *CALLS" "$T/out"
	check_eq "--by pid text: two rows of 20" \
		"$(awk -v f="$LABEL:ft_args6" '$3 == f {print $4}' "$T/out" | tr '\n' ' ')" "20 20 "
}

# sleeps 85 15: 85 calls of >= 1 ms and 15 of >= 20 ms, durations as the
# target measured them in $T/out ("sleep US NS"). p50 (rank 50) falls among
# the fast calls, p90 (rank 90) and p99 among the slow ones: not on the edge
# between the two, where one preempted call would move the exact value.
t_quantiles() {
	ft user "$CALLS" ft_sleep -s --hist --format=json -o "$T/s.json" -- "$CALLS" sleeps 85 15
	check_eq "quantiles: exit status" "$FRC" 0
	rows "$T/s.json"
	check_eq "quantiles: 100 calls timed" "$(row ft_sleep -)" "100 100 0"
	# the README's bound is 1/16 of the value; the target's own clock reads
	# and the probes add a few microseconds (slack 50 us)
	if $CHECK quantiles "$T/s.json" "$T/out" 0.0625 50000 > "$T/q" 2> "$T/check"; then
		ok "quantiles: p50/p90/p99 within 6.25% of the exact ones ($(tr '\n' ';' < "$T/q"))"
	else nok "quantiles" "$(cat "$T/check" "$T/q" | head -n 4)"; fi
	# buckets below 2^23 ns hold the calls the target saw below it
	between "quantiles: JSON buckets below 2^23 ns, as the target measured" \
		"$(python3 -c 'import json,sys
r=[json.loads(l) for l in open(sys.argv[1]) if "\"stats\"" in l][-1]
print(sum(n for lo,hi,n in r["hist"] if hi is not None and hi < 8388608))' "$T/s.json")"
	want=$(awk '$1 == "sleep" && $3 >= 10000000' "$T/out" | wc -l | tr -d ' ')
	check_eq "quantiles: 15 slow calls" "$want" 15
}

t_hist() {
	ft user "$CALLS" ft_sleep ft_args6 --hist -- "$CALLS" sleeps 45 5
	check_eq "--hist: exit status" "$FRC" 0
	check_grep "--hist: title" "^$LABEL:ft_sleep: 50 calls, 50 timed$" "$T/out"
	check_grep "--hist: column heads" "^ *nsecs : count  *distribution$" "$T/out"
	check_grep "--hist: a target without calls" "^$LABEL:ft_args6: 0 calls, 0 timed$" "$T/out"
	# bucket lines "LO -> HI : COUNT |***|": contiguous ranges, counts sum to 50
	awk '/ -> / {print $1, $3, $5}' "$T/out" > "$T/buckets"
	check_eq "--hist: counts sum to 50" "$(awk '{s += $3} END {print s}' "$T/buckets")" 50
	# below 2^23 ns (a bucket edge): the calls the target measured below
	# it, give or take one the probes' own 100 us took across it (the
	# target's clock encloses the probes': it never sees less)
	between "--hist: calls in buckets below 2^23 ns, as the target measured" \
		"$(awk '$2 < 8388608 {s += $3} END {print s + 0}' "$T/buckets")"
	check_eq "--hist: 5 calls from 20 ms on (bucket from 18874368)" \
		"$(awk '$1 >= 18874368 {s += $3} END {print s + 0}' "$T/buckets")" 5
	check_eq "--hist: ranges contiguous" "$(awk 'NR > 1 && $1 != prev + 1 {bad++} {prev = $2}
		END {print bad + 0}' "$T/buckets")" 0
	check_eq "--hist: the largest bucket has the full bar" \
		"$(grep -c '|\*\{40\}|' "$T/out")" 1
	check_eq "--hist: no table without -s" "$(grep -c '^FUNCTION' "$T/out")" 0
	ft user "$CALLS" ft_sleep --hist -s --by pid -- "$CALLS" sleeps 4 1
	check_grep "--hist --by pid: title" "^$LABEL:ft_sleep pid [0-9]* (calls): 5 calls, 5 timed$" "$T/out"
	check_grep "--hist -s: the table too" "^ *PID COMM  *FUNCTION" "$T/out"
}

t_interval() {
	# 10 calls of 20 ms: >= 200 ms, reports every 0.1 s
	ft user "$CALLS" ft_sleep -s -i 0.1 --format=json -o "$T/s.json" -- "$CALLS" sleeps 0 10
	check_eq "-i: exit status" "$FRC" 0
	if $CHECK reports "$T/s.json" > "$T/n" 2> "$T/check"; then
		n=$(cat "$T/n")
		if [ "$n" -ge 2 ]; then ok "-i 0.1: $n cumulative reports, the last final"; else nok "-i: reports" "got $n"; fi
	else nok "-i: reports" "$(head -n 3 "$T/check")"; fi
	rows "$T/s.json"
	check_eq "-i: final counts" "$(row ft_sleep -)" "10 10 0"
}

# JSON events of --min/--max-duration: pairs of entry and return, checked by
# python3: each return right after its entry, same thread and depth,
# ts(return) - ts(entry) = duration exactly; prints "pairs min max"
pairs() {
	python3 -c 'import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
ev=[r for r in recs if r["type"] in ("entry","return")]
bad=0
for i in range(0,len(ev),2):
    e,r=ev[i],ev[i+1] if i+1<len(ev) else None
    if not r or e["type"]!="entry" or r["type"]!="return" or e["tid"]!=r["tid"] or \
       e["depth"]!=r["depth"] or e["func"]!=r["func"] or r["ts_ns"]-e["ts_ns"]!=r["duration_ns"]:
        bad+=1
d=[r["duration_ns"] for r in ev if r["type"]=="return"]
print(len(d), min(d) if d else "-", max(d) if d else "-", "bad=%d" % bad)' "$1"
}

t_duration() {
	# sleeps 20 5: only the five 20 ms calls are at least 10 ms
	ft user "$CALLS" ft_sleep ft_args6 --min-duration 10ms --format=json -o "$T/e.json" \
		-- "$CALLS" sleeps 20 5
	check_eq "--min-duration: exit status" "$FRC" 0
	p=$(pairs "$T/e.json")
	check_eq "--min-duration 10ms: 5 pairs, none bad" "$(echo "$p" | awk '{print $1, $4}')" "5 bad=0"
	check_eq "--min-duration 10ms: every one >= 20 ms" \
		"$(echo "$p" | awk '{print ($2 >= 20000000)}')" 1
	check_grep "--min-duration: summary counts 10 events" '"type":"summary","events":10,' "$T/e.json"
	ft user "$CALLS" ft_sleep --max-duration 5ms --format=json -o "$T/e.json" -- "$CALLS" sleeps 20 5
	p=$(pairs "$T/e.json")
	check_eq "--max-duration 5ms: 20 pairs, none bad" "$(echo "$p" | awk '{print $1, $4}')" "20 bad=0"
	check_eq "--max-duration 5ms: every one below 5 ms" "$(echo "$p" | awk '{print ($3 <= 5000000)}')" 1
	# text: entries and returns
	ft user "$CALLS" ft_sleep --min-duration 15ms --max-duration 1s -- "$CALLS" sleeps 8 2
	check_eq "--min/--max text: 2 entries" "$(grep -c '\[calls:ft_sleep\] \(ENTRY\|REENTRY\)' "$T/out")" 2
	check_eq "--min/--max text: 2 returns" "$(grep -c '\[calls:ft_sleep\] RET' "$T/out")" 2
	# nested holds: 0ns passes every call, inner pairs come before outer
	ft user "$CALLS" ft_outer ft_inner --min-duration 0ns --format=json -o "$T/e.json" \
		-- "$CALLS" nested 50
	p=$(pairs "$T/e.json")
	check_eq "--min-duration 0ns nested: 150 pairs, none bad" "$(echo "$p" | awk '{print $1, $4}')" "150 bad=0"
	check_eq "--min-duration 0ns nested: 100 inner at depth 2" \
		"$(grep -c '"type":"entry".*"func":"ft_inner","offset":[0-9]*,"depth":2' "$T/e.json")" 100
	# nothing qualifies: no events at all
	ft user "$CALLS" ft_args6 --min-duration 2s -- "$CALLS" args 100
	check_eq "--min-duration 2s: no output" "$(grep -c ft_args6 "$T/out")" 0
	check_grep "--min-duration 2s: 0 events" "^ftrace: 0 events printed, 0 lost" "$T/err"
}

# usage ARGS... -- MESSAGE: one line, status 2, nothing attached
usage() {
	msg=$1; shift
	ft user "$CALLS" ft_args6 "$@"
	check_eq "usage: $*" "$FRC:$(cat "$T/err")" "2:ftrace: $msg"
}

# stacks 40 25: main -> ft_stack_x -> ft_stack_c 40 times, main ->
# ft_stack_y -> ft_stack_c 25 times (frame pointers); the stacks are
# captured in the kernel and symbolized at the report
t_bystack() {
	ft user "$CALLS" ft_stack_c --stats --by stack -- "$CALLS" stacks 40 25
	check_eq "--by stack: exit status" "$FRC" 0
	check_grep "--by stack: head line" "^$LABEL:ft_stack_c: 65 calls, 2 stacks$" "$T/out"
	# a stack: "  N calls, ..." then its frames, innermost first
	awk '/^  [0-9]+ calls/ {if (s) print s; s = $1} /^    / {sub(/^    /, ""); sub(/\+0x[0-9a-f]+$/, ""); s = s " " $0} END {if (s) print s}' \
		"$T/out" | cut -d' ' -f1-4 > "$T/stk"
	check_eq "--by stack: two stacks, most calls first, frames c <- x|y <- main" "$(cat "$T/stk")" \
		"40 $LABEL:ft_stack_c $LABEL:ft_stack_x $LABEL:main
25 $LABEL:ft_stack_c $LABEL:ft_stack_y $LABEL:main"
	check_grep "--by stack: calls, avg, p99, the process" "^  40 calls, avg [0-9.]*[mun]*s, p99 [0-9.]*[mun]*s, pid [0-9]* (calls)$" "$T/out"
	check_eq "--by stack: the leaf at +0x0, twice" "$(grep -c "^    $LABEL:ft_stack_c+0x0$" "$T/out")" 2
	check_grep "--by stack: stderr total" "^ftrace: 65 calls counted in the kernel" "$T/err"
	check_eq "--by stack: no stack lost" "$(grep -c 'not captured' "$T/out" "$T/err" | awk -F: '{s += $2} END {print s}')" 0

	# JSON through the independent reader
	ft user "$CALLS" ft_stack_c -s --by stack --format=json -o "$T/s.json" -- "$CALLS" stacks 40 25
	if $CHECK stacks "$T/s.json" > "$T/rows" 2> "$T/check"; then ok "--by stack json: schema"; else
		nok "--by stack json: schema" "$(head -n 3 "$T/check")"; fi
	check_eq "--by stack json: calls, timed, frames" "$(cut -d' ' -f1-3 "$T/rows"; cut -d' ' -f4 "$T/rows" | cut -d, -f1-3)" \
		"ft_stack_c 40 40
ft_stack_c 25 25
ft_stack_c,ft_stack_x,main
ft_stack_c,ft_stack_y,main"
	check_grep "--by stack json: stacks_lost 0 in the summary" '"stacks_lost":0}$' "$T/s.json"

	# folded, for flame graphs: outermost first, the count is calls
	ft user "$CALLS" ft_stack_c --folded -o "$T/f.txt" -- "$CALLS" stacks 40 25
	check_eq "--folded: exit status" "$FRC" 0
	if $CHECK folded "$T/f.txt" > "$T/fold" 2> "$T/check"; then ok "--folded: the format"; else
		nok "--folded: the format" "$(head -n 3 "$T/check")"; fi
	check_eq "--folded: exactly two lines, ...;main;x|y;c COUNT" \
		"$(sed 's/^.*;\(main;[^ ]*\) \([0-9]*\)$/\1 \2/' "$T/fold" | sort)" \
		"main;ft_stack_x;ft_stack_c 40
main;ft_stack_y;ft_stack_c 25"
	check_eq "--folded: two lines in all" "$(wc -l < "$T/fold" | tr -d ' ')" 2

	# a process traced with -p: the same counts through its maps read at start
	start_target a stacks 7 3
	trace user "$CALLS" ft_stack_c -p "$PID_a" --folded || { nok "--folded -p: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--folded -p: the two stacks" "$(sed 's/^.*;\(main;[^ ]*\) \([0-9]*\)$/\1 \2/' "$T/out" | sort)" \
		"main;ft_stack_x;ft_stack_c 7
main;ft_stack_y;ft_stack_c 3"
}

t_usage() {
	usage "invalid --by 'foo': expected 'pid', 'tid', 'comm' or 'stack'" -s --by foo
	usage "--by stack has no histograms: use --stats (calls, avg, p99 per stack)" --hist --by stack
	usage "--folded prints the final counts as folded lines: --format=json does not apply" --folded --format=json
	usage "invalid duration '3parsecs' for --min-duration: expected a number and a unit ns, us, ms or s (e.g. 1ms, 250us, 1.5s)" --min-duration 3parsecs
	usage "invalid duration '10' for --max-duration: expected a number and a unit ns, us, ms or s (e.g. 1ms, 250us, 1.5s)" --max-duration 10
	usage "--by needs --stats or --hist" --by pid
	usage "--hist and --top exclude each other" --hist --top
	usage "--stats summarizes every call; --min-duration filters streamed events" -s --min-duration 1ms
	usage "--hist needs exec times: drop --no-retprobe" --hist --no-retprobe
	usage "--min-duration needs exec times: drop --no-retprobe" --min-duration 1ms --no-retprobe
	usage "--min-duration is longer than --max-duration" --min-duration 2ms --max-duration 1ms
	usage "--stats prints summaries, no events: --limit does not apply" -s -l 5
	usage "--hist prints summaries, no events: --perfetto does not apply" --hist --perfetto "$T/p.json"
	usage "--max-duration filters streamed events; --top prints none" --top --max-duration 1s
	usage "--interval needs --top, --stats or --hist" -i 1
}

t_counts
t_by
t_quantiles
t_hist
t_interval
t_duration
t_bystack
t_usage
done_suite "stats${FTRACE_LOADER_ARGS:+ ($FTRACE_LOADER_ARGS)}"
