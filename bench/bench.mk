# make bench: ftrace against the kernel's floor (an empty BPF program on the
# same uprobe+uretprobe). Needs root. Not part of the tests.
#   make bench BENCH_ROUNDS=5 BENCH_CALLS=1000000

BENCH_ROUNDS ?= 3
BENCH_CALLS ?= 1000000
BENCH_OUT := $(OUT)/bench
BENCH_SYS_OBJS := $(OUT)/src/pmu.o $(OUT)/src/sys.o $(OUT)/src/err.o

$(BENCH_OUT):
	mkdir -p $@

$(BENCH_OUT)/floor: bench/floor.c $(BENCH_SYS_OBJS) | $(BENCH_OUT)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS)

$(BENCH_OUT)/drive: bench/drive.c | $(BENCH_OUT)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS)

# the workload: an ordinary -O2 program, as a user would build it
$(BENCH_OUT)/calls: tests/targets/calls.c | $(BENCH_OUT)
	$(CC) -O2 -pthread -o $@ $<

bench: $(BIN) $(BENCH_OUT)/floor $(BENCH_OUT)/drive $(BENCH_OUT)/calls
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) ROUNDS=$(BENCH_ROUNDS) \
		CALLS=$(BENCH_CALLS) sh bench/run.sh
	@# the machine-readable sinks at the same workload
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) ROUNDS=$(BENCH_ROUNDS) CALLS=$(BENCH_CALLS) \
		FTRACE_ARGS=--format=json sh bench/run.sh
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) ROUNDS=$(BENCH_ROUNDS) CALLS=$(BENCH_CALLS) \
		FTRACE_ARGS='--perfetto %TMP%/trace.json -o /dev/null' sh bench/run.sh
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) sh bench/top.sh
	FTRACE=$(BIN) sh bench/scale.sh

# one output format: make bench-sink BENCH_ARGS=--format=json
bench-sink: $(BIN) $(BENCH_OUT)/floor $(BENCH_OUT)/drive $(BENCH_OUT)/calls
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) ROUNDS=$(BENCH_ROUNDS) CALLS=$(BENCH_CALLS) \
		FTRACE_ARGS='$(BENCH_ARGS)' sh bench/run.sh
.PHONY: bench-sink

# only the live view's CPU time per second (bench/top.sh)
bench-top: $(BIN) $(BENCH_OUT)/calls
	FTRACE=$(BIN) BENCH_DIR=$(BENCH_OUT) sh bench/top.sh
.PHONY: bench-top

# only arming and teardown of many probes (bench/scale.sh)
bench-scale: $(BIN)
	FTRACE=$(BIN) sh bench/scale.sh
.PHONY: bench-scale
