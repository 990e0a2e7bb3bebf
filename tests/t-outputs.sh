# t-outputs.sh - the machine outputs (sourced by run-tests.sh): --json
# (JSON Lines, one object per shown session) and --report (the triage
# report on standard error).
#
# Every JSON line of every capture is checked with jq against the schema
# of man/miruo.1 (JSON LINES) below, and strictly parsed by Python
# (duplicate keys, NaN and the like are errors); values are checked on
# known captures and against tshark's own Community ID.  The report is
# compared with tests/golden/report_*.txt; to regenerate one after a
# deliberate change:
#   TZ=UTC LC_ALL=C src/miruo -C0 --report=full -f tests/captures/ref_live_real.pcap \
#     2>&1 >/dev/null | sed -n '/^===== Triage Report/,/^=\{30\}$/p' \
#     >tests/golden/report_ref_live_real_full.txt
# (the report has no machine-dependent lines, so it is compared whole).

O="$WORK/outputs"
mkdir -p "$O"

# The triage report of a run: its stderr from the report's first line to
# its closing line (the statistics block before it is left out).
report_of() {
    sed -n '/^===== Triage Report/,/^==============================$/p' "$1"
}

# ---- the schema, as a jq filter: true for a valid line ----------------------
# Key order is part of the contract: the 32 keys always present, in this
# order, then the diagnosis keys that apply, in their order.
SCHEMA='
def int: type == "number" and . == floor and . >= 0;
def num: type == "number";
def numnull: . == null or type == "number";
def side: . == "client" or . == "server";
def iso: type == "string" and
    test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$");
def endpoint: type == "object" and keys_unsorted == ["addr", "port"] and
    (.addr | type == "string" and length > 0) and (.port | int) and
    .port <= 65535;
def pair: type == "object" and keys_unsorted == ["client", "server"] and
    (.client | int) and (.server | int);
def states: ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
    "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSING", "CLOSED"];
def required: ["ts", "ts_iso", "end", "end_iso", "duration", "session_id",
    "proto", "ip_version", "client", "server", "id.orig_h", "id.orig_p",
    "id.resp_h", "id.resp_p", "orig_pkts", "resp_pkts", "orig_bytes",
    "resp_bytes", "orig_ip_bytes", "resp_ip_bytes", "conn_state", "history",
    "community_id", "reasons", "midstream", "end_reason", "client_state",
    "server_state", "retransmits", "handshake", "max_silence_ms",
    "missing_packets"];
def optional: ["turn", "stall", "retransmit_classes", "loss"];
type == "object"
and (keys_unsorted[0:32] == required)
and (keys_unsorted[32:] as $extra | [optional[] | select(. as $k |
     $extra | index([$k]))] == $extra)
and (.ts | num) and (.ts_iso | iso)
and (.end | num) and .end >= .ts and (.end_iso | iso)
and (.duration | num) and .duration >= 0
and ((.end - .ts - .duration) | fabs < 0.0000015)
and (.ts_iso[0:19] == (.ts | floor | todate)[0:19])
and (.end_iso[0:19] == (.end | floor | todate)[0:19])
and (.session_id | int) and .session_id >= 1
and .proto == "tcp" and (.ip_version == 4 or .ip_version == 6)
and (.client | endpoint) and (.server | endpoint)
and .["id.orig_h"] == .client.addr and .["id.orig_p"] == .client.port
and .["id.resp_h"] == .server.addr and .["id.resp_p"] == .server.port
and ((.ip_version == 6) == (.client.addr | contains(":")))
and (.orig_pkts | int) and (.resp_pkts | int) and .orig_pkts + .resp_pkts >= 1
and (.orig_bytes | int) and (.resp_bytes | int)
and (.orig_ip_bytes | int) and (.resp_ip_bytes | int)
and .orig_ip_bytes >= .orig_bytes and .resp_ip_bytes >= .resp_bytes
and (.conn_state | IN("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR",
     "RSTOS0", "RSTRH", "SH", "SHR", "OTH"))
and (.history | type == "string" and test("^[SHADFRTWIQshadfrtwiq]*$"))
and (.community_id | type == "string" and test("^1:[A-Za-z0-9+/]{27}=$"))
and (.reasons | type == "array" and all(.[]; IN("retransmit",
     "syn-retransmit", "long-delay", "long-connect", "rst", "fragment",
     "timeout", "error-break", "truncated", "slow-turn")))
