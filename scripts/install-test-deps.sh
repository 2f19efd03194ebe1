#!/usr/bin/env bash
# Installs, once, what the test suite needs beyond what install.sh installs for berthd itself:
#   docker.io      - Debian's dockerd 20.10, the oracle the interop test compares against
#   python3-docker - the Docker SDK for Python, a second real client
#   docker-compose - Compose v1 (Python), whose `build` drives the classic builder
#   skopeo         - a third-party producer of docker-archive and OCI archives for the load tests
#   docker-registry - a local registry (distribution) that the pull tests serve images from
#   apache2-utils  - htpasswd, for the bcrypt password file of the registry the login tests use
#   tmux           - a real terminal for the interactive tests (docker run -it, exec -it, attach)
#   the packages berthd needs, in case install.sh has not run
# Package scripts are kept from starting services (no dockerd is started on the host).
set -euo pipefail
need=()
for p in docker.io python3-docker docker-compose skopeo docker-registry apache2-utils tmux runc conmon tini nftables iproute2 busybox-static curl tar gzip bzip2 xz-utils util-linux procps; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing test dependencies: ${need[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" -eq 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
[ -x /usr/local/bin/docker ] || echo "note: the end-to-end tests use the docker CLI at /usr/local/bin/docker (set DOCKER_CLI to use another)" >&2
