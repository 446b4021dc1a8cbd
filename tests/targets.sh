#!/bin/sh
# The peer-hypervisor targets and U-Boot boot images, for every example on
# every built-in board, plus tests/targets/pinned.yaml (pinned memory,
# payload images, devices, a doorbell) on zcu104:
#   bao  bao/config.c compiles for the target (aarch64, freestanding) and
#        for the host pass Bao's build makes (-DGENERATING_DEFS) against
#        tests/bao/bao_config.h, a stand-in for Bao's <config.h>; with real
#        images it assembles, embedding each one; values match the manifest
#   xen  every .dtb and .dtbo decodes with dtc without a warning;
#        dom0less.dtsi and the passthrough .dts compile without one and say
#        what the blobs say; values match the manifest
#   fit  on U-Boot boards: dumpimage lists boot.itb, every image extracts
#        with the CRC-32 it lists, holds the bytes of its source and loads
#        where the manifest says; boot.cmd compiles with mkimage
# usage: tests/targets.sh SPHC
set -u
sphc=$1
here=$(pwd)
. tests/lib.sh
check=tests/targets/check_targets.py

mkdir -p "$tmp/inc"
echo "#include \"$here/tests/bao/bao_config.h\"" >"$tmp/inc/config.h"

# build SYSTEM BOARD OUT FIT(0|1) [HYPERVISOR]: sphc build with the bao
# and xen targets, and sph's runtime where it drives the board; FIT says
# whether the board gets the FIT (U-Boot boards get it with the runtime),
# made with the runtime binary HYPERVISOR
build() {
	if [ "$4" = 1 ] || runtime_drives "$sphc" "$2" "$1"; then
		targets=sph,bao,xen
	else
		targets=bao,xen
	fi
	"$sphc" build -q --color=never --board "$2" --target $targets \
		${5:+--hypervisor "$5"} "$1" -o "$3"
}

check_bao() {
	lbl=$1
	out=$2
	expect_quiet "$lbl: bao/config.c compiles for aarch64" \
		aarch64-linux-gnu-gcc -ffreestanding -fsyntax-only -std=gnu11 \
		-Wall -Wextra -Werror -I"$tmp/inc" "$out/bao/config.c"
	expect_quiet "$lbl: bao/config.c compiles for the host pass" \
		cc -fsyntax-only -std=c11 -pedantic -DGENERATING_DEFS -Wall -Wextra \
		-Werror -I"$tmp/inc" "$out/bao/config.c"
	expect_quiet "$lbl: bao/config.c matches the manifest" \
		python3 "$check" bao "$out"
}

# check_bao_images WHAT OUT IMAGE...: config.c assembles, embedding them
check_bao_images() {
	lbl=$1
	out=$2
	shift 2
	if aarch64-linux-gnu-gcc -ffreestanding -c -std=gnu11 -I"$tmp/inc" \
		"$out/bao/config.c" -o "$tmp/config.o" 2>"$tmp/err"; then
		ok
	else
		ko "$lbl: bao/config.c does not assemble with its images" "$tmp/err"
		return
	fi
	for image in "$@"; do
		name=$(basename "$image" .bin)
		size=$(aarch64-linux-gnu-readelf -S -W "$tmp/config.o" |
			sed -n "s/.* \.vm_image_${name}_image *PROGBITS *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1/p")
		if [ -n "$size" ] && [ $((0x$size)) = "$(wc -c <"$image")" ]; then
			ok
		else
			ko "$lbl: .vm_image_${name}_image is '$size' bytes, not the size of $image"
		fi
	done
}

