#!/bin/sh
# Every example checks clean on every built-in board: no error, no warning.
# Notes (such as colored-superpages: the examples color on purpose) are
# information and may appear. On a board sph's runtime cannot drive (its
# console), the default check reports runtime-unsupported and nothing
# else, and a check for other hypervisors' builds is clean but for what
# those formats cannot express (target-inexact, target-unsupported
# warnings, all true), which its build prints alike.
# usage: tests/examples.sh SPHC
set -u
sphc=$1
. tests/lib.sh
err=$tmp/err
for example in examples/*/system.yaml; do
	for board in boards/*.yaml; do
		# The examples are AArch64 systems (sph's runtime): 32-bit ARM
		# boards are Jailhouse's, tested in tests/jailhouse.sh.
		grep -q '^arch: arm$' "$board" && continue
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
		# Findings allowed: none (^$ matches no finding line), or for
		# other hypervisors what their formats cannot express.
		allowed='^$'
		[ -z "$targets" ] || allowed='warning: .*\[target-(inexact|unsupported)\]$'
		# shellcheck disable=SC2086
		if out=$(NO_COLOR=1 "$sphc" check $targets --board "$name" "$example" 2>"$err") &&
			case "$out" in "$example: ok for board $name ("*) true ;; *) false ;; esac &&
			! grep -E ': (error|warning): ' "$err" | grep -Evq "$allowed"; then
			ok
		else
			ko "$example on $name:"
			sed 's/^/    /' "$err"
			echo "$out" | sed 's/^/    /'
		fi
		[ -n "$targets" ] || continue
		# What check said for those targets is what build says.
		rm -rf "$tmp/b"
		# shellcheck disable=SC2086
		NO_COLOR=1 "$sphc" build -q $targets --board "$name" "$example" \
			-o "$tmp/b" 2>"$tmp/berr" >/dev/null
		if [ -d "$tmp/b" ] && [ "$(grep -E ': (error|warning): ' "$err")" = \
			"$(grep -E ': (error|warning): ' "$tmp/berr")" ]; then
			ok
		else
			ko "$example on $name: build's findings differ from check's"
			diff "$err" "$tmp/berr" | sed 's/^/    /'
		fi
	done
done
finish examples
