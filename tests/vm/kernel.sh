#!/bin/bash
# tests/vm/kernel.sh ARCH -- get a guest kernel and a static busybox for ARCH
# (x86_64 | armv7l | riscv64) and cache them under
#   ${FTRACE_VM_CACHE:-$HOME/.cache/ftrace-vm}/ARCH/{kernel,busybox,kernel.version,busybox.version}
# FTRACE_VM_SUITE=bullseye|trixie (default bookworm) takes that Debian
# release's kernel and busybox-static instead, cached under ARCH-SUITE/:
#   bullseye  linux-image-amd64 / -armmp: Linux 5.10 (no BPF cookies)
#   trixie    linux-image-amd64 / -riscv64: Linux 6.12 (multi-probe links)
#
#   x86_64   Debian bookworm linux-image-amd64's kernel + busybox-static (amd64)
#   armv7l   Debian bookworm linux-image-armmp's kernel + busybox-static (armhf)
#   riscv64  built here from Debian's linux-source-6.1 (tinyconfig + riscv64.config),
#            busybox cross-built from Debian's busybox source (its "static" config)
#
# Everything comes from Debian through apt, with a private apt configuration under
# the cache directory: the host's sources and dpkg architectures are not touched
# (never `dpkg --add-architecture`).  armhf uses bookworm + bookworm-updates only:
# the mirror's bookworm-security armhf index is unreliable.
# A second run finds everything cached and downloads nothing.  riscv64 is rebuilt
# when riscv64.config changes.  Needs: apt, dpkg-deb, dpkg-source, and for riscv64
# riscv64-linux-gnu-gcc, make, bc, flex, bison, libelf-dev, libssl-dev, xz.
# Env: FTRACE_VM_CACHE, FTRACE_VM_MIRROR (default http://deb.debian.org/debian),
#      FTRACE_VM_JOBS (make -j, default nproc).
set -euo pipefail

die() { echo "kernel.sh: $*" >&2; exit 1; }
log() { echo "kernel.sh: $*" >&2; }

[ $# -eq 1 ] || die "usage: kernel.sh x86_64|armv7l|riscv64"
ARCH=$1
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${FTRACE_VM_CACHE:-$HOME/.cache/ftrace-vm}
MIRROR=${FTRACE_VM_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
JOBS=${FTRACE_VM_JOBS:-$(nproc)}
SUITE=${FTRACE_VM_SUITE:-bookworm}
case $SUITE in
  bookworm) D=$CACHE/$ARCH;;
  bullseye|trixie) D=$CACHE/$ARCH-$SUITE;;
  *) die "unsupported FTRACE_VM_SUITE '$SUITE' (bookworm, bullseye, trixie)";;
esac

case $ARCH in
  x86_64|armv7l|riscv64) ;;
  *) die "unsupported ARCH '$ARCH' (x86_64, armv7l, riscv64)";;
esac
for t in apt-get apt-cache dpkg-deb flock; do
  command -v "$t" >/dev/null || die "'$t' not found (install apt / dpkg / util-linux)"
done
[ -r "$KEYRING" ] || die "$KEYRING missing (install debian-archive-keyring)"

mkdir -p "$D"
# One fetcher per ARCH at a time (parallel make invocations share the cache).
exec 9>"$CACHE/.lock-$ARCH"
flock 9

# --- private apt configuration ---------------------------------------------------
# apt_setup NAME DEBARCH LINE...: $CACHE/apt/NAME with LINEs as its sources.list,
# resolving packages for DEBARCH only; sets APT and APT_DIR.
APT=()
apt_setup() {
  local a=$CACHE/apt/$1 da=$2; shift 2
  mkdir -p "$a/etc/preferences.d" "$a/state/lists/partial" "$a/cache/archives/partial"
  [ -e "$a/status" ] || : > "$a/status"
  printf '%s\n' "$@" > "$a/etc/sources.list"
  APT=(-o "Dir::Etc::SourceList=$a/etc/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
       -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$a/etc/preferences.d"
       -o "Dir::State=$a/state" -o "Dir::State::status=$a/status" -o "Dir::Cache=$a/cache"
       -o "APT::Architecture=$da" -o "APT::Architectures::=$da" -o "Debug::NoLocking=1" -o "Acquire::Languages=none" -o "Acquire::PDiffs=false")
  if [ "$(id -u)" = 0 ]; then APT+=(-o "APT::Sandbox::User=root"); fi
  APT_DIR=$a
}
# apt_update: only run when something has to be downloaded, so the lists are
# fresh then.  A failing index (mirror mid-sync) only warns: the package
# look-ups that follow decide.
apt_update() {
  log "apt-get update ($APT_DIR)"
  if ! apt-get "${APT[@]}" -q update >"$APT_DIR/update.log" 2>&1; then
    log "warning: apt-get update reported errors, see $APT_DIR/update.log"
    grep -E '^(E|W):' "$APT_DIR/update.log" >&2 || true
  fi
}
# apt_download DIR PKG...: download .debs into DIR (unsandboxed warning filtered).
apt_download() {
  local dir=$1; shift
  mkdir -p "$dir"
  (cd "$dir" && apt-get "${APT[@]}" -q download "$@" 2>&1) | grep -v 'unsandboxed' >&2 || true
  local p
  for p in "$@"; do
    p=${p%%=*}
    compgen -G "$dir/${p}_*.deb" >/dev/null || die "apt-get download $p failed"
  done
}
# meta_dep META: the linux-image-* package that META depends on.
meta_dep() {
  apt-cache "${APT[@]}" depends "$1" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}' || true
}
candidate() {
  apt-cache "${APT[@]}" policy "$1" 2>/dev/null | awk '/Candidate:/{print $2}' || true
}

