# t-http.sh - HTTP inspection (-m http) on real keep-alive traffic (sourced
# by run-tests.sh).  python3's http.server speaking HTTP/1.1 and curl
# fetching three URLs over one connection, in two network namespaces.

http_ns_srv=miruo-h-srv-$$
http_ns_cli=miruo-h-cli-$$

http_cleanup() {
    [ -n "${http_miruo_pid:-}" ] && kill "$http_miruo_pid" 2>/dev/null
    [ -n "${http_server_pid:-}" ] && kill "$http_server_pid" 2>/dev/null
    wait 2>/dev/null
    ip netns del "$http_ns_srv" 2>/dev/null
    ip netns del "$http_ns_cli" 2>/dev/null
    http_miruo_pid= http_server_pid=
}

http_setup() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    for tool in ip python3 curl ss; do
        command -v $tool >/dev/null || { echo "$tool not installed"; return 1; }
    done
    netns_pair "$http_ns_srv" "$http_ns_cli" mh-s$$ mh-c$$ \
        10.79.0.1 10.79.0.2 || return 1
}

http_run() {
    local out="$WORK/http.out" err="$WORK/http.err" www="$WORK/http-www" i
    mkdir -p "$www"
    echo one >"$www/a.txt"
    echo two >"$www/b.txt"
    echo three >"$www/c.txt"
    ip netns exec "$http_ns_srv" python3 -m http.server 8081 --protocol HTTP/1.1 \
        --bind 10.79.0.1 --directory "$www" >"$WORK/http-server.log" 2>&1 &
    http_server_pid=$!
    for i in $(seq 50); do
        ip netns exec "$http_ns_srv" ss -ltn 2>/dev/null | grep -q ':8081 ' && break
        sleep 0.1
    done
    ip netns exec "$http_ns_srv" "$MIRUO" -C0 --all -m http:User-Agent:Content-Type \
        -i mh-s$$ tcp port 8081 >"$out" 2>"$err" &
    http_miruo_pid=$!
    for i in $(seq 50); do
        grep -q "listening on" "$err" 2>/dev/null && break
        sleep 0.1
    done
    # Promiscuous by default: the interface counts one more user.
    ip -n "$http_ns_srv" -d link show mh-s$$ >"$WORK/http-promisc.link"
    check http/promisc_default grep -q 'promiscuity 1' "$WORK/http-promisc.link"
    # Three requests over one keep-alive connection.
    ip netns exec "$http_ns_cli" curl -s -m 10 -A miruo-test/1.0 \
        -o /dev/null -o /dev/null -o /dev/null \
        http://10.79.0.1:8081/a.txt?x=1 http://10.79.0.1:8081/b.txt \
        http://10.79.0.1:8081/c.txt 2>"$WORK/http-curl.err"
    check http/curl_keepalive test $? = 0
    sleep 0.5
    kill -INT "$http_miruo_pid"
    wait "$http_miruo_pid"
    check http/exit_status test $? = 0
    http_miruo_pid=

    # -P: not promiscuous; --snaplen: the capture size asked for.
    ip netns exec "$http_ns_srv" "$MIRUO" -C0 -P --snaplen=200 -i mh-s$$ \
        >/dev/null 2>"$WORK/http-P.err" &
    local pid=$!
    for i in $(seq 50); do
        grep -q "listening on" "$WORK/http-P.err" 2>/dev/null && break
        sleep 0.1
    done
    ip -n "$http_ns_srv" -d link show mh-s$$ >"$WORK/http-P.link"
    kill -INT $pid
    wait $pid
    check http/no_promisc grep -q 'promiscuity 0' "$WORK/http-P.link"
    check http/snaplen_live grep -q 'capture size 200 bytes' "$WORK/http-P.err"

    check http/one_connection test "$(grep -c '^000[0-9] ' "$out")" = 1
    check http/request_a grep -q '^DPI:HTTP:RequestLine >>>> GET /a.txt HTTP/1.1$' "$out"
    check http/request_b grep -q '^DPI:HTTP:RequestLine >>>> GET /b.txt HTTP/1.1$' "$out"
    check http/request_c grep -q '^DPI:HTTP:RequestLine >>>> GET /c.txt HTTP/1.1$' "$out"
    check http/three_requests test "$(grep -c '^DPI:HTTP:RequestLine' "$out")" = 3
    check http/host_header test "$(grep -c '^DPI:HTTP:Header >>>>>>>>> Host: 10.79.0.1:8081$' "$out")" = 3
    check http/user_agent grep -q '^DPI:HTTP:Header >>>>>>>>> User-Agent: miruo-test/1.0$' "$out"
    check http/three_responses test "$(grep -c '^DPI:HTTP:ResponseLine >>> HTTP/1.1 200 OK$' "$out")" = 3
    # Python writes "Content-type": configured as Content-Type, matched
    # case-insensitively and printed as sent.
    check http/content_type_any_case grep -q '^DPI:HTTP:Header >>>>>>>>> Content-type: text/plain' "$out"
    check http/paired_a grep -Eq '^DPI:HTTP:ResponseTime >>> [0-9]+\.[0-9]{3} ms \(GET /a.txt\)$' "$out"
    check http/paired_b grep -Eq '^DPI:HTTP:ResponseTime >>> [0-9]+\.[0-9]{3} ms \(GET /b.txt\)$' "$out"
    check http/paired_c grep -Eq '^DPI:HTTP:ResponseTime >>> [0-9]+\.[0-9]{3} ms \(GET /c.txt\)$' "$out"
    # The lines follow the packet that carries them.
    check http/placement awk '/^DPI:HTTP:RequestLine/ { if (prev !~ /^0001:[0-9]+ .*>-A?P/) exit 1 } { prev = $0 }' "$out"
}

if reason=$(http_setup); then
    trap http_cleanup EXIT
    http_run
    http_cleanup
    trap - EXIT
else
    http_cleanup
    skip http "$reason"
fi

# Generated and reference captures: escaping of hostile payloads.
"$MIRUO" -C0 --all -m http:%:% -f "$CASES/ref_http.pcap" >"$WORK/http-all.out" 2>/dev/null
check http/all_headers grep -q '^DPI:HTTP:Header >>>>>>>>> X-Odd: Host$' "$WORK/http-all.out"
check http/value_not_name grep -q '^DPI:HTTP:Header >>>>>>>>> Cookie: a=b$' "$WORK/http-all.out"
LC_ALL=C grep -q "$(printf '\033')" "$WORK/http-all.out" && fail http/no_raw_escapes || pass http/no_raw_escapes
"$MIRUO" -C0 --all -m mysql -f "$CASES/ref_http.pcap" >/dev/null 2>"$WORK/http-bad.err"
check http/unknown_mode_exit test $? = 1
check http/unknown_mode_msg grep -q "unknown mode 'mysql' (supported: tcp, http, http:REQ,...\[:RES,...\])" "$WORK/http-bad.err"
