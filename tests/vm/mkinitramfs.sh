#!/bin/bash
# tests/vm/mkinitramfs.sh ARCH OUT FILE... -- build the guest initramfs (newc cpio + gzip)
#
#   /init           tests/vm/init.c, compiled static for ARCH here
#   /bin/busybox    the cached static busybox (tests/vm/kernel.sh ARCH) + applet links
#                   (init links the rest at boot: busybox --install -s /bin)
#   /test/NAME      each FILE (a file or a directory), modes kept; FILE may be
#                   written SRC=NAME to install SRC as /test/NAME
#   /test/run.sh    what init runs with /bin/sh: the first FILE itself if it is
#                   called run.sh, else a two-line wrapper that execs the first FILE
#
# ELF files must be static and for ARCH (checked).  Needs no root: there are no
# device nodes in the archive, init mounts devtmpfs itself.
# Env: FTRACE_VM_CACHE (as kernel.sh), FTRACE_VM_BUSYBOX (use this busybox instead).
set -euo pipefail

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: mkinitramfs.sh x86_64|armv7l|riscv64 OUT.cpio.gz FILE..."
ARCH=$1 OUT=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${FTRACE_VM_CACHE:-$HOME/.cache/ftrace-vm}
# FTRACE_VM_SUITE (kernel.sh): another Debian release's kernel, cached apart
KD=$CACHE/$ARCH
case ${FTRACE_VM_SUITE:-bookworm} in bookworm) ;; *) KD=$CACHE/$ARCH-$FTRACE_VM_SUITE;; esac
BUSYBOX=${FTRACE_VM_BUSYBOX:-$KD/busybox}

case $ARCH in
  x86_64)  CC=gcc;                     MACHINE='X86-64';;
  armv7l)  CC=arm-linux-gnueabihf-gcc; MACHINE='ARM';;
  riscv64) CC=riscv64-linux-gnu-gcc;   MACHINE='RISC-V';;
  *) die "unsupported ARCH '$ARCH' (x86_64, armv7l, riscv64)";;
esac
command -v "$CC" >/dev/null || die "$CC not found (install the cross compiler, see tests/vm/README.md)"
command -v cpio >/dev/null || die "cpio not found"
[ -s "$BUSYBOX" ] || die "no busybox at $BUSYBOX (run tests/vm/kernel.sh $ARCH)"

# check_elf FILE: if FILE is an ELF executable it must be static and for ARCH.
# Shared libraries (*.so, *.so.N) may be dynamic: a static program can
# dlopen them (the libbpf loader test ships libbpf and its dependencies).
check_elf() {
  [ "$(head -c4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] || return 0
  command -v readelf >/dev/null || return 0
  local h
  h=$(readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p')
  case $h in *"$MACHINE"*) ;; *) die "$1: ELF for '$h', not $ARCH";; esac
  case $(basename "$1") in *.so|*.so.[0-9]*) return 0;; esac
  if readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'; then
    die "$1: dynamically linked; the guest has no libc, link it with -static"
  fi
}

ST=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-vm-initramfs.XXXXXX")
trap 'rm -rf "$ST"' EXIT
mkdir -p "$ST"/{bin,sbin,dev,proc,sys,tmp,test,usr/bin,usr/sbin}
chmod 1777 "$ST/tmp"

$CC -static -O2 -Wall -Wextra -o "$ST/init" "$HERE/init.c" || die "cannot compile init.c with $CC"

cp "$BUSYBOX" "$ST/bin/busybox"
chmod 0755 "$ST/bin/busybox"
# Applet links: ask busybox when it runs here (same arch as the host), else a
# fixed list.  init also runs `busybox --install -s /bin` at boot, so every arch
# ends up with all the applets its busybox has.
APPLETS=$("$ST/bin/busybox" --list 2>/dev/null || true)
if [ -z "$APPLETS" ]; then
  APPLETS='[ [[ awk basename cat chmod cmp cp cut date dd diff dirname dmesg du echo env
    expr false find grep egrep fgrep head hexdump id kill killall ln ls mkdir mktemp
    mount mv nproc od pidof printf ps pwd readlink realpath rm rmdir
    sed seq sh ash sleep sort stat strings sync tail tee test time timeout touch tr
    true umount uname uniq uptime usleep wc which xargs yes poweroff reboot sysctl'
fi
for a in $APPLETS; do
  [ "$a" = busybox ] && continue
  [ -e "$ST/bin/$a" ] || ln -s busybox "$ST/bin/$a"
done

first=
for f in "$@"; do
  src=${f%%=*} name=$(basename "$f")
  [ "$src" != "$f" ] && name=${f#*=}
  [ -e "$src" ] || die "$src: no such file"
  if [ -z "$name" ] || [ "$name" != "$(basename "$name")" ]; then die "$f: bad name"; fi
  [ -e "$ST/test/$name" ] && die "$f: /test/$name given twice"
  if [ -d "$src" ]; then
    while IFS= read -r -d '' e; do check_elf "$e"; done < <(find "$src" -type f -print0)
    cp -RL --preserve=mode "$src" "$ST/test/$name"
  else
    check_elf "$src"
    cp -L --preserve=mode "$src" "$ST/test/$name"
  fi
  [ -n "$first" ] || first=$name
done
if [ "$first" != run.sh ]; then
  if [ ! -f "$ST/test/$first" ] || [ "$(head -c2 "$ST/test/$first")" != '#!' ]; then
    die "the first FILE ($first) must be the guest test script (#!/bin/sh)"
  fi
  [ -e "$ST/test/run.sh" ] && die "run.sh must be the first FILE"
  printf '#!/bin/sh\nexec /bin/sh /test/%s "$@"\n' "$first" > "$ST/test/run.sh"
  chmod 0755 "$ST/test/run.sh"
fi

mkdir -p "$(dirname "$OUT")"
(cd "$ST" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
   cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "initramfs: $OUT ($(du -h "$OUT" | cut -f1), $# file(s) in /test)"
