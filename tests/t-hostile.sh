# t-hostile.sh - hostile captures and floods (sourced by run-tests.sh).
#
# Every hostile capture written by mkpcap (malformed headers, short
# frames, odd flags, time going backwards, broken files; see
# tests/gen/README) is run twice, `-C0 --all` and `-C0 --live -x 0
# --detail -m http:%:%`: each run must end within 20 s with the documented
# exit status (0; 2 for a file that breaks after its start; 1 for one that
# cannot be opened) and print plain text only.  A sanitizer report makes
# miruo exit non-zero, so the exit status also catches those in the
# sanitizer build.  Then exact header-error counters, escapes, sequence
# wrap, flags, time jumps and, last, the floods (generated here, not
# shipped): memory and the session identity under a SYN flood, linear time
# without limits, and segment-pool exhaustion.

H="$WORK/hostile"
mkdir -p "$H"

# hrun TAG CAPTURE ARGS... : run miruo on a capture into $H/TAG.out/.err,
# under a 20 s limit; the exit status is left in $hrc.
hrun() {
    local tag=$1 cap=$2
    shift 2
    timeout 20 "$MIRUO" "$@" -f "$cap" >"$H/$tag.out" 2>"$H/$tag.err"
    hrc=$?
}

# hstat TAG FIELD : the value of FIELD in the statistics block of TAG.
hstat() {
    grep -m1 "^$2 *: " "$H/$1.err" | sed 's/^[^:]*: //'
}

# hstat_is NAME TAG FIELD VALUE
hstat_is() {
    local got
    got=$(hstat "$2" "$3")
    if [ "$got" = "$4" ]; then
        pass "hostile/$1"
    else
        fail "hostile/$1" "$3 is '$got', expected '$4'"
    fi
}

# Raw ESC (0x1b) and NUL bytes in a file: their count.
raw_ctl() {
    LC_ALL=C tr -cd '\000\033' <"$1" | wc -c | tr -d ' '
}

# lacks ARGS... : grep finds nothing.
lacks() {
    ! grep -q "$@"
}

# Session headers printed: "NNNN   duration | a == b | Total ...".
headers() {
    grep -Ec '^[0-9]+ +[0-9]+\.[0-9]{3} \|' "$1"
}

# ---- every hostile capture, two ways ----------------------------------------
# CAPTURE EXIT: 2 = a read error after the start, 1 = cannot be opened.
while read -r cap rc; do
    case "$cap" in ''|'#'*) continue ;; esac
    stem=${cap%.*}_${cap##*.}
    if [ ! -f "$CASES/$cap" ]; then
        fail "hostile/$stem" "mkpcap did not write $cap"
        continue
    fi
    for mode in all live; do
        if [ $mode = all ]; then
            hrun "$stem-$mode" "$CASES/$cap" -C0 --all
        else
            hrun "$stem-$mode" "$CASES/$cap" -C0 --live -x 0 --detail \
                -m 'http:%:%'
        fi
        if [ "$hrc" = 124 ]; then
            fail "hostile/$stem/$mode" "still running after 20 s"
        elif [ "$hrc" != "$rc" ]; then
            fail "hostile/$stem/$mode" "exit status $hrc, expected $rc$(
                grep -m1 -E 'Sanitizer|runtime error' "$H/$stem-$mode.err" |
                sed 's/^/: /')"
        elif [ "$(raw_ctl "$H/$stem-$mode.out")" != 0 ]; then
            fail "hostile/$stem/$mode" "raw ESC or NUL bytes with -C0"
        elif [ "$rc" != 1 ] && [ $mode = all ] &&
             [ "$(headers "$H/$stem-$mode.out")" != \
               "$(hstat "$stem-$mode" 'Total Sessions')" ]; then
            fail "hostile/$stem/$mode" "--all printed $(headers \
                "$H/$stem-$mode.out") sessions of $(hstat "$stem-$mode" \
                'Total Sessions')"
        else
            pass "hostile/$stem/$mode"
        fi
    done
