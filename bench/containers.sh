#!/usr/bin/env bash
# Container commands on berthd and on Debian's dockerd side by side: same docker CLI, same machine,
# one run, rounds alternating between the daemons. Prints medians and berthd/dockerd ratios
# (below 1 means berthd is faster) and the memory of each engine.
#   - docker run --rm busybox true                       (ROUNDS rounds, default 21; both on their default bridge)
#   - docker run --rm --network none busybox true        (ROUNDS rounds: the same without a network)
#   - 100 x docker run -d busybox sleep 1000, then docker rm -f of all of them  (3 rounds)
#   - docker ps -a with 500 containers                   (ROUNDS rounds)
#   - memory: idle, and with 20 running containers (berthd + its conmons; dockerd + containerd + shims)
# usage: bench/containers.sh [ROUNDS]      (needs root; builds berthd in Release if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}
work=/var/lib/berth-bench-ctr
# Both daemons run containers on their default bridge network, as `docker run` does by default.
export ORACLE_NETWORK=1
. bench/lib.sh

cleanup() {
  # berthd leaves its containers running when it stops (live restore): end them first.
  pkill -9 -f 'conmon .*/run/bb/' 2>/dev/null || true
  for procs in /sys/fs/cgroup/pids/berth-bench/*/cgroup.procs; do [ -f "$procs" ] && xargs -r kill -9 < "$procs" 2>/dev/null; done
  grep ' /run/bb/' /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  [ -n "${dockerd_host:-}" ] && d "$dockerd_host" rm -f $(d "$dockerd_host" ps -aq) >/dev/null 2>&1 || true
  bench_cleanup
  rm -rf /run/bb
}
trap cleanup EXIT
cleanup

scripts/make-busybox-image.sh "$work.busybox.tar" busybox:latest >/dev/null
bench_start_daemons
mv "$work.busybox.tar" "$work/busybox.tar"
for host in "$berth_host" "$dockerd_host"; do d "$host" load -i "$work/busybox.tar" >/dev/null; done

dockerd_pid=$(cat /var/lib/berth-oracle/$oracle/dockerd.pid 2>/dev/null || pgrep -f "dockerd.*$oracle" | head -1)
containerd_pid=$(pgrep -f "containerd --config /var/lib/berth-oracle/$oracle" | head -1)
berth_engine_mb() { rss_of "$berth_pid" $(pgrep -f 'conmon .*/run/bb/' || true); }
dockerd_engine_mb() { rss_of "$dockerd_pid" "$containerd_pid" $(pgrep -f "containerd-shim-runc-v2 -namespace berth-$oracle" || true); }
d "$berth_host" run --rm busybox true; d "$dockerd_host" run --rm busybox true 2>/dev/null
idle_berth=$(berth_engine_mb); idle_dockerd=$(dockerd_engine_mb)

measure "run --rm busybox true" '' 'd $H run --rm busybox true'
measure "run --rm --network none busybox true" '' 'd $H run --rm --network none busybox true'

run100="100 x run -d busybox sleep 1000"
rm100="docker rm -f of those 100"
saved_rounds=$rounds; rounds=3
measure "$run100" 'd $H rm -f $(d $H ps -aq)' 'for i in $(seq 100); do d $H run -d busybox sleep 1000; done'
measure "$rm100" 'for i in $(seq $(( 100 - $(d $H ps -q | wc -l) ))); do d $H run -d busybox sleep 1000; done' 'd $H rm -f $(d $H ps -aq)'
rounds=$saved_rounds

for host in "$berth_host" "$dockerd_host"; do
  for i in $(seq 20); do d "$host" run -d busybox sleep 1000 >/dev/null 2>&1; done
done
busy_berth=$(berth_engine_mb); busy_dockerd=$(dockerd_engine_mb)
for host in "$berth_host" "$dockerd_host"; do d "$host" rm -f $(d "$host" ps -aq) >/dev/null; done

echo "creating 500 containers on each daemon..." >&2
for host in "$berth_host" "$dockerd_host"; do
  for i in $(seq 500); do d "$host" create busybox true >/dev/null 2>&1; done
done
measure "ps -a (500 containers)" '' 'd $H ps -a'

echo
report "run --rm busybox true" "run --rm --network none busybox true" "$run100" "$rm100" "ps -a (500 containers)"
printf '| memory, idle (RSS) | %s MB | %s MB | %s |\n' "$idle_berth" "$idle_dockerd" "$(ratio "$idle_berth" "$idle_dockerd")"
printf '| memory, 20 containers running (engine + monitors/shims) | %s MB | %s MB | %s |\n' "$busy_berth" "$busy_dockerd" "$(ratio "$busy_berth" "$busy_dockerd")"
