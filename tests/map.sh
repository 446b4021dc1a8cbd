#!/bin/sh
# The resolve stage, end to end: `sphc map` of each example on each board
# compared with the reviewed tables in tests/map/<example>.<board>.txt.
# A changed allocation policy shows up here as a diff to read.
# usage: tests/map.sh SPHC
set -u
sphc=$1
pass=0
fail=0
for expected in tests/map/*.txt; do
	name=$(basename "$expected" .txt)
	example=${name%%.*}
	board=${name#*.}
	# The notes on stderr (what coloring costs) are not what is tested.
	if "$sphc" map --board "$board" "examples/$example/system.yaml" 2>/dev/null |
		diff -u "$expected" - >/tmp/sphc-map-diff.$$; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $example on $board"
		sed 's/^/    /' /tmp/sphc-map-diff.$$
	fi
	rm -f /tmp/sphc-map-diff.$$
done
echo "map: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
