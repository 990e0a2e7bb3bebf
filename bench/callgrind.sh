#!/bin/bash
# bench/callgrind.sh - instructions per packet, counted by callgrind.
#
#   bench/callgrind.sh [--miruo PATH] [--dir DIR] [--top N]
#
# Runs valgrind --tool=callgrind on small files (deterministic, so the
# counts repeat exactly from run to run on the same build):
#   web   genload web 1000             (~19k packets)
#   conc  genload concurrent 20000 2000
# for the floor, miruo default, miruo --all and (conc) miruo with large
# limits.  The fixed start-up cost is measured on an empty capture and
# subtracted: Ir/packet = (Ir(file) - Ir(empty)) / packets.  Then the top
# N functions by self instructions for each miruo run (callgrind_annotate).
# Files go to DIR (default /tmp/miruo-bench/callgrind).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
miruo="$repo/src/miruo"
dir=/tmp/miruo-bench/callgrind
top=12

while [ $# -gt 0 ]; do
    case $1 in
    --miruo) miruo=${2:?}; shift ;;
    --miruo=*) miruo=${1#*=} ;;
    --dir) dir=${2:?}; shift ;;
    --dir=*) dir=${1#*=} ;;
    --top) top=${2:?}; shift ;;
    --top=*) top=${1#*=} ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "callgrind.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is needed" >&2; exit 1; }
[ -x "$miruo" ] || { echo "callgrind.sh: $miruo is not an executable" >&2; exit 1; }

mkdir -p "$dir"
gcc -O2 -std=c99 -Wall -Wextra -o "$dir/genload" "$here/genload.c"
gcc -O3 -g -std=c99 -Wall -Wextra -o "$dir/floor" "$here/floor.c" -lpcap
miruo_orig=$(cd "$(dirname "$miruo")" && pwd)/$(basename "$miruo")
cp "$miruo" "$dir/miruo"            # a stable copy while others rebuild
miruo=$dir/miruo

"$dir/genload" web 0 "$dir/empty.pcap" 2>/dev/null
"$dir/genload" web 1000 "$dir/web.pcap" 2>/dev/null
"$dir/genload" concurrent 20000 2000 "$dir/conc.pcap" 2>/dev/null
count() { "$dir/floor" "$1" | cut -d' ' -f1; }

# Ir of one run: callgrind's "summary:" line (all instructions executed)
ir() {   # name command...
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/$name.out" "$@" \
        >/dev/null 2>"$dir/$name.log"
    sed -n 's/^summary: *//p' "$dir/$name.out" | cut -d' ' -f1
}

big="-L 300000 -l 2000000"
# name|file|program|arguments
runs="floor|web|floor|
miruo|web|miruo|-C0
miruo-all|web|miruo|--all -C0
floor|conc|floor|
miruo-big|conc|miruo|-C0 $big
miruo-all-big|conc|miruo|--all -C0 $big"

run_ir() {   # name program args file
    # shellcheck disable=SC2086
    if [ "$2" = floor ]; then ir "$1" "$dir/floor" "$4"
    else ir "$1" "$dir/miruo" $3 -f "$4"; fi
}

echo "### callgrind: instructions per packet"
echo
echo "- miruo: \`$miruo_orig\` (sha256 $(sha256sum "$miruo" | cut -c1-12))"
echo "- $(valgrind --version); Ir/packet = (Ir(file) - Ir(empty file)) / packets"
echo
echo "| file | packets | command | Ir total | Ir empty file | Ir/packet |"
echo "| --- | ---: | --- | ---: | ---: | ---: |"
declare -A base
while IFS='|' read -r name file prog args; do
    key="$prog $args"
    if [ -z "${base[$key]:-}" ]; then
        base[$key]=$(run_ir "empty-$name" "$prog" "$args" "$dir/empty.pcap")
    fi
    total=$(run_ir "$file-$name" "$prog" "$args" "$dir/$file.pcap")
    pk=$(count "$dir/$file.pcap")
    echo "| $file | $pk | \`$prog${args:+ $args}\` | $total | ${base[$key]} | $(( (total - base[$key]) / pk )) |"
done <<EOF2
$runs
EOF2

for f in web-miruo web-miruo-all conc-miruo-big; do
    printf '\n#### Top %s functions by self Ir: %s\n\n```\n' "$top" "$f"
    callgrind_annotate --inclusive=no "$dir/$f.out" 2>/dev/null |
        grep -E '^ *[0-9,]+ +\( *[0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' |
        head -n "$top" | sed -E 's| \[[^]]*\]$||; s#  [^ ]*/([^/ ]+:)#  \1#'
    printf '```\n'
done
