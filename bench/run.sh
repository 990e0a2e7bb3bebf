#!/bin/bash
# bench/run.sh - side-by-side benchmark of miruo, the floor and tcpdump.
#
#   bench/run.sh [--quick] [--rounds N] [--miruo PATH] [--dir DIR]
#                [--data DIR] [--workloads "web bulk conc conc1k long1k synflood"]
#                [--tshark] [--clean] [--report-only]
#
# Builds bench/genload, bench/timeit (gcc -O2) and bench/floor (-O3, as
# miruo builds by default; its instructions are the same at -O2) into
# DIR/bin (default /tmp/miruo-bench), writes the workloads into the data
# dir (--data; default /dev/shm/miruo-bench when /dev/shm is a tmpfs with
# room, else DIR; files already there are reused; --clean deletes them at
# the end), then runs R rounds (default 5).  Each round runs every tool
# on every workload once, in an order rotated from round to round, so
# drift of the machine spreads over all tools alike.  --report-only prints
# the report of the last run (DIR/results.tsv) again.  Wall
# time and peak RSS come from bench/timeit (wait4 + CLOCK_MONOTONIC).
# The report (Markdown, medians over the rounds) goes to standard output
# and DIR/report.md; raw numbers to DIR/results.tsv.
#
# Nothing here asserts on time: run it by hand, commit the report in
# bench/README.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=5
quick=0
miruo="$repo/src/miruo"
dir=/tmp/miruo-bench
workloads="web bulk conc conc1k long1k synflood"
tshark=0
data=""
clean=0
report_only=0

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --rounds) rounds=${2:?}; shift ;;
    --rounds=*) rounds=${1#*=} ;;
    --miruo) miruo=${2:?}; shift ;;
    --miruo=*) miruo=${1#*=} ;;
    --dir) dir=${2:?}; shift ;;
    --dir=*) dir=${1#*=} ;;
    --workloads) workloads=${2:?}; shift ;;
    --workloads=*) workloads=${1#*=} ;;
    --data) data=${2:?}; shift ;;
    --data=*) data=${1#*=} ;;
    --clean) clean=1 ;;
    --report-only) report_only=1 ;;
    --tshark) tshark=1 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage ;;
    esac
    shift
done
case $rounds in ''|*[!0-9]*|0) echo "run.sh: --rounds wants a number > 0" >&2; exit 2 ;; esac
miruo=$(cd "$(dirname "$miruo")" && pwd)/$(basename "$miruo")
[ -x "$miruo" ] || { echo "run.sh: $miruo is not an executable (build miruo first)" >&2; exit 1; }
command -v tcpdump >/dev/null || { echo "run.sh: tcpdump is needed" >&2; exit 1; }

mkdir -p "$dir/bin" "$dir/log"
bin=$dir/bin
log() { echo "run.sh: $*" >&2; }

# The capture files live in memory that is not reclaimed: a tmpfs.  On
# disk, the page cache of a file not read for a minute may be dropped (on
# this workplace's machines a DAMON "pageout" scheme does exactly that), and
# the next run then times the disk.  Elsewhere each file is read once right
# before each timed run.
is_tmpfs() { [ "$(stat -f -c %T "$1" 2>/dev/null)" = tmpfs ]; }
if [ -z "$data" ]; then
    need_kb=$([ "$quick" = 1 ] && echo 700000 || echo 5000000)
    if is_tmpfs /dev/shm && [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt "$need_kb" ] ||
       [ -d /dev/shm/miruo-bench ]; then
        data=/dev/shm/miruo-bench
    else
        data=$dir
    fi
fi
mkdir -p "$data"
warm=1
is_tmpfs "$data" && warm=0

# ---------------------------------------------------------------- build
gcc -O2 -Wall -Wextra -std=c99 -o "$bin/genload" "$here/genload.c"
gcc -O3 -Wall -Wextra -std=c99 -o "$bin/floor" "$here/floor.c" -lpcap
gcc -O2 -Wall -Wextra -o "$bin/timeit" "$here/timeit.c"

# A private copy of miruo: other people may rebuild src/miruo meanwhile.
miruo_src=$miruo
miruo_sum=$(sha256sum "$miruo_src" | cut -c1-12)
cp "$miruo_src" "$bin/miruo-$miruo_sum"
miruo=$bin/miruo-$miruo_sum

