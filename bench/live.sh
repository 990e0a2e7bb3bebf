#!/bin/bash
# bench/live.sh - live capture under a real load: does miruo drop more
# packets than `tcpdump -w /dev/null` does?
#
#   bench/live.sh [--rounds N] [--seconds S] [--conns C] [--clients K]
#                 [--buffer MiB] [--tcpdump-buffer MiB] [--miruo PATH]
#                 [--passes "normal tight"] [--request BYTES]
#                 [--response BYTES] [--newconn PCT] [--keep]
#
# What it measures: the kernel drops (libpcap's ps_drop, TPACKET_V3 ring
# full) of two capture tools, one at a time, under the same real TCP load:
#   tcpdump  tcpdump -i VETH -w /dev/null -n [-B MiB]  (--tcpdump-buffer)
#   miruo    miruo -i VETH -C0 [-B MiB]                (--buffer; stdout to
#            /dev/null; miruo prints its libpcap statistics on stderr at
#            exit, no -s needed.  --miruo PATH, default src/miruo)
#
# How: builds bench/liveload.c with gcc into a temp dir, makes two network
# namespaces joined by a veth pair (names unique to this run), starts
# `liveload server` (one worker per CPU) in the server namespace, then for
# each of R rounds (--rounds, default 3) and each pass runs both tools,
# their order rotated from round to round.  A tool is started in the
# server namespace on the server's veth end and waited for ("listening
# on"); then the load runs for S seconds (--seconds, default 10):
#   normal  one `liveload client` with C connections (--conns, default 64)
#   tight   K client processes (--clients, default 8) with C connections
#           each: more runnable processes than CPUs, so that the capture
#           tool gets less CPU and the ring can overflow
# Half of the client's connection slots (--newconn PCT, default 50) open a
# new connection per request, the others keep theirs for 100 requests;
# requests are 200 bytes, responses 2000 (--request, --response).  After
# the load the tool gets 1.5 s to drain the ring (tcpdump's ring block
# timeout is 1 s), then SIGINT; its statistics are parsed.  "Packets on
# the wire" is the veth's rx_packets + tx_packets delta in the server
# namespace over the tool's window, to cross-check the tools' counts.
# The addresses (10.79.0.1 server, 10.79.0.2 client) exist only inside
# the two namespaces; the sysctls set are those of the namespaces.
#
# The report (Markdown) goes to standard output, progress to stderr.  The
# verdict compares the median drop rate (dropped / received) of the
# rounds, pass by pass: PASS when miruo's is at most tcpdump's in every
# pass.  The miruo binary is copied first, so a rebuild of src/miruo
# during the run changes nothing.  Everything (namespaces, processes, the
# temp dir unless --keep) is removed at exit, also on Ctrl-C.
#
# Run as root:  sudo bench/live.sh            (about 3 minutes)
# Without root or without `ip netns` it says why and exits 0.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=SCRIPTDIR/../tests/lib.sh
. "$repo/tests/lib.sh"                  # netns_pair, wait_for
rounds=3
seconds=10
conns=64
clients=8
buffer=""
tcpdump_buffer=""
miruo_src="$repo/src/miruo"
passes="normal tight"
request=200
response=2000
newconn=50
keep=0
port=9000
drain=1.5

usage() {
    # the comment block at the top of this file
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit "${1:-2}"
}

