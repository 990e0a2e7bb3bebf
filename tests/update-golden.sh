#!/bin/bash
# update-golden.sh - rewrite tests/golden/*.out from the current build.
# Usage: tests/update-golden.sh [BUILDDIR]   (review `git diff` afterwards!)
set -eu
export TZ=UTC LC_ALL=C
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC}
CASES=$(mktemp -d)
trap 'rm -rf "$CASES"' EXIT
make -s -C "$BUILD" src/miruo tests/gen/mkpcap
"$BUILD/tests/gen/mkpcap" "$CASES"
cp "$SRC"/tests/captures/* "$CASES"/
while read -r name capture rc args; do
    case "$name" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    "$BUILD/src/miruo" -C0 $args -f "$CASES/$capture" \
        >"$SRC/tests/golden/$name.out" 2>/dev/null || true
done <"$SRC/tests/TESTLIST"
