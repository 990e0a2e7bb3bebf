# t-diag.sh - the diagnosis line (sourced by run-tests.sh).
#
# For every session a lookup flagged, miruo prints after its packets one
# line "NNNN: item; item; ..." (diag_summary in src/diag.c).  Two parts:
#
#  1. Generated captures (tests/gen/mkdiag.c, see its header for each
#     case): every diagnosis (retransmission classes, loss before the tap,
#     capture artefacts, windows, stalls, turns, RSTs, handshake split,
#     one-way) and its must-not-flag look-alike, item by item.
#  2. Real traffic between two network namespaces (as t-real.sh): a
#     receiver that stops reading, loss made by nftables after the tap
#     (and drops in the sender's own output hook, which are no loss), a
#     slow server, and a RST forged with a foreign TTL into an idle
#     connection.  tcpdump writes the traffic on the server's veth and
#     miruo reads that file with the options of each scenario.
#
# Items are compared exactly ("; ITEM; " within "; LINE; ") unless the
# value depends on real timing, then with an extended regular expression.

diag_dir="$WORK/diag"
diag_cases="$diag_dir/cases"
diag_gen="${MKDIAG:-$BUILDDIR/tests/gen/mkdiag}"
mkdir -p "$diag_cases"

# ---- helpers ------------------------------------------------------------------

# diag_run TAG ARGS... : miruo -C0 ARGS, stdout in $diag_dir/TAG.out.
diag_run() {
    local tag=$1
    shift
    "$MIRUO" -C0 "$@" >"$diag_dir/$tag.out" 2>"$diag_dir/$tag.err"
    echo $? >"$diag_dir/$tag.rc"
}

# diag_line TAG [ID] : the summary text of session ID (default: the first
# summary line), without "NNNN: ".
diag_line() {
    local id=${2:-'[0-9]{4}'}
    grep -E "^$id: " "$diag_dir/$1.out" | head -1 | cut -c7-
}

# diag_reasons TAG [ID] : the reasons in the header of session ID (default:
# the first), "-" when it has none, "none" when no session is shown.
diag_reasons() {
    local id=${2:-'[0-9]{4}'} h
    h=$(grep -E "^$id +[0-9]+\.[0-9]{3} \|" "$diag_dir/$1.out" | head -1)
    if [ -z "$h" ]; then
        echo none
    elif [[ $h =~ \[([a-z,-]+)\]$ ]]; then
        echo "${BASH_REMATCH[1]}"
    else
        echo -
    fi
}

# diag_sessions TAG : number of session headers.
diag_sessions() {
    grep -cE '^[0-9]{4} +[0-9]+\.[0-9]{3} \|' "$diag_dir/$1.out"
}

diag_is() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

# diag_item NAME TAG ITEM [ID] : ITEM is one of the summary's items.
diag_item() {
    local line
    line=$(diag_line "$2" "${4:-}")
    case "; $line; " in
        *"; $3; "*) pass "$1" ;;
        *) fail "$1" "no item '$3' in '${line:-<no summary line>}'" ;;
    esac
}

# diag_has NAME TAG TEXT [ID] : the summary contains TEXT.
diag_has() {
    local line
    line=$(diag_line "$2" "${4:-}")
    case "$line" in
        *"$3"*) pass "$1" ;;
        *) fail "$1" "no '$3' in '${line:-<no summary line>}'" ;;
    esac
}

# diag_match NAME TAG ERE [ID] : the summary matches ERE.
diag_match() {
    local line
    line=$(diag_line "$2" "${4:-}")
    if [ -n "$line" ] && printf '%s\n' "$line" | grep -qE -- "$3"; then
        pass "$1"
    else
        fail "$1" "'${line:-<no summary line>}' does not match /$3/"
    fi
}

# diag_lacks NAME TAG ERE [ID] : there is a summary and it does not match
# ERE.
diag_lacks() {
    local line
    line=$(diag_line "$2" "${4:-}")
    if [ -z "$line" ]; then
        fail "$1" "no summary line"
    elif printf '%s\n' "$line" | grep -qE -- "$3"; then
        fail "$1" "'$line' matches /$3/"
    else
        pass "$1"
    fi
}