done <<'EOF'
hostile_tcp.pcap 0
hostile_ip.pcap 0
hostile_frag.pcap 0
short_eth.pcap 0
short_sll.pcap 0
short_sll2.pcap 0
vlan8.pcap 0
vlan9.pcap 0
bad_headers.pcap 0
truncated.pcap 0
seqwrap.pcap 0
seqwrap_retrans.pcap 0
portreuse.pcap 0
allflags.pcap 0
timestamps_back.pcap 0
ts_days.pcap 0
ts_back_far.pcap 0
http_longline.pcap 0
http_escape.pcap 0
options.pcap 0
empty.pcap 1
hdr_only.pcap 0
garbage.bin 1
pcap_random.pcap 2
trunc_record.pcap 2
trunc_rechdr.pcap 2
caplen_gt_snaplen.pcap 0
caplen_huge.pcap 2
caplen_gt_len.pcap 0
bogus1.snoop 2
bogus2.snoop 2
bogus3.snoop 2
bogus4.snoop 2
bogus5.snoop 2
bogus6.snoop 2
bogus7.snoop 0
bogus8.snoop 2
fddi.snoop 1
ng_blocklen_huge.pcapng 2
ng_blocklen_short.pcapng 2
ng_blocklen_odd.pcapng 2
ng_trailer.pcapng 2
ng_ts_huge.pcapng 0
EOF

# ---- header error counters (exact: every hostile packet is counted once,
# in the layer whose header is broken) ---------------------------------------
hstat_is tcp_doff_errors        hostile_tcp_pcap-all TCP 7
hstat_is tcp_doff_no_ip_errors  hostile_tcp_pcap-all IP 0
hstat_is tcp_options_session    hostile_tcp_pcap-all "Total Sessions" 1
check hostile/tcp_options_all_shown test "$(grep -c ' >-AP---> ' \
    "$H/hostile_tcp_pcap-live.out")" = 16
hstat_is ip_errors              hostile_ip_pcap-all IP 17
hstat_is ip_tcp_errors          hostile_ip_pcap-all TCP 2
hstat_is ip_l2_errors           hostile_ip_pcap-all L2 0
# The normal session, the 1-byte segment inside link padding, and the
# IPv6 SYN behind exactly 16 extension headers (the limit).
hstat_is ip_sessions            hostile_ip_pcap-all "Total Sessions" 3
check hostile/ipv6_16_ext_accepted grep -qF '[2001:db8::1]:40012 ==' \
    "$H/hostile_ip_pcap-all.out"
hstat_is frag_tcp_errors        hostile_frag_pcap-all TCP 1
hstat_is frag_ip_errors         hostile_frag_pcap-all IP 0
hstat_is frag_flagged           hostile_frag_pcap-all "    fragment" 2
check hostile/frag_shown grep -q '\[fragment\]' "$H/hostile_frag_pcap-all.out"
hstat_is short_eth_l2           short_eth_pcap-all L2 14
hstat_is short_eth_ip           short_eth_pcap-all IP 1
hstat_is short_eth_session      short_eth_pcap-all "Total Sessions" 1
hstat_is short_sll_l2           short_sll_pcap-all L2 16
hstat_is short_sll_ip           short_sll_pcap-all IP 1
hstat_is short_sll2_l2          short_sll2_pcap-all L2 20
hstat_is vlan8_accepted         vlan8_pcap-all L2 0
hstat_is vlan8_session          vlan8_pcap-all "Total Sessions" 1
hstat_is vlan9_rejected         vlan9_pcap-all L2 10
hstat_is vlan9_no_session       vlan9_pcap-all "Total Sessions" 0
# --detail shows the 8 tags of the accepted frames.
check hostile/vlan8_detail grep -q 'vlan 100, vlan 101, .*, vlan 107$' \
    "$H/vlan8_pcap-live.out"

# ---- escapes -------------------------------------------------------------------
E=http_escape_pcap
check hostile/escape_request_line grep -qF \
    'DPI:HTTP:RequestLine >>>> GET /\x1b[2J HTTP/1.1' "$H/$E-live.out"
check hostile/escape_host grep -qF \
    'DPI:HTTP:Header >>>>>>>>> Host: evil\x1b[2J.example' "$H/$E-live.out"
check hostile/escape_nul_title grep -qF \
    'User-Agent: a\x00b\x1b]0;title\x07z' "$H/$E-live.out"
check hostile/escape_high_bytes grep -qF 'X-Ctl: \x01\x7f\xff' "$H/$E-live.out"
check hostile/escape_status_line grep -qF \
    'DPI:HTTP:ResponseLine >>> HTTP/1.1 200 \x1b[31mOK\x00' "$H/$E-live.out"
