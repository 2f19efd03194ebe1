#!/usr/bin/env bash
# Image commands on berthd and on Debian's dockerd side by side: same docker CLI, same machine,
# one run, rounds alternating between the daemons. Prints medians and berthd/dockerd ratios
# (below 1 means berthd is faster) and the daemons' memory.
# usage: bench/images.sh [ROUNDS]      (needs root; builds berthd in Release if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
work=/var/lib/berth-bench
. bench/lib.sh
trap bench_cleanup EXIT
bench_cleanup

echo "building test images..." >&2
scripts/make-busybox-image.sh "$work/busybox.tar" busybox:latest >/dev/null
bench/make-bench-image.sh "$work/big.tar" big:latest /usr/lib/python3.11 /usr/share/doc >/dev/null
echo "big image: $(du -h "$work/big.tar" | cut -f1), $(tar xOf "$work/big.tar" --wildcards '*/layer.tar' | tar t 2>/dev/null | wc -l) files" >&2

bench_start_daemons

measure "load busybox (2 MB, 1 layer)" 'd $H rmi -f busybox' 'd $H load -i $work/busybox.tar'
measure "load big (3 layers)" 'd $H rmi -f big' 'd $H load -i $work/big.tar'
measure "save big -o file" 'rm -f $work/out.tar' 'd $H save -o $work/out.tar big'
measure "history big" '' 'd $H history big'
measure "image inspect busybox" '' 'd $H image inspect busybox'
for host in "$berth_host" "$dockerd_host"; do for i in $(seq 100); do d "$host" tag busybox "many/tag$i:v$i"; done; done
measure "images (101 tags)" '' 'd $H images'
measure "rmi big" 'd $H load -i $work/big.tar' 'd $H rmi big'

dockerd_pid=$(cat /var/lib/berth-oracle/bench-dockerd/docker.pid 2>/dev/null || pgrep -f 'dockerd.*bench-dockerd' | head -1)
containerd_pid=$(pgrep -f 'containerd --config /var/lib/berth-oracle/bench-dockerd' | head -1)
berth_rss=$(rss_of "$berth_pid")
dockerd_rss=$(rss_of "$dockerd_pid" "$containerd_pid")

echo
report "load busybox (2 MB, 1 layer)" "load big (3 layers)" "save big -o file" "history big" "image inspect busybox" "images (101 tags)" "rmi big"
printf '| memory after the run (RSS) | %s MB | %s MB (dockerd + containerd) | %s |\n' "$berth_rss" "$dockerd_rss" \
  "$(ratio "$berth_rss" "$dockerd_rss")"
