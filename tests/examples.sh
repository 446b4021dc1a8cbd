#!/bin/sh
# Every example checks clean on every built-in board.
# usage: tests/examples.sh SPHC
set -u
sphc=$1
pass=0
fail=0
for example in examples/*/system.yaml; do
	for board in boards/*.yaml; do
		name=$(basename "$board" .yaml)
		if out=$(NO_COLOR=1 "$sphc" check --board "$name" "$example" 2>&1) &&
			case "$out" in "$example: ok for board $name ("*) true ;; *) false ;; esac; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $example on $name:"
			echo "$out" | sed 's/^/    /'
		fi
	done
done
echo "examples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
