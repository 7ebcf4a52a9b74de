#!/bin/sh
# Kernel-mode end-to-end tests (kprobes, fentry). POSIX sh; run as root on a
# kernel with kprobes — in the VM (make vm-test), since the CI host has none.
#   FTRACE=path/to/ftrace CALLS=path/to/calls tests/e2e/kernel.sh
. "$(dirname "$0")/lib.sh"

# the lseek syscall's kernel function, by this kernel's naming
SYS=
for s in __x64_sys_lseek __riscv_sys_lseek __arm64_sys_lseek sys_lseek; do
	grep -q " [Tt] $s\$" /proc/kallsyms && { SYS=$s; break; }
done
[ -n "$SYS" ] || { echo "kernel: no lseek syscall function in /proc/kallsyms"; exit 1; }
ADDR=0x$(grep " [Tt] $SYS\$" /proc/kallsyms | head -n 1 | cut -d' ' -f1)
case $("$FTRACE" --version) in
*armv7l*) RET=0xfffffff7 ;;
*) RET=0xfffffffffffffff7 ;;
esac
# a pt_regs syscall wrapper gets its arguments decoded; else they are the registers
case $SYS in
__*) ARGS='args=(0x3039, 0x1234, 0x7, ' ;;
*) ARGS="$ARG0=0x3039, " ;;
esac
echo "# kernel $(uname -r), lseek is $SYS at $ADDR"

