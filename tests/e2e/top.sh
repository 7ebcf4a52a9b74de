#!/bin/sh
# SPDX-License-Identifier: MIT
# The live view (--top), as a person uses it: batch tables parsed for exact
# counts, and the full-screen view driven under tmux (send-keys, then
# capture-pane): rows, sort, reverse, filters, reset, refresh, resize, quit
# with the terminal restored. The target is tests/targets/topload.c: two
# processes, "topload" (300 tl_alpha, 100 tl_beta per round) and "topchild"
# (200 tl_alpha, 50 tl_gamma per round); a round runs on SIGUSR1.
# Needs FTRACE, CALLS (lib.sh), TOPLOAD; TOP_TMUX=0 skips the tmux part.
. "$(dirname "$0")/lib.sh"
TOPLOAD=${TOPLOAD:?set TOPLOAD}
TOPLOAD=$(cd "$(dirname "$TOPLOAD")" && pwd)/$(basename "$TOPLOAD")
FTRACE=$(cd "$(dirname "$FTRACE")" && pwd)/$(basename "$FTRACE")
FUNCS="tl_alpha tl_beta tl_gamma"
TMUX_SOCK=
VIEWS=0
trap 'kill $TARGET_PIDS 2>/dev/null; [ -n "$TMUX_SOCK" ] && tmux -L $TMUX_SOCK kill-server 2>/dev/null; rm -rf "$T"' EXIT

# start_load: topload runs; PARENT and CHILD are its processes
start_load() {
	rm -f "$T/load"
	"$TOPLOAD" "$T/load" 300 100 200 50 &
	TARGET_PIDS="$TARGET_PIDS $!"
	i=0
	while ! grep -q ready "$T/load" 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.02; done
	read -r _ PARENT CHILD < "$T/load"
}
stop_load() { kill "$PARENT" 2>/dev/null; wait "$PARENT" 2>/dev/null; }

# round N: both processes run one round of calls; wait until N rounds are done
round() {
	kill -USR1 "$PARENT" "$CHILD"
	i=0
	while [ "$(grep -c '^done' "$T/load")" -lt $(($1 * 2)) ] && [ $i -lt 500 ]; do
		i=$((i + 1)); sleep 0.02
	done
}

# calls_of FILE PID FUNC: the CALLS column of that row in the last table
calls_of() {
	awk -v p="$2" -v f="topload:$3" '/^ftrace - /{delete c} $1 == p && $3 == f {c[p] = $4}
		END {print c[p] + 0}' "$1"
}

