#!/bin/sh
# Many targets at once: patterns, --exclude, functions skipped and counted,
# the probe mechanism (uprobe_multi where the kernel has it), a whole libc.
# Needs root.
#   FTRACE=... CALLS=... [FTRACE_LOADER_ARGS=--loader=libbpf] tests/e2e/scale.sh
. "$(dirname "$0")/lib.sh"
LABEL=$(basename "$CALLS")

# the multi-probe mechanism this kernel should give: uprobe_multi from 6.6
kver=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
if [ "$kver" -ge 606 ]; then UMECH=uprobe_multi; else UMECH=uprobe; fi

t_pattern() {
	start_target a nested 10
	trace user "$CALLS" 'ft_a*' 'ft_[io]*' -p "$PID_a" -v || { nok "pattern: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_grep "pattern: 3 functions, entry and return each" "attached 6 probes to 3 targets" "$T/err"
	check_grep "pattern: -v names the mechanism ($UMECH)" "through $UMECH: " "$T/err"
	check_eq "pattern: 10 ft_outer, 20 ft_inner, no ft_args6 call" \
		"$(count "$LABEL:ft_outer\] .*ENTRY" "$T/out") $(count "$LABEL:ft_inner\] .*ENTRY" "$T/out") $(count "ft_args6" "$T/out")" \
		"10 20 0"
	check_eq "pattern: every call returned and timed" \
		"$(count " RET .*exec_time_ns: 0\.[0-9]\{9\} seconds$" "$T/out")" 30
}

t_exclude() {
	start_target a nested 5
	trace user "$CALLS" 'ft_*' --exclude 'ft_[b-f]*' --exclude ft_mid --exclude 'ft_args?' --exclude 'ft_s*' --exclude 'ft_p*' \
		-p "$PID_a" || { nok "--exclude: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_grep "--exclude: ft_inner and ft_outer left" "attached 4 probes to 2 targets" "$T/err"
	check_eq "--exclude: 5 + 10 calls" "$(count ENTRY "$T/out")" 15
}

# an explicit name and a pattern naming the same function: one target
t_mixed() {
	start_target a args 7
	trace user "$CALLS" ft_args6 'ft_arg*' "0x$(printf %x "$("$CALLS" --offset ft_args6)")" \
		-p "$PID_a" || { nok "mixed: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_grep "mixed: name, pattern and offset of one function: 1 target" \
		"attached 2 probes to 1 targets" "$T/err"
	check_eq "mixed: 7 calls" "$(count ENTRY "$T/out")" 7
}

t_errors() {
	run_ftrace user "$CALLS" 'zz_nothing*'
	check_grep "error: a pattern that matches nothing" \
		"^ftrace: $LABEL: pattern 'zz_nothing\*' matches no function$" "$T/err"
	check_eq "error: exit 1, one line" "$FRC $(wc -l < "$T/err" | tr -d ' ')" "1 1"
	run_ftrace user "$CALLS" 'ft_args*' --exclude 'ft_*'
	check_grep "error: everything excluded" \
		"pattern 'ft_args\*' matches only functions that --exclude removes" "$T/err"
	run_ftrace user "$CALLS" ft_args6 --mechanism kprobe
	check_grep "error: a kernel mechanism in user mode" "mechanism kprobe is for kernel mode" "$T/err"
	check_eq "error: usage exit 2" "$FRC" 2
	run_ftrace user "$CALLS" ft_args6 --mechanism bogus
	check_grep "error: unknown mechanism" "unknown mechanism 'bogus': expected uprobe" "$T/err"
	run_ftrace kernel 'zz_no_such_kernel_fn*'
	check_grep "error: a kernel pattern that matches nothing" \
		"pattern 'zz_no_such_kernel_fn\*' matches no kernel function\|cannot trace kernel functions" "$T/err"
	if [ "$UMECH" = uprobe ]; then
		run_ftrace user "$CALLS" ft_args6 --mechanism uprobe_multi $XFLAGS
		check_grep "error: uprobe_multi asked for, kernel without it" \
			"mechanism uprobe_multi: the kernel .*uprobe_multi.*(.*6.6+)" "$T/err"
	fi
}

# x86_64: zz_locked (LOCK prefix: ftrace knows) and zz_refused (an opcode
# only the kernel refuses) are skipped; named explicitly they are errors
t_refused() {
	case $("$FTRACE" --version) in *x86_64*) ;; *) skipped "refused" "x86_64 test functions"; return;; esac
	for mech in "" "--mechanism uprobe"; do
		start_target a args 10
		trace user "$CALLS" 'zz_*' 'ft_a*' -p "$PID_a" -v $mech || { nok "refused $mech: attach"; return; }
		release a; wait "$PID_a"
		finish_pid_trace
		check_grep "refused $mech: one line says how many and why" \
			"^ftrace: skipped 2 of 3 functions the patterns matched (refused by the kernel: 2)$" "$T/err"
		check_grep "refused $mech: -v: the LOCK prefix" \
			"skipped $LABEL:zz_locked: the kernel cannot probe its first instruction (a LOCK" "$T/err"
		check_grep "refused $mech: -v: the kernel's refusal" \
			"skipped $LABEL:zz_refused: the kernel cannot probe this instruction" "$T/err"
		check_eq "refused $mech: the rest traced exactly" \
			"$(count ENTRY "$T/out") $(count " RET " "$T/out")" "10 10"
	done
	start_target a args 1
	run_ftrace user "$CALLS" ft_args6 zz_refused -p "$PID_a"
	release a; wait "$PID_a"
	check_grep "refused: named explicitly, an error" \
		"^ftrace: cannot attach entry probe to $LABEL:zz_refused: the kernel cannot probe this instruction$" "$T/err"
	check_eq "refused: exit 1" "$FRC" 1
}

# every function of libc at once; getppid's calls counted exactly
t_libc_all() {
	if [ -n "${E2E_NO_LIBC:-}" ]; then skipped "libc '*'" "no dynamic libc here"; return; fi
	start_target a libc 1000
	trace user libc.so.6 '*' -p "$PID_a" || { nok "libc '*': attach"; return; }
	release a; wait "$PID_a"; trc=$?
	finish_pid_trace
	check_eq "libc '*': target ran, ftrace exit 0" "$trc $FRC" "0 0"
	n=$(grep -o "attached [0-9]* probes to [0-9]* targets" "$T/err" | awk '{ print $5 }')
	if [ "${n:-0}" -gt 1000 ]; then ok "libc '*': $n functions attached"; else nok "libc '*': $n functions attached"; fi
	check_grep "libc '*': skipped ones counted" "skipped [0-9]* of [0-9]* functions the patterns matched" "$T/err"
	check_eq "libc '*': getppid 1000 entries, 1000 returns" \
		"$(count "\[libc.so.6:getppid\] .*ENTRY" "$T/out") $(count "\[libc.so.6:getppid\] RET" "$T/out")" "1000 1000"
	check_grep "libc '*': nothing lost" " 0 lost" "$T/err"
}

for t in pattern exclude mixed errors refused libc_all; do
	"t_$t"
done
done_suite scale
