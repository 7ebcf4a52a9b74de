#!/bin/sh
# End-to-end tests of the traced command: -c / --, held before execve (a
# constructor's call is seen), exit status, signals, -u, -f (fork, exec,
# grandchildren, threads; unrelated processes stay out), bad input.
# POSIX sh, root.  FTRACE=... CALLS=... SPAWNEE=path/to/spawnee sh tests/e2e/spawn.sh
. "$(dirname "$0")/lib.sh"
SPAWNEE=${SPAWNEE:?set SPAWNEE}
S=$T/spawnee	# a copy every user may run (-u)
cp "$SPAWNEE" "$S"
chmod 755 "$T" "$S"
FN=ft_spawn_fn
# armv7l: static glibc is Thumb code and calls the constructor: a return
# probe there would kill it with SIGILL, so entries only (RET=0)
RET=1
case $("$FTRACE" --version) in *armv7l*) XFLAGS=--no-retprobe RET=0 ;; esac
# the loader option goes before the command (after --, it would be the
# command's argument)
run_ftrace() { "$FTRACE" ${FTRACE_LOADER_ARGS:-} "$@" > "$T/out" 2> "$T/err"; FRC=$?; }
L=spawnee:$FN

# entries: ENTRY lines; args: the first argument of each entry, in order
entries() { count "ENTRY" "$T/out"; }
args() { grep ENTRY "$T/out" | sed "s/.* $ARG0=\(0x[0-9a-f]*\).*/\1/" | tr '\n' ' '; }
pids() { sed -n 's/^\[\([0-9]*\),.*/\1/p' "$T/out" | sort -u | wc -l | tr -d ' '; }

t_constructor() {
	run_ftrace user "$S" $FN $XFLAGS -c "$S calls 3"
	check_eq "-c: exit status 0" "$FRC" 0
	check_eq "-c: constructor's call, then main's, in order" "$(args)" "0x3e8 0x0 0x1 0x2 "
	check_eq "-c: 4 returns" "$(count " RET " "$T/out")" $((4 * RET))
	check_eq "-c: one process" "$(pids)" 1
	check_grep "-c: summary" "^ftrace: $((4 + 4 * RET)) events printed, 0 lost (traced process exited)$" "$T/err"
	check_grep "-c: the command's status" "^ftrace: command exited with status 0$" "$T/err"
	check_grep "-c: labels" "\]\[$L\] FIRST ENTRY" "$T/out"
}

t_dashdash() {
	run_ftrace user "$S" $FN $XFLAGS -- "$S" calls 5 3
	check_eq "--: exit status 3 passed on" "$FRC" 3
	check_eq "--: 6 entries" "$(entries)" 6
	check_grep "--: status line" "^ftrace: command exited with status 3$" "$T/err"
	# quoting in -c: one argument with a blank is refused by the target
	run_ftrace user "$S" $FN $XFLAGS -c "$S 'calls 2' 4"
	check_eq "-c quoting: 'calls 2' is one word (usage error of the target)" "$FRC" 2
	run_ftrace user "$S" $FN $XFLAGS -c "\"$S\" calls 2 '4'"
	check_eq "-c quoting: double and single quotes" "$FRC" 4
	check_eq "-c quoting: 3 entries" "$(entries)" 3
}

t_signal() {
	run_ftrace user "$S" $FN $XFLAGS -c "$S signal 15"
	check_eq "signal: killed by SIGTERM gives 143" "$FRC" 143
	check_grep "signal: said so" "^ftrace: command killed by signal 15 (Terminated)$" "$T/err"
	check_eq "signal: its calls seen" "$(args)" "0x3e8 0x7 "
	run_ftrace user "$S" $FN $XFLAGS -c "$S signal 9"
	check_eq "signal: SIGKILL gives 137" "$FRC" 137
	# a SIGINT sent to ftrace alone reaches the command; ftrace waits for it
	trace user "$S" $FN -c "$S wait" || { nok "signal: attach"; return; }
	sleep 0.2
	stop_trace INT
	check_eq "signal: SIGINT passed on, the command's 130 returned" "$FRC" 130
	check_grep "signal: the command was interrupted" "^ftrace: command killed by signal 2 (Interrupt)$" "$T/err"
	check_eq "signal: its constructor's call seen" "$(args)" "0x3e8 "
	[ -z "$(pgrep -f "^$S wait\$")" ] && ok "signal: no command left" || nok "signal: command left"
}

