# t-files.sh - snoop's capture-file features (sourced by run-tests.sh):
# snoop files, -w, -c, -p, --time, -x, --snaplen, -d, names, --detail,
# the -w packet counter.

F="$WORK/files"
mkdir -p "$F"

# live_lines ARGS... : the --live packet lines of a run (ids and times).
run_live() {
    "$MIRUO" -C0 --live "$@" 2>"$F/err"
}

# ---- snoop files in, every format out --------------------------------------
"$MIRUO" -C0 --all -f "$CASES/normal.snoop" >"$F/snoop.out" 2>"$F/snoop.err"
check files/snoop_reads cmp -s "$F/snoop.out" "$T/golden/normal_all.out"
check files/snoop_banner grep -q '^reading from snoop file .*normal.snoop, link-type EN10MB' "$F/snoop.err"
"$MIRUO" -C0 --all -f - <"$CASES/normal.snoop" >"$F/snoop-stdin.out" 2>/dev/null
check files/snoop_stdin cmp -s "$F/snoop-stdin.out" "$T/golden/normal_all.out"
"$MIRUO" -C0 --all -f - <"$CASES/normal.pcapng" >"$F/ng-stdin.out" 2>/dev/null
check files/pcapng_stdin cmp -s "$F/ng-stdin.out" "$T/golden/normal_all.out"

for fmt in pcap pcapng snoop; do
    "$MIRUO" -C0 --all -w "$F/rt.$fmt" --write-format=$fmt \
        -f "$CASES/ref_retrans.pcap" >"$F/rt-$fmt.first" 2>/dev/null
    "$MIRUO" -C0 --all -f "$F/rt.$fmt" >"$F/rt-$fmt.again" 2>/dev/null
    check "files/roundtrip_$fmt" cmp -s "$F/rt-$fmt.first" "$F/rt-$fmt.again"
done
check files/write_prints_sessions test -s "$F/rt-pcap.first"
if command -v tcpdump >/dev/null; then
    n=$(tcpdump -nn -r "$F/rt.pcap" 2>/dev/null | wc -l)
    check files/w_pcap_tcpdump_count test "$n" = 11
    n=$(tcpdump -nn -r "$F/rt.pcapng" 2>/dev/null | wc -l)
    check files/w_pcapng_tcpdump_count test "$n" = 11
else
    skip files/w_pcap_tcpdump_count "tcpdump not installed"
fi
# Our snoop output equals the reference snoop file written by another tool.
check files/w_snoop_matches_reference cmp -s "$F/rt.snoop" "$T/captures/ref_retrans.snoop"

# An independent writer: editcap (wireshark-common) converts pcap to snoop.
if command -v editcap >/dev/null; then
    editcap -F snoop "$CASES/ref_live_real.pcap" "$F/editcap.snoop" 2>"$F/editcap.err"
    "$MIRUO" -C0 --all -f "$F/editcap.snoop" >"$F/editcap.out" 2>/dev/null
    check files/editcap_snoop_reads cmp -s "$F/editcap.out" "$T/golden/ref_live_real_all.out"
else
    skip files/editcap_snoop_reads "editcap (wireshark-common) not installed"
fi

# Hostile snoop files: one-line errors naming the record.
printf 'snoop\0\0\0\0\0\0\1\0\0\0\4' >"$F/v1.snoop"
"$MIRUO" -f "$F/v1.snoop" >/dev/null 2>"$F/err"
check files/snoop_bad_version_exit test $? = 1
check files/snoop_bad_version_msg grep -q 'unsupported snoop version 1' "$F/err"
head -c 250 "$CASES/normal.snoop" >"$F/cut.snoop"
"$MIRUO" -C0 --all -f "$F/cut.snoop" >"$F/cut.out" 2>"$F/err"
check files/snoop_truncated_exit test $? = 2
check files/snoop_truncated_record grep -q 'read error: .*record 3: ' "$F/err"
check files/snoop_truncated_prints_read test -s "$F/cut.out"

# -w is complete after SIGINT: a capture arriving slowly on stdin is
# interrupted halfway.
{ head -c 1000 "$CASES/ref_retrans.pcap"; sleep 3; } |
    "$MIRUO" -C0 --all -w "$F/sig.pcap" -f - >"$F/sig.out" 2>"$F/sig.err" &
