# t-cli.sh - command line, errors and exit status (sourced by run-tests.sh).
# Uses: check/pass/fail, MIRUO, CASES, WORK.

# expect_error NAME EXIT PATTERN ARGS... : exit status, one stderr line
# matching PATTERN, nothing on stdout.
expect_error() {
    local name=$1 want=$2 pat=$3; shift 3
    "$MIRUO" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err"
    local got=$? lines
    lines=$(grep -v '^reading from file' "$WORK/cli.err" | wc -l)
    if [ "$got" != "$want" ]; then
        fail "cli/$name" "exit $got, expected $want"
    elif [ "$lines" != 1 ] && [ "$want" = 1 ]; then
        fail "cli/$name" "expected one stderr line, got $lines"
    elif ! grep -q -- "$pat" "$WORK/cli.err"; then
        fail "cli/$name" "stderr does not match '$pat': $(head -c 300 "$WORK/cli.err")"
    elif [ -s "$WORK/cli.out" ] && [ "$want" = 1 ]; then
        fail "cli/$name" "unexpected stdout"
    else
        pass "cli/$name"
    fi
}

expect_error bad_number       1 "miruo: -T (--long-connect): invalid value 'abc'.*Try 'miruo -h'" -T abc -f "$CASES/normal.pcap"
expect_error bad_suffix       1 "invalid value '12x'" -t 12x -f "$CASES/normal.pcap"
expect_error negative_limit   1 "-L (--session-limit): invalid value '-1'" -L -1 -f "$CASES/normal.pcap"
expect_error empty_value      1 "invalid value ''" -r "" -f "$CASES/normal.pcap"
expect_error unknown_long     1 "unknown or ambiguous option '--nosuch'.*Try 'miruo -h'" --nosuch
expect_error unknown_short    1 "option '-A'" -A
expect_error ambiguous        1 "unknown or ambiguous option '--limit-se'" --limit-se 5
expect_error missing_value    1 "option -T (--long-connect) requires a value" -T
expect_error bad_dpi          1 "unknown mode 'mysql' (supported: tcp, http" -m mysql
expect_error no_file          1 "miruo: /nonexistent.pcap: .*No such file" -f /nonexistent.pcap
expect_error not_capture      1 "miruo: .*garbage.bin: unknown file format" -f "$CASES/garbage.bin"
expect_error empty_capture    1 "miruo: .*empty.pcap: truncated dump file" -f "$CASES/empty.pcap"
expect_error bad_filter       1 "bad filter expression 'port 80 -C1'" -f "$CASES/normal.pcap" port 80 -C1
expect_error unsupported_dlt  1 "unsupported link type PPP (PPP)" -f "$CASES/ppp.pcap"
expect_error no_device        1 "miruo: nosuchif0: " -i nosuchif0
expect_error truncated_record 2 "miruo: read error: .*trunc_record.pcap: truncated dump file" -f "$CASES/trunc_record.pcap"

# Help and version go to stdout, exit 0.
"$MIRUO" -h >"$WORK/help.out" 2>&1
check cli/help_exit test $? = 0
check cli/help_usage grep -q '^usage: miruo \[option\] \[expression\]' "$WORK/help.out"
for opt in -h -V -i -f -v -T -t -r -s -S -R -F -C -L -l -m -q --all --live; do
    check "cli/help_lists_$opt" grep -q -- " $opt[,= ]" "$WORK/help.out"
done
"$MIRUO" -V >"$WORK/version.out" 2>&1
check cli/version_exit test $? = 0
check cli/version_line grep -q '^  miruo version ' "$WORK/version.out"
check cli/version_libpcap grep -q '^libpcap version ' "$WORK/version.out"

# Long names: documented and original spellings, one or two dashes,
# prefixes; filter words after the options.
for spelling in --session-limit=1 --limit-session=1 -limit-session=1 \
                "--session-limit 1" --limit-sess=1; do
    # shellcheck disable=SC2086
    "$MIRUO" -C0 --all $spelling -f "$CASES/twoflows.pcap" >"$WORK/l.out" 2>"$WORK/l.err"
    check "cli/long_name_${spelling// /_}" grep -q '^ActiveSessionLim: 1$' "$WORK/l.err"