t_batch() {
	start_load
	# stdout is a file, not a terminal: batch tables without --batch
	trace user "$TOPLOAD" $FUNCS --top -i 0.3 || { nok "batch: attach"; return; }
	round 1
	sleep 0.7
	stop_trace INT
	check_eq "batch: exits 0" "$FRC" 0
	check_eq "batch: topload tl_alpha" "$(calls_of "$T/out" "$PARENT" tl_alpha)" 300
	check_eq "batch: topload tl_beta" "$(calls_of "$T/out" "$PARENT" tl_beta)" 100
	check_eq "batch: topchild tl_alpha" "$(calls_of "$T/out" "$CHILD" tl_alpha)" 200
	check_eq "batch: topchild tl_gamma" "$(calls_of "$T/out" "$CHILD" tl_gamma)" 50
	check_eq "batch: no other rows" "$(awk '/^ftrace - /{n=0} $3 ~ /^topload:/ {n++} END {print n}' "$T/out")" 4
	check_grep "batch: header line per table" \
		"^ftrace - [0-9:]* up [0-9:]*, 2 processes, 4 rows, 650 calls, [0-9.]* calls/s, 0 lost, uprobe[_a-z]*+uretprobe[_a-z]*$" "$T/out"
	check_eq "batch: comm of the child" \
		"$(awk -v p="$CHILD" '$1 == p {print $2; exit}' "$T/out")" topchild
	n=$(grep -c '^ftrace - ' "$T/out")
	if [ "$n" -ge 3 ]; then ok "batch: a table every 0.3 s ($n, and the last at exit)"; else nok "batch: tables" "got $n"; fi
	# the rate of the interval with the round is its calls over the interval
	r=$(awk -v p="$PARENT" '$1 == p && $3 == "topload:tl_alpha" && $5 > 0 {print $5; exit}' "$T/out")
	if awk -v r="${r:-0}" 'BEGIN {exit !(r >= 300 / 0.4 && r <= 300 / 0.25)}'; then
		ok "batch: rate ($r/s for 300 calls in 0.3 s)"
	else nok "batch: rate" "got '$r'"; fi

	# -p: the parent only; -n 3: three tables, then exit 0 on its own
	trace user "$TOPLOAD" $FUNCS --top --batch -i 0.3 -n 3 -p "$PARENT" || { nok "batch -p: attach"; return; }
	round 2
	if wait_gone "$FPID" 10; then wait "$FPID"; FRC=$?; else stop_trace KILL; FRC=99; fi
	check_eq "batch -n 3: exits 0 by itself" "$FRC" 0
	check_eq "batch -n 3: three tables" "$(grep -c '^ftrace - ' "$T/out")" 3
	check_eq "batch -p: the parent's tl_alpha" "$(calls_of "$T/out" "$PARENT" tl_alpha)" 300
	check_eq "batch -p: no child rows" "$(awk -v p="$CHILD" '$1 == p' "$T/out" | wc -l | tr -d ' ')" 0
	stop_load

	# a closed pipe ends ftrace quietly
	"$FTRACE" user "$TOPLOAD" tl_alpha --top --batch -i 0.1 ${FTRACE_LOADER_ARGS:-} 2> "$T/err" | head -n 1 > "$T/out"
	check_eq "batch | head: exits 0" "$?" 0
	check_grep "batch | head: the header" "^ftrace - " "$T/out"
	run_ftrace user "$TOPLOAD" tl_alpha --batch
	check_eq "error: --batch without --top" "$FRC:$(cat "$T/err")" "2:ftrace: --batch needs --top"
	run_ftrace user "$TOPLOAD" tl_alpha --top -i 0.01
	check_grep "error: interval" "invalid interval '0.01': expected seconds from 0.1 to 3600" "$T/err"
	run_ftrace user "$TOPLOAD" tl_alpha --top --batch -n 0
	check_grep "error: iterations" "invalid iterations '0'" "$T/err"
}

# ---- the full-screen view under tmux ----

