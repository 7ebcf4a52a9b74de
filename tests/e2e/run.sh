#!/bin/sh
# End-to-end tests: really attach uprobes and check every event.
# POSIX sh (runs under busybox in the VMs too). Needs root.
#   FTRACE=path/to/ftrace CALLS=path/to/calls [CALLS_NOPIE=...] tests/e2e/run.sh
# Optional: E2E_NO_LIBC=1 (no dynamic libc on this system), E2E_ONLY=name,
# FTRACE_LOADER_ARGS=--loader=libbpf (appended to every tracing command).
. "$(dirname "$0")/lib.sh"
CALLS_NOPIE=${CALLS_NOPIE:-}
THUMB=${THUMB:-}
LABEL=$(basename "$CALLS")
OFF_ARGS6=$("$CALLS" --offset ft_args6)
OFF_MID=$("$CALLS" --offset ft_mid_label)

want() { [ -z "${E2E_ONLY:-}" ] || [ "$E2E_ONLY" = "$1" ]; }

t_exact_counts() {
	start_target a args 1000
	trace user "$CALLS" ft_args6 -p "$PID_a" || { nok "exact: attach"; return; }
	release a; wait "$PID_a"; trc=$?
	finish_pid_trace
	check_eq "exact: target ran correctly under tracing" "$trc" 0
	check_eq "exact: ftrace exit status" "$FRC" 0
	check_eq "exact: 1000 entries" "$(count "ENTRY" "$T/out")" 1000
	check_eq "exact: 1000 returns" "$(count " RET " "$T/out")" 1000
	check_eq "exact: one FIRST ENTRY" "$(count "FIRST ENTRY" "$T/out")" 1
	check_eq "exact: 999 REENTRY" "$(count "REENTRY after 0\.[0-9]\{9\} seconds" "$T/out")" 999
	check_eq "exact: every entry has the known arguments" \
		"$(count "\[$PID_a,$PID_a\]\[$LABEL:ft_args6\] .*ENTRY.* $REGS" "$T/out")" 1000
	check_eq "exact: every return has the known value" \
		"$(count "\] RET ($RETREG=$RETV) exec_time_ns: 0\.[0-9]\{9\} seconds$" "$T/out")" 1000
	check_grep "exact: summary counts" "2000 events printed, 0 lost (traced process exited)" "$T/err"
	# entries and returns alternate: E R E R ...
	check_eq "exact: entries and returns alternate" \
		"$(awk '/ENTRY/{if(s!=0)bad++; s=1} / RET /{if(s!=1)bad++; s=0} END{print bad+0}' "$T/out")" 0
}

# 20,000 short-lived threads, one after another, each calling once: more
# threads than the per-thread stack map holds (8192), so it only works if
# exited threads give their state back
t_thread_churn() {
	start_target c churn 20000
	trace user "$CALLS" ft_args6 -p "$PID_c" || { nok "churn: attach"; return; }
	release c; wait "$PID_c"; trc=$?
	finish_pid_trace
	check_eq "churn: target ran correctly" "$trc" 0
	check_eq "churn: 20000 entries" "$(count "ENTRY" "$T/out")" 20000
	check_eq "churn: 20000 returns, every one timed" \
		"$(count " RET ($RETREG=$RETV) exec_time_ns: 0\.[0-9]\{9\} seconds$" "$T/out")" 20000
	# a thread that gets an exited thread's recycled tid is seen re-entering
	# (small pid_max in the VMs), so FIRST + REENTRY together
	check_eq "churn: 20000 entries of 20000 threads, FIRST or REENTRY" \
		"$(count "FIRST ENTRY\|REENTRY after" "$T/out")" 20000
	check_eq "churn: no per-thread state missed" "$(count "per-thread state\|not timed" "$T/err")" 0
}