# ---- arguments -------------------------------------------------------------
cmdline="$*"            # for the report
while [ $# -gt 0 ]; do
    opt=$1 val=""
    case $opt in
    --*=*) val=${opt#*=}; opt=${opt%%=*} ;;
    esac
    case $opt in
    --keep) keep=1; shift; continue ;;
    -h|--help) usage 0 ;;
    --rounds|--seconds|--conns|--clients|--buffer|--tcpdump-buffer|--miruo|\
    --passes|--request|--response|--newconn)
        if [ -z "$val" ]; then
            [ $# -ge 2 ] || { echo "live.sh: $opt needs a value" >&2; usage; }
            val=$2; shift
        fi ;;
    *) echo "live.sh: unknown option $1" >&2; usage ;;
    esac
    shift
    case $opt in
    --rounds) rounds=$val ;;
    --seconds) seconds=$val ;;
    --conns) conns=$val ;;
    --clients) clients=$val ;;
    --buffer) buffer=$val ;;
    --tcpdump-buffer) tcpdump_buffer=$val ;;
    --miruo) miruo_src=$val ;;
    --passes) passes=$val ;;
    --request) request=$val ;;
    --response) response=$val ;;
    --newconn) newconn=$val ;;
    esac
done
for v in "$rounds" "$seconds" "$conns" "$clients" "$request" "$response" \
         ${buffer:+"$buffer"} ${tcpdump_buffer:+"$tcpdump_buffer"}; do
    case $v in
    ''|*[!0-9]*|0) echo "live.sh: '$v' is not a positive number" >&2; exit 2 ;;
    esac
done
case $newconn in
''|*[!0-9]*) echo "live.sh: --newconn '$newconn' is not a percentage" >&2; exit 2 ;;
esac
[ "$newconn" -le 100 ] || { echo "live.sh: --newconn '$newconn' is over 100" >&2; exit 2; }
[ "$request" -ge 16 ] || { echo "live.sh: --request must be at least 16 bytes" >&2; exit 2; }
for p in $passes; do
    case $p in
    normal|tight) ;;
    *) echo "live.sh: unknown pass '$p' (normal, tight)" >&2; exit 2 ;;
    esac
done