check hostile/escape_response_time grep -qF \
    'DPI:HTTP:ResponseTime >>> 2.000 ms (GET /\x1b[2J)' "$H/$E-live.out"
# Colour on: the only ESC bytes are miruo's own SGR sequences.
hrun escape-color "$CASES/http_escape.pcap" -C1 --all -m 'http:%:%' -x 0
LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$H/escape-color.out" >"$H/escape-color.stripped"
check hostile/escape_color_only_sgr test "$(raw_ctl "$H/escape-color.stripped")" = 0
check hostile/escape_color_has_sgr grep -q "$(printf '\033')\[3[1-6]m" "$H/escape-color.out"

# A 64 KiB field line: shown cut short, the parser finds the next field
# and pairs the response.
L=http_longline_pcap
longest=$(grep '^DPI:' "$H/$L-live.out" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
check hostile/longline_cut test "$longest" -lt 1024
check hostile/longline_marked grep -q '^DPI:HTTP:Header >>>>>>>>> X-Long: ABCDEFGHIJ.*\.\.\.' "$H/$L-live.out"
check hostile/longline_next_field grep -qF 'User-Agent: after-the-long-line' "$H/$L-live.out"
check hostile/longline_response_time grep -q '^DPI:HTTP:ResponseTime >>> .* ms (GET /long)' "$H/$L-live.out"

# ---- sequence numbers, flags, port reuse, time -----------------------------
hrun seqwrap "$CASES/seqwrap.pcap" -C0
check hostile/seqwrap_not_retransmit test "$(hstat seqwrap '    Retransmit')" = 0
check hostile/seqwrap_not_shown test ! -s "$H/seqwrap.out"
check hostile/seqwrap_all_no_reason grep -q 'Total 14 segments, 1466 bytes$' "$H/seqwrap_pcap-all.out"
hrun seqwrap_r "$CASES/seqwrap_retrans.pcap" -C0
hstat_is seqwrap_resend_counted seqwrap_r "    Retransmit" 1
check hostile/seqwrap_resend_shown grep -q '\[retransmit\]$' "$H/seqwrap_r.out"

hstat_is portreuse_sessions     portreuse_pcap-all "Total Sessions" 3
hstat_is portreuse_no_error     portreuse_pcap-all "    Error" 0
hstat_is portreuse_no_retrans   portreuse_pcap-all "    Retransmit" 0

# 256 flag bytes on one flow (plus a SYN before each RST): every packet
# is decoded and printed with --live; the six flags shown (U A P R S F)
# take all 64 combinations.
hstat_is allflags_tcp_errors    allflags_pcap-all TCP 0
hstat_is allflags_sessions      allflags_pcap-all "Total Sessions" 145
check hostile/allflags_all_printed test "$(grep -c ' [<>][-UAPRSF]\{6\}[<>] ' \
    "$H/allflags_pcap-live.out")" = 387
check hostile/allflags_64_shapes test "$(grep -o ' >[-UAPRSF]\{6\}> ' \
    "$H/allflags_pcap-live.out" | sort -u | wc -l)" = 64

# +3 days mid-session: the idle session times out, the rest is a new
# mid-stream session; the capture spans 72 hours.
hstat_is ts_days_timeout        ts_days_pcap-all "    Timeout" 1
hstat_is ts_days_sessions       ts_days_pcap-all "Total Sessions" 2
hstat_is ts_days_capture_time   ts_days_pcap-all "Capture Time" 72:00:00
check hostile/ts_days_midstream grep -q '(mid-stream)' "$H/ts_days_pcap-all.out"
# Backwards: no negative times anywhere.
check hostile/ts_back_no_negative_span test "$(hstat ts_back_far_pcap-all 'Capture Time')" = 00:00:00
check hostile/ts_back_no_minus lacks '| *-[0-9]' "$H/ts_back_far_pcap-all.out"

# ---- files --------------------------------------------------------------------
check hostile/bogus_snoop_names_record grep -q 'read error: .*record 2: bad record length 20' \
    "$H/bogus1_snoop-all.err"
check hostile/bogus_snoop_first_record_shown test "$(headers "$H/bogus1_snoop-all.out")" = 1
check hostile/snoop_cut_record grep -q 'record 2: truncated record' "$H/bogus8_snoop-all.err"
check hostile/fddi_refused grep -q 'unsupported snoop datalink 8' "$H/fddi_snoop-all.err"
check hostile/pcapng_blocklen_msg grep -q 'read error: ' "$H/ng_blocklen_huge_pcapng-all.err"
check hostile/pcapng_first_packets_kept grep -q 'session still open' \
    "$H/ng_blocklen_huge_pcapng-all.out"
check hostile/rechdr_cut_msg grep -q 'read error: .*truncated' "$H/trunc_rechdr_pcap-all.err"
check hostile/caplen_huge_msg grep -q 'read error: ' "$H/caplen_huge_pcap-all.err"
hstat_is caplen_gt_snaplen_session caplen_gt_snaplen_pcap-all "Total Sessions" 1

# ---- every capture under more option sets --------------------------------------
# No crash, no sanitizer report, no hang, a documented exit status.
# (ng_ts_huge.pcapng has its own checks above.)
m=0
while read -r opts; do
    m=$((m + 1))
    bad=""
    for cap in "$CASES"/*; do
        [ "${cap##*/}" = ng_ts_huge.pcapng ] && continue
        # shellcheck disable=SC2086
        timeout 20 "$MIRUO" -C0 $opts -f "$cap" >/dev/null 2>"$H/matrix.err"
        hrc=$?
        if [ "$hrc" -gt 2 ] || grep -q 'runtime error\|Sanitizer' "$H/matrix.err"; then
            bad="$bad ${cap##*/}($hrc)"
        fi
    done
    if [ -z "$bad" ]; then
        pass "hostile/matrix/$m"
    else
        fail "hostile/matrix/$m" "-C0 $opts:$bad"
    fi
