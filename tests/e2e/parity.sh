#!/bin/sh
# Loader parity: the same workload traced through the built-in loader and
# through libbpf must yield the same events (per process and thread: target,
# entry kind, argument registers, return values; timings aside), the same
# summary and the same errors. Also: a missing libbpf is one clear line and
# exit status 1. Needs root and libbpf.
#   FTRACE=path/to/ftrace CALLS=path/to/calls tests/e2e/parity.sh
. "$(dirname "$0")/lib.sh"
nok() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && echo "$2" | head -n 8 | sed 's/^/    /'; return 0; }
same() { if cmp -s "$2" "$3"; then ok "$1"; else nok "$1" "$(diff "$2" "$3")"; fi; }

# One line per thread: process (numbered by first appearance), main thread
# or not, then that thread's events in order: target, kind, and what the
# call defines (ft_args6's six arguments, the first argument, the return).
project() {
	awk -v regs="$REGS" -v arg0="$ARG0" '{
		match($1, /^\[[0-9]+,[0-9]+\]/)
		split(substr($1, 2, RLENGTH - 2), id, ",")
		label = substr($1, RLENGTH + 1)
		if (!(id[1] in proc)) proc[id[1]] = ++nproc
		kind = / FIRST ENTRY / ? "first" : / REENTRY / ? "entry" : / RET / ? "ret" : "other"
		if (kind == "ret") {
			match($0, /RET \([^)]*\)/); extra = substr($0, RSTART, RLENGTH)
		} else {
			extra = index($0, regs) ? "args6" : "-"
			if (match($0, " " arg0 "=0x[0-9a-f]+"))
				extra = extra " " substr($0, RSTART + 1, RLENGTH - 1)
		}
		who[id[2]] = "p" proc[id[1]] (id[1] == id[2] ? " main" : " thread")
		seq[id[2]] = seq[id[2]] " " label " " kind " " extra ";"
	} END { for (t in seq) print who[t] ":" seq[t] }' | sort
}

# workload LOADER: trace four targets system-wide while several processes
# (one with four threads) call them; stop with SIGINT
workload() {
	"$FTRACE" --loader="$1" -v user "$CALLS" ft_args6 ft_outer ft_inner ft_fact \
		$XFLAGS > "$T/out.$1" 2> "$T/err.$1" &
	fpid=$!
	i=0
	while ! grep -q "attached .* probes" "$T/err.$1"; do
		kill -0 "$fpid" 2>/dev/null || break
		i=$((i + 1)); [ $i -gt 200 ] && break
		sleep 0.05
	done
	"$CALLS" args 50; "$CALLS" threads 4 100; "$CALLS" nested 10; "$CALLS" recurse 6
	sleep 0.3
	kill -INT "$fpid"; wait "$fpid"; echo $? > "$T/rc.$1"
	project < "$T/out.$1" > "$T/proj.$1"
	grep '^ftrace: [0-9]* events printed' "$T/err.$1" > "$T/sum.$1"
}

if ! "$FTRACE" --version --loader=libbpf > "$T/ver" 2>&1; then
	echo "parity: no usable libbpf: $(tail -n 1 "$T/ver")"
	echo "parity: 0 passed, 1 failed"
	exit 1
fi
workload builtin
workload libbpf
check_eq "parity: builtin exit status" "$(cat "$T/rc.builtin")" 0
check_eq "parity: libbpf exit status" "$(cat "$T/rc.libbpf")" 0
if grep -q "loaded through libbpf" "$T/err.libbpf"; then ok "parity: libbpf did the loading"
else nok "parity: libbpf did the loading" "$(cat "$T/err.libbpf")"; fi
# 50 + 4*100 ft_args6 calls, 10 ft_outer + 20 ft_inner, 6 ft_fact: 486 calls
check_eq "parity: builtin saw every call (972 events)" "$(wc -l < "$T/out.builtin" | tr -d ' ')" 972
check_eq "parity: 7 threads in 4 processes" \
	"$(wc -l < "$T/proj.builtin" | tr -d ' ') $(cut -d' ' -f1 "$T/proj.builtin" | sort -u | wc -l | tr -d ' ')" "7 4"
same "parity: same events per process and thread" "$T/proj.builtin" "$T/proj.libbpf"
same "parity: same summary" "$T/sum.builtin" "$T/sum.libbpf"

# errors: the same message through both loaders
perr() {
	name=$1; shift
	for l in builtin libbpf; do
		"$@" --loader=$l > /dev/null 2> "$T/e.$l"; echo "exit $?" >> "$T/e.$l"
	done
	same "parity: $name" "$T/e.builtin" "$T/e.libbpf"
}
perr "unknown symbol" "$FTRACE" user "$CALLS" ft_args7
perr "no such process" "$FTRACE" user "$CALLS" ft_args6 -p 999999999
if setpriv --reuid=65534 true > /dev/null 2>&1; then
	perr "not root" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$FTRACE" user "$CALLS" ft_args6
fi

# a missing or wrong libbpf: one line, how to fall back, exit 1
"$FTRACE" --libbpf-path /nonexistent/libbpf.so.1 user "$CALLS" ft_args6 > "$T/out" 2> "$T/err"
check_eq "missing libbpf: exit 1" "$?" 1
check_eq "missing libbpf: one line" "$(wc -l < "$T/err" | tr -d ' ')" 1
check_eq "missing libbpf: says which and how to fall back" \
	"$(grep -c '^ftrace: cannot load libbpf: /nonexistent/libbpf.so.1: .*use --loader=builtin' "$T/err")" 1
NOTBPF=$(ls /lib/*/libz.so.1 /usr/lib/*/libz.so.1 /lib/libz.so.1 2>/dev/null | head -n 1)
if [ -n "$NOTBPF" ]; then
	"$FTRACE" --libbpf-path "$NOTBPF" user "$CALLS" ft_args6 > "$T/out" 2> "$T/err"
	check_eq "not libbpf: exit 1, one line naming what it lacks" \
		"$? $(grep -c '^ftrace: .*lacks libbpf_major_version.*use --loader=builtin' "$T/err") $(wc -l < "$T/err" | tr -d ' ')" "1 1 1"
fi
"$FTRACE" --version > "$T/out" 2>&1
check_eq "--version needs no libbpf" "$?" 0
"$FTRACE" --loader=builtin --libbpf-path /x user "$CALLS" ft_args6 > "$T/out" 2> "$T/err"
check_eq "--libbpf-path with --loader=builtin: usage error" "$?" 2

done_suite parity
