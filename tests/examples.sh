#!/bin/sh
# Every example checks clean on every built-in board: no error, no warning.
# Notes (such as colored-superpages: the examples color on purpose) are
# information and may appear. On a board sph's runtime cannot drive (its
# console), the default check reports runtime-unsupported and nothing
# else, and a check for other hypervisors' builds is clean.
# usage: tests/examples.sh SPHC
set -u
sphc=$1
. tests/lib.sh
err=$tmp/err
for example in examples/*/system.yaml; do
	for board in boards/*.yaml; do
		name=$(basename "$board" .yaml)
		targets=
		if ! runtime_drives "$sphc" "$name" "$example"; then
			NO_COLOR=1 "$sphc" check --board "$name" "$example" \
				>/dev/null 2>"$err"
			if grep -E ': (error|warning): ' "$err" |
				grep -vq '\[runtime-unsupported\]$'; then
				ko "$example on $name: more than runtime-unsupported"
				sed 's/^/    /' "$err"
			else
				ok
			fi
			targets="--target jailhouse,bao,xen"
		fi
		# shellcheck disable=SC2086
		if out=$(NO_COLOR=1 "$sphc" check $targets --board "$name" "$example" 2>"$err") &&
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
