#!/bin/sh
# The bad-input corpus (and its clean twin, tests/good): every case file
# states the diagnostics `sphc check` must print, exactly.
#
#   # expect: 7:11: error: message [rule]     a line for the case file itself
#   # expect: other.board.yaml:3:1: note: ... a line for a file beside it
#   # args: --board zcu104                    extra arguments (optional)
#   # exit: 2                                 expected status (default: 1 when
#                                             an error is expected, else 0)
#   # command: build                          run `sphc build ... -o DIR` (a
#                                             fresh DIR) instead of check, for
#                                             rules only build reports
#   # at-limit: RULE                          the case sits exactly at a limit
#                                             of RULE, which must not fire
#
# Run on the whole corpus, it also holds the corpus to the rule table:
# every rule of sphc/diag/rules.def fires in some case (its [id] in an
# `# expect:` line, which the loop holds to sphc's output), and every rule
# with a numeric limit (LIMITS below) has an at-limit case.
#
# Files named *.board.yaml are fixtures used by cases, not cases.
# usage: tests/run-corpus.sh SPHC [CASE...]
set -u
sphc=$1
shift
whole=false
if [ $# -eq 0 ]; then
	whole=true
	set -- $(find tests/bad tests/good -name '*.yaml' ! -name '*.board.yaml' | sort)
fi
. tests/lib.sh
for case in "$@"; do
	dir=$(dirname "$case")
	sed -n 's/^# expect: //p' "$case" >"$tmp/expected"
	args=$(sed -n 's/^# args: //p' "$case")
	want=$(sed -n 's/^# exit: //p' "$case")
	command=$(sed -n 's/^# command: //p' "$case")
	out=
	case "$command" in
	"" | check) command=check ;;
	build) out="-o $tmp/build" && rm -rf "$tmp/build" ;;
	*)
		ko "$case: unknown command '$command'"
		continue
		;;
	esac
	if [ -z "$want" ]; then
		if grep -q ': error: ' "$tmp/expected"; then want=1; else want=0; fi
	fi
	# shellcheck disable=SC2086
	NO_COLOR=1 "$sphc" $command --color=never $args "$case" $out >"$tmp/stdout" 2>"$tmp/stderr"
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

# Rules with a numeric limit: each needs a case at the limit (`# at-limit:`)
# beside the one past it where it fires.
LIMITS="out-of-range cpu-alloc color-alloc memory-alloc color-memory
doorbell-alloc memory-outside-ram irq-not-spi color-out-of-range image-too-big
build-image build-layout build-boot-area target-limit superpage-alignment
bulk-buffer-size runtime-memory"
if $whole; then
	rules=$(sed -n 's/^RULE([A-Z0-9_]*, "\([a-z0-9-]*\)",.*/\1/p' sphc/diag/rules.def)
	rows=$(grep -c '^RULE(' sphc/diag/rules.def)
	check "every row of rules.def read ($rows)" \
		"[ $rows -gt 0 ] && [ $(echo "$rules" | wc -w) = $rows ]"
	for rule in $rules; do
		if grep -rqs -- "^# expect: .*\[$rule\]\$" tests/bad tests/good; then
			ok
		else
			ko "rule $rule fires in no case of tests/bad or tests/good"
		fi
	done
	for rule in $LIMITS; do
		check "limit rule $rule is a rule" "echo '$rules' | grep -qx -- '$rule'"
		cases=$(grep -rls -- "^# at-limit: $rule\$" tests/bad tests/good)
		if [ -z "$cases" ]; then
			ko "rule $rule has no case exactly at its limit"
			continue
		fi
		for c in $cases; do
			check "$c is at the limit of $rule and it does not fire" \
				"! grep -q -- '^# expect: .*\[$rule\]\$' '$c'"
		done
	done
fi
finish corpus
