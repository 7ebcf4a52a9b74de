#!/bin/sh
# Prototypes, built-in libc prototypes, --stack and files found the way the
# kernel maps them (chroot, deleted binary), end to end. Every value the
# target passes is known (tests/targets/calls.c: protos, stack) and checked
# exactly; JSON read back by python3's json. Needs root.
#   FTRACE=... CALLS=... [CALLS_STATIC=...] [FTRACE_LOADER_ARGS=--loader=libbpf] tests/e2e/args.sh
. "$(dirname "$0")/lib.sh"
LABEL=$(basename "$CALLS")
PROTO='ft_proto(str s, int n, oct mode)->int'
PBUF='ft_buf(buf:8 p, long n)->long'

# the part of each line after the registers (and the RET lines' values)
vals() { sed -n 's/^\[[0-9,]*\]\[\([^]]*\)\] .*ENTRY.*r10=0x[0-9a-f]*, \(.*\)$/\1 \2/p; s/^\[[0-9,]*\]\[\([^]]*\)\] RET ([a-z0-9]*=0x[0-9a-f]*)\( ret=[^ ]*\)\{0,1\} exec_time_ns.*/\1 RET\2/p' "$T/out"; }
case $("$FTRACE" --version) in *x86_64*) ;; *) vals() { sed -n 's/^\[[0-9,]*\]\[\([^]]*\)\] .*ENTRY.*, \([a-z]*=["N0-9-].*\)$/\1 \2/p' "$T/out"; } ;; esac

t_protos() {
	start_target a protos
	trace user "$CALLS" "$PROTO" "$PBUF" -p "$PID_a" || { nok "protos: attach"; return; }
	release a; wait "$PID_a"; trc=$?
	finish_pid_trace
	check_eq "protos: target ran, ftrace exit 0" "$trc $FRC" "0 0"
	big=$(python3 -c "print(''.join(chr(97 + i % 26) for i in range(256)))")
	cat > "$T/want" <<EOW
$LABEL:ft_proto s="q\\"uo\\\\te\\nnl\\ttab\\x01\\x7f\\xff end", n=-5, mode=0644
$LABEL:ft_proto RET ret=-4
$LABEL:ft_proto s="$big"..., n=300, mode=0
$LABEL:ft_proto RET ret=300
$LABEL:ft_proto s=NULL, n=0, mode=0
$LABEL:ft_proto RET ret=0
$LABEL:ft_proto s=0x1<unreadable>, n=2147483647, mode=0755
$LABEL:ft_proto RET ret=2147483647
$LABEL:ft_buf p="\\x00\\x01AB\\"\\\\\\n\\xff", n=8
$LABEL:ft_buf RET ret=8
$LABEL:ft_buf p=NULL, n=8
$LABEL:ft_buf RET ret=-1
EOW
	vals > "$T/got"
	if cmp -s "$T/want" "$T/got"; then ok "protos: every value exact (escapes, 256 of 300 bytes + ..., NULL, unreadable, negative, octal, buf:8)"
	else nok "protos: values" "$(diff "$T/want" "$T/got" | head -n 6)"; fi
	check_grep "protos: summary" "12 events printed, 0 lost" "$T/err"
}