t_recursion() {
	start_target r recurse 6
	trace user "$CALLS" ft_fact -p "$PID_r" || { nok "recursion: attach"; return; }
	release r; wait "$PID_r"
	finish_pid_trace
	check_eq "recursion: 6 entries then 6 returns" \
		"$(awk '/ENTRY/{printf "E"} / RET /{printf "R"} END{print ""}' "$T/out")" EEEEEERRRRRR
	# arguments 6,5,...,1 on entry; returns 1,2,6,24,120,720
	check_eq "recursion: arguments in order" \
		"$(grep ENTRY "$T/out" | sed "s/.* $ARG0=\(0x[0-9a-f]*\).*/\1/" | tr '\n' ' ')" \
		"0x6 0x5 0x4 0x3 0x2 0x1 "
	check_eq "recursion: return values" \
		"$(grep ' RET ' "$T/out" | sed 's/.*=\(0x[0-9a-f]*\)).*/\1/' | tr '\n' ' ')" \
		"0x1 0x2 0x6 0x18 0x78 0x2d0 "
	# each outer call lasts longer than the call it contains
	check_eq "recursion: exec times strictly nested" \
		"$(grep ' RET ' "$T/out" | sed 's/.*exec_time_ns: \([0-9.]*\) .*/\1/' |
			awk 'NR>1 && $1<=p{bad++} {p=$1} END{print bad+0}')" 0
}

t_nested_targets() {
	start_target n nested 10
	trace user "$CALLS" ft_outer ft_inner -p "$PID_n" || { nok "several targets: attach"; return; }
	release n; wait "$PID_n"
	finish_pid_trace
	check_eq "several targets: 10 ft_outer entries" "$(count ":ft_outer\] .*ENTRY" "$T/out")" 10
	check_eq "several targets: 20 ft_inner entries" "$(count ":ft_inner\] .*ENTRY" "$T/out")" 20
	check_eq "several targets: 60 lines" "$(wc -l < "$T/out" | tr -d ' ')" 60
	check_eq "several targets: time-ordered nesting" \
		"$(head -n 6 "$T/out" | sed 's/.*:\(ft_[a-z]*\)\] \([A-Z]*\).*/\1-\2/' | tr '\n' ' ')" \
		"ft_outer-FIRST ft_inner-FIRST ft_inner-RET ft_inner-REENTRY ft_inner-RET ft_outer-RET "
	check_eq "several targets: outer exec time covers both inner calls" \
		"$(head -n 6 "$T/out" | awk -F'exec_time_ns: ' '/ RET /{split($2,a," "); t[NR]=a[1]} END{print (t[6] > t[3] + t[5]) ? "yes" : "no"}')" yes
}

t_pid_filter() {
	start_target a args 200
	start_target b args 200
	trace user "$CALLS" ft_args6 -p "$PID_a" || { nok "pid filter: attach"; return; }
	release b; release a; wait "$PID_a"; wait "$PID_b"
	finish_pid_trace
	check_eq "pid filter: all 400 events from the chosen process" \
		"$(count "^\[$PID_a,$PID_a\]" "$T/out")" 400
	check_eq "pid filter: none from the other" "$(count "^\[$PID_b," "$T/out")" 0
}

# what a call defines: who, which target, entry kind, the argument registers,
# the return value (timings and scratch registers vary from run to run)
defined() {
	awk -v regs="$REGS" '{
		kind = /FIRST ENTRY/ ? "first" : / REENTRY / ? "entry" : "ret"
		extra = index($0, regs) ? "args-ok" : "-"
		if (kind == "ret") { match($0, /RET \([^)]*\)/); extra = substr($0, RSTART, RLENGTH) }
		print $1, kind, extra
	}'
}

