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

# The command users know: a first argument that is a file means build
# with -o, check without.
expect_exit 0 "sphc SYSTEM.yaml checks" "$sphc" "$example"
expect_grep "sphc SYSTEM.yaml says ok like check" "^$example: ok for board qemu-aarch64-virt" "$tmp/out"
expect_exit 1 "sphc BAD.yaml fails like check" "$sphc" "$bad"
expect_grep "sphc BAD.yaml reports the findings" "^$bad:[0-9]*:[0-9]*: error: " "$tmp/err"
expect_exit 0 "sphc SYSTEM.yaml -o DIR builds" "$sphc" "$example" -o "$tmp/short/"
check "sphc SYSTEM.yaml -o DIR wrote the build" "[ -f '$tmp/short/system.bin' ] && [ -f '$tmp/short/manifest.json' ]"
expect_grep "sphc SYSTEM.yaml -o DIR says built" "built for board qemu-aarch64-virt into $tmp/short" "$tmp/out"
expect_exit 0 "options before the file" "$sphc" -q --output="$tmp/short2" "$example"
check "--output= before the file builds" "[ -f '$tmp/short2/system.bin' ]"
expect_exit 1 "sphc BAD.yaml -o DIR fails and writes nothing" "$sphc" "$bad" -o "$tmp/short3"
check "... nothing written" "[ ! -e '$tmp/short3' ]"
expect_exit 2 "a build option without -o asks for -o" "$sphc" "$example" --all-boards
expect_grep "... and says so" "needs an output directory: -o DIR" "$tmp/err"
expect_exit 2 "a missing file is an I/O error, not an unknown command" "$sphc" "$tmp/none.yaml"
expect_grep "... naming the file" "cannot read '$tmp/none.yaml'" "$tmp/err"
expect_exit 2 "a word that is no command and no file" "$sphc" frobnicate
expect_grep "... is an unknown command" "unknown command 'frobnicate'" "$tmp/err"
expect_exit 0 "--help" "$sphc" --help
expect_grep "--help shows the short build" "sphc SYSTEM.yaml -o DIR" "$tmp/out"
expect_grep "README shows the short build" "sphc [^ ]*system.yaml -o build/" README.md

# A clean check: one line on stdout, nothing on stderr; -q silences it.
# (The example colors on purpose: -W silences its colored-superpages notes.)
expect_exit 0 "clean example" "$sphc" check -W no-colored-superpages "$example"
expect_grep "clean example says ok" "ok for board qemu-aarch64-virt" "$tmp/out"
if [ -s "$tmp/err" ]; then ko "clean check wrote to stderr"; else ok; fi
expect_exit 0 "clean example, quiet" "$sphc" check -q "$example"
if [ -s "$tmp/out" ]; then ko "-q still printed"; else ok; fi
# The example's colored-superpages notes: -q hides notes, not warnings.
if [ -s "$tmp/err" ]; then ko "-q still printed notes" "$tmp/err"; else ok; fi
expect_exit 0 "a lint under -q" "$sphc" check -q tests/bad/superpage-alignment/$(ls tests/bad/superpage-alignment | head -n 1)
expect_grep "-q keeps warnings" ": warning: .*\[superpage-alignment\]$" "$tmp/err"
expect_exit 0 "build -q" "$sphc" build -q "$example" -o "$tmp/quiet-build"
if [ -s "$tmp/err" ] || [ -s "$tmp/out" ]; then ko "build -q printed" "$tmp/err"; else ok; fi
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

# A board: file that is not a board may be anything: its lines are named,
# never quoted.
mkdir -p "$tmp/leak"
printf 'sphc: 1\nname: s\nboard: %s\ncells:\n  - { name: a, cpus: 1, memory: [ { size: 1M } ] }\n' \
	/proc/self/environ >"$tmp/leak/environ.yaml"
