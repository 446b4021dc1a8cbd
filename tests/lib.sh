# Shared by the tests/*.sh suites; sourced, never run:
#
#   . tests/lib.sh
#
# sets pass=0, fail=0 and tmp (a directory removed at exit) and gives:
#   ok                          count a pass
#   ko WHAT [FILE]              count a failure: "FAIL: WHAT", then the first
#                               20 lines of FILE, indented, when it has any
#   check WHAT EXPR             ok when `eval EXPR` succeeds, else ko WHAT
#   expect_exit STATUS WHAT CMD...
#                               run CMD (stdout in $tmp/out, stderr in
#                               $tmp/err); ko with its stderr unless it
#                               exits with STATUS
#   expect_grep WHAT PATTERN FILE
#                               ok when FILE has a line matching PATTERN
#   expect_quiet WHAT CMD...    ok when CMD succeeds and prints nothing on
#                               stderr (stdout in $tmp/stdout)
#   finish NAME                 print "NAME: P passed, F failed"; the status
#                               of the suite (call it last)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
	pass=$((pass + 1))
}

ko() {
	fail=$((fail + 1))
	echo "FAIL: $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		head -n 20 "$2" | sed 's/^/    /'
	fi
}

check() {
	if eval "$2"; then ok; else ko "$1"; fi
}

expect_exit() {
	_want=$1
	_what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	_got=$?
	if [ "$_got" = "$_want" ]; then ok; else
		ko "$_what: exit $_got, expected $_want" "$tmp/err"
	fi
}

expect_grep() {
	if grep -q -- "$2" "$3"; then ok; else ko "$1: no '$2' in $(basename "$3")"; fi
}

expect_quiet() {
	_what=$1
	shift
	if "$@" >"$tmp/stdout" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
		ok
	else
		cat "$tmp/stdout" >>"$tmp/err"
		ko "$_what" "$tmp/err"
	fi
}

finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# runtime_drives SPHC BOARD SYSTEM: whether sph's runtime drives BOARD for
# SYSTEM, i.e. `sphc check` reports no runtime-unsupported. Where it does
# not, the suites build only other hypervisors' configs
# (--target jailhouse,bao,xen), as a user of that board would.
runtime_drives() {
	! NO_COLOR=1 "$1" check --color=never --board "$2" "$3" 2>&1 |
		grep -q '\[runtime-unsupported\]$'
}
