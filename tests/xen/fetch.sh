#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch Debian's Xen 4.17 for arm64 (xen-hypervisor-4.17-arm64) for the
# dom0less boot test (tests/xen/boot.py), without installing it: apt-get
# download of the arm64 package (Debian's arm64 architecture is added to
# dpkg for that), then dpkg-deb -x into a cache folder. `make deps` runs it
# (as root, or with sudo).
#
# usage: tests/xen/fetch.sh [CACHE]   (default tests/.cache/xen-4.17)
#
# Leaves CACHE/xen (the hypervisor, an arm64 Image), CACHE/xen.config (the
# options Debian built it with) and CACHE/VERSIONS. A second run with
# everything in place does nothing.
set -eu
cache=${1:-tests/.cache/xen-4.17}
pkg=xen-hypervisor-4.17-arm64
if [ -s "$cache/VERSIONS" ] && [ -s "$cache/xen" ]; then
	echo "fetch: $pkg already in $cache"
	exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$sudo dpkg --add-architecture arm64
	$sudo apt-get update -q
fi
if ! apt-cache show "$pkg:arm64" >/dev/null 2>&1; then
	$sudo apt-get update -q
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's download user must be able to write here
(cd "$tmp" && apt-get download -q "$pkg:arm64")
mkdir -p "$tmp/x"
dpkg-deb -x "$tmp"/*.deb "$tmp/x"
mkdir -p "$cache.new"
# The package ships xen-4.17-arm64 (an arm64 Image; the .efi is the same
# bytes) and the build configuration beside it.
cp "$tmp"/x/boot/xen-4.17-arm64 "$cache.new/xen"
cp "$tmp"/x/boot/xen-4.17-arm64.config "$cache.new/xen.config"
dpkg-deb --showformat='${Package} ${Version}\n' -W "$tmp"/*.deb >"$cache.new/VERSIONS"
rm -rf "$cache"
mv "$cache.new" "$cache"
echo "fetch: $(tr '\n' ';' <"$cache/VERSIONS") into $cache"
