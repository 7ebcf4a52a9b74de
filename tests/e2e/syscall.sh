#!/bin/sh
# End-to-end tests of syscalls through tracepoints: kernel-mode syscall
# targets (the wrapper symbol, syscall:NAME), `ftrace syscall` with names,
# patterns and every syscall (raw_syscalls), arguments decoded by name,
# strings read in the kernel, errno names, JSON, --stats, -c, --cgroup, the
# flight recorder (SIGUSR1, the tracee's death, exit), bad input.
# POSIX sh, root, a kernel with syscall tracepoints (CONFIG_FTRACE_SYSCALLS).
#   FTRACE=path/to/ftrace CALLS=path/to/calls sh tests/e2e/syscall.sh
. "$(dirname "$0")/lib.sh"

# the getppid/lseek syscall functions by this kernel's naming
PFX=
for p in __x64_sys_ __riscv_sys_ __arm64_sys_ sys_; do
	grep -q " [Tt] ${p}lseek\$" /proc/kallsyms && { PFX=$p; break; }
done
[ -n "$PFX" ] || { echo "syscall: no lseek syscall function in /proc/kallsyms"; exit 1; }
# before Linux 5.15 (no BPF cookies) syscall tracepoints are refused in one
# line; the rest of this suite needs them
kv=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
if [ "$kv" -lt 515 ]; then
	"$FTRACE" ${FTRACE_LOADER_ARGS:-} syscall getppid -c true > "$T/out" 2> "$T/err"
	check_grep "before 5.15: one line, syscall tracepoints need BPF cookies" \
		"syscall tracepoints need BPF cookies (Linux 5.15+), which this kernel lacks\|the libbpf loader needs BPF cookies" "$T/err"
	check_eq "before 5.15: one line" "$(wc -l < "$T/err" | tr -d ' ')" 1
	done_suite syscall
	exit $?
fi
# where kprobes exist, the wrapper symbol goes through them unless forced
MECH=
[ -e /sys/bus/event_source/devices/kprobe ] && MECH="--mechanism tracepoint"
# the loader option before a command (after --, it would be its argument)
run_ftrace() { "$FTRACE" ${FTRACE_LOADER_ARGS:-} "$@" > "$T/out" 2> "$T/err"; FRC=$?; }
LSEEK='lseek(fd=0x3039, offset=0x1234, whence=0x7)'
OPENAT='openat(dfd=0xffffff9c, filename="/nonexistent/ftrace-test", flags=0x0, mode=0x'

# pid_run WHAT MODE ARGS -- FTRACE ARGS: trace target a (-p) through its run
pid_run() {
	what=$1; shift
	targs=
	while [ "$1" != -- ]; do targs="$targs $1"; shift; done
	shift
	# shellcheck disable=SC2086 # word lists
	start_target a $targs
	trace "$@" -p "$PID_a" || { nok "$what: attach"; return 1; }
	release a; wait "$PID_a"; trc=$?
	finish_pid_trace
	check_eq "$what: target ran, ftrace exit 0" "$trc $FRC" "0 0"
}

# N ENTRY and N RET lines of label L in out: "N N"
pairs() { echo "$(count "\]\[$1\] .*ENTRY" "$T/out") $(count "\]\[$1\] RET" "$T/out")"; }

t_getppid() {
	# shellcheck disable=SC2086
	pid_run "getppid" libc 100 -- kernel ${PFX}getppid $MECH -v || return
	L="<kernel>:${PFX}getppid"
	check_eq "getppid: 100 entries, 100 returns" "$(pairs "$L")" "100 100"
	check_eq "getppid: decoded" "$(count "\]\[$L\] .*ENTRY.* getppid()$" "$T/out")" 100
	# the target's parent is this shell
	check_eq "getppid: return value is the parent's pid" \
		"$(count "\]\[$L\] RET (ret=$$) exec_time_ns: 0\.[0-9]\{9\} seconds$" "$T/out")" 100
	check_eq "getppid: only the traced process" "$(grep -vc "^\[$PID_a,$PID_a\]" "$T/out")" 0
	check_grep "getppid: -v names the mechanism" "through tracepoint: 2 kernel links" "$T/err"
	check_grep "getppid: -v names the tracepoints" "attached tracepoint+sys_exit to $L" "$T/err"
}

