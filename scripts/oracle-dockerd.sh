#!/usr/bin/env bash
# oracle-dockerd.sh - run a throw-away reference dockerd (Debian 20.10) to
# record how the real daemon behaves, isolated from the host.
#
#   oracle-dockerd.sh start NAME   start dockerd in network namespace NAME;
#                                  prints unix:///var/lib/berth-oracle/NAME/docker.sock
#   oracle-dockerd.sh stop NAME    stop it and remove every trace (idempotent)
#
# Isolation:
#   * network: dockerd runs via `nsenter --net=/run/netns/NAME` in a fresh netns
#     holding only `lo` (never `ip netns exec`, which remounts /sys), with
#     --bridge=none and iptables/ip6tables/ip-masq/ip-forward/userland-proxy off.
#   * state: own --data-root, --exec-root, --pidfile, socket, --cgroup-parent and
#     --config-file (so /etc/docker/daemon.json is never read; it only sets
#     "deprecated-key-path", else 20.10 writes /etc/docker/key.json).
#   * containerd: dockerd 20.10 starts its own containerd with its socket at
#     EXEC/containerd/containerd.sock, state under EXEC/containerd and root under
#     DATA/containerd, so per-NAME exec/data roots keep instances apart.  But if
#     /run/containerd/containerd.sock exists dockerd 20.10 silently uses that
#     system containerd instead; the per-NAME --containerd-namespace keeps the
#     objects apart even then (start warns when it happens).
#
# Needs root.  Environment: ORACLE_BASE (default /var/lib/berth-oracle),
# DOCKERD (default /usr/sbin/dockerd), ORACLE_START_TIMEOUT (seconds, default 60),
# ORACLE_EXTRA_ARGS (extra dockerd flags, word-split), ORACLE_NETWORK=1 (dockerd's default networking:
# docker0 and iptables, inside the oracle's namespace, instead of --bridge=none).
set -euo pipefail

BASE=${ORACLE_BASE:-/var/lib/berth-oracle}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
START_TIMEOUT=${ORACLE_START_TIMEOUT:-60}

die() { echo "oracle-dockerd: $*" >&2; exit 1; }
log() { echo "oracle-dockerd: $*" >&2; }

check_name() {
  [[ ${1:-} =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$ ]] || die "bad or missing NAME: '${1:-}'"
}

# pid of our dockerd if the pidfile names a live dockerd process, else empty.
dockerd_pid() {
  local pidfile=$1 pid
  [[ -r $pidfile ]] || return 0
  pid=$(tr -dc 0-9 <"$pidfile")
  [[ -n $pid && -d /proc/$pid ]] || return 0
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == *dockerd* ]] && echo "$pid"
  return 0
}

# wait until none of the given pids is alive, or the deadline (seconds) passes.
wait_gone() {
  local secs=$1; shift
  local end=$((SECONDS + secs)) p alive
  while :; do
    alive=0
    for p in "$@"; do
      # a zombie counts as gone
      if [[ -d /proc/$p ]] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then alive=1; fi
    done
    ((alive)) || return 0
    ((SECONDS < end)) || return 1
    sleep 0.1
  done
}

# kill a list of pids: TERM, wait up to $1 seconds, then KILL.
kill_pids() {
  local secs=$1; shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  wait_gone "$secs" "$@" && return 0
  kill -KILL "$@" 2>/dev/null || true
  wait_gone 10 "$@" || log "warning: pids still alive: $*"
}

# mount points (unescaped) at or below $1, deepest first.
mounts_under() {
  local root=$1
  awk -v root="$root" '
    function unesc(s,   out, i, c) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
          out = out sprintf("%c", (substr(s, i + 1, 1) * 64) + (substr(s, i + 2, 1) * 8) + substr(s, i + 3, 1))
          i += 3
        } else out = out c
      }
      return out
    }
    { mp = unesc($5); if (mp == root || index(mp, root "/") == 1) print gsub("/", "/", mp) "\t" NR "\t" mp }
  ' /proc/self/mountinfo | sort -t$'\t' -k1,1nr -k2,2nr | cut -f3-
}

