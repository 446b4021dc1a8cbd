#!/bin/sh
# Run the libFuzzer harness (tests/fuzz/fuzz_check.c) for a while.
#
#   tests/fuzz/run.sh FUZZER SECONDS [CORPUS] [LIBFUZZER-ARGS...]
#
# The corpus is seeded at run time from every YAML file of the tree
# (examples, boards, tests/bad, tests/good) and never committed. Without
# CORPUS a fresh one in a temporary directory is used, with a fixed seed, so a
# short CI run does the same work each time; `make fuzz` passes the lasting
# tests/.cache/fuzz/corpus instead. Crashes, leaks and timeouts are saved in
# tests/.cache/fuzz/ (crash-*, leak-*, timeout-*): reproduce one with
# `FUZZER FILE`, fix the bug, then add it as a case under tests/bad/ with its
# exact expected output.
set -u
fuzzer=$1
secs=$2
shift 2
corpus=
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	corpus=$1
	shift
fi
top=$(pwd)
cache=$top/tests/.cache/fuzz
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$corpus" ]; then
	corpus=$tmp/corpus
	set -- -seed=1 "$@"
fi
mkdir -p "$corpus"
find examples boards tests/bad tests/good -name '*.yaml' | sort | while read -r f; do
	cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"
done
SPHC_FUZZ_SYSTEM=$top/examples/linux-rtos/system.yaml
export SPHC_FUZZ_SYSTEM
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export ASAN_OPTIONS UBSAN_OPTIONS
echo "fuzz: $(basename "$fuzzer") for ${secs}s over $(ls "$corpus" | wc -l) inputs"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=16384 -dict=tests/fuzz/sphc.dict -print_final_stats=1 \
	-artifact_prefix="$cache/" "$@" "$corpus" </dev/null >"$tmp/log" 2>&1
status=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$tmp/log" |
	sed 's/^/    /'
if [ $status -ne 0 ]; then
	echo "fuzz: FAILED (exit $status); the end of libFuzzer's log:"
	tail -n 60 "$tmp/log" | sed 's/^/    /'
	ls "$cache"/crash-* "$cache"/leak-* "$cache"/timeout-* "$cache"/oom-* 2>/dev/null |
		sed 's/^/    saved: /'
	exit 1
fi
echo "fuzz: ok ($(sed -n "s/^stat::number_of_executed_units: *//p" "$tmp/log") inputs run, no crash)"
