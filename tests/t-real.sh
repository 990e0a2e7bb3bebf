# t-real.sh - the lookups on real traffic (sourced by run-tests.sh).
#
# Real TCP between two network namespaces joined by a veth pair.  A python3
# server in one namespace serves several ports, python3 clients in the other
# namespace connect to them, all at once:
#
#   8100 quick       answers at once                 -> not shown
#   8101 delay       answers after 2 s; the client
#                    closes 0.25 s after the answer  -> long-delay,long-connect
#   8106 delay15     answers after 1.5 s             -> long-delay
#   8102 hold        a tick every 0.4 s, closes after
#                    3.2 s                           -> long-connect
#   8103 refused     nothing listens                 -> rst
#   8104 linger      closes with SO_LINGER {1, 0}    -> rst
#   8105 synack_drop an nft rule drops the server's
#                    SYN/ACKs for 2.5 s, the client
#                    kernel retransmits its SYN at
#                    1 s and 3 s                     -> syn-retransmit,
#                                                       long-delay,long-connect
#
# With -T 2000 a 2 s wait also makes the session longer than 2 s, and the
# SYN retransmitted at 3 s leaves a 2 s gap.  The scenarios keep every
# duration and gap that decides a reason far from the thresholds, so that
# nothing hangs on a millisecond: the client waits 0.25 s before closing
# after the 2 s answer, and the client namespace backs off its SYN
# retransmissions exponentially (1 s, then 2 s) even where the kernel's
# default is linear (net.ipv4.tcp_syn_linear_timeouts, Linux >= 6.11;
# linear 1 s steps would sit exactly on -t 1000).
#
# miruo captures live on the server's veth (-C0 -t 1000 -T 2000) while
# tcpdump writes the same traffic to a file.  Each flagged session is then
# checked against that independent view (tcpdump -nn -r: SYN and RST
# counts, gaps, durations, packet and byte totals, and the reasons they
# imply), against the kernels' own counters (nstat in each namespace: the
# client's SYN retransmissions, the server's RSTs) and the nft drop counter,
# and miruo run afterwards on the tcpdump file must print the same.
# Needs root, iproute2, nftables, tcpdump and python3; skipped with the
# reason otherwise.

real_ns_srv=miruo-r-srv-$$
real_ns_cli=miruo-r-cli-$$
real_if_srv=mr-s$$
real_if_cli=mr-c$$
real_srv_ip=10.78.0.1
real_cli_ip=10.78.0.2
real_miruo_pid='' real_tcpdump_pid='' real_server_pid='' real_client_pid=''

real_cleanup() {
    local pid
    for pid in $real_client_pid $real_miruo_pid $real_tcpdump_pid \
               $real_server_pid; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    real_miruo_pid='' real_tcpdump_pid='' real_server_pid='' real_client_pid=''
    # Deleting the namespaces also removes the veth pair and the nft table.
    ip netns del "$real_ns_srv" 2>/dev/null
    ip netns del "$real_ns_cli" 2>/dev/null
}

real_setup() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    local tool
    for tool in ip ss nstat nft tcpdump python3; do
        command -v $tool >/dev/null || { echo "$tool not installed"; return 1; }
    done
    netns_pair "$real_ns_srv" "$real_ns_cli" "$real_if_srv" "$real_if_cli" \
        "$real_srv_ip" "$real_cli_ip" || return 1
    ip netns exec "$real_ns_srv" nft list tables >/dev/null 2>&1 || {
        echo "nft does not work in a network namespace here"
        return 1
    }
    if ip netns exec "$real_ns_cli" test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
        ip netns exec "$real_ns_cli" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0 || {
            echo "cannot set tcp_syn_linear_timeouts in the client namespace"
            return 1
        }
    fi
    return 0
}

# real_stop PID : SIGINT, then SIGKILL if PID is still there after 5 s;
# returns PID's exit status.
real_stop() {
    local pid=$1 st
    (
        sleep 5 &
        nap=$!
        trap 'kill $nap; exit 0' TERM
        wait $nap
        kill -KILL "$pid" 2>/dev/null
    ) &
    local watchdog=$!
    kill -INT "$pid"
    wait "$pid"
    st=$?
    kill "$watchdog" 2>/dev/null
    wait "$watchdog" 2>/dev/null
    return $st
}

