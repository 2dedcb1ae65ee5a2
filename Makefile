# lading — build, test, fuzz.
#   make setup      install the Debian packages the build and tests need
#   make            build build/lading, build/liblading.a, liblading.so.0 and lading.pc
#   make install    into $(DESTDIR)$(PREFIX) (/usr/local): the binary, headers, libraries, lading.pc
#   make test       setup + build + unit tests + CLI tests
#   make sanitize   unit tests under AddressSanitizer and UBSan (build-san/)
#   make tsan       8 concurrent contexts and a cancel under ThreadSanitizer (build-tsan/)
#   make fuzz       build the libFuzzer harnesses (clang) into build-fuzz/
#   make bench      run the benchmarks (see bench/README.md)
#   make demo       setup + build + build a real Debian image + scan it

BUILD    ?= build
CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
SOVERSION = 0
PKGS      = libarchive zlib libisal libzstd sqlite3 libcrypto jansson yaml-0.1 libcurl
# Warnings are errors on our code. -Wconversion is left out: with libarchive's
# and zlib's mixed integer types it flags every length, and we check lengths
# explicitly instead (see docs/architecture.md).
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wvla -Wnull-dereference -Werror
CFLAGS   ?= -O2 -g
# Per-object header dependencies (-MMD): an object is rebuilt when a header it
# includes changes, not when any header does.
DEPFLAGS  = -MMD -MP
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# The library: its own headers, everything hidden but LADING_EXTERN, position
# independent (the same objects make the static and the shared library).
LIB_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -I$(BUILD)/gen $(WARN) $(CFLAGS) $(SANFLAGS) \
             -fvisibility=hidden -fPIC $(PKG_CFLAGS)
# Front ends (cli/, front/) see the public headers and their own, nothing of src/.
FE_CFLAGS  = -std=c11 -D_GNU_SOURCE -Iinclude -Icli -Ifront $(WARN) $(CFLAGS) $(SANFLAGS)
# Tests, tools and fuzzers reach inside (they test internals).
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -Ifront -I$(BUILD)/gen $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS)
# libcurl is not linked: src/util/curlapi.c loads it when a registry or a
# feed download needs it (its headers are still used)
LIBS      = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -lpthread -ldl
TEST_LIBS = $(shell pkg-config --libs cmocka)

