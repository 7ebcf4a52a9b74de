#!/bin/sh
# Fault, stress and bad-input tests: exact and bounded in time. Root; POSIX sh.
#   FTRACE=... CALLS=... BAD=dir-from-mkbad tests/e2e/stress.sh
. "$(dirname "$0")/lib.sh"
BAD=${BAD:-}	# malformed files from tests/targets/mkbad (x86_64 host only)
finish() {
	if wait_gone "$FPID" "${1:-20}"; then wait "$FPID"; FRC=$?; else kill -9 "$FPID"; wait "$FPID"; FRC=99; fi
}

# -- bad input table: one clear line, exit 1 (2 for usage errors), never a
# signal, nothing attached
bad() {	# name expected-text ftrace-args...
	name=$1 want=$2; shift 2
	"$FTRACE" "$@" > "$T/out" 2> "$T/err"; rc=$?
	if { [ "$rc" = 1 ] || [ "$rc" = 2 ]; } && [ "$(wc -l < "$T/err" | tr -d ' ')" = 1 ] &&
	   grep -q -- "$want" "$T/err"; then
		ok "bad input: $name"
	else
		nok "bad input: $name" "exit $rc, want 1 or 2 and one line matching '$want'"
	fi
}
mkfifo "$T/fifo"
[ -n "$BAD" ] || skipped "malformed ELF files" "no BAD directory"
: > "$T/empty"
bad "empty file" "not an ELF file" user "$T/empty" foo
bad "directory" "is a directory" user "$T" foo
bad "/dev/null" "not a regular file" user /dev/null foo
bad "FIFO (must not block)" "not a regular file" user "$T/fifo" foo
[ -n "$BAD" ] && bad "truncated ELF header" "malformed or truncated ELF file" user "$BAD/trunc-header" foo
[ -n "$BAD" ] && bad "section table past EOF" "malformed or truncated ELF file" user "$BAD/shdr-past-eof" foo
[ -n "$BAD" ] && bad "symbol names out of range" "malformed or truncated ELF file" user "$BAD/bad-names" foo
[ -n "$BAD" ] && bad "huge symbol count" "malformed or truncated ELF file" user "$BAD/huge-symcount" foo
[ -n "$BAD" ] && bad "ELF of another machine and class" "ELF for i386 (32-bit)" user "$BAD/i386-header" foo
[ -n "$BAD" ] && bad "control characters in names stay on one line" "did you mean: .*ft_in??r" user "$BAD/ctrl-names" ft_innr
bad "negative offset" "unknown symbol '-0x10'" user "$CALLS" -- -0x10
bad "huge offset" "outside the file's executable code" user "$CALLS" 0xffffffffffffffff
bad "overflowing offset" "invalid offset" user "$CALLS" 0x1ffffffffffffffff
bad "negative PID" "invalid PID '-1'" user "$CALLS" ft_args6 -p -1
bad "huge PID" "invalid PID '99999999999999999999'" user "$CALLS" ft_args6 -p 99999999999999999999
bad "PID of a kernel thread" "kernel thread" user "$CALLS" ft_args6 -p 2
"$CALLS" zombie > "$T/zpid" &	# its child exits and stays unreaped
ZP=$!
i=0; while [ ! -s "$T/zpid" ] && [ $i -lt 40 ]; do i=$((i + 1)); sleep 0.05; done
ZPID=$(cat "$T/zpid"); sleep 0.2
if grep -q '^State:.*Z' "/proc/$ZPID/status" 2>/dev/null; then
	bad "PID of a zombie" "has exited (zombie)" user "$CALLS" ft_args6 -p "$ZPID"
else
	nok "zombie: could not make one"
fi
wait "$ZP"

# -- the traced process execs: same PID, new image, counting goes on exactly
start_target e exec 100 50
trace user "$CALLS" ft_args6 -p "$PID_e" || nok "exec: attach"
release e; wait "$PID_e"; trc=$?
finish
check_eq "exec: both images ran" "$trc" 0
check_eq "exec: 100 + 50 calls before and after exec" "$(count "^\[$PID_e,$PID_e\].*ENTRY" "$T/out") $(count "^\[$PID_e,$PID_e\].* RET " "$T/out")" "150 150"

# -- killed mid-trace: ftrace notices, drains, summary matches the lines
start_target k bench 100000000
trace user "$CALLS" ft_bench -p "$PID_k" || nok "kill: attach"
release k; sleep 0.5; kill -9 "$PID_k"; wait "$PID_k" 2>/dev/null
finish
check_eq "killed target: ftrace exits 0" "$FRC" 0
check_grep "killed target: says why" "traced process exited" "$T/err"
check_eq "killed target: summary = lines" "$(summary_printed)" "$(lines)"
diff=$(( $(count ENTRY "$T/out") - $(count ' RET ' "$T/out") ))
if [ "$diff" -ge 0 ] && [ "$diff" -le 1 ]; then ok "killed target: at most the interrupted call lacks a return"
else nok "killed target: entries - returns = $diff"; fi

# -- many threads at once
start_target t threads 16 2000
trace user "$CALLS" ft_args6 -p "$PID_t" || nok "threads: attach"
release t; wait "$PID_t"
finish
check_eq "16 threads: 32000 entries, 32000 returns, 0 lost" \
	"$(count ENTRY "$T/out") $(count ' RET ' "$T/out") $(sed -n 's/.* printed, \([0-9]*\) lost.*/\1/p' "$T/err")" "32000 32000 0"
check_eq "16 threads: 2000 calls each" \
	"$(grep ENTRY "$T/out" | sed 's/^\[[0-9]*,\([0-9]*\)\].*/\1/' | sort | uniq -c | awk '$1 == 2000' | wc -l | tr -d ' ')" 16

# -- signals under heavy load: clean drain, summary matches output
for sig in INT TERM HUP; do
	start_target h bench 3000000
	trace user "$CALLS" ft_bench || nok "$sig under load: attach"
	release h; sleep 0.7
	kill -"$sig" "$FPID"; finish
	check_eq "$sig under load: exit 0" "$FRC" 0
	check_eq "$sig under load: summary = lines" "$(summary_printed)" "$(lines)"
	wait "$PID_h"; check_eq "$sig under load: target unharmed" "$?" 0
done

# -- resource limits
( ulimit -n 16; exec "$FTRACE" user "$CALLS" ft_args6 ft_mid ft_fact ft_inner ft_outer ft_bench $XFLAGS ) > "$T/out" 2> "$T/err"; rc=$?
check_eq "RLIMIT_NOFILE 16, 6 targets: exit 1" "$rc" 1
check_grep "RLIMIT_NOFILE: clear message" "too many open files (raise the limit with ulimit -n)" "$T/err"
start_target m args 100
( ulimit -l 0; exec "$FTRACE" user "$CALLS" ft_args6 -p "$PID_m" $XFLAGS ) > "$T/out" 2> "$T/err" &
FPID=$!
i=0; while ! grep -q attached "$T/err" && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
release m; wait "$PID_m"; finish
check_eq "RLIMIT_MEMLOCK 0: still exact (100 entries)" "$(count ENTRY "$T/out")" 100

done_suite stress
