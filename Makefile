# lading — build, test, fuzz.
#   make setup      install the Debian packages the build and tests need
#   make            build build/lading and build/liblading.a
#   make test       setup + build + unit tests + CLI tests
#   make sanitize   unit tests under AddressSanitizer and UBSan (build-san/)
#   make tsan       8 concurrent contexts and a cancel under ThreadSanitizer (build-tsan/)
#   make fuzz       build the libFuzzer harnesses (clang) into build-fuzz/
#   make bench      run the benchmarks (see bench/README.md)
#   make demo       setup + build + build a real Debian image + scan it

BUILD    ?= build
CC       ?= cc
PKGS      = libarchive zlib libisal libzstd sqlite3 libcrypto jansson yaml-0.1 libcurl
# Warnings are errors on our code. -Wconversion is left out: with libarchive's
# and zlib's mixed integer types it flags every length, and we check lengths
# explicitly instead (see docs/architecture.md).
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wvla -Wnull-dereference -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(WARN) $(CFLAGS) $(SANFLAGS) \
             $(shell pkg-config --cflags $(PKGS))
# the binary classifiers' data file, embedded as a C array (src/catalog/classify.c)
ALL_CFLAGS += -I$(BUILD)/gen
# libcurl is not linked: src/util/curlapi.c loads it when a registry or a
# feed download needs it (its headers are still used)
LIBS      = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -lpthread -ldl
TEST_LIBS = $(shell pkg-config --libs cmocka)

LIB_SRC  := $(shell find src -name '*.c' -not -path 'src/cli/*' -not -path 'src/front/*' | LC_ALL=C sort)
# the front ends share src/front/ (environment -> options, error tables)
FRONT_SRC := $(wildcard src/front/*.c)
CLI_SRC  := $(wildcard src/cli/*.c) $(FRONT_SRC)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
HDRS     := $(shell find include src tests/unit -name '*.h')

.PHONY: tools all setup demo test test-unit test-cli sanitize tsan fuzz fuzz-smoke bench clean format
all: $(BUILD)/lading

setup:
	sh scripts/setup.sh
	@if [ -f tests/js/setup.sh ]; then sh tests/js/setup.sh; fi

$(BUILD)/obj/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/src/catalog/classify.o: $(BUILD)/gen/classifiers.inc
$(BUILD)/gen/classifiers.inc: data/classifiers.tsv
	@mkdir -p $(dir $@)
	od -An -v -tx1 $< | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' >$@

$(BUILD)/liblading.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/lading: $(CLI_OBJ) $(BUILD)/liblading.a
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/liblading.a $(LIBS)

FRONT_OBJ := $(FRONT_SRC:%.c=$(BUILD)/obj/%.o)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblading.a $(FRONT_OBJ) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(FRONT_OBJ) $(BUILD)/liblading.a $(LIBS) $(TEST_LIBS)

# Test tools (tests/tools/*.c): small programs the CLI tests drive.
$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/liblading.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/liblading.a $(LIBS)

tools: $(TOOL_BIN)

test-unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

test-cli: $(BUILD)/lading $(TOOL_BIN)
	@LADING_TOOLS=$(abspath $(BUILD)/tools) sh tests/run-cli.sh $(BUILD)/lading

test: setup
	$(MAKE) all test-unit
	$(MAKE) test-cli

sanitize:
	$(MAKE) BUILD=build-san CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" test-unit

# ThreadSanitizer: 8 contexts scanning the bookworm fixture on 8 threads at
# once (tests/tools/engine.c parallel), each with 2 walker threads, and a
# cancel from another thread. Needs the fixture (make test builds it).
TSAN_IMAGE ?= oci:.cache/fixtures/bookworm/oci:bookworm
tsan:
	$(MAKE) BUILD=build-tsan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SANFLAGS="-fsanitize=thread" build-tsan/tools/engine
	LADING_FIXTURE_SUITES=bookworm sh scripts/build-fixtures.sh
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tools/engine parallel 8 $(TSAN_IMAGE)
	TSAN_OPTIONS="halt_on_error=1" build-tsan/tools/engine cancel $(TSAN_IMAGE) bytes:20000000

FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" \
	  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/liblading.a
	$(MAKE) BUILD=build-fuzz CC=clang $(FUZZ_BIN)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/liblading.a
	clang -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -O1 -g -fsanitize=fuzzer,address,undefined \
	  $(shell pkg-config --cflags $(PKGS)) -o $@ $< build-fuzz/liblading.a $(LIBS)

# The README quickstart: a real bookworm image built from Debian's archive
# (cached in .cache/fixtures), its bill of materials, the Debian tracker
# downloaded and the image scanned (scripts/demo.sh says plainly when the
# feed cannot be reached, and what to do).
demo: setup
	$(MAKE) all
	LADING_FIXTURE_SUITES=bookworm sh scripts/build-fixtures.sh
	sh scripts/demo.sh $(BUILD)/lading

# Runs every fuzz harness for FUZZ_SECONDS on its seeds (tests/fuzz/seeds/<name>).
FUZZ_SECONDS ?= 30
fuzz-smoke: fuzz
	@sh tests/fuzz/seed.sh
	@for f in $(FUZZ_BIN); do \
	  n=$$(basename $$f); n=$${n#fuzz_}; \
	  mkdir -p build-fuzz/corpus/$$n; \
	  seeds=""; [ -d tests/fuzz/seeds/$$n ] && seeds=tests/fuzz/seeds/$$n; \
	  [ -d build-fuzz/seeds/$$n ] && seeds="$$seeds build-fuzz/seeds/$$n"; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=1048576 \
	    build-fuzz/corpus/$$n $$seeds >build-fuzz/$$n.log 2>&1 \
	    || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	done; echo "fuzz: all harnesses ran clean"

bench: all tools
	sh bench/run.sh

format:
	clang-format -i $$(find include src tests -name '*.[ch]')

clean:
	rm -rf build build-san build-fuzz build-tsan
