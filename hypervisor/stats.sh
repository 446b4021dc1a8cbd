#!/bin/sh
# SPDX-License-Identifier: MIT
# make stats: the runtime's size. Lines (wc -l) of C, headers and assembly,
# for the runtime itself and for the blob ABI and validator it shares with
# sphc; code lines as cloc counts them (neither blank nor only comment: the
# measure of the 4,000-line budget); then .text (and .rodata) of the linked
# objects.
# usage: hypervisor/stats.sh obj/hyp/hypervisor.o [CROSS-PREFIX]
set -eu
obj=$1
cross=${2:-aarch64-linux-gnu-}
cd "$(dirname "$0")"

lines() { if [ $# -gt 0 ]; then cat "$@" | wc -l; else echo 0; fi; }

row() {
	name=$1
	shift
	c=$(lines $(ls "$@" 2>/dev/null | grep '\.c$' || true))
	h=$(lines $(ls "$@" 2>/dev/null | grep '\.h$' || true))
	s=$(lines $(ls "$@" 2>/dev/null | grep '\.S$' || true))
	printf '%-34s %6d %8d %9d %6d\n' "$name" "$c" "$h" "$s" $((c + h + s))
}

printf '%-34s %6s %8s %9s %6s\n' "lines (hypervisor/)" C headers assembly total
row "runtime (core, arch, drivers, include/hyp)" core/*.c arch/*/*.[cS] drivers/*.c \
	arch/*/include/asm/*.h include/hyp/*.h include/sph/hypercall.h
row "blob ABI + validator (shared)" lib/*.c include/sph/abi.h include/sph/blob.h
row "all" core/*.c arch/*/*.[cS] drivers/*.c arch/*/include/asm/*.h include/hyp/*.h \
	include/sph/*.h lib/*.c
# cloc-style: lines with code, not blank and not only comments (/* */, //).
code() {
	cat "$@" | awk '{
		out = ""; i = 1; n = length($0)
		while (i <= n) {
			if (incom) {
				j = index(substr($0, i), "*/")
				if (j == 0) i = n + 1; else { i += j + 1; incom = 0 }
			} else if (substr($0, i, 2) == "/*") { incom = 1; i += 2 }
			else if (substr($0, i, 2) == "//") i = n + 1
			else { out = out substr($0, i, 1); i++ }
		}
		if (out ~ /[^ \t]/) code++
	} END { print code + 0 }'
}
printf 'code lines (cloc-style, no blank or comment lines): runtime %d, all %d\n' \
	"$(code core/*.c arch/*/*.[cS] drivers/*.c arch/*/include/asm/*.h \
		include/hyp/*.h include/sph/hypercall.h)" \
	"$(code core/*.c arch/*/*.[cS] drivers/*.c arch/*/include/asm/*.h \
		include/hyp/*.h include/sph/*.h lib/*.c)"
"${cross}size" -A "$OLDPWD/$obj" | awk '
	$1 ~ /^\.text/ { text += $2 }
	$1 ~ /^\.rodata/ { rodata += $2 }
	END { printf ".text: %d bytes (%.1f KiB); .rodata: %d bytes\n",
		text, text / 1024, rodata }'
