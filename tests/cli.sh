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
for rule in superpage-alignment hypervisor-uncolored coloring-defeated bulk-buffer-size critical-boot-order; do
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

# -q prints errors and warnings only: no notes, unless -W RULE asks for one.
expect_quiet "-q hides notes" "$sphc" check -q "$note"
if [ -s "$tmp/stdout" ]; then ko "-q printed on stdout"; else ok; fi
expect_exit 0 "-q -W colored-superpages" "$sphc" check -q -W colored-superpages "$note"
expect_grep "-W RULE shows a note under -q" "note: .*\[colored-superpages\]$" "$tmp/err"
expect_exit 0 "-W RULE after -W no-RULE" "$sphc" check -W no-colored-superpages -W colored-superpages "$note"
expect_grep "the last -W counts" "\[colored-superpages\]$" "$tmp/err"
expect_exit 2 "-W on an error rule" "$sphc" check -W memory-overlap "$note"
# -v: notes again (the default), so a -q set elsewhere can be undone; the
# last of -q and -v counts.
expect_exit 0 "-q -v" "$sphc" check -q -v "$note"
expect_grep "-v after -q shows notes" ": note: .*\[colored-superpages\]$" "$tmp/err"
expect_grep "-v after -q prints the summary" "ok for board" "$tmp/out"
expect_exit 0 "--quiet --verbose" "$sphc" check --quiet --verbose "$note"
expect_grep "--verbose after --quiet shows notes" ": note: .*\[colored-superpages\]$" "$tmp/err"
expect_quiet "-v -q hides notes" "$sphc" check -v -q "$note"
"$sphc" check "$note" >"$tmp/plain.out" 2>"$tmp/plain.err"
expect_exit 0 "-v alone" "$sphc" check -v "$note"
check "-v alone is the default" "cmp -s '$tmp/err' '$tmp/plain.err' && cmp -s '$tmp/out' '$tmp/plain.out'"
expect_exit 0 "-q -v -W no-RULE" "$sphc" check -q -v -W no-colored-superpages "$note"
if grep -q "colored-superpages" "$tmp/err"; then ko "-v turned on a rule -W no-RULE silenced"; else ok; fi
lint=tests/bad/hypervisor-uncolored/no-hyp-colors.yaml
expect_exit 0 "-q keeps warnings" "$sphc" check -q "$lint"
expect_grep "-q keeps warnings" "warning: .*\[hypervisor-uncolored\]$" "$tmp/err"
expect_grep "-q keeps a warning's notes" "note: cell '[a-z]*' is colored here" "$tmp/err"
expect_exit 1 "-q keeps errors" "$sphc" check -q "$bad"
expect_grep "-q keeps errors" "error: " "$tmp/err"
expect_quiet "-q: build prints nothing" "$sphc" build -q "$example" -o "$tmp/qbuild"
if [ -s "$tmp/stdout" ]; then ko "build -q printed on stdout"; else ok; fi

# docs/rules.md describes every rule id; `sphc rules` lists as many as the
# rule table has rows (so an empty listing cannot pass).
"$sphc" rules >"$tmp/rules"
rows=$(grep -c '^RULE(' sphc/diag/rules.def)
listed=$(wc -l <"$tmp/rules")
check "sphc rules lists all $rows rules of the table (got $listed)" \
	"[ $rows -gt 0 ] && [ $listed = $rows ]"
while read -r id _; do
	grep -q "^| \`$id\` |" docs/rules.md || echo "$id"
done <"$tmp/rules" >"$tmp/undocumented"
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
(trap '' XFSZ; ulimit -f 1; exec "$sphc" map -q "$example" --svg "$tmp/svg/map.svg") >"$tmp/out" 2>"$tmp/err"
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

# Installed: the binary finds its boards and needs no schema file; the man
# page and the completions are where man, bash-completion and zsh look.
if make -s install PREFIX="$tmp/prefix" >/dev/null 2>&1 &&
	(cd / && "$tmp/prefix/bin/sphc" check -q --board zcu104 "$OLDPWD/$example" 2>/dev/null); then
	ok
