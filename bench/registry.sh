#!/usr/bin/env bash
# docker push and docker pull through a local registry, berthd and Debian's dockerd 20.10 side by
# side: same docker CLI, same machine, one run, rounds alternating between the daemons. Each daemon
# has its own docker-registry on 127.0.0.1:5000 inside its network namespace. The image is about
# 100 MB in four layers of random (incompressible) data on busybox. Every push starts from an
# empty registry, every pull from a daemon without the image. Prints medians, MB/s and ratios.
# usage: bench/registry.sh [ROUNDS]      (needs root; builds berthd in Release if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
work=/var/lib/berth-bench-registry
ns=bench-reg-berth oracle=bench-reg-dockerd exec_root=/run/bbr cgroup=berth-bench-registry
. bench/lib.sh
trap bench_cleanup EXIT
bench_cleanup

image=127.0.0.1:5000/bench/random:v1
echo "building the test image..." >&2
mkdir -p "$work/random"
for i in 1 2 3 4; do
  mkdir -p "$work/random/layer$i"
  head -c $((25 * 1024 * 1024)) /dev/urandom > "$work/random/layer$i/data.bin"
done
bench/make-bench-image.sh "$work/random.tar" "$image" "$work"/random/layer{1,2,3,4} >/dev/null
size_mb=$(tar xOf "$work/random.tar" --wildcards '*/layer.tar' | wc -c | awk '{printf "%.1f", $1 / 1048576}')
echo "image: $size_mb MB of layers" >&2

bench_start_daemons

# registry_restart NETNS: a fresh docker-registry with empty storage on 127.0.0.1:5000 in NETNS.
registry_restart() {
  local netns=$1 dir=$work/registry-$1
  [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null && while kill -0 "$(cat "$dir/pid")" 2>/dev/null; do sleep 0.02; done
  rm -rf "$dir" && mkdir -p "$dir"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:5000\n' "$dir/storage" > "$dir/config.yml"
  nsenter --net=/run/netns/"$netns" docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  echo $! > "$dir/pid"
  disown $!
  for _ in $(seq 200); do nsenter --net=/run/netns/"$netns" curl -fsS -o /dev/null http://127.0.0.1:5000/v2/ 2>/dev/null && return; sleep 0.05; done
  echo "docker-registry did not start in $netns" >&2; exit 1
}
netns_of() { if [ "$1" = "$berth_host" ]; then echo $ns; else echo $oracle; fi; }

for host in "$berth_host" "$dockerd_host"; do d "$host" load -i "$work/random.tar" >/dev/null; done
measure "push" 'registry_restart $(netns_of $H)' 'd $H push $image'
measure "pull" 'd $H rmi -f $image' 'd $H pull $image'

echo
echo "| operation (median of $rounds, $size_mb MB) | berthd | dockerd 20.10 | berthd / dockerd (time) |"
echo "|---|---:|---:|---:|"
for name in push pull; do
  read -r b o <<<"${results[$name]}"
  mbs() { awk -v s="$size_mb" -v ms="$1" 'BEGIN {printf "%.0f", s / (ms / 1000)}'; }
  printf '| `docker %s` | %s ms (%s MB/s) | %s ms (%s MB/s) | %s |\n' "$name" "$b" "$(mbs "$b")" "$o" "$(mbs "$o")" "$(ratio "$b" "$o")"
done
