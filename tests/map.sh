#!/bin/sh
# The resolve stage, end to end: `sphc map` of each example on each board
# compared with the reviewed tables in tests/map/<example>.<board>.txt.
# A changed allocation policy shows up here as a diff to read.
# usage: tests/map.sh SPHC
set -u
sphc=$1
. tests/lib.sh
for expected in tests/map/*.txt; do
	name=$(basename "$expected" .txt)
	example=${name%%.*}
	board=${name#*.}
	# The notes on stderr (what coloring costs) are not what is tested.
	if "$sphc" map --board "$board" "examples/$example/system.yaml" 2>/dev/null |
		diff -u "$expected" - >"$tmp/diff"; then
		ok
	else
		ko "$example on $board"
		sed 's/^/    /' "$tmp/diff"
	fi
done
finish map
