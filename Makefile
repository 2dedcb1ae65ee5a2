# lading — build, test, fuzz.
#   make setup      install the Debian packages the build and tests need
#   make            build build/lading and build/liblading.a
#   make test       setup + build + unit tests + CLI tests
#   make sanitize   unit tests under AddressSanitizer and UBSan (build-san/)
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

LIB_SRC  := $(shell find src -name '*.c' -not -path 'src/cli/*' | LC_ALL=C sort)
CLI_SRC  := $(wildcard src/cli/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
HDRS     := $(shell find include src tests/unit -name '*.h')

.PHONY: tools all setup demo test test-unit test-cli sanitize fuzz fuzz-smoke bench clean format
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

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblading.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/liblading.a $(LIBS) $(TEST_LIBS)

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

# Runs every fuzz harness for FUZZ_SECONDS on its seeds: tests/fuzz/seeds/<name>
# (checked in) and build-fuzz/seeds/<name> (made by tests/fuzz/seed.sh from the
# corpus, with $(BUILD)/lading writing the SBOM and scan seeds). seed.sh ends
# with tests/fuzz/check-seeds.sh: a harness without seeds, or with one over
# FUZZ_MAX_LEN, fails here before anything runs.
FUZZ_SECONDS ?= 30
FUZZ_MAX_LEN ?= 1048576
fuzz-smoke: fuzz $(BUILD)/lading
	@FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) sh tests/fuzz/seed.sh $(BUILD)/lading
	@for f in $(FUZZ_BIN); do \
	  n=$$(basename $$f); n=$${n#fuzz_}; \
	  mkdir -p build-fuzz/corpus/$$n; \
	  seeds=""; [ -d tests/fuzz/seeds/$$n ] && seeds=tests/fuzz/seeds/$$n; \
	  [ -d build-fuzz/seeds/$$n ] && seeds="$$seeds build-fuzz/seeds/$$n"; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) \
	    build-fuzz/corpus/$$n $$seeds >build-fuzz/$$n.log 2>&1 \
	    || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	done; echo "fuzz: all harnesses ran clean"

bench: all tools
	sh bench/run.sh

format:
	clang-format -i $$(find include src tests -name '*.[ch]')

clean:
	rm -rf build build-san build-fuzz
