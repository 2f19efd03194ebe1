# Shared by the bench scripts (sourced): starts berthd and Debian's dockerd side by side, each in
# a network namespace of its own, and times commands on both with the same docker CLI, rounds
# alternating between the daemons. Set before sourcing: work (scratch directory), rounds.
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
berthd=src/Berth.Daemon/bin/Release/net10.0/berthd
# Names of this run's namespace, oracle, exec root and cgroup; a script may set its own before sourcing.
ns=${ns:-bench-berth}
oracle=${oracle:-bench-dockerd}
exec_root=${exec_root:-/run/bb}
cgroup=${cgroup:-berth-bench}

bench_cleanup() {
  [ -n "${berth_pid:-}" ] && kill -TERM "$berth_pid" 2>/dev/null && sleep 1
  for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns delete $ns 2>/dev/null || true
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  scripts/oracle-dockerd.sh stop $oracle >/dev/null 2>&1 || true
  for d in /sys/fs/cgroup/*/$cgroup; do
    [ -d "$d" ] || continue
    find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
    rmdir "$d" 2>/dev/null || true
  done
  rm -rf "$work"
}

# Starts both daemons; sets berth_host, dockerd_host, berth_pid, DOCKER_CONFIG.
bench_start_daemons() {
  [ -x "$berthd" ] || dotnet build src/Berth.Daemon -c Release -nologo -v quiet
  mkdir -p "$work/berth"
  ip netns add $ns && nsenter --net=/run/netns/$ns ip link set lo up
  echo '{}' > "$work/berth/daemon.json"
  nsenter --net=/run/netns/$ns "$berthd" --data-root "$work/berth/data" --exec-root "$exec_root" --cgroup-parent "/$cgroup" \
    -H "unix://$work/berth/berth.sock" --config-file "$work/berth/daemon.json" >"$work/berth.log" 2>&1 &
  berth_pid=$!
  for _ in $(seq 200); do curl -fsS --unix-socket "$work/berth/berth.sock" http://x/_ping >/dev/null 2>&1 && break; sleep 0.05; done
  berth_host="unix://$work/berth/berth.sock"
  dockerd_host=$(scripts/oracle-dockerd.sh start $oracle | tail -1)
  export DOCKER_CONFIG="$work/docker-config"
  mkdir -p "$DOCKER_CONFIG"
}

d() { DOCKER_HOST=$1 "$docker_cli" "${@:2}"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
ratio() { awk -v b="$1" -v o="$2" 'BEGIN {printf "%.2f", b / o}'; }
rss_of() { local total=0; for p in "$@"; do [ -r "/proc/$p/status" ] && total=$(( total + $(awk '/VmRSS/ {print $2}' "/proc/$p/status") )); done; echo $(( total / 1024 )); }

# measure NAME SETUP COMMAND: SETUP (untimed) then COMMAND (timed) on each daemon, alternating, $rounds times.
# $H is the daemon's host inside SETUP and COMMAND. Results land in results[NAME] as "berthd dockerd" medians.
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
  printf '%-40s berthd %7s ms   dockerd %7s ms\n' "$name" ${results[$name]} >&2
}

# Prints the results table for the given names.
report() {
  echo "| operation (median of $rounds) | berthd | dockerd 20.10 | ratio |"
  echo "|---|---:|---:|---:|"
  for name in "$@"; do
    read -r b o <<<"${results[$name]}"
    printf '| %s | %s ms | %s ms | %s |\n' "$name" "$b" "$o" "$(ratio "$b" "$o")"
  done
}