pid=$!
sleep 0.5
kill -INT $pid 2>/dev/null
wait $pid
check files/w_after_sigint_exit test $? = 0
check files/w_after_sigint_valid test "$(tcpdump -nn -r "$F/sig.pcap" 2>/dev/null | wc -l)" = 8
check files/sigint_prints_open_session grep -q 'end of capture' "$F/sig.out"
wait

# -w errors: a directory, a snoop file of a link type snoop lacks.
"$MIRUO" -w "$F" -f "$CASES/normal.pcap" >/dev/null 2>"$F/err"
check files/w_directory_exit test $? = 1
"$MIRUO" -w "$F/x.snoop" --write-format=snoop -f "$CASES/sll.pcap" >/dev/null 2>"$F/err"
check files/w_snoop_sll_refused grep -q 'snoop' "$F/err"

# ---- -p, -c ----------------------------------------------------------------
run_live -p 5,9 -f "$CASES/normal.pcap" >"$F/p.out"
check files/p_range_times test "$(cut -c11-22 "$F/p.out" | tr '\n' ' ')" = \
    "12:00:00.004 12:00:00.005 12:00:00.006 12:00:00.016 12:00:00.017 12:00:00.017 "
check files/p_range_packets test "$(grep -c ' [<>]-' "$F/p.out")" = 5
check files/p_range_open_at_end grep -q 'end of capture (session still open)' "$F/p.out"
run_live -p 9 -f "$CASES/normal.pcap" >"$F/p9.out"
check files/p_first_only test "$(grep -c ' [<>]-' "$F/p9.out")" = 2
run_live -c 3 -f "$CASES/normal.pcap" >"$F/c.out"
check files/c_stops test "$(grep -c ' [<>]-' "$F/c.out")" = 3
check files/c_first_three test "$(cut -c11-22 "$F/c.out" | head -3 | tr '\n' ' ')" = \
    "12:00:00.000 12:00:00.001 12:00:00.002 "
# -c counts packets that pass the filter.
run_live -c 2 -f "$CASES/twoflows.pcap" port 40001 >"$F/cf.out"
check files/c_after_filter test "$(grep -c ' 10.0.0.1:40001 ' "$F/cf.out")" = 2

# ---- --time ------------------------------------------------------------------
run_live -f "$CASES/ref_retrans.pcap" >"$F/t-abs.out"
run_live --time=abs -f "$CASES/ref_retrans.pcap" >"$F/t-abs2.out"
run_live --time=rel -f "$CASES/ref_retrans.pcap" >"$F/t-rel.out"
run_live --time=delta -f "$CASES/ref_retrans.pcap" >"$F/t-delta.out"
check files/time_abs_default cmp -s "$F/t-abs.out" "$F/t-abs2.out"
check files/time_abs grep -q '^0001:0006 12:00:01.505 ' "$F/t-abs.out"
check files/time_rel grep -q '^0001:0006        1.505 ' "$F/t-rel.out"
check files/time_rel_first grep -q '^0001:0000        0.000 ' "$F/t-rel.out"
check files/time_delta grep -q '^0001:0006        1.500 ' "$F/t-delta.out"
check files/time_delta_next grep -q '^0001:0007        0.001 ' "$F/t-delta.out"