tm() { tmux -L "$TMUX_SOCK" "$@"; }
screen() { tm capture-pane -p -t top; }
# wait_screen PATTERN [SECONDS]: until the screen shows PATTERN (grep -E)
wait_screen() {
	i=0
	while ! screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -gt $((${2:-5} * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}
check_screen() {
	if wait_screen "$2" "${3:-5}"; then ok "$1"; else
		nok "$1" "no '$2' on the screen"; screen | sed 's/^/    | /' | head -n 30
	fi
}
# the CALLS column, top to bottom
screen_calls() { screen | awk '$3 ~ /^topload:/ {printf "%s ", $4}' | sed 's/ $//'; }
screen_funcs() { screen | awk '$3 ~ /^topload:/ {printf "%s/%s ", $1, $3}' | sed 's/ $//'; }
# line_of_screen PATTERN: the line number PATTERN is on; wait_line waits for N
line_of_screen() { screen | grep -n -- "$1" | head -n 1 | cut -d: -f1; }
check_line() {
	i=0
	while [ "$(line_of_screen "$2")" != "$3" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
	check_eq "$1" "$(line_of_screen "$2")" "$3"
}
check_order() {
	i=0
	while [ "$(screen_calls)" != "$2" ] && [ $i -lt 60 ]; do i=$((i + 1)); sleep 0.05; done
	check_eq "$1" "$(screen_calls)" "$2"
}

# start_view ARGS...: ftrace --top in a 100x30 tmux pane; the pane's shell
# records the tty settings before and after, and ftrace's exit status
start_view() {
	rm -f "$T/rc" "$T/stty.before" "$T/stty.after"
	: > "$T/err"
	[ -n "$TMUX_SOCK" ] && tm kill-server 2>/dev/null
	VIEWS=$((VIEWS + 1))
	TMUX_SOCK=ftrace-top-$$-$VIEWS
	tm new-session -d -s top -x 100 -y 30 \
		"stty -g > $T/stty.before; $FTRACE $* ${FTRACE_LOADER_ARGS:-} 2> $T/err; \
		echo \$? > $T/rc.tmp; stty -g > $T/stty.after; mv $T/rc.tmp $T/rc; exec sleep 600"
	i=0
	while ! grep -q "attached .* probes" "$T/err" && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
}
# wait_rc: ftrace exited; RC is its status
wait_rc() {
	i=0
	while [ ! -e "$T/rc" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	RC=$(cat "$T/rc" 2>/dev/null || echo none)
}
check_restored() {
	check_eq "$1: exit status" "$RC" 0
	check_eq "$1: alternate screen left" "$(tm display -p -t top '#{alternate_on}')" 0
	check_eq "$1: tty settings restored" "$(cat "$T/stty.after" 2>/dev/null)" "$(cat "$T/stty.before")"
	check_eq "$1: cursor shown" "$(tm display -p -t top '#{cursor_flag}')" 1
}

t_view() {
	start_load
	start_view user "$TOPLOAD" $FUNCS --top -i 0.5
	check_screen "view: header" "^ftrace --top .* refresh 0\.5s  uprobe[_a-z]*\+uretprobe[_a-z]*  3 targets"
	check_screen "view: empty before any call" "^Rows: 0 of 0  Processes: 0  Calls: 0 "
	check_eq "view: alternate screen on" "$(tm display -p -t top '#{alternate_on}')" 1
	round 1
	check_screen "view: totals" "^Rows: 4 of 4  Processes: 2  Calls: 650 .* Lost: 0"
	check_screen "view: keys line at the bottom" "^q quit  </> sort  r reverse  f filter  z reset  \+/- refresh"
	check_eq "view: row counts" "$(screen | awk '$3 ~ /^topload:/ {print $1, $2, $3, $4}' | sort | tr '\n' ';')" \
		"$(printf '%s\n' "$PARENT topload topload:tl_alpha 300" "$PARENT topload topload:tl_beta 100" \
			"$CHILD topchild topload:tl_alpha 200" "$CHILD topchild topload:tl_gamma 50" | sort | tr '\n' ';')"
	# sort by CALLS (key 4), reverse, then one column left (FUNCTION)
	tm send-keys -t top 4
	check_screen "view: sort by calls" "^Sort: CALLS desc"
	check_order "view: calls descending" "300 200 100 50"
	tm send-keys -t top r
	check_screen "view: reversed" "^Sort: CALLS asc"
	check_order "view: calls ascending" "50 100 200 300"
	tm send-keys -t top Left
	check_screen "view: left arrow: function column" "^Sort: FUNCTION asc"
	check_eq "view: by function" "$(screen_funcs)" \
		"$PARENT/topload:tl_alpha $CHILD/topload:tl_alpha $PARENT/topload:tl_beta $CHILD/topload:tl_gamma"
	tm send-keys -t top R
	check_screen "view: function reversed" "^Sort: FUNCTION desc"
	check_order "view: by function, reversed (ties: most calls first)" "50 100 300 200"
	tm send-keys -t top '>'
	check_screen "view: > moves right" "^Sort: CALLS desc"
	# filters: by pid, by function, by process name; a bad one says why
	tm send-keys -t top f
	check_screen "view: filter prompt" "^Filter \(pid:N,comm:NAME,fn:NAME; empty clears\): _"
	tm send-keys -t top "pid:$CHILD" Enter
	check_screen "view: filter by pid" "^Rows: 2 of 4  Processes: 1  Calls: 250 "
	check_order "view: the child's rows" "200 50"
	tm send-keys -t top f C-u fn:gam Enter
	check_screen "view: filter by function" "^Rows: 1 of 4  Processes: 1  Calls: 50 "
	check_screen "view: filter shown" "^Sort: CALLS desc  Filter: fn:gam"
	tm send-keys -t top f C-u "comm:topl" Enter
	check_order "view: filter by process name" "300 100"
	tm send-keys -t top f C-u "user:1" Enter
	check_screen "view: bad filter" "^bad filter: unknown field 'user': expected pid:, comm: or fn:"
	check_order "view: bad filter keeps the old one" "300 100"
	tm send-keys -t top f C-u Enter
	check_screen "view: empty filter clears" "^Rows: 4 of 4 .*Calls: 650 "
	tm send-keys -t top f "pid:1" Escape
	check_screen "view: Escape cancels the prompt" "^Sort: CALLS desc  Filter: none"
	# reset, then one more round counts from zero
	tm send-keys -t top z
	check_screen "view: reset" "^Rows: 0 of 0  Processes: 0  Calls: 0 "
	round 2
	check_screen "view: counts after reset" "^Rows: 4 of 4  Processes: 2  Calls: 650 "
	check_order "view: one round after reset" "300 200 100 50"
	# refresh steps: 0.5 -> 0.2 -> 0.5 -> 1.0
	tm send-keys -t top +
	check_screen "view: faster" "refresh 0\.2s"
	tm send-keys -t top - -
	check_screen "view: slower" "refresh 1\.0s"
	# a smaller window: nothing wider than it, the keys line on its last row
	tm resize-window -t top -x 64 -y 12
	check_line "view: resized, keys line is line 12" "^q quit" 12
	check_eq "view: resized, no line wider than 64" "$(screen | awk 'length > 64' | wc -l | tr -d ' ')" 0
	check_screen "view: resized, function column cut with +" "topload\+ "
	# rows that do not fit are not drawn: 9 lines leave room for 3 rows
	tm resize-window -t top -x 100 -y 9
	check_line "view: 9 lines, keys line is line 9" "^q quit" 9
	check_order "view: 9 lines, three rows drawn" "300 200 100"
	tm resize-window -t top -x 100 -y 3
	check_line "view: 3 lines, no scrolling: title on line 1" "^ftrace --top" 1
	check_line "view: 3 lines, totals on line 2" "^Rows: " 2
	check_line "view: 3 lines, keys line is line 3" "^q quit" 3
	tm resize-window -t top -x 100 -y 30
	check_screen "view: larger again" "topload:tl_gamma"
	tm send-keys -t top q
	wait_rc
	check_restored "view: q"
	check_screen "view: q leaves the last table on the terminal" \
		"^ftrace - [0-9:]* up [0-9:]*, 2 processes, 4 rows, 650 calls, "
	check_order "view: the last table's counts and order" "300 200 100 50"
	check_grep "view: summary after the screen" "^ftrace: 0 events lost" "$T/err"

	# Ctrl-C is a key in raw mode: it quits the same way
	start_view user "$TOPLOAD" tl_alpha --top
	check_screen "view: second run" "^Rows: "
	tm send-keys -t top C-c
	wait_rc
	check_restored "view: Ctrl-C"
	# SIGTERM from outside: the terminal is restored too
	start_view user "$TOPLOAD" tl_alpha --top
	check_screen "view: third run" "^Rows: "
	kill -TERM "$(pgrep -P "$(tm display -p -t top '#{pane_pid}')" ftrace)"
	wait_rc
	check_restored "view: SIGTERM"
	# -p: the traced process exits, the view ends, the last table stays
	start_view user "$TOPLOAD" $FUNCS --top -p "$PARENT"
	check_screen "view -p: started" "^Rows: 0 of 0"
	round 3
	check_screen "view -p: the parent's calls only" "^Rows: 2 of 2  Processes: 1  Calls: 400 "
	stop_load
	wait_rc
	check_restored "view -p: traced process exited"
	check_screen "view -p: last table" "^ftrace - .* 1 processes, 2 rows, 400 calls, "
	check_order "view -p: last table's counts" "300 100"
}

want() { [ -z "${TOP_ONLY:-}" ] || [ "$TOP_ONLY" = "$1" ]; }
want batch && t_batch
if [ "${TOP_TMUX:-1}" = 1 ] && want view; then
	if command -v tmux > /dev/null; then t_view; else skipped "view" "no tmux"; fi
fi
done_suite top