# real_is NAME GOT EXPECTED : pass when GOT equals EXPECTED.
real_is() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got '$2', expected '$3'"
    fi
}

# real_within NAME GOT MIN MAX : pass when MIN <= GOT <= MAX (integers).
real_within() {
    if [ -n "$2" ] && [ -n "$3" ] && [ -n "$4" ] &&
       [ "$2" -ge "$3" ] 2>/dev/null && [ "$2" -le "$4" ] 2>/dev/null; then
        pass "$1"
    else
        fail "$1" "got '$2', expected $3..$4"
    fi
}

# real_fact KEY : a value computed by the analyser ("" when absent).
real_fact() {
    awk -v k="$1" '$1 == k { print $2; exit }' "$WORK/real.facts"
}

real_write_scripts() {
    cat >"$WORK/real-server.py" <<'PY'
# The servers, one thread per port (tests/netscenes.py).
import socket, struct, sys, time
from netscenes import read_line, serve

def answer(c, wait):
    read_line(c)
    time.sleep(wait)
    c.sendall(b"answer\n")
    c.close()

def hold(c):
    for _ in range(8):
        c.sendall(b"tick\n")
        time.sleep(0.4)
    c.close()

def linger(c):
    read_line(c)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()

serve(sys.argv[1], {
    8100: lambda c: answer(c, 0),
    8101: lambda c: answer(c, 2.0),
    8106: lambda c: answer(c, 1.5),
    8102: hold,
    8104: linger,
    8105: lambda c: answer(c, 0),
})
PY
    cat >"$WORK/real-client.py" <<'PY'
# The clients, all at once; prints "NAME OUTCOME" per scenario, sorted
# (tests/netscenes.py).  Touches argv[2] just before the SYN-ACK-drop
# client connects.
import sys, time
from netscenes import results, run
import netscenes

ADDR, MARK = sys.argv[1], sys.argv[2]

def connect(port):
    return netscenes.connect(ADDR, port, 8)

def read_all(s):
    return netscenes.read_all(s, 100)

def ask(name, port, wait_min, linger=0.0):
    try:
        s = connect(port)
        t0 = time.monotonic()
        s.sendall(b"request\n")
        data = read_all(s)
        took = time.monotonic() - t0
        time.sleep(linger)
        s.close()
        if data != b"answer\n":
            results[name] = "bad-answer:%r" % data
        elif took < wait_min:
            results[name] = "too-fast:%.3f" % took
        else:
            results[name] = "answered"
    except Exception as e:
        results[name] = "error:%s" % type(e).__name__

def hold():
    try:
        s = connect(8102)
        t0 = time.monotonic()
        data = read_all(s)
        took = time.monotonic() - t0
        s.close()
        ok = data == b"tick\n" * 8 and took >= 3.0
        results["hold"] = "held" if ok else "bad:%r,%.3f" % (data, took)
    except Exception as e:
        results["hold"] = "error:%s" % type(e).__name__

def refused():
    try:
        connect(8103).close()
        results["refused"] = "connected"
    except ConnectionRefusedError:
        results["refused"] = "refused"
    except Exception as e:
        results["refused"] = "error:%s" % type(e).__name__

def linger():
    try:
        s = connect(8104)
        s.sendall(b"request\n")
        data = read_all(s)
        results["linger"] = "eof:%r" % data
    except ConnectionResetError:
        results["linger"] = "reset"
    except Exception as e:
        results["linger"] = "error:%s" % type(e).__name__

def synack_drop():
    open(MARK, "w").close()
    t0 = time.monotonic()
    ask("synack_drop", 8105, 0)
    took = time.monotonic() - t0
    if results["synack_drop"] == "answered" and took < 1.0:
        results["synack_drop"] = "no-syn-retransmission:%.3f" % took

run([
    (synack_drop, ()),
    (ask, ("quick", 8100, 0)),
    (ask, ("delay", 8101, 2.0, 0.25)),
    (ask, ("delay15", 8106, 1.5)),
    (hold, ()),
    (refused, ()),
    (linger, ()),
])
PY
    cat >"$WORK/real-analyse.py" <<'PY'
# Facts, one "KEY VALUE" a line, from miruo's outputs and tcpdump's view.
#   real-analyse.py SERVER-IP CLIENT-IP TCPDUMP-TEXT TAG=MIRUO-OUTPUT...
# tcpdump text: tcpdump -nn -tt -e -S -r FILE.
import re, sys

SRV, CLI, DUMP = sys.argv[1:4]
ORDER = ["retransmit", "syn-retransmit", "long-delay", "long-connect", "rst",
         "fragment", "timeout", "error-break", "truncated"]
DELAY_MS, CONNECT_MS, RETRANS_MS = 1000, 2000, 1000
facts = []

def fact(key, value):
    facts.append("%s %s" % (key, value))

# ---- miruo -----------------------------------------------------------------
HDR = re.compile(r"^(\d{4}) +(\d+)\.(\d{3}) \| +(\S+):(\d+) == (\S+):(\d+) +\| "
                 r"Total (\d+) segments, (\d+) bytes( \(mid-stream\))?"
                 r"(?: \[([a-z,-]+)\])?$")
PKT = re.compile(r"^(\d{4}):(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) \| +(\S+) "
                 r"([<>])([-U][-A][-P][-R][-S][-F])([<>]) (\S+) +\| ")
ELI = re.compile(r"^(\d{4}):\*{4} ")
SUM = re.compile(r"^(\d{4}): \S")    # the diagnosis line (man: DIAGNOSIS)

def miruo(tag, path):
    sessions, order, bad = {}, [], 0
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = HDR.match(line)
        if m:
            sid = m.group(1)
            sessions[sid] = dict(port=int(m.group(7)), client=m.group(4),
                                 dur=int(m.group(2)) * 1000 + int(m.group(3)),
                                 segs=int(m.group(8)), bytes=int(m.group(9)),
                                 reasons=m.group(11) or "-", lines=[])
            order.append(sid)
            continue
        m = PKT.match(line)
        if m and m.group(1) in sessions:
            ms = ((int(m.group(3)) * 60 + int(m.group(4))) * 60 +
                  int(m.group(5))) * 1000 + int(m.group(6))
            sessions[m.group(1)]["lines"].append(
                (ms, m.group(8), m.group(9), m.group(7), m.group(11)))
            continue
        m = ELI.match(line)
        if m and m.group(1) in sessions:
            sessions[m.group(1)]["lines"].append(None)
            continue
        m = SUM.match(line)
        if m and m.group(1) in sessions:
            sessions[m.group(1)]["summary"] = line
            continue
        bad += 1
    fact(tag + ".sessions", len(order))
    fact(tag + ".unparsed_lines", bad)
    byport = {}
    for sid in order:
        byport.setdefault(sessions[sid]["port"], []).append(sessions[sid])
    for port in range(8100, 8107):
        ss = byport.get(port, [])
        fact("%s.%d.count" % (tag, port), len(ss))
        if len(ss) != 1:
            continue
        s = ss[0]
        p = "%s.%d." % (tag, port)
        fact(p + "reasons", s["reasons"])
        fact(p + "segments", s["segs"])
        fact(p + "bytes", s["bytes"])
        fact(p + "dur_ms", s["dur"])
        pk = [l for l in s["lines"] if l is not None]
        fact(p + "lines", len(pk))
        fact(p + "seq", ";".join("%s_%s%s%s_%s" % (l[3], l[1], l[2], l[1], l[4])
                                 for l in pk))
        fact(p + "syn_lines", sum(1 for l in pk if l[1] == ">" and l[2] == "----S-"))
        fact(p + "srv_rst_lines", sum(1 for l in pk if l[1] == "<" and l[2][3] == "R"))
        fact(p + "cli_rst_lines", sum(1 for l in pk if l[1] == ">" and l[2][3] == "R"))
        # Largest gap between two consecutive printed packets (no elision
        # between them), and the packet printed after it.
        gap, after, prev = -1, "-", None
        for l in s["lines"]:
            if l is not None and prev is not None:
                g = (l[0] - prev[0]) % 86400000
                if g > gap:
                    gap, after = g, l[1] + l[2] + l[1]
            prev = l
        fact(p + "maxgap_ms", gap)
        fact(p + "maxgap_line", after)

# ---- tcpdump ---------------------------------------------------------------
LINE = re.compile(r"^(\d+)\.(\d{6}) .*?, length (\d+): "
                  r"(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+): "
                  r"Flags \[([^\]]*)\], (?:seq (\d+)(?::(\d+))?, )?.*length (\d+)")

def tcpdump():
    conns, order = {}, []
    for line in open(DUMP):
        m = LINE.match(line)
        if not m:
            continue
        ts = int(m.group(1)) * 1000000 + int(m.group(2))
        src, sport, dst, dport = m.group(4), int(m.group(5)), m.group(6), int(m.group(7))
        if src == CLI and dst == SRV:
            key, d = (sport, dport), ">"
        elif src == SRV and dst == CLI:
            key, d = (dport, sport), "<"
        else:
            continue
        if key not in conns:
            conns[key] = []
            order.append(key)
        flags = m.group(8)
        seq = int(m.group(9)) if m.group(9) else None
        plen = int(m.group(11))
        conns[key].append(dict(ts=ts, d=d, frame=int(m.group(3)), seq=seq,
                               syn="S" in flags, ack="." in flags,
                               rst="R" in flags, fin="F" in flags, plen=plen))
    fact("pcap.connections", len(order))
    byport = {}
    for key in order:
        byport.setdefault(key[1], []).append(conns[key])
    all_rst = srv_rst_total = long_total = delayed_min = delayed_max = 0
    for port in range(8100, 8107):
        cs = byport.get(port, [])
        fact("pcap.%d.count" % port, len(cs))
        if len(cs) != 1:
            continue
        pk = cs[0]
        p = "pcap.%d." % port
        syns = sum(1 for x in pk if x["d"] == ">" and x["syn"] and not x["ack"])
        synacks = sum(1 for x in pk if x["d"] == "<" and x["syn"] and x["ack"])
        srv_rst = sum(1 for x in pk if x["d"] == "<" and x["rst"])
        cli_rst = sum(1 for x in pk if x["d"] == ">" and x["rst"])
        all_rst += srv_rst + cli_rst
        srv_rst_total += srv_rst
        dur_ms = (pk[-1]["ts"] - pk[0]["ts"]) // 1000
        gaps = [(pk[i]["ts"] - pk[i - 1]["ts"]) // 1000 for i in range(1, len(pk))]
        delayed = sum(1 for g in gaps if g > DELAY_MS)
        # tcpdump and miruo stamp outgoing packets separately (a few us
        # apart): a gap within 2 ms of the threshold may count either way.
        delayed_min += sum(1 for g in gaps if g > DELAY_MS + 2)
        delayed_max += sum(1 for g in gaps if g > DELAY_MS - 2)
        # Retransmissions: SYN, FIN or data overlapping sequence space
        # already sent in the same direction.
        nxt, first_ts, retrans, syn_retrans = {}, {}, False, False
        for x in pk:
            if x["seq"] is None or x["rst"]:
                continue
            ln = x["plen"] + x["syn"] + x["fin"]
            if ln == 0:
                continue
            d = x["d"]
            if d in nxt and (x["seq"] - nxt[d]) % 2**32 >= 2**31:
                if x["syn"]:
                    syn_retrans = True
                elif (x["ts"] - first_ts[d].get(x["seq"], x["ts"])) // 1000 >= RETRANS_MS:
                    retrans = True
            else:
                nxt[d] = (x["seq"] + ln) % 2**32
                first_ts.setdefault(d, {})[x["seq"]] = x["ts"]
        fins, aborted = set(), False
        for x in pk:
            if x["rst"]:
                aborted = len(fins) < 2
                break
            if x["fin"]:
                fins.add(x["d"])
        reasons = set()
        if retrans:
            reasons.add("retransmit")
        if syn_retrans or syns > 1 or synacks > 1:
            reasons.add("syn-retransmit")
        if delayed:
            reasons.add("long-delay")
        if dur_ms > CONNECT_MS:
            reasons.add("long-connect")
            long_total += 1
        if aborted:
            reasons.add("rst")
        fact(p + "reasons", ",".join(r for r in ORDER if r in reasons) or "-")
        fact(p + "packets", len(pk))
        # miruo's byte total leaves out the opening SYN.
        fact(p + "bytes", sum(x["frame"] for x in pk) -
             (pk[0]["frame"] if pk[0]["syn"] and not pk[0]["ack"] else 0))
        fact(p + "dur_ms", dur_ms)
        fact(p + "syns", syns)
        fact(p + "synacks", synacks)
        fact(p + "srv_rsts", srv_rst)
        fact(p + "cli_rsts", cli_rst)
        fact(p + "maxgap_ms", max(gaps) if gaps else -1)
        # From the client's request to the server's answer.
        req = [x["ts"] for x in pk if x["d"] == ">" and x["plen"] > 0]
        ans = [x["ts"] for x in pk if x["d"] == "<" and x["plen"] > 0]
        fact(p + "answer_ms", (ans[0] - req[0]) // 1000 if req and ans else -1)
    fact("pcap.rsts", all_rst)
    fact("pcap.srv_rsts", srv_rst_total)
    fact("pcap.delayed_min", delayed_min)
    fact("pcap.delayed_max", delayed_max)
    fact("pcap.long_connects", long_total)

tcpdump()
for arg in sys.argv[4:]:
    tag, path = arg.split("=", 1)
    miruo(tag, path)
print("\n".join(facts))
PY
}

real_run() {
    local out="$WORK/real.out" err="$WORK/real.err" pcap="$WORK/real.pcap"
    local _ label port want got n
    real_write_scripts

    # ---- servers ------------------------------------------------------------
    ip netns exec "$real_ns_srv" env PYTHONPATH="$T" \
        python3 "$WORK/real-server.py" $real_srv_ip \
        >"$WORK/real-server.log" 2>&1 &
    real_server_pid=$!
    local listening=0
    if wait_for "$WORK/real-server.log" '^ready$'; then
        for _ in $(seq 50); do
            n=$(ip netns exec "$real_ns_srv" ss -Hltn 2>/dev/null |
                grep -cE " $real_srv_ip:810[012456] ")
            [ "$n" = 6 ] && { listening=1; break; }
            sleep 0.1
        done
    fi
    if [ "$listening" != 1 ]; then
        fail real/servers_listen "$(head -c 300 "$WORK/real-server.log")"
        return
    fi
    pass real/servers_listen

    # ---- capture: miruo and, independently, tcpdump ---------------------------
    # A short snapshot: in immediate mode libpcap uses TPACKET_V2, whose
    # ring holds only a few frames of the default 262144 bytes.
    ip netns exec "$real_ns_srv" tcpdump -Z root -nn -U --immediate-mode \
        -s 128 -B 4096 -i "$real_if_srv" \
        -w "$pcap" tcp >"$WORK/real-tcpdump.out" 2>"$WORK/real-tcpdump.err" &
    real_tcpdump_pid=$!
    ip netns exec "$real_ns_srv" "$MIRUO" -C0 -t 1000 -T 2000 \
        -i "$real_if_srv" tcp >"$out" 2>"$err" &
    real_miruo_pid=$!
    if ! wait_for "$WORK/real-tcpdump.err" "listening on $real_if_srv"; then
        fail real/tcpdump_starts "$(head -c 300 "$WORK/real-tcpdump.err")"
        return
    fi
    pass real/tcpdump_starts
    if ! wait_for "$err" "listening on $real_if_srv"; then
        fail real/miruo_starts "no 'listening on' banner: $(head -c 300 "$err")"
        return
    fi
    pass real/miruo_starts

    # ---- traffic ---------------------------------------------------------------
    # Drop the SYN/ACKs of port 8105 from just before its first SYN until
    # 2.5 s after it: the answers to the client's SYNs at 0 s and 1 s and
    # the server's own SYN/ACK retransmissions (~1 s and ~2 s) are lost, the
    # connection completes with the client's SYN at 3 s.
    ip netns exec "$real_ns_srv" nft -f - <<NFT
table inet miruo_real {
    chain out {
        type filter hook output priority 0; policy accept;
        ip saddr $real_srv_ip tcp sport 8105 tcp flags & (syn | ack) == syn | ack counter drop
    }
}
NFT
    rm -f "$WORK/real-e-started"
    ip netns exec "$real_ns_cli" env PYTHONPATH="$T" \
        python3 "$WORK/real-client.py" $real_srv_ip \
        "$WORK/real-e-started" >"$WORK/real-client.out" 2>&1 &
    real_client_pid=$!
    for _ in $(seq 100); do
        [ -e "$WORK/real-e-started" ] && break
        sleep 0.02
    done
    sleep 2.5
    local dropped
    dropped=$(ip netns exec "$real_ns_srv" nft list table inet miruo_real |
              sed -n 's/.*counter packets \([0-9]*\) .*/\1/p')
    ip netns exec "$real_ns_srv" nft delete table inet miruo_real
    wait "$real_client_pid"
    real_client_pid=''
    local clients
    clients=$(tr '\n' ' ' <"$WORK/real-client.out")
    real_is real/clients "$clients" "delay answered delay15 answered hold held linger reset quick answered refused refused synack_drop answered "

    # Wait for the six flagged sessions to be printed, then stop both.
    for _ in $(seq 30); do
        [ "$(grep -c '^[0-9]\{4\} ' "$out")" -ge 6 ] && break
        sleep 0.1
    done
    sleep 0.3
    real_stop "$real_miruo_pid"
    real_is real/sigint_exit_status $? 0
    real_miruo_pid=''
    real_stop "$real_tcpdump_pid"
    real_tcpdump_pid=''

    # Neither capture lost packets (else the comparisons below mean little).
    real_is real/live_no_drops "$(sed -n 's/^drop  : //p' "$err")" 0
    real_is real/tcpdump_no_drops \
        "$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' \
           "$WORK/real-tcpdump.err")" 0

    # The kernels' own counters.
    local syn_retrans out_rsts
    syn_retrans=$(ip netns exec "$real_ns_cli" nstat -asz TcpExtTCPSynRetrans |
                  awk '$1 == "TcpExtTCPSynRetrans" { print $2 }')
    out_rsts=$(ip netns exec "$real_ns_srv" nstat -asz TcpOutRsts |
               awk '$1 == "TcpOutRsts" { print $2 }')

    # ---- the independent view, and miruo on the same file ----------------------
    tcpdump -nn -tt -e -S -r "$pcap" >"$WORK/real-pcap.txt" 2>"$WORK/real-pcap.err"
    real_is real/tcpdump_reads_capture $? 0
    "$MIRUO" -C0 -t 1000 -T 2000 -f "$pcap" >"$WORK/real-file.out" \
        2>"$WORK/real-file.err"
    real_is real/file_exit_status $? 0
    if ! python3 "$WORK/real-analyse.py" $real_srv_ip $real_cli_ip \
        "$WORK/real-pcap.txt" live="$out" file="$WORK/real-file.out" \
        >"$WORK/real.facts" 2>"$WORK/real-analyse.err"; then
        fail real/analyse "$(tail -c 300 "$WORK/real-analyse.err")"
        return
    fi

    # Every connection seen once by tcpdump, every line of miruo understood.
    real_is real/tcpdump_connections "$(real_fact pcap.connections)" 7
    for port in 8100 8101 8102 8103 8104 8105 8106; do
        real_is "real/tcpdump_sees_$port" "$(real_fact "pcap.$port.count")" 1
    done
    real_is real/live_sessions "$(real_fact live.sessions)" 6
    real_is real/live_lines_parsed "$(real_fact live.unparsed_lines)" 0

    # ---- per scenario: the reasons, and the same facts seen by tcpdump --------
    real_is real/quick/not_shown "$(real_fact live.8100.count)" 0
    real_is real/quick/tcpdump_no_reason "$(real_fact pcap.8100.reasons)" -
    for label in delay:8101:long-delay,long-connect delay15:8106:long-delay \
                 hold:8102:long-connect refused:8103:rst linger:8104:rst \
                 synack_drop:8105:syn-retransmit,long-delay,long-connect; do
        want=${label##*:}; label=${label%:*}
        port=${label#*:}; label=${label%:*}
        real_is "real/$label/reasons" "$(real_fact "live.$port.reasons")" "$want"
        real_is "real/$label/reasons_as_tcpdump" "$(real_fact "live.$port.reasons")" \
            "$(real_fact "pcap.$port.reasons")"
        real_is "real/$label/segments_as_tcpdump" "$(real_fact "live.$port.segments")" \
            "$(real_fact "pcap.$port.packets")"
        real_is "real/$label/bytes_as_tcpdump" "$(real_fact "live.$port.bytes")" \
            "$(real_fact "pcap.$port.bytes")"
        # (Separate time stamps, truncated to ms: within 2 ms.)
        want=$(real_fact "pcap.$port.dur_ms")
        real_within "real/$label/duration_as_tcpdump" \
            "$(real_fact "live.$port.dur_ms")" $((${want:-0} - 2)) $((${want:-0} + 2))
    done

    # delay: the answer printed after a gap of more than 1 s, the gap the
    # one tcpdump sees (within 2 ms), and the request answered > 1 s later
    # by tcpdump's clock.
    got=$(real_fact live.8101.maxgap_ms)
    check real/delay/gap_over_1s test "${got:-0}" -gt 1000
    real_is real/delay/answer_after_gap "$(real_fact live.8101.maxgap_line)" "<-AP---<"
    want=$(real_fact pcap.8101.maxgap_ms)
    real_within real/delay/gap_as_tcpdump "$got" $((${want:-0} - 2)) $((${want:-0} + 2))
    got=$(real_fact pcap.8101.answer_ms)
    check real/delay/tcpdump_answer_after_2s test "${got:-0}" -ge 2000
    got=$(real_fact live.8106.maxgap_ms)
    check real/delay15/gap_over_1s test "${got:-0}" -gt 1000
    real_is real/delay15/answer_after_gap "$(real_fact live.8106.maxgap_line)" "<-AP---<"

    # hold: at least 3 s long, and no gap that would make it a long-delay.
    got=$(real_fact live.8102.dur_ms)
    check real/hold/duration_3s test "${got:-0}" -ge 3000
    got=$(real_fact pcap.8102.maxgap_ms)
    check real/hold/tcpdump_no_gap test "${got:-9999}" -lt 1000

    # refused: the SYN and the server's RST/ACK, nothing else.
    real_is real/refused/lines "$(real_fact live.8103.seq)" \
        "SYN_SENT_>----S->_SYN_RECV;CLOSED_<-A-R--<_CLOSED"
    real_is real/refused/tcpdump_rst "$(real_fact pcap.8103.srv_rsts)" 1

    # linger: the server's RST, as many as tcpdump saw, and none from the
    # client.
    real_is real/linger/tcpdump_rst "$(real_fact pcap.8104.srv_rsts)" 1
    real_is real/linger/rst_lines_as_tcpdump "$(real_fact live.8104.srv_rst_lines)" \
        "$(real_fact pcap.8104.srv_rsts)"
    real_is real/linger/client_rst_lines_as_tcpdump \
        "$(real_fact live.8104.cli_rst_lines)" "$(real_fact pcap.8104.cli_rsts)"

    # All RSTs: miruo's lines, tcpdump's packets and the server kernel's count.
    got=$(real_fact live.8103.srv_rst_lines) want=$(real_fact live.8104.srv_rst_lines)
    got=$(( ${got:-0} + ${want:-0} ))
    real_is real/rst_lines_as_tcpdump "$got" "$(real_fact pcap.srv_rsts)"
    real_is real/tcpdump_rsts_as_server_kernel "$(real_fact pcap.srv_rsts)" "$out_rsts"

    # synack_drop: every SYN tcpdump saw is printed (at least two), the
    # client kernel retransmitted all but the first, nft really dropped
    # SYN/ACKs.
    got=$(real_fact live.8105.syn_lines)
    check real/synack_drop/two_syns_or_more test "${got:-0}" -ge 2
    real_is real/synack_drop/syn_lines_as_tcpdump "$got" "$(real_fact pcap.8105.syns)"
    real_is real/synack_drop/syn_lines_as_client_kernel "$got" \
        "$(( ${syn_retrans:-0} + 1 ))"
    check real/synack_drop/nft_dropped_synacks test "${dropped:-0}" -ge 1

    # The statistics block agrees with tcpdump's view too.
    real_is real/stats_sessions "$(sed -n 's/^Total Sessions  : //p' "$err")" \
        "$(real_fact pcap.connections)"
    real_is real/stats_lookup "$(sed -n 's/^  Lookup        : //p' "$err")" 6
    real_is real/stats_long_connect "$(sed -n 's/^    LongConnect : //p' "$err")" \
        "$(real_fact pcap.long_connects)"
    got=$(sed -n 's/^    LongDelay   : //p' "$err")
    real_within real/stats_long_delay "$got" "$(real_fact pcap.delayed_min)" \
        "$(real_fact pcap.delayed_max)"
    real_is real/stats_rst "$(sed -n 's/^    RST         : //p' "$err")" \
        "$(real_fact pcap.rsts)"

    # ---- miruo on tcpdump's file: the same sessions for the same reasons ------
    real_is real/file/sessions "$(real_fact file.sessions)" "$(real_fact live.sessions)"
    for port in 8100 8101 8102 8103 8104 8105 8106; do
        real_is "real/file/reasons_$port" "$(real_fact "file.$port.count"):$(real_fact "file.$port.reasons")" \
            "$(real_fact "live.$port.count"):$(real_fact "live.$port.reasons")"
    done
    # Line for line the same output, but for the times: tcpdump and miruo
    # stamp outgoing packets separately, a few microseconds apart.
    # The diagnosis line's durations are masked too (microsecond handshakes).
    # So are the session numbers, and the sessions are compared in a
    # stable order: the scenarios run at once, and two connections opened
    # within microseconds of each other may reach the two capture sockets
    # (miruo's, tcpdump's) in either order and be numbered either way.
    local mask='s/^([0-9]{4}:[0-9]{4}) [0-9:.]{12} /\1 --:--:--.--- /;s/^([0-9]{4}) +[0-9]+\.[0-9]{3} /\1 ------.--- /;/^[0-9]{4}: /s/[0-9]+(\.[0-9]+)? (us|ms|s)\b/T/g;s/^[0-9]{4}([ :])/SSSS\1/'
    real_sessions_sorted() {
        sed -E "$mask" "$1" | awk '
            /^SSSS / { if (b != "") print b; b = "" }
            { b = b $0 "\037" }
            END { if (b != "") print b }' | LC_ALL=C sort | tr '\037' '\n'
    }
    real_sessions_sorted "$out" >"$WORK/real-live.masked"
    real_sessions_sorted "$WORK/real-file.out" >"$WORK/real-file.masked"
    if cmp -s "$WORK/real-live.masked" "$WORK/real-file.masked"; then
        pass real/file/same_output
    else
        fail real/file/same_output "live and file outputs differ (times aside)"
        diff -u "$WORK/real-live.masked" "$WORK/real-file.masked" | head -20 |
            sed 's/^/      /'
    fi
}

if reason=$(real_setup); then
    trap real_cleanup EXIT
    real_run
    real_cleanup
    trap - EXIT
else
    real_cleanup
    skip real "$reason"
fi
