#!/usr/bin/env bash
# Runs the whole test suite: unit tests of every module and end-to-end tests that start berthd in
# network namespaces and drive it with the docker CLI (/usr/local/bin/docker) and the Berth SDK.
# Needs root (namespaces, mounts). Installs what the tests need that berthd does not (Debian's
# docker.io, the reference dockerd) the first time.
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" -eq 0 ] || { echo "test.sh must run as root: the end-to-end tests create namespaces and mounts" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

scripts/install-test-deps.sh

dotnet build Berth.slnx -c Release -nologo -v quiet
dotnet test Berth.slnx -c Release --no-build --nologo \
  --blame-hang-timeout 10m \
  --logger "console;verbosity=normal" "$@"
