# t-html.sh - the HTML report (--html, --html-max; sourced by run-tests.sh).
#
# The page must be well-formed (xmllint --html, and xmllint as XML: the
# page and every SVG in it), load nothing from elsewhere, escape what
# comes from packets, draw one bar per data segment, one red bar per
# retransmission and one mark per SYN / FIN / RST of known captures
# (counted from the SVG: class "d", "rx" and "ev", data-n for merged
# ones), stay within its documented size for 10,000 sessions, and render
# in a real browser (Debian's chromium, headless) without a network
# request.  Needs python3; xmllint (libxml2-utils) and chromium are
# skipped, with the reason, when missing.

H="$WORK/html"
mkdir -p "$H"

# html_run NAME ARGS...: miruo -C0 --html=$H/NAME.html ARGS (stdout to
# $H/NAME.out); fails the check html/run_NAME on a bad exit status.
html_run() {
    local name=$1; shift
    TZ=UTC "$MIRUO" -C0 --html="$H/$name.html" "$@" >"$H/$name.out" \
        2>"$H/$name.err"
    local rc=$?
    if [ "$rc" -ne 0 ] || [ ! -s "$H/$name.html" ]; then
        fail "html/run_$name" "exit status $rc or empty page"
        return 1
    fi
    return 0
}

# The marks of every graph: "ID DIR segments rx-segments syn fin rst
# elements(bars,rx,marks)" per session and direction, then the rx titles.
html_count() {
    python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
def n(e): return int(e.get('data-n', '1'))
for sec in root.iter('section'):
    sid = sec.get('id')[1:]
    svgs = [e for e in sec.iter('svg') if e.get('class') == 'tsg']
    for d, svg in enumerate(svgs):
        bars = [e for e in svg.iter('path') if e.get('class') == 'd']
        rx = [e for e in svg.iter('g') if e.get('class') == 'rx']
        ev = [e for e in svg.iter('g') if (e.get('class') or '').startswith('ev ')]
        k = {c: sum(n(e) for e in ev if e.get('class') == 'ev ' + c)
             for c in ('syn', 'fin', 'rst')}
        print(sid, d, sum(map(n, bars)), sum(map(n, rx)), k['syn'], k['fin'],
              k['rst'])
EOF
}

html_titles() {
    python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for g in root.iter('g'):
    if g.get('class') == 'rx':
        print(g.find('title').text.split(':')[0])
    if (g.get('class') or '') == 'ev rst':
        print('RST')
for r in root.iter('rect'):
    if r.get('class') == 'zw':
        print(r.find('title').text.split(':')[0])
EOF
}

# html_expect NAME FILE EXPECTED: the counts of FILE equal EXPECTED.
html_expect() {
    local got
    got=$(html_count "$2" 2>&1)
    if [ "$got" = "$3" ]; then
        pass "html/counts_$1"
    else
        fail "html/counts_$1" "got '$(echo "$got" | tr '\n' ';')', expected '$(echo "$3" | tr '\n' ';')'"
    fi
}

# No external resource: no URL ("://"), no src, no href off the page, no
# script, link, frame, object, image or @import; url() only to an id of
# the page.
html_offline() {
    ! grep -qE '://|[sS][rR][cC]=|url\([^#]' "$1" &&
    ! grep -qiE '<script|<link|<iframe|<object|<embed|<img|@import' "$1" &&
    ! grep -oE 'href="[^"]*"' "$1" | grep -qv 'href="#'
}

# xmllint --html: errors other than HTML5 and SVG tags unknown to
# libxml2's HTML 4 parser fail.
html_xmllint_html() {
    xmllint --html --noout "$1" 2>"$1.lint" || return 1
    ! grep 'error' "$1.lint" |
        grep -vE 'Tag (nav|section|details|summary|figure|svg|defs|pattern|rect|path|g|text|title) invalid' |
        grep -q .
}

# Valid UTF-8, no control characters but tab and newline.
html_no_controls() {
    python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
b.decode("utf-8")
sys.exit(1 if any(c < 32 and c not in (9, 10) or c == 127 for c in b) else 0)
' "$1"
}

