#!/bin/sh
# SPDX-License-Identifier: MIT
# make stats: the runtime's size. Lines (wc -l) of C, headers and assembly,
# for the runtime itself and for the blob ABI and validator it shares with
# sphc; then .text (and .rodata) of the linked objects.
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
"${cross}size" -A "$OLDPWD/$obj" | awk '
	$1 ~ /^\.text/ { text += $2 }
	$1 ~ /^\.rodata/ { rodata += $2 }
	END { printf ".text: %d bytes (%.1f KiB); .rodata: %d bytes\n",
		text, text / 1024, rodata }'
