#!/bin/sh
# Every example checks clean on every built-in board: no error, no warning.
# Notes (such as colored-superpages: the examples color on purpose) are
# information and may appear.
# usage: tests/examples.sh SPHC
set -u
sphc=$1
. tests/lib.sh
err=$tmp/err
for example in examples/*/system.yaml; do
	for board in boards/*.yaml; do
		name=$(basename "$board" .yaml)
		if out=$(NO_COLOR=1 "$sphc" check --board "$name" "$example" 2>"$err") &&
			case "$out" in "$example: ok for board $name ("*) true ;; *) false ;; esac &&
			! grep -Eq ': (error|warning): ' "$err"; then
			ok
		else
			ko "$example on $name:"
			sed 's/^/    /' "$err"
			echo "$out" | sed 's/^/    /'
		fi
	done
done
finish examples