# ---- -x, --snaplen, --detail ----------------------------------------------
# Expected hex dump computed independently from the pcap records.
hexdump_expect() {   # FILE RECORD OFF LEN
    python3 - "$@" <<'PY'
import struct, sys
path, rec, off, ln = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = open(path, 'rb').read()
p = 24
for i in range(rec):
    incl = struct.unpack('<I', d[p + 8:p + 12])[0]
    data = d[p + 16:p + 16 + incl]
    p += 16 + incl
end = len(data) if ln == 0 else min(len(data), off + ln)
for o in range(off, end, 16):
    chunk = data[o:min(o + 16, end)]
    hx = ''
    for j in range(16):
        if j % 2 == 0:
            hx += ' '
        hx += '%02x' % chunk[j] if j < len(chunk) else '  '
    asc = ''.join(chr(b) if 0x20 <= b < 0x7f else '.' for b in chunk)
    print('        0x%04x: %s  %s' % (o, hx, asc))
PY
}
run_live -x 14,20 -f "$CASES/normal.pcap" >"$F/x.out"
sed -n 2,3p "$F/x.out" >"$F/x.got"
hexdump_expect "$CASES/normal.pcap" 1 14 20 >"$F/x.exp"
check files/x_offset_length cmp -s "$F/x.got" "$F/x.exp"
check files/x_two_lines test "$(grep -c '^        0x' "$F/x.out")" = 20
run_live -x 0 -f "$CASES/normal.pcap" >"$F/x0.out"
awk '/^0001:0003 /{f=1; next} /^0001:/{f=0} f' "$F/x0.out" >"$F/x0.got"
hexdump_expect "$CASES/normal.pcap" 4 0 0 >"$F/x0.exp"
check files/x_whole_packet cmp -s "$F/x0.got" "$F/x0.exp"
run_live -x 0 --snaplen=54 -f "$CASES/normal.pcap" >"$F/snap.out"
awk '/^0001:0003 /{f=1; next} /^0001:/{f=0} f' "$F/snap.out" >"$F/snap.got"
check files/snaplen_cuts test "$(tail -1 "$F/snap.got" | cut -c9-14)" = 0x0030
check files/snaplen_keeps_wire_length grep -q '^0001:0003 .*   93 - <>' "$F/snap.out"
"$MIRUO" -C0 --all --detail -f "$CASES/vlan.pcap" >"$F/detail.out" 2>/dev/null
check files/detail_ether grep -q '^        ETHER: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800, vlan 100$' "$F/detail.out"
check files/detail_ipv4 grep -q '^        IPv4: 10.0.0.1 > 10.0.0.2, hlen 20, tos 0x00, len 60, id [0-9]*, DF, frag 0, ttl 64, proto 6, cksum 0x[0-9a-f]*$' "$F/detail.out"
check files/detail_tcp grep -q '^        TCP: 40000 > 80, seq 4096, ack 0, hlen 40, flags S, win 65535, cksum 0x[0-9a-f]*, urg 0$' "$F/detail.out"
"$MIRUO" -C0 --all --detail -f "$CASES/ipv6.pcap" >"$F/detail6.out" 2>/dev/null
check files/detail_ipv6 grep -q '^        IPv6: 2001:db8::1 > 2001:db8::2, class 0x00, flow 0x00000, plen 40, hlim 64, proto 6$' "$F/detail6.out"

# ---- -d ----------------------------------------------------------------------
"$MIRUO" -d -f "$CASES/normal.pcap" tcp port 80 >"$F/d.out" 2>/dev/null
check files/d_exit test $? = 0
if command -v tcpdump >/dev/null; then
    tcpdump -d -r "$CASES/normal.pcap" tcp port 80 >"$F/d.exp" 2>/dev/null
    check files/d_same_as_tcpdump cmp -s "$F/d.out" "$F/d.exp"
fi
check files/d_program grep -q '^(000) ' "$F/d.out"

# ---- names ---------------------------------------------------------------------
printf '# test names\n10.0.0.1 client.example alias\n10.0.0.2\tserver.example\n' >"$F/hosts.names"
"$MIRUO" -C0 --all --names="$F/hosts.names" -f "$CASES/normal.pcap" >"$F/n.out" 2>/dev/null
check files/names_used grep -q '^0001 .* client.example:40000 == server.example:80 ' "$F/n.out"
cp "$CASES/normal.pcap" "$F/auto.pcap"
cp "$F/hosts.names" "$F/auto.pcap.names"
"$MIRUO" -C0 --all -f "$F/auto.pcap" >"$F/na.out" 2>/dev/null
check files/names_automatic cmp -s "$F/na.out" "$F/n.out"
printf '10.0.0.1\n' >"$F/bad.names"
"$MIRUO" --names="$F/bad.names" -f "$CASES/normal.pcap" >/dev/null 2>"$F/err"
check files/names_bad_exit test $? = 1
check files/names_bad_msg grep -q 'bad.names:1: an address without a name' "$F/err"
cp "$CASES/twoflows.pcap" "$F/w.pcap"
"$MIRUO" --write-names --names="$F/hosts.names" -f "$F/w.pcap" >/dev/null 2>"$F/err"
check files/write_names_exit test $? = 0
check files/write_names_file grep -q "^10.0.0.1	client.example$" "$F/w.pcap.names"
check files/write_names_second grep -q "^10.0.0.2	server.example$" "$F/w.pcap.names"
"$MIRUO" --write-names >/dev/null 2>"$F/err"
check files/write_names_needs_file grep -q 'needs a capture file' "$F/err"
# --resolve: 127.0.0.1 is "localhost" in /etc/hosts.
if getent hosts 127.0.0.1 | grep -q localhost; then
    "$MIRUO" -C0 --resolve -f "$CASES/ref_live_real.pcap" >"$F/r.out" 2>/dev/null
    check files/resolve grep -q '^0003 .* localhost:34670 == localhost:8002 ' "$F/r.out"