else
	ko "installed sphc cannot check an example"
fi
check "man finds the installed page" \
	'MANWIDTH=80 man -M "$tmp/prefix/share/man" sphc 2>/dev/null | grep -q "^COMMANDS"'
"$sphc" help --completion=bash >"$tmp/bash-completion"
check "bash completion installed" \
	'cmp -s "$tmp/bash-completion" "$tmp/prefix/share/bash-completion/completions/sphc"'
"$sphc" help --completion=zsh >"$tmp/zsh-completion"
check "zsh completion installed" \
	'cmp -s "$tmp/zsh-completion" "$tmp/prefix/share/zsh/site-functions/_sphc"'

# --- help, man page, completions -------------------------------------------
# Every command has --help and -h (exit 0, on stdout): a usage line, its
# options, two examples. The commands are those `sphc --help` lists.
"$sphc" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p' >"$tmp/commands"
check "--help lists eleven commands" '[ "$(wc -l <"$tmp/commands")" -eq 11 ]'
"$sphc" help >"$tmp/overview"
"$sphc" --help | cmp -s - "$tmp/overview" && ok || ko "sphc help differs from sphc --help"
for cmd in $(cat "$tmp/commands"); do
	expect_exit 0 "$cmd --help" "$sphc" "$cmd" --help
	cp "$tmp/out" "$tmp/help-$cmd"
	expect_grep "$cmd --help: usage" "^usage: sphc $cmd " "$tmp/help-$cmd"
	expect_grep "$cmd --help: options" "^  -h, --help " "$tmp/help-$cmd"
	check "$cmd --help: two examples" \
		'[ "$(sed -n "/^examples:/,/^\$/p" "$tmp/help-$cmd" | grep -c "^  [^ ]")" -eq 2 ]'
	check "$cmd --help: lines fit 79 columns" \
		'! awk "length > 79" "$tmp/help-$cmd" | grep -q .'
	expect_exit 0 "$cmd -h" "$sphc" "$cmd" -h
	check "$cmd -h is --help" 'cmp -s "$tmp/out" "$tmp/help-$cmd"'
	"$sphc" help "$cmd" | cmp -s - "$tmp/help-$cmd" && ok || ko "sphc help $cmd differs"
done
expect_exit 0 "--help after an operand" "$sphc" check "$example" --help
expect_grep "--help after an operand" "^usage: sphc check " "$tmp/out"
expect_exit 2 "help of an unknown command" "$sphc" help frobnicate
expect_exit 2 "help --man and --completion at once" "$sphc" help --man --completion=bash

# The help lists exactly the options the parser takes: every long option of
# any command is refused as "not an option" by the commands whose help
# does not list it, and accepted by those whose help does.
cat "$tmp"/help-* | grep -o '^  \(-[a-zA-Z], \)\?--[a-z-]*' | sed 's/.*--/--/' |
	sort -u >"$tmp/longopts"
check "some long options" '[ "$(wc -l <"$tmp/longopts")" -gt 15 ]'
for cmd in $(cat "$tmp/commands"); do
	while read -r opt; do
		[ "$opt" = --help ] && continue
		"$sphc" "$cmd" "$opt" x >/dev/null 2>"$tmp/err"
		if grep -q -- "^  \(-[a-zA-Z], \)\?$opt[= ]" "$tmp/help-$cmd" ||
			grep -q -- "^  \(-[a-zA-Z], \)\?$opt$" "$tmp/help-$cmd"; then
			if grep -q "is not an option" "$tmp/err"; then
				ko "$cmd refuses $opt, which its help lists"
			else ok; fi
		elif grep -q -- "$opt is not an option of 'sphc $cmd'" "$tmp/err"; then
			ok
		else
			ko "$cmd takes $opt, which its help does not list" "$tmp/err"
		fi
	done <"$tmp/longopts"
done

