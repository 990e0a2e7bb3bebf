# shellcheck shell=bash
# tests/lib.sh - shell helpers shared by the test driver (tests/run-tests.sh)
# and bench/live.sh: netns_pair, wait_for.  Sourced, not run.

# netns_pair NS_SRV NS_CLI IF_SRV IF_CLI SRV_IP CLI_IP : two network
# namespaces joined by a veth pair on a /24, every link up.  On failure
# prints why (for skip) and returns 1.
netns_pair() {
    if ! { ip netns add "$1" 2>/dev/null &&
           ip netns add "$2" 2>/dev/null &&
           ip link add "$3" type veth peer name "$4" 2>/dev/null &&
           ip link set "$3" netns "$1" &&
           ip link set "$4" netns "$2" &&
           ip -n "$1" addr add "$5/24" dev "$3" &&
           ip -n "$2" addr add "$6/24" dev "$4" &&
           ip -n "$1" link set "$3" up &&
           ip -n "$2" link set "$4" up &&
           ip -n "$1" link set lo up &&
           ip -n "$2" link set lo up; }; then
        echo "cannot create network namespaces and a veth pair here"
        return 1
    fi
}

# wait_for FILE PATTERN : until FILE matches PATTERN (grep's basic regular
# expressions), up to ~5 s.
wait_for() {
    local _
    for _ in $(seq 50); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