# ---- can we run at all? ----------------------------------------------------
skip() {
    echo "live.sh: skipped: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, packet capture)"
command -v ip >/dev/null || skip "the ip command (iproute2) is not installed"
ip netns list >/dev/null 2>&1 || skip "'ip netns' is not available here"
command -v tcpdump >/dev/null || skip "tcpdump is not installed"
command -v gcc >/dev/null || skip "gcc is not installed"
[ -x "$miruo_src" ] || { echo "live.sh: no miruo binary at $miruo_src (run make)" >&2; exit 2; }

# ---- setup and cleanup -----------------------------------------------------
ns_srv=mlive-s$$
ns_cli=mlive-c$$
if_srv=mls$$
if_cli=mlc$$
ip_srv=10.79.0.1
ip_cli=10.79.0.2
tmp=""
busy_before="?"
miruo_info=""
load=""
netns_made=0

cleanup() {
    local pid ns
    trap - EXIT INT TERM
    # Our background jobs not reaped yet (a reaped pid may belong to
    # someone else by now, so no list of every pid started).
    for pid in $(jobs -p); do
        kill -TERM "$pid" 2>/dev/null
    done
    # Whatever is left in our own namespaces (server workers, clients).
    if [ "$netns_made" = 1 ]; then
        for ns in "$ns_srv" "$ns_cli"; do
            for pid in $(ip netns pids "$ns" 2>/dev/null); do
                kill -KILL "$pid" 2>/dev/null
            done
        done
    fi
    wait 2>/dev/null
    ip netns del "$ns_srv" 2>/dev/null
    ip netns del "$ns_cli" 2>/dev/null
    ip link del "$if_srv" 2>/dev/null
    if [ -n "$tmp" ] && [ -d "$tmp" ]; then
        if [ "$keep" = 1 ]; then
            echo "live.sh: kept $tmp" >&2
        else
            rm -rf "$tmp"
        fi
    fi
}
trap cleanup EXIT
trap 'echo "live.sh: interrupted" >&2; exit 130' INT
trap 'echo "live.sh: terminated" >&2; exit 143' TERM

log() { echo "live.sh: $*" >&2; }

build() {
    tmp=$(mktemp -d /tmp/miruo-live.XXXXXX) || exit 1
    gcc -O2 -Wall -Wextra -o "$tmp/liveload" "$here/liveload.c" || exit 1
    cp "$miruo_src" "$tmp/miruo" || exit 1
    miruo_info="$miruo_src, modified $(date -u -r "$miruo_src" '+%Y-%m-%d %H:%M UTC')$(git_state)"
}

# in_srv/in_cli CMD...: run CMD in the server's / client's namespace.  Not
# for background jobs: `f &` forks a subshell and $! would be its pid, so
# those call `ip netns exec` directly (which execs CMD: $! is CMD's pid).
in_srv() { ip netns exec "$ns_srv" "$@"; }
in_cli() { ip netns exec "$ns_cli" "$@"; }

setup_net() {
    netns_made=1
    if ! netns_pair "$ns_srv" "$ns_cli" "$if_srv" "$if_cli" "$ip_srv" \
            "$ip_cli" >/dev/null; then
        echo "live.sh: cannot create network namespaces and a veth pair" >&2
        exit 1
    fi
    # No IPv6 chatter (router solicitations, MLD) on the capture.  The
    # server closes first, so the server keeps the TIME_WAITs and the
    # client needs only a wide port range.
    in_srv sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 net.core.somaxconn=65535 \
        net.ipv4.tcp_max_syn_backlog=65535 >/dev/null
    in_cli sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 \
        net.ipv4.ip_local_port_range="1024 65535" \
        net.ipv4.tcp_tw_reuse=1 >/dev/null
}


start_server() {
    ip netns exec "$ns_srv" "$tmp/liveload" server "$port" "$(nproc)" >"$tmp/server.log" 2>&1 &
    wait_for "$tmp/server.log" "listening on port" || {
        echo "live.sh: liveload server did not start: $(cat "$tmp/server.log")" >&2
        exit 1
    }
}

# wire_packets: packets through the server's veth end, both directions.
wire_packets() {
    local d=/sys/class/net/$if_srv/statistics
    in_srv sh -c "echo \$((\$(cat $d/rx_packets) + \$(cat $d/tx_packets)))"
}

# cpu_busy SECONDS: percent of all CPUs busy (not idle or iowait) over
# SECONDS, from /proc/stat: before the run, how much else runs here.
cpu_busy() {
    local a b
    a=$(head -1 /proc/stat)
    sleep "$1"
    b=$(head -1 /proc/stat)
    echo "$a $b" | awk '{ for (i = 2; i <= 9; i++) { t0 += $i; t1 += $(i + 11) }
        idle = ($(16) + $(17)) - ($5 + $6)
        busy = t1 > t0 ? 100 * (1 - idle / (t1 - t0)) : 0
        printf "%.0f\n", busy }'
}

