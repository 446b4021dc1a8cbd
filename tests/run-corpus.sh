#!/bin/sh
# The bad-input corpus (and its clean twin, tests/good): every case file
# states the diagnostics `sphc check` must print, exactly.
#
#   # expect: 7:11: error: message [rule]     a line for the case file itself
#   # expect: other.board.yaml:3:1: note: ... a line for a file beside it
#   # args: --board zcu104                    extra arguments (optional)
#   # exit: 2                                 expected status (default: 1 when
#                                             an error is expected, else 0)
#
# Files named *.board.yaml are fixtures used by cases, not cases.
# usage: tests/run-corpus.sh SPHC [CASE...]
set -u
sphc=$1
shift
if [ $# -eq 0 ]; then
	set -- $(find tests/bad tests/good -name '*.yaml' ! -name '*.board.yaml' | sort)
fi
. tests/lib.sh
for case in "$@"; do
	dir=$(dirname "$case")
	sed -n 's/^# expect: //p' "$case" >"$tmp/expected"
	args=$(sed -n 's/^# args: //p' "$case")
	want=$(sed -n 's/^# exit: //p' "$case")
	if [ -z "$want" ]; then
		if grep -q ': error: ' "$tmp/expected"; then want=1; else want=0; fi
	fi
	# shellcheck disable=SC2086
	NO_COLOR=1 "$sphc" check --color=never $args "$case" >"$tmp/stdout" 2>"$tmp/stderr"
	got=$?
	# Diagnostic lines only (not the quoted source, not the summary), with
	# the case's own path and directory taken off.
	grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning|note): |^sphc: (error|warning|note): ' \
		"$tmp/stderr" | sed -e "s|^$case:||" -e "s|^$dir/||" >"$tmp/actual"
	if [ "$got" = "$want" ] && cmp -s "$tmp/expected" "$tmp/actual" &&
		! grep -q 'AddressSanitizer\|runtime error' "$tmp/stderr"; then
		ok
	else
		ko "$case (exit $got, expected $want)"
		diff -u "$tmp/expected" "$tmp/actual" | tail -n +3 | sed 's/^/    /'
		grep 'AddressSanitizer\|runtime error' "$tmp/stderr" | sed 's/^/    /'
	fi
done
finish corpus