t_lseek() {
	# shellcheck disable=SC2086
	pid_run "lseek" lseek 50 -- kernel ${PFX}lseek $MECH || return
	L="<kernel>:${PFX}lseek"
	check_eq "lseek: 50 entries, 50 returns" "$(pairs "$L")" "50 50"
	check_eq "lseek: arguments by name" "$(count "ENTRY.* $LSEEK$" "$T/out")" 50
	check_eq "lseek: -9 EBADF" "$(count " RET (ret=-9 EBADF) exec" "$T/out")" 50
	check_eq "lseek: reentry gaps" "$(count "\] REENTRY after 0\.[0-9]\{9\} seconds lseek(" "$T/out")" 49
}

t_syscall_target() {
	pid_run "syscall:openat" openat 20 -- kernel syscall:openat || return
	check_eq "syscall:openat: the path string" "$(count "\[syscall:openat\] .*ENTRY.* $OPENAT" "$T/out")" 20
	check_eq "syscall:openat: -2 ENOENT" "$(count "\[syscall:openat\] RET (ret=-2 ENOENT)" "$T/out")" 20
}

t_json() {
	pid_run "json" lseek 10 -- kernel syscall:lseek --format=json || return
	check_eq "json: args by name" \
		"$(count '"syscall":"lseek","args":{"fd":"0x3039","offset":"0x1234","whence":"0x7"}}$' "$T/out")" 10
	check_eq "json: ret typed, errno named" "$(count '"ret":-9,"errno":"EBADF"}$' "$T/out")" 10
	if command -v python3 > /dev/null; then
		check_eq "json: every line parses" "$(python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    o = json.loads(l)
    n += o.get("type") == "return" and o["ret"] == -9
print(n)' "$T/out")" 10
	fi
	pid_run "json string" openat 3 -- kernel syscall:openat --format=json || return
	check_eq "json: the string argument" \
		"$(count '"filename":"/nonexistent/ftrace-test"' "$T/out")" 3
}

t_filter() {
	pid_run "syscall lseek getppid" lseek 40 -- syscall lseek getppid -v || return
	check_eq "filter: 40 lseek calls" "$(pairs syscall:lseek)" "40 40"
	check_eq "filter: no other syscall" "$(grep -vc '\]\[syscall:\(lseek\|getppid\)\] ' "$T/out")" 0
	check_grep "filter: per-syscall tracepoints" "through tracepoint: 4 kernel links" "$T/err"
	pid_run "syscall 'get*pid'" libc 25 -- syscall 'get*pid' || return
	check_eq "pattern: 25 getppid calls" "$(pairs syscall:getppid)" "25 25"
	check_eq "pattern: decoded, the parent's pid" "$(count "RET (ret=$$) " "$T/out")" 25
	check_eq "pattern: nothing else" "$(lines)" 50
	pid_run "syscall lseek (raw_syscalls)" lseek 30 -- syscall lseek --mechanism raw_syscalls -v || return
	check_eq "raw_syscalls: 30 lseek calls" "$(pairs syscall:lseek)" "30 30"
	check_eq "raw_syscalls: decoded" "$(count "ENTRY.* $LSEEK$" "$T/out")" 30
	check_grep "raw_syscalls: -v names it" "through raw_syscalls: 2 kernel links" "$T/err"
}

t_all() {
	pid_run "syscall (all)" lseek 30 -- syscall -v || return
	check_eq "all: 30 lseek calls" "$(pairs syscall:lseek)" "30 30"
	check_eq "all: -9 EBADF" "$(count "\[syscall:lseek\] RET (ret=-9 EBADF)" "$T/out")" 30
	check_eq "all: the exit" "$(count "\[syscall:exit_group\] FIRST ENTRY exit_group(error_code=0x0)$" "$T/out")" 1
	check_eq "all: one process" "$(grep -vc "^\[$PID_a,$PID_a\]" "$T/out")" 0
	check_grep "all: through raw_syscalls" "through raw_syscalls" "$T/err"
}

