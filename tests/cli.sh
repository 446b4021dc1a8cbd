#!/bin/sh
# The command line as users and CI scripts meet it: exit statuses, output
# streams, formats and colour.
# usage: tests/cli.sh SPHC
set -u
sphc=$1
. tests/lib.sh
example=examples/linux-rtos/system.yaml
bad=tests/bad/unknown-key/cell-key-typo.yaml

expect_exit 0 "--help" "$sphc" --help
expect_grep "--help lists check" "check SYSTEM.yaml" "$tmp/out"
expect_exit 0 "--version" "$sphc" --version
expect_grep "--version" "^sphc $(cat VERSION)$" "$tmp/out"
expect_exit 2 "no command" "$sphc"
expect_grep "no command says how to get help" "sphc --help" "$tmp/err"
expect_exit 2 "unknown command" "$sphc" frobnicate
expect_exit 2 "unknown option" "$sphc" check --frob "$example"
expect_exit 2 "check without a file" "$sphc" check
expect_exit 2 "bad diagnostics format" "$sphc" check --diagnostics-format=xml "$example"
expect_exit 2 "an error rule cannot be silenced" "$sphc" check -W no-unknown-key "$example"
expect_exit 2 "unknown rule" "$sphc" check -Wno-no-such-rule "$example"
expect_exit 2 "missing file is an I/O error" "$sphc" check "$tmp/none.yaml"
expect_grep "missing file names the file" "cannot read '$tmp/none.yaml': No such file" "$tmp/err"
expect_exit 1 "unknown board" "$sphc" check --board nosuchboard "$example"
expect_grep "unknown board lists the built-in ones" "built-in boards: .*qemu-aarch64-virt" "$tmp/err"

# A clean check: one line on stdout, nothing on stderr; -q silences it.
# (The example colors on purpose: -W silences its colored-superpages notes.)
expect_exit 0 "clean example" "$sphc" check -W no-colored-superpages "$example"
expect_grep "clean example says ok" "ok for board qemu-aarch64-virt" "$tmp/out"
if [ -s "$tmp/err" ]; then ko "clean check wrote to stderr"; else ok; fi
expect_exit 0 "clean example, quiet" "$sphc" check -q "$example"
if [ -s "$tmp/out" ]; then ko "-q still printed"; else ok; fi
expect_exit 0 "board by path" "$sphc" check --board boards/zcu104.yaml "$example"

# Findings: text on stderr with a caret, and a count.
expect_exit 1 "bad input" "$sphc" check --color=never "$bad"
expect_grep "text names file:line:col" "^$bad:[0-9]*:[0-9]*: error: " "$tmp/err"
expect_grep "text quotes the source" "^ *| *^" "$tmp/err"
expect_grep "text counts findings" "^2 errors, 0 warnings$" "$tmp/err"

# Colour: never when NO_COLOR is set, even if asked for auto; on with always.
NO_COLOR=1 "$sphc" check "$bad" 2>"$tmp/err"
if grep -q "$(printf '\033')" "$tmp/err"; then ko "NO_COLOR ignored"; else ok; fi
"$sphc" check --color=always "$bad" 2>"$tmp/err"
if grep -q "$(printf '\033')" "$tmp/err"; then ok; else ko "--color=always gave no colour"; fi
"$sphc" check "$bad" 2>"$tmp/err"
if grep -q "$(printf '\033')" "$tmp/err"; then ko "colour when not a terminal"; else ok; fi

# JSON: valid, on stdout, the same findings as the text output.
for f in $(find tests/bad -name '*.yaml' ! -name '*.board.yaml' | sort); do
	"$sphc" check --diagnostics-format=json "$f" >"$tmp/json" 2>"$tmp/json-err"
	jstatus=$?
	NO_COLOR=1 "$sphc" check "$f" >/dev/null 2>"$tmp/text"
	tstatus=$?
	if ! /usr/bin/python3 - "$tmp/json" "$tmp/text" "$f" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
lines = []
for d in doc["diagnostics"]:
    where = f'{d["file"]}:{d["line"]}:{d["column"]}: ' if d["file"] else "sphc: "
    lines.append(f'{where}{d["severity"]}: {d["message"]} [{d["rule"]}]')
    for r in d["related"]:
        lines.append(f'{r["file"]}:{r["line"]}:{r["column"]}: note: {r["message"]}')
text = [l for l in open(sys.argv[2], errors="replace").read().splitlines()
        if re.match(r'^([^ ].*:\d+:\d+|sphc): (error|warning|note): ', l)]
if lines != text:
    print("json:", *lines, "text:", *text, sep="\n  ")
    sys.exit(1)
PY
	then
		ko "json and text differ for $f"
	elif [ "$jstatus" != "$tstatus" ]; then
		ko "json and text exit statuses differ for $f"
	else
		ok
	fi
done

# SARIF: valid JSON with the 2.1.0 shape.
"$sphc" check --diagnostics-format=sarif "$bad" >"$tmp/sarif"
if /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
r = s["runs"][0]["results"][0]
assert s["version"] == "2.1.0" and r["ruleId"] and r["locations"]
' "$tmp/sarif"; then ok; else ko "sarif output"; fi

# schema: prints the published files byte for byte.
for kind in system board; do
	"$sphc" schema $kind >"$tmp/schema"
	if cmp -s "$tmp/schema" schema/$kind.schema.json; then ok; else ko "sphc schema $kind"; fi
