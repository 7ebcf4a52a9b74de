# libFuzzer targets for every parser that reads outside input (clang only).
#   make fuzz                       replay the regressions, then fuzz each target
#                                   for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_SECONDS=600 -j2  longer, two targets at a time
#   make fuzz FUZZ_TARGETS='elf btf'
#   make fuzz-build                 only build build/fuzz/fuzz_<name>
# Each target compiles the src/*.c it needs directly with clang (gcc objects
# are not reused). Corpora live in build/fuzz/<name>/corpus, seeded at run time
# from system files (/bin/ls, libc, /etc/ld.so.cache, /proc/self/maps, a slice
# of /proc/kallsyms), the unit-test fixtures, cross-compiled ELF files, the
# blobs and their .BTF, plus the small hand-written seeds of
# tests/fuzz/seeds/<name>/. Inputs that once crashed are kept in
# tests/fuzz/regress/<name>/ and replayed before fuzzing. Any finding (crash,
# sanitizer report, leak, timeout, OOM) fails the run; the reproducer is
# written to build/fuzz/<name>/ and the log to build/fuzz/<name>/log.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= $(CLANG)
FUZZ_OBJCOPY ?= llvm-objcopy
FUZZ_DIR := build/fuzz
FUZZ_CFLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DFTRACE_ARCH_x86_64 -std=c11 -D_GNU_SOURCE \
	-iquote src -iquote arch -g -O1 -Wall -Wextra -Werror
FUZZ_OPTS := -timeout=5 -rss_limit_mb=2048 -print_final_stats=1

FUZZ_ALL := elf ldcache maps kallsyms kblacklist ktarget procmap bpfobj btf cli topfilter spawn \
	proto scformat
FUZZ_TARGETS ?= $(FUZZ_ALL)

# sources each target links, and the largest input it is fed
FUZZ_SRC_elf := src/elf.c src/suggest.c
FUZZ_SRC_ldcache := src/libpath.c src/readfile.c
FUZZ_SRC_maps := src/libpath.c src/readfile.c
FUZZ_SRC_kallsyms := src/kallsyms.c src/suggest.c src/readfile.c
FUZZ_SRC_kblacklist := src/kallsyms.c src/suggest.c src/readfile.c
FUZZ_SRC_ktarget := src/kallsyms.c src/suggest.c src/readfile.c
FUZZ_SRC_procmap := src/resolve.c src/elf.c src/libpath.c src/cli.c src/err.c src/suggest.c src/readfile.c src/glob.c
FUZZ_SRC_bpfobj := src/bpfobj.c src/btf.c src/err.c
FUZZ_SRC_btf := src/btf.c src/btfproto.c src/proto.c src/err.c
FUZZ_SRC_cli := src/cli.c src/err.c
FUZZ_SRC_proto := src/proto.c src/err.c
FUZZ_SRC_topfilter := src/top.c src/cli.c src/err.c
FUZZ_SRC_spawn := src/spawn.c src/user.c src/follow.c src/cli.c src/err.c src/readfile.c src/sys.c
FUZZ_SRC_scformat := src/scformat.c src/errnames.c src/follow.c src/cli.c src/err.c \
	src/readfile.c src/sys.c
FUZZ_LEN_elf := 1048576
FUZZ_LEN_ldcache := 131072
FUZZ_LEN_maps := 65536
FUZZ_LEN_kallsyms := 262144
FUZZ_LEN_kblacklist := 65536
FUZZ_LEN_ktarget := 1024
FUZZ_LEN_procmap := 4200
FUZZ_LEN_bpfobj := 65536
FUZZ_LEN_btf := 65536
FUZZ_LEN_cli := 4096
FUZZ_LEN_proto := 1024
FUZZ_LEN_topfilter := 256
FUZZ_LEN_spawn := 8192
FUZZ_LEN_scformat := 8192