done
"$MIRUO" -C0 --all --stat=5 --segment-limit=3 -f "$CASES/normal.pcap" >/dev/null 2>"$WORK/l.err"
check cli/segment_limit_long grep -q '^ActiveSegmentLim: 3$' "$WORK/l.err"
"$MIRUO" -C0 --all -f "$CASES/twoflows.pcap" port 40001 >"$WORK/f.out" 2>/dev/null
check cli/filter_selects test "$(grep -c '^000[0-9] ' "$WORK/f.out")" = 1
"$MIRUO" -C0 --all -f "$CASES/twoflows.pcap" 'tcp and port' 40001 >"$WORK/f2.out" 2>/dev/null
check cli/filter_words_joined cmp -s "$WORK/f.out" "$WORK/f2.out"

# The banner goes to stderr; stdout holds only sessions.
"$MIRUO" -C0 --all -f "$CASES/normal.pcap" >"$WORK/b.out" 2>"$WORK/b.err"
check cli/banner_on_stderr grep -q '^reading from file .*normal.pcap, link-type EN10MB (Ethernet)' "$WORK/b.err"
check cli/stdout_only_sessions test "$(head -c 4 "$WORK/b.out")" = 0001

# -f - reads standard input.
"$MIRUO" -C0 --all -f - <"$CASES/normal.pcap" >"$WORK/stdin.out" 2>/dev/null
check cli/stdin_file cmp -s "$WORK/stdin.out" "$T/golden/normal_all.out"

# Colour: off when stdout is not a terminal, forced with -C1.
"$MIRUO" --all -f "$CASES/normal.pcap" 2>/dev/null | grep -q $'\033' \
    && fail cli/color_off_for_pipes || pass cli/color_off_for_pipes
"$MIRUO" -C1 -f "$CASES/retrans.pcap" >"$WORK/c.out" 2>/dev/null
check cli/color_header_yellow grep -q $'^\033\\[33m0001 .*\033\\[39m$' "$WORK/c.out"
check cli/color_original_green grep -q $'^\033\\[32m0001:0003 ' "$WORK/c.out"
check cli/color_copy_red grep -q $'^\033\\[31m0001:0006 ' "$WORK/c.out"
check cli/color_span_cyan grep -q $'^\033\\[36m0001:0004 ' "$WORK/c.out"
check cli/color_last_ack_blue grep -q $'^\033\\[34m0001:0010 ' "$WORK/c.out"
check cli/color_elision_plain grep -q '^0001:\*\*\*\* ' "$WORK/c.out"

# miruo | head ends quietly when the reader goes away.
"$MIRUO" -C0 --live -f "$CASES/ref_long_session.pcap" 2>"$WORK/pipe.err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
check cli/sigpipe_quiet test "$rc" = 0 -o "$rc" = 141
check cli/sigpipe_no_message test ! -s "$WORK/pipe.err" -o -z "$(grep -v '^reading' "$WORK/pipe.err")"

# -Z USER: drop root after opening the capture (as root only).
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
    "$MIRUO" -C0 --all -Z nobody -f "$CASES/normal.pcap" >"$WORK/z.out" 2>"$WORK/z.err"
    check cli/Z_drops_and_runs test $? = 0
    check cli/Z_output_unchanged cmp -s "$WORK/z.out" "$T/golden/normal_all.out"
    # The capture is opened before the drop: a file nobody cannot read works.
    cp "$CASES/normal.pcap" "$WORK/root-only.pcap"
    chmod 600 "$WORK/root-only.pcap"
    "$MIRUO" -C0 --all -Z nobody -f "$WORK/root-only.pcap" >/dev/null 2>&1
    check cli/Z_after_open test $? = 0
    expect_error Z_unknown_user 1 "miruo: -Z: unknown user 'no-such-user-x'" -Z no-such-user-x -f "$CASES/normal.pcap"
    expect_error Z_root_refused 1 "still able to act as root" -Z root -f "$CASES/normal.pcap"
else
    skip cli/Z "not root or no user 'nobody'"
fi
# A live open without permission names the missing capability.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$MIRUO" -i lo \
        >/dev/null 2>"$WORK/perm.err"
    check cli/live_permission_exit test $? = 1
    check cli/live_permission_names_cap grep -q 'CAP_NET_RAW' "$WORK/perm.err"
fi