# mode [extra ftrace options]: exact counts, arguments and return values
t_counts() {
	what=$1; shift
	start_target a lseek 100
	trace kernel "$@" -p "$PID_a" || { nok "$what: attach"; return; }
	release a; wait "$PID_a"; trc=$?
	finish_pid_trace
	check_eq "$what: target ran" "$trc" 0
	check_eq "$what: exit 0" "$FRC" 0
	check_eq "$what: 100 entries, 100 returns" \
		"$(count "^\[$PID_a,$PID_a\]\[<kernel>:$1\] .*ENTRY" "$T/out") $(count "^\[$PID_a,$PID_a\]\[<kernel>:$1\] RET" "$T/out")" "100 100"
	check_eq "$what: only the traced process" "$(grep -vc "^\[$PID_a," "$T/out")" 0
	check_eq "$what: syscall arguments decoded" "$(count "ENTRY.*$ARGS" "$T/out")" 100
	# with kernel BTF the wrapper's return type adds ret=-9
	check_eq "$what: return value is the syscall's (-EBADF)" \
		"$(count " RET ([a-z0-9]*=$RET)\( ret=-9\)\? exec_time_ns: 0\.[0-9]\{9\} seconds$" "$T/out")" 100
}

t_counts "kprobe by symbol" "$SYS" -v
# the default is kprobe_multi where the kernel has it (CONFIG_FPROBE, 5.18+)
if grep -q "through kprobe_multi: " "$T/err"; then
	KMULTI=1
	ok "default mechanism: kprobe_multi"
else
	KMULTI=
	skipped "kprobe_multi" "$(grep -o 'the kernel [^;]*kprobe_multi[^;]*' "$T/err" || echo 'not used')"
fi
t_counts "kprobe (forced)" "$SYS" --mechanism kprobe -v
check_grep "kprobe (forced): -v names the mechanism" "through kprobe: " "$T/err"
t_counts "kprobe by address" "$ADDR"
check_grep "address shown as symbol+offset" "$ADDR is $SYS+0x0" "$T/err"
KVER=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
if [ -e /sys/kernel/btf/vmlinux ] && [ "$KVER" -lt 600 ]; then
	run_ftrace kernel "$SYS" --fentry
	check_grep "fentry before Linux 6.0: one line saying what it needs" \
		"^ftrace: --mechanism fentry needs Linux 6.0+ (BPF cookies on tracing links)$" "$T/err"
	check_eq "fentry before Linux 6.0: exit 1" "$FRC" 1
elif [ -e /sys/kernel/btf/vmlinux ]; then
	t_counts "fentry (forced)" "$SYS" --fentry -v
	check_grep "fentry: -v names the mechanism" "attached fentry+fexit to <kernel>:$SYS" "$T/err"
else
	skipped "fentry" "no kernel BTF"
fi

# argument names and types from kernel BTF: known values through functions
# the calls target reaches (MODE N FUNC ARGS...: trace FUNC while MODE runs N
# times)
t_btf() {
	mode=$1 n=$2; shift 2
	start_target a "$mode" "$n"
	trace kernel "$@" -p "$PID_a" -v || { nok "btf $*: attach"; return 1; }
	release a; wait "$PID_a"
	finish_pid_trace
}
if [ -e /sys/kernel/btf/vmlinux ] && [ "$KVER" -ge 600 ] && grep -q " [Tt] ksys_lseek$" /proc/kallsyms; then
	for m in "" "--fentry"; do
		w="btf${m:+ $m}"
		t_btf lseek 20 ksys_lseek $m && {
		check_grep "$w: -v shows the prototype" \
			"^ftrace: <kernel>:ksys_lseek: from BTF: ksys_lseek(uint fd, long offset, uint whence)->long$" "$T/err"
		check_eq "$w: ksys_lseek: 20 entries with fd, offset, whence" \
			"$(count "^\[$PID_a,$PID_a\]\[<kernel>:ksys_lseek\] .*ENTRY .*, fd=12345, offset=4660, whence=7$" "$T/out")" 20
		check_eq "$w: ksys_lseek: 20 returns with ret=-9 (EBADF)" \
			"$(count " RET (ax=0xfffffffffffffff7) ret=-9 exec_time_ns: " "$T/out")" 20; }
		# a 'const char __user *' (Debian's GCC-built BTF has no type tags:
		# read as a kernel string, else a user one)
		t_btf openat 10 do_sys_openat2 $m && {
		check_grep "$w: do_sys_openat2: the prototype" \
			"from BTF: do_sys_openat2(int dfd, kustr filename, ptr how)->\(int\|long\)$" "$T/err"
		check_eq "$w: do_sys_openat2: the user string and AT_FDCWD" \
			"$(count "ENTRY .*, dfd=-100, filename=\"/nonexistent/ftrace-test\", how=0x[0-9a-f]*$" "$T/out")" 10
		check_eq "$w: do_sys_openat2: ret=-2 (ENOENT)" "$(count " ret=-2 exec_time_ns" "$T/out")" 10; }
		# a kernel string: the attribute name getxattr copied in, and a size
		t_btf getxattr 10 vfs_getxattr $m && {
		check_eq "$w: vfs_getxattr: the kernel string and the size" \
			"$(count "ENTRY .*, name=\"user.ftrace-test\", value=0x[0-9a-f]*, size=16$" "$T/out")" 10
		check_eq "$w: vfs_getxattr: ret -95 (EOPNOTSUPP) or -61 (ENODATA)" \
			"$(count " ret=-\(95\|61\) exec_time_ns" "$T/out")" 10; }
	done
	# JSON: args by name, typed
	start_target a lseek 5
	trace kernel ksys_lseek -p "$PID_a" --format=json || nok "btf json: attach"
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "btf json: args by name" \
		"$(count '"args":{"fd":12345,"offset":4660,"whence":7}' "$T/out")" 5
	check_eq "btf json: typed ret" "$(count '"ret":-9' "$T/out")" 5
	# the command line's prototype wins; a kernel string that is no kernel
	# address is unreadable, never a crash
	t_btf lseek 5 'ksys_lseek(hex fd, kstr off)' && {
	check_eq "btf: an explicit prototype wins" \
		"$(count "ENTRY .*, fd=0x3039, off=0x1234<unreadable>$" "$T/out")" 5
	check_eq "btf: an explicit prototype wins: no ret" "$(count " ret=" "$T/out")" 0; }
	# --raw: registers only
	t_btf lseek 5 ksys_lseek --raw && {
	check_eq "btf --raw: no names" "$(count "fd=" "$T/out") $(count "ENTRY" "$T/out")" "0 5"; }
	# inside a function: no names, and -v says why (before the attach, which
	# the kernel may refuse at this offset)
	run_ftrace kernel ksys_lseek+0x4 -v -- true
	check_eq "btf: inside a function: -v says why, once" "$(count "^ftrace: kernel BTF (/sys/kernel/btf/vmlinux): no argument names for 1 of 1 targets (inside a function: 1, e.g. ksys_lseek): arguments as raw registers$" "$T/err")" 1
elif [ ! -e /sys/kernel/btf/vmlinux ]; then
	# no BTF: the lines stay as they were, and -v says why once
	start_target a lseek 10
	trace kernel "$SYS" -p "$PID_a" -v || nok "no btf: attach"
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "no btf: -v says why, once" \
		"$(count "^ftrace: no kernel BTF (/sys/kernel/btf/vmlinux): arguments as raw registers$" "$T/err")" 1
	check_eq "no btf: entries as before (no names)" \
		"$(count "ENTRY.*$ARGS" "$T/out") $(count "\(FIRST ENTRY\|seconds\) \([a-z0-9]*=0x[0-9a-f]*\(, \)\?\)*\( args=([0-9a-fx, ]*)\)\?$" "$T/out")" "10 10"
	check_eq "no btf: returns as before" "$(count " RET ([a-z0-9]*=$RET) exec_time_ns" "$T/out")" 10