else
    skip files/resolve "127.0.0.1 has no name in /etc/hosts here"
fi
"$MIRUO" -C0 -f "$CASES/ref_live_real.pcap" >"$F/nr.out" 2>/dev/null
check files/numeric_by_default grep -q '^0003 .* 127.0.0.1:34670 == 127.0.0.1:8002 ' "$F/nr.out"

# ---- the -w packet counter: on a terminal only, silenced by -q ----------------
if command -v script >/dev/null; then
    script -qec "$MIRUO -C0 -w $F/cnt.pcap -f $CASES/normal.pcap" /dev/null \
        >"$F/tty.out" 2>&1
    check files/counter_on_tty grep -q 'Got 10 packets' "$F/tty.out"
    script -qec "$MIRUO -C0 -q -w $F/cnt.pcap -f $CASES/normal.pcap" /dev/null \
        >"$F/ttyq.out" 2>&1
    grep -q 'Got ' "$F/ttyq.out" && fail files/counter_quiet || pass files/counter_quiet
fi
"$MIRUO" -C0 -w "$F/cnt.pcap" -f "$CASES/normal.pcap" >/dev/null 2>"$F/err"
grep -q 'Got ' "$F/err" && fail files/counter_not_on_pipe || pass files/counter_not_on_pipe

# ---- progress of a long file run: stderr a terminal, stdout not, no -q ------
if command -v script >/dev/null && "$MKPCAP" "$F" synflood 2>/dev/null; then
    # 35 MB: large enough for the progress line, which ends cleared.
    script -qec "$MIRUO -C0 -f $F/synflood.pcap >/dev/null" /dev/null \
        >"$F/prog.tty" 2>&1
    check files/progress_on_terminal grep -q "$(printf '\r%72s\r' '')" "$F/prog.tty"
    script -qec "$MIRUO -C0 -q -f $F/synflood.pcap >/dev/null" /dev/null \
        >"$F/progq.tty" 2>&1
    grep -q "$(printf '\r%72s\r' '')" "$F/progq.tty" &&
        fail files/progress_quiet || pass files/progress_quiet
    "$MIRUO" -C0 -f "$F/synflood.pcap" >/dev/null 2>"$F/prog.err"
    grep -q "$(printf '\r')" "$F/prog.err" && fail files/progress_not_on_pipe ||
        pass files/progress_not_on_pipe
    rm -f "$F/synflood.pcap"
fi

# ---- classic pcap records: miruo's own reader against libpcap's -------------
# For a regular classic pcap file miruo reads the records itself
# (src/pcapfile.c: 256 KiB pread blocks, records handed out in place); from
# a pipe libpcap reads them.  `-f - <FILE` is a regular file as well (the
# same reader, on descriptor 0): only a pipe goes through libpcap.  Every
# pcapread_* capture (tests/gen/README) runs all three ways: stdout, the
# exit status and stderr must be libpcap's, less what differs by nature
# (the CPU, VSZ and RSS lines, the "reading from file" banner, the file
# name in a read error).  Then one assertion of the expected outcome each.
PR="$WORK/pcapread"
mkdir -p "$PR"