# ---------------------------------------------------------------- workloads
# name -> genload arguments.  conc and conc1k have the same sessions and
# packets (200k sessions of 10 packets), all open at once or 1000 at a
# time: only the number of open sessions differs.  long1k (information)
# has the same packet count in 1000 long sessions.
if [ "$quick" = 1 ]; then
    web_n=10000 bulk_p=200000 bulk_k=4 conc_p=200000 conc_c=20000 conc1k_c=100 syn_n=50000
else
    web_n=100000 bulk_p=2000000 bulk_k=4 conc_p=2000000 conc_c=200000 conc1k_c=1000 syn_n=500000
fi
big_limits="-L 300000 -l 2000000"
[ "$quick" = 1 ] && big_limits="-L 30000 -l 200000"

wl_args() {
    case $1 in
    web) echo "web $web_n" ;;
    bulk) echo "bulk $bulk_p $bulk_k" ;;
    conc) echo "concurrent $conc_p $conc_c" ;;
    conc1k) echo "concurrent $conc_p $conc1k_c $conc_c" ;;
    long1k) echo "concurrent $conc_p $conc1k_c" ;;
    synflood) echo "synflood $syn_n" ;;
    *) echo "run.sh: unknown workload $1" >&2; exit 2 ;;
    esac
}

wl_file() { echo "$data/$(wl_args "$1" | tr ' ' '-').pcap"; }

for w in $workloads; do
    f=$(wl_file "$w")
    # a file is reused only if it was completely written (.count beside
    # it) by the current genload.c
    if [ ! -s "$f" ] || [ ! -s "$f.count" ] || [ "$here/genload.c" -nt "$f.count" ]; then
        log "generating $f"
        # shellcheck disable=SC2046
        "$bin/genload" $(wl_args "$w") "$f" 2>"$f.log"
        sed -n 's/^genload: \([0-9]*\) packets.*/\1/p' "$f.log" >"$f.count"
    fi
done

# ---------------------------------------------------------------- tools
# tool ids per workload; cmd_for prints the command line for one.
wl_tools() {
    case $1 in
    web) echo "floor floor-pread miruo miruo-all tcpdump$([ "$tshark" = 1 ] && echo ' tshark')" ;;
    bulk) echo "floor floor-pread miruo miruo-all tcpdump" ;;
    synflood) echo "floor miruo miruo-all tcpdump" ;;
    conc|conc1k|long1k) echo "floor miruo-big miruo miruo-all tcpdump" ;;
    esac
}

cmd_for() {   # tool file
    case $1 in
    floor) echo "$bin/floor $2" ;;
    floor-pread) echo "$bin/floor -r $2" ;;
    miruo) echo "$miruo -C0 -f $2" ;;
    miruo-all) echo "$miruo --all -C0 -f $2" ;;
    miruo-big) echo "$miruo -C0 $big_limits -f $2" ;;
    tcpdump) echo "tcpdump -nn -q -r $2" ;;
    tshark) echo "tshark -n -r $2" ;;
    esac
}

tool_label() {
    case $1 in
    floor) echo "floor (libpcap + parse + 1 hash lookup)" ;;
    floor-pread) echo "floor read as miruo reads (256 KiB pread blocks; info)" ;;
    miruo) echo "miruo -C0 (default)" ;;
    miruo-all) echo "miruo --all -C0" ;;
    miruo-big) echo "miruo -C0 $big_limits" ;;
    tcpdump) echo "tcpdump -nn -q -r" ;;
    tshark) echo "tshark -n -r" ;;
    esac
}

res=$dir/results.tsv
if [ "$report_only" = 0 ]; then
[ -f "$res" ] && mv "$res" "$dir/results.prev.tsv"
: >"$res"

# Warm the page cache: every file is read once before timing.
for w in $workloads; do cat "$(wl_file "$w")" >/dev/null; done