# --- Debian prebuilt kernel + busybox-static (x86_64, armv7l) ---------------------
fetch_debian() {   # DEBARCH META SECURITY(0|1)
  local da=$1 meta=$2 sec=$3
  [ -s "$D/kernel" ] && [ -s "$D/busybox" ] && [ -s "$D/kernel.version" ] && return 0
  local src=("deb [arch=$da signed-by=$KEYRING] $MIRROR $SUITE main"
             "deb [arch=$da signed-by=$KEYRING] $MIRROR $SUITE-updates main")
  [ "$sec" = 1 ] && src+=("deb [arch=$da signed-by=$KEYRING] ${MIRROR%/debian}/debian-security $SUITE-security main")
  apt_setup "$da${D#"$CACHE/$ARCH"}" "$da" "${src[@]}"
  apt_update
  local kpkg kver
  kpkg=$(meta_dep "$meta")
  [ -n "$kpkg" ] || die "cannot resolve $meta for $da (see $APT_DIR/update.log)"
  kver=$(candidate "$kpkg")
  log "$ARCH: $meta -> $kpkg $kver"
  local dl=$CACHE/dl/$da x
  rm -rf "$dl" && mkdir -p "$dl"
  apt_download "$dl" "$kpkg" busybox-static
  x=$dl/x && mkdir -p "$x"
  local deb
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$x"; done
  local k
  k=$(compgen -G "$x/boot/vmlinu[xz]-*" | head -1) || true
  [ -n "$k" ] || die "no /boot/vmlinuz-* in $kpkg"
  local bb=$x/bin/busybox
  [ -x "$bb" ] || bb=$x/usr/bin/busybox	# trixie: merged /usr
  [ -x "$bb" ] || die "no /bin/busybox in busybox-static ($da)"
  cp "$k" "$D/kernel.new" && mv "$D/kernel.new" "$D/kernel"
  cp "$x"/boot/config-* "$D/kernel.config"
  cp "$bb" "$D/busybox.new" && mv "$D/busybox.new" "$D/busybox"
  echo "busybox-static $(candidate busybox-static) (Debian $da)" > "$D/busybox.version"
  echo "$kpkg $kver (Debian $SUITE $da, $(basename "$k" | sed 's/^vmlinu[xz]-//'))" > "$D/kernel.version"
  rm -rf "$dl"
}