# pr_run OUT HOW FILE ARGS... : miruo -C0 -f FILE ARGS, FILE given as a path
# (file), as standard input redirected from it (redir), or through a pipe
# (pipe), at most 60 s.  Writes OUT.out, OUT.rc, OUT.raw (stderr) and
# OUT.err (stderr normalized as above).
pr_run() {
    local out=$1 how=$2 file=$3
    shift 3
    case $how in
    file)  timeout 60 "$MIRUO" -C0 -f "$file" "$@" ;;
    redir) timeout 60 "$MIRUO" -C0 -f - "$@" <"$file" ;;
    pipe)  cat "$file" 2>/dev/null | timeout 60 "$MIRUO" -C0 -f - "$@" ;;
    esac >"$out.out" 2>"$out.raw"
    echo $? >"$out.rc"
    grep -v -e '^CPU ' -e '^VSZ ' -e '^RSS ' -e '^reading from file ' \
        "$out.raw" |
        sed 's/^miruo: read error: .*\.pcap: /miruo: read error: -: /' \
            >"$out.err"
}

# pr_same NAME GOT EXPECTED : pass when the outputs GOT.{out,rc,err} equal
# EXPECTED's, else the first lines that differ.
pr_same() {
    local x bad=""
    for x in out rc err; do
        cmp -s "$2.$x" "$3.$x" || bad="$bad $x"
    done
    if [ -z "$bad" ]; then
        pass "$1"
    else
        fail "$1" "differs from what libpcap reads:$bad"
        for x in $bad; do
            diff "$3.$x" "$2.$x" | head -6 | sed 's/^/      /'
        done
    fi
}

# pr_compare STEM MODE ARGS... : $CASES/pcapread_STEM.pcap (or the path in
# PR_FILE) run the three ways with ARGS into $PR/STEM-MODE.{file,redir,
# pipe}.*: check files/pcapread_STEM (MODE all) or _STEM_MODE compares the
# path with the pipe, and _STEM_redirect (MODE all) the redirected stdin.
pr_compare() {
    local stem=$1 mode=$2 p="$PR/$1-$2" how name=files/pcapread_$1
    local file=${PR_FILE:-$CASES/pcapread_$1.pcap}
    shift 2
    for how in file redir pipe; do
        pr_run "$p.$how" $how "$file" "$@"
    done
    if [ "$mode" = all ]; then
        pr_same "$name" "$p.file" "$p.pipe"
        pr_same "${name}_redirect" "$p.redir" "$p.pipe"
    else
        pr_same "${name}_$mode" "$p.file" "$p.pipe"
    fi
}

# pr_times STEM : the clock column of the packet lines of STEM's --live run
pr_times() {
    grep -E '^[0-9]{4,}:[0-9]{4} [0-9:.]{12} .* [<>]-' "$PR/$1-hex.file.out" |
        cut -c11-22 | tr '\n' ' '
}
# pr_hex STEM ID : the hex dump printed under packet line ID (e.g. 0001:0003)
pr_hex() {
    awk -v id="$2" '$1 == id {f=1; next} /^[0-9]+:/{f=0} f' \
        "$PR/$1-hex.file.out"
}
# pr_msg STEM MESSAGE : the read error, exactly, naming the file
pr_msg() {
    grep -qxF "miruo: read error: $CASES/pcapread_$1.pcap: $2" \
        "$PR/$1-all.file.raw"
}

for stem in ns_be ns_le snap60 snap60_tail caplen300k caplen262145 \
            caplen_wrap hdronly cuthdr topbit topbit_be topbit_ns \
            topbit_ns_be jumbo blockend blockcut; do
    pr_compare "$stem" all --all
    pr_compare "$stem" hex --live -x 0
done

# Nanoseconds are divided by 1000, cut, not rounded: x.001999999 is .001,
# and the handshake (0.000000500 to 0.002999999) takes 2.999 ms.
ns_times="12:00:00.000 12:00:00.001 12:00:00.002 12:00:00.003 12:00:00.004 12:00:00.005 12:00:00.006 12:00:00.016 12:00:00.017 12:00:00.018 "
for stem in ns_be ns_le; do
    check "files/pcapread_${stem}_ns_cut" \
        test "$(pr_times $stem | cut -c1-130)" = "$ns_times"
    check "files/pcapread_${stem}_ns_rtt" \
        grep -q '^0001   2.999 ms ' "$PR/$stem-all.file.err"
