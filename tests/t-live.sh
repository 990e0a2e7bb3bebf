# t-live.sh - live capture of real traffic (sourced by run-tests.sh).
#
# A real HTTP server (python3 -m http.server) and a real client (curl) in
# two network namespaces joined by a veth pair; miruo captures on the
# server's side.  Needs root, iproute2, python3 and curl; skipped with the
# reason otherwise.

live_ns_srv=miruo-t-srv-$$
live_ns_cli=miruo-t-cli-$$

live_cleanup() {
    [ -n "${live_miruo_pid:-}" ] && kill "$live_miruo_pid" 2>/dev/null
    [ -n "${live_http_pid:-}" ] && kill "$live_http_pid" 2>/dev/null
    wait 2>/dev/null
    ip netns del "$live_ns_srv" 2>/dev/null
    ip netns del "$live_ns_cli" 2>/dev/null
    live_miruo_pid= live_http_pid=
}

# Wait until FILE contains PATTERN (up to ~5 s).
live_wait_for() {
    local i
    for i in $(seq 50); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

live_setup() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    for tool in ip python3 curl; do
        command -v $tool >/dev/null || { echo "$tool not installed"; return 1; }
    done
    ip netns add "$live_ns_srv" 2>/dev/null &&
    ip netns add "$live_ns_cli" 2>/dev/null &&
    ip link add mt-s$$ type veth peer name mt-c$$ 2>/dev/null &&
    ip link set mt-s$$ netns "$live_ns_srv" &&
    ip link set mt-c$$ netns "$live_ns_cli" &&
    ip -n "$live_ns_srv" addr add 10.77.0.1/24 dev mt-s$$ &&
    ip -n "$live_ns_cli" addr add 10.77.0.2/24 dev mt-c$$ &&
    ip -n "$live_ns_srv" link set mt-s$$ up &&
    ip -n "$live_ns_cli" link set mt-c$$ up &&
    ip -n "$live_ns_srv" link set lo up &&
    ip -n "$live_ns_cli" link set lo up || {
        echo "cannot create network namespaces and a veth pair here"
        return 1
    }
    return 0
}

live_run() {
    local out="$WORK/live.out" err="$WORK/live.err" www="$WORK/www"
    mkdir -p "$www"
    echo "hello from miruo's live test" >"$www/index.html"

    ip netns exec "$live_ns_srv" python3 -m http.server 8080 \
        --bind 10.77.0.1 --directory "$www" >"$WORK/http.log" 2>&1 &
    live_http_pid=$!
    # Start capturing only once the server listens, so the first connection
    # is the one under test.
    local i
    for i in $(seq 50); do
        ip netns exec "$live_ns_srv" ss -ltn 2>/dev/null | grep -q ':8080 ' && break
        sleep 0.1
    done
    ip netns exec "$live_ns_srv" "$MIRUO" -C0 --all -i mt-s$$ \
        tcp port 8080 >"$out" 2>"$err" &
    live_miruo_pid=$!
    if ! live_wait_for "$err" "listening on mt-s$$"; then
        fail live/miruo_starts "no 'listening on' banner: $(head -c 300 "$err")"
        return
    fi
    pass live/miruo_starts
    # The server may need a moment to bind.
    local ok=0
    for i in $(seq 30); do
        if ip netns exec "$live_ns_cli" curl -s -m 2 -o "$WORK/curl.out" \
            http://10.77.0.1:8080/index.html; then ok=1; break; fi
        sleep 0.2
    done
    check live/curl_fetches test "$ok" = 1
    # The session ends with the client's last ACK; give miruo a moment.
    live_wait_for "$out" "TIME_WAIT\|CLOSED  *<" || true
    sleep 0.3
    kill -INT "$live_miruo_pid"
    wait "$live_miruo_pid"
    check live/exit_status_0 test $? = 0
    live_miruo_pid=

    check live/header grep -q '^0001 .* 10.77.0.2:[0-9]* == 10.77.0.1:8080  *| Total [0-9]* segments, [0-9]* bytes$' "$out"
    check live/syn grep -q '^0001:0000 .*  SYN_SENT >----S-> SYN_RECV  .* 74 - <mss=1460, sackOK, timestamp [0-9]* 0, wscale=[0-9]*>$' "$out"
    check live/synack grep -q '^0001:0001 .*ESTABLISHED <-A--S-< SYN_RECV ' "$out"
    check live/handshake_ack grep -q '^0001:0002 .*ESTABLISHED >-A----> ESTABLISHED ' "$out"
    check live/elision grep -q '^0001:\*\*\*\*              |  *|$' "$out"
    check live/teardown grep -Eq '(TIME_WAIT|CLOSED) [<>]-A----[<>] (TIME_WAIT|CLOSED) ' "$out"
    check live/one_session test "$(grep -c '^000[0-9] ' "$out")" = 1
    check live/stats_on_stderr grep -q '^Total Sessions  : 1$' "$err"
    check live/stats_recv grep -Eq '^recv  : [1-9]' "$err"
}

if reason=$(live_setup); then
    trap live_cleanup EXIT
    live_run
    live_cleanup
    trap - EXIT
else
    live_cleanup
    skip live "$reason"
fi
