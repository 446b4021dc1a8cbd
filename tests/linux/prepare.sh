#!/bin/sh
# SPDX-License-Identifier: MIT
# Put a Linux for a cell into DIR: DIR/Image (Debian's arm64 kernel, from
# the cache tests/linux/fetch.sh fills; `make deps` runs it) and
# DIR/initramfs.cpio (busybox, tests/linux/init as /init, and shm-talk
# built here for arm64). Writes only those two files, each atomically.
#
# usage: tests/linux/prepare.sh DIR [CACHE]   (CACHE: tests/.cache/arm64)
set -eu
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
cache=${2:-$here/../.cache/arm64}
cross=${CROSS:-aarch64-linux-gnu-}
for f in Image busybox; do
	if [ ! -s "$cache/$f" ]; then
		echo "prepare: no $cache/$f: run 'make deps' (tests/linux/fetch.sh) first" >&2
		exit 1
	fi
done
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.prepare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"${cross}gcc" -static -O2 -Wall -Wextra -Werror -I "$here/../cells" \
	-o "$tmp/shm-talk" "$here/shm-talk.c"
"${cross}strip" "$tmp/shm-talk"
python3 "$here/mkinitramfs.py" "$tmp/initramfs.cpio" "$cache/busybox" \
	"$here/init" "shm-talk=$tmp/shm-talk"
cp "$cache/Image" "$tmp/Image"
mv -f "$tmp/Image" "$dir/Image"
mv -f "$tmp/initramfs.cpio" "$dir/initramfs.cpio"
