# Storage faults (docs/storage.md#when-storage-fails): an unreadable database
# at start is kept aside and a new one started, with an alert for staff; a
# full disk and a read-only data folder stop new answers with a clear
# message, damage nothing saved before, and recover by themselves. The full
# disk is a small tmpfs, so that part needs root (CI runs as root).
. tests/scripts/lib.sh

replays=tests/replay/storage
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT

# kiosk SCRIPT DATA LOG: one replay run, the log kept outside DATA (a full
# disk must not also swallow the log)
kiosk() {
  timeout 120 "$SAYSO" --replay "$1" --data "$2" --shots "$TEST_TMP" \
    --config "$STAFF_CONFIG" >"$3" 2>&1
}

# wait_shot NAME: up to 60 s for the replay to reach its `shot NAME`
wait_shot() {
  for _ in $(seq 1200); do [ -s "$TEST_TMP/$1.png" ] && return 0; sleep 0.05; done
  return 1
}

# wait_log LOG TEXT: up to 60 s for TEXT to appear in LOG
wait_log() {
  for _ in $(seq 1200); do grep -q "$2" "$1" && return 0; sleep 0.05; done
  return 1
}

committed() { grep -c '^response committed id=' "$1"; }
ids() { sql "$1" "SELECT id FROM responses ORDER BY seq" | tr '\n' ' '; }

# ---- an unreadable database at start: kept aside, never deleted ----

check_moved_aside() { # NAME DATA LOG ORIGINAL-COPY-OR-EMPTY
  local name=$1 data=$2 log=$3 original=$4 kept
  kept=$(cd "$data" && ls -d sayso.db.unreadable-* 2>/dev/null | grep -v -e '-wal$' -e '-shm$')
  expect_eq "$name: kiosk ran, staff saw and cleared the alert" "$kiosk_status" 0
  if [ -n "$kept" ]; then pass "$name: kept as $kept"; else fail "$name: kept aside" "$(ls "$data")"; fi
  if [ -n "$original" ]; then
    if cmp -s "$original" "$data/$kept"; then pass "$name: the kept file is byte for byte the old one"
    else fail "$name: the kept file is byte for byte the old one"; fi
  fi
  expect_eq "$name: the new database is sound" "$(sql "$data" "PRAGMA integrity_check")" ok
  expect_eq "$name: the new database took the answer" "$(sql "$data" "SELECT count(*) FROM responses")" 1
  grep -q 'kept the unreadable database as' "$log" && pass "$name: logged" || fail "$name: logged"
}

data=$(fresh_data garbage)
head -c 20000 /dev/urandom >"$data/sayso.db"
cp "$data/sayso.db" "$TEST_TMP/garbage.orig"
kiosk "$replays/alert.replay" "$data" "$TEST_TMP/garbage.log"; kiosk_status=$?
check_moved_aside "not a database" "$data" "$TEST_TMP/garbage.log" "$TEST_TMP/garbage.orig"
kiosk "$replays/no-alert.replay" "$data" "$TEST_TMP/garbage2.log"
expect_eq "not a database: a cleared alert stays cleared after a restart" $? 0

data=$(fresh_data damaged)
kiosk "$replays/answer.replay" "$data" "$TEST_TMP/damaged0.log"
# Scribble over the schema's page (after the 100-byte header of page 1).
head -c 3000 /dev/urandom | dd of="$data/sayso.db" bs=1 seek=100 conv=notrunc 2>/dev/null
cp "$data/sayso.db" "$TEST_TMP/damaged.orig"
kiosk "$replays/alert.replay" "$data" "$TEST_TMP/damaged.log"; kiosk_status=$?
check_moved_aside "damaged schema" "$data" "$TEST_TMP/damaged.log" "$TEST_TMP/damaged.orig"

data=$(fresh_data folder)
mkdir -p "$data/sayso.db/inside" && echo keep >"$data/sayso.db/inside/file"
kiosk "$replays/alert.replay" "$data" "$TEST_TMP/folder.log"; kiosk_status=$?
check_moved_aside "a folder where the database should be" "$data" "$TEST_TMP/folder.log" ""
expect_eq "a folder where the database should be: its contents kept" \
  "$(cat "$data"/sayso.db.unreadable-*/inside/file 2>/dev/null)" keep

# ---- a read-only data folder ----

data=$(fresh_data readonly)
as_root=false
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=8m tmpfs "$data"; then
  as_root=true; mounts+=("$data")
