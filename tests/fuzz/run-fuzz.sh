#!/bin/bash
# run-fuzz.sh - `make check-fuzz`: run each libFuzzer target for a bounded
# time from the seed corpora and fail if any input crashes, leaks, hangs
# or runs out of memory.
#
# Environment (set by tests/fuzz/fuzz.am):
#   FUZZ_BIN   directory of the built targets   MKPCAP  the capture generator
#   SRCDIR     the source tree                  FUZZ_OUT  work directory
#   FUZZ_TIME  seconds per target (default 60)
#   FUZZ_TARGETS  targets to run (default: all four)
# Each target's corpus grows in $FUZZ_OUT/corpus/NAME and is reused by the
# next run; crashing inputs are left in $FUZZ_OUT/artifacts.  Prints one
# line per target and ends with "N passed, N failed".
set -u
export LC_ALL=C

: "${FUZZ_BIN:?}" "${MKPCAP:?}" "${SRCDIR:?}"
OUT="${FUZZ_OUT:-$FUZZ_BIN/out}"
TIME="${FUZZ_TIME:-60}"
TARGETS="${FUZZ_TARGETS:-decode session file http}"
ART="$OUT/artifacts"
SEEDS="$OUT/seeds"
CAPS="$OUT/captures"

passed=0
failed=0
rm -rf "$SEEDS" "$CAPS"
mkdir -p "$ART" "$SEEDS" "$CAPS" "$OUT/logs"

# Seeds: every generated case (the hostile ones included) and the shipped
# reference captures, converted for each target by mkseeds.py.
if ! "$MKPCAP" "$CAPS"; then
    echo "FAIL  fuzz/seeds: mkpcap could not write the captures"
    echo "0 passed, 1 failed"
    exit 1
fi
cp "$SRCDIR"/tests/captures/* "$CAPS"/
chmod -R u+w "$CAPS"
if ! python3 "$SRCDIR/tests/fuzz/mkseeds.py" "$CAPS" "$SEEDS"; then
    echo "FAIL  fuzz/seeds: mkseeds.py failed"
    echo "0 passed, 1 failed"
    exit 1
fi

for t in $TARGETS; do
    bin="$FUZZ_BIN/fuzz_$t"
    log="$OUT/logs/fuzz_$t.log"
    corpus="$OUT/corpus/$t"
    mkdir -p "$corpus"
    case $t in
    decode)  max=4096 ;;
    session) max=16384 ;;
    http)    max=16384 ;;
    *)       max=65536 ;;
    esac
    if [ ! -x "$bin" ]; then
        echo "FAIL  fuzz/$t: $bin not built"
        failed=$((failed + 1))
        continue
    fi
    # The first directory is the corpus that grows; the seeds are read.
    "$bin" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$max" -print_final_stats=1 \
        -artifact_prefix="$ART/$t-" "$corpus" "$SEEDS/$t" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" |
           tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    arts=$(grep -o "Test unit written to [^ ]*" "$log" | sed 's/.* //')
    if [ "$rc" -eq 0 ] && [ -z "$arts" ]; then
        echo "ok    fuzz/$t: ${runs:-?} runs in ${secs:-?} s, ${cov:-cov: ?}"
        passed=$((passed + 1))
    else
        echo "FAIL  fuzz/$t: exit $rc after ${runs:-?} runs; ${arts:-see $log}"
        grep -m1 -A12 'ERROR: \|^fuzz: \|==ERROR\|runtime error' "$log" | sed 's/^/      /'
        failed=$((failed + 1))
    fi
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