t_offset_equals_symbol() {
	start_target a args 50
	trace user "$CALLS" "$OFF_ARGS6" -p "$PID_a" || { nok "offset: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	sed "s/$OFF_ARGS6/ft_args6/" "$T/out" | defined > "$T/by_offset"
	check_eq "offset: 50 entries and 50 returns" "$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "50 50"
	start_target b args 50
	trace user "$CALLS" ft_args6 -p "$PID_b" || { nok "offset: attach 2"; return; }
	release b; wait "$PID_b"
	finish_pid_trace
	sed "s/$PID_b/$PID_a/g" "$T/out" | defined > "$T/by_symbol"
	if cmp -s "$T/by_offset" "$T/by_symbol"; then ok "offset: same events as the symbol"
	else nok "offset: same events as the symbol" "$(diff "$T/by_offset" "$T/by_symbol" | head -n 4)"; fi
}

t_mid_function() {
	start_target m args 3
	trace user "$CALLS" "$OFF_MID" -p "$PID_m" || { nok "mid-function: attach"; return; }
	release m; wait "$PID_m"; trc=$?
	finish_pid_trace
	check_eq "mid-function: target unharmed" "$trc" 0
	check_grep "mid-function: says where" "$OFF_MID is ft_mid+0x" "$T/err"
	check_grep "mid-function: entry probe only" "entry probe only" "$T/err"
	check_eq "mid-function: 1 entry, no return" "$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "1 0"
}

t_threads() {
	start_target t threads 4 250
	trace user "$CALLS" ft_args6 -p "$PID_t" || { nok "threads: attach"; return; }
	release t; wait "$PID_t"
	finish_pid_trace
	check_eq "threads: 1000 entries, 1000 returns" \
		"$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "1000 1000"
	check_eq "threads: 4 threads, 250 entries each" \
		"$(grep ENTRY "$T/out" | sed 's/^\[[0-9]*,\([0-9]*\)\].*/\1/' | sort | uniq -c | awk '{print $1}' | tr '\n' ' ')" \
		"250 250 250 250 "
	check_eq "threads: one FIRST ENTRY per thread" "$(count "FIRST ENTRY" "$T/out")" 4
}

t_fork() {
	start_target f forkexec 100
	trace user "$CALLS" ft_args6 -p "$PID_f" || { nok "fork: attach"; return; }
	release f; wait "$PID_f"; trc=$?
	finish_pid_trace
	check_eq "fork: parent and child ran correctly" "$trc" 0
	check_eq "fork: -p traces the parent only (100 calls)" "$(count "^\[$PID_f,$PID_f\].*ENTRY" "$T/out")" 100
	check_eq "fork: nothing from the child" "$(grep -vc "^\[$PID_f," "$T/out")" 0
	start_target g forkexec 100
	trace user "$CALLS" ft_args6 || { nok "fork: attach system-wide"; return; }
	release g; wait "$PID_g"
	sleep 0.2; stop_trace INT
	check_eq "fork: system-wide sees both (200 entries, 2 processes)" \
		"$(grep ENTRY "$T/out" | grep -c ":ft_args6\]") $(grep ENTRY "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')" "200 2"
}

t_alias_and_timestamps() {
	start_target a args 20
	trace user "$CALLS" ft_args6 ft_args6_alias -p "$PID_a" -t || { nok "alias: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_grep "alias: one target for two names" "attached [0-9]* probes to 1 targets" "$T/err"
	check_eq "alias: 20 entries, not 40" "$(count ENTRY "$T/out")" 20
	check_eq "-t: every line starts with HH:MM:SS.nnnnnnnnn" \
		"$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]\{9\} \[' "$T/out")" 40
}

t_verbose() {
	start_target v args 5
	trace user "$CALLS" ft_args6 -p "$PID_v" -v || { nok "-v: attach"; return; }
	release v; wait "$PID_v"
	finish_pid_trace
	check_grep "-v: verifier statistics per program" "^processed [0-9]* insns" "$T/err"
	check_grep "-v: what was attached where" "attached uprobe[_a-z]*+uretprobe[_a-z]* to $LABEL:ft_args6 (.* offset $OFF_ARGS6)" "$T/err"
	check_eq "-v: events unchanged (5 + 5)" "$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "5 5"
}

t_go_binary() {
	if ! command -v objcopy > /dev/null 2>&1; then skipped "Go binary" "no objcopy"; return; fi
	# the target, marked as a Go program the way the Go linker marks them
	printf 'go build id' > "$T/buildid"
	objcopy --add-section .note.go.buildid="$T/buildid" "$CALLS" "$T/gocalls" ||
		{ nok "Go binary: objcopy"; return; }
	run_ftrace user "$T/gocalls" ft_args6
	check_eq "Go binary: return probes refused (exit 1)" "$FRC" 1
	check_grep "Go binary: says why and how to go on" \
		"refusing return probes: Go programs move their stacks, and return probes crash them (use --no-retprobe, or --force" "$T/err"
	CALLS_BIN=$T/gocalls
	start_target g args 10
	CALLS_BIN=$CALLS
	trace user "$T/gocalls" ft_args6 -p "$PID_g" --no-retprobe || { nok "Go binary: --no-retprobe attach"; return; }
	release g; wait "$PID_g"
	finish_pid_trace
	check_eq "Go binary: --no-retprobe traces entries only" "$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "10 0"
	CALLS_BIN=$T/gocalls
	start_target h args 10
	CALLS_BIN=$CALLS
	trace user "$T/gocalls" ft_args6 -p "$PID_h" --force || { nok "Go binary: --force attach"; return; }
	release h; wait "$PID_h"
	finish_pid_trace
	check_grep "Go binary: --force warns" "return probe forced although Go programs move their stacks" "$T/err"
	check_eq "Go binary: --force attaches both" "$(count ENTRY "$T/out") $(count ' RET ' "$T/out")" "10 10"
}

t_pid_self() {
	# a shell starts ftrace -p self, then becomes the target (exec, same PID)
	: > "$T/out"; : > "$T/err"
	sh -c 'ft=$1 calls=$2 t=$3; shift 3
		"$ft" user "$calls" ft_args6 -p self "$@" > "$t/out" 2> "$t/err" &
		i=0; while ! grep -q attached "$t/err" && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
		echo $$ > "$t/self.pid"
		exec "$calls" args 7' sh "$FTRACE" "$CALLS" "$T" $XFLAGS ${FTRACE_LOADER_ARGS:-}
	i=0; while [ ! -s "$T/self.pid" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
	sp=$(cat "$T/self.pid")
	i=0; while ! grep -q "events printed" "$T/err" && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	check_eq "-p self: the starting process's 7 calls, nobody else's" \
		"$(count "^\[$sp,$sp\].*ENTRY" "$T/out") $(grep -vc "^\[$sp," "$T/out")" "7 0"
	check_grep "-p self: ends when that process exits" "traced process exited" "$T/err"
}

t_limit() {
	start_target l args 1000
	trace user "$CALLS" ft_args6 -p "$PID_l" --limit 10 || { nok "limit: attach"; return; }
	release l
	wait_gone "$FPID" 10; wait "$FPID"; FRC=$?
	wait "$PID_l"; trc=$?
	check_eq "limit: exit 0" "$FRC" 0
	check_eq "limit: exactly 10 lines" "$(wc -l < "$T/out" | tr -d ' ')" 10
	check_grep "limit: says why it stopped" "10 events printed.*--limit reached" "$T/err"
	check_eq "limit: target unharmed after detach" "$trc" 0
}

t_signals() {
	for sig in INT TERM HUP; do
		start_target s args 100
		trace user "$CALLS" ft_args6 || { nok "signal $sig: attach"; return; }
		release s; wait "$PID_s"
		stop_trace $sig
		check_eq "signal $sig: exit 0 after drain" "$FRC" 0
		check_grep "signal $sig: summary" "^ftrace: 200 events printed, 0 lost$" "$T/err"
	done
}

t_sigkill_leaves_nothing() {
	# a private copy: no other tracer can have probes on this inode
	cp "$CALLS" "$T/calls-kill"
	CALLS_BIN=$T/calls-kill
	start_target k args 10
	CALLS_BIN=$CALLS
	trace user "$T/calls-kill" ft_args6 || { nok "SIGKILL: attach"; return; }
	kill -9 "$FPID"; wait "$FPID" 2>/dev/null
	release k; wait "$PID_k"
	"$T/calls-kill" uprobed 100; rc=$?
	check_eq "SIGKILL: no uprobe remains armed" "$rc" 0
	# and the check can fail: with ftrace alive, the mapping is there
	trace user "$T/calls-kill" ft_args6 || { nok "SIGKILL: attach 2"; return; }
	"$T/calls-kill" uprobed 100; rc=$?
	stop_trace INT
	check_eq "SIGKILL: the [uprobes] check sees a live probe" "$rc" 4
}

t_self_exclusion() {
	# B traces ftrace's own event callback system-wide while A runs: B must
	# see A's 200 callbacks and never its own (no feedback loop).
	start_target a args 100
	trace user "$CALLS" ft_args6 -p "$PID_a" || { nok "self: attach A"; return; }
	APID=$FPID
	mv "$T/err" "$T/errA"
	"$FTRACE" user "$FTRACE" on_event $XFLAGS ${FTRACE_LOADER_ARGS:-} > "$T/outB" 2> "$T/errB" &
	BPID=$!
	i=0; while ! grep -q attached "$T/errB" && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
	release a; wait "$PID_a"
	wait_gone "$APID" 10; wait "$APID"
	sleep 0.3; kill -INT "$BPID"; wait_gone "$BPID" 10; wait "$BPID"
	check_eq "self: B saw A's 200 callbacks (entry+return)" "$(grep -c "^\[$APID," "$T/outB")" 400
	check_eq "self: B never saw itself" "$(grep -c "^\[$BPID," "$T/outB")" 0
}

t_overflow() {
	# ftrace's stdout is a FIFO nobody reads for 3 s: its consumer stalls and
	# the 4K ring overflows whatever the machine's speed
	start_target o args 20000
	rm -f "$T/pipe"; mkfifo "$T/pipe"
	(exec 3< "$T/pipe"; sleep 3; cat <&3 > "$T/out") &
	READER=$!
	"$FTRACE" user "$CALLS" ft_args6 -p "$PID_o" -b 4096 $XFLAGS 2> "$T/err" > "$T/pipe" &
	FPID=$!
	i=0; while ! grep -q "attached .* probes" "$T/err" && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	release o; wait "$PID_o"
	if wait_gone "$FPID" 60; then wait "$FPID"; FRC=$?; else kill -9 "$FPID"; FRC=99; fi
	wait "$READER"
	check_eq "overflow: exit 0" "$FRC" 0
	printed=$(sed -n 's/^ftrace: \([0-9]*\) events printed, \([0-9]*\) lost.*/\1/p' "$T/err")
	lost=$(sed -n 's/^ftrace: \([0-9]*\) events printed, \([0-9]*\) lost.*/\2/p' "$T/err")
	check_eq "overflow: printed + lost = produced (40000)" "$((${printed:-0} + ${lost:-0}))" 40000
	check_eq "overflow: printed = lines" "$(wc -l < "$T/out" | tr -d ' ')" "${printed:-none}"
	if [ "${lost:-0}" -gt 0 ]; then ok "overflow: losses reported ($lost)"; else nok "overflow: losses reported"; fi
	check_grep "overflow: reported while running" "events lost so far" "$T/err"
}

t_libc() {
	if [ -n "${E2E_NO_LIBC:-}" ]; then skipped "libc" "no dynamic libc here"; return; fi
	start_target c libc 77
	trace user libc.so.6 getppid strlen -p "$PID_c" || { nok "libc: attach"; return; }
	release c; wait "$PID_c"
	finish_pid_trace
	check_eq "libc: bare name, 77 getppid calls" "$(count "\[libc.so.6:getppid\] .*ENTRY" "$T/out")" 77
	check_grep "libc: IFUNC strlen resolved to its implementation" "strlen is an IFUNC; attached to the implementation" "$T/err"
	check_eq "libc: 77 strlen calls, returning 12" \
		"$(count "\[libc.so.6:strlen\] RET (${RETREG}=0xc)" "$T/out")" 77
}

t_nopie() {
	if [ -z "$CALLS_NOPIE" ]; then skipped "non-PIE" "no CALLS_NOPIE"; return; fi
	CALLS_BIN=$CALLS_NOPIE
	start_target p args 30
	trace user "$CALLS_NOPIE" ft_args6 -p "$PID_p" || { nok "non-PIE: attach"; CALLS_BIN=$CALLS; return; }
	release p; wait "$PID_p"
	finish_pid_trace
	CALLS_BIN=$CALLS
	check_eq "non-PIE: 30 entries with the known arguments" "$(count "ENTRY.* $REGS" "$T/out")" 30
}

t_errors() {
	run_ftrace user /nonexistent/libfoo.so foo
	check_eq "error: missing file exits 1" "$FRC" 1
	check_grep "error: missing file message" "^ftrace: /nonexistent/libfoo.so: no such file$" "$T/err"
	echo "just text" > "$T/text"
	run_ftrace user "$T/text" foo
	check_grep "error: not ELF" "^ftrace: $T/text: not an ELF file$" "$T/err"
	run_ftrace user /tmp foo
	check_grep "error: directory" "is a directory" "$T/err"
	run_ftrace user /dev/null foo
	check_grep "error: /dev/null" "not a regular file" "$T/err"
	check_eq "error: exits 1" "$FRC" 1
	# an ELF header for 32-bit ARM (or x86_64 when we are ARM), no sections
	if grep -q x86_64 "$T/err" 2>/dev/null || "$FTRACE" --version | grep -q x86_64; then
		printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\002\000\050\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\064\000\040\000\000\000\050\000\000\000\000\000' > "$T/arm.elf"
		run_ftrace user "$T/arm.elf" foo
		check_grep "error: ELF of another architecture" "ELF for ARM (32-bit), but this ftrace traces x86_64" "$T/err"
	fi
	run_ftrace user "$CALLS" ft_args7
	check_grep "error: unknown symbol suggests close names" "unknown symbol 'ft_args7'; did you mean: ft_args6" "$T/err"
	check_eq "error: unknown symbol exits 1" "$FRC" 1
	run_ftrace user "$CALLS" ft_data
	check_grep "error: data symbol" "'ft_data' is a data object, not a function" "$T/err"
	run_ftrace user "$CALLS" 0x7ffffff0
	check_grep "error: offset outside code" "offset 0x7ffffff0 is outside the file's executable code" "$T/err"
	if [ -n "$THUMB" ]; then
		run_ftrace user "$THUMB" ft_thumb
		check_grep "error: Thumb function refused" "'ft_thumb' is Thumb code" "$T/err"
		run_ftrace user "$CALLS" ft_args6
		check_grep "error: return probes refused in a binary with Thumb code" \
			"refusing return probes: this binary contains Thumb code" "$T/err"
		check_eq "error: Thumb exits 1" "$FRC" 1
	fi
	run_ftrace user "$CALLS" 0xffffffffffffffffff
	check_grep "error: overflowing offset" "invalid offset" "$T/err"
	run_ftrace user "$CALLS" 0xzz
	check_grep "error: malformed offset" "invalid offset '0xzz'" "$T/err"
	run_ftrace user "$CALLS" ft_args6 -p 999999999
	check_grep "error: no such PID" "no such process: 999999999" "$T/err"
	run_ftrace user "$CALLS" ft_args6 -p 2
	check_grep "error: kernel thread" "kernel thread" "$T/err"
	run_ftrace user "$CALLS" ft_args6 -p abc
	check_grep "error: bad PID" "invalid PID 'abc'" "$T/err"
	check_eq "error: usage errors exit 2" "$FRC" 2
	run_ftrace user "$CALLS" ft_args6 -b 1000
	check_grep "error: buffer size" "invalid buffer size '1000'" "$T/err"
	run_ftrace user "$CALLS" ft_args6 --limit 0
	check_grep "error: limit" "invalid limit '0'" "$T/err"
	run_ftrace frob x
	check_grep "error: unknown mode" "unknown mode 'frob'" "$T/err"
	run_ftrace user "$CALLS"
	check_grep "error: missing target" "missing TARGET" "$T/err"
	if setpriv --reuid=65534 true > /dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$FTRACE" user "$CALLS" ft_args6 ${FTRACE_LOADER_ARGS:-} > "$T/out" 2> "$T/err"
		FRC=$?
		check_grep "error: not root" "permission denied.*run as root (or with CAP_BPF and CAP_PERFMON)" "$T/err"
		check_eq "error: not root exits 1" "$FRC" 1
	else
		skipped "not root" "no util-linux setpriv"
	fi
	run_ftrace user "$CALLS" ft_args7
	check_eq "error: one line each" "$(wc -l < "$T/err" | tr -d ' ')" 1
}

for t in exact_counts recursion nested_targets pid_filter offset_equals_symbol \
	mid_function threads fork alias_and_timestamps verbose go_binary pid_self limit signals sigkill_leaves_nothing \
	self_exclusion overflow libc nopie errors thread_churn; do
	want "$t" && "t_$t"
done
done_suite e2e