else
	skipped "btf arguments" "BTF but before Linux 6.0 or no ksys_lseek"
fi

# two processes, -p picks one
start_target a lseek 30
start_target b lseek 30
trace kernel "$SYS" -p "$PID_a" || nok "pid filter: attach"
release b; release a; wait "$PID_a"; wait "$PID_b"
finish_pid_trace
check_eq "pid filter: 30 calls of the chosen process, none of the other" \
	"$(count "^\[$PID_a,.*ENTRY" "$T/out") $(count "^\[$PID_b," "$T/out")" "30 0"

# SIGKILL leaves no kprobe registered (debugfs kprobes/list shows every
# kprobe, perf-created ones included)
KL=/sys/kernel/debug/kprobes/list
if [ -r $KL ]; then
	trace kernel "$SYS" --mechanism kprobe || nok "SIGKILL: attach"
	check_eq "SIGKILL: while tracing, entry and return kprobes are listed" \
		"$(grep -c "$SYS" $KL)" 2
	kill -9 "$FPID"; wait "$FPID" 2>/dev/null
	i=0; while grep -q "$SYS" $KL && [ $i -lt 40 ]; do i=$((i + 1)); sleep 0.05; done
	check_eq "SIGKILL: afterwards no kprobe remains" "$(grep -c "$SYS" $KL)" 0
	check_eq "SIGKILL: tracefs kprobe_events untouched" "$(wc -l < /sys/kernel/tracing/kprobe_events | tr -d ' ')" 0
else
	skipped "SIGKILL kprobe check" "no debugfs kprobes/list"
fi

# kprobe_multi: the function is in enabled_functions while traced, not after
EF=/sys/kernel/tracing/enabled_functions
if [ -n "$KMULTI" ] && [ -r $EF ]; then
	trace kernel "$SYS" || nok "SIGKILL kprobe_multi: attach"
	check_eq "SIGKILL kprobe_multi: while tracing, ftrace has the function" \
		"$(grep -c "^$SYS " $EF)" 1
	kill -9 "$FPID"; wait "$FPID" 2>/dev/null
	i=0; while grep -q "^$SYS " $EF && [ $i -lt 40 ]; do i=$((i + 1)); sleep 0.05; done
	check_eq "SIGKILL kprobe_multi: afterwards it is gone" "$(grep -c "^$SYS " $EF)" 0
fi

# patterns: the lseek function through a pattern naming only it ([_]_x64...),
# and a function on the kprobe blacklist, skipped and counted
PAT=$(echo "$SYS" | sed 's/^\(.\)/[\1]/')
start_target a lseek 50
trace kernel "$PAT" -p "$PID_a" || nok "pattern: attach"
release a; wait "$PID_a"
finish_pid_trace
check_eq "pattern: $PAT: 50 entries, 50 returns" \
	"$(count "<kernel>:$SYS\] .*ENTRY" "$T/out") $(count "<kernel>:$SYS\] RET" "$T/out")" "50 50"
BL=/sys/kernel/debug/kprobes/blacklist
BLN=
[ -r $BL ] && BLN=$(awk '{ print $2 }' $BL | while read -r n; do
	grep -q " [Tt] $n\$" /proc/kallsyms && { echo "$n"; break; }; done)
if [ -n "$BLN" ]; then
	BLPAT=$(echo "$BLN" | sed 's/^\(.\)/[\1]/')
	start_target a lseek 20
	trace kernel "$PAT" "$BLPAT" -p "$PID_a" -v || nok "pattern blacklist: attach"
	release a; wait "$PID_a"
	finish_pid_trace
	check_grep "pattern: blacklisted $BLN skipped and counted" \
		"skipped 1 of 2 functions the patterns matched (on the kprobe blacklist: 1)" "$T/err"
	check_grep "pattern: -v says why" "skipped <kernel>:$BLN: .*blacklist" "$T/err"
	check_eq "pattern: the rest traced (20 entries)" "$(count "ENTRY" "$T/out")" 20
	run_ftrace kernel "$BLN"
	check_grep "pattern: the same function named explicitly is an error" "kprobe blacklist" "$T/err"
else
	skipped "pattern blacklist" "no readable kprobe blacklist"
fi
run_ftrace kernel 'zz_no_such_kernel_fn*'
check_grep "error: a pattern that matches nothing" \
	"pattern 'zz_no_such_kernel_fn\*' matches no kernel function" "$T/err"

