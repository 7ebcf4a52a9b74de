#!/bin/sh
# Install what building and testing ftrace needs on Debian 12 (root).
#   scripts/deps.sh          build only: gcc, make, libc headers
#   scripts/deps.sh --test   everything `make check` uses: libbpf (second
#                            loader), cross compilers, qemu and what the VM
#                            harness needs to fetch and build kernels, clang
#                            and llvm for the fuzzers
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="make gcc libc6-dev linux-libc-dev binutils"
if [ "${1:-}" = --test ]; then
	pkgs="$pkgs util-linux libbpf1
	gcc-arm-linux-gnueabihf gcc-riscv64-linux-gnu libc6-dev-armhf-cross libc6-dev-riscv64-cross
	qemu-system-x86 qemu-system-arm qemu-system-misc
	cpio gzip xz-utils dpkg-dev debian-archive-keyring bc flex bison libelf-dev libssl-dev
	clang llvm python3"
fi
apt-get update -qq || echo "warning: apt-get update reported errors" >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs > /dev/null
