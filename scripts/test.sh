#!/usr/bin/env bash
# Installs what is missing, builds (dev preset) and runs every test. With --asan, also builds the
# AddressSanitizer + UBSan preset and runs the suite under it. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

asan=0
for arg in "$@"; do
  case "$arg" in
    --asan) asan=1 ;;
    *) echo "test.sh: unknown option $arg (use --asan)" >&2; exit 2 ;;
  esac
done

./scripts/setup-deps.sh
jobs=$(nproc)

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

if [[ $asan -eq 1 ]]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset asan -j "$jobs"
fi