t_json() {
	start_target a protos
	trace user "$CALLS" "$PROTO" "$PBUF" -p "$PID_a" --format=json || { nok "json: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	if python3 - "$T/out" > "$T/check" 2>&1 <<'EOP'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], 'rb').read().decode().splitlines()]
ent = [r for r in recs if r.get('type') == 'entry']
ret = [r for r in recs if r.get('type') == 'return']
big = ''.join(chr(97 + i % 26) for i in range(256))
want = [
    ({'s': 'q"uo\\te\nnl\ttab\x01\x7f\udcff end', 'n': -5, 'mode': '0644'}, None, None),
    ({'s': big, 'n': 300, 'mode': '0'}, None, ['s']),
    ({'s': None, 'n': 0, 'mode': '0'}, None, None),
    ({'s': None, 'n': 2147483647, 'mode': '0755'}, ['s'], None),
    ({'p': '\x00\x01AB"\\\n\udcff', 'n': 8}, None, None),
    ({'p': None, 'n': 8}, None, None),
]
assert len(ent) == 6 and len(ret) == 6, (len(ent), len(ret))
for r, (a, unr, tr) in zip(ent, want):
    got = dict(r['args'])
    # bytes that are not UTF-8 come as \u00XX (their value): compare by value
    for k, v in list(a.items()):
        if isinstance(v, str):
            a[k] = v.replace('\udcff', '\xff')
    assert got == a, (got, a)
    assert r.get('args_unreadable') == unr, r
    assert r.get('args_truncated') == tr, r
assert [r['ret'] for r in ret] == [-4, 300, 0, 2147483647, 8, -1], [r['ret'] for r in ret]
assert ret[0]['ret_reg'] == '0xfffffffffffffffc' or ret[0]['ret_reg'] == '0xfffffffc', ret[0]
print('ok')
EOP
	then ok "json: args by name, typed ret, unreadable/truncated named (python3 json)"
	else nok "json: args" "$(tail -n 3 "$T/check")"; fi
}

t_errors() {
	for spec in \
		"ft_proto(strr s)|prototype 'ft_proto(strr s)': unknown type 'strr' at column 10" \
		"ft_proto(str s, int)->|prototype 'ft_proto(str s, int)->': expected a type, got at the end" \
		"ft_proto(str s int n)|prototype 'ft_proto(str s int n)': expected ',' or ')', got 'int' at column 16" \
		"ft_proto(buf:0 p)|prototype 'ft_proto(buf:0 p)': buf:N needs N from 1 to 256, got '0' at column 14" \
		"ft_proto(buf p)|prototype 'ft_proto(buf p)': buf needs its size (buf:N), got 'p' at column 14" \
		"ft_proto(str s)->str|prototype 'ft_proto(str s)->str': a return value is not read from memory; use ptr, not 'str' at column 18" \
		"ft_proto(int a, int a)|prototype 'ft_proto(int a, int a)': duplicate argument name 'a' at column 21" \
		"ft_proto(void x)|prototype 'ft_proto(void x)': void is not an argument type: 'void' at column 10" \
		"ft_proto(int a) x|prototype 'ft_proto(int a) x': unexpected 'x' at column 17" \
		"(int a)|prototype '(int a)': expected a function name, got '(' at column 1" \
		"ft_*(int a)|prototype 'ft_*(int a)': a prototype names one function, not a pattern: '*' at column 4"; do
		p=${spec%%|*} want=${spec#*|}
		run_ftrace user "$CALLS" "$p"
		check_eq "prototype error: $p: exit 2, one line" "$FRC $(cat "$T/err")" "2 ftrace: $want"
	done
	run_ftrace kernel 'vfs_read(ptr f'
	check_eq "prototype in kernel mode, malformed: exit 2" "$FRC $(cat "$T/err")" \
		"2 ftrace: prototype 'vfs_read(ptr f': expected ',' or ')', got at the end"
	# kernel BTF into a prototype, shown by -v before anything is attached
	# (this host may refuse the attach itself)
	if [ -r /sys/kernel/btf/vmlinux ] && grep -q " [Tt] ksys_lseek$" /proc/kallsyms; then
		run_ftrace kernel ksys_lseek 'vfs_read(ptr f, kstr s)' -v -- true
		check_grep "kernel BTF prototype (-v)" \
			"^ftrace: <kernel>:ksys_lseek: from BTF: ksys_lseek(uint fd, long offset, uint whence)->long$" "$T/err"
		check_eq "kernel: the command line's prototype is not replaced" \
			"$(count "from BTF: vfs_read" "$T/err")" 0
	else
		skipped "kernel BTF prototype" "no kernel BTF or ksys_lseek"
	fi
	run_ftrace user "$CALLS" 'ft_nothere(int a)'
	check_eq "prototype of an unknown function: exit 1, the usual message" "$FRC" 1
	check_grep "prototype of an unknown function: names it" "unknown symbol 'ft_nothere'" "$T/err"
}

t_builtin() {
	if [ -n "${E2E_NO_LIBC:-}" ]; then skipped "builtin" "no dynamic libc here"; return; fi
	start_target a protos
	trace user libc.so.6 open -p "$PID_a" || { nok "builtin: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "builtin open: path exact, flags O_RDONLY" \
		"$(sed -n 's/.*\(path=.*flags=[^,]*\),.*/\1/p' "$T/out")" 'path="/nonexistent/x", flags=0x0'
	check_eq "builtin open: ret=-1 as int" "$(grep -c ' RET (.*) ret=-1 exec_time_ns' "$T/out")" 1
	start_target b protos
	trace user libc.so.6 open -p "$PID_b" --raw || { nok "--raw: attach"; return; }
	release b; wait "$PID_b"
	finish_pid_trace
	check_eq "--raw: registers only" "$(grep -c 'path=\| ret=' "$T/out") $(grep -c 'ENTRY' "$T/out")" "0 1"
	# a pattern stays raw
	start_target c libc 5
	trace user libc.so.6 'strle?' -p "$PID_c" || { nok "builtin pattern: attach"; return; }
	release c; wait "$PID_c"
	finish_pid_trace
	check_eq "pattern: no built-in prototype" "$(grep -c 's=' "$T/out") $(grep -c ENTRY "$T/out")" "0 5"
	# named: strlen(str s)->size
	start_target d libc 5
	trace user libc.so.6 strlen -p "$PID_d" || { nok "builtin strlen: attach"; return; }
	release d; wait "$PID_d"
	finish_pid_trace
	check_eq "builtin strlen: 5 x s=\"hello, world\"" "$(grep -c 's="hello, world"$' "$T/out")" 5
	check_eq "builtin strlen: 5 x ret=12" "$(grep -c 'RET (.*) ret=12 ' "$T/out")" 5
}

# the innermost frames of each entry, function names only
frames() { sed -n 's/^    \([^+]*\)+0x[0-9a-f]*$/\1/p; s/^    \([^+]*\)$/\1/p' "$T/out" | head -n "$1" | tr '\n' ' '; }

t_stack() {
	start_target a stack 3
	trace user "$CALLS" ft_stack_c -p "$PID_a" --stack || { nok "stack: attach"; return; }
	release a; wait "$PID_a"
	finish_pid_trace
	check_eq "stack: c <- b <- a <- main, innermost first" "$(frames 4)" \
		"$LABEL:ft_stack_c $LABEL:ft_stack_b $LABEL:ft_stack_a $LABEL:main "
	check_eq "stack: ft_stack_c at +0x0" "$(grep -c "^    $LABEL:ft_stack_c+0x0$" "$T/out")" 3
	check_eq "stack: 3 entries with frames, returns without" \
		"$(grep -c ENTRY "$T/out") $(grep -A1 ' RET ' "$T/out" | grep -c '^    ')" "3 0"
	start_target b stack 2
	trace user "$CALLS" ft_stack_c -p "$PID_b" --stack --format=json || { nok "stack json: attach"; return; }
	release b; wait "$PID_b"
	finish_pid_trace
	check_eq "stack json: the stack array (python3 json)" \
		"$(python3 -c "
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get('type') == 'entry':
        print(' '.join(f.split('+')[0] for f in r['stack'][:4]))" "$T/out" | sort | uniq -c | tr -s ' ')" \
		" 2 $LABEL:ft_stack_c $LABEL:ft_stack_b $LABEL:ft_stack_a $LABEL:main"
	run_ftrace user "$CALLS" ft_stack_c --stack -s
	check_eq "--stack with -s: exit 2" "$FRC" 2
}

# a process in a plain chroot (same mount namespace): maps shows the host
# path, /proc/PID/root is the chroot; ftrace is given the name inside
t_chroot() {
	if [ -z "${CALLS_STATIC:-}" ]; then skipped "chroot" "no CALLS_STATIC"; return; fi
	R=$(mktemp -d /tmp/ftrace-croot.XXXXXX)
	mkdir -p "$R/tmp"; cp "$CALLS_STATIC" "$R/app"; mkfifo "$R/tmp/f"
	chroot "$R" /app -w /tmp/f stack 2 & P=$!
	i=0; while [ ! -e "$R/tmp/f.ready" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.02; done
	trace user /app ft_stack_c -p "$P" --stack || { nok "chroot: attach"; kill $P; rm -rf "$R"; return; }
	echo go > "$R/tmp/f"; wait "$P"
	finish_pid_trace
	check_eq "chroot: /app resolved, 2 entries, 2 returns" \
		"$(grep -c '\[app:ft_stack_c\] .*ENTRY' "$T/out") $(grep -c '\[app:ft_stack_c\] RET' "$T/out")" "2 2"
	check_eq "chroot: frames symbolized" "$(frames 3)" "app:ft_stack_c app:ft_stack_b app:ft_stack_a "
	rm -rf "$R"
}

# a mount namespace whose root was changed by pivot_root, as container
# runtimes do: the file only exists there, reached through /proc/PID/root
t_pivot() {
	if [ -z "${CALLS_STATIC:-}" ]; then skipped "pivot_root" "no CALLS_STATIC"; return; fi
	command -v unshare > /dev/null || { skipped "pivot_root" "no unshare"; return; }
	R=$(mktemp -d /tmp/ftrace-pivot.XXXXXX)
	unshare -m sh -c "mount --make-rprivate / && mount -t tmpfs tmpfs '$R' &&
		cp '$CALLS_STATIC' '$R/app' && mkdir '$R/old' '$R/tmp' && mkfifo '$R/tmp/f' &&
		cd '$R' && pivot_root . old && exec /app -w /tmp/f stack 2" & P=$!
	i=0; while [ ! -e "/proc/$P/root/tmp/f.ready" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.02; done
	if [ ! -e "/proc/$P/root/tmp/f.ready" ]; then skipped "pivot_root" "could not set one up"; kill $P 2>/dev/null; rmdir "$R"; return; fi
	trace user /app ft_stack_c -p "$P" --stack || { nok "pivot_root: attach"; kill $P; return; }
	echo go > "/proc/$P/root/tmp/f"; wait "$P"
	finish_pid_trace
	check_eq "pivot_root: /app resolved, 2 entries, 2 returns" \
		"$(grep -c '\[app:ft_stack_c\] .*ENTRY' "$T/out") $(grep -c '\[app:ft_stack_c\] RET' "$T/out")" "2 2"
	check_eq "pivot_root: frames symbolized" "$(frames 3)" "app:ft_stack_c app:ft_stack_b app:ft_stack_a "
	rmdir "$R"
}

# a binary deleted while it runs: found through /proc/PID/map_files
t_deleted() {
	D="$T/dcalls"; cp "$CALLS" "$D"
	CALLS_BIN=$D start_target d stack 2
	rm -f "$D"
	trace user "$D" ft_stack_c -p "$PID_d" --stack || { nok "deleted: attach"; return; }
	release d; wait "$PID_d"
	finish_pid_trace
	check_eq "deleted: 2 entries, 2 returns, labelled by its name" \
		"$(grep -c '\[dcalls:ft_stack_c\] .*ENTRY' "$T/out") $(grep -c '\[dcalls:ft_stack_c\] RET' "$T/out")" "2 2"
	check_eq "deleted: frames symbolized" "$(frames 3)" "dcalls:ft_stack_c dcalls:ft_stack_b dcalls:ft_stack_a "
}

for t in protos json errors builtin stack chroot pivot deleted; do
	want() { [ -z "${E2E_ONLY:-}" ] || [ "$E2E_ONLY" = "$1" ]; }
	want "$t" && "t_$t"
done
done_suite args