# The examples of every --help run as printed (in a scratch directory, in
# the order of the commands: build writes what dump and import read).
mkdir -p "$tmp/ex/bin"
ln -s "$(cd "$(dirname "$sphc")" && pwd)/$(basename "$sphc")" "$tmp/ex/bin/sphc"
ln -s "$PWD/examples" "$tmp/ex/examples"
ln -s "$PWD/docs" "$tmp/ex/docs"
qemu-system-aarch64 -M virt,dumpdtb="$tmp/ex/virt.dtb" -nic none -display none \
	>/dev/null 2>&1
check "qemu dumps its device tree" '[ -s "$tmp/ex/virt.dtb" ]'

for cmd in $(cat "$tmp/commands"); do
	sed -n '/^examples:/,/^$/s/^  \([^ ].*\)/\1/p' "$tmp/help-$cmd" >"$tmp/examples"
	# Each must exit 0 and print or write something.
	while read -r line; do
		touch "$tmp/stamp"
		sleep 0.01
		if ! (cd "$tmp/ex" && HOME="$tmp/ex" PATH="$tmp/ex/bin:$PATH" \
			bash -c "$line" </dev/null >"$tmp/ex-out" 2>"$tmp/ex-err"); then
			ko "example of $cmd --help fails: $line" "$tmp/ex-err"
		elif [ -s "$tmp/ex-out" ] ||
			[ -n "$(find "$tmp/ex/" -newer "$tmp/stamp" -type f)" ]; then
			ok
		else
			ko "example of $cmd --help does nothing: $line"
		fi
	done <"$tmp/examples"
done

# The man page: made from the same tables, well-formed for groff, and each
# command's section carries every option and example its --help shows.
"$sphc" help --man >"$tmp/sphc.1"
groff -man -ww -z "$tmp/sphc.1" 2>"$tmp/groff-err"
check "man page: groff has no warnings" '[ ! -s "$tmp/groff-err" ]'
groff -man -Tascii -P-cbou -rLL=2000n -rHY=0 "$tmp/sphc.1" >"$tmp/man.txt" 2>/dev/null
for cmd in $(cat "$tmp/commands"); do
	sed -n "/^   $cmd\$/,/^   [a-z]*\$/p" "$tmp/man.txt" >"$tmp/man-$cmd"
	grep -o '^  \(-[a-zA-Z], \)\?-[-a-zA-Z]*\(=[^ ]*\| no-RULE\)\?' "$tmp/help-$cmd" |
		sed 's/^  //' >"$tmp/items"
	sed -n '/^examples:/,/^$/s/^  \([^ ].*\)/\1/p' "$tmp/help-$cmd" >>"$tmp/items"
	check "$cmd: help shows options and examples" '[ "$(wc -l <"$tmp/items")" -ge 3 ]'
	while read -r item; do
		if grep -qF -- "$item" "$tmp/man-$cmd"; then ok; else
			ko "man page section $cmd lacks '$item'"
		fi
	done <"$tmp/items"
done

