#!/bin/bash
# run-tests.sh - miruo's test driver, run by `make check`.
#
# Runs every check, prints one line per check and ends with the line
# "N passed, N failed" (plus skipped ones, each with its reason).  Exits 1
# when anything failed.  Environment (set by Makefile.am):
#   MIRUO     the binary under test      MKPCAP   the capture generator
#   SRCDIR    the source tree            BUILDDIR the build tree
set -u
export TZ=UTC LC_ALL=C

: "${MIRUO:?}" "${MKPCAP:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
T="$SRCDIR/tests"
WORK="${MIRUO_TEST_OUT:-$BUILDDIR/tests/out}"
CASES="$WORK/cases"
rm -rf "$WORK"
mkdir -p "$CASES"

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=""

pass() { PASSED=$((PASSED + 1)); echo "ok    $1"; }
fail() {
    FAILED=$((FAILED + 1)); FAILED_NAMES="$FAILED_NAMES $1"
    echo "FAIL  $1${2:+: $2}"
}
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip  $1: $2"; }

# check NAME CONDITION-COMMAND... : pass when the command succeeds.
check() {
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi
}

# Captures: generated ones, then the shipped ones (reference traffic).
if ! "$MKPCAP" "$CASES"; then
    fail "generator" "mkpcap could not write the test captures"
fi
cp "$T"/captures/* "$CASES"/

# ---- golden outputs ---------------------------------------------------------
# tests/TESTLIST: NAME CAPTURE EXIT-STATUS ARGS...  ->  tests/golden/NAME.out
while read -r name capture rc args; do
    case "$name" in ''|'#'*) continue ;; esac
    exp="$T/golden/$name.out"
    out="$WORK/$name.out"
    # shellcheck disable=SC2086
    "$MIRUO" -C0 $args -f "$CASES/$capture" >"$out" 2>"$WORK/$name.err"
    got=$?
    if [ "$got" != "$rc" ]; then
        fail "golden/$name" "exit status $got, expected $rc"
    elif [ ! -f "$exp" ]; then
        fail "golden/$name" "no expected output $exp"
    elif ! cmp -s "$exp" "$out"; then
        fail "golden/$name" "output differs"
        diff -u "$exp" "$out" | head -20 | sed 's/^/      /'
    else
        pass "golden/$name"
    fi
done <"$T/TESTLIST"

# ---- helpers for the groups that use real traffic ---------------------------

# netns_pair and wait_for (tests/lib.sh; bench/live.sh uses them too)
. "$T/lib.sh"

# ---- the other groups -------------------------------------------------------
for group in "$T"/t-*.sh; do
    # shellcheck disable=SC1090
    . "$group"
done

echo
if [ -n "$FAILED_NAMES" ]; then
    echo "failed:$FAILED_NAMES"
fi
[ "$SKIPPED" -gt 0 ] && echo "($SKIPPED skipped, reasons above)"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