and (.midstream | type == "boolean")
and (.end_reason | IN("closed", "error-break", "timeout", "end-of-capture"))
and (.client_state | IN(states[])) and (.server_state | IN(states[]))
and (.retransmits | pair)
and (.handshake == null or (.handshake | type == "object"
     and keys_unsorted[0:3] == ["syn_to_synack_ms", "synack_to_ack_ms",
                                "rtt_ms"]
     and keys_unsorted[-2:] == ["syn_resent", "synack_resent"]
     and (keys_unsorted - ["syn_to_synack_ms", "synack_to_ack_ms", "rtt_ms",
          "server_side_ms", "client_side_ms", "syn_resent",
          "synack_resent"] == [])
     and (.syn_to_synack_ms | num) and .syn_to_synack_ms >= 0
     and (.synack_to_ack_ms | numnull) and (.rtt_ms | numnull)
     and ((.server_side_ms // 0) | num) and ((.client_side_ms // 0) | num)
     and (.syn_resent | int) and (.synack_resent | int)))
and (.max_silence_ms | num) and .max_silence_ms >= 0
and (.missing_packets | int)
and ((has("turn") | not) or (.turn | type == "object"
     and keys_unsorted == ["count", "max_ms", "side"]
     and (.count | int) and .count >= 1 and (.max_ms | num)
     and (.side | side)))
and ((has("stall") | not) or (.stall | type == "object"
     and keys_unsorted == ["ms", "cause", "side"] and (.ms | num)
     and (.cause | IN("ZERO_WINDOW", "RWND_LIMITED", "RTO", "PERSIST",
          "APP_IDLE", "HALF_CLOSED", "WAITING_ACK")) and (.side | side)))
and ((has("retransmit_classes") | not) or (.retransmit_classes
     | keys_unsorted == ["client", "server"]
     and all(.[]; keys_unsorted == ["rto", "fast", "spurious", "tlp"]
             and all(.[]; int))
     and ([.[][]] | add) >= 1))
and ((has("loss") | not) or (.loss | keys_unsorted == ["client", "server"]
     and all(.[]; keys_unsorted == ["after_tap", "before_tap"]
             and all(.[]; int))
     and ([.[][]] | add) >= 1))
'

# jsel FILE ID FILTER: exactly one line has session_id ID and FILTER is
# true for it.
jsel() {
    jq -e -s --argjson id "$2" \
        "[.[] | select(.session_id == \$id)] | length == 1 and (.[0] | $3)" "$1"
}

# strict_json FILE: every line one JSON object, parsed strictly.
strict_json() {
    python3 - "$1" <<'PY'
import json, sys
def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)
def no_constants(name):
    raise ValueError("non-standard constant " + name)
with open(sys.argv[1], "rb") as f:
    data = f.read()
data.decode("utf-8")                        # RFC 8259: UTF-8 text
assert data == b"" or data.endswith(b"\n")
for n, line in enumerate(data.split(b"\n")[:-1], 1):
    obj = json.loads(line, object_pairs_hook=no_dups,
                     parse_constant=no_constants)
    assert isinstance(obj, dict), "line %d is not an object" % n
PY
}

# ---- is --json wired into main.c? -------------------------------------------
# options.c accepts --json before main.c acts on it, so probe for output.
rm -f "$O/probe.json"
"$MIRUO" -C0 --all --json="$O/probe.json" -f "$CASES/normal.pcap" \
    >/dev/null 2>&1
if [ -s "$O/probe.json" ]; then json_wired=1; else json_wired=0; fi
"$MIRUO" -C0 --report=full -f "$CASES/normal.pcap" >/dev/null 2>"$O/probe.err"
if grep -q '^===== Triage Report' "$O/probe.err"; then
    report_wired=1
else
    report_wired=0
fi
have_jq=0
command -v jq >/dev/null && have_jq=1

# ---- JSON Lines ---------------------------------------------------------------
if [ "$json_wired" = 0 ]; then
    skip outputs/json "not wired yet (--json=FILE writes nothing)"
elif [ "$have_jq" = 0 ]; then
    skip outputs/json "jq not installed (Debian package jq, in .ci/packages)"
else
    # Every capture, every session (--all): each line valid, as many
    # lines as the text output has session headers, the same IDs.
    bad="" count=0 mismatch="" strict_bad=""
    for cap in "$CASES"/*.pcap "$CASES"/*.pcapng "$CASES"/*.snoop; do
        base=$(basename "$cap")
        j="$O/all-$base.json"
        rm -f "$j"
        "$MIRUO" -C0 --all --json="$j" -f "$cap" >"$O/all-$base.txt" 2>/dev/null
        [ -f "$j" ] || continue
        count=$((count + $(wc -l <"$j")))
        if ! jq -e -n "[inputs | ($SCHEMA)] | all" <"$j" >/dev/null 2>&1; then
            bad="$bad $base"
        fi
        if command -v python3 >/dev/null && ! strict_json "$j" 2>/dev/null
        then
            strict_bad="$strict_bad $base"
        fi
        ids_text=$(grep -E '^[0-9]{4,} ' "$O/all-$base.txt" | cut -d' ' -f1 |
                   sed 's/^0*//' | tr '\n' ' ')
        ids_json=$(jq -r '.session_id' <"$j" | tr '\n' ' ')
        [ "$ids_text" = "$ids_json" ] || mismatch="$mismatch $base"
    done
    check outputs/json_lines_exist test "$count" -gt 50
    if [ -z "$bad" ]; then pass outputs/json_schema_every_capture
    else fail outputs/json_schema_every_capture "invalid lines in:$bad"; fi
    if ! command -v python3 >/dev/null; then
        skip outputs/json_strict_parse "python3 not installed"
    elif [ -z "$strict_bad" ]; then pass outputs/json_strict_parse
    else fail outputs/json_strict_parse "not strict JSON:$strict_bad"; fi
    if [ -z "$mismatch" ]; then pass outputs/json_one_line_per_shown_session
    else fail outputs/json_one_line_per_shown_session "differ:$mismatch"; fi

    # The real capture, default lookups: only the flagged sessions.
    J="$O/real.json"
    rm -f "$J"
    "$MIRUO" -C0 --json="$J" -f "$CASES/ref_live_real.pcap" >"$O/real.txt" 2>/dev/null
    check outputs/json_real_valid jq -e -n "[inputs | ($SCHEMA)] | all and length == 4" "$J"
    check outputs/json_real_text_unchanged cmp -s "$O/real.txt" "$T/golden/ref_live_real_default.out"
    check outputs/json_real_sessions test "$(jq -r .session_id "$J" | tr '\n' ' ')" = "3 4 5 6 "
    check outputs/json_real_rej jsel "$J" 3 '.conn_state == "REJ" and .history == "Sr" and .reasons == ["rst"] and .handshake == null'
    check outputs/json_real_rstr jsel "$J" 4 '.conn_state == "RSTR" and .reasons == ["rst"]'
    check outputs/json_real_retransmit jsel "$J" 5 '.conn_state == "SF" and .reasons == ["retransmit"] and .retransmits == {"client": 0, "server": 3} and .stall.cause == "RTO" and .stall.side == "server" and .retransmit_classes.server.rto >= 1'
    check outputs/json_real_syn_lost jsel "$J" 6 '.conn_state == "S0" and .reasons == ["syn-retransmit"] and .end_reason == "end-of-capture" and .resp_pkts == 0 and .handshake == null'

    # Known values: ref_retrans.pcap (one session, a retransmission).
    J="$O/retrans.json"
    rm -f "$J"
    "$MIRUO" -C0 --json="$J" -f "$CASES/ref_retrans.pcap" >"$O/retrans.txt" 2>/dev/null
    check outputs/json_retrans_one_line test "$(wc -l <"$J")" = 1
    check outputs/json_retrans_values jq -e '.orig_pkts == 7 and .resp_pkts == 4 and .conn_state == "SF" and .history == "ShADaTFf" and .reasons == ["retransmit"] and .end_reason == "closed" and .client_state == "TIME_WAIT" and .server_state == "CLOSED" and .midstream == false' "$J"
    check outputs/json_retrans_endpoints jq -e '.client == {"addr": "10.0.0.1", "port": 40002} and .server == {"addr": "10.0.0.2", "port": 80} and .ip_version == 4' "$J"
    check outputs/json_retrans_community_id jq -e '.community_id == "1:KVD55Au3oOCKBTbtHyM1FaoYSrw="' "$J"
    check outputs/json_retrans_packets_match_text grep -q "Total $(jq '.orig_pkts + .resp_pkts' "$J") segments" "$O/retrans.txt"

    # conn_state and end reasons on generated captures (--all).
    js() { jq -r "$2" "$O/all-$1.json" 2>/dev/null | tr '\n' ' '; }
    check outputs/json_rst_rstr test "$(js rst.pcap '.conn_state')" = "RSTR "
    check outputs/json_refused_rej test "$(js rst_refused.pcap '.conn_state')" = "REJ "
    check outputs/json_normal_sf test "$(js normal.pcap '.conn_state + " " + .history')" = "SF ShADadFf "
    check outputs/json_unclosed_end_of_capture test "$(js unclosed.pcap '.end_reason + " " + .conn_state')" = "end-of-capture S1 "
    check outputs/json_timeout test "$(js timeout_halfopen.pcap '.end_reason + " " + .conn_state')" = "timeout S0 closed SF "
    check outputs/json_midstream test "$(js midstream.pcap '.midstream')" = "true "
    check outputs/json_error_break test "$(js dupconn.pcap '.end_reason')" = "error-break closed "
    check outputs/json_ipv6 test "$(js ipv6.pcap '.ip_version, .client.addr, .["id.resp_h"]')" = "6 2001:db8::1 2001:db8::2 "
    check outputs/json_ipv6_community_id test "$(js ipv6.pcap '.community_id')" = "1:62cu0uxFAvnY7Tg3u3uFj0zrwAU= "
    check outputs/json_handshake test "$(js normal.pcap '.handshake | (.rtt_ms - .syn_to_synack_ms - .synack_to_ack_ms | fabs < 0.0015)')" = "true "

    # Community IDs and packet totals agree with tshark, an independent
    # implementation (Wireshark's communityid dissector).
    if command -v tshark >/dev/null; then
        for base in ref_live_real.pcap ipv6.pcap ref_http.pcap twoflows.pcap; do
            tshark --enable-protocol communityid -r "$CASES/$base" -Y tcp \
                -T fields -e communityid 2>/dev/null | sort -u >"$O/ts-$base.cid"
            jq -r .community_id "$O/all-$base.json" | sort -u >"$O/mi-$base.cid"
            check "outputs/json_community_id_tshark_$base" cmp -s "$O/ts-$base.cid" "$O/mi-$base.cid"
        done
        n_ts=$(tshark -r "$CASES/ref_live_real.pcap" -Y tcp 2>/dev/null | wc -l)
        n_mi=$(jq -s 'map(.orig_pkts + .resp_pkts) | add' "$O/all-ref_live_real.pcap.json")
        check outputs/json_packets_tshark test "$n_ts" = "$n_mi"
    else
        skip outputs/json_community_id_tshark "tshark not installed"
    fi

    # --json alone: JSON Lines on standard output instead of the text.
    "$MIRUO" -C0 --json -f "$CASES/ref_live_real.pcap" >"$O/stdout.json" 2>/dev/null
    check outputs/json_stdout_only_json jq -e -n "[inputs | ($SCHEMA)] | all and length == 4" "$O/stdout.json"
    check outputs/json_stdout_same_lines cmp -s "$O/stdout.json" "$O/real.json"
    "$MIRUO" -C0 --json --live -f "$CASES/ref_retrans.pcap" >"$O/live.json" 2>/dev/null
    check outputs/json_stdout_live_no_text jq -e -n '[inputs] | length == 1' "$O/live.json"
    # Appended to, not truncated: a restarted miruo keeps what a shipper
    # has not read yet.
    "$MIRUO" -C0 --json="$J" -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
    check outputs/json_file_appends test "$(wc -l <"$J")" = 2
    "$MIRUO" -C0 --json="$O/no/such/dir/x.json" -f "$CASES/normal.pcap" >/dev/null 2>"$O/err"
    check outputs/json_bad_path_exit test $? = 1
    check outputs/json_bad_path_message grep -q 'no/such/dir/x.json: No such file or directory' "$O/err"
    # Unaffected statistics: the printer no longer counts with --json.
    "$MIRUO" -C0 --json -f "$CASES/ref_live_real.pcap" >/dev/null 2>"$O/stats.err"
    check outputs/json_stdout_lookup_count grep -q '^  Lookup        : 4$' "$O/stats.err"
fi

# ---- the triage report ----------------------------------------------------------
if [ "$report_wired" = 0 ]; then
    skip outputs/report "not wired yet (--report=full prints no report)"
else
    for level in full short; do
        "$MIRUO" -C0 --report=$level -f "$CASES/ref_live_real.pcap" >"$O/r-$level.out" 2>"$O/r-$level.err"
        report_of "$O/r-$level.err" >"$O/r-$level.txt"
        exp="$T/golden/report_ref_live_real_$level.txt"
        if [ ! -f "$exp" ]; then
            fail "outputs/report_golden_$level" "no expected output $exp"
        elif cmp -s "$exp" "$O/r-$level.txt"; then
            pass "outputs/report_golden_$level"
        else
            fail "outputs/report_golden_$level" "report differs"
            diff -u "$exp" "$O/r-$level.txt" | head -20 | sed 's/^/      /'
        fi
    done
    "$MIRUO" -C0 --report=short -l 8 -f "$CASES/ref_retrans.pcap" >/dev/null 2>"$O/r-lost.err"
    report_of "$O/r-lost.err" >"$O/r-lost.txt"
    check outputs/report_golden_data_lost cmp -s "$T/golden/report_ref_retrans_l8_short.txt" "$O/r-lost.txt"
    check outputs/report_data_lost grep -q '^capture health: DATA LOST (' "$O/r-lost.txt"
    "$MIRUO" -C0 --report=short --exit-status -l 8 -f "$CASES/ref_retrans.pcap" >/dev/null 2>&1
    check outputs/report_data_lost_agrees_exit_4 test $? = 4
    "$MIRUO" -C0 --report=short --exit-status -f "$CASES/normal.pcap" >/dev/null 2>"$O/r-clean.err"
    check outputs/report_clean_exit_0 test $? = 0
    check outputs/report_clean_verdict test "$(report_of "$O/r-clean.err" | tail -3 | head -2 | tr '\n' '|')" = "capture health: OK|verdict: no problems found|"
    check outputs/report_flagged_verdict grep -q '^verdict: 4 sessions flagged$' "$O/r-short.txt"
    check outputs/report_short_top3 test "$(sed -n '/worst sessions by stall/,/^-----/p' "$O/r-short.txt" | grep -c '^[0-9]')" = 3
    check outputs/report_short_no_histograms test "$(grep -c 'by server port' "$O/r-short.txt")" = 0
    check outputs/report_full_histograms test "$(grep -c 'by server port (microseconds, log2)' "$O/r-full.txt")" = 3
    check outputs/report_last_line test "$(tail -1 "$O/r-full.err")" = "=============================="
    "$MIRUO" -C0 --report=off -f "$CASES/ref_live_real.pcap" >/dev/null 2>"$O/r-off.err"
    grep -q 'Triage Report' "$O/r-off.err" && fail outputs/report_off || pass outputs/report_off
    check outputs/report_stdout_untouched cmp -s "$O/r-full.out" "$T/golden/ref_live_real_default.out"

    # SIGUSR1: a report while running (at the next packet), then the one
    # at exit; the pipe read is not broken by the signal.
    { head -c 1000 "$CASES/ref_retrans.pcap"; sleep 1
      tail -c +1001 "$CASES/ref_retrans.pcap"; sleep 1; } |
        "$MIRUO" -C0 --report=short -f - >/dev/null 2>"$O/usr1.err" &
    pid=$!
    sleep 0.5
    kill -USR1 $pid 2>/dev/null
    wait $pid
    check outputs/report_sigusr1_exit test $? = 0
    check outputs/report_sigusr1_twice test "$(grep -c '^===== Triage Report' "$O/usr1.err")" = 2
    check outputs/report_sigusr1_open_sessions grep -q '^verdict: no problems found so far (1 session still open)$' "$O/usr1.err"
    wait
fi
