# End-to-end tests: build the test targets, then attach real probes (root).
TARGET_CC ?= $(CC)
# frame pointers: --stack's tests walk the targets' stacks (tests/e2e/args.sh)
TARGET_CFLAGS := -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror -pthread $(ARCH_CFLAGS_$(ARCH))
E2E_TARGETS := $(OUT)/targets/calls $(OUT)/targets/calls-nopie $(OUT)/targets/calls-static

$(OUT)/targets/calls: tests/targets/calls.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -o $@ $<
$(OUT)/targets/calls-nopie: tests/targets/calls.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -no-pie -o $@ $<
$(OUT)/targets/calls-static: tests/targets/calls.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -static -o $@ $<
$(OUT)/targets/spawnee: tests/targets/spawnee.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -o $@ $<
$(OUT)/targets/spawnee-static: tests/targets/spawnee.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -static -o $@ $<
$(OUT)/targets/topload: tests/targets/topload.c | $(OUT)/targets
	$(TARGET_CC) $(TARGET_CFLAGS) -o $@ $<
$(OUT)/targets/thumb: tests/targets/thumb.c | $(OUT)/targets
	$(TARGET_CC) -O2 -Wall -Wextra -Werror -static -o $@ $<
$(OUT)/targets/mkbad: tests/targets/mkbad.c | $(OUT)/targets
	$(TARGET_CC) -O2 -Wall -Wextra -Werror -o $@ $<
$(OUT)/targets/bad: $(OUT)/targets/mkbad $(OUT)/targets/calls
	mkdir -p $@ && $(OUT)/targets/mkbad $(OUT)/targets/calls $@
$(OUT)/targets:
	mkdir -p $@

targets: $(E2E_TARGETS)

# The suite runs once per loader (E2E_LOADERS=builtin skips libbpf), then the
# parity test compares the two loaders.
E2E_LOADERS ?= builtin libbpf
e2e: $(BIN) $(E2E_TARGETS) $(OUT)/targets/bad $(OUT)/targets/topload $(OUT)/targets/spawnee
	@if [ "$$(id -u)" != 0 ]; then echo "e2e: needs root (sudo make test)" >&2; exit 1; fi
	@for l in $(E2E_LOADERS); do \
		echo "e2e: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls CALLS_NOPIE=$(OUT)/targets/calls-nopie \
			FTRACE_LOADER_ARGS=--loader=$$l sh tests/e2e/run.sh || exit 1; \
	done
	@# the same through perf-event uprobes, where the default is uprobe_multi
	@echo "e2e: --mechanism uprobe"
	@FTRACE=$(BIN) CALLS=$(OUT)/targets/calls CALLS_NOPIE=$(OUT)/targets/calls-nopie \
		FTRACE_LOADER_ARGS="--mechanism uprobe" sh tests/e2e/run.sh
	@# patterns, skipped functions, the mechanism, a whole libc
	@for l in $(E2E_LOADERS); do echo "e2e scale: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls FTRACE_LOADER_ARGS=--loader=$$l \
			sh tests/e2e/scale.sh || exit 1; \
	done
	@for l in $(E2E_LOADERS); do echo "e2e output: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls FTRACE_LOADER_ARGS=--loader=$$l \
			sh tests/e2e/output.sh || exit 1; \
	done
	@# prototypes, built-in libc prototypes, --stack, chroot/pivot_root/deleted files
	@for l in $(E2E_LOADERS); do echo "e2e args: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls CALLS_STATIC=$(OUT)/targets/calls-static \
			FTRACE_LOADER_ARGS=--loader=$$l sh tests/e2e/args.sh || exit 1; \
	done
	@# summaries in the kernel (-s, --hist, --by) and --min/--max-duration
	@for l in $(E2E_LOADERS); do echo "e2e stats: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls FTRACE_LOADER_ARGS=--loader=$$l \
			sh tests/e2e/stats.sh || exit 1; \
	done
	@# the traced command (-c, --, -f, -u), with each loader
	@for l in $(E2E_LOADERS); do echo "e2e spawn: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls SPAWNEE=$(OUT)/targets/spawnee \
			FTRACE_LOADER_ARGS=--loader=$$l sh tests/e2e/spawn.sh || exit 1; \
	done
	@# syscalls through tracepoints, ftrace syscall, --cgroup, the flight recorder
	@for l in $(E2E_LOADERS); do echo "e2e syscall: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls FTRACE_LOADER_ARGS=--loader=$$l \
			sh tests/e2e/syscall.sh || exit 1; \
	done
	@case " $(E2E_LOADERS) " in *" libbpf "*) \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls sh tests/e2e/parity.sh;; esac
	FTRACE=$(BIN) CALLS=$(OUT)/targets/calls BAD=$(OUT)/targets/bad sh tests/e2e/stress.sh
	sh tests/e2e/install.sh ARCH=$(ARCH) $(if $(SANITIZE),SANITIZE=$(SANITIZE))
	@# the live view: batch tables with each loader, the tmux-driven screen once
	@for l in $(E2E_LOADERS); do echo "e2e top: --loader=$$l"; \
		FTRACE=$(BIN) CALLS=$(OUT)/targets/calls TOPLOAD=$(OUT)/targets/topload \
			FTRACE_LOADER_ARGS=--loader=$$l TOP_TMUX=$$([ $$l = builtin ] && echo 1 || echo 0) \
			sh tests/e2e/top.sh || exit 1; \
	done

.PHONY: targets

# In the VM (make vm-test): static targets, both suites, the harness's checks.
VM_SCRIPT := tests/e2e/vm.sh
VM_FILES += tests/vm/guest.sh tests/e2e/lib.sh tests/e2e/run.sh=user.sh tests/e2e/kernel.sh tests/e2e/stress.sh \
	tests/e2e/scale.sh tests/e2e/syscall.sh \
	$(OUT)/targets/calls-static=calls tests/e2e/spawn.sh $(OUT)/targets/spawnee-static=spawnee
ifeq ($(ARCH),armv7l)
VM_FILES += $(OUT)/targets/thumb
endif
# x86_64: libbpf and the shared libraries it needs, so the guest can run the
# suites a second time through --loader=libbpf (kernel mode included)
ifeq ($(ARCH)$(wildcard /lib/x86_64-linux-gnu/libbpf.so.1),x86_64/lib/x86_64-linux-gnu/libbpf.so.1)
VM_FILES += $(OUT)/vm-libbpf=lib
$(OUT)/vm-libbpf: /lib/x86_64-linux-gnu/libbpf.so.1
	rm -rf $@ && mkdir -p $@
	for l in $$(ldd $< | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p') $<; do \
		cp -L $$l $@/; done
endif

# kernel mode on this host: only where the kernel has kprobes or fentry
e2e-kernel: $(BIN) $(OUT)/targets/calls
	FTRACE=$(BIN) CALLS=$(OUT)/targets/calls sh tests/e2e/kernel.sh
.PHONY: e2e-kernel