t_stats_command() {
	run_ftrace syscall lseek getppid -s -c "$CALLS lseek 40"
	check_eq "--stats: exit 0" "$FRC" 0
	check_eq "--stats: 40 lseek calls" "$(awk '$1 == "syscall:lseek" { print $2 }' "$T/out")" 40
	check_eq "--stats: 0 getppid calls" "$(awk '$1 == "syscall:getppid" { print $2 }' "$T/out")" 0
	run_ftrace syscall lseek -- "$CALLS" lseek 12
	check_eq "-- CMD: exit 0" "$FRC" 0
	check_eq "-- CMD: 12 calls" "$(pairs syscall:lseek)" "12 12"
}

t_cgroup() {
	CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -z "$CG2" ]; then	# the VM: mount it
		mkdir -p "$T/cg2" && mount -t cgroup2 none "$T/cg2" 2>/dev/null && CG2=$T/cg2
	fi
	[ -n "$CG2" ] || { skipped "--cgroup" "no cgroup2"; return; }
	CG=$CG2/ftrace-e2e-$$
	mkdir "$CG" || { nok "--cgroup: mkdir $CG"; return; }
	start_target a libc 7
	start_target b libc 5
	echo "$PID_a" > "$CG/cgroup.procs"
	if trace syscall getppid --cgroup "$CG"; then
		release a; release b; wait "$PID_a" "$PID_b"
		sleep 0.2
		stop_trace INT
		check_eq "--cgroup: exit 0" "$FRC" 0
		check_eq "--cgroup: the process inside, all its calls" \
			"$(count "^\[$PID_a,$PID_a\]\[syscall:getppid\] .*ENTRY" "$T/out") $(count "^\[$PID_a,$PID_a\]\[syscall:getppid\] RET (ret=$$)" "$T/out")" "7 7"
		check_eq "--cgroup: none of the one outside" "$(count "^\[$PID_b," "$T/out")" 0
	else
		nok "--cgroup: attach"; release a; release b; wait "$PID_a" "$PID_b"
	fi
	rmdir "$CG"
	# a cgroup below the one given counts
	mkdir "$CG" "$CG/sub"
	start_target a lseek 9
	echo "$PID_a" > "$CG/sub/cgroup.procs"
	if trace syscall lseek --cgroup "$CG" -p "$PID_a"; then
		release a; wait "$PID_a"; finish_pid_trace
		check_eq "--cgroup: a cgroup below it" "$(pairs syscall:lseek)" "9 9"
	else
		nok "--cgroup below: attach"; release a; wait "$PID_a"
	fi
	rmdir "$CG/sub" "$CG"
	[ "$CG2" = "$T/cg2" ] && umount "$T/cg2"
}

# seq lines: the lseek offsets of the ENTRY lines, as decimal numbers
# the offsets of seq's lseek entries: decoded by name, or (a kprobe on the
# syscall function) the inner registers, args=(fd, offset, whence, ...), or
# (armv7l, riscv64 6.1: no wrapper, no BTF) the argument registers r0-r2/a0-a2
seq_offsets() {
	sed -n -e 's/.*ENTRY.* lseek(fd=0x1092, offset=0x\([0-9a-f]*\), whence=0x7)$/\1/p' \
		-e 's/.*ENTRY.* args=(0x1092, 0x\([0-9a-f]*\), 0x7, .*/\1/p' \
		-e 's/.*ENTRY.* [ra]0=0x1092, [ra]1=0x\([0-9a-f]*\), [ra]2=0x7,.*/\1/p' "$1" |
		while read -r h; do printf '%d\n' "0x$h"; done
}
# the first argument of ft_bench(i, s) entries (user target, any arch)
bench_args() {
	sed -n "s/.*\\]\\[$(basename "$CALLS"):ft_bench\\] .*ENTRY.* \\(di\\|r0\\|a0\\)=0x\\([0-9a-f]*\\),.*/\\2/p" "$1" |
		while read -r h; do printf '%d\n' "0x$h"; done
}
# gapless FILE LAST [PARSE]: the numbers (PARSE: seq_offsets) run up to
# LAST without a gap, and entries and returns alternate from a return on:
# "ok" or what is wrong
gapless() {
	${3:-seq_offsets} "$1" > "$T/offs"
	n=$(wc -l < "$T/offs" | tr -d ' ')
	[ "$n" -gt 0 ] || { echo "no entries"; return; }
	first=$(head -n 1 "$T/offs")
	want=$(seq "$first" "$2" | tr '\n' ' ')
	got=$(tr '\n' ' ' < "$T/offs")
	[ "$got" = "$want" ] || { echo "offsets $first..$(tail -n 1 "$T/offs") ($n) not consecutive up to $2"; return; }
	# the first record is the return of call first-1 (or the entry of first)
	kinds=$(grep -o '\] \(RET\|REENTRY\)' "$1" | tr -d '] ' | uniq -c | awk '$1 != 1' | wc -l)
	[ "$kinds" -eq 0 ] || { echo "entries and returns do not alternate"; return; }
	echo ok
}