# cpu_ticks PID: user + system time of PID, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# stop PID: SIGINT, ~10 s to exit, then SIGKILL.
stop() {
    local _
    kill -INT "$1" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# run_load PASS TAG: the clients of PASS, in the client namespace, for
# $seconds; sets load to "requests/s connections errors" of all of them.
run_load() {
    local n=1 i cpids=""
    [ "$1" = tight ] && n=$clients
    for i in $(seq "$n"); do
        ip netns exec "$ns_cli" "$tmp/liveload" client "$ip_srv" "$port" "$seconds" "$conns" \
            "$request" "$response" "$newconn" >"$tmp/client-$2-$i.log" 2>&1 &
        cpids="$cpids $!"
    done
    for i in $cpids; do
        wait "$i"
    done
    # "liveload client: 10.00 s, N requests (R/s), N connections, ..."
    load=$(cat "$tmp"/client-"$2"-*.log |
        awk -v s="$seconds" '/^liveload client:/ { r += $5; c += $8; e += $16 }
             END { printf "%d %d %d\n", r / s, c, e }')
}

# run_tool PASS ROUND TOOL: one measured run; appends a line to results.tsv:
# pass round tool wire recv captured drop cpu_s req_s conns errors
run_tool() {
    local pass=$1 round=$2 tool=$3 tag="$1-$2-$3" err pid w0 w1 t
    local recv captured drop
    err="$tmp/$tag.err"
    case $tool in
    tcpdump)
        ip netns exec "$ns_srv" tcpdump -i "$if_srv" -w /dev/null -n \
            ${tcpdump_buffer:+-B "$((tcpdump_buffer * 1024))"} 2>"$err" &
        ;;
    miruo)
        ip netns exec "$ns_srv" "$tmp/miruo" -i "$if_srv" -C0 ${buffer:+-B "$buffer"} \
            >/dev/null 2>"$err" &
        ;;
    esac
    pid=$!
    if ! wait_for "$err" "listening on"; then
        echo "live.sh: $tool did not start: $(head -c 400 "$err")" >&2
        exit 1
    fi
    w0=$(wire_packets)
    run_load "$pass" "$tag"
    sleep "$drain"
    w1=$(wire_packets)
    t=$(cpu_ticks "$pid")
    stop "$pid"
    case $tool in
    tcpdump)
        captured=$(awk '/packets captured/ { print $1 }' "$err")
        recv=$(awk '/packets received by filter/ { print $1 }' "$err")
        drop=$(awk '/packets dropped by kernel/ { print $1 }' "$err")
        ;;
    miruo)
        captured=-
        recv=$(awk '/^recv  *:/ { print $3 }' "$err")
        drop=$(awk '/^drop  *:/ { print $3 }' "$err")
        ;;
    esac
    if [ -z "$recv" ] || [ -z "$drop" ]; then
        echo "live.sh: no statistics from $tool: $(tail -c 400 "$err")" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$round" "$tool" \
        "$((w1 - w0))" "$recv" "$captured" "$drop" \
        "$(awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')" \
        "$(echo "$load" | tr ' ' '\t')" >>"$tmp/results.tsv"
    log "$pass round $round $tool: wire $((w1 - w0)) recv $recv drop $drop (load: $load)"
}

# git_state: ", repo at COMMIT" when --miruo is the repo's own build.
git_state() {
    local rev
    [ "$miruo_src" -ef "$repo/src/miruo" ] || return 0
    rev=$(git -C "$repo" describe --always --dirty 2>/dev/null) || return 0
    echo ", repo at $rev"
}

# ---- the report --------------------------------------------------------------
cmd_line() {
    local pass=$1 n=1
    [ "$pass" = tight ] && n=$clients
    echo "- $pass: $n x \`liveload client $ip_srv $port $seconds $conns $request $response $newconn\`" \
         "against \`liveload server $port $(nproc)\`"
}

