# Sayso build. `make run` and `make test` are the two entry points, and `make
# bench` measures; each installs missing Debian packages first
# (scripts/install-deps.sh).
#
# Each layer is compiled with only its own libraries' flags, so an include
# that breaks the layering in docs/architecture.md fails to build: the core
# gets jansson and libsodium (pure computation, no I/O); store adds SQLite;
# sync adds libcurl (never SDL); the UI gets SDL; central gets libmicrohttpd,
# libpq and libsodium.

CC      ?= cc
BUILD   ?= build
PKGS    := sdl2 SDL2_ttf SDL2_image sqlite3 jansson libsodium libcurl fribidi libunibreak espeak-ng
CENTRAL_PKGS := libmicrohttpd libpq libsodium sqlite3 jansson
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP
SAN     :=

CORE_CFLAGS  := $(shell pkg-config --cflags jansson libsodium 2>/dev/null)
STORE_CFLAGS := $(shell pkg-config --cflags jansson libsodium sqlite3 2>/dev/null)
SYNC_CFLAGS  := $(shell pkg-config --cflags jansson sqlite3 libcurl 2>/dev/null)
APP_CFLAGS   := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
APP_LIBS     := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
CENTRAL_CFLAGS := $(shell pkg-config --cflags $(CENTRAL_PKGS) 2>/dev/null)
CENTRAL_LIBS   := $(shell pkg-config --libs $(CENTRAL_PKGS) 2>/dev/null) -lm -lpthread
TEST_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

