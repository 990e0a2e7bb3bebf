# t-unit.sh - unit test programs linked against src/libmiruo.a (sourced by
# run-tests.sh).  Each prints "ok NAME" / "FAIL NAME: why" lines; every
# line counts as one check here.

run_unit() {
    local prog=$1 name line
    name=$(basename "$prog")
    if [ ! -x "$prog" ]; then
        fail "unit/$name" "not built: $prog"
        return
    fi
    "$prog" >"$WORK/$name.log" 2>&1
    local rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*"# skip"*) skip "unit/$name/${line#ok }" "${line#*# }" ;;
        "ok "*)   pass "unit/$name/${line#ok }" ;;
        "FAIL "*) fail "unit/$name/${line#FAIL }" ;;
        esac
    done <"$WORK/$name.log"
    [ "$rc" -eq 0 ] || fail "unit/$name" "exit status $rc"
}

for prog in test_files test_html test_http test_outputs test_pool; do
    run_unit "$UNITDIR/$prog"
done
