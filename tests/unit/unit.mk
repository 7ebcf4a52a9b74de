# Unit tests, included by the top Makefile.
#   make unit               build and run every tests/unit/test_*.c
#   make unit SANITIZE=1    the same under ASan + UBSan
# Each test program links against the objects of src/ (through an archive, so
# a test pulls in only the modules it uses) and gets the fixture directory as
# argv[1]. Fixtures are compiled from tests/fixtures/ with the host gcc, and
# readelf dumps of them (.syms, .phdrs, .relocs) are written next to them so
# the tests can cross-check the ELF reader against binutils.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(UNIT_SRCS))
UNIT_LIB := $(OUT)/tests/unit/libftrace.a
UNIT_LDFLAGS := $(filter-out -static,$(LDFLAGS))
AR := $(CROSS)ar

FIX := $(OUT)/fixtures
FIX_SRC := tests/fixtures
FIX_CC ?= gcc
FIX_CFLAGS := -O2 -g0 -w
READELF ?= readelf
STRIP ?= strip

# Cross fixtures (32-bit ARM: Thumb, REL relocations; riscv64) are built when
# the cross compilers are installed; the tests skip them otherwise.
FIX_ARM_CC := $(shell command -v arm-linux-gnueabihf-gcc 2>/dev/null)
FIX_RV_CC := $(shell command -v riscv64-linux-gnu-gcc 2>/dev/null)

FIX_ELFS := $(FIX)/pie $(FIX)/nopie $(FIX)/stripped $(FIX)/libfx.so
ifneq ($(FIX_ARM_CC),)
FIX_ELFS += $(FIX)/arm-pie $(FIX)/arm-libfx.so
endif
ifneq ($(FIX_RV_CC),)
FIX_ELFS += $(FIX)/riscv64-pie
endif
FIX_DUMPS := $(foreach f,$(FIX_ELFS),$(f).syms $(f).phdrs $(f).relocs)

FIX_LIBFLAGS := -fPIC -shared -Wl,--version-script=$(FIX_SRC)/fx_lib.map \
	-Wl,-soname,libfx.so.1

$(FIX):
	mkdir -p $@

$(FIX)/pie: $(FIX_SRC)/fx_prog.c | $(FIX)
	$(FIX_CC) $(FIX_CFLAGS) -fpie -pie -rdynamic -o $@ $<

$(FIX)/nopie: $(FIX_SRC)/fx_prog.c | $(FIX)
	$(FIX_CC) $(FIX_CFLAGS) -fno-pie -no-pie -o $@ $<

$(FIX)/stripped: $(FIX)/pie
	$(STRIP) -o $@ $<

$(FIX)/libfx.so: $(FIX_SRC)/fx_lib.c $(FIX_SRC)/fx_lib.map | $(FIX)
	$(FIX_CC) $(FIX_CFLAGS) $(FIX_LIBFLAGS) -o $@ $<

$(FIX)/arm-pie: $(FIX_SRC)/fx_prog.c | $(FIX)
	$(FIX_ARM_CC) $(FIX_CFLAGS) -mthumb -fpie -pie -rdynamic -o $@ $<

$(FIX)/arm-libfx.so: $(FIX_SRC)/fx_lib.c $(FIX_SRC)/fx_lib.map | $(FIX)
	$(FIX_ARM_CC) $(FIX_CFLAGS) -marm $(FIX_LIBFLAGS) -o $@ $<

$(FIX)/riscv64-pie: $(FIX_SRC)/fx_prog.c | $(FIX)
	$(FIX_RV_CC) $(FIX_CFLAGS) -fpie -pie -rdynamic -o $@ $<

$(FIX)/%.syms: $(FIX)/%
	$(READELF) -W -s $< > $@

$(FIX)/%.phdrs: $(FIX)/%
	$(READELF) -W -l $< > $@

$(FIX)/%.relocs: $(FIX)/%
	$(READELF) -W -r $< > $@

$(OUT)/tests/unit:
	mkdir -p $@

$(UNIT_LIB): $(OBJS) | $(OUT)/tests/unit
	rm -f $@
	$(AR) rcs $@ $^

$(OUT)/tests/unit/%: tests/unit/%.c tests/unit/check.h $(UNIT_LIB) \
		$(wildcard src/*.h arch/*.h) | $(OUT)/tests/unit
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(UNIT_LIB) $(UNIT_LDFLAGS)

unit: $(UNIT_BINS) $(FIX_ELFS) $(FIX_DUMPS)
	@fail=0; for t in $(UNIT_BINS); do \
		$$t $(FIX) || { echo "$$t: FAILED"; fail=1; }; \
	done; exit $$fail
