# t-stats.sh - the statistics block on stderr (sourced by run-tests.sh).

# stat_is NAME FILE FIELD VALUE : the block in FILE has "FIELD: VALUE".
stat_is() {
    local name=$1 file=$2 field=$3 value=$4 got
    got=$(grep -m1 "^$field *: " "$file" | sed 's/^[^:]*: //')
    if [ "$got" = "$value" ]; then
        pass "stats/$name"
    else
        fail "stats/$name" "$field is '$got', expected '$value'"
    fi
}

# stats_of CAPTURE ARGS... : run miruo, leave stderr in $WORK/stats.err
stats_of() {
    local cap=$1; shift
    "$MIRUO" -C0 "$@" -f "$CASES/$cap" >"$WORK/stats.out" 2>"$WORK/stats.err"
}

# Field names and order are the original's (spec 10.2).
stats_of normal.pcap
sed -n '/^===== Session Statistics/,/^==============================$/p' "$WORK/stats.err" |
    sed 's/ *:.*//' >"$WORK/stats.fields"
cat >"$WORK/stats.expected" <<'FIELDS'
===== Session Statistics =====
Capture Time
Total Sessions
  Lookup
    LongConnect
    LongDelay
    Retransmit
    Timeout
    Error
    RST
    fragment
------------------------------
LongConnectTime
LongDelayTime
RetransmitTime
------------------------------
ActiveSession
ActiveSessionMax
ActiveSessionLim
ActiveSegment
ActiveSegmentMax
ActiveSegmentLim
DropSession
DropSegment
------------------------------
CPU
VSZ
RSS
Bound
===== libpcap Statistics =====
recv
drop
ifdrop
===== Header Error Count =====
L2
IP
TCP
==============================
FIELDS
check stats/field_order cmp -s "$WORK/stats.fields" "$WORK/stats.expected"
check stats/blank_line_before test "$(sed -n 2p "$WORK/stats.err")" = ""
stat_is normal_sessions       "$WORK/stats.err" "Total Sessions" 1
stat_is normal_lookup_none    "$WORK/stats.err" "  Lookup" 0
stat_is normal_segment_max    "$WORK/stats.err" ActiveSegmentMax 9
stat_is normal_active_zero    "$WORK/stats.err" ActiveSession 0
stat_is normal_session_lim    "$WORK/stats.err" ActiveSessionLim 1024
stat_is normal_segment_lim    "$WORK/stats.err" ActiveSegmentLim 65536
stat_is normal_retrans_time   "$WORK/stats.err" RetransmitTime "1000 [ms]"
check stats/rss_reported grep -Eq '^RSS   : [1-9][0-9]*KB$' "$WORK/stats.err"

# Bound: the memory -L and -l allow.  With the default limits it stays
# within the 16 MB the defaults promise; it grows with the limits, by the
# per-session and per-segment sizes of man/miruo.1 (LIMITS); -L 0 or
# -l 0 have none.
bound_of() {
    grep -m1 '^Bound : ' "$WORK/stats.err" | sed 's/^Bound : \([0-9]*\)KB$/\1/'
}
b_default=$(bound_of)
check stats/bound_default_within_16mb test "${b_default:-0}" -gt 4096 -a \
    "${b_default:-99999}" -le 16384
stats_of normal.pcap -L 300000 -l 2000000
b_big=$(bound_of)
# 300000 sessions (in chunks of 4096: 303104) x 648 bytes, 2300000
# segments (-l plus one opening SYN per session; 2301952) x 104 bytes.
check stats/bound_grows_by_pools test "${b_big:-0}" -ge \
    $(( b_default + (303104 - 4096) * 648 / 1024 + (2301952 - 69632) * 104 / 1024 ))
stats_of normal.pcap -L 0
stat_is bound_unlimited_sessions "$WORK/stats.err" Bound unlimited
stats_of normal.pcap -l 0
stat_is bound_unlimited_segments "$WORK/stats.err" Bound unlimited

stats_of retrans.pcap
stat_is retrans_lookup        "$WORK/stats.err" "  Lookup" 1
stat_is retrans_counted       "$WORK/stats.err" "    Retransmit" 1
stat_is retrans_capture_time  "$WORK/stats.err" "Capture Time" 00:00:01

stats_of ref_long_session.pcap
stat_is pruned_segment_max    "$WORK/stats.err" ActiveSegmentMax 2048

stats_of bad_headers.pcap
stat_is bad_headers_l2        "$WORK/stats.err" L2 2
stat_is bad_headers_ip        "$WORK/stats.err" IP 5
stat_is bad_headers_tcp       "$WORK/stats.err" TCP 4

stats_of truncated.pcap
stat_is truncated_l2          "$WORK/stats.err" L2 1
stat_is truncated_ip          "$WORK/stats.err" IP 1
stat_is truncated_tcp         "$WORK/stats.err" TCP 1

stats_of rst.pcap -R0
stat_is rst_counted_R0        "$WORK/stats.err" "    RST" 1
stat_is rst_not_shown_R0      "$WORK/stats.err" "  Lookup" 0

stats_of slow.pcap -t 1000
stat_is long_delay_segments   "$WORK/stats.err" "    LongDelay" 1
stat_is long_delay_time       "$WORK/stats.err" LongDelayTime "1000 [ms]"

stats_of frag.pcap
stat_is fragment_segments     "$WORK/stats.err" "    fragment" 1

stats_of dupconn.pcap
stat_is error_break           "$WORK/stats.err" "    Error" 1
stat_is error_break_sessions  "$WORK/stats.err" "Total Sessions" 2

stats_of timeout_halfopen.pcap
stat_is timeout_counted       "$WORK/stats.err" "    Timeout" 1

stats_of longconn.pcap -T 3501
stat_is long_connect          "$WORK/stats.err" "    LongConnect" 1

# Pools: -L 2 -l 8 on three overlapping 20-packet sessions.
stats_of pool.pcap -L 2 -l 8 --all
stat_is pool_session_max      "$WORK/stats.err" ActiveSessionMax 2
stat_is pool_segment_max      "$WORK/stats.err" ActiveSegmentMax 8
stat_is pool_segment_lim      "$WORK/stats.err" ActiveSegmentLim 8
check stats/pool_drop_session grep -Eq '^DropSession     : [1-9]' "$WORK/stats.err"
check stats/pool_drop_segment grep -Eq '^DropSegment     : [1-9]' "$WORK/stats.err"
check stats/pool_truncated_shown grep -q '\[truncated\]$' "$WORK/stats.out"

# Unlimited pools print as such.
stats_of normal.pcap -L 0 -l 0
stat_is unlimited_sessions    "$WORK/stats.err" ActiveSessionLim "0 (unlimited)"

# -s N on a file: every N seconds of capture time, and once at the end.
# longconn.pcap has packets at 0, 1.5 and 3.5 s: blocks at 1.5, 3.5, end.
stats_of longconn.pcap -s 1
check stats/interval_file test "$(grep -c '^===== Session Statistics' "$WORK/stats.err")" = 3
stats_of longconn.pcap
check stats/once_without_s test "$(grep -c '^===== Session Statistics' "$WORK/stats.err")" = 1