CORE_SRC  := $(wildcard src/core/*.c)
STORE_SRC := $(wildcard src/store/*.c)
SYNC_SRC  := $(wildcard src/sync/*.c)
UI_SRC    := $(wildcard src/ui/*.c)
APP_SRC   := $(wildcard src/app/*.c)
CENTRAL_SRC := $(wildcard src/central/*.c)

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
STORE_OBJ := $(STORE_SRC:%.c=$(BUILD)/%.o)
SYNC_OBJ  := $(SYNC_SRC:%.c=$(BUILD)/%.o)
CENTRAL_OBJ := $(CENTRAL_SRC:%.c=$(BUILD)/%.o)
UI_OBJ    := $(UI_SRC:%.c=$(BUILD)/%.o)
APP_OBJ   := $(APP_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

include tests/fuzz/fuzz.mk

# Benchmark programs: each bench/NAME.mk builds its own into $(BUILD)/bench/
# and appends them to BENCH_BIN.
BENCH_BIN :=
-include bench/*.mk

.PHONY: all run run-kiosk run-central test asan deps deps-test check-config format clean fuzz bench bench-bin deps-bench
.DEFAULT_GOAL := all

all: $(BUILD)/sayso $(BUILD)/sayso-central $(BUILD)/tests/faultproxy $(BUILD)/tests/loadgen \
     $(BUILD)/tests/contrast $(BUILD)/tests/crashpoint.so

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/src/store/%.o: src/store/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(STORE_CFLAGS) -c $< -o $@

$(BUILD)/src/sync/%.o: src/sync/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(SYNC_CFLAGS) -c $< -o $@

$(BUILD)/src/central/%.o: src/central/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(CENTRAL_CFLAGS) -c $< -o $@

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/sayso: $(CORE_OBJ) $(STORE_OBJ) $(SYNC_OBJ) $(UI_OBJ) $(APP_OBJ)
	@echo "  CC $@"; $(CC) $(SAN) $^ -o $@ $(APP_LIBS)

$(BUILD)/sayso-central: $(CORE_OBJ) $(CENTRAL_OBJ)
	@echo "  CC $@"; $(CC) $(SAN) $^ -o $@ $(CENTRAL_LIBS)

# Test tools. faultproxy is plain C, loadgen adds libcurl; contrast reads
# screenshots with SDL_image.
$(BUILD)/tests/faultproxy: tests/tools/faultproxy.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $< -o $@ -lpthread

# Preloaded by the power-loss test; never sanitized (it must load first).
$(BUILD)/tests/crashpoint.so: tests/tools/crashpoint.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) -fPIC -shared $< -o $@ -ldl

$(BUILD)/tests/loadgen: tests/tools/loadgen.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(shell pkg-config --cflags libcurl 2>/dev/null) $< -o $@ $(shell pkg-config --libs libcurl 2>/dev/null) -lpthread

$(BUILD)/tests/contrast: tests/tools/contrast.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(shell pkg-config --cflags sdl2 SDL2_image 2>/dev/null) $< -o $@ $(shell pkg-config --libs sdl2 SDL2_image 2>/dev/null) -lm

# The speech test also needs the speech module (espeak-ng, SDL audio).
$(BUILD)/tests/test_speech: tests/unit/test_speech.c $(BUILD)/src/ui/speech.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(APP_CFLAGS) $< $(BUILD)/src/ui/speech.o $(CORE_OBJ) -o $@ $(APP_LIBS) $(TEST_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ) $(STORE_OBJ) $(SYNC_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(APP_CFLAGS) $< $(CORE_OBJ) $(STORE_OBJ) $(SYNC_OBJ) -o $@ $(APP_LIBS) $(TEST_LIBS)

# A 1280x800 window on the shipped config and a local database in ./var.
# --windowed is developer mode: Escape or closing the window quits.
run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/sayso --windowed --config config --data var

# Full screen kiosk mode, as on a device: only a staff exit leaves it.
run-kiosk: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/sayso --config config --data var

# The central server on its embedded defaults: SQLite in ./var/central,
# http://127.0.0.1:8470/v1/. Add a device with
#   build/sayso-central device add kiosk-1 --site "Demo ward"
run-central: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/sayso-central --data var/central

test: deps-test
	@$(MAKE) --no-print-directory all units
	tests/run.sh $(BUILD)
	@$(MAKE) --no-print-directory analyze
	@$(MAKE) --no-print-directory asan

units: $(UNIT_BIN) $(FUZZ_REPLAY_BIN)

# The whole suite again, built with AddressSanitizer and UBSan.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all units
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run.sh build/asan

# ---- Benchmarks: `make bench` (docs/performance.md) ----
# Not tests: they print a table against the budgets and write
# bench/results.json. BENCH_QUICK=1 for a short smoke run; BENCH_PARTS=browser
# (names of bench/*.sh) to run only some.
bench: deps-bench
	@$(MAKE) --no-print-directory all bench-bin
	BUILD=$(BUILD) bench/run.sh $(BENCH_PARTS)

bench-bin: $(BENCH_BIN)
	@:

check-config: all
	./$(BUILD)/sayso check config/device.json config/questionnaires/*.json

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c

# ---- Static analysis: `make analyze` (docs/testing.md, "Static analysis") ----
# cppcheck over the sources and the tests' C, then clang-tidy (checks in
# .clang-tidy) over every src/*/*.c with its own layer's flags, two files at
# a time. Any finding fails. A file passed by clang-tidy leaves a stamp in
# $(BUILD)/analyze, so a second run checks only what changed since.
ANALYZE_JOBS ?= 2
CPPCHECK_FLAGS := --quiet --enable=warning,style,performance,portability --inline-suppr \
  --error-exitcode=1 --std=c11 -D_GNU_SOURCE -D__GNUC__ -Isrc \
  --library=posix,gnu,sdl,sqlite3,libcurl --suppress=missingIncludeSystem \
  --suppress=readdirCalled --template=gcc -j$(ANALYZE_JOBS)
TIDY_CFLAGS  := -std=c17 -D_GNU_SOURCE $(filter-out -Werror,$(WARN)) -Isrc
TIDY_core    := $(CORE_CFLAGS)
TIDY_store   := $(STORE_CFLAGS)
TIDY_sync    := $(SYNC_CFLAGS)
TIDY_central := $(CENTRAL_CFLAGS)
TIDY_ui      := $(APP_CFLAGS)
TIDY_app     := $(APP_CFLAGS)
TIDY_STAMPS  := $(patsubst %.c,$(BUILD)/analyze/%.ok,$(wildcard src/*/*.c))

.PHONY: analyze analyze-cppcheck analyze-tidy analyze-tidy-files

# Both tools run even when the first finds something, so one run shows all.
analyze:
	@status=0; $(MAKE) --no-print-directory analyze-cppcheck || status=1; \
	  $(MAKE) --no-print-directory analyze-tidy || status=1; exit $$status

analyze-cppcheck:
	@echo "  CPPCHECK src tests/unit tests/tools"
	@cppcheck $(CPPCHECK_FLAGS) src tests/unit tests/tools

analyze-tidy:
	@$(MAKE) --no-print-directory -k -j$(ANALYZE_JOBS) analyze-tidy-files

analyze-tidy-files: $(TIDY_STAMPS)
	@:

# Every header is a prerequisite: one changed contract re-checks everything.
$(BUILD)/analyze/%.ok: %.c .clang-tidy $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  TIDY $<"; out=$$(clang-tidy --quiet $< -- $(TIDY_CFLAGS) \
	  $(TIDY_$(word 2,$(subst /, ,$<))) 2>&1); rc=$$?; \
	  printf '%s\n' "$$out" | grep -v -e '^$$' -e ' generated\.$$' >&2; \
	  [ $$rc -eq 0 ] && touch $@

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
