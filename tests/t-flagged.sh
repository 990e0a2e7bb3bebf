# t-flagged.sh - -W (the flagged sessions' packets) and --exit-status
# (sourced by run-tests.sh).

FW="$WORK/flagged"
mkdir -p "$FW"

"$MIRUO" -C0 -W "$FW/f.pcapng" -f "$CASES/ref_live_real.pcap" >"$FW/f.out" 2>"$FW/f.err"
check flagged/exit test $? = 0
# The packets of the flagged sessions, as the text output counts them.
want=$(grep -E '^[0-9]{4,} ' "$FW/f.out" | sed 's/.*Total \([0-9]*\) segments.*/\1/' |
       awk '{ n += $1 } END { print n }')
check flagged/some_sessions test "${want:-0}" -gt 0
if command -v tcpdump >/dev/null; then
    got=$(tcpdump -nn -r "$FW/f.pcapng" 2>/dev/null | wc -l)
    check flagged/tcpdump_reads_all test "$got" = "$want"
fi
if command -v tshark >/dev/null; then
    tshark -r "$FW/f.pcapng" -T fields -e tcp.srcport -e tcp.dstport \
        -e frame.comment >"$FW/tshark.txt" 2>"$FW/tshark.err"
    check flagged/tshark_reads test $? = 0
    check flagged/tshark_count test "$(wc -l <"$FW/tshark.txt")" = "$want"
    check flagged/every_packet_commented test "$(grep -c '	miruo: ' "$FW/tshark.txt")" = "$want"
    check flagged/comment_retransmit grep -Eq '	miruo: retransmit \+[0-9]+\.[0-9]{3} s \(session 5\)$' "$FW/tshark.txt"
    check flagged/comment_rst grep -q '	miruo: rst (session 3)$' "$FW/tshark.txt"
    check flagged/comment_context grep -q '	miruo: session 5: retransmit' "$FW/tshark.txt"
    # Exactly the flagged sessions: their server ports, nothing else.
    ports=$(grep -E '^[0-9]{4,} ' "$FW/f.out" | sed 's/.*== [0-9.]*:\([0-9]*\) .*/\1/' | sort -u | tr '\n' ' ')
    seen=$(awk '{ print ($1 < $2 ? $1 : $2) }' "$FW/tshark.txt" | sort -u | tr '\n' ' ')
    check flagged/only_flagged_sessions test "$ports" = "$seen"
else
    skip flagged/tshark "tshark not installed"
fi
# The plain session (8000) of the capture is not in the file.
"$MIRUO" -C0 -W "$FW/none.pcapng" -f "$CASES/normal.pcap" >/dev/null 2>&1
check flagged/nothing_flagged_empty test "$(tcpdump -nn -r "$FW/none.pcapng" 2>/dev/null | wc -l)" = 0
"$MIRUO" -C0 -W "$FW/f.pcap" --write-format=pcap -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
check flagged/pcap_format test "$(tcpdump -nn -r "$FW/f.pcap" 2>/dev/null | wc -l)" = 11
# --all shows every session but flags none: -W writes nothing.
"$MIRUO" -C0 --all -W "$FW/all.pcapng" -f "$CASES/normal.pcap" >/dev/null 2>&1
check flagged/all_is_not_flagged test "$(tcpdump -nn -r "$FW/all.pcapng" 2>/dev/null | wc -l)" = 0

# --exit-status: 0 nothing flagged, 3 flagged, 4 the capture lost data.
"$MIRUO" -C0 --exit-status -f "$CASES/normal.pcap" >/dev/null 2>&1
check exit/nothing_flagged_0 test $? = 0
"$MIRUO" -C0 --exit-status -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
check exit/flagged_3 test $? = 3
"$MIRUO" -C0 --exit-status --all -f "$CASES/normal.pcap" >/dev/null 2>&1
check exit/all_alone_0 test $? = 0
"$MIRUO" -C0 --exit-status -L 1 -f "$CASES/pool.pcap" >/dev/null 2>&1
check exit/dropped_sessions_4 test $? = 4
"$MIRUO" -C0 --exit-status -l 8 -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
check exit/dropped_segments_4 test $? = 4
"$MIRUO" -C0 -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
check exit/without_flag_0 test $? = 0
"$MIRUO" -C0 --exit-status -f "$CASES/trunc_record.pcap" >/dev/null 2>&1
check exit/read_error_still_2 test $? = 2