FUZZ_BINS := $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz_$(t))
FUZZ_SEEDS := $(FUZZ_DIR)/seeds.stamp

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard src/*.c src/*.h arch/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRC_$*)

# ---- seeds, generated into build/fuzz/seeds/<name>/ -----------------------
FUZZ_SD := $(FUZZ_DIR)/seeds
FUZZ_XCC_arm := $(shell command -v arm-linux-gnueabihf-gcc 2>/dev/null)
FUZZ_XCC_rv := $(shell command -v riscv64-linux-gnu-gcc 2>/dev/null)
KBLACKLIST := /sys/kernel/debug/kprobes/blacklist
FUZZ_LIBC := $(firstword $(wildcard /lib/x86_64-linux-gnu/libc.so.6 /lib64/libc.so.6))

$(FUZZ_SEEDS): $(FIX_ELFS) $(wildcard blobs/*/probe.bpf.o) tests/targets/calls.c \
		tests/fuzz/fuzz.mk $(wildcard tests/fuzz/seeds/*/*)
	rm -rf $(FUZZ_SD) && mkdir -p $(foreach t,$(FUZZ_ALL),$(FUZZ_SD)/$(t))
	cp /bin/ls $(FUZZ_SD)/elf/ls
	$(if $(FUZZ_LIBC),cp $(FUZZ_LIBC) $(FUZZ_SD)/elf/libc.so.6)
	for f in $(FIX_ELFS); do cp $$f $(FUZZ_SD)/elf/fix-$$(basename $$f); done
	gcc -O2 -pthread -o $(FUZZ_SD)/elf/calls-x86_64 tests/targets/calls.c
	gcc -O2 -c -o $(FUZZ_SD)/elf/calls-x86_64.o tests/targets/calls.c
	$(if $(FUZZ_XCC_arm),$(FUZZ_XCC_arm) -O2 -pthread -o $(FUZZ_SD)/elf/calls-armhf tests/targets/calls.c)
	$(if $(FUZZ_XCC_arm),$(FUZZ_XCC_arm) -O2 -marm -pthread -o $(FUZZ_SD)/elf/calls-armhf-arm tests/targets/calls.c)
	$(if $(FUZZ_XCC_rv),$(FUZZ_XCC_rv) -O2 -pthread -o $(FUZZ_SD)/elf/calls-riscv64 tests/targets/calls.c)
	for a in $(BLOB_ARCHES); do \
		cp blobs/$$a/probe.bpf.o $(FUZZ_SD)/bpfobj/$$a.bpf.o; \
		cp blobs/$$a/probe.bpf.o $(FUZZ_SD)/elf/$$a.bpf.o; \
		$(FUZZ_OBJCOPY) --dump-section=.BTF=$(FUZZ_SD)/btf/$$a.btf \
			blobs/$$a/probe.bpf.o $(FUZZ_SD)/btf/discard.o || exit 1; \
	done
	rm -f $(FUZZ_SD)/btf/discard.o
	if [ -r /sys/kernel/btf/vmlinux ]; then \
		python3 tests/fuzz/btf_slice.py /sys/kernel/btf/vmlinux \
			$(FUZZ_SD)/btf/vmlinux-slice 16384 || \
		head -c 65536 /sys/kernel/btf/vmlinux > $(FUZZ_SD)/btf/vmlinux-head; fi
	-cp /etc/ld.so.cache $(FUZZ_SD)/ldcache/ld.so.cache
	cat /proc/self/maps > $(FUZZ_SD)/maps/self
	i=0; while IFS= read -r l; do i=$$((i + 1)); \
		printf '%s' "$$l" > $(FUZZ_SD)/procmap/line$$i; \
	done < $(FUZZ_SD)/maps/self
	head -n 2000 /proc/kallsyms > $(FUZZ_SD)/kallsyms/head
	grep -m 500 '\[' /proc/kallsyms > $(FUZZ_SD)/kallsyms/modules || true
	tail -n 300 /proc/kallsyms > $(FUZZ_SD)/kallsyms/tail
	if [ -r $(KBLACKLIST) ]; then head -n 2000 $(KBLACKLIST) > $(FUZZ_SD)/kblacklist/debugfs; fi
	for t in $(FUZZ_ALL); do \
		[ -d tests/fuzz/seeds/$$t ] && cp tests/fuzz/seeds/$$t/* $(FUZZ_SD)/$$t/ || true; \
	done
	touch $@

# ---- running --------------------------------------------------------------
# Regressions first (libFuzzer runs the files it is given and exits), then
# FUZZ_SECONDS of fuzzing on the corpus.
FUZZ_RUNS := $(foreach t,$(FUZZ_ALL),fuzz-run-$(t))
$(FUZZ_RUNS): fuzz-run-%: $(FUZZ_DIR)/fuzz_% $(FUZZ_SEEDS)
	@d=$(FUZZ_DIR)/$*; mkdir -p $$d/corpus; cp -n $(FUZZ_SD)/$*/* $$d/corpus/ 2>/dev/null; \
	reg=$$(ls tests/fuzz/regress/$*/* 2>/dev/null); \
	if [ -n "$$reg" ]; then \
		echo "fuzz $*: replaying $$(echo $$reg | wc -w) regression input(s)"; \
		$< -runs=1 $$reg > $$d/regress.log 2>&1 || \
			{ cat $$d/regress.log; echo "fuzz $*: REGRESSION"; exit 1; }; \
	fi; \
	echo "fuzz $*: $(FUZZ_SECONDS)s"; \
	$< $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_LEN_$*) \
		-artifact_prefix=$$d/ $$d/corpus > $$d/log 2>&1; rc=$$?; \
	execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$d/log); \
	if [ $$rc != 0 ]; then tail -n 60 $$d/log; \
		echo "fuzz $*: FAILED (exit $$rc), reproducer in $$d/, log $$d/log"; exit 1; fi; \
	echo "fuzz $*: ok, $$execs executions in $(FUZZ_SECONDS)s, corpus $$(ls $$d/corpus | wc -l)"

fuzz-build: $(FUZZ_BINS)

fuzz: $(foreach t,$(FUZZ_TARGETS),fuzz-run-$(t))

.PHONY: fuzz fuzz-build $(FUZZ_RUNS)