# bash completion: commands, options, board names, rules after -W no-,
# values of options, file names.
cat >"$tmp/complete.bash" <<'EOS'
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_sphc 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"
EOS
complete_bash() {
	bash "$tmp/complete.bash" "$tmp/bash-completion" "$sphc" "$@" >"$tmp/compl"
}
complete_bash ""
for cmd in $(cat "$tmp/commands"); do expect_grep "bash completes $cmd" "^$cmd$" "$tmp/compl"; done
complete_bash check --
expect_grep "bash completes --board=" "^--board=$" "$tmp/compl"
expect_grep "bash completes --werror" "^--werror$" "$tmp/compl"
if grep -q "^--svg" "$tmp/compl"; then ko "bash offers --svg to check"; else ok; fi
complete_bash map --s
expect_grep "bash completes --svg for map" "^--svg=$" "$tmp/compl"
complete_bash check --board ""
expect_grep "bash completes board names" "^zcu104$" "$tmp/compl"
complete_bash check --board = qemu
expect_grep "bash completes --board=NAME" "^qemu-aarch64-virt-gicv2$" "$tmp/compl"
complete_bash check -W no-
expect_grep "bash completes -W no-RULE" "^no-colored-superpages$" "$tmp/compl"
if grep -q "^no-memory-overlap$" "$tmp/compl"; then ko "bash offers an error rule to -W"; else ok; fi
complete_bash check -Wno-hyp
expect_grep "bash completes -Wno-RULE" "^-Wno-hypervisor-uncolored$" "$tmp/compl"
complete_bash check --diagnostics-format = s
expect_grep "bash completes option values" "^sarif$" "$tmp/compl"
complete_bash check examples/linux-rtos/sys
expect_grep "bash completes file names" "^examples/linux-rtos/system.yaml$" "$tmp/compl"
complete_bash check --board zcu104 examples/three-cells/sys
expect_grep "bash skips option arguments" "^examples/three-cells/system.yaml$" "$tmp/compl"
complete_bash schema ""
expect_grep "bash completes schema kinds" "^board$" "$tmp/compl"
complete_bash help b
expect_grep "bash completes help's commands" "^build$" "$tmp/compl"

# The pre-commit hook runs sphc check on each file it is given, and takes
# the examples' system.yaml files.
/usr/bin/python3 - "$tmp/ex/bin" <<'PY' >"$tmp/hook" 2>&1
import os, re, shlex, subprocess, sys, yaml
hook = yaml.safe_load(open(".pre-commit-hooks.yaml"))[0]
env = dict(os.environ, PATH=sys.argv[1] + ":" + os.environ["PATH"])
run = lambda files: subprocess.run(shlex.split(hook["entry"]) + files, env=env,
                                   capture_output=True, text=True)
good = ["examples/three-cells/system.yaml", "examples/linux-rtos/system.yaml"]
bad = "tests/bad/memory-overlap/two-cells.yaml"
assert hook["id"] == "sphc-check" and hook["language"] == "system"
assert all(re.search(hook["files"], f) for f in good), "files misses the examples"
assert not re.search(hook["files"], "boards/zcu104.yaml"), "files takes boards"
p = run(good)
assert p.returncode == 0, p.stderr
assert p.stdout.count("ok for board") >= 2, p.stdout
p = run([bad] + good)
assert p.returncode == 1 and "[memory-overlap]" in p.stderr, p.stderr
assert "three-cells/system.yaml: ok" in p.stdout, "a failure stops the others"
PY
check "pre-commit hook" '[ ! -s "$tmp/hook" ]'
[ -s "$tmp/hook" ] && sed 's/^/    /' "$tmp/hook"

# zsh completion: valid zsh, one case per command with its options. It
# runs with zsh's completion functions replaced by stubs that print what
# they are given (and run _describe's list of commands).
check "zsh completion parses" 'zsh -n "$tmp/zsh-completion"'
cat >"$tmp/complete.zsh" <<'EOS'
_arguments() {
	local s
	for s; do
		print -r -- "$s"
		[[ $s == 1:command:_describe* ]] && eval "${s#1:command:}"
	done
}
_describe() { print -rl -- "${(P@)${@[-1]}}" }
_alternative() { print -rl -- "$@" }
compadd() { [[ $1 == -a ]] && print -rl -- "${(P@)2}" }
file=$1; shift
words=("$@"); CURRENT=$#words
bin=$1 cmd=$2
source $file
sphc=$bin
[[ $cmd == check ]] && { _sphc_boards; _sphc_rules }
EOS
zsh -f "$tmp/complete.zsh" "$tmp/zsh-completion" "$sphc" "" >"$tmp/zcompl" 2>&1
for cmd in $(cat "$tmp/commands"); do
	expect_grep "zsh offers command $cmd" "^$cmd:" "$tmp/zcompl"