env -i SPHC_SECRET=hunter2 "$sphc" check "$tmp/leak/environ.yaml" >"$tmp/out" 2>"$tmp/err"
check "a board: that is /proc/self/environ fails" "[ $? = 1 ]"
expect_grep "... naming the file" "^/proc/self/environ:1:1: error: " "$tmp/err"
if grep -q hunter2 "$tmp/err"; then ko "a board: of /proc/self/environ quoted the environment"; else ok; fi
printf 'password: hunter2: x\n' >"$tmp/leak/secret.txt"
printf 'password: hunter2\ntoken: hunter2\n' >"$tmp/leak/secret.yaml"
for f in secret.txt secret.yaml; do
	sed "s|/proc/self/environ|./$f|" "$tmp/leak/environ.yaml" >"$tmp/leak/s.yaml"
	expect_exit 1 "a board: that is $f fails" "$sphc" check "$tmp/leak/s.yaml"
	expect_grep "... naming the file" "^$tmp/leak/./$f:[0-9]*:[0-9]*: error: " "$tmp/err"
	if grep -q hunter2 "$tmp/err"; then ko "a board: of $f quoted it" "$tmp/err"; else ok; fi
done
# A real board's lines are still quoted.
expect_exit 1 "a board with overlapping devices" "$sphc" check --color=never \
	tests/bad/board-mmio-overlap/$(ls tests/bad/board-mmio-overlap | grep -v board.yaml | head -n 1)