check_xen() {
	lbl=$1
	out=$2
	for blob in "$out"/xen/*.dtb; do
		[ -e "$blob" ] || continue
		expect_quiet "$lbl: $(basename "$blob") decodes" \
			dtc -I dtb -O dts -o "$tmp/decoded.dts" "$blob"
	done
	# Xen reads xen,static-mem with the cells of /chosen, so a system
	# with pinned memory sets them there, and dtc's lint, which expects
	# children with reg under a node with #address-cells, flags it
	# (domain nodes have no reg). That one warning is expected then.
	lint='^$'
	if grep -q 'xen,static-mem' "$out/xen/dom0less.dtsi"; then
		lint='Warning (avoid_unnecessary_addr_size): \(/chosen\|/fragment@0/__overlay__\): '
	fi
	if dtc -I dtb -O dts -o "$tmp/decoded.dts" "$out/xen/dom0less.dtbo" \
		2>"$tmp/err0" && ! grep -v "$lint" "$tmp/err0" >"$tmp/err"; then
		ok
	else
		ko "$lbl: dom0less.dtbo does not decode cleanly" "$tmp/err0"
	fi
	(echo '/dts-v1/;'; cat "$out/xen/dom0less.dtsi") >"$tmp/dtsi.dts"
	if dtc -I dts -O dtb -o "$tmp/dtsi.dtb" "$tmp/dtsi.dts" 2>"$tmp/err0" &&
		! grep -v "$lint" "$tmp/err0" >"$tmp/err"; then
		ok
	else
		ko "$lbl: dom0less.dtsi does not compile cleanly" "$tmp/err0"
	fi
	for dts in "$out"/xen/*-passthrough.dts; do
		[ -e "$dts" ] || continue
		expect_quiet "$lbl: $(basename "$dts") compiles" \
			dtc -I dts -O dtb -o "$tmp/pt.dtb" "$dts"
		dtc -I dtb -O dts "$tmp/pt.dtb" >"$tmp/a.dts" 2>/dev/null
		dtc -I dtb -O dts "${dts%.dts}.dtb" >"$tmp/b.dts" 2>/dev/null
		if cmp -s "$tmp/a.dts" "$tmp/b.dts"; then
			ok
		else
			diff "$tmp/a.dts" "$tmp/b.dts" >"$tmp/err"
			ko "$lbl: $(basename "$dts") and its .dtb differ" "$tmp/err"
		fi
	done
	expect_quiet "$lbl: xen/ matches the manifest" \
		python3 "$check" xen "$out" "$tmp/dtsi.dtb"
}

check_fit() {
	lbl=$1
	out=$2
	expect_quiet "$lbl: boot.itb lists and matches the manifest" \
		python3 "$check" fit "$out"
	expect_quiet "$lbl: boot.cmd compiles" \
		mkimage -q -A arm64 -T script -C none -d "$out/boot.cmd" \
		"$tmp/boot.scr"
}

# check_manifest WHAT OUT FILE...: the manifest records the target files
check_manifest() {
	lbl=$1
	out=$2
	shift 2
	for f in "$@"; do
		if grep -q "\"path\": \"$f\"" "$out/manifest.json"; then
			ok
		else
			ko "$lbl: manifest.json does not list $f"
		fi
	done
}

# run SYSTEM BOARD NAME [IMAGE...]
run() {
	system=$1
	board=$2
	label="$3 on $board"
	shift 3
	out="$tmp/builds/$(echo "$label" | tr ' /' '__')"
	fit=1
	case "$board" in qemu*) fit=0 ;; esac
	runtime_drives "$sphc" "$board" "$system" || fit=0
	if build "$system" "$board" "$out" "$fit" >"$tmp/log" 2>&1; then
		ok
	else
		ko "$label: the build failed" "$tmp/log"
		return
	fi
	if grep -q ': error: ' "$tmp/log"; then
		ko "$label: the build reported errors" "$tmp/log"
	fi
	# Every built-in board records its devices' host DT paths (xen,path).
	if grep -q 'does not record the device-tree path' "$tmp/log"; then
		ko "$label: a device without dt-path" "$tmp/log"
	else ok; fi
	check_bao "$label" "$out"
	[ $# -gt 0 ] && check_bao_images "$label" "$out" "$@"
	check_xen "$label" "$out"
	check_manifest "$label" "$out" bao/config.c xen/dom0less.dtbo \
		xen/dom0less.dtsi xen/imagebuilder.cfg
	if [ "$fit" = 1 ]; then
		check_fit "$label" "$out"
		check_manifest "$label" "$out" boot.itb boot.cmd
	elif [ -e "$out/boot.itb" ]; then
		ko "$label: a FIT image for a QEMU board"
	fi
}

for example in examples/*/system.yaml; do
	for board in boards/*.yaml; do
		# AArch64 examples; 32-bit ARM boards: tests/jailhouse.sh.
		grep -q '^arch: arm$' "$board" && continue
		run "$example" "$(basename "$board" .yaml)" \
			"$(basename "$(dirname "$example")")"
	done
done

# Pinned memory and real payloads, next to the fixture in a scratch copy.
mkdir -p "$tmp/pinned/images"
cp tests/targets/pinned.yaml "$tmp/pinned/system.yaml"
head -c 12345 /dev/urandom >"$tmp/pinned/images/rtos.bin"
head -c 300000 /dev/urandom >"$tmp/pinned/images/linux.bin"
run "$tmp/pinned/system.yaml" zcu104 pinned \
	"$tmp/pinned/images/rtos.bin" "$tmp/pinned/images/linux.bin"

# The FIT with a runtime: a stub linked with the build's hypervisor.ld
# (an ELF, flattened into the FIT image from its load segments).
out="$tmp/builds/pinned_on_zcu104"
printf '\t.section .text.boot, "ax"\n\t.global _start\n_start:\tb _start\n\t.bss\n\t.space 8192\n' \
	>"$tmp/hyp.S"
if aarch64-linux-gnu-gcc -ffreestanding -nostdlib -static -fno-pie -no-pie \
	-T "$out/hypervisor.ld" "$tmp/hyp.S" -o "$tmp/hyp.elf" 2>"$tmp/err" &&
	aarch64-linux-gnu-objcopy -O binary "$tmp/hyp.elf" "$tmp/hyp.bin" &&
	build "$tmp/pinned/system.yaml" zcu104 "$out.hyp" 1 "$tmp/hyp.elf" \
		>"$tmp/log" 2>&1; then
	ok
	expect_quiet "pinned on zcu104 with a runtime: boot.itb" \
		python3 "$check" fit "$out.hyp" "$tmp/hyp.bin"
	if grep -q 'holds no hypervisor' "$out.hyp/boot.cmd"; then
		ko "pinned on zcu104 with a runtime: boot.cmd says there is none"
	else
		ok
	fi
else
	cat "$tmp/log" >>"$tmp/err"
	ko "pinned on zcu104: a FIT with a stub runtime" "$tmp/err"
fi

# check --hypervisor FILE sizes the FIT with the real runtime, as build
# does: on zcu104 with 3M of RAM left, a 4 MiB runtime leaves boot.itb no
# room. Without --hypervisor the FIT fits; build with it says what check
# said and writes nothing.
mkdir -p "$tmp/fitc"
cat >"$tmp/fitc/system.yaml" <<'EOT'
sphc: 1
name: t
board: zcu104
hypervisor:
  memory: { size: 16M }
cells:
  - { name: a, cpus: 1, memory: [ { size: 2026M } ] }
EOT
expect_exit 0 "check --hypervisor: the system builds without one" \
	"$sphc" build -q "$tmp/fitc/system.yaml" -o "$tmp/fitc/plain"
printf '\t.section .text.boot, "ax"\n\t.global _start\n_start:\tb _start\n\t.data\n\t.fill 4194304, 1, 0x5a\n' \
	>"$tmp/fitc/big.S"
if aarch64-linux-gnu-gcc -ffreestanding -nostdlib -static -fno-pie -no-pie \
	-T "$tmp/fitc/plain/hypervisor.ld" "$tmp/fitc/big.S" -o "$tmp/fitc/big.elf" 2>"$tmp/err"; then
	ok
	fitmsg="system.yaml:1:1: error: no free RAM on board 'zcu104' to load boot.itb (up to [0-9]* bytes) at boot: U-Boot needs it in RAM no cell, shared region or the hypervisor takes \[target-limit\]"
	expect_exit 0 "check --hypervisor: fits without the runtime" \
		"$sphc" check --color=never "$tmp/fitc/system.yaml"
	expect_exit 1 "check --hypervisor: a 4 MiB runtime does not fit" \
		"$sphc" check --color=never --hypervisor "$tmp/fitc/big.elf" "$tmp/fitc/system.yaml"
	expect_grep "check --hypervisor: says why" "$fitmsg" "$tmp/err"
	expect_exit 1 "check --hypervisor: build refuses it too" \
		"$sphc" build --color=never --hypervisor "$tmp/fitc/big.elf" "$tmp/fitc/system.yaml" -o "$tmp/fitc/big"
	expect_grep "check --hypervisor: build says what check said" "$fitmsg" "$tmp/err"
	check "check --hypervisor: build wrote nothing" "[ ! -e '$tmp/fitc/big' ]"
else
	ko "check --hypervisor: link a 4 MiB stub runtime" "$tmp/err"
fi
expect_exit 2 "check --hypervisor /dev/zero is refused" \
	"$sphc" check --hypervisor /dev/zero "$tmp/fitc/system.yaml"
expect_grep "check --hypervisor /dev/zero: the reason" \
	"hypervisor binary '/dev/zero' is not a regular file" "$tmp/err"

# Raw MMIO (cell `mmio:`): a Bao device region per range, whole pages, no
# interrupt; Xen dom0less cannot map MMIO without a host device-tree node,
# and says so.
expect_exit 0 "raw MMIO: bao and xen" "$sphc" build -q --color=never --target bao,xen \
	tests/good/mmio.yaml -o "$tmp/mmio"
expect_grep "raw MMIO: Xen says it cannot map it" \
	"mmio.yaml:18:9: warning: Xen dom0less maps MMIO only with a node of the host device tree (xen,path): raw MMIO \[0xc020000, 0xc030000) is not given to cell 'b' \[target-unsupported\]" "$tmp/err"
check_bao "raw MMIO" "$tmp/mmio"
check "raw MMIO: a Bao device region of a page for the 0x100 range" \
	"grep -A4 '{ /\* MMIO \*/' '$tmp/mmio/bao/config.c' | tr -d '\t\n' | grep -q '.pa = 0xc010000,.va = 0xc010000,.size = 0x1000,.interrupt_num = 0,'"
expect_grep "raw MMIO: the named range" "{ /\* MMIO fpga \*/" "$tmp/mmio/bao/config.c"

# A shareable console and GPIO listed by two cells: Bao routes neither
# interrupt, and the cells' device trees describe the registers without
# interrupts (a driver waiting for one would hang).
expect_exit 0 "shared devices: bao" "$sphc" build -q --color=never --target bao \
	tests/good/shared-uart.yaml -o "$tmp/shared"
check "shared devices: no Bao interrupt for the UART" \
	"grep -A4 '{ /\\* uart0 \\*/' '$tmp/shared/bao/config.c' | grep -q '.interrupt_num = 0,'"
check "shared devices: no Bao interrupt for the GPIO" \
	"grep -A4 '{ /\\* gpio0 \\*/' '$tmp/shared/bao/config.c' | grep -q '.interrupt_num = 0,'"
dtc -I dtb -O dts "$tmp/shared/cells/b.dtb" >"$tmp/shared-b.dts" 2>/dev/null
# Every built-in board's console is shareable: Xen keeps its UART and gives
# each domain its vpl011 (no passthrough of Xen's console), Bao maps the
# UART to the cell without its interrupt and says its output mixes there.
expect_exit 0 "shared console: xen and bao" "$sphc" build --color=never --target xen,bao \
	tests/good/console-shared.yaml -o "$tmp/conshare"
check "shared console: no Xen passthrough of its console" \
	"[ ! -e '$tmp/conshare/xen/a-passthrough.dtb' ] && ! grep -q 'uart0\\|PASSTHROUGH' '$tmp/conshare/xen/imagebuilder.cfg'"
check "shared console: each Xen domain has its vpl011" \
	"[ \$(grep -c 'vpl011;' '$tmp/conshare/xen/dom0less.dtsi') = 2 ]"
check "shared console: Bao maps the UART without its interrupt" \
	"grep -A4 '{ /\\* uart0 \\*/' '$tmp/conshare/bao/config.c' | grep -q '.interrupt_num = 0,'"
expect_grep "shared console: Bao says the output mixes" \
	"console-shared.yaml:9:62: warning: Bao prints to 'uart0' (its platform's console), which cell 'a' owns: Bao's and the cell's output mix there \[target-inexact\]" "$tmp/err"

# sph's runtime gives a cell that lists the hypervisor's console its
# console page there, never the UART: one node, the page's.
expect_grep "shared devices: b's tree has the console page" "serial@9000000 {" "$tmp/shared-b.dts"
check "shared devices: b's tree has no second node for the UART" \
	"[ \$(grep -c '@9000000 {' '$tmp/shared-b.dts') = 1 ]"
expect_grep "shared devices: stdout-path is the console page" 'stdout-path = "/serial@9000000";' "$tmp/shared-b.dts"
expect_grep "shared devices: b's tree has the GPIO" "gpio0@9030000 {" "$tmp/shared-b.dts"
check "shared devices: the GPIO without interrupts" \
	"! sed -n '/gpio0@9030000 {/,/};/p' '$tmp/shared-b.dts' | grep -q interrupts"
check "shared devices: b's header has no GPIO interrupt" \
	"grep -q 'CELL_B_GPIO0_BASE' '$tmp/shared/cells/b.h' && ! grep -q 'CELL_B_GPIO0_IRQ' '$tmp/shared/cells/b.h'"
check "shared devices: no interrupt routed to b" \
	"grep -q '^#define CELL_B_NUM_IRQS 0\$' '$tmp/shared/cells/b.h'"

finish targets