done
zsh -f "$tmp/complete.zsh" "$tmp/zsh-completion" "$sphc" check --b >"$tmp/zcompl" 2>&1
expect_grep "zsh: check takes --board" "^--board=\[.*:_sphc_boards$" "$tmp/zcompl"
expect_grep "zsh: board names" "^boards:board:(.*zcu104.*)$" "$tmp/zcompl"
expect_grep "zsh: -W no-RULE" "^no-colored-superpages$" "$tmp/zcompl"
if grep -q "^no-memory-overlap$" "$tmp/zcompl"; then ko "zsh offers an error rule to -W"; else ok; fi
if grep -q "^--svg" "$tmp/zcompl"; then ko "zsh offers --svg to check"; else ok; fi
for cmd in $(cat "$tmp/commands"); do
	expect_grep "zsh completes $cmd" "^		'$cmd:" "$tmp/zsh-completion"
	sed -n "/^	$cmd)\$/,/;;/p" "$tmp/zsh-completion" >"$tmp/zsh-$cmd"
	for opt in $(grep -o '^  \(-[a-zA-Z], \)\?--[a-z-]*' "$tmp/help-$cmd" | sed 's/.*--//'); do
		if grep -q -- "--$opt" "$tmp/zsh-$cmd"; then ok; else
			ko "zsh completion of $cmd lacks --$opt"
		fi
	done
done

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

# --xen-version chooses the Xen of the xen target, as --target xen-4.17 does.
expect_exit 0 "--xen-version 4.17" "$sphc" build -q --target xen --xen-version 4.17 \
	examples/three-cells/system.yaml -o "$tmp/xv417"
expect_grep "--xen-version 4.17 drops what 4.17 lacks" "Xen 4.17.*\[target-unsupported\]$" "$tmp/err"
expect_exit 0 "--target xen-4.17" "$sphc" build -q --target xen-4.17 \
	examples/three-cells/system.yaml -o "$tmp/xt417"
check "--xen-version 4.17 writes what --target xen-4.17 does" \
	"diff -r '$tmp/xv417' '$tmp/xt417' >/dev/null"
expect_exit 0 "--xen-version 4.22" "$sphc" build -q --target xen --xen-version 4.22 \
	examples/three-cells/system.yaml -o "$tmp/xv422"
if grep -q 'target-unsupported' "$tmp/err"; then ko "--xen-version 4.22 dropped something"; else ok; fi
expect_exit 2 "--xen-version 5" "$sphc" build --xen-version 5 \
	examples/three-cells/system.yaml -o "$tmp/xv5"
expect_grep "--xen-version 5 says what it takes" "takes 4.17 or 4.22" "$tmp/err"
# --jailhouse-revision: 12 (v0.12), 13 or 14; the last one given counts.
expect_exit 2 "--jailhouse-revision 11" "$sphc" build --jailhouse-revision 11 \
	--target jailhouse examples/linux-rtos/system.yaml -o "$tmp/jh11"
expect_grep "--jailhouse-revision 11 says what it takes" "takes 12, 13 or 14, not '11'" "$tmp/err"
expect_exit 0 "--jailhouse-revision 13 then 12" "$sphc" build -q --target jailhouse \
	--jailhouse-revision 13 --jailhouse-revision 12 examples/linux-rtos/system.yaml -o "$tmp/jh12"
check "--jailhouse-revision 12 writes revision 12" \
	"[ \"\$(od -An -tu2 -j6 -N2 '$tmp/jh12/jailhouse/system.cell' | tr -d ' ')\" = 12 ]"

# hypervisor: { console: none }: the board's only UART goes to a cell; the
# runtime logs to its memory and run-qemu.sh reads the log (issue 15).
sed 's|^    image: .*||' tests/qemu/no-console.yaml >"$tmp/nocon.yaml"
expect_exit 0 "console: none with the UART in a cell checks" \
	"$sphc" check "$tmp/nocon.yaml"