expect_grep "... quotes the board's line" "^ *[0-9]* | .*base:" "$tmp/err"

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
# Text shows a control byte of a path or message as \xHH.
esc = lambda s: re.sub(r"[\x00-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()), s)
for d in doc["diagnostics"]:
    where = f'{esc(d["file"])}:{d["line"]}:{d["column"]}: ' if d["file"] else "sphc: "
    lines.append(f'{where}{d["severity"]}: {esc(d["message"])} [{d["rule"]}]')
    for r in d["related"]:
        lines.append(f'{esc(r["file"])}:{r["line"]}:{r["column"]}: note: {esc(r["message"])}')
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

# The importers write -o FILE atomically: a failed write (file size limit,
# SIGXFSZ ignored so the write fails with EFBIG) leaves the old file whole
# and no temporary file beside it.
if dtc -q -I dts -O dtb -o "$tmp/bus.dtb" tests/jailhouse/bus.dts &&
	"$sphc" build -q --target jailhouse --board zcu104 "$example" -o "$tmp/jh" 2>/dev/null; then
	for what in board jailhouse; do
		mkdir -p "$tmp/imp-$what"
		out=$tmp/imp-$what/out.yaml
		head -c 3000 /dev/zero | tr '\0' 'x' >"$out"
		cp "$out" "$tmp/imp-old"
		if [ $what = board ]; then
			set -- board import "$tmp/bus.dtb" -o "$out"
		else
			set -- import jailhouse "$tmp/jh/jailhouse/system.cell" "$tmp/jh/jailhouse/rtos.cell" -o "$out"
		fi
		(trap '' XFSZ; ulimit -f 1; exec "$sphc" "$@") >"$tmp/out" 2>"$tmp/err"
		check "$what import: a failed write is an I/O error" "[ $? = 2 ]"
		expect_grep "$what import: a failed write says why" "cannot write '$out'" "$tmp/err"
		check "$what import: a failed write keeps the old file" "cmp -s '$tmp/imp-old' '$out'"
		check "$what import: a failed write leaves no temporary file" \
			"[ \$(ls -A '$tmp/imp-$what' | wc -l) = 1 ]"
		expect_exit 0 "$what import -o" "$sphc" "$@"
		expect_grep "$what import -o replaced the file" "^name: " "$out"
		check "$what import -o leaves no temporary file" \
			"[ \$(ls -A '$tmp/imp-$what' | wc -l) = 1 ]"
	done
	# Hostile file names: the imports parse to what harmless names give.
	evil=$(printf 'x$(touch PWNED)`x`'"'"'"*/\n#y: 1\nname: z')
	mkdir -p "$tmp/imp-evil/$evil"
	cp "$tmp/jh/jailhouse/system.cell" "$tmp/imp-evil/$evil/system.cell"
	cp "$tmp/jh/jailhouse/rtos.cell" "$tmp/imp-evil/$evil/rtos.cell"
	cp "$tmp/bus.dtb" "$tmp/imp-evil/$evil/bus.dtb"
	expect_exit 0 "jailhouse import of hostile file names" "$sphc" import jailhouse \
		"$tmp/imp-evil/$evil/system.cell" "$tmp/imp-evil/$evil/rtos.cell" --name jh -o "$tmp/imp-evil/jh.yaml"
	expect_exit 0 "jailhouse import of harmless file names" "$sphc" import jailhouse \
		"$tmp/jh/jailhouse/system.cell" "$tmp/jh/jailhouse/rtos.cell" --name jh -o "$tmp/imp-evil/jh-plain.yaml"
	expect_exit 0 "board import of a hostile file name" "$sphc" board import \
		"$tmp/imp-evil/$evil/bus.dtb" --name bus -o "$tmp/imp-evil/board.yaml"
	expect_exit 0 "board import of a harmless file name" "$sphc" board import \
		"$tmp/bus.dtb" --name bus -o "$tmp/imp-evil/board-plain.yaml"
	if /usr/bin/python3 - "$tmp/imp-evil" <<'PY'
import sys, yaml
d = sys.argv[1]
def load(n):
    doc = yaml.safe_load(open(d + "/" + n))
    for c in doc.get("cells", []):
        c.pop("description", None)  # names the source file, quoted
    return doc
assert load("jh.yaml") == load("jh-plain.yaml"), "jailhouse import"
assert load("board.yaml") == load("board-plain.yaml"), "board import"
PY
	then ok; else ko "hostile file names change what an import says"; fi
	# A hostile cell name inside a .cell (newline, colon, quote).
	/usr/bin/python3 - "$tmp/jh/jailhouse/system.cell" "$tmp/imp-evil/name.cell" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
i = d.index(b"linux\0")
open(sys.argv[2], "wb").write(d[:i] + b'l\n:x"' + d[i + 5:])
PY
	expect_exit 0 "jailhouse import of a hostile cell name" "$sphc" import jailhouse \
		"$tmp/imp-evil/name.cell" "$tmp/jh/jailhouse/rtos.cell" --name jh -o "$tmp/imp-evil/name.yaml"
	if /usr/bin/python3 - "$tmp/imp-evil" <<'PY'
import sys, yaml
d = sys.argv[1]
doc = yaml.safe_load(open(d + "/name.yaml"))
plain = yaml.safe_load(open(d + "/jh-plain.yaml"))
assert list(doc) == list(plain), list(doc)
assert [list(c) for c in doc["cells"]] == [list(c) for c in plain["cells"]]
PY
	then ok; else ko "a hostile cell name changes the shape of the imported YAML"; fi
	check "hostile file names: nothing ran" "[ -z \"\$(find '$tmp' -name PWNED)\" ]"
	set --
else
	ko "cannot make the importers' inputs (dtc, sphc build --target jailhouse)"
fi

# map --svg FILE too: a failed write keeps the old drawing whole.
mkdir -p "$tmp/svg"
head -c 3000 /dev/zero | tr '\0' 'x' >"$tmp/svg/map.svg"
cp "$tmp/svg/map.svg" "$tmp/svg-old"
(trap '' XFSZ; ulimit -f 1; exec "$sphc" map "$example" --svg "$tmp/svg/map.svg") >"$tmp/out" 2>"$tmp/err"
check "map --svg: a failed write is an I/O error" "[ $? = 2 ]"
expect_grep "map --svg: a failed write says why" "cannot write '$tmp/svg/map.svg'" "$tmp/err"
check "map --svg: a failed write keeps the old file" "cmp -s '$tmp/svg-old' '$tmp/svg/map.svg'"
check "map --svg: a failed write leaves no temporary file" "[ \$(ls -A '$tmp/svg' | wc -l) = 1 ]"
expect_exit 0 "map --svg" "$sphc" map "$example" --svg "$tmp/svg/map.svg"
expect_grep "map --svg wrote a drawing" "<svg" "$tmp/svg/map.svg"

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

finish cli
