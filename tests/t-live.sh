# t-live.sh - live capture of real traffic (sourced by run-tests.sh).
#
# Real HTTP servers (python3 -m http.server) and real clients (curl, a
# python3 socket) in two network namespaces joined by a veth pair; miruo
# captures on the server's side.  Four scenarios:
#   live/*       one clean HTTP request, every session printed (--all)
#   live/open_*  a connection still open when miruo gets SIGINT
#   live/loss_*  packets really lost (nftables drops them behind the
#                capture point), so TCP really retransmits
#   live/live_*  --live writes each packet out as soon as it is seen
# Needs root, iproute2, python3 and curl (and nft for live/loss_*); skipped
# with the reason otherwise.  Everything started here is stopped and the
# namespaces (with their nftables tables) are deleted, also on failure.

live_ns_srv=miruo-t-srv-$$
live_ns_cli=miruo-t-cli-$$
live_dev=mt-s$$                 # the server's veth, where miruo captures
live_pids=                      # background processes started here

# live_alive PID: the process exists and is not a zombie.
live_alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "${st%% *}" != Z ]
}

# live_stop PID [SIGNAL]: send SIGNAL (default INT), wait at most ~5 s (then
# SIGKILL) and return the process's exit status.
live_stop() {
    local pid=$1 rc
    kill -"${2:-INT}" "$pid" 2>/dev/null
    for _ in $(seq 50); do
        live_alive "$pid" || break
        sleep 0.1
    done
    if live_alive "$pid"; then
        echo "      (pid $pid ignored SIG${2:-INT} for 5 s, killed)"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    rc=$?
    live_pids=$(echo " $live_pids " | sed "s/ $pid / /g")
    return $rc
}

live_cleanup() {
    local pid
    for pid in $live_pids; do
        live_stop "$pid" TERM
    done
    live_pids=
    ip netns del "$live_ns_srv" 2>/dev/null
    ip netns del "$live_ns_cli" 2>/dev/null
}

# live_wait_for FILE PATTERN [TENTHS]: wait until FILE contains PATTERN
# (grep -E), up to TENTHS tenths of a second (default 50).
live_wait_for() {
    for _ in $(seq "${3:-50}"); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# live_listening PORT: wait (up to ~5 s) until the server listens on PORT.
live_listening() {
    for _ in $(seq 50); do
        ip netns exec "$live_ns_srv" ss -ltnH "sport = :$1" 2>/dev/null |
            grep -q . && return 0
        sleep 0.1
    done
    return 1
}

# live_miruo NAME ARGS...: start miruo in the server namespace with ARGS,
# output in $WORK/live-NAME.out and .err; its pid in live_pid.  Fails when
# the "listening on" banner does not come within ~5 s.
live_miruo() {
    local name=$1; shift
    ip netns exec "$live_ns_srv" "$MIRUO" "$@" \
        >"$WORK/live-$name.out" 2>"$WORK/live-$name.err" &
    live_pid=$!
    live_pids="$live_pids $live_pid"
    live_wait_for "$WORK/live-$name.err" "^listening on $live_dev"
}

# live_ms: wall clock in milliseconds.
live_ms() { echo $(($(date +%s%N) / 1000000)); }

live_setup() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    for tool in ip ss python3 curl; do
        command -v $tool >/dev/null || { echo "$tool not installed"; return 1; }
    done
    netns_pair "$live_ns_srv" "$live_ns_cli" mt-s$$ mt-c$$ \
        10.77.0.1 10.77.0.2 || return 1
    return 0
}

# One server per scenario (8080: clean and open sessions, 8081: loss,
# 8082: --live), so that no scenario sees another's stray packets.
live_servers() {
    local www="$WORK/www" port
    mkdir -p "$www"
    echo "hello from miruo's live test" >"$www/index.html"
    head -c 300000 /dev/urandom >"$www/big.bin"
    for port in 8080 8081 8082; do
        ip netns exec "$live_ns_srv" python3 -m http.server $port \
            --bind 10.77.0.1 --directory "$www" >"$WORK/http-$port.log" 2>&1 &
        live_pids="$live_pids $!"
    done
    for port in 8080 8081 8082; do
        live_listening $port || {
            fail live/servers "http.server on port $port not listening: $(head -c 300 "$WORK/http-$port.log")"
            return 1
        }
    done
}