done <<'EOF'
-q --all --time=rel -v 3
-qq --live --time=delta -x 0,20 -R 2
--all -L 1 -l 1 -t 1 -T 1 -r 0 -S 0 -F 0 -m http
--all -L 2 -l 3 -m http:%:% --detail -x 0 -s 1
--live --snaplen 14 -p 2,40 -m http:%:% -w /dev/null --write-format=pcapng
--all --snaplen 60 -c 30 -w /dev/null --write-format=snoop
EOF

# ---- floods (generated here: 35, 3.5, 7 and 18 MB) ----------------------------
if "$MKPCAP" "$H" synflood synflood_50k synflood_100k segflood; then
    pass hostile/flood_generated
else
    fail hostile/flood_generated "mkpcap could not write the floods"
fi

# Peak RSS in KB of a command (GNU time, else python3's getrusage).
peak_rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$H/rss.txt" "$@" >/dev/null 2>"$H/rss.err"
        tail -1 "$H/rss.txt"
    else
        python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
    fi
}
# A sanitizer build has its own memory overhead: RSS is not judged there.
sanitized=0
if grep -qa '__asan_init\|__ubsan_handle' "$MIRUO"; then
    sanitized=1
fi

# (a) 500,000 distinct SYNs with the default limits.
timeout 60 "$MIRUO" -C0 -f "$H/synflood.pcap" >"$H/synflood.out" 2>"$H/synflood.err"
check hostile/synflood_exit test $? = 0
tot=$(grep -m1 '^Total Sessions *: ' "$H/synflood.err" | sed 's/.*: //')
drop=$(grep -m1 '^DropSession *: ' "$H/synflood.err" | sed 's/.*: //')
if [ -n "$tot" ] && [ -n "$drop" ] && [ $((tot + drop)) = 500001 ]; then
    pass hostile/synflood_sessions_plus_drops
else
    fail hostile/synflood_sessions_plus_drops "Total Sessions $tot + DropSession $drop != 500001"
fi
cp "$H/synflood.err" "$H/synflood-a.err"
hstat_is synflood_active_max synflood-a ActiveSessionMax 1024
check hostile/synflood_real_session_retransmit grep -q \
    '10\.0\.0\.1:40000 == 10\.0\.0\.2:80 .*\[retransmit\]$' "$H/synflood.out"
hstat_is synflood_retransmit synflood-a "    Retransmit" 1
if [ $sanitized = 1 ]; then
    skip hostile/synflood_rss "sanitizer build"