# errors
run_ftrace kernel vfs_raed
check_grep "error: unknown symbol suggests" "unknown kernel symbol 'vfs_raed'; did you mean: .*vfs_read" "$T/err"
check_eq "error: exit 1" "$FRC" 1
run_ftrace kernel lseek
check_grep "error: bare syscall name suggests the wrapper" "did you mean: .*$SYS" "$T/err"
run_ftrace kernel "$SYS+0x100000"
check_grep "error: offset past the function" "is past the end of $SYS" "$T/err"
run_ftrace kernel "+0x10"
check_grep "error: malformed target" "invalid kernel target '+0x10'" "$T/err"
run_ftrace kernel 0x10
check_grep "error: address outside the kernel" "0x10 is not inside any kernel function" "$T/err"
BL=/sys/kernel/debug/kprobes/blacklist
if [ -r $BL ] && [ -n "$(head -n 1 $BL)" ]; then
	bsym=$(awk 'NF >= 2 && $2 !~ /^\[/ {print $2; exit}' $BL)
	run_ftrace kernel "$bsym"
	check_grep "error: blacklisted symbol ($bsym)" "is on the kernel's kprobe blacklist" "$T/err"
else
	skipped "blacklist" "no debugfs kprobes/blacklist"
fi
# kptr_restrict=2 hides addresses even from root: addresses cannot be placed,
# symbols still work (the kernel resolves them)
KR=/proc/sys/kernel/kptr_restrict
if [ -w $KR ]; then
	was=$(cat $KR)
	echo 2 > $KR
	run_ftrace kernel "$ADDR"
	check_grep "kptr_restrict: zero addresses reported" "/proc/kallsyms shows zero addresses (kernel.kptr_restrict)" "$T/err"
	start_target z lseek 10
	trace kernel "$SYS" -p "$PID_z" || nok "kptr_restrict: attach by name"
	release z; wait "$PID_z"
	finish_pid_trace
	check_eq "kptr_restrict: symbols still traced (10 calls)" "$(count "ENTRY" "$T/out")" 10
	echo "$was" > $KR
else
	skipped "kptr_restrict" "not writable"
fi

run_ftrace kernel "$SYS" -p 999999999
check_grep "error: no such PID" "no such process: 999999999" "$T/err"

# the live view's batch tables in kernel mode: one row per process, exact
start_target a lseek 40
start_target b lseek 20
if trace kernel "$SYS" --top --batch -i 0.5; then
	release a; release b; wait "$PID_a"; wait "$PID_b"
	stop_trace INT
	check_eq "top --batch: exit 0" "$FRC" 0
	check_eq "top --batch: calls per process" "$(awk -v a="$PID_a" -v b="$PID_b" \
		'/^ftrace - /{x = y = 0} $1 == a {x = $4} $1 == b {y = $4} END {print x + 0, y + 0}' "$T/out")" "40 20"
	check_grep "top --batch: the mechanism in the header" "^ftrace - .*, kprobe[_a-z]*+kretprobe[_a-z]*$" "$T/out"
else
	nok "top --batch: attach"
fi

# summaries in kernel mode: counted in the kernel, per process with --by pid
start_target a lseek 40
start_target b lseek 25
if trace kernel "$SYS" -s --by pid; then
	release a; release b; wait "$PID_a"; wait "$PID_b"
	stop_trace INT
	check_eq "stats: exit 0" "$FRC" 0
	check_eq "stats --by pid: exact calls of each process" "$(awk -v a="$PID_a" -v b="$PID_b" \
		'$3 == "<kernel>:'"$SYS"'" && $1 == a {x = $4} $3 == "<kernel>:'"$SYS"'" && $1 == b {y = $4}
		END {print x + 0, y + 0}' "$T/out")" "40 25"
else
	nok "stats: attach"
fi

