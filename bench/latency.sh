#!/bin/bash
# bench/latency.sh - how soon `miruo --live` prints a packet after the
# kernel captured it, beside `tcpdump -l --immediate-mode`.
#
#   bench/latency.sh [--miruo PATH] [--count N] [--interval MS]
#
# As root.  A TCP client on 127.0.0.1 sends one small segment every
# --interval ms (default 20), --count times (default 500), to a server
# that ACKs them; each tool captures on lo, one after the other, its
# standard output read by this script as it comes.  The latency of a
# packet is the time its line was read minus the capture time printed in
# the line (both CLOCK_REALTIME; miruo prints milliseconds, so its
# latencies are up to 1 ms too long).  Prints a Markdown table: lines
# read, median, 90th and 99th percentile and largest latency.  Not part
# of `make check`.
set -eu

miruo=${MIRUO:-$(cd "$(dirname "$0")/.." && pwd)/src/miruo}
count=500
interval=20
while [ $# -gt 0 ]; do
    case $1 in
    --miruo) miruo=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "latency.sh: unknown argument: $1" >&2; exit 1 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "latency.sh: capturing on lo needs root" >&2; exit 1; }
[ -x "$miruo" ] || { echo "latency.sh: no miruo at $miruo (make first)" >&2; exit 1; }

exec python3 - "$miruo" "$count" "$interval" <<'PY'
import os, re, socket, statistics, subprocess, sys, threading, time

miruo, count, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def server():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    return srv

MIRUO_LINE = re.compile(rb"^\d{4,}:\d{4,} (\d\d):(\d\d):(\d\d)\.(\d{3}) ")
TCPDUMP_LINE = re.compile(rb"^(\d+)\.(\d{6}) ")

def capture_time(tool, line, now):
    if tool == "miruo":
        m = MIRUO_LINE.match(line)
        if not m:
            return None
        h, mi, s, ms = (int(x) for x in m.groups())
        day = now - now % 86400
        t = day + h * 3600 + mi * 60 + s + ms / 1000.0
        return t - 86400 if t > now + 1 else t
    m = TCPDUMP_LINE.match(line)
    return int(m.group(1)) + int(m.group(2)) / 1e6 if m else None

def run(tool, cmd):
    srv = server()
    port = srv.getsockname()[1]
    cmd = [c.replace("PORT", str(port)) for c in cmd]
    env = dict(os.environ, TZ="UTC")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env)
    # Both print "listening on" on standard error once capturing.
    banner = b""
    while b"listening on" not in banner:
        chunk = p.stderr.readline()
        if not chunk:
            sys.exit("%s did not start: %s" % (tool, banner.decode()))
        banner += chunk
    lat = []
    def reader():
        buf = b""
        fd = p.stdout.fileno()
        while True:
            data = os.read(fd, 65536)
            if not data:
                return
            now = time.time()
            buf += data
            *lines, buf = buf.split(b"\n")
            for line in lines:
                t = capture_time(tool, line, now)
                if t is not None:
                    lat.append((now - t) * 1000.0)
    th = threading.Thread(target=reader)
    th.start()
    cli = socket.create_connection(("127.0.0.1", port))
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn, _ = srv.accept()
    for _ in range(count):
        cli.send(b"x")
        conn.recv(16)
        time.sleep(interval / 1000.0)
    cli.close()
    conn.close()
    srv.close()
    time.sleep(0.5)
    p.send_signal(2)
    p.wait(timeout=10)
    th.join(timeout=10)
    return lat

tools = [
    ("miruo", "miruo --live -C0 -i lo",
     [miruo, "--live", "-C0", "-i", "lo", "tcp", "port", "PORT"]),
    ("tcpdump", "tcpdump -l --immediate-mode -tt -nn -i lo",
     ["tcpdump", "-l", "--immediate-mode", "-tt", "-nn", "-i", "lo",
      "tcp", "port", "PORT"]),
]
print("| tool | packet lines read | median ms | p90 ms | p99 ms | max ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for tool, label, cmd in tools:
    lat = sorted(run(tool, cmd))
    if not lat:
        print("| `%s` | 0 | - | - | - | - |" % label)
        continue
    q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
    print("| `%s` | %d | %.1f | %.1f | %.1f | %.1f |" % (
        label, len(lat), statistics.median(lat), q(0.90), q(0.99), lat[-1]))
PY