else
    rss=$(peak_rss "$MIRUO" -C0 -f "$H/synflood.pcap")
    if [ -n "$rss" ] && [ "$rss" -le 16384 ]; then
        pass hostile/synflood_rss
        echo "      (peak RSS ${rss} KB)"
    else
        fail hostile/synflood_rss "peak RSS ${rss:-?} KB > 16384 KB"
    fi
    # Raised limits: 100k sessions open at once stay under the Bound that
    # the statistics print for those limits.
    "$MIRUO" -C0 -L 100000 -l 400000 -f "$H/synflood.pcap" >/dev/null \
        2>"$H/raised.err"
    hstat_is synflood_raised_active_max raised ActiveSessionMax 100000
    bound=$(hstat raised Bound | sed -n 's/^\([0-9]*\)KB$/\1/p')
    rss=$(peak_rss "$MIRUO" -C0 -L 100000 -l 400000 -f "$H/synflood.pcap")
    if [ -n "$rss" ] && [ -n "$bound" ] && [ "$rss" -le "$bound" ] &&
       [ "$rss" -gt 50000 ]; then
        pass hostile/synflood_raised_rss_within_bound
        echo "      (peak RSS ${rss} KB, Bound ${bound} KB)"
    else
        fail hostile/synflood_raised_rss_within_bound \
            "peak RSS ${rss:-?} KB, Bound ${bound:-?} KB"
    fi
fi

# (b) No limits (-L 0): every SYN is a session, and time grows linearly.
timeout 120 "$MIRUO" -C0 -L 0 -f "$H/synflood.pcap" >/dev/null 2>"$H/synflood-b.err"
check hostile/synflood_unlimited_exit test $? = 0
hstat_is synflood_unlimited_sessions synflood-b "Total Sessions" 500001
hstat_is synflood_unlimited_no_drop  synflood-b DropSession 0
hstat_is synflood_unlimited_timeouts synflood-b "    Timeout" 500000
# Linear in the number of sessions: 100k SYNs cost about twice what 50k
# cost, judged by the instructions executed (valgrind's callgrind count),
# which repeat from run to run, not by time.  Each SYN is a session and
# every one is printed; a session lookup that walked a list would make
# the ratio 3 or more.
ir_count() {
    valgrind --tool=callgrind --callgrind-out-file="$H/callgrind.out" \
        "$@" >/dev/null 2>"$H/callgrind.err"
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$H/callgrind.err"
}
if [ $sanitized = 1 ]; then
    skip hostile/synflood_linear "sanitizer build (valgrind cannot run it)"
elif ! command -v valgrind >/dev/null; then
    skip hostile/synflood_linear "valgrind not installed"
else
    ir50=$(ir_count "$MIRUO" -C0 -L 0 -f "$H/synflood_50k.pcap")
    ir100=$(ir_count "$MIRUO" -C0 -L 0 -f "$H/synflood_100k.pcap")
    if [ -n "$ir50" ] && [ -n "$ir100" ] &&
       [ $((ir100 * 10)) -gt $((ir50 * 15)) ] &&
       [ $((ir100 * 10)) -lt $((ir50 * 25)) ]; then
        pass hostile/synflood_linear
        echo "      (instructions: 50k SYNs ${ir50}, 100k SYNs ${ir100})"
    else
        fail hostile/synflood_linear \
            "instructions: 50k SYNs ${ir50:-?}, 100k SYNs ${ir100:-?} (ratio not in 1.5-2.5)"
    fi
fi
rm -f "$H/callgrind.out"

# (c) One session of 110,006 packets: with -l 1000 the segment pool runs
# out (the session is marked [truncated]); with the defaults the session
# is pruned and the pool never fills.
hrun segflood-l "$H/segflood.pcap" -C0 -l 1000 --all
check hostile/segflood_exit test "$hrc" = 0
hstat_is segflood_drop_segment segflood-l DropSegment 109005
hstat_is segflood_segment_max  segflood-l ActiveSegmentMax 1000
check hostile/segflood_truncated grep -q 'Total 110006 segments, .*\[truncated\]$' "$H/segflood-l.out"
hrun segflood-d "$H/segflood.pcap" -C0 --all
check hostile/segflood_default_exit test "$hrc" = 0
hstat_is segflood_default_no_drop segflood-d DropSegment 0
hstat_is segflood_default_pruned  segflood-d ActiveSegmentMax 2048
rm -f "$H"/synflood*.pcap "$H"/segflood.pcap
