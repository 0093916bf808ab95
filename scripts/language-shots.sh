#!/usr/bin/env bash
# Saves the first question of every shipped questionnaire in every language
# the questionnaire declares, for docs/screenshots/languages/ and for people
# to look at: Arabic joined and right to left, Bengali conjuncts whole, no
# missing-glyph boxes, nothing clipped.
# Usage: scripts/language-shots.sh [OUT-DIR] [WxH]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots/languages}
size=${2:-1280x800}
make --no-print-directory all >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export SDL_VIDEODRIVER=dummy
printf 'tap 640 200\nshot first\n' >"$work/first.replay"
for file in config/questionnaires/*.json; do
  id=$(basename "$file" .json)
  langs=$(sed -n 's/.*"languages": *\[\([^]]*\)\].*/\1/p' "$file" | tr -d '" ' | tr ',' ' ')
  for lang in $langs; do
    conf="$work/$id-$lang"
    mkdir -p "$conf/questionnaires"
    cp "$file" "$conf/questionnaires/"
    printf '{"format": 1, "default_language": "%s", "questionnaires": ["%s"]}\n' "$lang" "$id" \
      >"$conf/device.json"
    build/sayso --config "$conf" --replay "$work/first.replay" --shots "$conf" \
      --data "$work/data-$id-$lang" --size "$size" >"$conf/log" 2>&1 ||
      { echo "failed: $id $lang"; cat "$conf/log"; exit 1; }
    cp "$conf/first.png" "$out/$id-$lang.png"
  done
done
ls "$out" | wc -l