# kernel stacks: --stack in kernel mode shows each entry's kernel stack,
# innermost first: the traced function, then the syscall path that called it
frames_after() { awk -v n="$1" '/ENTRY/ {e++; k = 0; next} /^    / && e {k++; if (k <= n) printf "%s%s", (k > 1 ? " " : ""), $1; if (k == n) print ""}' "$T/out" | sed 's/+0x[0-9a-f]*//g'; }
start_target a lseek 5
if trace kernel "$SYS" -p "$PID_a" --stack; then
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--stack kernel: 5 entries" "$(count "ENTRY" "$T/out")" 5
	check_eq "--stack kernel: each stack starts at $SYS" "$(frames_after 1 | sort | uniq -c | tr -s ' ')" " 5 $SYS"
	case $SYS in
	__x64_sys_lseek)
		if [ "$KVER" -lt 515 ]; then
			# before 5.15 the x86 unwinder does not see through the
			# return probe's trampoline (README): the stack ends there
			check_eq "--stack kernel: $SYS <- kretprobe_trampoline (Linux < 5.15)" \
				"$(grep -c '^    kretprobe_trampoline+0x' "$T/out")" 5
			# without the return probe: the whole path
			start_target a lseek 5
			if trace kernel "$SYS" -p "$PID_a" --stack --no-retprobe; then
				release a; wait "$PID_a"
				finish_pid_trace
				check_eq "--stack --no-retprobe (Linux < 5.15): $SYS <- do_syscall_64" \
					"$(grep -c '^    do_syscall_64+0x' "$T/out")" 5
			else
				nok "--stack --no-retprobe: attach"
			fi
		else
			check_eq "--stack kernel: $SYS <- do_syscall_64 <- entry_SYSCALL_64_after_hwframe" \
				"$(grep -c '^    do_syscall_64+0x' "$T/out") $(grep -c '^    entry_SYSCALL_64_after_hwframe+0x' "$T/out")" "5 5"
		fi ;;
	*)	# riscv64 6.1 calls syscalls from assembly whose s0 is no frame
		# pointer, and before 5.15 (armv7l 5.10) the unwinder stops at the
		# return probe's trampoline: the syscall function alone (README)
		if [ "$(uname -m)" = riscv64 ] || [ "$KVER" -lt 515 ]; then
			check_eq "--stack kernel: the syscall function alone (riscv64, Linux < 5.15)" \
				"$(frames_after 2 | awk 'NF == 2' | wc -l | tr -d ' ')" 0
		else
			check_eq "--stack kernel: more than one frame each" \
				"$(frames_after 2 | awk 'NF == 2' | wc -l | tr -d ' ')" 5
		fi ;;
	esac
else
	nok "--stack kernel: attach"
fi
# --stack=user in kernel mode: the user code that made the syscall
start_target a lseek 5
if trace kernel "$SYS" -p "$PID_a" --stack=user; then
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--stack=user: each entry has a frame in the target" \
		"$(awk '/ENTRY/ {if (e && !c) bad++; e++; c = 0; next} /^    calls:/ {c = 1} END {if (e && !c) bad++; print e, bad + 0}' "$T/out")" "5 0"
else
	nok "--stack=user: attach"
fi

# --by stack in kernel mode: one kernel stack, every call on it; with the
# user stack too, "user;kernel" folded, the traced function last
start_target a lseek 40
if trace kernel "$SYS" -p "$PID_a" -s --by stack; then
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--by stack kernel: exit 0" "$FRC" 0
	check_grep "--by stack kernel: one stack of 40 calls" "^<kernel>:$SYS: 40 calls, 1 stack$" "$T/out"
	check_eq "--by stack kernel: its first frame is $SYS" \
		"$(awk '/^  40 calls/ {getline; print $1}' "$T/out" | sed 's/+0x[0-9a-f]*//')" "$SYS"
	check_eq "--by stack kernel: no process for a kernel stack" "$(grep -c ', pid ' "$T/out")" 0
else
	nok "--by stack kernel: attach"
fi
start_target a lseek 30
if trace kernel "$SYS" -p "$PID_a" --folded --stack=user,kernel; then
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "--folded user,kernel: one line" "$(wc -l < "$T/out" | tr -d ' ')" 1
	# armv7l: the kernel's user walk follows r11, Thumb-2 code keeps its
	# frame pointer in r7: the interrupted function only, not up to main
	# (README)
	case $(uname -m) in
	armv7l) check_grep "--folded user,kernel: user frames, then the kernel's, $SYS last, 30 calls" \
		"^[^ ]*;[^ ;]*;$SYS 30$" "$T/out" ;;
	*) check_grep "--folded user,kernel: user frames, then the kernel's, $SYS last, 30 calls" \
		"^[^ ]*main;[^ ]*;$SYS 30$" "$T/out" ;;
	esac
	case $SYS in
	__x64_sys_lseek)
		if [ "$KVER" -lt 515 ]; then
			check_grep "--folded user,kernel: ...;kretprobe_trampoline;$SYS (Linux < 5.15)" \
				";kretprobe_trampoline;$SYS 30$" "$T/out"
		else
			check_grep "--folded user,kernel: ...;entry_SYSCALL_64_after_hwframe;do_syscall_64;$SYS" \
				";entry_SYSCALL_64_after_hwframe;do_syscall_64;$SYS 30$" "$T/out"
		fi ;;
	esac
else
	nok "--folded user,kernel: attach"
fi

done_suite kernel