report() {
    local pass
    echo "# miruo live capture drops vs tcpdump"
    echo
    echo "## Machine"
    echo
    echo "- CPUs: $(nproc) ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"
    echo "- kernel: $(uname -r)"
    echo "- miruo: $("$tmp/miruo" -V 2>&1 | sed 's/^ *//' | paste -sd ';' - | sed 's/;/; /g')"
    echo "- miruo binary: $miruo_info"
    echo "- tcpdump: $(tcpdump --version 2>&1 | head -1)"
    echo "- CPU busy with other work just before the run: ${busy_before}% (2 s sample of /proc/stat; anything else running makes the drops noisier)"
    echo "- run: $(date -u '+%Y-%m-%d %H:%M UTC'), \`bench/live.sh${1:+ $1}\`"
    echo
    echo "## Commands"
    echo
    echo "- tcpdump: \`tcpdump -i VETH -w /dev/null -n${tcpdump_buffer:+ -B $((tcpdump_buffer * 1024))}\`"
    echo "- miruo: \`miruo -i VETH -C0${buffer:+ -B $buffer} >/dev/null\`"
    for pass in $passes; do
        cmd_line "$pass"
    done
    echo
    echo "One tool at a time, started before the load in the server namespace,"
    echo "SIGINT ${drain} s after the load ends.  wire = veth rx+tx packets over"
    echo "the tool's window; received = libpcap ps_recv (includes the drops);"
    echo "captured = packets tcpdump wrote (miruo does not print it);"
    echo "wire pkt/s = wire packets / ${seconds} s of load (both directions);"
    echo "drop % = dropped / received; CPU = the tool's user+sys seconds."
    echo
    awk -F'\t' -v passes="$passes" -v secs="$seconds" '
    function median(list,    a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++)            # insertion sort, n is small
            for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
            }
        if (n == 0) return 0
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function pct(d, r) { return r > 0 ? 100 * d / r : 0 }
    {
        p = $1; k = p SUBSEP $3
        row[p] = row[p] sprintf("| %s | %s | %d | %d | %s | %d | %.3f | %s | %d |\n",
            $2, $3, $4, $5, $6, $7, pct($7, $5), $8, $9)
        wire[k] = wire[k] " " $4; recv[k] = recv[k] " " $5
        drop[k] = drop[k] " " $7; rate[k] = rate[k] " " pct($7, $5)
        cpu[k] = cpu[k] " " $8; rps[k] = rps[k] " " $9
        err[p] += $11; dsum[p] += $7
        if ($4 > 0) { dw = ($5 - $4) / $4 * 100; if (dw < 0) dw = -dw; if (dw > maxdev[p]) maxdev[p] = dw }
    }
    END {
        np = split(passes, pl, " ")
        all = 1
        for (i = 1; i <= np; i++) {
            p = pl[i]
            if (!(p in row)) continue
            printf "## Pass: %s\n\n", p
            print "| round | tool | wire packets | received | captured | dropped | drop % | CPU s | load req/s |"
            print "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            printf "%s\n", row[p]
            print "| median of the rounds | wire packets | wire pkt/s | received | dropped | drop % | CPU s | load req/s |"
            print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            for (t = 1; t <= 2; t++) {
                tool = t == 1 ? "tcpdump" : "miruo"; k = p SUBSEP tool
                md[tool] = median(rate[k])
                printf "| %s | %d | %d | %d | %d | %.3f | %.2f | %d |\n", tool,
                    median(wire[k]), median(wire[k]) / secs, median(recv[k]), median(drop[k]),
                    md[tool], median(cpu[k]), median(rps[k])
            }
            ok = md["miruo"] <= md["tcpdump"]
            if (!ok) all = 0
            print ""
            if (dsum[p] == 0)
                print "Neither tool dropped a packet in this pass (the load did not push the ring over)."
            printf "Received vs wire differ by at most %.2f%% in this pass; client errors: %d.\n", maxdev[p], err[p]
            printf "\nmiruo drops <= tcpdump drops (%s, median drop %%: miruo %.3f, tcpdump %.3f): %s\n\n",
                p, md["miruo"], md["tcpdump"], ok ? "PASS" : "FAIL"
        }
        printf "## Verdict\n\nmiruo drops <= tcpdump drops: %s\n", all ? "PASS" : "FAIL"
    }' "$tmp/results.tsv"
}

# ---- main ------------------------------------------------------------------
main() {
    local round pass tools
    build
    busy_before=$(cpu_busy 2)
    setup_net
    start_server
    log "namespaces $ns_srv/$ns_cli, veth $if_srv, $rounds rounds of ${seconds}s, passes: $passes"
    : >"$tmp/results.tsv"
    for round in $(seq "$rounds"); do
        # Rotate the order of the tools from round to round.
        if [ $((round % 2)) = 1 ]; then tools="tcpdump miruo"; else tools="miruo tcpdump"; fi
        for pass in $passes; do
            for tool in $tools; do
                run_tool "$pass" "$round" "$tool"
            done
        done
    done
    report "$cmdline"
}

main