done
# Snap length 60: a longer record is cut to 60 (its wire length kept), a
# shorter one is not; a record cut by the end of the file names the 60
# bytes libpcap tried to read first, or, past them, the captured length.
f60="$CASES/pcapread_snap60.pcap"
check files/pcapread_snap60_exit test "$(cat "$PR/snap60-all.file.rc")" = 2
check files/pcapread_snap60_msg pr_msg snap60 \
    'truncated dump file; tried to read 60 captured bytes, only got 40'
check files/pcapread_snap60_wire_len grep -q '^0001:0003 .* 70000 - ' \
    "$PR/snap60-hex.file.out"
check files/pcapread_snap60_cut_to_60 cmp -s \
    <(pr_hex snap60 0001:0003) <(hexdump_expect "$f60" 4 0 60 2>/dev/null)
check files/pcapread_snap60_short_kept cmp -s \
    <(pr_hex snap60 0001:0007) <(hexdump_expect "$f60" 8 0 0 2>/dev/null)
check files/pcapread_snap60_tail_exit \
    test "$(cat "$PR/snap60_tail-all.file.rc")" = 2
check files/pcapread_snap60_tail_msg pr_msg snap60_tail \
    'truncated dump file; tried to read 106 captured bytes, only got 80'
# Captured lengths above 262144 end the file after the good records.
check files/pcapread_caplen300k_msg pr_msg caplen300k \
    'invalid packet capture length 300000, bigger than snaplen of 65535'
check files/pcapread_caplen300k_before grep -q 'Total 3 segments' \
    "$PR/caplen300k-all.file.out"
check files/pcapread_caplen262145_msg pr_msg caplen262145 \
    'invalid packet capture length 262145, bigger than snaplen of 262144'
check files/pcapread_caplen262145_exit \
    test "$(cat "$PR/caplen262145-all.file.rc")" = 2
check files/pcapread_caplen_wrap_msg pr_msg caplen_wrap \
    'invalid packet capture length 4294967288, bigger than snaplen of 65535'
# A header alone is an empty capture; a cut record header is an error.
check files/pcapread_hdronly_empty \
    test "$(cat "$PR/hdronly-all.file.rc")" = 0 -a ! -s "$PR/hdronly-all.file.out"
check files/pcapread_cuthdr_msg pr_msg cuthdr \
    'truncated dump file; tried to read 16 header bytes, only got 3'
check files/pcapread_cuthdr_read_all grep -q 'Total 10 segments' \
    "$PR/cuthdr-all.file.out"
# Time fields with the top bit set.  libpcap 1.10 reads them as signed
# 32-bit numbers from a file in the host's byte order (second -1 is before
# 1970: miruo shows 00:00:00) but as unsigned ones from a byte-swapped
# file (second 0xFFFFFFFF is 2106-02-07 06:28:15; nanoseconds 4000000000
# are 4 s).  Fractions of a second or more are added as they are.
check files/pcapread_topbit_signed test "$(pr_times topbit)" = \
    "12:00:00.000 00:00:00.001 12:00:00.000 00:00:00.000 03:14:07.004 12:00:00.000 12:00:01.000 12:00:00.016 12:00:00.017 12:00:00.018 "
check files/pcapread_topbit_ns_signed test "$(pr_times topbit_ns)" = \
    "12:00:00.000 00:00:00.001 12:00:00.000 00:00:00.000 03:14:07.004 12:00:00.000 12:00:01.000 12:00:00.016 12:00:00.017 12:00:00.018 "
check files/pcapread_topbit_be_unsigned test "$(pr_times topbit_be)" = \
    "12:00:00.000 06:28:15.001 12:00:00.000 03:14:08.000 03:14:07.004 12:00:00.000 12:00:01.000 12:00:00.016 12:00:00.017 12:00:00.018 "