done
expect_exit 2 "unknown schema kind" "$sphc" schema nope

# Lints: a warning alone passes, --werror fails on it, -W no-RULE silences
# it; a note (colored-superpages) never fails, and -W silences it too.
for rule in superpage-alignment hypervisor-uncolored bulk-buffer-size critical-boot-order; do
	lint=$(ls tests/bad/$rule/*.yaml | head -n 1)
	expect_exit 0 "$rule alone passes" "$sphc" check "$lint"
	expect_grep "$rule is a warning" ": warning: .*\[$rule\]$" "$tmp/err"
	expect_exit 1 "--werror fails on $rule" "$sphc" check --werror "$lint"
	expect_exit 0 "-W no-$rule under --werror" "$sphc" check --werror -W no-$rule "$lint"
	if [ -s "$tmp/err" ]; then ko "-W no-$rule still printed"; else ok; fi
done
note=tests/bad/colored-superpages/colored.yaml
expect_exit 0 "--werror does not fail on a note" "$sphc" check --werror "$note"
expect_grep "colored-superpages is a note" ": note: .*\[colored-superpages\]$" "$tmp/err"
expect_exit 0 "-W no-colored-superpages" "$sphc" check -W no-colored-superpages "$note"
if [ -s "$tmp/err" ]; then ko "-W no-colored-superpages still printed"; else ok; fi

# docs/rules.md describes every rule id.
"$sphc" rules | while read -r id _; do
	grep -q "^| \`$id\` |" docs/rules.md || echo "$id"
done >"$tmp/undocumented"
if [ -s "$tmp/undocumented" ]; then
	ko "docs/rules.md lacks: $(tr '\n' ' ' <"$tmp/undocumented")"
else
	ok
fi

# rules and boards list what they should.
expect_exit 0 "rules" "$sphc" rules
expect_grep "rules lists duplicate-key" "^duplicate-key " "$tmp/out"
expect_exit 0 "boards" "$sphc" boards
expect_grep "boards lists zcu104" "^zcu104 " "$tmp/out"

# Installed: the binary finds its boards and needs no schema file.
if make -s install PREFIX="$tmp/prefix" >/dev/null 2>&1 &&
	(cd / && "$tmp/prefix/bin/sphc" check --board zcu104 "$OLDPWD/$example" >/dev/null); then
	ok
else
	ko "installed sphc cannot check an example"
fi

# Inputs that never end, or never start: every input is read once, up to a
# cap well above the benchmark's 1M regions (40 MB), then refused with an
# I/O error naming the file. `timeout` keeps a hang from stalling CI and
# `ulimit -v` turns an unbounded read into a failure, not a swapping machine.
bounded() {
	(ulimit -v 2000000 && exec timeout 60 "$@")
}
expect_exit 2 "check /dev/zero" bounded "$sphc" check /dev/zero
expect_grep "check /dev/zero says it is too large" \
	"cannot read '/dev/zero': larger than 256 MiB" "$tmp/err"
expect_exit 2 "dump /dev/zero" bounded "$sphc" dump /dev/zero
expect_grep "dump /dev/zero says it is too large" \
	"cannot read '/dev/zero': larger than 256 MiB" "$tmp/err"
expect_exit 2 "board import /dev/zero" bounded "$sphc" board import /dev/zero
expect_grep "board import /dev/zero says it is too large" \
	"cannot read '/dev/zero': larger than 256 MiB" "$tmp/err"
expect_exit 2 "import jailhouse /dev/zero" bounded "$sphc" import jailhouse /dev/zero
expect_grep "import jailhouse /dev/zero names the file" "cannot read '/dev/zero'" "$tmp/err"

# --hypervisor FILE is loaded into memory of a known size: a regular file of
# at most 256 MiB, refused before anything is built.
mkfifo "$tmp/fifo"
truncate -s 10G "$tmp/huge.bin"
for hyp in /dev/zero "$tmp/fifo" "$tmp/huge.bin"; do
	expect_exit 2 "--hypervisor $hyp is refused" bounded "$sphc" build \
		--board zcu104 --hypervisor "$hyp" -o "$tmp/hyp-out" "$example"
	expect_grep "--hypervisor $hyp: the reason" \
		"hypervisor binary '$hyp' is \(not a regular file\|larger than 256 MiB\)" "$tmp/err"
	check "--hypervisor $hyp wrote nothing" "[ ! -e '$tmp/hyp-out' ]"
done
rm -f "$tmp/huge.bin"

# A system read through a pipe or a FIFO is read once, for every board.
multi=examples/three-cells/system.yaml
expect_exit 0 "check through a pipe" bounded sh -c \
	"cat '$multi' | '$sphc' check -q -W no-colored-superpages /dev/stdin"
expect_exit 0 "check through a pipe, every board" bounded sh -c \
	"cat '$multi' | '$sphc' check -W no-colored-superpages /dev/stdin"
expect_grep "the pipe is checked for zcu104" "^/dev/stdin: ok for board zcu104 " "$tmp/out"
expect_grep "the pipe is checked for qemu-aarch64-virt" \
	"^/dev/stdin: ok for board qemu-aarch64-virt " "$tmp/out"
cat "$multi" >"$tmp/fifo" &
writer=$!
expect_exit 0 "check a FIFO" bounded "$sphc" check -W no-colored-superpages "$tmp/fifo"
expect_grep "the FIFO is checked for zcu104" "ok for board zcu104 " "$tmp/out"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null

finish cli