# args_of PID: the first arguments of that process's entries, in order
args_of() { grep "^\[$1," "$T/out" | grep ENTRY | sed "s/.* $ARG0=\(0x[0-9a-f]*\).*/\1/" | tr '\n' ' '; }
# pid_of ARG: the process whose entry had that first argument
pid_of() { grep " $ARG0=$1," "$T/out" | head -n 1 | sed 's/^\[\([0-9]*\),.*/\1/'; }

# spawnee fork 2: the command forks a child that execs and forks again
t_follow() {
	# unrelated processes run the same code meanwhile: not traced
	( i=0; while [ $i -lt 300 ]; do "$S" calls 1; i=$((i + 1)); done ) & bg=$!
	run_ftrace user "$S" $FN $XFLAGS -f -c "$S fork 2"
	kill $bg 2>/dev/null; wait $bg 2>/dev/null
	check_eq "-f: exit status" "$FRC" 0
	check_eq "-f: three processes" "$(pids)" 3
	check_eq "-f: 8 entries, 8 returns" "$(entries) $(count " RET " "$T/out")" "8 $((8 * RET))"
	p0=$(pid_of 0x2) p1=$(pid_of 0x66) p2=$(pid_of 0x65)
	check_eq "-f: the command: constructor, then main" "$(args_of "$p0")" "0x3e8 0x2 "
	check_eq "-f: child: after fork, then its exec'd image from the constructor" \
		"$(args_of "$p1")" "0x66 0x3e8 0x1 "
	check_eq "-f: grandchild, forked by the exec'd child" "$(args_of "$p2")" "0x65 0x3e8 0x0 "
	check_grep "-f: summary" "^ftrace: $((8 + 8 * RET)) events printed, 0 lost (traced process exited)$" "$T/err"
	# threads of a followed process: tgid kept, every thread traced
	run_ftrace user "$CALLS" ft_args6 $XFLAGS -f -c "$CALLS threads 4 50"
	check_eq "-f threads: exit status" "$FRC" 0
	check_eq "-f threads: 4 x 50 entries" "$(count ENTRY "$T/out")" 200
}

# in_tmux CMD: run ftrace's command line CMD in a tmux pane, type Ctrl-C once
# it has attached; its status lands in $T/rc, its stderr in $T/err
in_tmux() {
	sock=ftrace-spawn-$$
	rm -f "$T/rc"; : > "$T/err"
	tmux -L $sock new-session -d -x 120 -y 20 "$1 2> $T/err; echo rc=\$? > $T/rc; sleep 30"
	i=0; while ! grep -q "attached .* probes" "$T/err" 2>/dev/null && [ $i -lt 200 ]; do
		i=$((i + 1)); sleep 0.05; done
	sleep 0.2
	tmux -L $sock send-keys C-c
	i=0; while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	tmux -L $sock kill-server 2>/dev/null
}

# Ctrl-C typed in a terminal: the terminal signals the whole foreground
# group; ftrace does not pass it on a second time and exits with the
# command's status once it is gone
t_ctrl_c() {
	command -v tmux > /dev/null || { skipped "Ctrl-C" "no tmux"; return; }
	in_tmux "$FTRACE ${FTRACE_LOADER_ARGS:-} user $S $FN $XFLAGS -c '$S wait'"
	check_eq "Ctrl-C: the command's 130" "$(cat "$T/rc" 2>/dev/null)" "rc=130"
	check_grep "Ctrl-C: the command was interrupted" \
		"^ftrace: command killed by signal 2 (Interrupt)$" "$T/err"
	[ -z "$(pgrep -f "^$S wait\$")" ] && ok "Ctrl-C: no command left" || nok "Ctrl-C: command left"
	# a command that handles SIGINT counts it: exactly once, and ftrace
	# waits for it to exit with that count
	in_tmux "$FTRACE ${FTRACE_LOADER_ARGS:-} user $S $FN $XFLAGS -c '$S sigcount'"
	check_eq "Ctrl-C: the command got one SIGINT, not two" "$(cat "$T/rc" 2>/dev/null)" "rc=1"
	check_grep "Ctrl-C: ftrace waited for its exit" "^ftrace: command exited with status 1$" "$T/err"
	# kill -INT to ftrace alone: passed on, once
	trace user "$S" $FN -c "$S sigcount" || { nok "sigcount: attach"; return; }
	sleep 0.2
	stop_trace INT
	check_eq "kill -INT ftrace: passed on exactly once" "$FRC" 1
}