# The flight recorder's buffers are per CPU: the tracee runs on CPU 0 so
# that one buffer holds it all and the counts are exact. x86_64: a record
# is 224 bytes, 4 of raw size and 4 of padding, 8 of perf header: 240.
PIN=
command -v taskset > /dev/null && PIN="taskset -c 0"
# kept_of ERRFILE: "KEPT OVERWRITTEN" of the last dump line
kept_of() { sed -n 's/.*: the newest \([0-9]*\) events (\([0-9]*\) older.*/\1 \2/p' "$1" | tail -n 1; }
# the exact count a pinned tracee leaves in a buffer of $PER bytes, or ""
fits() { case $("$FTRACE" --version) in *x86_64*) [ -n "$PIN" ] && echo $((PER / 240)) ;; esac; }

t_flight_death() {
	# shellcheck disable=SC2086 # $PIN: a word list
	run_ftrace syscall lseek --flight-recorder=64K -v -- $PIN "$CALLS" seqdie 5000 9
	check_eq "flight, death: exit status 137 (SIGKILL) passed on" "$FRC" 137
	check_grep "flight, -v: the perf buffers, overwritten in the kernel" \
		"^ftrace: flight recorder: a perf buffer of [0-9]* bytes per CPU on [0-9]* CPUs, overwritten in the kernel$" "$T/err"
	PER=$(sed -n 's/^ftrace: flight recorder: a perf buffer of \([0-9]*\) bytes per CPU on \([0-9]*\) .*/\1/p' "$T/err")
	NCPU=$(sed -n 's/^ftrace: flight recorder: a perf buffer of \([0-9]*\) bytes per CPU on \([0-9]*\) .*/\2/p' "$T/err")
	check_eq "flight, -v: SIZE / CPUs, a power of two of pages" \
		"$(awk -v p="$PER" -v n="$NCPU" 'BEGIN { q = p; while (q > 1 && q % 2 == 0) q /= 2;
			print (q == 1 && p >= 4096 && (p * n <= 65536 || p == 4096)) ? "ok" : p " x " n }')" ok
	check_grep "flight, death: names the signal" \
		"^ftrace: flight recorder, process [0-9]* killed by signal 9 (Killed): the newest [0-9]* events" "$T/err"
	held=$(kept_of "$T/err")
	check_eq "flight, death: kept + overwritten = 10000 events" "$(echo "$held" | awk '{ print $1 + $2 }')" 10000
	check_eq "flight, death: the lines are those kept" "$(lines)" "${held% *}"
	K=${held% *}
	[ -n "$(fits)" ] && check_eq "flight, death: $PER bytes keep $(fits) records" "$K" "$(fits)"
	check_eq "flight, death: the newest, no gap" "$(gapless "$T/out" 5000)" ok
	check_eq "flight, death: the last is call 5000's return" "$(tail -n 1 "$T/out" | grep -c 'RET (ret=-9 EBADF)')" 1
	# shellcheck disable=SC2086
	run_ftrace syscall lseek --flight-recorder=64K --format=json -- $PIN "$CALLS" seqdie 300 11
	check_grep "flight, death (json): names the signal" "killed by signal 11 (Segmentation fault)" "$T/err"
	grep '"type":"\(entry\|return\)"' "$T/out" > "$T/ev"
	check_eq "flight, death (json): as many as kept, the last call's return last" \
		"$(wc -l < "$T/ev" | tr -d ' ') $(tail -n 1 "$T/ev" | grep -c '"type":"return".*"ret":-9')" "$(kept_of "$T/err" | cut -d' ' -f1) 1"
	[ -n "$PIN" ] && check_eq "flight, death (json): $K events (pinned, as in text)" "$(wc -l < "$T/ev" | tr -d ' ')" "$K"
	check_eq "flight, death (json): the newest call's entry" \
		"$(tail -n 2 "$T/ev" | grep -c '"offset":"0x12c"')" 1
}