expect_exit 0 "console: none builds" "$sphc" build -q "$tmp/nocon.yaml" -o "$tmp/nocon"
"$sphc" dump "$tmp/nocon/system.bin" >"$tmp/nocon.dump" 2>&1
expect_grep "console: none reserves no UART" "^  console_type: none$" "$tmp/nocon.dump"
expect_grep "console: none: no console address" "^  console_base: 0x0$" "$tmp/nocon.dump"
expect_grep "console: none: no console page" "^  console_page: null$" "$tmp/nocon.dump"
if grep -q "console_page: 0x" "$tmp/nocon.dump"; then ko "console: none gave a cell a console page"; else ok; fi
dtc -I dtb -O dts "$tmp/nocon/cells/serial.dtb" >"$tmp/nocon-serial.dts" 2>/dev/null
expect_grep "console: none: the UART's owner prints to it" 'stdout-path = "/uart0@9000000";' "$tmp/nocon-serial.dts"
dtc -I dtb -O dts "$tmp/nocon/cells/plain.dtb" >"$tmp/nocon-plain.dts" 2>/dev/null
expect_grep "the other cell's device tree decompiles" "sphc,cell-name" "$tmp/nocon-plain.dts"
if grep -q "stdout-path\|arm,pl011" "$tmp/nocon-plain.dts"; then ko "console: none: a cell without a UART got a console"; else ok; fi
log=$(sed -n 's/^__sph_system_blob = \(0x[0-9a-f]*\);$/\1/p' "$tmp/nocon/hypervisor.ld")
log=$(printf '0x%x' $((log - 0x10000)))
expect_grep "hypervisor.ld places the log below the blob" \
	"^__sph_log = __sph_system_blob - 0x10000;" "$tmp/nocon/hypervisor.ld"
expect_grep "manifest.json names the log" "\"log_address\": $((log))," "$tmp/nocon/manifest.json"
expect_grep "run-qemu.sh reads the log at its address" \
	"^exec python3 -c \"\$reader\" $log 65536 qemu-system-aarch64" "$tmp/nocon/run-qemu.sh"
expect_grep "run-qemu.sh keeps QEMU after power-off" "-no-shutdown" "$tmp/nocon/run-qemu.sh"
check "run-qemu.sh is valid sh" "sh -n '$tmp/nocon/run-qemu.sh'"
sed -n "/^reader='/,/^'\$/p" "$tmp/nocon/run-qemu.sh" | sed '1d;$d' >"$tmp/reader.py"
expect_grep "run-qemu.sh holds the log reader" "pmemsave" "$tmp/reader.py"
check "run-qemu.sh's log reader compiles" "python3 -m py_compile '$tmp/reader.py'"
if grep -q -- "-no-shutdown\|__sph_log" "$tmp/nocon.dump" examples/three-cells/system.yaml; then ko "console: none leaks"; else ok; fi
expect_exit 0 "console: none for Xen" "$sphc" build -q --target xen "$tmp/nocon.yaml" -o "$tmp/noconx"
expect_grep "Xen gets console=none" "console=none" "$tmp/noconx/xen/imagebuilder.cfg"
expect_exit 0 "console: none for Bao (a warning)" "$sphc" build --target bao "$tmp/nocon.yaml" -o "$tmp/noconb"
expect_grep "Bao says it has no console: none" "it has no 'console: none' \[target-unsupported\]$" "$tmp/err"
expect_exit 0 "a system with a console keeps run-qemu.sh's console path" \
	"$sphc" build -q examples/three-cells/system.yaml -o "$tmp/withcon"
if grep -q -- "-no-shutdown\|__sph_log" "$tmp/withcon/run-qemu.sh" "$tmp/withcon/hypervisor.ld"; then
	ko "a console system got the log"
else ok; fi

# An image or initrd that exists but cannot be read is check's finding, at
# its line, not build's surprise. Root reads any file whatever its mode, so
# as root a write-only sysfs attribute stands in (open for reading fails
# for root too); otherwise a file of mode 000.
if [ "$(id -u)" = 0 ]; then
	unreadable=/sys/bus/platform/drivers_probe
