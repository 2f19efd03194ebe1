#!/usr/bin/env bash
# Builds a complete small image from Debian's static busybox (package busybox-static) as a
# docker-archive tar: one layer with /bin/busybox, a symlink per applet, /etc/passwd and
# /etc/group with root and nobody, /tmp, /root and /home; PATH set and CMD ["sh"].
# The output is deterministic: the same busybox gives the same bytes and the same image ID.
#
# usage: make-busybox-image.sh OUTPUT.tar [REPO:TAG]   (default tag: busybox:latest)
set -euo pipefail

out=${1:?usage: make-busybox-image.sh OUTPUT.tar [REPO:TAG]}
tag=${2:-busybox:latest}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-busybox-image: $busybox is missing (apt-get install busybox-static)" >&2; exit 1; }
file -b "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' \
  || { echo "make-busybox-image: $busybox is not static (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home,proc,sys,dev,var}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

layer=$work/layer.tar
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$root" -cf "$layer" .
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)

# The binary's own date keeps the image deterministic while giving it a meaningful CREATED.
created=$(date -u -d "@$(stat -c %Y "$busybox")" +%Y-%m-%dT%H:%M:%SZ)
config=$work/config.json
printf '%s' "{\"architecture\":\"$(dpkg --print-architecture 2>/dev/null || echo amd64)\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},\"created\":\"$created\",\"history\":[{\"created\":\"$created\",\"created_by\":\"make-busybox-image.sh ($("$busybox" 2>&1 | head -1 | cut -d' ' -f1-2))\"}],\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$diff_id\"]}}" > "$config"
config_id=$(sha256sum "$config" | cut -d' ' -f1)

archive=$work/archive
mkdir -p "$archive/$diff_id"
mv "$layer" "$archive/$diff_id/layer.tar"
mv "$config" "$archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config_id" "$tag" "$diff_id" > "$archive/manifest.json"
# shellcheck disable=SC2046 # the names are hex digests and manifest.json
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$archive" -cf "$out.tmp" $(cd "$archive" && ls -A)
mv "$out.tmp" "$out"
echo "sha256:$config_id"
