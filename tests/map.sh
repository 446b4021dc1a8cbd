#!/bin/sh
# The resolve stage, end to end: `sphc map` of each example on each board
# compared with the reviewed tables in tests/map/<example>.<board>.txt.
# A changed allocation policy shows up here as a diff to read.
# `sphc map --svg` draws the same data: it must render (rsvg-convert) and
# carry the table's rows, lanes, ticks and colors (tests/map_svg.py).
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

	svg="$tmp/$name.svg"
	expect_exit 0 "$example on $board: --svg" \
		"$sphc" map -q --board "$board" --svg "$svg" "examples/$example/system.yaml"
	check "$example on $board: --svg prints the table too" 'cmp -s "$tmp/out" "$expected"'
	if rsvg-convert "$svg" -o "$tmp/$name.png" 2>"$tmp/err" && [ -s "$tmp/$name.png" ]; then
		ok
	else
		ko "$example on $board: the SVG does not render" "$tmp/err"
	fi
	if /usr/bin/python3 tests/map_svg.py "$expected" "$svg" >"$tmp/err"; then ok; else
		ko "$example on $board: the SVG lacks the table's data" "$tmp/err"
	fi
	"$sphc" map -q --board "$board" --svg "$tmp/again.svg" "examples/$example/system.yaml" >/dev/null
	check "$example on $board: the SVG is deterministic" 'cmp -s "$svg" "$tmp/again.svg"'
done

# The picture in the README is the current drawing of three-cells.
"$sphc" map -q --svg "$tmp/readme.svg" examples/three-cells/system.yaml >/dev/null
check "docs/map.svg is current (sphc map --svg ... three-cells)" 'cmp -s "$tmp/readme.svg" docs/map.svg'

# --svg into a directory that does not exist: an error, no table half-used.
expect_exit 2 "--svg into a missing directory" \
	"$sphc" map -q --svg "$tmp/none/map.svg" examples/three-cells/system.yaml
expect_grep "--svg names the file" "cannot write '$tmp/none/map.svg'" "$tmp/err"
finish map