# ---- one clean request, --all -----------------------------------------------
live_run() {
    local out="$WORK/live-clean.out" err="$WORK/live-clean.err" rc

    # Capturing starts only once the server listens, so the first
    # connection is the one under test.
    if ! live_miruo clean -C0 --all -i "$live_dev" tcp port 8080; then
        fail live/miruo_starts "no 'listening on' banner: $(head -c 300 "$err")"
        live_stop "$live_pid"
        return
    fi
    pass live/miruo_starts
    ip netns exec "$live_ns_cli" curl -s -m 5 -o "$WORK/curl.out" \
        http://10.77.0.1:8080/index.html
    check live/curl_fetches cmp "$WORK/curl.out" "$WORK/www/index.html"
    # The session ends with the client's last ACK; give miruo a moment.
    live_wait_for "$out" "TIME_WAIT|CLOSED  *<" || true
    sleep 0.3
    live_stop "$live_pid"
    check live/exit_status_0 test $? = 0

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

# ---- a session still open at SIGINT -----------------------------------------
live_open_session() {
    local out="$WORK/live-open.out" err="$WORK/live-open.err"
    local log="$WORK/live-open-client.log" mpid cpid rc

    if ! live_miruo open -C0 --all -i "$live_dev" tcp port 8080; then
        fail live/open_starts "no 'listening on' banner: $(head -c 300 "$err")"
        live_stop "$live_pid"
        return
    fi
    mpid=$live_pid
    # Half a request (no empty line): the server waits for the rest and
    # the connection stays established.
    ip netns exec "$live_ns_cli" python3 -c '
import socket, time
s = socket.create_connection(("10.77.0.1", 8080), timeout=5)
s.sendall(b"GET /index.html HTTP/1.1\r\nHost: 10.77.0.1\r\n")
print("sent", flush=True)
time.sleep(30)
' >"$log" 2>&1 &
    cpid=$!
    live_pids="$live_pids $cpid"
    if ! live_wait_for "$log" '^sent$'; then
        fail live/open_client "client did not connect: $(head -c 300 "$log")"
        live_stop "$cpid" TERM
        live_stop "$mpid"
        return
    fi
    # Wait until the server has acknowledged the request (the client's
    # send queue is empty), then for libpcap's 100 ms delivery timeout.
    for _ in $(seq 50); do
        ip netns exec "$live_ns_cli" ss -tnH state established \
            '( dport = :8080 )' | awk '$2 == 0 { ok = 1 } END { exit !ok }' &&
            break
        sleep 0.1
    done
    sleep 0.5
    check live/open_still_connected live_alive "$cpid"
    live_stop "$mpid"
    rc=$?
    live_stop "$cpid" TERM
    check live/open_exit_status_0 test "$rc" = 0

    check live/open_header grep -Eq '^0001 +[0-9]+\.[0-9]{3} \| +10\.77\.0\.2:[0-9]+ == 10\.77\.0\.1:8080 +\| Total [0-9]+ segments, [0-9]+ bytes$' "$out"
    check live/open_syn grep -q '^0001:0000 .*  SYN_SENT >----S-> SYN_RECV  ' "$out"
    check live/open_synack grep -q '^0001:0001 .*ESTABLISHED <-A--S-< SYN_RECV ' "$out"
    check live/open_handshake_ack grep -q '^0001:0002 .*ESTABLISHED >-A----> ESTABLISHED ' "$out"
    # --all elides the middle, so the request shows only in the totals:
    # SYN/ACK 74 + ACK 66 + request 109 (43 bytes of payload) at least.
    check live/open_request_counted awk '/^0001 / && $(NF-3) >= 4 && $(NF-1) >= 249 { ok = 1 } END { exit !ok }' "$out"
    # The event line closes the session: it is the last line of the output.
    check live/open_end_of_capture grep -Eq '^0001:[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} \|                end of capture                \| session still open$' "$out"
    check live/open_end_is_last sh -c 'tail -n 1 "$1" | grep -q "| session still open\$"' sh "$out"
    check live/open_one_session test "$(grep -c '^000[0-9] ' "$out")" = 1
}

# live_drop_rule NS RULE : table inet miruotest in namespace NS, its input
# chain holding RULE (an nftables drop rule).  Errors in live-nft.err.
live_drop_rule() {
    ip netns exec "$1" nft -f - 2>"$WORK/live-nft.err" <<EOF
table inet miruotest {
    chain in {
        type filter hook input priority 0; policy accept;
        $2
    }
}
EOF
}

# ---- real loss: nftables drops packets, TCP retransmits ---------------------
# The drops happen behind the capture point, on the receiving side: miruo
# sees the lost original and then its retransmission.  (Dropped in the
# sender's output hook, the original would never reach the veth and the
# retransmission would look like new data.)
#  - server namespace, input: the first copy of the client's request.  It
#    is the only segment in flight, so only a timer (tail loss probe or
#    RTO, >= 200 ms on Linux) can resend it: certainly >= 1 ms later.
#  - client namespace, input: every 5th data-bearing packet from the
#    server, the first one included (SYN/ACKs, bare ACKs and bare FINs are
#    shorter than 100 bytes and pass).
live_loss() {
    local out="$WORK/live-loss.out" err="$WORK/live-loss.err"
    local out0="$WORK/live-loss-r0.out" err0="$WORK/live-loss-r0.err"
    local got="$WORK/live-loss-big.bin" m1 m0 rc rc0 crc t0

    if ! command -v nft >/dev/null; then
        skip live/loss "nft not installed"
        return
    fi
    # Every 2nd data packet to the server, every 5th to the client.
    if ! live_drop_rule "$live_ns_srv" \
            "tcp dport 8081 ip length > 100 numgen inc mod 2 0 drop" ||
       ! live_drop_rule "$live_ns_cli" \
            "tcp sport 8081 ip length > 100 numgen inc mod 5 0 drop"; then
        skip live/loss "cannot load nftables rules: $(head -c 200 "$WORK/live-nft.err")"
        return
    fi

    # Two miruo on the same traffic: -r 1 flags it, -r 0 ignores it.
    if ! live_miruo loss -C0 -r 1 -i "$live_dev" tcp port 8081; then
        fail live/loss_starts "no 'listening on' banner: $(head -c 300 "$err")"
        live_stop "$live_pid"
        return
    fi
    m1=$live_pid
    if ! live_miruo loss-r0 -C0 -r 0 -i "$live_dev" tcp port 8081; then
        fail live/loss_starts "-r 0: no 'listening on' banner: $(head -c 300 "$err0")"
        live_stop "$live_pid"
        live_stop "$m1"
        return
    fi
    m0=$live_pid
    pass live/loss_starts

    t0=$(live_ms)
    ip netns exec "$live_ns_cli" curl -s -m 10 -o "$got" \
        http://10.77.0.1:8081/big.bin
    crc=$?
    echo "      (loss: curl exit $crc after $(($(live_ms) - t0)) ms)"
    check live/loss_curl_complete cmp "$got" "$WORK/www/big.bin"
    # Without --all the session is printed when it ends (flagged).
    live_wait_for "$out" '^0001 ' 30 || true
    sleep 0.3
    live_stop "$m1"
    rc=$?
    live_stop "$m0"
    rc0=$?
    check live/loss_exit_status_0 test "$rc" = 0
    check live/loss_r0_exit_status_0 test "$rc0" = 0

    check live/loss_flagged grep -Eq '^0001 +[0-9]+\.[0-9]{3} \| +10\.77\.0\.2:[0-9]+ == 10\.77\.0\.1:8081 +\| Total [0-9]+ segments, [0-9]+ bytes \[([a-z-]+,)*retransmit(,[a-z-]+)*\]$' "$out"
    # The lost request and its retransmission are both printed: the same
    # client sequence number on two data lines.
    check live/loss_request_resent sh -c "sed -n 's/^0001:[0-9]\{4\} .* >-AP---> .*| \([0-9A-F]\{8\}\)\/.*/\1/p' \"\$1\" | sort | uniq -d | grep -q ." sh "$out"
    check live/loss_stats_retransmit grep -Eq '^ +Retransmit  : [1-9][0-9]*$' "$err"
    # The diagnosis line (man page DIAGNOSIS) places that loss right: one
    # copy of the client's data resent, the original seen by the tap.
    check live/loss_diag_client_lost_after_tap grep -Eq '^0001: (.*; )?client resent 1 \([^)]*\), lost after the tap(;|$)' "$out"
    # -r 0: the same session was seen but, with nothing else to flag it,
    # not printed.
    check live/loss_r0_saw_session grep -q '^Total Sessions  : 1$' "$err0"
    check live/loss_r0_not_shown test ! -s "$out0"
    check live/loss_r0_stats_retransmit_0 grep -Eq '^ +Retransmit  : 0$' "$err0"

    ip netns exec "$live_ns_srv" nft delete table inet miruotest 2>/dev/null
    ip netns exec "$live_ns_cli" nft delete table inet miruotest 2>/dev/null
}

# ---- --live: each packet is written out at once -----------------------------
live_prompt() {
    local out="$WORK/live-live.out" err="$WORK/live-live.err"
    local t0 syn_ms='' close_ms='' syn close now lines rc

    if ! live_miruo live --live -C0 -i "$live_dev" tcp port 8082; then
        fail live/live_starts "no 'listening on' banner: $(head -c 300 "$err")"
        live_stop "$live_pid"
        return
    fi
    ip netns exec "$live_ns_cli" curl -s -m 5 -o /dev/null \
        http://10.77.0.1:8082/index.html
    t0=$(live_ms)
    # Poll miruo's output while it keeps running: the SYN, and the
    # client's last ACK that ends the session, within 1 s of curl's end.
    # (The time is taken after looking, so it errs on the late side.)
    while :; do
        syn=1 close=1
        grep -Eq '^0001:0000 [0-9:.]{12} 10\.77\.0\.2:[0-9]+ >----S-> 10\.77\.0\.1:8082 SYN_SENT/SYN_RECV ' "$out" || syn=0
        grep -Eq '^0001:[0-9]{4} .* (CLOSED/TIME_WAIT|TIME_WAIT/CLOSED) ' "$out" || close=0
        now=$(live_ms)
        [ -z "$syn_ms" ] && [ $syn = 1 ] && syn_ms=$((now - t0))
        [ -z "$close_ms" ] && [ $close = 1 ] && close_ms=$((now - t0))
        [ -n "$syn_ms" ] && [ -n "$close_ms" ] && break
        [ $((now - t0)) -gt 1000 ] && break
        sleep 0.025
    done
    echo "      (--live: SYN line after ${syn_ms:-never} ms, last ACK after ${close_ms:-never} ms)"
    cp "$out" "$WORK/live-live.early"
    live_alive "$live_pid"
    check live/live_running_while_polled test $? = 0
    check live/live_syn_within_1s test "${syn_ms:-9999}" -le 1000
    check live/live_close_within_1s test "${close_ms:-9999}" -le 1000
    live_stop "$live_pid"
    rc=$?
    check live/live_exit_status_0 test "$rc" = 0
    lines=$(grep -c '^0001:[0-9]' "$out")
    check live/live_nothing_added_at_exit test "$(grep -c '^0001:[0-9]' "$WORK/live-live.early")" = "$lines"
}

# ---- -B: the size of the kernel ring miruo maps -----------------------------
# The TPACKET_V3 ring is a mapping of the capture socket: its size shows
# in /proc/PID/maps.  Default 8 MiB, -B MiB, -B 0 libpcap's 2 MiB; live
# capture adds the ring to the statistics' Bound.
live_ring_mib() {   # PID: size of its socket mapping in MiB
    local range
    range=$(grep -m1 ' socket:\[' "/proc/$1/maps" 2>/dev/null | cut -d' ' -f1)
    [ -n "$range" ] && echo $(( (0x${range#*-} - 0x${range%-*}) / 1048576 ))
}
live_ring() {
    local args want got bound
    for args in "8" "-B 3:3" "-B 0:2"; do
        want=${args##*:}
        args=${args%:*}
        [ "$args" = 8 ] && args=
        # shellcheck disable=SC2086
        if ! live_miruo ring -C0 -s 1 $args -i "$live_dev" tcp port 9; then
            fail "live/ring_${want}mib" "miruo did not start"
            live_stop "$live_pid"
            continue
        fi
        got=$(live_ring_mib "$live_pid")
        live_stop "$live_pid"
        check "live/ring_${want}mib" test "${got:-0}" = "$want"
    done
    # The bound of the last run (-B 0) includes the 2 MiB ring: it is the
    # file bound plus 2048 KB.
    bound=$(sed -n 's/^Bound : \([0-9]*\)KB$/\1/p' "$WORK/live-ring.err" | tail -1)
    "$MIRUO" -C0 -s 1 -f "$CASES/normal.pcap" >/dev/null 2>"$WORK/live-ring-file.err"
    got=$(sed -n 's/^Bound : \([0-9]*\)KB$/\1/p' "$WORK/live-ring-file.err" | tail -1)
    check live/ring_in_bound test "${bound:-0}" = "$(( ${got:-0} + 2048 ))"
}

if reason=$(live_setup); then
    trap live_cleanup EXIT
    if live_servers; then
        live_run
        live_open_session
        live_loss
        live_prompt
        live_ring
    fi
    live_cleanup
    trap - EXIT
else
    live_cleanup
    skip live "$reason"
fi
