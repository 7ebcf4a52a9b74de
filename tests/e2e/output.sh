#!/bin/sh
# Output sinks end to end: JSON lines and the Perfetto trace read back by an
# independent reader (python3's json, tests/e2e/outcheck.py), -o, --comm,
# and the errors. Needs root.
#   FTRACE=... CALLS=... [FTRACE_LOADER_ARGS=--loader=libbpf] tests/e2e/output.sh
. "$(dirname "$0")/lib.sh"
CHECK="python3 $(dirname "$0")/outcheck.py"
LABEL=$(basename "$CALLS")
OFF_ARGS6=$("$CALLS" --offset ft_args6)

# outcheck ARGS...: one ok/nok from the reader's verdict
outcheck() {
	name=$1; shift
	if $CHECK "$@" > "$T/check" 2>&1; then ok "$name"; else nok "$name" "$(head -n 3 "$T/check")"; fi
}

t_json() {
	start_target a args 200
	trace user "$CALLS" ft_args6 -p "$PID_a" --format=json || { nok "json: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "json: exit status" "$FRC" 0
	outcheck "json: 200 calls read back exactly (python3 json)" json "$T/out" "$PID_a" 200 \
		"$REGS" "$RETV" "$LABEL" ft_args6 "$((OFF_ARGS6))"
	check_grep "json: messages stay on stderr" "400 events printed" "$T/err"
}

t_output_file() {
	start_target a args 50
	trace user "$CALLS" ft_args6 -p "$PID_a" -o "$T/events.txt" || { nok "-o: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "-o: exit status" "$FRC" 0
	check_eq "-o: nothing on stdout" "$(lines)" 0
	check_eq "-o: 50 entries in the file" "$(count "ENTRY" "$T/events.txt")" 50
	check_eq "-o: 50 returns in the file" "$(count " RET " "$T/events.txt")" 50
	check_grep "-o: summary on stderr" "100 events printed, 0 lost" "$T/err"
}

t_comm() {
	start_target a args 3
	trace user "$CALLS" ft_args6 -p "$PID_a" --comm || { nok "--comm: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--comm: every line names the thread" \
		"$(count "^\[calls:$PID_a,$PID_a\]\[$LABEL:ft_args6\] " "$T/out")" 6
	# the default format is unchanged
	start_target b args 3
	trace user "$CALLS" ft_args6 -p "$PID_b" || { nok "--comm: attach 2"; return; }
	release b; wait "$PID_b"
	finish_pid_trace
	check_eq "no --comm: [PID,TID] as before" "$(count "^\[$PID_b,$PID_b\]\[$LABEL:ft_args6\] " "$T/out")" 6
}

t_perfetto() {
	start_target r recurse 6
	trace user "$CALLS" ft_fact -p "$PID_r" --perfetto "$T/trace.json" || { nok "perfetto: attach"; return; }
	release r; wait "$PID_r"
	finish_pid_trace
	check_eq "perfetto: exit status" "$FRC" 0
	check_eq "perfetto: text still on stdout" "$(count "ENTRY" "$T/out")" 6
	outcheck "perfetto: 6 nested slices, balanced, depth 6" perfetto "$T/trace.json" 6 6 0
	# --limit stops after 6 entries and 2 returns: 4 calls are still open
	start_target s recurse 6
	trace user "$CALLS" ft_fact -p "$PID_s" --limit 8 --perfetto "$T/open.json" || { nok "perfetto: attach 2"; return; }
	release s; wait "$PID_s"
	finish_pid_trace
	outcheck "perfetto: calls open at the end are closed and marked" perfetto "$T/open.json" 6 6 4
	# JSON events to a file and the trace at once, two threads
	start_target t threads 3 20
	trace user "$CALLS" ft_args6 -p "$PID_t" --format=json -o "$T/ev.json" \
		--perfetto "$T/thr.json" || { nok "perfetto: attach 3"; return; }
	release t; wait "$PID_t"
	finish_pid_trace
	outcheck "perfetto: 3 threads x 20 calls, one track each" perfetto "$T/thr.json" 60 1 0
	check_eq "perfetto: 3 named thread tracks" \
		"$(python3 -c "import json,sys; print(sum(e['ph']=='M' and e['name']=='thread_name' for e in json.load(open(sys.argv[1]))['traceEvents']))" "$T/thr.json")" 3
	check_eq "json+perfetto: 120 JSON events" "$(grep -c '"type":"\(entry\|return\)"' "$T/ev.json")" 120
}

t_errors() {
	run_ftrace user "$CALLS" ft_args6 -o /nonexistent/dir/out.txt
	check_eq "-o unwritable: exit 1" "$FRC" 1
	check_eq "-o unwritable: one line" "$(cat "$T/err")" \
		"ftrace: cannot write '/nonexistent/dir/out.txt': No such file or directory"
	run_ftrace user "$CALLS" ft_args6 --perfetto /proc/version
	check_eq "--perfetto unwritable: exit 1" "$FRC" 1
	check_grep "--perfetto unwritable: names the file" "cannot write '/proc/version'" "$T/err"
	run_ftrace user "$CALLS" ft_args6 --format=xml
	check_eq "--format=xml: exit 2" "$FRC" 2
	check_eq "--format=xml: message" "$(cat "$T/err")" \
		"ftrace: invalid format 'xml': expected 'text' or 'json'"
	run_ftrace user "$CALLS" ft_args6 --format=json --comm
	check_eq "--comm with json: exit 2" "$FRC" 2
	run_ftrace user "$CALLS" ft_args6 --top -o "$T/x"
	check_eq "--top with -o: exit 2" "$FRC" 2
	check_grep "--top with -o: message" "draws a table; --output" "$T/err"
}

for t in json output_file comm perfetto errors; do
	want() { [ -z "${E2E_ONLY:-}" ] || [ "$E2E_ONLY" = "$1" ]; }
	want "$t" && "t_$t"
done
done_suite output
