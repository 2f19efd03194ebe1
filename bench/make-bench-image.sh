#!/usr/bin/env bash
# Builds a docker-archive with one layer per directory given (each directory's tree placed at the
# same path inside the image), on top of the busybox layer: a realistic large image of many files.
# usage: make-bench-image.sh OUTPUT.tar REPO:TAG DIR...
set -euo pipefail
out=${1:?usage: make-bench-image.sh OUTPUT.tar REPO:TAG DIR...}
tag=${2:?}
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/scripts/make-busybox-image.sh" "$work/busybox.tar" >/dev/null
mkdir "$work/base" && tar xf "$work/busybox.tar" -C "$work/base"
base_layer=$(cd "$work/base" && ls -d */ | head -1)
layers=("$work/base/${base_layer}layer.tar")
for dir in "$@"; do
  n=${#layers[@]}
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      -C / -cf "$work/layer$n.tar" "${dir#/}"
  layers+=("$work/layer$n.tar")
done

archive=$work/archive
mkdir "$archive"
diff_ids=() layer_paths=()
for layer in "${layers[@]}"; do
  d=$(sha256sum "$layer" | cut -d' ' -f1)
  mkdir -p "$archive/$d" && mv "$layer" "$archive/$d/layer.tar"
  diff_ids+=("\"sha256:$d\"") layer_paths+=("\"$d/layer.tar\"")
done
join() { local IFS=,; echo "$*"; }
config="{\"architecture\":\"$(dpkg --print-architecture)\",\"config\":{\"Cmd\":[\"sh\"]},\"created\":\"2024-01-01T00:00:00Z\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$(join "${diff_ids[@]}")]}}"
config_id=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
printf '%s' "$config" > "$archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]' "$config_id" "$tag" "$(join "${layer_paths[@]}")" > "$archive/manifest.json"
# shellcheck disable=SC2046
tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$archive" -cf "$out" $(cd "$archive" && ls -A)
echo "sha256:$config_id"