# cgroup directories (all v1 hierarchies + unified) belonging to this instance.
cgroup_dirs() {
  local name=$1 d
  for d in /sys/fs/cgroup/*/"berth-oracle-$name" /sys/fs/cgroup/"berth-oracle-$name"; do
    [[ -d $d ]] && echo "$d"
  done
  return 0
}

cmd_start() {
  local name=$1
  local dir=$BASE/$name
  local sock=$dir/docker.sock pidfile=$dir/dockerd.pid logf=$dir/dockerd.log
  local pid

  pid=$(dockerd_pid "$pidfile")
  [[ -z $pid ]] || die "$name already running (pid $pid); stop it first"
  # leftovers of a failed run: clean them first
  if [[ -e $dir ]] || ip netns list | awk '{print $1}' | grep -qx "$name"; then
    log "cleaning leftovers of a previous '$name'"
    cmd_stop "$name"
  fi

  ip netns add "$name"
  ip -n "$name" link set lo up
  mkdir -p "$dir/data" "$dir/exec"
  # own config file: /etc/docker/daemon.json is never read, and the daemon's
  # identity key goes to DIR/key.json instead of /etc/docker/key.json
  printf '{"deprecated-key-path": "%s"}\n' "$dir/key.json" >"$dir/daemon.json"

  if [[ -S /run/containerd/containerd.sock ]]; then
    log "warning: /run/containerd/containerd.sock exists; dockerd 20.10 will use that containerd (namespace berth-$name) instead of its own"
  fi

  # setsid: own session, so the caller's terminal/job control cannot signal it.
  # nsenter execs dockerd, so $! is dockerd's pid too.
  # ORACLE_NETWORK=1: dockerd's default networking (docker0, iptables in its own namespace, the userland proxy).
  local network_flags="--bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false --userland-proxy=false"
  [[ ${ORACLE_NETWORK:-0} == 1 ]] && network_flags=""
  # shellcheck disable=SC2086
  setsid nsenter --net="/run/netns/$name" -- "$DOCKERD" \
    --data-root "$dir/data" \
    --exec-root "$dir/exec" \
    --pidfile "$pidfile" \
    --config-file "$dir/daemon.json" \
    -H "unix://$sock" \
    --containerd-namespace "berth-$name" \
    --containerd-plugins-namespace "berth-$name-plugins" \
    --cgroup-parent "/berth-oracle-$name" \
    $network_flags \
    ${ORACLE_EXTRA_ARGS:-} \
    </dev/null >>"$logf" 2>&1 &
  pid=$!

  local end=$((SECONDS + START_TIMEOUT))
  until [[ -S $sock ]] && [[ $(curl -sS --max-time 2 --unix-socket "$sock" http://localhost/_ping 2>/dev/null) == OK ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$logf" >&2 || true
      die "dockerd exited during start-up (log: $logf)"
    fi
    if ((SECONDS >= end)); then
      tail -n 20 "$logf" >&2 || true
      die "dockerd did not answer /_ping within ${START_TIMEOUT}s (log: $logf)"
    fi
    sleep 0.1
  done
  echo "unix://$sock"
}

cmd_stop() {
  local name=$1
  local dir=$BASE/$name pid pids m i left

  # 1. dockerd itself (it stops containers and its containerd on SIGTERM)
  pid=$(dockerd_pid "$dir/dockerd.pid")
  if [[ -n $pid ]]; then
    kill_pids 30 "$pid"
  fi

  # 2. anything left in the netns (managed containerd, shims, http servers...)
  if ip netns list | awk '{print $1}' | grep -qx "$name"; then
    mapfile -t pids < <(ip netns pids "$name" 2>/dev/null || true)
    ((${#pids[@]} == 0)) || kill_pids 10 "${pids[@]}"
  fi

  # 3. container processes live in their own netns: find them by cgroup
  #    (a container's pid 1 ignores SIGTERM, so do not wait long before KILL)
  mapfile -t pids < <(for m in $(cgroup_dirs "$name"); do find "$m" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -un)
  ((${#pids[@]} == 0)) || kill_pids 2 "${pids[@]}"
  for m in $(cgroup_dirs "$name"); do
    find "$m" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done

  # 4. mounts under the instance directory, deepest first
  if [[ -d $dir ]]; then
    for i in 1 2 3 4 5; do
      left=0
      while IFS= read -r m; do
        [[ -n $m ]] || continue
        left=1
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: cannot unmount $m"
      done < <(mounts_under "$(realpath -m "$dir")")
      ((left)) || break
    done
    [[ -z $(mounts_under "$(realpath -m "$dir")") ]] || die "mounts remain under $dir; not deleting it"
  fi

  # 5. the netns and the directory
  if ip netns list | awk '{print $1}' | grep -qx "$name"; then
    ip netns del "$name"
  fi
  rm -rf --one-file-system "$dir"
  rmdir "$BASE" 2>/dev/null || true   # only if empty
  return 0
}

case ${1:-} in
  start) check_name "${2:-}"; cmd_start "$2" ;;
  stop)  check_name "${2:-}"; cmd_stop "$2" ;;
  *) echo "usage: $0 start|stop NAME" >&2; exit 2 ;;
esac
