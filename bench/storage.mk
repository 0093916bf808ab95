# The storage benchmark's helper (bench/storage.sh): bench/commit times
# store_commit on responses built as the kiosk builds them, so it links the
# core and store objects like the unit tests do.
BENCH_BIN += $(BUILD)/bench/commit

$(BUILD)/bench/commit: bench/commit.c $(CORE_OBJ) $(STORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) $(STORE_CFLAGS) $< $(CORE_OBJ) $(STORE_OBJ) -o $@ \
	  $(shell pkg-config --libs jansson libsodium sqlite3 2>/dev/null) -lm -lpthread
