# ftrace — static uprobe/kprobe function tracer.
#   make                 build ./ftrace for this machine (x86_64), no clang needed
#   make ARCH=armv7l     cross-build build/armv7l/ftrace (also riscv64)
#   make test            unit + end-to-end tests (root for the e2e part)
#   make check           everything CI runs: test, test SANITIZE=1, fuzz, vm-test x6 (3 arches on Debian 12 kernels, 5.10 x2, 6.12)
#   make test SANITIZE=1 the same under AddressSanitizer + UBSan
#   make blobs           rebuild blobs/<arch>/probe.bpf.o with clang
#   make bench           benchmark (ratios), not part of the tests

ARCH ?= x86_64
VERSION := 0.1.0

CROSS_x86_64 :=
CROSS_armv7l := arm-linux-gnueabihf-
CROSS_riscv64 := riscv64-linux-gnu-
CROSS ?= $(CROSS_$(ARCH))
CC := $(CROSS)gcc
CLANG ?= clang

OUT := build/$(ARCH)$(if $(SANITIZE),-san)
BLOB := blobs/$(ARCH)/probe.bpf.o
BLOB_CGROUP := blobs/$(ARCH)/probe-cgroup.bpf.o

ARCH_CFLAGS_armv7l := -marm
CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wno-format-truncation \
	-DFTRACE_ARCH_$(ARCH) -DFTRACE_VERSION='"$(VERSION)"' \
	-iquote arch -iquote src -iquote $(OUT)/gen $(ARCH_CFLAGS_$(ARCH)) $(EXTRA_CFLAGS)
LDFLAGS := -static
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS := -fsanitize=address,undefined
endif

SRCS := $(wildcard src/*.c)
OBJS := $(patsubst src/%.c,$(OUT)/src/%.o,$(SRCS))
BIN := $(OUT)/ftrace

.PHONY: all test unit e2e blobs bench clean vm-test fuzz
all: $(BIN)
ifeq ($(ARCH)$(SANITIZE),x86_64)
all: ftrace
ftrace: $(BIN)
	cp $< $@
endif

$(OUT)/src/%.o: src/%.c $(wildcard src/*.h arch/*.h) | $(OUT)/src
	$(CC) $(CFLAGS) -c -o $@ $<

# syscall numbers by name, from the target compiler's <asm/unistd.h>
$(OUT)/gen/sysnr.inc: Makefile | $(OUT)/src
	mkdir -p $(OUT)/gen
	printf '#include <asm/unistd.h>\n' | $(CC) -E -dM -x c - | \
		sed -n 's/^#define __NR_\([a-z][a-z0-9_]*\) .*/SYSNR(\1)/p' | \
		grep -v '^SYSNR(syscalls)$$' | sort -u > $@.tmp && mv $@.tmp $@
$(OUT)/src/sysnr.o: $(OUT)/gen/sysnr.inc

$(OUT)/ftrace.o: ftrace.c $(wildcard src/*.h arch/*.h) | $(OUT)/src
	$(CC) $(CFLAGS) -c -o $@ $<

# The prebuilt BPF object goes into the binary as data (.incbin).
$(OUT)/blob.o: src/blob.S $(BLOB) $(BLOB_CGROUP) | $(OUT)/src
	$(CC) -DBLOB_PATH='"$(BLOB)"' -DBLOB_CGROUP_PATH='"$(BLOB_CGROUP)"' -c -o $@ $<

$(BIN): $(OUT)/ftrace.o $(OBJS) $(OUT)/blob.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS)

$(OUT)/src:
	mkdir -p $@

# Rebuilding the blobs is the only step that needs clang.
BPF_TARGET_x86_64 := -D__TARGET_ARCH_x86
BPF_TARGET_armv7l := -D__TARGET_ARCH_arm
BPF_TARGET_riscv64 := -D__TARGET_ARCH_riscv
BLOB_ARCHES := x86_64 armv7l riscv64
blobs: $(foreach a,$(BLOB_ARCHES),blobs/$(a)/probe.bpf.o.new blobs/$(a)/probe-cgroup.bpf.o.new)
	@for a in $(BLOB_ARCHES); do mv blobs/$$a/probe.bpf.o.new blobs/$$a/probe.bpf.o; \
		mv blobs/$$a/probe-cgroup.bpf.o.new blobs/$$a/probe-cgroup.bpf.o; done
blobs/%/probe.bpf.o.new: probe.bpf.c src/event.h arch/%.h $(wildcard src/*.bpf.h)
	mkdir -p blobs/$*
	$(CLANG) -target bpf -O2 -g -Wall -Werror -DFTRACE_ARCH_$* $(BPF_TARGET_$*) \
		-iquote arch -iquote src -c -o $@ probe.bpf.c
	llvm-strip -g $@ 2>/dev/null || true
blobs/%/probe-cgroup.bpf.o.new: probe.bpf.c src/event.h arch/%.h $(wildcard src/*.bpf.h)
	mkdir -p blobs/$*
	$(CLANG) -DFT_CGROUP -target bpf -O2 -g -Wall -Werror -DFTRACE_ARCH_$* $(BPF_TARGET_$*) \
		-iquote arch -iquote src -c -o $@ probe.bpf.c
	llvm-strip -g $@ 2>/dev/null || true

clean:
	rm -rf build ftrace

-include tests/unit/unit.mk
-include tests/e2e/e2e.mk
-include tests/vm/vm.mk
-include bench/bench.mk
-include tests/fuzz/fuzz.mk

test: unit e2e

# Everything CI runs (root): the host suites, again under ASan + UBSan, the
# fuzzers (regression inputs, then a short run each), and the suites inside a
# VM per architecture (Debian 12's kernels), then on Debian 11's 5.10 (no BPF
# cookies) for x86_64 and armv7l and on Debian 13's 6.12 for x86_64.
CHECK_FUZZ_SECONDS ?= 10
check:
	$(MAKE) test
	$(MAKE) test SANITIZE=1
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	$(MAKE) vm-test ARCH=x86_64
	$(MAKE) vm-test ARCH=armv7l
	$(MAKE) vm-test ARCH=riscv64
	FTRACE_VM_SUITE=bullseye $(MAKE) vm-test ARCH=x86_64
	FTRACE_VM_SUITE=bullseye $(MAKE) vm-test ARCH=armv7l
	FTRACE_VM_SUITE=trixie $(MAKE) vm-test ARCH=x86_64
.PHONY: check

# make install [PREFIX=/usr/local] [DESTDIR=...]: the stripped binary and the
# man page
PREFIX ?= /usr/local
STRIP_BIN ?= $(CROSS)strip
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ftrace
	$(STRIP_BIN) $(DESTDIR)$(PREFIX)/bin/ftrace
	install -m 644 scripts/ftrace.1 $(DESTDIR)$(PREFIX)/share/man/man1/ftrace.1
.PHONY: install