LIB_SRC  := $(shell find src -name '*.c' | LC_ALL=C sort)
# the front ends share front/ (environment -> options, error tables)
FRONT_SRC := $(wildcard front/*.c)
CLI_SRC  := $(wildcard cli/*.c) $(FRONT_SRC)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
FRONT_OBJ := $(FRONT_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
# tools that use the public API only link the public archive (proof that they can)
PUBLIC_TOOLS := engine
STATIC   := $(BUILD)/liblading.a
INTERNAL := $(BUILD)/liblading-internal.a
SHARED   := $(BUILD)/liblading.so.$(SOVERSION)

.PHONY: tools all lib setup demo test test-unit test-cli sanitize tsan fuzz fuzz-smoke bench clean format \
        install check-symbols check-layering
all: $(BUILD)/lading $(SHARED) $(BUILD)/lading.pc
lib: $(STATIC) $(SHARED)

setup:
	sh scripts/setup.sh
	@if [ -f tests/js/setup.sh ]; then sh tests/js/setup.sh; fi

$(BUILD)/obj/src/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/cli/%.o: cli/%.c Makefile
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(FE_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/obj/front/%.o: front/%.c Makefile
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(FE_CFLAGS) $(DEPFLAGS) -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD)/obj/src/catalog/classify.o: $(BUILD)/gen/classifiers.inc
$(BUILD)/gen/classifiers.inc: data/classifiers.tsv
	@mkdir -p $(dir $@)
	od -An -v -tx1 $< | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' >$@

# Every object, every symbol: for the tests, tools and fuzzers that test internals.
$(INTERNAL): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The static library a user links: one relocatable object whose hidden
# symbols are made local, so that only lading_* remain global and nothing of
# ours can clash with a program's own buf_append or ref_parse.
$(STATIC): $(LIB_OBJ)
	@rm -f $@ $(BUILD)/obj/liblading-all.o
	ld -r -o $(BUILD)/obj/liblading-all.o $^
	objcopy --localize-hidden $(BUILD)/obj/liblading-all.o $(BUILD)/obj/liblading.o
	ar rcs $@ $(BUILD)/obj/liblading.o

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,liblading.so.$(SOVERSION) -Wl,--no-undefined $(CFLAGS) $(SANFLAGS) \
	  -o $@ $^ $(LIBS)
	ln -sf liblading.so.$(SOVERSION) $(BUILD)/liblading.so

$(BUILD)/lading.pc: Makefile
	@mkdir -p $(dir $@)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: lading' 'Description: container image bill of materials and vulnerability scanner' \
	  'Version: '$$(sed -n 's/^#define LADING_VERSION "\(.*\)"/\1/p' include/lading/lading.h) \
	  'Requires.private: $(filter-out libcurl,$(PKGS))' \
	  'Libs: -L$${libdir} -llading' 'Libs.private: -lpthread -ldl' 'Cflags: -I$${includedir}' >$@

# The CLI links the public archive: a call to anything but the public API
# would not link.
$(BUILD)/lading: $(CLI_OBJ) $(STATIC)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(CLI_OBJ) $(STATIC) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(INTERNAL) $(FRONT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/unit -o $@ $< $(FRONT_OBJ) $(INTERNAL) $(LIBS) $(TEST_LIBS)

# Test tools (tests/tools/*.c): small programs the CLI tests drive.
$(BUILD)/tools/%: tests/tools/%.c $(INTERNAL)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -o $@ $< $(INTERNAL) $(LIBS)
$(PUBLIC_TOOLS:%=$(BUILD)/tools/%): $(BUILD)/tools/%: tests/tools/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(FE_CFLAGS) $(DEPFLAGS) -o $@ $< $(STATIC) $(LIBS)

-include $(UNIT_BIN:=.d) $(TOOL_BIN:=.d)

tools: $(TOOL_BIN)

# No global symbol of the library without the project's prefix, in the
# static and the shared library.
check-symbols: $(STATIC) $(SHARED)
	@bad=$$( { nm -g --defined-only $(STATIC); nm -D --defined-only $(SHARED); } | \
	  awk 'NF == 3 && $$3 !~ /^lading_/ {print $$3}' | sort -u); \
	if [ -n "$$bad" ]; then echo "check-symbols: exported without the lading_ prefix:"; echo "$$bad"; exit 1; fi; \
	echo "check-symbols: $$(nm -D --defined-only $(SHARED) | awk 'NF == 3' | wc -l) symbols exported, all lading_*"

# Dependencies run one way (docs/architecture.md): scripts/check-layering.sh.
check-layering:
	@sh scripts/check-layering.sh

test-unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

test-cli: $(BUILD)/lading $(TOOL_BIN)
	@LADING_TOOLS=$(abspath $(BUILD)/tools) sh tests/run-cli.sh $(BUILD)/lading

test: setup
	$(MAKE) all check-symbols check-layering test-unit
	$(MAKE) test-cli

install: $(BUILD)/lading $(STATIC) $(SHARED) $(BUILD)/lading.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/lading
	install -m 755 $(BUILD)/lading $(DESTDIR)$(PREFIX)/bin/lading
	install -m 644 include/lading/*.h $(DESTDIR)$(PREFIX)/include/lading/
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/liblading.a
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/liblading.so.$(SOVERSION)
	ln -sf liblading.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/liblading.so
	install -m 644 $(BUILD)/lading.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/lading.pc

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
	  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/liblading-internal.a
	$(MAKE) BUILD=build-fuzz CC=clang $(FUZZ_BIN)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/liblading-internal.a
	clang -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -O1 -g -fsanitize=fuzzer,address,undefined \
	  $(shell pkg-config --cflags $(PKGS)) -o $@ $< build-fuzz/liblading-internal.a $(LIBS)

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
	clang-format -i $$(find include src cli front tests -name '*.[ch]')

clean:
	rm -rf build build-san build-fuzz build-tsan