run_one() {   # workload tool round
    local w=$1 t=$2 r=$3 f tmp rc
    f=$(wl_file "$w")
    tmp=$dir/log/timeit.out
    rm -f "$tmp"
    [ "$warm" = 1 ] && cat "$f" >/dev/null
    rc=0
    # shellcheck disable=SC2046
    "$bin/timeit" -o "$tmp" $(cmd_for "$t" "$f") >/dev/null 2>"$dir/log/$w.$t.err" || rc=$?
    if [ "$rc" != 0 ]; then
        log "warning: $t on $w exited $rc (see $dir/log/$w.$t.err)"
    fi
    # wall user sys rss_kb exit
    read -r wall user sys rss code <"$tmp"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$t" "$r" "$wall" "$user" "$sys" "$rss" "$code" >>"$res"
}

start=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
r=1
while [ "$r" -le "$rounds" ]; do
    log "round $r/$rounds"
    for w in $workloads; do
        # shellcheck disable=SC2207
        tools=($(wl_tools "$w"))
        n=${#tools[@]}
        i=0
        while [ "$i" -lt "$n" ]; do
            t=${tools[$(( (i + r - 1) % n ))]}
            # tshark is slow: one run, in the first round only
            if [ "$t" != tshark ] || [ "$r" = 1 ]; then
                run_one "$w" "$t" "$r"
            fi
            i=$((i + 1))
        done
    done
    r=$((r + 1))
done
elapsed=$(( $(date +%s) - start ))
else
    # --report-only: the report of the last run's results.tsv again
    [ -s "$res" ] || { echo "run.sh: no $res" >&2; exit 1; }
    rounds=$(awk -F'\t' '$3 > r { r = $3 } END { print r }' "$res")
    elapsed="?"
    load0="?"
fi

# ---------------------------------------------------------------- report
report=$dir/report.md
if [ "$report_only" = 0 ]; then
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$repo" status --porcelain -- src 2>/dev/null)" ]; then rev="$rev (src/ modified)"; fi
    {
        echo "## Results $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo
        echo "- machine: $(nproc) CPUs, $cpu, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
        echo "- miruo: \`$miruo_src\` (sha256 $miruo_sum) at $rev; $("$miruo" -V 2>&1 | tr '\n' ' ' | sed 's/^ *//; s/ *$//')"
        echo "- tcpdump: $(tcpdump --version 2>&1 | head -1); TZ=${TZ-(unset)}"
        echo "- load average before / after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "- files in $data ($(stat -f -c %T "$data"))"
        echo "- command: \`bench/run.sh$([ "$quick" = 1 ] && echo ' --quick') --rounds $rounds\`; $rounds rounds, ${elapsed} s; medians of wall time, peak RSS the largest of the rounds"
        echo
    } >"$dir/results.head"