# start_pinned N: target a, seqpause N on CPU 0, waiting on its fifo
start_pinned() {
	rm -f "$T/seq.out" "$T/a.fifo" "$T/a.fifo.ready"; mkfifo "$T/a.fifo"
	# shellcheck disable=SC2086
	$PIN "$CALLS" -w "$T/a.fifo" seqpause "$1" > "$T/seq.out" &
	PID_a=$!; TARGET_PIDS="$TARGET_PIDS $!"
	i=0; while [ ! -e "$T/a.fifo.ready" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.02; done
}
wait_done() { i=0; while ! grep -q done "$T/seq.out" && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.05; done; }

t_flight_usr1() {
	start_pinned 3000
	trace syscall lseek --flight-recorder=64K -p "$PID_a" || { nok "flight, SIGUSR1: attach"; return; }
	release a
	wait_done
	sleep 0.2
	check_eq "flight: nothing printed while running" "$(lines)" 0
	kill -USR1 "$FPID"
	i=0; while ! grep -q "on SIGUSR1" "$T/err" && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
	sleep 0.3
	cp "$T/out" "$T/usr1.out"
	k1=$(kept_of "$T/err" | cut -d' ' -f1)
	check_eq "flight, SIGUSR1: as many as kept, the newest, no gap" \
		"$(lines) $(gapless "$T/usr1.out" 3000)" "$k1 ok"
	[ -n "$PIN" ] && check_eq "flight, SIGUSR1: $K events (pinned)" "$k1" "$K"
	check_eq "flight, SIGUSR1: kept + overwritten = 6000" "$(kept_of "$T/err" | awk '{ print $1 + $2 }')" 6000
	check_eq "flight, SIGUSR1: recording goes on" "$(kill -0 "$FPID" && echo yes)" yes
	kill -TERM "$PID_a"; wait "$PID_a"
	finish_pid_trace
	check_eq "flight, -p death: exit 0" "$FRC" 0
	check_grep "flight, -p death: names the signal (or says it exited)" \
		"^ftrace: flight recorder, process $PID_a \(killed by signal 15 (Terminated)\|exited\): the newest 0 events (0 older" "$T/err"
	check_eq "flight, -p death: what the SIGUSR1 dump wrote is not repeated" "$(lines)" "$k1"
}

# The buffer is in the kernel and of fixed size: 100000 calls (200000
# records, 48 MB) through 16M leave ftrace's memory as it was, and the dump
# is exactly the newest that fit, contiguous.
t_flight_fixed() {
	start_pinned 100000
	trace syscall lseek --flight-recorder=16M -v -p "$PID_a" || { nok "flight, fixed: attach"; return; }
	rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$FPID/status")
	release a
	wait_done
	sleep 0.3
	rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$FPID/status")
	check_eq "flight, fixed: 48 MB of records, ftrace's RSS grew less than 1 MB" \
		"$([ $((rss1 - rss0)) -lt 1024 ] && echo yes || echo "$rss0 -> $rss1 kB")" yes
	PER=$(sed -n 's/^ftrace: flight recorder: a perf buffer of \([0-9]*\) bytes per CPU.*/\1/p' "$T/err")
	kill -TERM "$PID_a"; wait "$PID_a"
	finish_pid_trace
	held=$(kept_of "$T/err")
	check_eq "flight, fixed: kept + overwritten = 200000" "$(echo "$held" | awk '{ print $1 + $2 }')" 200000
	check_eq "flight, fixed: the lines are those kept" "$(grep -c 'syscall:lseek' "$T/out")" "${held% *}"
	[ -n "$(fits)" ] && check_eq "flight, fixed: $PER bytes keep exactly $(fits)" "${held% *}" "$(fits)"
	check_eq "flight, fixed: the newest, no gap" "$(gapless "$T/out" 100000)" ok
}

# a user target and a kernel one (kprobes where there are: the VMs)
t_flight_targets() {
	# shellcheck disable=SC2086
	run_ftrace user "$CALLS" ft_bench --flight-recorder=64K $XFLAGS -- $PIN "$CALLS" bench 3000
	check_grep "flight, user: at the process's end" "^ftrace: flight recorder, process [0-9]* exited with status 0: " "$T/err"
	check_eq "flight, user: kept + overwritten = 6000" "$(kept_of "$T/err" | awk '{ print $1 + $2 }')" 6000
	check_eq "flight, user: the newest ft_bench calls, no gap" "$(gapless "$T/out" 2999 bench_args)" ok
	# shellcheck disable=SC2086
	run_ftrace kernel ${PFX}lseek --flight-recorder=64K -- $PIN "$CALLS" seqdie 3000 9
	check_grep "flight, kernel: names the signal" "^ftrace: flight recorder, process [0-9]* killed by signal 9 (Killed): " "$T/err"
	check_eq "flight, kernel: kept + overwritten = 6000" "$(kept_of "$T/err" | awk '{ print $1 + $2 }')" 6000
	check_eq "flight, kernel: the newest, no gap" "$(gapless "$T/out" 3000)" ok
}

t_flight_exit() {
	pid_run "flight, at exit" lseek 100 -- syscall lseek --flight-recorder || return
	check_grep "flight, at exit: the process's end" "^ftrace: flight recorder, process $PID_a exited" "$T/err"
	check_eq "flight, at exit: all 200 events (4M)" "$(lines) $(pairs syscall:lseek)" "200 100 100"
	start_target a lseek 20
	trace syscall lseek --flight-recorder=1M || { nok "flight, Ctrl-C: attach"; return; }
	release a; wait "$PID_a"
	sleep 0.2
	stop_trace INT
	check_grep "flight, Ctrl-C: written at exit" "^ftrace: flight recorder, at exit: " "$T/err"
	check_eq "flight, Ctrl-C: the 20 calls" "$(count "^\[$PID_a,$PID_a\]\[syscall:lseek\] .*ENTRY" "$T/out")" 20
}

# usage ARGS...: exit 2 and one line; runtime ARGS: exit 1 and one line
usage() {
	run_ftrace "$@"
	check_eq "usage: $*: exit 2, one line" "$FRC $(wc -l < "$T/err" | tr -d ' ')" "2 1"
}
runtime() {
	run_ftrace "$@"
	check_eq "error: $*: exit 1, one line" "$FRC $(wc -l < "$T/err" | tr -d ' ')" "1 1"
}

t_errors() {
	runtime syscall nosuchsyscall
	check_grep "unknown syscall named" "unknown syscall 'nosuchsyscall'" "$T/err"
	runtime syscall 'zz*'
	check_grep "empty pattern named" "pattern 'zz\*' matches no syscall" "$T/err"
	runtime kernel syscall:nosuchsyscall
	check_grep "syscall:NAME without a tracepoint" "no tracepoint syscalls:sys_enter_nosuchsyscall" "$T/err"
	runtime kernel vfs_read --mechanism tracepoint
	check_grep "tracepoint: syscalls only" "is not a syscall" "$T/err"
	runtime syscall getppid --cgroup /nonexistent/cg
	runtime syscall getppid --cgroup /tmp
	check_grep "--cgroup: not cgroup v2" "not a cgroup v2 directory" "$T/err"
	usage kernel vfs_read --mechanism raw_syscalls
	usage syscall --mechanism kprobe
	usage syscall --flight-recorder=1K
	usage syscall --flight-recorder --stats
	usage syscall --cgroup ''
	usage nosuchmode
}

t_getppid
t_lseek
t_syscall_target
t_json
t_filter
t_all
t_stats_command
t_cgroup
t_flight_death
t_flight_usr1
t_flight_fixed
t_flight_targets
t_flight_exit
t_errors
done_suite syscall