t_no_follow() {
	run_ftrace user "$S" $FN $XFLAGS -c "$S fork 2"
	check_eq "no -f: exit status" "$FRC" 0
	check_eq "no -f: only the command's own calls" "$(args)" "0x3e8 0x2 "
	check_eq "no -f: one process" "$(pids)" 1
}

t_user() {
	id nobody >/dev/null 2>&1 || { skipped "-u" "no user nobody"; return; }
	mkdir -p "$T/u"; chmod 777 "$T/u"; rm -f "$T/u/ids"
	run_ftrace user "$S" $FN $XFLAGS -u nobody -c "$S uid $T/u/ids"
	check_eq "-u: exit status" "$FRC" 0
	check_eq "-u: ran as nobody (uid gid groups)" "$(cat "$T/u/ids" 2>/dev/null)" \
		"$(id -u nobody) $(id -g nobody) $(id -G nobody)"
	check_eq "-u: traced" "$(args)" "0x3e8 0x7 "
	run_ftrace user "$S" $FN -u no-such-user-x -c "$S calls 1"
	check_eq "-u unknown: status 1" "$FRC" 1
	check_eq "-u unknown: message" "$(cat "$T/err")" "ftrace: -u no-such-user-x: no such user in /etc/passwd"
}

# bad_input NAME STATUS MESSAGE ARGS...: nothing attached, one line, status
bad_input() {
	n=$1 st=$2 msg=$3; shift 3
	run_ftrace "$@"
	check_eq "$n: exit status $st" "$FRC" "$st"
	check_eq "$n: one line" "$(cat "$T/err")" "$msg"
	check_eq "$n: nothing printed" "$(lines)" 0
}

t_bad_input() {
	printf 'x\n' > "$T/noexec"; chmod 644 "$T/noexec"
	bad_input "not found" 127 "ftrace: no-such-cmd-x: command not found" \
		user "$S" $FN -c "no-such-cmd-x a b"
	bad_input "not found (path)" 127 "ftrace: $T/none: No such file or directory" \
		user "$S" $FN -- "$T/none"
	bad_input "not executable" 126 "ftrace: $T/noexec: Permission denied" \
		user "$S" $FN -c "$T/noexec"
	bad_input "directory" 126 "ftrace: $T: Is a directory" user "$S" $FN -- "$T"
	bad_input "-c with -p" 2 "ftrace: -p and a command (-c or --) exclude each other" \
		user "$S" $FN -p 1 -c "$S calls 1"
	bad_input "-c and --" 2 "ftrace: give the command once: -c CMD or -- CMD ARGS..." \
		user "$S" $FN -c "$S calls 1" -- "$S"
	bad_input "-f alone" 2 "ftrace: -f/--follow needs a command (-c CMD or -- CMD ARGS...)" \
		user "$S" $FN -f
	bad_input "-u alone" 2 "ftrace: -u/--user needs a command (-c CMD or -- CMD ARGS...)" \
		user "$S" $FN -u nobody
	bad_input "unterminated quote" 2 "ftrace: -c: unterminated quote in '$S \"calls'" \
		user "$S" $FN -c "$S \"calls"
	bad_input "nothing after --" 2 "ftrace: missing command after '--'" user "$S" $FN --
	# PATH is searched as the shell does
	mkdir -p "$T/bin"; cp "$S" "$T/bin/spawnee-x"
	PATH="$T/bin:$PATH" run_ftrace user "$T/bin/spawnee-x" $FN $XFLAGS -c "spawnee-x calls 2 5"
	check_eq "PATH: found and run" "$FRC" 5
	check_eq "PATH: traced" "$(entries)" 3
}

t_constructor
t_dashdash
t_signal
t_follow
t_ctrl_c
t_no_follow
t_user
t_bad_input
done_suite "e2e spawn ${FTRACE_LOADER_ARGS:-}"