check files/pcapread_topbit_ns_be_unsigned test "$(pr_times topbit_ns_be)" = \
    "12:00:00.000 06:28:15.001 12:00:04.000 03:14:08.000 03:14:07.004 12:00:02.147 12:00:01.000 12:00:00.016 12:00:00.017 12:00:00.018 "
# Records of exactly 262144 bytes (snap length 0 = 262144), whole.
check files/pcapread_jumbo_read_all grep -q 'Total 13 segments' \
    "$PR/jumbo-all.file.out"
check files/pcapread_jumbo_three \
    test "$(grep -c ' 262144 - ' "$PR/jumbo-hex.file.out")" = 3
# (offsets past 64 KiB grow to five digits, as tcpdump's)
check files/pcapread_jumbo_bytes cmp -s <(pr_hex jumbo 0001:0004) \
    <(hexdump_expect "$CASES/pcapread_jumbo.pcap" 5 0 0 2>/dev/null)
# The file ends exactly at the end of the first read block; the last
# record's header straddles that end and its body is cut.
check files/pcapread_blockend_size \
    test "$(wc -c <"$CASES/pcapread_blockend.pcap")" = 262168
check files/pcapread_blockend_read_all grep -q 'Total 10 segments' \
    "$PR/blockend-all.file.out"
check files/pcapread_blockcut_size \
    test "$(wc -c <"$CASES/pcapread_blockcut.pcap")" = 262206
check files/pcapread_blockcut_msg pr_msg blockcut \
    'truncated dump file; tried to read 66 captured bytes, only got 30'

# A large file: 63,700 records over 34 read blocks (written here, 9 MB).
# Record headers start 0, 1, 2, 7, 8, 15, 16, 17 and 66 bytes before
# block ends and 1 and 17 bytes after them, in turn.
if "$MKPCAP" "$PR" pcapread_big; then
    PR_FILE="$PR/pcapread_big.pcap" pr_compare big all --all
    # -c and -p stop in the middle of the records read at once; a filter
    # takes the other way from the records to the sessions
    PR_FILE="$PR/pcapread_big.pcap" pr_compare big c40001 --all -c 40001
    PR_FILE="$PR/pcapread_big.pcap" pr_compare big p30000 --live -p 30000,30100
    PR_FILE="$PR/pcapread_big.pcap" pr_compare big filter --all \
        host 10.1.3.7 or port 17999
    check files/pcapread_big_sessions grep -q '^Total Sessions  : 8000$' \
        "$PR/big-all.file.err"
    check files/pcapread_big_flagged grep -q \
        '^Sessions        : 8000 ended, 8000 shown, 900 flagged,' \
        "$PR/big-all.file.err"
    segs=$(awk '/^[0-9]+ .*\| Total [0-9]+ segments/ {
                    for (i = 1; i < NF; i++) if ($i == "Total") s += $(i + 1)
                } END { print s + 0 }' "$PR/big-all.file.out")
    check files/pcapread_big_packets test "$segs" = 63700
    # The same output whatever the pools: raised limits (8000 session
    # slots in use, closed entries included: two chunks, the second
    # faulted in by pool.c's helper thread) and no limits (no thread).
    "$MIRUO" -C0 --all -L 300000 -l 2000000 -f "$PR/pcapread_big.pcap" \
        >"$PR/big-raised.out" 2>/dev/null
    check files/pcapread_big_raised_limits \
        cmp -s "$PR/big-raised.out" "$PR/big-all.file.out"
    "$MIRUO" -C0 --all -L 0 -l 0 -f "$PR/pcapread_big.pcap" \
        >"$PR/big-unlimited.out" 2>/dev/null
    check files/pcapread_big_no_limits \
        cmp -s "$PR/big-unlimited.out" "$PR/big-all.file.out"
    if command -v tcpdump >/dev/null; then
        n=$(tcpdump -nn -r "$PR/pcapread_big.pcap" 2>/dev/null | wc -l)
        check files/pcapread_big_tcpdump_count test "$n" = "$segs"
    else
        skip files/pcapread_big_tcpdump_count "tcpdump not installed"
    fi
    rm -f "$PR/pcapread_big.pcap" "$PR"/big-*
else
    fail files/pcapread_big_generated "mkpcap could not write pcapread_big"
fi