# Every SVG of the page as its own XML document.
html_svgs_wellformed() {
    local f n=0
    rm -rf "$1.svgs"
    mkdir -p "$1.svgs"
    python3 - "$1" "$1.svgs" <<'EOF' || return 1
import re, sys
page = open(sys.argv[1], encoding='utf-8').read()
svgs = re.findall(r'<svg\b.*?</svg>', page, re.S)
for i, s in enumerate(svgs):
    open('%s/%04d.svg' % (sys.argv[2], i), 'w', encoding='utf-8').write(s)
sys.exit(0 if svgs else 1)
EOF
    for f in "$1.svgs"/*.svg; do
        xmllint --noout "$f" 2>>"$1.lint" || return 1
        n=$((n + 1))
    done
    [ "$n" -gt 0 ]
}

if ! "$MIRUO" --html=/dev/null -f "$CASES/normal.pcap" >/dev/null 2>&1; then
    skip "html/all" "not wired yet"
elif ! command -v python3 >/dev/null 2>&1; then
    skip "html/all" "python3 missing"
else
    # ---- pages of known captures --------------------------------------------
    html_run retrans -f "$CASES/retrans.pcap"
    html_run ref_retrans -f "$CASES/ref_retrans.pcap"
    html_run synretrans -f "$CASES/synretrans.pcap"
    html_run rst --all -f "$CASES/rst.pcap"
    html_run zerowin --all -f "$CASES/zerowin.pcap"
    html_run options --all -f "$CASES/options.pcap"
    html_run ipv6 --all -f "$CASES/ipv6.pcap"
    html_run live_real --all -f "$CASES/ref_live_real.pcap"
    if [ -f "$SRCDIR/demo/demo.pcap" ]; then
        html_run demo -t 1000 -f "$SRCDIR/demo/demo.pcap"
    fi

    # The text output is the same with and without --html.
    TZ=UTC "$MIRUO" -C0 -f "$CASES/retrans.pcap" >"$H/retrans.plain" 2>/dev/null
    check html/text_unchanged cmp -s "$H/retrans.plain" "$H/retrans.out"

    # Counts per session and direction: data segments, retransmissions,
    # SYN, FIN, RST.  retrans: 2 x 100 B client data, the first resent
    # (1 red); SYN and FIN each way.
    html_expect retrans "$H/retrans.html" "1 0 2 1 1 1 0
1 1 0 0 1 1 0"
    html_expect ref_retrans "$H/ref_retrans.html" "1 0 2 1 1 1 0
1 1 0 0 1 1 0"
    # synretrans: SYN, the same SYN 1 s later, a third SYN at 3 s: 3 SYN
    # marks, the 2 copies red.
    html_expect synretrans "$H/synretrans.html" "1 0 0 2 3 1 0
1 1 0 0 1 1 0"
    # rst: request / response, then the server's RST/ACK.
    html_expect rst "$H/rst.html" "1 0 1 0 1 0 0
1 1 1 0 1 0 1"
    # zerowin: 2 x 100 B, four 1-byte probes (data, not copies).
    html_expect zerowin "$H/zerowin.html" "1 0 6 0 1 1 0
1 1 0 0 1 1 0"
    html_titles "$H/retrans.html" >"$H/retrans.titles" 2>&1
    check html/rx_class_in_title grep -qx 'retransmission (spurious)' "$H/retrans.titles"
    html_titles "$H/synretrans.html" >"$H/synretrans.titles" 2>&1
    check html/syn_copy_title grep -qx 'SYN sent again' "$H/synretrans.titles"
    html_titles "$H/zerowin.html" >"$H/zerowin.titles" 2>&1
    check html/zero_window_shaded grep -qx 'zero window advertised by the server' "$H/zerowin.titles"
    check html/sack_drawn grep -q '<path class="sack"' "$H/options.html"
    check html/legend grep -q '<svg class="lg"' "$H/retrans.html"
    check html/details_text grep -q '<details><summary>miruo text' "$H/retrans.html"
    check html/diagnosis_line grep -q '<p class="diag"><b>Diagnosis:</b> 0001: handshake' "$H/retrans.html"
    check html/triage_tables grep -q '<caption>Worst sessions by retransmissions</caption>' "$H/retrans.html"
    check html/verdict grep -q '<tr class="verdict"><th>verdict</th><td>1 session flagged</td>' "$H/retrans.html"

    # The diagnosis' classes, on the diagnosis captures (tests/gen/mkdiag).
    if [ -n "${MKDIAG:-}" ] && [ -x "$MKDIAG" ] &&
       "$MKDIAG" "$H" rx_rto rx_fast rx_spurious rx_tlp zerowin_stall >/dev/null 2>&1; then
        for c in rx_rto:RTO rx_fast:fast rx_spurious:spurious rx_tlp:TLP; do
            html_run "${c%%:*}" -r 1 -f "$H/${c%%:*}.pcap" &&
            html_titles "$H/${c%%:*}.html" >"$H/${c%%:*}.titles" 2>&1
            check "html/class_${c#*:}" grep -qx "retransmission (${c#*:})" "$H/${c%%:*}.titles"
        done
        html_run zerowin_stall --all -f "$H/zerowin_stall.pcap"
        html_expect zerowin_stall "$H/zerowin_stall.html" "1 0 1 0 1 1 0
1 1 10 0 1 1 0"
    else
        skip "html/classes" "mkdiag not available (MKDIAG)"
    fi

    # ---- escaping: a name with markup, HTTP lines with control bytes ----------
    printf '10.0.0.1 <script>alert(1)</script>&x"y\x27\n' >"$H/evil.names"
    html_run escape_names --all --names "$H/evil.names" -f "$CASES/normal.pcap"
    check html/escape_no_markup_from_packets sh -c "! grep -q '<script>' '$H/escape_names.html'"
    if [ -f "$CASES/http_escape.pcap" ]; then
        html_run escape_http --all -m http:%:% -f "$CASES/http_escape.pcap"
        check html/escape_no_control_bytes html_no_controls "$H/escape_http.html"
    fi
    check html/escape_valid_utf8 html_no_controls "$H/escape_names.html"

    # ---- well-formed, offline -------------------------------------------------
    pages=$(ls "$H"/*.html)
    for p in $pages; do
        b=$(basename "$p" .html)
        check "html/offline_$b" html_offline "$p"
    done
    if command -v xmllint >/dev/null 2>&1; then
        for p in $pages; do
            b=$(basename "$p" .html)
            check "html/xmllint_html_$b" html_xmllint_html "$p"
            check "html/xml_wellformed_$b" xmllint --noout "$p"
            check "html/svg_wellformed_$b" html_svgs_wellformed "$p"
        done
    else
        skip "html/xmllint" "xmllint missing (Debian: libxml2-utils)"
    fi

    # ---- options ------------------------------------------------------------
    check html/max_0_refused sh -c "! '$MIRUO' --html=/dev/null --html-max=0 -f '$CASES/normal.pcap' >/dev/null 2>&1"
    check html/bad_path_refused sh -c "'$MIRUO' --html=/nonexistent-dir/x.html -f '$CASES/normal.pcap' >/dev/null 2>'$H/badpath.err'; [ \$? = 1 ] && grep -q 'cannot open' '$H/badpath.err'"

    # ---- 10,000 sessions: at most --html-max sections, a bounded page --------
    # Documented bound (man/miruo.1, --html-max): 96 KiB + N x 256 KiB,
    # plus the escaped capture file name and filter.
    python3 - "$H/10k.pcap" 10000 <<'EOF'
import struct, sys
# N short sessions, each resending its data segment 1.2 s later (all are
# flagged and shown); classic pcap, Ethernet, IPv4.
out = open(sys.argv[1], 'wb'); n = int(sys.argv[2])
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
pk = []
def pkt(t, src, dst, sp, dp, seq, ack, flags, data=b''):
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535,
                      0, 0) + data
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                     src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    pk.append((t, b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + ip + tcp))
S, A, P, F = 2, 16, 8, 1
for i in range(n):
    c = bytes([10, 1, (i >> 8) & 255, i & 255]); s = bytes([10, 2, 0, 1])
    cp = 1024 + i % 60000; t = i * 1000; ci = 1000 + i; si = 50000 + i
    pkt(t, c, s, cp, 80, ci, 0, S)
    pkt(t + 100, s, c, 80, cp, si, ci + 1, S | A)
    pkt(t + 200, c, s, cp, 80, ci + 1, si + 1, A)
    pkt(t + 300, c, s, cp, 80, ci + 1, si + 1, A | P, b'x' * (100 + i % 50))
    pkt(t + 1200300 + i % 7 * 1000, c, s, cp, 80, ci + 1, si + 1, A | P,
        b'x' * (100 + i % 50))
    pkt(t + 1210400, s, c, 80, cp, si + 1, ci + 151, A)
    pkt(t + 1210500, c, s, cp, 80, ci + 151, si + 1, A | F)
    pkt(t + 1210600, s, c, 80, cp, si + 1, ci + 152, A | F)
    pkt(t + 1210700, c, s, cp, 80, ci + 152, si + 2, A)
pk.sort(key=lambda x: x[0])
for t, fr in pk:
    out.write(struct.pack('<IIII', t // 1000000, t % 1000000, len(fr),
                          len(fr)) + fr)
EOF
    if html_run 10k -L 0 -f "$H/10k.pcap"; then
        size=$(wc -c <"$H/10k.html")
        bound=$((96 * 1024 + 50 * 256 * 1024))
        sections=$(grep -c '<section class="sess"' "$H/10k.html")
        echo "      10,000 sessions: $sections sections, $size bytes (bound $bound)"
        check html/10k_sections_capped [ "$sections" -eq 50 ]
        check html/10k_size_bound [ "$size" -le "$bound" ]
        check html/10k_shown_count grep -q '50 of 10000 shown sessions' "$H/10k.html"
    fi
    if html_run 10k_max5 -L 0 --html-max=5 -f "$H/10k.pcap"; then
        check html/html_max_5 [ "$(grep -c '<section class="sess"' "$H/10k_max5.html")" -eq 5 ]
    fi
    rm -f "$H/10k.pcap"

    # ---- a real browser -----------------------------------------------------
    if ! command -v chromium >/dev/null 2>&1; then
        skip "html/browser" "chromium missing (Debian: chromium)"
    else
        # html_browser PAGE PNG NETLOG: headless chromium, no network: every
        # host name resolves to nothing and every request goes to a proxy on
        # a closed loopback port, so nothing can leave the machine.
        html_browser() {
            local profile
            profile=$(mktemp -d "$H/chromium.XXXXXX")
            timeout 120 chromium --headless --no-sandbox --disable-gpu \
                --disable-quic --no-first-run --disable-background-networking \
                --disable-component-update --disable-sync \
                --disable-default-apps --disable-extensions \
                --disable-domain-reliability --no-pings \
                --disable-client-side-phishing-detection \
                --metrics-recording-only \
                --disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater \
                "--host-resolver-rules=MAP * ~NOTFOUND" \
                --proxy-server=127.0.0.1:9 \
                --user-data-dir="$profile" --log-net-log="$3" \
                --screenshot="$2" --window-size=1280,2000 "file://$1" \
                >"$2.log" 2>&1
            rm -rf "$profile"
            [ -s "$2" ] && [ -s "$3" ]
        }
        # The page's own requests in a net log: those made for a file://
        # page (the browser's background requests have no page).
        html_page_requests() {
            python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
types = {v: k for k, v in d['constants']['logEventTypes'].items()}
for e in d['events']:
    p = e.get('params') or {}
    if types.get(e['type']) != 'URL_REQUEST_START_JOB' or 'url' not in p:
        continue
    if p['url'].startswith(('file:', 'data:', 'about:', 'chrome')):
        continue
    if 'file://' in str(p.get('network_isolation_key', '')) + \
            str(p.get('site_for_cookies', '')) or \
            p.get('initiator') not in (None, 'not an origin'):
        print(p['url'])
EOF
        }
        # PNG: not blank (enough colours and ink in the first 800 rows).
        html_png_not_blank() {
            python3 - "$1" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, typ = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if typ == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype in (2, 6)
        bpp = 3 if ctype == 2 else 4
    elif typ == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours, ink, rows = set(), 0, min(h, 800)
for y in range(rows):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 2):
        px = bytes(line[x:x + 3]); colours.add(px)
        if px != b'\xff\xff\xff': ink += 1
    prev = line
total = rows * w // 2
print('%d colours, %.1f%% ink' % (len(colours), 100.0 * ink / total))
sys.exit(0 if len(colours) >= 8 and ink * 100 >= total else 1)
EOF
        }
        page="$H/demo.html"
        [ -f "$page" ] || page="$H/retrans.html"
        if html_browser "$page" "$H/shot.png" "$H/netlog.json"; then
            pass html/browser_loads
            check html/browser_screenshot_not_blank html_png_not_blank "$H/shot.png"
            html_page_requests "$H/netlog.json" >"$H/requests.txt" 2>&1
            check html/browser_no_network_request [ ! -s "$H/requests.txt" ]
            # The detector itself: a page with an external image is caught.
            printf '<!DOCTYPE html><html><body><p>x</p><img src="http://canary.invalid/a.png"/></body></html>\n' >"$H/canary.htm"
            if html_browser "$H/canary.htm" "$H/canary.png" "$H/canary.json"; then
                html_page_requests "$H/canary.json" >"$H/canary.txt" 2>&1
                check html/browser_request_detector grep -q 'canary.invalid' "$H/canary.txt"
            fi
        else
            fail html/browser_loads "chromium failed: $(tail -3 "$H/shot.png.log" | tr '\n' ' ')"
        fi
    fi
fi