fi
{
    cat "$dir/results.head"
    for w in $workloads; do
        f=$(wl_file "$w")
        pk=$(cat "$f.count")
        echo "### $w: \`genload $(wl_args "$w")\` ($pk packets, $(( $(stat -c %s "$f") / 1048576 )) MiB)"
        echo
        echo "| tool | median wall s | wall min-max | median CPU s | packets/s | ratio to floor | CPU ratio | peak RSS MB |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for t in $(wl_tools "$w"); do
            awk -F'\t' -v w="$w" -v t="$t" -v pk="$pk" -v label="$(tool_label "$t")" '
                $1 == w && $2 == "floor" { fl[++nf] = $4; fc[nf] = $5 + $6 }
                $1 == w && $2 == t { v[++n] = $4; c[n] = $5 + $6; if ($7 > rss) rss = $7 }
                function median(a, k,   i, j, x) {
                    for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
                    return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
                }
                END {
                    if (!n) exit
                    m = median(v, n); f = median(fl, nf); mc = median(c, n); fcm = median(fc, nf)
                    # median() sorted v: v[1] is the least, v[n] the most
                    printf "| %s | %.3f | %.2f-%.2f | %.3f | %.2f M | %.2fx | %.2fx | %.1f |\n", label, m, v[1], v[n], mc, pk / m / 1e6, m / f, mc / fcm, rss / 1024
                }' "$res"
        done
        echo
    done

    # per-packet time, 1k vs 200k sessions open at once
    for pair in "conc1k same sessions and packets, $conc1k_c open at a time" \
                "long1k $conc1k_c long sessions, the same packet count (information)"; do
        few=${pair%% *}
        case " $workloads " in *" conc "*) case " $workloads " in *" $few "*)
        echo "### Concurrency: time per packet, $conc1k_c vs $conc_c sessions open at once ($few: ${pair#* })"
        echo
        echo "| tool | ns/packet at $conc1k_c | ns/packet at $conc_c | change | CPU ns/packet at $conc1k_c | at $conc_c | change |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        for t in floor miruo-big; do
            awk -F'\t' -v t="$t" -v few="$few" -v pk="$conc_p" -v label="$(tool_label "$t")" '
                function median(a, k,   i, j, x) {
                    for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
                    return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
                }
                $2 == t && $1 == few { a[++na] = $4; ac[na] = $5 + $6 }
                $2 == t && $1 == "conc" { b[++nb] = $4; bc[nb] = $5 + $6 }
                END {
                    x = median(a, na) / pk * 1e9; y = median(b, nb) / pk * 1e9
                    xc = median(ac, na) / pk * 1e9; yc = median(bc, nb) / pk * 1e9
                    printf "| %s | %.0f | %.0f | %+.0f%% | %.0f | %.0f | %+.0f%% |\n", label, x, y, (y / x - 1) * 100, xc, yc, (yc / xc - 1) * 100
                }' "$res"
        done
        echo
        ;; esac ;; esac
    done

    # targets of the performance issue
    echo "### Targets"
    echo
    echo "| target | measured (wall) | verdict | CPU time (user+sys) |"
    echo "| --- | ---: | --- | ---: |"
    awk -F'\t' -v big="$big_limits" '
        function median(a, k,   i, j, x) {
            for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
            return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
        }
        { key = $1 SUBSEP $2; c[key]++; val[key, c[key]] = $4; cpu[key, c[key]] = $5 + $6
          if ($2 == "miruo" || $2 == "miruo-all") { if ($7 > maxrss) { maxrss = $7; maxrss_at = $2 " on " $1 } } }
        function med(w, t, usecpu,   k, i, a) {
            k = c[w, t]; if (!k) return -1
            for (i = 1; i <= k; i++) a[i] = usecpu ? cpu[w SUBSEP t, i] : val[w SUBSEP t, i]
            return median(a, k)
        }
        function ratio(w, t, usecpu,   f, m) { f = med(w, "floor", usecpu); m = med(w, t, usecpu); return (f > 0 && m > 0) ? m / f : "none" }
        function rise(usecpu, t,   a, b) {
            a = med("conc1k", t, usecpu); b = med("conc", t, usecpu)
            return (a > 0 && b > 0) ? (b / a - 1) * 100 : "none"
        }
        function row(name, x, limit, fmt, xc) {
            if (x == "none") { printf "| %s | not run | - | - |\n", name; return }
            printf "| %s | " fmt " | %s | " fmt " |\n", name, x, x <= limit ? "PASS" : "FAIL", xc
        }
        END {
            row("web, default mode <= 1.3x floor", ratio("web", "miruo"), 1.3, "%.2fx", ratio("web", "miruo", 1))
            row("web, `--all -C0` <= 2x floor", ratio("web", "miruo-all"), 2.0, "%.2fx", ratio("web", "miruo-all", 1))
            row("bulk, default mode <= 1.5x floor", ratio("bulk", "miruo"), 1.5, "%.2fx", ratio("bulk", "miruo", 1))
            row("concurrent, `" big "` <= 2x floor", ratio("conc", "miruo-big"), 2.0, "%.2fx", ratio("conc", "miruo-big", 1))
            row("time/packet rise, few -> many open sessions <= +30%", rise(0, "miruo-big"), 30, "%+.0f%%", rise(1, "miruo-big"))
            if (rise(0, "floor") != "none")
                printf "| the floor'"'"'s own rise on the same pair (information) | %+.0f%% | - | %+.0f%% |\n", rise(0, "floor"), rise(1, "floor")
            if (maxrss) printf "| peak RSS, default limits, every workload <= 16 MB | %.1f MB (%s) | %s | - |\n", maxrss / 1024, maxrss_at, maxrss <= 16384 ? "PASS" : "FAIL"
        }' "$res"
    echo
} >"$report"

cat "$report"
log "report in $report, raw numbers in $res"
if [ "$clean" = 1 ]; then
    for w in $workloads; do f=$(wl_file "$w"); rm -f "$f" "$f.count" "$f.log"; done
    rmdir "$data" 2>/dev/null || true
fi