# diag_nothing NAME TAG : exit status 0 and no session shown.
diag_nothing() {
    local rc n
    rc=$(cat "$diag_dir/$2.rc") n=$(diag_sessions "$2")
    if [ "$rc" = 0 ] && [ "$n" = 0 ]; then
        pass "$1"
    else
        fail "$1" "exit status $rc, $n session(s) shown: $(head -c 200 "$diag_dir/$2.out")"
    fi
}

# ---- 1. generated captures -------------------------------------------------------

diag_generated() {
    local c="$diag_cases" t

    # Retransmission classes; the tap saw every original.
    diag_run rx_rto -f "$c/rx_rto.pcap"
    diag_is diag/rx_rto/reasons "$(diag_reasons rx_rto)" retransmit
    diag_item diag/rx_rto/rto rx_rto "client resent 1 (1 RTO), lost after the tap"
    diag_item diag/rx_rto/handshake rx_rto "handshake 1.0 ms srv / 1.0 ms cli"
    # The server had the whole request at the resend and answered 30 ms
    # later: its think time is 30 ms, the 1.2 s before was the network's.
    diag_item diag/rx_rto/turn_after_resend rx_rto "turn 30 ms (server think)"

    diag_run rx_fast -r 1 -f "$c/rx_fast.pcap"
    diag_is diag/rx_fast/reasons "$(diag_reasons rx_fast)" retransmit
    diag_item diag/rx_fast/fast rx_fast "client resent 1 (1 fast), lost after the tap"
    diag_run rx_fast_r1000 -f "$c/rx_fast.pcap"        # 20 ms < -r 1000
    diag_nothing diag/rx_fast/not_flagged_under_r rx_fast_r1000

    diag_run rx_spurious -f "$c/rx_spurious.pcap"
    diag_is diag/rx_spurious/reasons "$(diag_reasons rx_spurious)" retransmit
    diag_has diag/rx_spurious/spurious rx_spurious "client resent 1 (1 spurious)"
    # The server had acknowledged the original: it was not lost.
    diag_lacks diag/rx_spurious/not_called_lost rx_spurious "lost"

    diag_run rx_tlp -r 1 -f "$c/rx_tlp.pcap"
    diag_is diag/rx_tlp/reasons "$(diag_reasons rx_tlp)" retransmit
    diag_item diag/rx_tlp/tlp rx_tlp "client resent 1 (1 TLP), lost after the tap"
    diag_run rx_tlp_r1000 -f "$c/rx_tlp.pcap"          # 50 ms < -r 1000
    diag_nothing diag/rx_tlp/not_flagged_under_r rx_tlp_r1000

    # Holes: filled late (lost before the tap) or at once (reordering).
    diag_run lbt_r1 -r 1 -f "$c/lost_before_tap.pcap"
    diag_nothing diag/lost_before_tap/not_a_retransmission lbt_r1
    diag_run lbt -r 1 -t 100 -f "$c/lost_before_tap.pcap"
    diag_is diag/lost_before_tap/reasons "$(diag_reasons lbt)" long-delay
    diag_item diag/lost_before_tap/item lbt "1 client segment lost before the tap"
    diag_lacks diag/lost_before_tap/not_resent lbt "resent"

    diag_run reorder_r1 -r 1 -f "$c/reorder.pcap"
    diag_nothing diag/reorder/not_a_retransmission reorder_r1
    diag_run reorder -r 1 -T 10 -f "$c/reorder.pcap"
    diag_is diag/reorder/reasons "$(diag_reasons reorder)" long-connect
    diag_lacks diag/reorder/no_loss reorder "lost|resent"

    # A hole filled 150 us later, after 3 duplicate ACKs, on a 100 us LAN:
    # sooner than the 10 ms of miruo(1), so reordering, not mentioned; and
    # never a retransmission.
    diag_run lbt_lan_r1 -r 1 -f "$c/lost_before_tap_lan.pcap"
    diag_nothing diag/lost_before_tap_lan/not_a_retransmission lbt_lan_r1
    diag_run lbt_lan -r 1 -T 1 -f "$c/lost_before_tap_lan.pcap"
    diag_is diag/lost_before_tap_lan/reasons "$(diag_reasons lbt_lan)" long-connect
    diag_lacks diag/lost_before_tap_lan/no_resent lbt_lan "resent"

    # Frames captured twice: never a retransmission.
    diag_run dup -f "$c/dupframe.pcap"
    diag_run dup_r1 -r 1 -f "$c/dupframe.pcap"
    diag_run dup_r0 -r 0 -f "$c/dupframe.pcap"
    diag_is diag/dupframe/one_session_shown "$(diag_sessions dup)" 1
    diag_is diag/dupframe/clean_not_shown "$(diag_reasons dup 0001)" none
    diag_is diag/dupframe/rst_reasons "$(diag_reasons dup 0002)" rst
    check diag/dupframe/r1_same cmp -s "$diag_dir/dup.out" "$diag_dir/dup_r1.out"
    check diag/dupframe/r0_same cmp -s "$diag_dir/dup.out" "$diag_dir/dup_r0.out"
    # Every frame is there twice, pure ACKs included; the RST's copy comes
    # after the session closed and is absorbed.
    diag_item diag/dupframe/client_twice dup "4 client frames captured twice (not loss)" 0002
    diag_item diag/dupframe/server_twice dup "3 server frames captured twice (not loss)" 0002
    diag_item diag/dupframe/rst dup "aborted by server RST in ESTABLISHED" 0002
    diag_lacks diag/dupframe/no_loss dup "lost|resent" 0002
    diag_run dup_all --all -f "$c/dupframe.pcap"
    diag_is diag/dupframe/all_shows_clean "$(diag_reasons dup_all 0001)" -
    diag_is diag/dupframe/all_no_summary "$(diag_line dup_all 0001)" ""

    # Every frame twice, and one real RTO retransmission after only 2
    # duplicate ACKs: one retransmission (its copy is an artefact too), an
    # RTO (the copies of the duplicate ACKs are not more duplicate ACKs).
    diag_run duprto -f "$c/dupframe_rto.pcap"
    diag_is diag/dupframe_rto/reasons "$(diag_reasons duprto)" retransmit,rst
    diag_item diag/dupframe_rto/one_rto duprto "client resent 1 (1 RTO), lost after the tap"
    diag_item diag/dupframe_rto/client_twice duprto "6 client frames captured twice (not loss)"
    diag_item diag/dupframe_rto/server_twice duprto "4 server frames captured twice (not loss)"

    # Segments over the MSS (TSO at the tap); one of exactly the MSS is not.
    diag_run tso -T 10 -f "$c/tso.pcap"
    diag_is diag/tso/reasons "$(diag_reasons tso)" long-connect
    diag_item diag/tso/item tso "3 client segments over the MSS (TSO/GRO at the tap)"
    diag_lacks diag/tso/no_loss tso "lost|resent"
    diag_run tso_r1 -r 1 -f "$c/tso.pcap"
    diag_nothing diag/tso/not_a_retransmission tso_r1

    # Zero window and its probes.
    diag_run zw -t 400 -r 1 -f "$c/zerowin_stall.pcap"
    diag_is diag/zerowin/reasons "$(diag_reasons zw)" long-delay
    diag_item diag/zerowin/zero_window zw "zero window 2.0 s at client"
    diag_match diag/zerowin/stall zw "(^|; )stall 500 ms: (ZERO_WINDOW|PERSIST) at client(;|$)"
    diag_lacks diag/zerowin/no_loss zw "lost|resent"
    diag_run zw_r1 -r 1 -f "$c/zerowin_stall.pcap"
    diag_nothing diag/zerowin/probes_not_retransmissions zw_r1

    # Keep-alives in an idle session.
    diag_run ka -t 5000 -r 1 -f "$c/keepalive_idle.pcap"
    diag_is diag/keepalive/reasons "$(diag_reasons ka)" long-delay
    diag_item diag/keepalive/stall ka "stall 10.0 s: APP_IDLE (nothing outstanding; client spoke next)"
    diag_lacks diag/keepalive/no_loss ka "lost|resent"
    diag_run ka_r1 -r 1 -f "$c/keepalive_idle.pcap"
    diag_nothing diag/keepalive/not_retransmissions ka_r1

    # Turns and --slow-turn (a 1500 ms turn: flagged above 1499, not 1500).
    diag_run turn --slow-turn=1000 -f "$c/turn.pcap"
    diag_is diag/turn/reasons "$(diag_reasons turn)" slow-turn
    diag_item diag/turn/item turn "turn 1.5 s (server think)"
    diag_lacks diag/turn/no_stall_without_t turn "stall"
    diag_run turn2000 --slow-turn=2000 -f "$c/turn.pcap"
    diag_nothing diag/turn/not_over_2000 turn2000
    diag_run turn1499 --slow-turn=1499 -f "$c/turn.pcap"
    diag_is diag/turn/over_1499 "$(diag_reasons turn1499)" slow-turn
    diag_run turn1500 --slow-turn=1500 -f "$c/turn.pcap"
    diag_nothing diag/turn/not_over_1500 turn1500
    # The silence before the answer is 1499 ms: a stall item only above -t.
    diag_run turn_t1498 --slow-turn=1000 -t 1498 -f "$c/turn.pcap"
    diag_item diag/turn/stall_over_t turn_t1498 "stall 1.4 s: APP_IDLE (nothing outstanding; server spoke next)"
    diag_run turn_t1499 --slow-turn=1000 -t 1499 -f "$c/turn.pcap"
    diag_lacks diag/turn/no_stall_at_t turn_t1499 "stall"
    # Shown by --all only: no summary line.
    diag_run turn_all --all -f "$c/turn.pcap"
    diag_is diag/turn/all_shown "$(diag_reasons turn_all)" -
    diag_is diag/turn/all_no_summary "$(grep -cE '^[0-9]{4}: ' "$diag_dir/turn_all.out")" 0

    # Receive window full, and its look-alike (window not full).
    diag_run rwnd -t 500 -f "$c/rwnd.pcap"
    diag_is diag/rwnd/reasons "$(diag_reasons rwnd)" long-delay
    diag_item diag/rwnd/stall rwnd "stall 1.0 s: RWND_LIMITED at client"
    diag_run wack -t 500 -f "$c/waiting_ack.pcap"
    diag_item diag/waiting_ack/stall wack "stall 1.0 s: WAITING_ACK at client"
    diag_lacks diag/waiting_ack/not_rwnd wack "RWND_LIMITED"

    # RSTs: a foreign TTL, and the server's own.
    diag_run inj -f "$c/injected_rst.pcap"
    diag_is diag/injected_rst/reasons "$(diag_reasons inj)" rst
    diag_item diag/injected_rst/item inj "RST from server side likely injected by a middlebox (TTL 250, expected 64; in ESTABLISHED after 30.0 s idle)"
    diag_lacks diag/injected_rst/not_aborted_by inj "aborted by"
    diag_run nrst -f "$c/normal_rst.pcap"
    diag_is diag/normal_rst/reasons "$(diag_reasons nrst)" rst
    diag_item diag/normal_rst/item nrst "aborted by server RST in ESTABLISHED"
    diag_lacks diag/normal_rst/not_injected nrst "injected|middlebox"

    # Handshake on each side of the tap; one direction only.
    diag_run hs -T 10 -f "$c/handshake_split.pcap"
    diag_is diag/handshake_split/reasons "$(diag_reasons hs)" long-connect
    diag_item diag/handshake_split/item hs "handshake 400 us srv / 30 ms cli"
    diag_run oneway -T 50 -f "$c/oneway.pcap"
    diag_is diag/oneway/reasons "$(diag_reasons oneway)" long-connect
    diag_item diag/oneway/item oneway "one direction only (server side unseen)"

    # -q: every summary line within 80 columns (the long ones are cut).
    diag_run inj_q -q -f "$c/injected_rst.pcap"
    t=$(diag_line inj)
    check diag/quiet/long_without_q test $(( ${#t} + 6 )) -gt 80
    diag_is diag/quiet/cut_to_80 "$(grep -E '^[0-9]{4}: ' "$diag_dir/inj_q.out" | awk '{ print length($0) }')" 80
    check diag/quiet/prefix_kept grep -q '^0001: handshake 1.0 ms srv' "$diag_dir/inj_q.out"
    local over=0 name args
    for t in rx_rto: rx_fast:-r1 rx_spurious: rx_tlp:-r1 \
             lost_before_tap:-t100 reorder:-T10 lost_before_tap_lan:-T1 \
             dupframe: dupframe_rto: tso:-T10 zerowin_stall:-t400 \
             keepalive_idle:-t5000 turn:--slow-turn=1000 rwnd:-t500 \
             waiting_ack:-t500 injected_rst: normal_rst: \
             handshake_split:-T10 oneway:-T50; do
        name=${t%%:*} args=${t#*:}
        # shellcheck disable=SC2086
        "$MIRUO" -C0 -q $args -f "$c/$name.pcap" 2>/dev/null |
            grep -E '^[0-9]{4}: ' >"$diag_dir/q-$name.out"
        [ -s "$diag_dir/q-$name.out" ] || over=$((over + 1000))
        over=$((over + $(awk 'length($0) > 80' "$diag_dir/q-$name.out" | wc -l)))
    done
    diag_is diag/quiet/all_cases_within_80 "$over" 0
}

if [ -x "$diag_gen" ]; then
    if "$diag_gen" "$diag_cases" 2>"$diag_dir/mkdiag.err"; then
        pass diag/generator
        diag_generated
    else
        fail diag/generator "$(head -c 300 "$diag_dir/mkdiag.err")"
    fi
else
    skip diag/generated "no capture generator $diag_gen (set MKDIAG)"
fi

# ---- 2. real traffic ------------------------------------------------------------------
#
#   8201 zerowin     the server's receive buffer is 4 KiB; it sleeps 3 s
#                    before reading the client's 2 MiB    -> zero window at
#                                                            server, stall
#   8202 loss_after  1 MiB to the client; nft drops 1 in 5 data packets
#                    on the client's input (after the tap)  -> server resent
#   8203 local_drop  1 MiB to the client; nft drops every 5th data packet
#                    in the server's own output hook: the server's TCP gets
#                    an error for the send and sends the segment again
#                    later as if new, nothing is lost on the wire (the tap
#                    sees no hole)                          -> no loss item
#                    (every 5th, not 1 in 5 at random: the output hook sees
#                    TSO packets of up to 64 KiB, so 1 MiB can be few
#                    packets, and a random pick once dropped none)
#   8204 slow        answers 1.2 s after the request        -> slow-turn
#   8205 rst         answers at once, then idles; 1.5 s later a RST/ACK
#                    with the server's address, ports and exact sequence
#                    numbers but TTL 200 goes out through a raw socket in
#                    the server's namespace (a middlebox's RST)
#                                                           -> injected

diag_ns_srv=miruo-d-srv-$$
diag_ns_cli=miruo-d-cli-$$
diag_if_srv=md-s$$
diag_if_cli=md-c$$
diag_srv_ip=10.80.0.1
diag_cli_ip=10.80.0.2
diag_pids=''

diag_cleanup() {
    local pid
    for pid in $diag_pids; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    diag_pids=''
    ip netns exec "$diag_ns_srv" nft delete table inet miruo_diag 2>/dev/null
    ip netns exec "$diag_ns_cli" nft delete table inet miruo_diag 2>/dev/null
    ip netns del "$diag_ns_srv" 2>/dev/null
    ip netns del "$diag_ns_cli" 2>/dev/null
}

diag_setup() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    local tool
    for tool in ip ss nft tcpdump python3; do
        command -v $tool >/dev/null || { echo "$tool not installed"; return 1; }
    done
    netns_pair "$diag_ns_srv" "$diag_ns_cli" "$diag_if_srv" "$diag_if_cli" \
        "$diag_srv_ip" "$diag_cli_ip" || return 1
    ip netns exec "$diag_ns_srv" nft list tables >/dev/null 2>&1 || {
        echo "nft does not work in a network namespace here"
        return 1
    }
    return 0
}

diag_write_scripts() {
    cat >"$diag_dir/server.py" <<'PY'
# The servers, one thread per port (tests/netscenes.py).
import sys, time
from netscenes import read_line, serve

def zerowin(c):
    time.sleep(3.0)                     # not reading: the window closes
    n = 0
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        n += len(chunk)
    c.sendall(b"%d\n" % n)
    c.close()

def bulk(c):
    read_line(c)
    c.sendall(b"x" * (1 << 20))
    c.close()

def slow(c):
    read_line(c)
    time.sleep(1.2)
    c.sendall(b"answer\n")
    c.close()

def idle(c):
    read_line(c)
    c.sendall(b"hello\n")
    time.sleep(30)                      # the RST comes from elsewhere

serve(sys.argv[1], {8201: zerowin, 8202: bulk, 8203: bulk, 8204: slow,
                    8205: idle}, rcvbuf={8201: 4096})
PY
    cat >"$diag_dir/client.py" <<'PY'
# The clients, all at once; prints "NAME OUTCOME" per scenario, sorted
# (tests/netscenes.py).
import socket, sys, time
from netscenes import read_all, read_line, results, run
import netscenes

ADDR = sys.argv[1]

def connect(port):
    return netscenes.connect(ADDR, port, 15)

def zerowin():
    try:
        s = connect(8201)
        t0 = time.monotonic()
        s.sendall(b"z" * (2 << 20))
        s.shutdown(socket.SHUT_WR)
        data = read_all(s)
        took = time.monotonic() - t0
        s.close()
        ok = data == b"%d\n" % (2 << 20) and took >= 2.9
        results["zerowin"] = "sent" if ok else "bad:%r,%.3f" % (data, took)
    except Exception as e:
        results["zerowin"] = "error:%s" % type(e).__name__

def bulk(name, port):
    try:
        s = connect(port)
        s.sendall(b"get\n")
        data = read_all(s)
        s.close()
        results[name] = "got" if len(data) == 1 << 20 else "short:%d" % len(data)
    except Exception as e:
        results[name] = "error:%s" % type(e).__name__

def slow():
    try:
        s = connect(8204)
        t0 = time.monotonic()
        s.sendall(b"request\n")
        data = read_all(s)
        took = time.monotonic() - t0
        s.close()
        ok = data == b"answer\n" and took >= 1.2
        results["slow"] = "answered" if ok else "bad:%r,%.3f" % (data, took)
    except Exception as e:
        results["slow"] = "error:%s" % type(e).__name__

def rst():
    try:
        s = connect(8205)
        s.sendall(b"request\n")
        data = read_line(s)
        if data != b"hello\n":
            results["rst"] = "bad-hello:%r" % data
            return
        s.recv(100)                     # idle until the forged RST
        results["rst"] = "eof"
    except ConnectionResetError:
        results["rst"] = "reset"
    except Exception as e:
        results["rst"] = "error:%s" % type(e).__name__

run([(zerowin, ()), (bulk, ("loss_after", 8202)), (bulk, ("local_drop", 8203)),
     (slow, ()), (rst, ())])
PY
    cat >"$diag_dir/inject.py" <<'PY'
# Forge a middlebox's RST into an idle connection.
#   inject.py IFACE SERVER PORT IDLE TTL
# Watches IFACE (AF_PACKET) for the connection to SERVER:PORT.  Once the
# server has sent data and the connection has then been silent for IDLE
# seconds, sends a RST/ACK from SERVER:PORT to the client with the server's
# next sequence number and the client's next as ACK, but IP TTL TTL,
# through a raw socket: the server's kernel knows nothing of it.
import socket, struct, sys, time

IFACE, SERVER, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
IDLE, TTL = float(sys.argv[4]), int(sys.argv[5])
sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
# The bulk transfers of the other scenarios share the interface: a large
# buffer keeps the few packets of this connection from being dropped.
try:
    sniff.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)   # SO_RCVBUFFORCE
except OSError:
    sniff.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
sniff.bind((IFACE, 0))
print("sniffing", flush=True)

srv = socket.inet_aton(SERVER)
nxt = {}                # "s": the server's next sequence, "c": the client's
client = None
last = None             # last packet of the connection after the server's data
deadline = time.monotonic() + 20
while True:
    now = time.monotonic()
    if now > deadline:
        print("no idle connection seen", flush=True)
        sys.exit(1)
    if last is not None and now - last >= IDLE:
        break
    sniff.settimeout(IDLE - (now - last) if last is not None else 0.5)
    try:
        frame = sniff.recv(65535)
    except socket.timeout:
        continue
    if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        continue
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:]
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    flags = tcp[13]
    if flags & 4:
        continue
    length = tot - ihl - (tcp[12] >> 4) * 4 + (1 if flags & 3 else 0)
    if ip[12:16] == srv and sport == PORT:
        client = (ip[16:20], dport)
        if length > 0 or "s" not in nxt:
            nxt["s"] = (seq + length) & 0xffffffff
        if length > 0 and not flags & 3:
            last = time.monotonic()
    elif ip[16:20] == srv and dport == PORT:
        nxt["c"] = (seq + length) & 0xffffffff
    else:
        continue
    if last is not None:
        last = time.monotonic()

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

cip, cport = client
tcp = struct.pack("!HHIIBBHHH", PORT, cport, nxt["s"], nxt["c"], 5 << 4,
                  0x14, 0, 0, 0)                        # RST|ACK, window 0
tcp = tcp[:16] + struct.pack("!H", csum(srv + cip + struct.pack("!BBH", 0, 6, 20) + tcp)) + tcp[18:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0x4000, TTL, 6, 0, srv, cip)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
raw.sendto(ip + tcp, (socket.inet_ntoa(cip), 0))
print("sent port %d seq %d ack %d ttl %d" % (cport, nxt["s"], nxt["c"], TTL),
      flush=True)

# A RST whose sequence number is not exactly the one expected draws a
# challenge ACK (RFC 5961 3.2) carrying it: answer that once, with it.
sniff.settimeout(0.5)
end = time.monotonic() + 1.0
while time.monotonic() < end:
    try:
        frame = sniff.recv(65535)
    except socket.timeout:
        break
    if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        continue
    ip2 = frame[14:]
    tcp2 = ip2[(ip2[0] & 15) * 4:]
    sport, dport, seq, ack = struct.unpack("!HHII", tcp2[:12])
    if ip2[16:20] != srv or dport != PORT or sport != cport or \
       tcp2[13] & 0x14 != 0x10 or ack == nxt["s"]:
        continue
    tcp = struct.pack("!HHIIBBHHH", PORT, cport, ack, seq, 5 << 4, 0x14, 0,
                      0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(srv + cip + struct.pack("!BBH", 0, 6, 20) + tcp)) + tcp[18:]
    raw.sendto(ip + tcp, (socket.inet_ntoa(cip), 0))
    print("resent seq %d after a challenge ACK" % ack, flush=True)
    break
PY
}

# diag_stop PID : SIGINT, SIGKILL after 5 s; returns PID's exit status.
diag_stop() {
    local pid=$1 st w
    ( sleep 5; kill -KILL "$pid" 2>/dev/null ) &
    w=$!
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    st=$?
    kill "$w" 2>/dev/null
    wait "$w" 2>/dev/null
    return $st
}

# diag_counter NS : packets counted by the nft rule of namespace NS.
diag_counter() {
    ip netns exec "$1" nft list table inet miruo_diag 2>/dev/null |
        sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}

diag_real() {
    local pcap="$diag_dir/real.pcap" d="$diag_dir" _ n
    local server_pid tcpdump_pid inject_pid
    diag_write_scripts

    ip netns exec "$diag_ns_srv" env PYTHONPATH="$T" \
        python3 "$d/server.py" $diag_srv_ip \
        >"$d/server.log" 2>&1 &
    server_pid=$!
    diag_pids="$diag_pids $server_pid"
    n=0
    if wait_for "$d/server.log" '^ready$'; then
        for _ in $(seq 50); do
            n=$(ip netns exec "$diag_ns_srv" ss -Hltn 2>/dev/null |
                grep -cE " $diag_srv_ip:820[1-5] ")
            [ "$n" = 5 ] && break
            sleep 0.1
        done
    fi
    if [ "$n" != 5 ]; then
        fail diag/real/servers_listen "$(head -c 300 "$d/server.log")"
        return
    fi
    pass diag/real/servers_listen

    # Headers only (see t-real.sh on the snapshot length); a big buffer.
    ip netns exec "$diag_ns_srv" tcpdump -Z root -nn -U --immediate-mode \
        -s 128 -B 8192 -i "$diag_if_srv" -w "$pcap" tcp \
        >"$d/tcpdump.out" 2>"$d/tcpdump.err" &
    tcpdump_pid=$!
    diag_pids="$diag_pids $tcpdump_pid"
    ip netns exec "$diag_ns_srv" python3 "$d/inject.py" "$diag_if_srv" \
        $diag_srv_ip 8205 1.5 200 >"$d/inject.log" 2>&1 &
    inject_pid=$!
    diag_pids="$diag_pids $inject_pid"
    if ! wait_for "$d/tcpdump.err" "listening on $diag_if_srv" ||
       ! wait_for "$d/inject.log" '^sniffing$'; then
        fail diag/real/capture_starts "$(head -c 300 "$d/tcpdump.err" "$d/inject.log")"
        return
    fi
    pass diag/real/capture_starts

    # Drops after the tap (the client's input: a loss) and in the server's
    # output hook (a failed send); data packets only (IP length > 64).
    local nft_rc=0
    ip netns exec "$diag_ns_cli" nft -f - <<NFT || nft_rc=$?
table inet miruo_diag {
    chain in {
        type filter hook input priority 0; policy accept;
        ip saddr $diag_srv_ip tcp sport 8202 ip length > 64 numgen random mod 5 0 counter drop
    }
}
NFT
    ip netns exec "$diag_ns_srv" nft -f - <<NFT || nft_rc=$?
table inet miruo_diag {
    chain out {
        type filter hook output priority 0; policy accept;
        ip saddr $diag_srv_ip tcp sport 8203 ip length > 64 numgen inc mod 5 0 counter drop
    }
}
NFT
    diag_is diag/real/nft_rules $nft_rc 0

    ip netns exec "$diag_ns_cli" env PYTHONPATH="$T" \
        python3 "$d/client.py" $diag_srv_ip \
        >"$d/client.out" 2>&1
    diag_is diag/real/clients "$(tr '\n' ' ' <"$d/client.out")" \
        "local_drop got loss_after got rst reset slow answered zerowin sent "
    wait "$inject_pid"
    diag_is diag/real/rst_forged $? 0
    diag_pids=${diag_pids/ $inject_pid/}
    local drop_after drop_before
    drop_after=$(diag_counter "$diag_ns_cli")
    drop_before=$(diag_counter "$diag_ns_srv")
    check diag/real/nft_dropped_after_tap test "${drop_after:-0}" -ge 1
    check diag/real/nft_dropped_in_output test "${drop_before:-0}" -ge 1
    sleep 0.2
    diag_stop "$tcpdump_pid"
    diag_pids=${diag_pids/ $tcpdump_pid/}
    diag_is diag/real/tcpdump_no_drops \
        "$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$d/tcpdump.err")" 0

    # zerowin: the server advertised a zero window for most of its 3 s.
    diag_run real_zw -t 500 -f "$pcap" tcp port 8201
    diag_is diag/real/zerowin/one_session "$(diag_sessions real_zw)" 1
    case "$(diag_reasons real_zw)" in
        *long-delay*) pass diag/real/zerowin/long_delay ;;
        *) fail diag/real/zerowin/long_delay "reasons '$(diag_reasons real_zw)'" ;;
    esac
    diag_match diag/real/zerowin/zero_window real_zw "(^|; )zero window [23]\.[0-9] s at server(;|$)"
    diag_match diag/real/zerowin/stall real_zw "(^|; )stall [0-9.]+ m?s: (ZERO_WINDOW|PERSIST) at server(;|$)"

    # loss_after: the tap saw the originals; the copies have a class.
    diag_run real_la -r 1 -T 1 -f "$pcap" tcp port 8202
    diag_is diag/real/loss_after/one_session "$(diag_sessions real_la)" 1
    diag_match diag/real/loss_after/resent real_la \
        "(^|; )server resent [0-9]+ \([0-9]+ (RTO|fast|spurious|TLP)(, [0-9]+ (RTO|fast|spurious|TLP))*\), lost after the tap(;|$)"
    diag_lacks diag/real/loss_after/nothing_before_tap real_la "lost before the tap"

    # local_drop: a drop in the sender's own output hook is a failed send,
    # not a loss: no hole at the tap, so nothing lost before it.
    diag_run real_ld -r 1 -T 1 -f "$pcap" tcp port 8203
    diag_is diag/real/local_drop/one_session "$(diag_sessions real_ld)" 1
    diag_lacks diag/real/local_drop/no_hole real_ld "lost before the tap"

    # slow: a 1.2 s turn, flagged by --slow-turn=1000 only.
    diag_run real_slow --slow-turn=1000 -f "$pcap" tcp port 8204
    diag_is diag/real/slow/reasons "$(diag_reasons real_slow)" slow-turn
    diag_match diag/real/slow/turn real_slow "(^|; )turn 1\.[23] s \(server think\)(;|$)"
    diag_run real_slow2000 --slow-turn=2000 -f "$pcap" tcp port 8204
    diag_nothing diag/real/slow/not_over_2000 real_slow2000

    # rst: the forged RST (the client's kernel took it: "reset" above).
    diag_run real_rst -f "$pcap" tcp port 8205
    diag_is diag/real/rst/reasons "$(diag_reasons real_rst)" rst
    diag_match diag/real/rst/injected real_rst \
        "(^|; )RST from server side likely injected by a middlebox \(TTL 200, expected 64; in ESTABLISHED after 1\.[5-9] s idle\)(;|$)"
    diag_lacks diag/real/rst/not_aborted_by real_rst "aborted by"
}

if diag_reason=$(diag_setup); then
    trap diag_cleanup EXIT
    diag_real
    diag_cleanup
    trap - EXIT
else
    diag_cleanup
    skip diag/real "$diag_reason"
fi
