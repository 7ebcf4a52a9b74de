#!/bin/sh
# make install into a scratch DESTDIR: a stripped binary that runs, and a
# man page that renders without warnings and documents every option --help
# lists.   tests/e2e/install.sh [MAKE ARGS...]
set -u
D=$(mktemp -d /tmp/ftrace-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "FAIL - $1"; }
chk() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

make -s install DESTDIR="$D" PREFIX=/usr/local "$@" > "$D.log" 2>&1
chk "make install: exit 0" "[ $? -eq 0 ]"
B=$D/usr/local/bin/ftrace M=$D/usr/local/share/man/man1/ftrace.1
chk "binary installed, executable" "[ -x '$B' ]"
chk "binary stripped (no .symtab)" "! readelf -S '$B' | grep -q symtab"
chk "installed binary runs" "'$B' --version | grep -q '^ftrace '"
chk "man page installed" "[ -s '$M' ]"
if command -v groff > /dev/null; then
	chk "man page renders without warnings" "[ -z \"\$(groff -man -Tutf8 -ww -z '$M' 2>&1)\" ]"
fi
missing=
for o in $("$B" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
	grep -q -- "$esc" "$M" || missing="$missing $o"
done
chk "man page documents every --help option${missing:+ (missing:$missing)}" "[ -z '$missing' ]"
rm -f "$D.log"
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
