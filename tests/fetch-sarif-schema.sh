#!/bin/sh
# Fetch the official SARIF 2.1.0 JSON schema (OASIS, draft-04, "2.1.0-rtm.5")
# for tests/sarif.py. It comes from the npm package @microsoft/jest-sarif
# (MIT), which ships it as lib/schemas/sarif-2.1.0-rtm.5.json; the version
# and the file's checksum are pinned. Run by `make deps`; a no-op once the
# file is in place.
# usage: tests/fetch-sarif-schema.sh [OUT]
set -eu
out=${1:-tests/.cache/sarif-2.1.0-rtm.5.json}
pkg=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json
sum=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8

if [ -f "$out" ] && echo "$sum  $out" | sha256sum -c --status; then
	exit 0
fi
if ! command -v npm >/dev/null; then
	echo "fetch-sarif-schema: npm is needed to fetch $pkg" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent --pack-destination "$tmp" "$pkg" >/dev/null 2>"$tmp/npm.log") || {
	cat "$tmp/npm.log" >&2
	echo "fetch-sarif-schema: npm pack $pkg failed" >&2
	exit 1
}
tar -xzf "$tmp"/*.tgz -C "$tmp" "$member"
if ! echo "$sum  $tmp/$member" | sha256sum -c --status; then
	echo "fetch-sarif-schema: $member from $pkg has an unexpected checksum" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
mv "$tmp/$member" "$out"
echo "fetch-sarif-schema: $out (from $pkg)"