fi
kiosk "$replays/answer.replay" "$data" "$TEST_TMP/ro0.log"
before=$(ids "$data")
if $as_root; then mount -o remount,ro "$data"; else chmod 555 "$data"; fi
sum=$(cat "$data"/sayso.db* | sha256sum)
kiosk "$replays/cannot-save-at-start.replay" "$data" "$TEST_TMP/ro.log" &
pid=$!
if wait_shot read-only-fix-now; then
  expect_eq "read-only folder: nothing touched while read-only" "$(cat "$data"/sayso.db* | sha256sum)" "$sum"
  if $as_root; then mount -o remount,rw "$data"; else chmod 755 "$data"; fi
fi
wait "$pid"
expect_eq "read-only folder: clear message, staff told why, recovered by itself" $? 0
grep -q 'is read-only' "$TEST_TMP/ro.log" && pass "read-only folder: the log says read-only" ||
  fail "read-only folder: the log says read-only" "$(tail -5 "$TEST_TMP/ro.log")"
expect_eq "read-only folder: earlier answers unchanged" "$(ids "$data" | cut -d' ' -f1)" "${before% }"
expect_eq "read-only folder: the new answer saved after" "$(sql "$data" "SELECT count(*) FROM responses")" 2
expect_eq "read-only folder: nothing moved aside" "$(ls "$data" | grep -c unreadable)" 0

# ---- a full disk ----

if [ "$(id -u)" -ne 0 ]; then
  echo "ok full disk # SKIP needs root for a small tmpfs"
  finish; exit
fi
data=$(fresh_data full)
mount -t tmpfs -o size=4m tmpfs "$data" && mounts+=("$data")
fill() { dd if=/dev/zero of="$data/filler" bs=4k 2>/dev/null; sync; }
kiosk "$replays/answer.replay" "$data" "$TEST_TMP/full0.log"
first=$(ids "$data")

fill
kiosk "$replays/full-at-start.replay" "$data" "$TEST_TMP/full1.log" &
pid=$!
wait_shot full-at-start && rm -f "$data/filler"
wait "$pid"
expect_eq "full disk at start: no answers taken, recovered by itself" $? 0
grep -q 'cannot take answers: the data folder .* is full' "$TEST_TMP/full1.log" &&
  pass "full disk at start: the log says the folder is full" ||
  fail "full disk at start: the log says the folder is full" "$(grep cannot "$TEST_TMP/full1.log")"
expect_eq "full disk at start: nothing moved aside" "$(ls "$data" | grep -c unreadable)" 0

# Room at start, none left when the next person begins: they are told
# before answering anything.
printf 'expect-screen welcome
pause 4000
tap 640 300
tap-text "Tell us about our service"
%s
%s
' \
  'expect-screen cannot-save' 'expect-text "Sorry, this screen cannot save answers right now."' \
  >"$TEST_TMP/full-before-start.replay"
kiosk "$TEST_TMP/full-before-start.replay" "$data" "$TEST_TMP/full15.log" &
pid=$!
wait_log "$TEST_TMP/full15.log" 'first frame' && fill
wait "$pid"
expect_eq "full disk before someone starts: told before answering" $? 0
grep -q 'cannot take answers: the data folder .* bytes free' "$TEST_TMP/full15.log" &&
  pass "full disk before someone starts: the log gives the free space" ||
  fail "full disk before someone starts: the log gives the free space" "$(grep cannot "$TEST_TMP/full15.log")"
rm -f "$data/filler"

kiosk "$replays/full-while-answering.replay" "$data" "$TEST_TMP/full2.log" &
pid=$!
wait_log "$TEST_TMP/full2.log" 'questionnaire service-feedback started' && fill
wait_shot full-while-answering && rm -f "$data/filler"
wait "$pid"
expect_eq "full disk while answering: answers kept, saved by the retry" $? 0
grep -q 'could not save response .*(code 13)' "$TEST_TMP/full2.log" &&
  pass "full disk while answering: the save really failed (SQLITE_FULL)" ||
  fail "full disk while answering: the save really failed (SQLITE_FULL)" "$(grep -i 'save' "$TEST_TMP/full2.log")"
expect_eq "full disk while answering: saved exactly once" "$(committed "$TEST_TMP/full2.log")" 1
id=$(sed -n 's/^response committed id=//p' "$TEST_TMP/full2.log")
expect_eq "full disk while answering: that response is there once" \
  "$(sql "$data" "SELECT count(*) FROM responses WHERE id='$id'")" 1
expect_eq "full disk: earlier answers unchanged" "$(ids "$data" | cut -d' ' -f1)" "${first% }"
expect_eq "full disk: three responses in all" "$(sql "$data" "SELECT count(*) FROM responses")" 3
expect_eq "full disk: integrity_check" "$(sql "$data" "PRAGMA integrity_check")" ok

finish
