# libFuzzer targets (docs/fuzzing.md). Included by the top Makefile.
#
# `make fuzz` builds each tests/fuzz/fuzz_<target>.c with clang,
# -fsanitize=fuzzer,address,undefined into build/fuzz/ and runs each for
# FUZZ_SECONDS on a scratch copy of its seeds (tests/fuzz/run.sh).
# `make units` builds the same targets without libFuzzer, with
# tests/fuzz/replay_main.c, as $(BUILD)/tests/fuzz_<target>, which
# tests/scripts/fuzz_corpus.sh runs over the seeds and the regressions.
# They are not named test_* since tests/run.sh runs those with no arguments.

FUZZ_TARGETS := questionnaire replay_script sync_reply central_request
FUZZ_SECONDS ?= 60
FUZZ_REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz_%)
FUZZ_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)
FUZZ_CORE_LIBS := $(shell pkg-config --libs jansson libsodium 2>/dev/null) -lm -lpthread
# Central's objects without its main, like the server is linked.
FUZZ_CENTRAL_OBJ := $(filter-out $(BUILD)/src/central/main.o,$(CENTRAL_OBJ))
FUZZ_CORE_REPLAY := $(filter-out %_central_request,$(FUZZ_REPLAY_BIN))
FUZZ_CORE_FUZZ := $(filter-out %_central_request,$(FUZZ_BIN))

.PHONY: fuzz-build

# The replay binaries take the normal (or asan) flags and replay_main.c; the
# fuzz binaries add libFuzzer itself, whose main runs the target.
$(FUZZ_CORE_REPLAY): $(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(CORE_CFLAGS) $< tests/fuzz/replay_main.c $(CORE_OBJ) -o $@ $(FUZZ_CORE_LIBS)

$(FUZZ_CORE_FUZZ): $(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_OBJ)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) -fsanitize=fuzzer $(CORE_CFLAGS) $< $(CORE_OBJ) -o $@ $(FUZZ_CORE_LIBS)

$(BUILD)/tests/fuzz_central_request: tests/fuzz/fuzz_central_request.c tests/fuzz/replay_main.c $(CORE_OBJ) $(FUZZ_CENTRAL_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(CENTRAL_CFLAGS) $< tests/fuzz/replay_main.c $(CORE_OBJ) $(FUZZ_CENTRAL_OBJ) -o $@ $(CENTRAL_LIBS)

$(BUILD)/fuzz_central_request: tests/fuzz/fuzz_central_request.c $(CORE_OBJ) $(FUZZ_CENTRAL_OBJ)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) -fsanitize=fuzzer $(CENTRAL_CFLAGS) $< $(CORE_OBJ) $(FUZZ_CENTRAL_OBJ) -o $@ $(CENTRAL_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" fuzz-build
	tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
