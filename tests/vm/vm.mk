# tests/vm/vm.mk -- VM tests, included by the top Makefile.
#   make vm-test ARCH=x86_64|armv7l|riscv64   boot a Debian kernel under qemu (TCG)
#                                              and run $(VM_SCRIPT) in it
#   make vm-kernel ARCH=...                    only fetch/build + cache kernel and busybox
#
# In the guest everything is in /test: $(VM_SCRIPT) runs first (with busybox sh,
# as root); $(FTRACE_VM_BIN) is /test/ftrace; each VM_FILES entry is
# /test/<basename> (files or directories; write SRC=NAME to rename).  Extend with
#   VM_FILES += $(OUT)/targets/hello tests/e2e/lib.sh
# from any makefile (prerequisites are expanded late, so order does not matter).
# FTRACE_VM_BIN=path overrides the binary (default $(BIN), built static here).
# Env knobs of tests/vm/run.sh: FTRACE_VM_CACHE, FTRACE_VM_TIMEOUT, FTRACE_VM_APPEND.

VM_SCRIPT ?= tests/vm/guest.sh
FTRACE_VM_BIN ?= $(BIN)
VM_FILES +=
# the file part of each entry (drop "=NAME")
VM_DEPS = $(VM_SCRIPT) $(FTRACE_VM_BIN) $(foreach f,$(VM_FILES),$(firstword $(subst =, ,$(f))))

.PHONY: vm-test vm-kernel
.SECONDEXPANSION:
vm-test: $$(VM_DEPS)
	$(if $(SANITIZE),$(error vm-test needs the static binary: run it without SANITIZE))
	FTRACE_VM_OUT=$(OUT)/vm tests/vm/run.sh $(ARCH) $(VM_SCRIPT) $(FTRACE_VM_BIN)=ftrace $(VM_FILES)

vm-kernel:
	tests/vm/kernel.sh $(ARCH)
