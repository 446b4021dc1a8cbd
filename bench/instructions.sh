#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench/instructions.sh SPHC FLOOR GEN BOARD OUTDIR N
#
# The instructions the libyaml floor and `sphc check` (default path) execute
# on a generated system of N regions, counted by valgrind's callgrind, and
# their ratio. Unlike wall time, the count does not move with the load of a
# shared machine (two runs differ by a few thousand of 1.5 billion): the
# figure to compare two builds by. Prints `NAME: VALUE UNIT` lines; fails
# when valgrind is missing or a program fails (a generated system's one
# allowed finding, the blob's size limit, aside).
set -eu

if [ $# -ne 6 ]; then
	echo "usage: bench/instructions.sh SPHC FLOOR GEN BOARD OUTDIR N" >&2
	exit 2
fi
sphc=$1 floor=$2 gen=$3 board=$4 outdir=$5 n=$6
if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench/instructions.sh: valgrind is not installed (make deps)" >&2
	exit 2
fi
mkdir -p "$outdir"
file=$outdir/instructions-$n.yaml
log=$outdir/instructions.log
"$gen" -b "$(realpath "$board")" "$n" "$file"

# count PROGRAM ARGS...: the instructions callgrind collected.
count() {
	status=0
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--log-file="$log" "$@" >/dev/null 2>"$outdir/instructions.err" ||
		status=$?
	# check exits 1 when its one finding is the blob's limit.
	if [ "$status" -ne 0 ] && ! { [ "$status" -eq 1 ] &&
		[ "$(grep -c ': error: ' "$outdir/instructions.err")" -eq 1 ] &&
		grep -q '\[build-boot-area\]' "$outdir/instructions.err"; }; then
		echo "bench/instructions.sh: $* exited with $status" >&2
		head -n 5 "$outdir/instructions.err" >&2
		exit 1
	fi
	got=$(sed -n 's/.*Collected : \([0-9][0-9]*\).*/\1/p' "$log")
	if [ -z "$got" ]; then
		echo "bench/instructions.sh: no count from callgrind for $*" >&2
		exit 1
	fi
	echo "$got"
}

f=$(count "$floor" "$file")
s=$(count "$sphc" check -q "$file")
echo "floor-$n-instructions: $f"
echo "default-$n-instructions: $s"
awk -v s="$s" -v f="$f" -v n="$n" \
	'BEGIN { printf "default-%s-instructions-ratio: %.3f x\n", n, s / f }'
