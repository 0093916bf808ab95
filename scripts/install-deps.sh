#!/usr/bin/env bash
# Installs the Debian 12 packages Sayso needs to build, run and test, but only
# those that are missing, so `make run` and `make test` are quick after the
# first time. Uses sudo when not root. See docs/dependencies.md for why each
# package is here.
set -euo pipefail

build=(build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
       libsqlite3-dev libjansson-dev libcurl4-openssl-dev libmicrohttpd-dev
       libpq-dev libsodium-dev libfribidi-dev libunibreak-dev libespeak-ng-dev espeak-ng-data)
test=(libcmocka-dev xvfb xauth sqlite3 clang libclang-rt-dev postgresql openssl curl clang-format
      cppcheck clang-tidy)
# The benchmarks: the test set plus the browser they compare with.
bench=(chromium bc)
want=("${build[@]}")
case "${1:-build}" in
  test) want+=("${test[@]}") ;;
  bench) want+=("${test[@]}" "${bench[@]}") ;;
  build) ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "sayso: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
