#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch Debian's arm64 Linux kernel and busybox for the Linux-in-a-cell
# tests and examples/linux-rtos, without installing them: apt-get download
# of the arm64 packages (Debian's arm64 architecture is added to dpkg for
# that), then dpkg-deb -x into a cache folder (as root, or with sudo).
# `make deps` runs it; tests/linux/prepare.sh takes the files from there.
#
# usage: tests/linux/fetch.sh [CACHE]   (default tests/.cache/arm64)
#
# Leaves CACHE/Image (the kernel: Debian's vmlinuz is an uncompressed arm64
# Image), CACHE/busybox (static) and CACHE/VERSIONS. A second run with
# everything in place does nothing.
set -eu
cache=${1:-tests/.cache/arm64}
if [ -s "$cache/VERSIONS" ] && [ -s "$cache/Image" ] && [ -x "$cache/busybox" ]; then
	echo "fetch: arm64 kernel and busybox already in $cache"
	exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$sudo dpkg --add-architecture arm64
	$sudo apt-get update -q
fi
# linux-image-arm64 names the current ABI (linux-image-6.1.0-N-arm64);
# take its -unsigned twin, the same kernel without the signature.
kernel=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
if [ -z "$kernel" ]; then
	$sudo apt-get update -q
	kernel=$(apt-cache depends linux-image-arm64:arm64 |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
fi
[ -n "$kernel" ] || { echo "fetch: no linux-image-arm64 in apt's lists" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's download user must be able to write here
(cd "$tmp" && apt-get download -q "$kernel-unsigned:arm64" busybox-static:arm64)
mkdir -p "$tmp/x"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$tmp/x"
done
mkdir -p "$cache.new"
cp "$tmp"/x/boot/vmlinuz-* "$cache.new/Image"
cp "$tmp/x/bin/busybox" "$cache.new/busybox"
for deb in "$tmp"/*.deb; do
	dpkg-deb --showformat='${Package} ${Version}\n' -W "$deb"
done >"$cache.new/VERSIONS"
rm -rf "$cache"
mv "$cache.new" "$cache"
echo "fetch: $(tr '\n' ';' <"$cache/VERSIONS") into $cache"
