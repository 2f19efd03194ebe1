#!/usr/bin/env bash
# Image commands on berthd and on Debian's dockerd side by side: same docker CLI, same machine,
# one run, rounds alternating between the daemons. Prints medians and berthd/dockerd ratios
# (below 1 means berthd is faster) and the daemons' memory.
# usage: bench/images.sh [ROUNDS]      (needs root; builds berthd in Release if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=/var/lib/berth-bench
berthd=src/Berth.Daemon/bin/Release/net10.0/berthd
ns=bench-berth

cleanup() {
  [ -n "${berth_pid:-}" ] && kill -TERM "$berth_pid" 2>/dev/null && sleep 1
  for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns delete $ns 2>/dev/null || true
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  scripts/oracle-dockerd.sh stop bench-dockerd >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cleanup
mkdir -p "$work/berth"

[ -x "$berthd" ] || dotnet build src/Berth.Daemon -c Release -nologo -v quiet
echo "building test images..." >&2
scripts/make-busybox-image.sh "$work/busybox.tar" busybox:latest >/dev/null
bench/make-bench-image.sh "$work/big.tar" big:latest /usr/lib/python3.11 /usr/share/doc >/dev/null
echo "big image: $(du -h "$work/big.tar" | cut -f1), $(tar xOf "$work/big.tar" --wildcards '*/layer.tar' | tar t 2>/dev/null | wc -l) files" >&2

ip netns add $ns && nsenter --net=/run/netns/$ns ip link set lo up
echo '{}' > "$work/berth/daemon.json"
nsenter --net=/run/netns/$ns "$berthd" --data-root "$work/berth/data" --exec-root "$work/berth/exec" \
  -H "unix://$work/berth/berth.sock" --config-file "$work/berth/daemon.json" >"$work/berth.log" 2>&1 &
berth_pid=$!
for _ in $(seq 200); do curl -fsS --unix-socket "$work/berth/berth.sock" http://x/_ping >/dev/null 2>&1 && break; sleep 0.05; done
berth_host="unix://$work/berth/berth.sock"
dockerd_host=$(scripts/oracle-dockerd.sh start bench-dockerd | tail -1)
export DOCKER_CONFIG="$work/docker-config"
mkdir -p "$DOCKER_CONFIG"

d() { DOCKER_HOST=$1 "$docker_cli" "${@:2}"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

# measure NAME SETUP COMMAND: SETUP (untimed) then COMMAND (timed) on each daemon, alternating, $rounds times.
declare -A results
measure() {
  local name=$1 setup=$2 cmd=$3 b=() o=() start
  for ((i = 0; i < rounds; i++)); do
    for target in berth dockerd; do
      local host=$berth_host; [ $target = dockerd ] && host=$dockerd_host
      H=$host eval "$setup" >/dev/null 2>&1 || true
      start=$(now_ms)
      H=$host eval "$cmd" >/dev/null 2>&1 || { echo "failed on $target: $cmd" >&2; exit 1; }
      if [ $target = berth ]; then b+=($(( $(now_ms) - start ))); else o+=($(( $(now_ms) - start ))); fi
    done
  done
  results[$name]="$(printf '%s\n' "${b[@]}" | median) $(printf '%s\n' "${o[@]}" | median)"
  printf '%-34s berthd %7s ms   dockerd %7s ms\n' "$name" ${results[$name]} >&2
}

measure "load busybox (2 MB, 1 layer)" 'd $H rmi -f busybox' 'd $H load -i $work/busybox.tar'
measure "load big (3 layers)" 'd $H rmi -f big' 'd $H load -i $work/big.tar'
measure "save big -o file" 'rm -f $work/out.tar' 'd $H save -o $work/out.tar big'
measure "history big" '' 'd $H history big'
measure "image inspect busybox" '' 'd $H image inspect busybox'
for host in "$berth_host" "$dockerd_host"; do for i in $(seq 100); do d "$host" tag busybox "many/tag$i:v$i"; done; done
measure "images (101 tags)" '' 'd $H images'
measure "rmi big" 'd $H load -i $work/big.tar' 'd $H rmi big'

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
dockerd_pid=$(cat /var/lib/berth-oracle/bench-dockerd/docker.pid 2>/dev/null || pgrep -f 'dockerd.*bench-dockerd' | head -1)
containerd_pid=$(pgrep -f 'containerd --config /var/lib/berth-oracle/bench-dockerd' | head -1)
berth_rss=$(( $(rss_kb "$berth_pid") / 1024 ))
dockerd_rss=$(( ($(rss_kb "$dockerd_pid") + $(rss_kb "$containerd_pid")) / 1024 ))

echo
echo "| operation (median of $rounds) | berthd | dockerd 20.10 | ratio |"
echo "|---|---:|---:|---:|"
for name in "load busybox (2 MB, 1 layer)" "load big (3 layers)" "save big -o file" "history big" "image inspect busybox" "images (101 tags)" "rmi big"; do
  read -r b o <<<"${results[$name]}"
  printf '| %s | %s ms | %s ms | %s |\n' "$name" "$b" "$o" "$(awk -v b="$b" -v o="$o" 'BEGIN {printf "%.2f", b / o}')"
done
printf '| memory after the run (RSS) | %s MB | %s MB (dockerd + containerd) | %s |\n' "$berth_rss" "$dockerd_rss" \
  "$(awk -v b="$berth_rss" -v o="$dockerd_rss" 'BEGIN {printf "%.2f", b / o}')"
