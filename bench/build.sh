#!/usr/bin/env bash
# docker build (classic builder, DOCKER_BUILDKIT=0) on berthd and on Debian's dockerd side by side:
# same docker CLI, same machine, one run, rounds alternating between the daemons. Prints medians and
# berthd/dockerd ratios (below 1 means berthd is faster).
#   - a cold build of a 10-step Dockerfile (--no-cache: every RUN, COPY and metadata step carried out)
#   - the fully cached rebuild of the same Dockerfile (every step "Using cache")
# usage: bench/build.sh [ROUNDS]      (default 11; needs root; builds berthd in Release if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-11}
work=/var/lib/berth-bench-build
# Both daemons run the RUN steps' containers on their default bridge network, as builds do by default.
export ORACLE_NETWORK=1
. bench/lib.sh

cleanup() {
  pkill -9 -f 'conmon .*/run/bb/' 2>/dev/null || true
  grep ' /run/bb/' /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  bench_cleanup
  rm -rf /run/bb
}
trap cleanup EXIT
cleanup

scripts/make-busybox-image.sh "$work.busybox.tar" busybox:latest >/dev/null
bench_start_daemons
mv "$work.busybox.tar" "$work/busybox.tar"
for host in "$berth_host" "$dockerd_host"; do d "$host" load -i "$work/busybox.tar" >/dev/null; done

context=$work/context
mkdir -p "$context"
head -c 200000 /dev/urandom | base64 > "$context/data.txt"
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM busybox
ENV APP_HOME=/app MODE=bench
WORKDIR /app
RUN echo one > one.txt
RUN for i in 1 2 3 4 5; do echo "$i" >> numbers.txt; done
COPY data.txt /app/data/
ENV RELEASE=1
RUN wc -c data/data.txt > size.txt
LABEL purpose=bench
CMD ["cat", "/app/size.txt"]
DOCKERFILE

export DOCKER_BUILDKIT=0
# The first build of each daemon fills the cache the rebuilds use.
for host in "$berth_host" "$dockerd_host"; do d "$host" build -q -t bench:cached "$context" >/dev/null; done

measure "cold build, 10 steps (--no-cache)" '' 'd $H build -q --no-cache "$context"'
measure "cached rebuild, 10 steps" '' 'd $H build -q -t bench:cached "$context"'

echo
report "cold build, 10 steps (--no-cache)" "cached rebuild, 10 steps"