# --- riscv64: kernel from linux-source-6.1, busybox from source ------------------
build_riscv_kernel() {
  local frag=$HERE/riscv64.config stamp want
  [ -r "$frag" ] || die "$frag missing"
  # linux-source-6.1 is Architecture: all; take it through an amd64 configuration.
  apt_setup linux-source amd64 \
    "deb [arch=amd64 signed-by=$KEYRING] $MIRROR bookworm main" \
    "deb [arch=amd64 signed-by=$KEYRING] $MIRROR bookworm-updates main" \
    "deb [arch=amd64 signed-by=$KEYRING] ${MIRROR%/debian}/debian-security bookworm-security main"
  local srcdeb
  srcdeb=$(compgen -G "$CACHE/dl/src/linux-source-6.1_*.deb" | sort -V | tail -1) || true
  if [ -z "$srcdeb" ]; then
    apt_update
    log "downloading linux-source-6.1 $(candidate linux-source-6.1)"
    apt_download "$CACHE/dl/src" linux-source-6.1
    srcdeb=$(compgen -G "$CACHE/dl/src/linux-source-6.1_*.deb" | sort -V | tail -1)
  fi
  local sver
  sver=$(basename "$srcdeb" .deb | cut -d_ -f2)
  want="linux-source-6.1 $sver + tinyconfig + riscv64.config $(sha256sum "$frag" | cut -c1-16)"
  stamp=$(cat "$D/kernel.stamp" 2>/dev/null || true)
  if [ -s "$D/kernel" ] && [ "$stamp" = "$want" ]; then return 0; fi

  for t in riscv64-linux-gnu-gcc make bc flex bison xz; do
    command -v "$t" >/dev/null || die "'$t' not found (see tests/vm/README.md for host packages)"
  done
  local S=$CACHE/build/linux-source-$sver O=$CACHE/build/riscv64-kernel
  if [ ! -e "$S/.extracted" ]; then
    log "extracting $(basename "$srcdeb")"
    rm -rf "$S" "$CACHE/build/srcx" && mkdir -p "$CACHE/build/srcx"
    dpkg-deb --fsys-tarfile "$srcdeb" | tar -x -C "$CACHE/build/srcx" --wildcards './usr/src/linux-source-6.1.tar.xz'
    mkdir -p "$S"
    tar -C "$S" --strip-components=1 -xJf "$CACHE/build/srcx/usr/src/linux-source-6.1.tar.xz"
    rm -rf "$CACHE/build/srcx"
    touch "$S/.extracted"
  fi
  mkdir -p "$O"
  local M=(make -C "$S" O="$O" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)
  log "configuring riscv64 kernel (tinyconfig + $frag)"
  "${M[@]}" -s tinyconfig >/dev/null
  "$S/scripts/kconfig/merge_config.sh" -m -O "$O" "$O/.config" "$frag" >"$O/merge.log" 2>&1 \
    || { cat "$O/merge.log" >&2; die "merge_config failed"; }
  "${M[@]}" -s olddefconfig >"$O/olddefconfig.log" 2>&1 \
    || { cat "$O/olddefconfig.log" >&2; die "make olddefconfig failed"; }
  local o missing=
  while IFS= read -r o; do
    grep -q "^$o=y" "$O/.config" || missing="$missing $o"
  done < <(grep -E '^CONFIG_[A-Z0-9_]+=y' "$frag" | cut -d= -f1)
  [ -z "$missing" ] || die "riscv64 kernel config lost:$missing (dependencies?)"
  log "building riscv64 kernel Image (-j$JOBS, a few minutes; log $O/build.log)"
  local t0=$SECONDS
  "${M[@]}" -j"$JOBS" Image >"$O/build.log" 2>&1 || { tail -30 "$O/build.log" >&2; die "riscv64 kernel build failed"; }
  log "riscv64 kernel built in $((SECONDS - t0)) s"
  cp "$O/arch/riscv/boot/Image" "$D/kernel.new" && mv "$D/kernel.new" "$D/kernel"
  cp "$O/.config" "$D/kernel.config"
  echo "$(cat "$O/include/config/kernel.release") built from Debian linux-source-6.1 $sver (tinyconfig + tests/vm/riscv64.config)" > "$D/kernel.version"
  echo "$want" > "$D/kernel.stamp"
}

build_riscv_busybox() {
  [ -s "$D/busybox" ] && [ -s "$D/busybox.version" ] && return 0
  command -v dpkg-source >/dev/null || die "'dpkg-source' not found (install dpkg-dev)"
  apt_setup busybox-src amd64 "deb-src [signed-by=$KEYRING] $MIRROR bookworm main"
  local s=$CACHE/dl/busybox-src
  mkdir -p "$s"
  if ! compgen -G "$s/busybox_*.dsc" >/dev/null; then
    apt_update
    log "downloading busybox source"
    (cd "$s" && apt-get "${APT[@]}" -q --download-only source busybox 2>&1) | grep -v unsandboxed >&2 || true
    compgen -G "$s/busybox_*.dsc" >/dev/null || die "apt-get source busybox failed"
  fi
  local dsc ver B=$CACHE/build/busybox-riscv64
  dsc=$(compgen -G "$s/busybox_*.dsc" | sort -V | tail -1)
  ver=$(basename "$dsc" .dsc | cut -d_ -f2)
  rm -rf "$B" && mkdir -p "$CACHE/build"
  dpkg-source -x "$dsc" "$B" >"$CACHE/build/busybox-dpkg-source.log" 2>&1 \
    || { cat "$CACHE/build/busybox-dpkg-source.log" >&2; die "dpkg-source -x failed"; }
  cp "$B/debian/config/pkg/static" "$B/.config"
  log "building busybox $ver for riscv64 (log $B/build.log)"
  local BM=(make -C "$B" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)
  { yes "" || :; } | "${BM[@]}" oldconfig >"$B/build.log" 2>&1
  "${BM[@]}" -j"$JOBS" busybox >>"$B/build.log" 2>&1 || { tail -30 "$B/build.log" >&2; die "busybox build failed"; }
  cp "$B/busybox" "$D/busybox.new" && mv "$D/busybox.new" "$D/busybox"
  echo "busybox $ver (Debian source, static config, cross-built for riscv64)" > "$D/busybox.version"
  rm -rf "$B"
}

case $ARCH-$SUITE in
  x86_64-*)  fetch_debian amd64 linux-image-amd64 1;;
  armv7l-*)  fetch_debian armhf linux-image-armmp 0;;
  riscv64-bookworm) build_riscv_busybox; build_riscv_kernel;;
  riscv64-trixie) fetch_debian riscv64 linux-image-riscv64 0;;
  *) die "no $SUITE kernel for $ARCH";;
esac
echo "kernel:  $D/kernel  $(cat "$D/kernel.version")"
echo "busybox: $D/busybox  $(cat "$D/busybox.version")"
