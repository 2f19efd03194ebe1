#!/usr/bin/env bash
# Installs Berth on a Debian machine and starts it:
#   - Debian packages berthd needs (runc, conmon, tini for --init, nftables, iproute2, busybox-static, ...)
#   - a Release build of berthd (ReadyToRun) in /usr/local/lib/berth, linked as /usr/local/bin/berthd
#   - the busybox image (built from busybox-static) in /usr/local/share/berth/busybox.tar
#   - berthd started with its defaults (socket unix:///run/berth/berth.sock), the busybox image loaded and listed
# usage: ./install.sh [--no-start]      --no-start does everything but start the daemon
set -euo pipefail
cd "$(dirname "$0")"

start=1
case "${1:-}" in
  "") ;;
  --no-start) start=0 ;;
  *) echo "usage: $0 [--no-start]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "install.sh must run as root (berthd manages mounts, namespaces and cgroups)" >&2; exit 1; }

prefix=/usr/local/lib/berth
share=/usr/local/share/berth
socket=/run/berth/berth.sock

echo "==> Debian packages"
packages=(runc conmon tini nftables iproute2 busybox-static ca-certificates curl tar gzip bzip2 xz-utils util-linux procps)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "==> .NET SDK"
if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "The .NET 10 SDK is needed to build Berth and is not installed." >&2
  echo "Install it from https://dotnet.microsoft.com/download (or Microsoft's Debian packages: dotnet-sdk-10.0), then run this again." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "==> build (Release)"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) rid="" ;;
esac
publish=(dotnet publish src/Berth.Daemon/Berth.Daemon.csproj -c Release -o "$prefix.new" --self-contained false -v quiet -nologo)
[ -n "$rid" ] && publish+=(-r "$rid" -p:PublishReadyToRun=true)
rm -rf "$prefix.new"
"${publish[@]}"
rm -rf "$prefix.old"
[ -d "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"
ln -sf "$prefix/berthd" /usr/local/bin/berthd
echo "berthd installed: $(berthd --version)"

echo "==> busybox image"
mkdir -p "$share"
scripts/make-busybox-image.sh "$share/busybox.tar" busybox:latest >/dev/null
echo "busybox image archive: $share/busybox.tar"

if [ "$start" -eq 0 ]; then
  echo "Not starting berthd (--no-start)."
  exit 0
fi

echo "==> start berthd"
running_pid() { [ -f /run/berth/berthd.pid ] && pid=$(cat /run/berth/berthd.pid) && [ -d "/proc/$pid" ] && echo "$pid"; }
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  cat > /etc/systemd/system/berthd.service <<UNIT
[Unit]
Description=Berth container engine
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/bin/berthd
KillMode=process
Restart=on-failure
LimitNOFILE=infinity
Delegate=yes

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable berthd.service >/dev/null 2>&1 || true
  systemctl restart berthd.service
else
  if pid=$(running_pid); then
    echo "stopping the running berthd ($pid) to start the new build"
    kill -TERM "$pid"
    for _ in $(seq 100); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  fi
  mkdir -p /var/log
  setsid nohup /usr/local/bin/berthd >>/var/log/berthd.log 2>&1 </dev/null &
fi
for _ in $(seq 200); do
  curl -fsS --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS --unix-socket "$socket" http://localhost/_ping >/dev/null || { echo "berthd did not start; see /var/log/berthd.log" >&2; exit 1; }
echo "berthd is running on unix://$socket (log: /var/log/berthd.log or journalctl -u berthd)"

echo "==> load the busybox image and run a container"
export DOCKER_HOST="unix://$socket"
if command -v docker >/dev/null; then
  docker load -i "$share/busybox.tar"
  docker images
  docker run --rm busybox echo "hello from a container on Berth"
else
  api() { curl -fsS --unix-socket "$socket" "$@"; }
  api -H 'Content-Type: application/x-tar' --data-binary @"$share/busybox.tar" "http://localhost/images/load?quiet=1"
  api http://localhost/images/json; echo
  id=$(api -H 'Content-Type: application/json' -d '{"Image":"busybox","Cmd":["echo","hello from a container on Berth"]}' \
    http://localhost/containers/create | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
  api -X POST "http://localhost/containers/$id/start"
  api -X POST "http://localhost/containers/$id/wait" >/dev/null
  api "http://localhost/containers/$id/logs?stdout=1" | tail -c +9
  api -X DELETE "http://localhost/containers/$id"
fi
echo
echo "Use your docker CLI with Berth:  export DOCKER_HOST=unix://$socket"