else
	unreadable="$tmp/unreadable.bin"
	echo x >"$unreadable"
	chmod 000 "$unreadable"
fi
if [ -f "$unreadable" ] && ! cat "$unreadable" >/dev/null 2>&1; then
	mkdir -p "$tmp/unr"
	echo payload >"$tmp/unr/ok.bin"
	for what in image initrd; do
		if [ $what = image ]; then
			img=$unreadable rd=ok.bin
		else
			img=ok.bin rd=$unreadable
		fi
		cat >"$tmp/unr/$what.yaml" <<EOT
sphc: 1
name: t
board: qemu-aarch64-virt
cells:
  - name: a
    cpus: 1
    memory: [ { size: 16M } ]
    image: $img
    initrd: $rd
EOT
		at=$([ $what = image ] && echo 8:12 || echo 9:13)
		expect_exit 1 "unreadable $what: check fails" "$sphc" check --color=never "$tmp/unr/$what.yaml"
		expect_grep "unreadable $what: check says so at its line" \
			"$what.yaml:$at: error: $what '$unreadable' of cell 'a' cannot be read: .*\[image-missing\]" "$tmp/err"
		expect_exit 1 "unreadable $what: build refuses" "$sphc" build --color=never "$tmp/unr/$what.yaml" -o "$tmp/unr/out"
		expect_grep "unreadable $what: build says what check said" \
			"$what.yaml:$at: error: $what '$unreadable' of cell 'a' cannot be read: .*\[image-missing\]" "$tmp/err"
		check "unreadable $what: build wrote nothing" "[ ! -e '$tmp/unr/out' ]"
	done
else
	ko "no unreadable regular file to test with ($unreadable)"
fi

# targets: in the description: what check and build do without --target;
# --target overrides it. A description for Jailhouse alone is not held to
# sph's boot layout: a 64K first region holds no cell device tree.
mkdir -p "$tmp/tg"
cat >"$tmp/tg/jh.yaml" <<'EOT'
sphc: 1
name: t
board: qemu-aarch64-virt
targets: [jailhouse]
cells:
  - { name: a, cpus: 1, memory: [ { size: 64K } ] }
EOT
expect_exit 0 "targets: [jailhouse]: check holds it to Jailhouse only" "$sphc" check --color=never "$tmp/tg/jh.yaml"
expect_exit 0 "targets: [jailhouse]: build writes Jailhouse's" "$sphc" build -q "$tmp/tg/jh.yaml" -o "$tmp/tg/jh"
check "targets: [jailhouse]: Jailhouse's system config (a is the root), no sph blob" \
	"[ -f '$tmp/tg/jh/jailhouse/system.cell' ] && [ ! -e '$tmp/tg/jh/system.bin' ]"
expect_exit 1 "targets: --target sph overrides it" "$sphc" check --color=never --target sph "$tmp/tg/jh.yaml"
expect_grep "targets: --target sph holds it to sph's layout" "\[build-layout\]" "$tmp/err"
sed 's/^targets: \[jailhouse\]$/targets: [jailhouse, sph]/' "$tmp/tg/jh.yaml" >"$tmp/tg/both.yaml"
expect_exit 1 "targets: [jailhouse, sph]: sph's layout counts" "$sphc" check --color=never "$tmp/tg/both.yaml"
expect_grep "targets: [jailhouse, sph]: build-layout" "both.yaml:6:.*\[build-layout\]" "$tmp/err"
sed 's/^targets: \[jailhouse\]$/targets: [jailhouse, vxworks]/' "$tmp/tg/jh.yaml" >"$tmp/tg/bad.yaml"
expect_exit 1 "targets: an unknown target" "$sphc" check --color=never "$tmp/tg/bad.yaml"
expect_grep "targets: an unknown target is located" "bad.yaml:4:22: error: item 2 of 'targets' must be one of .*not 'vxworks' \[bad-value\]" "$tmp/err"

finish cli
