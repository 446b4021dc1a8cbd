#!/bin/sh
# The Jailhouse target end to end:
#   - every example on every board, written as Jailhouse configs (revision 14;
#     13 and 12 for two each), decoded by tests/jailhouse/jhdecode.py (written
#     from the format reference, not from the C encoder) and compared field
#     by field with what the documented mapping gives (check_emit.py);
#   - `sphc import jailhouse` round trips: YAML -> .cell -> YAML describes the
#     same resources (compare_maps.py) and builds the same bytes again;
#   - imported configs with an overlap, an interrupt routed twice and a shared
#     region mapped inconsistently, which Jailhouse's own checker lets pass
#     and `sphc check` reports;
#   - Jailhouse's qemu-arm64 reference set imports and checks clean;
#   - the defects Jailhouse's checker found in its shipped configs, rebuilt
#     by make_defects.py (revisions 12 to 14, 32-bit ARM), each reported by
#     the import on the regions as declared, with rule and regions compared
#     exactly by findings.py; their fixed configs clean;
#   - truncated configs of each revision, and 60000 regions in one sweep;
#   - `sphc board import` of QEMU's own device tree against
#     boards/qemu-aarch64-virt.yaml (compare_board.py).
# The configs are written by JAILHOUSE_EMIT (tests/jailhouse/emit.c: the
# Jailhouse backend alone), because imported systems whose root cell owns
# all RAM leave no room for the boot images the other targets of
# `sphc build` need; one test below goes through `sphc build --target`.
# usage: tests/jailhouse.sh SPHC JAILHOUSE_EMIT
set -u
sphc=$1
emit=$2
py=/usr/bin/python3
dir=tests/jailhouse
. tests/lib.sh

# A Python checker's FAIL lines are shown; its RESULT line is counted.
count() {
	label=$1
	shift
	"$@" >"$tmp/py" 2>&1
	result=$(sed -n 's/^RESULT //p' "$tmp/py")
	if [ -z "$result" ]; then
		ko "$label: the checker did not finish"
		sed 's/^/    /' "$tmp/py" | tail -20
		return
	fi
	grep -v '^RESULT' "$tmp/py" | sed "s|^|    $label: |"
	pass=$((pass + ${result% *}))
	fail=$((fail + ${result#* }))
}

root_of() {
	$py -c 'import sys; sys.path.insert(0, sys.argv[1]); import jhdecode
print(jhdecode.decode(sys.argv[2])["root_cell"]["name"])' "$dir" "$1"
}

# --- the backend ----------------------------------------------------------------

for example in examples/*/system.yaml; do
	ex=$(basename "$(dirname "$example")")
	for b in boards/*.yaml; do
		# AArch64 examples; the 32-bit ARM board has its own system below.
		grep -q '^arch: arm$' "$b" && continue
		board=$(basename "$b" .yaml)
		out=$tmp/$ex.$board
		mkdir -p "$out"
		expect_exit 0 "$ex on $board" "$emit" "$example" "$out" "$board" 14
		count "$ex on $board" $py $dir/check_emit.py "$sphc" "$example" "$board" "$out" 14
	done
done
for case in linux-rtos:qemu-aarch64-virt:13 three-cells:zcu104:13 \
	linux-rtos:zcu104:12 three-cells:qemu-aarch64-virt:12; do
	ex=${case%%:*}
	rev=${case##*:}
	board=${case#*:}
	board=${board%:*}
	out=$tmp/$ex.$board.r$rev
	mkdir -p "$out"
	expect_exit 0 "$ex on $board, revision $rev" "$emit" "examples/$ex/system.yaml" "$out" "$board" $rev
	count "$ex on $board, revision $rev" $py $dir/check_emit.py "$sphc" \
		"examples/$ex/system.yaml" "$board" "$out" $rev
done

# What Jailhouse cannot express is said, as warnings.
"$emit" examples/three-cells/system.yaml "$tmp/warn" zcu104 2>"$tmp/err"
expect_grep "colors are reported as dropped" "colors of cell 'linux' are dropped.*\[target-unsupported\]" "$tmp/err"
expect_grep "doorbells are reported as dropped" "doorbell of shared region 'setpoints'.*\[target-unsupported\]" "$tmp/err"
expect_grep "critical cells are reported" "critical cell does not boot first \[target-unsupported\]" "$tmp/err"
"$sphc" rules >"$tmp/rules"
expect_grep "rules list target-unsupported" "^target-unsupported *warning" "$tmp/rules"
expect_grep "rules list target-limit" "^target-limit *error" "$tmp/rules"

# Limits of the format are errors and nothing is written.
grep -v 'virtual-control\|virtual-cpu-interface' boards/zcu104.yaml >"$tmp/zcu104.yaml"
mkdir -p "$tmp/novirt"
expect_exit 1 "GICv2 board without GICH/GICV" "$emit" examples/linux-rtos/system.yaml "$tmp/novirt" "$tmp/zcu104.yaml"
expect_grep "GICv2 board without GICH/GICV says why" "needs the GICv2 virtual interface.*\[target-limit\]" "$tmp/err"
if [ -e "$tmp/novirt/jailhouse/system.cell" ]; then ko "a failed emit wrote files"; else ok; fi
cat >"$tmp/longname.yaml" <<'EOF'
sphc: 1
name: long
board: qemu-aarch64-virt
cells:
  - { name: linux, cpus: 1, memory: [ { size: 16M } ] }
  - { name: a-cell-name-of-thirty-two-chars-, cpus: 1, memory: [ { size: 16M } ] }
EOF
mkdir -p "$tmp/long"
expect_exit 1 "a 32-character cell name" "$emit" "$tmp/longname.yaml" "$tmp/long"
expect_grep "a 32-character cell name is a target-limit" "at most 31 characters.*\[target-limit\]" "$tmp/err"
mkdir -p "$tmp/r11"
expect_exit 1 "revision 11" "$emit" examples/linux-rtos/system.yaml "$tmp/r11" "" 11
expect_grep "revision 11 is a target-limit" "revision 11 is not supported (12, 13 or 14).*\[target-limit\]" "$tmp/err"
if [ -e "$tmp/r11/jailhouse" ]; then ko "revision 11 wrote files"; else ok; fi

# --- import: round trips ------------------------------------------------------------

for case in linux-rtos:qemu-aarch64-virt three-cells:qemu-aarch64-virt \
	linux-rtos:zcu104 three-cells:zcu104 three-cells:imx8qm three-cells:rpi4 \
	linux-rtos:qemu-aarch64-virt.r13 three-cells:zcu104.r13 \
	linux-rtos:zcu104.r12 three-cells:qemu-aarch64-virt.r12; do
	ex=${case%%:*}
	tag=${case#*:}
	board=${tag%.r1[23]}
	rev=14
	[ "$tag" != "$board" ] && rev=${tag##*.r}
	out=$tmp/$ex.$tag
	what="round trip of $ex on $tag"
	set -- "$out/jailhouse/system.cell"
	for cell in "$out"/jailhouse/*.cell; do
		[ "$cell" = "$out/jailhouse/system.cell" ] || set -- "$@" "$cell"
	done
	# No --board: the board is found from the GIC and console addresses.
	expect_exit 0 "$what: import" "$sphc" import jailhouse "$@" -o "$out/back.yaml"
	expect_exit 0 "$what: the import checks clean" "$sphc" check \
		--target jailhouse "$out/back.yaml"
	expect_grep "$what: the board is recognized" "ok for board $board " "$tmp/out"
	mkdir -p "$out/again"
	expect_exit 0 "$what: build again" "$emit" "$out/back.yaml" "$out/again" "" "$rev"
	for f in "$out"/jailhouse/*.cell; do
		if cmp -s "$f" "$out/again/jailhouse/$(basename "$f")"; then ok; else
			ko "$what: $(basename "$f") differs when built from the import"
		fi
	done
	"$sphc" map "$out/plain.yaml" >"$out/map-before.txt" 2>/dev/null
	"$sphc" map "$out/back.yaml" >"$out/map-after.txt" 2>/dev/null
	count "$what: resources" $py $dir/compare_maps.py "$out/map-before.txt" \
		"$out/map-after.txt" "$(root_of "$out/jailhouse/system.cell")"
done
expect_exit 0 "import to stdout" "$sphc" import jailhouse "$tmp/linux-rtos.zcu104/jailhouse/system.cell" \
	"$tmp/linux-rtos.zcu104/jailhouse/rtos.cell" --board zcu104
expect_grep "import to stdout writes YAML" "^board: zcu104$" "$tmp/out"

# --- import: what Jailhouse's checker misses, sphc reports -----------------------------

base=$tmp/three-cells.qemu-aarch64-virt/jailhouse
import_broken() {
	rm -rf "$tmp/broken"
	cp -r "$base" "$tmp/broken"
}
# linux's first RAM region moved onto control's RAM.
import_broken
$py $dir/patch_cell.py "$tmp/broken/linux.cell" copy-region "$tmp/broken/control.cell" 0 0
expect_exit 0 "overlap: import" "$sphc" import jailhouse "$tmp/broken/system.cell" \
	"$tmp/broken/control.cell" "$tmp/broken/linux.cell" -o "$tmp/overlap.yaml"
expect_exit 1 "overlap: check" "$sphc" check "$tmp/overlap.yaml"
expect_grep "overlap is reported" "error: .*\[memory-overlap\]" "$tmp/err"
# control also given linux's virtio0 interrupt (INTID 48).
import_broken
$py $dir/patch_cell.py "$tmp/broken/control.cell" add-intid 48
expect_exit 0 "IRQ conflict: import" "$sphc" import jailhouse "$tmp/broken/system.cell" \
	"$tmp/broken/control.cell" "$tmp/broken/linux.cell" -o "$tmp/irq.yaml"
expect_exit 1 "IRQ conflict: check" "$sphc" check "$tmp/irq.yaml"
expect_grep "IRQ routed twice is reported" "error: .*interrupt 48.*\[irq-" "$tmp/err"
# control maps shared region setpoints (its region 1) twice as large as linux.
import_broken
$py $dir/patch_cell.py "$tmp/broken/control.cell" region 1 size 0x20000
# It now runs into control's next region: the import already says so.
expect_exit 1 "shared mismatch: import" "$sphc" import jailhouse "$tmp/broken/system.cell" \
	"$tmp/broken/control.cell" "$tmp/broken/linux.cell" -o "$tmp/shm.yaml"
expect_grep "shared mismatch: the overlap inside control is reported" \
	"control.cell: error: cell 'control': memory region #2 .* overlaps its memory region #1 .*\[memory-overlap\]" "$tmp/err"
expect_exit 1 "shared mismatch: check" "$sphc" check "$tmp/shm.yaml"
expect_grep "inconsistent shared memory is reported" "error: .*\[shared-overlap\]" "$tmp/err"

# A region control marks ROOTSHARED, inside the root cell's RAM and not
# listed by the root: the root cell (comms) has it too, read-write.
import_broken
for f in control linux; do
	n=$([ $f = control ] && echo 1 || echo 2)
	$py $dir/patch_cell.py "$tmp/broken/$f.cell" region $n phys 0x57700000
	$py $dir/patch_cell.py "$tmp/broken/$f.cell" region $n virt 0x57700000
done
$py $dir/patch_cell.py "$tmp/broken/control.cell" region 1 flags 0x81
# Moving linux's region #2 there puts it inside its region #1, which the
# import reports as declared (exit 1); the description is still written.
expect_exit 1 "ROOTSHARED: import" "$sphc" import jailhouse "$tmp/broken/system.cell" \
	"$tmp/broken/control.cell" "$tmp/broken/linux.cell" -o "$tmp/rootshared.yaml"
expect_grep "ROOTSHARED: linux's own overlap is reported" \
	"linux.cell: error: cell 'linux': memory region #2 .* overlaps its memory region #1 .*\[memory-overlap\]" "$tmp/err"
check "ROOTSHARED: the root cell shares the region read-write" \
	"grep -A3 'base: 0x5770_0000' '$tmp/rootshared.yaml' | grep -q 'access: { comms: rw, control: ro, linux: rw }'"

# check_jh_demo WHAT FILE: the imported qemu-arm64 set checks (a plain
# check: the import says targets: [jailhouse]) with one true warning (the
# root's 121M region is not 2M aligned) and builds for Jailhouse: the
# inmate's 64K loader region at guest address 0 is written as imported.
# Only a check for sph's runtime asks for room for sph's device tree and
# stacks, which those 64K do not have.
check_jh_demo() {
	expect_grep "$1: the import is for Jailhouse" "^targets: \[jailhouse\]$" "$2"
	expect_exit 0 "$1 for jailhouse" "$sphc" check "$2"
	if grep -E ': (error|warning): ' "$tmp/err" |
		grep -v "\[superpage-alignment\]$" | grep -q .; then
		ko "$1 for jailhouse: more than the true warning" "$tmp/err"
	else
		ok
	fi
	rm -rf "$tmp/jh/built"
	expect_exit 0 "$1: builds for jailhouse" "$sphc" build -q "$2" -o "$tmp/jh/built"
	if $py -c 'import sys; sys.path.insert(0, sys.argv[1]); import jhdecode
m = jhdecode.decode(sys.argv[2])["memory"]
sys.exit(not any(r["phys"] == 0x7fa00000 and r["virt"] == 0 and r["size"] == 0x10000 for r in m))' \
		"$dir" "$(ls "$tmp"/jh/built/jailhouse/inmate-demo*.cell | head -1)" 2>"$tmp/py"; then
		ok
	else
		ko "$1: the built inmate keeps its 64K loader region at 0" "$tmp/py"
	fi
	expect_exit 1 "$1 for sph" "$sphc" check --target sph "$2"
	expect_grep "$1: the inmate's loader region is too small for sph's layout" \
		"error: the first memory region of cell 'inmate-demo[-0-9]*' (64K) is too small.*\[build-layout\]" "$tmp/err"
}

# Jailhouse's own qemu-arm64 demo configs (packed from the reference's tables).
$py $dir/make_qemu_arm64.py "$tmp/jh"
expect_exit 0 "qemu-arm64 demos: import" "$sphc" import jailhouse "$tmp/jh/qemu-arm64.cell" \
	"$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/qemu-arm64-linux-demo.cell" -o "$tmp/jh/demo.yaml"
expect_grep "qemu-arm64 demos: ivshmem PCI devices are reported" "2 PCI devices.*\[target-unsupported\]" "$tmp/err"
expect_grep "qemu-arm64 demos: the root keeps only the board's CPUs" "lists CPUs that board 'qemu-aarch64-virt' does not have" "$tmp/err"
expect_grep "qemu-arm64 demos: the board is recognized" "^board: qemu-aarch64-virt$" "$tmp/jh/demo.yaml"
expect_grep "qemu-arm64 demos: the loader region keeps its guest address" "base: 0x7F90_0000, size: 64K, ipa: 0x0000_0000" "$tmp/jh/demo.yaml"
expect_grep "qemu-arm64 demos: ivshmem output sections are shared regions" "access: { qemu-arm64: ro, qemu-arm64-linux-demo: rw }" "$tmp/jh/demo.yaml"
expect_grep "qemu-arm64 demos: vPCI interrupts stay with the cell" "irqs: \[140, 141\]" "$tmp/jh/demo.yaml"
# qemu-aarch64-virt marks its console shareable: the demos keep the debug
# UART they map (no warning). Cells that map the debug console are
# Jailhouse's standard pattern, not a device-conflict: the reference set
# checks clean.
if grep -q "uart0" "$tmp/err"; then ko "qemu-arm64 demos: the import says something about uart0" "$tmp/err"; else ok; fi
check "qemu-arm64 demos: both demos list uart0" "[ \$(grep -c '^    devices: \[uart0\]\$' '$tmp/jh/demo.yaml') -eq 2 ]"
check_jh_demo "qemu-arm64 demos: check" "$tmp/jh/demo.yaml"
# The root's MMIO that is no board device is kept as raw MMIO, per region
# as declared (region #9 around the board's devices, #11 the PCI window).
expect_grep "qemu-arm64 demos: raw MMIO is kept" "^      - { base: 0x0A00_4000, size: 884720K } # memory region #9$" "$tmp/jh/demo.yaml"
expect_grep "qemu-arm64 demos: raw MMIO of a second region" "^      - { base: 0x40_1000_0000, size: 256M } # memory region #11$" "$tmp/jh/demo.yaml"
check "qemu-arm64 demos: five raw MMIO ranges of region #9" "[ \$(grep -c '^      - { base: 0x0[9A].* } # memory region #9\$' '$tmp/jh/demo.yaml') -eq 5 ]"

# --board FILE: the description names the file, relative to itself, so that
# a plain `sphc check` of it finds the board.
mkdir -p "$tmp/jh/boards" "$tmp/jh/out"
sed 's/^name: qemu-aarch64-virt$/name: my-virt/' boards/qemu-aarch64-virt.yaml >"$tmp/jh/boards/my virt.yaml"
expect_exit 0 "qemu-arm64 demos: import with --board FILE" "$sphc" import jailhouse \
	--board "$tmp/jh/boards/my virt.yaml" "$tmp/jh/qemu-arm64.cell" \
	"$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/qemu-arm64-linux-demo.cell" -o "$tmp/jh/out/demo.yaml"
expect_grep "qemu-arm64 demos: --board FILE is written as a path" '^board: "../boards/my virt.yaml"$' "$tmp/jh/out/demo.yaml"
check_jh_demo "qemu-arm64 demos: the import with --board FILE checks" "$tmp/jh/out/demo.yaml"
expect_grep "qemu-arm64 demos: checked on that board" "my virt.yaml" "$tmp/jh/out/demo.yaml"

# The root's regions are kept as declared, so `sphc check` of the
# description finds what overlaps inside the root cell, located on the
# YAML: only what Jailhouse takes from the root (the other cells' memory,
# shared memory the root does not declare) is taken out.
# jetson-tx1's pattern: root RAM (region #10) run over its own ivshmem
# regions #0-#4.
cp "$tmp/jh/qemu-arm64.cell" "$tmp/jh/tx1.cell"
$py $dir/patch_cell.py "$tmp/jh/tx1.cell" region 10 size 0x3fb00000
expect_exit 1 "root RAM over ivshmem: import" "$sphc" import jailhouse "$tmp/jh/tx1.cell" \
	"$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/qemu-arm64-linux-demo.cell" -o "$tmp/jh/tx1.yaml"
expect_exit 1 "root RAM over ivshmem: check" "$sphc" check --color=never "$tmp/jh/tx1.yaml"
line=$(grep -n 'base: 0x7FAF_0000$' "$tmp/jh/tx1.yaml" | cut -d: -f1)
ram=$(grep -n '{ base: 0x7FA1_0000, size: 960K } # memory region #10$' "$tmp/jh/tx1.yaml" | cut -d: -f1)
check "root RAM over ivshmem: the piece of region #10 past the inmate is kept" "[ -n '$ram' ]"
expect_grep "root RAM over ivshmem: shared-overlap on the YAML" \
	"tx1.yaml:$((line - 1)):5: error: shared region 'shm0' \[0x7faf0000, 0x7faf1000) overlaps cell 'qemu-arm64' \[0x7fa10000, 0x7fb00000) \[shared-overlap\]" "$tmp/err"
expect_grep "root RAM over ivshmem: the root's region is named" "tx1.yaml:$ram:9: note: 'qemu-arm64' memory declared here" "$tmp/err"
check "root RAM over ivshmem: each of shm0-shm4" "[ \$(grep -c 'error: shared region .shm[0-4]. .* overlaps cell .qemu-arm64. .*\[shared-overlap\]' '$tmp/err') -eq 5 ]"
# ls1046a-rdb's pattern: a loader region (the empty region #6 made RAM)
# inside the root's RAM: memory-overlap inside the root cell.
cp "$tmp/jh/qemu-arm64.cell" "$tmp/jh/loader.cell"
$py $dir/patch_cell.py "$tmp/jh/loader.cell" region 6 phys 0x48000000
$py $dir/patch_cell.py "$tmp/jh/loader.cell" region 6 virt 0x48000000
$py $dir/patch_cell.py "$tmp/jh/loader.cell" region 6 size 0x10000
$py $dir/patch_cell.py "$tmp/jh/loader.cell" region 6 flags 0x7
expect_exit 1 "loader inside root RAM: import" "$sphc" import jailhouse "$tmp/jh/loader.cell" \
	"$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/qemu-arm64-linux-demo.cell" -o "$tmp/jh/loader.yaml"
expect_grep "loader inside root RAM: the import says so" \
	"loader.cell: error: cell 'qemu-arm64': memory region #10 .* overlaps its memory region #6 .*\[memory-overlap\]" "$tmp/err"
expect_exit 1 "loader inside root RAM: check" "$sphc" check --color=never "$tmp/jh/loader.yaml"
line=$(grep -n '{ base: 0x4000_0000, size: 768M } # memory region #10$' "$tmp/jh/loader.yaml" | cut -d: -f1)
loader=$(grep -n '{ base: 0x4800_0000, size: 64K } # memory region #6$' "$tmp/jh/loader.yaml" | cut -d: -f1)
expect_grep "loader inside root RAM: memory-overlap on the YAML" \
	"loader.yaml:$loader:9: error: memory of cell 'qemu-arm64' \[0x48000000, 0x48010000) overlaps other memory of the same cell \[0x40000000, 0x70000000), at guest-physical addresses too \[memory-overlap\]" "$tmp/err"
expect_grep "loader inside root RAM: the RAM region is named" "loader.yaml:$line:9: note: 'qemu-arm64' memory declared here" "$tmp/err"

# Raw MMIO (cell `mmio:`): Jailhouse IO regions in the cell and the root,
# imported back as raw MMIO of each cell (not the root's twice), the same
# bytes built again.
expect_exit 0 "raw MMIO: build" "$sphc" build -q --target jailhouse tests/good/mmio.yaml -o "$tmp/mmio"
count "raw MMIO: IO regions" $py $dir/io_regions.py "$tmp/mmio/jailhouse/system.cell" 0xc000000:0x10000 0xc010000:0x100 0xc020000:0x10000
count "raw MMIO: IO regions of b" $py $dir/io_regions.py "$tmp/mmio/jailhouse/b.cell" 0xc020000:0x10000
expect_exit 0 "raw MMIO: import" "$sphc" import jailhouse "$tmp/mmio/jailhouse/system.cell" \
	"$tmp/mmio/jailhouse/b.cell" -o "$tmp/mmio/back.yaml"
check "raw MMIO: the root keeps its own" "grep -A3 '^    mmio:' '$tmp/mmio/back.yaml' | head -3 | tr -d '\n' | grep -q 'base: 0x0C00_0000, size: 64K } # memory region #[0-9]*      - { base: 0x0C01_0000, size: 256 }'"
check "raw MMIO: b keeps its own, once" "[ \$(grep -c 'base: 0x0C02_0000, size: 64K' '$tmp/mmio/back.yaml') -eq 1 ]"
expect_exit 0 "raw MMIO: the import checks" "$sphc" check --target jailhouse "$tmp/mmio/back.yaml"
mkdir -p "$tmp/mmio/again"
expect_exit 0 "raw MMIO: build again" "$emit" "$tmp/mmio/back.yaml" "$tmp/mmio/again" "" 14
for f in system b; do
	if cmp -s "$tmp/mmio/jailhouse/$f.cell" "$tmp/mmio/again/jailhouse/$f.cell"; then ok; else
		ko "raw MMIO: $f.cell differs when built from the import"
	fi
done

# A shareable hypervisor console and GPIO listed by two cells (Jailhouse's
# debug UART pattern): each cell maps their registers, neither gets their
# interrupts (33, 39); without the change it was irq-reserved.
expect_exit 0 "shared UART: build" "$sphc" build -q --target jailhouse tests/good/shared-uart.yaml -o "$tmp/su"
for f in a b; do
	cfg=$tmp/su/jailhouse/$f.cell
	[ $f = a ] && cfg=$tmp/su/jailhouse/system.cell
	count "shared UART: $f maps them" $py $dir/io_regions.py "$cfg" 0x9000000:0x1000 0x9030000:0x1000
done
count "shared UART: b gets neither interrupt" $py $dir/io_regions.py "$tmp/su/jailhouse/b.cell" -33 -39

# A board file with an error: its finding is quoted from the board, and
# the import ends cleanly (it freed the board's text before printing and
# crashed).
printf 'sphc-board: 1\nname: x\nname: y\n' >"$tmp/jh/dup-board.yaml"
expect_exit 1 "import --board with an error in the board" "$sphc" import jailhouse \
	--board "$tmp/jh/dup-board.yaml" "$tmp/jh/qemu-arm64.cell" -o "$tmp/jh/dup.yaml"
expect_grep "import --board with an error: quoted from the board" "dup-board.yaml:3:1: error: duplicate key 'name'" "$tmp/err"

# On a board whose console is not shareable, the demos do not get the debug
# UART they map, nor its interrupt; the import says so, and the set checks.
sed -e 's/^name: qemu-aarch64-virt$/name: private-virt/' \
	-e '/^    # The hypervisor.s console: cells may list it too/,/^    shareable: true$/d' \
	boards/qemu-aarch64-virt.yaml >"$tmp/jh/private-virt.yaml"
check "private UART: the board copy does not share uart0" "! grep -q 'shareable' '$tmp/jh/private-virt.yaml'"
expect_exit 0 "private UART: import" "$sphc" import jailhouse --board "$tmp/jh/private-virt.yaml" \
	"$tmp/jh/qemu-arm64.cell" "$tmp/jh/qemu-arm64-inmate-demo.cell" \
	"$tmp/jh/qemu-arm64-linux-demo.cell" -o "$tmp/jh/private.yaml"
expect_grep "private UART: the debug UART the cells map is said" \
	"cell 'inmate-demo' maps 'uart0', the hypervisor's debug console.*\[target-unsupported\]" "$tmp/err"
expect_grep "private UART: the inmate's console is said" \
	"cell 'inmate-demo' has its console at 0x9000000, which is no device the cell is given.*\[target-unsupported\]" "$tmp/err"
check "private UART: no demo lists uart0" "! grep -q '^    devices: \[uart0\]\$' '$tmp/jh/private.yaml'"
check_jh_demo "private UART: the set checks" "$tmp/jh/private.yaml"

# A name a description cannot have, and the AARCH32 flag, are said.
cp "$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/renamed.cell"
$py $dir/patch_cell.py "$tmp/jh/renamed.cell" name "inmate demo/1"
$py $dir/patch_cell.py "$tmp/jh/renamed.cell" cell-flags 0x5
expect_exit 0 "qemu-arm64 demos: a renamed 32-bit inmate" "$sphc" import jailhouse "$tmp/jh/qemu-arm64.cell" \
	"$tmp/jh/renamed.cell" -o "$tmp/jh/renamed.yaml"
expect_grep "qemu-arm64 demos: the new name is said" \
	"cell 'inmate demo/1' is named 'inmate-demo-1' in the description.*\[target-inexact\]" "$tmp/err"
expect_grep "qemu-arm64 demos: AARCH32 is said" "cell 'inmate demo/1' has flags 0x4 (AARCH32.*\[target-unsupported\]" "$tmp/err"
expect_grep "qemu-arm64 demos: the name stays in the description" "description: \"Jailhouse cell 'inmate demo/1'" "$tmp/jh/renamed.yaml"
check_jh_demo "qemu-arm64 demos: the renamed set checks" "$tmp/jh/renamed.yaml"

# --- 32-bit ARM: the Jetson TK1 --------------------------------------------------------

# A system on jetson-tk1 (arch: arm) builds for Jailhouse alone: its configs
# say architecture 1 (ARM) in revision 14's header, the debug console is the
# TK1's 8250 UART-D with registers 4 bytes apart; the import finds the board
# again by its GIC and architecture and rebuilds the same bytes, also in
# revision 13 (whose header does not name the architecture).
tk1=$tmp/tk1
for rev in 13 14; do
	rm -rf "$tk1"
	expect_exit 0 "tk1 r$rev: builds for Jailhouse" "$sphc" build -q --jailhouse-revision $rev tests/jailhouse/tk1.yaml -o "$tk1"
	check "tk1 r$rev: Jailhouse configs, no sph blob" \
		"[ -f '$tk1/jailhouse/system.cell' ] && [ -f '$tk1/jailhouse/rtos.cell' ] && [ ! -e '$tk1/system.bin' ]"
	if $py -c 'import sys; sys.path.insert(0, sys.argv[1]); import jhdecode
rev = int(sys.argv[3])
for name in ("system", "rtos"):
    d = jhdecode.decode(sys.argv[2] + "/" + name + ".cell")
    want = 1 if rev == 14 else None
    assert d["revision"] == rev, (name, d["revision"])
    assert d.get("architecture") == want, (name, d.get("architecture"))
d = jhdecode.decode(sys.argv[2] + "/system.cell")
c = d["debug_console"]
assert (c["address"], c["size"], c["type"], c["flags"]) == (0x70006300, 0x40, 2, 3), c' \
		"$dir" "$tk1/jailhouse" $rev 2>"$tmp/py"; then ok; else
		ko "tk1 r$rev: architecture and console as decoded" "$tmp/py"
	fi
	expect_exit 0 "tk1 r$rev: import" "$sphc" import jailhouse "$tk1/jailhouse/system.cell" \
		"$tk1/jailhouse/rtos.cell" -o "$tk1/back.yaml"
	expect_grep "tk1 r$rev: the board is recognized" "^board: jetson-tk1$" "$tk1/back.yaml"
	expect_exit 0 "tk1 r$rev: the import checks" "$sphc" check "$tk1/back.yaml"
	expect_exit 0 "tk1 r$rev: build again" "$sphc" build -q --jailhouse-revision $rev "$tk1/back.yaml" -o "$tk1/again"
	for f in system rtos; do
		if cmp -s "$tk1/jailhouse/$f.cell" "$tk1/again/jailhouse/$f.cell"; then ok; else
			ko "tk1 r$rev: $f.cell differs when built from the import"
		fi
	done
done
# Every target that cannot serve 32-bit ARM refuses at check, at the
# board's arch: line.
for t in sph:runtime-unsupported fit:runtime-unsupported bao:target-limit xen:target-limit; do
	expect_exit 1 "tk1: --target ${t%%:*} refused" "$sphc" check --color=never --target ${t%%:*} tests/jailhouse/tk1.yaml
	expect_grep "tk1: --target ${t%%:*} says why, at arch:" "boards/jetson-tk1.yaml:[0-9]*:7: error: .*32-bit ARM (arch: arm).*\[${t#*:}\]" "$tmp/err"
	rm -rf "$tmp/tk1-${t%%:*}"
	expect_exit 1 "tk1: build --target ${t%%:*} refused" "$sphc" build --target ${t%%:*} tests/jailhouse/tk1.yaml -o "$tmp/tk1-${t%%:*}"
	check "tk1: build --target ${t%%:*} wrote nothing" "[ ! -e '$tmp/tk1-${t%%:*}' ]"
done
# An arm64 board for revision 14 configs of 32-bit ARM is refused.
expect_exit 1 "tk1: configs on an arm64 board" "$sphc" import jailhouse --board zcu104 "$tk1/jailhouse/system.cell" -o "$tmp/tk1-zcu.yaml"
expect_grep "tk1: configs on an arm64 board, said" "board 'zcu104' is arm64, the configurations are for 32-bit ARM \[unknown-board\]" "$tmp/err"

# --- import: the regions as declared --------------------------------------------------

# The defects Jailhouse's checker found in its shipped configs, each next to
# the fixed config (make_defects.py says where each comes from): sphc reports
# exactly the expected rule and regions for both.
def=$tmp/defects
$py $dir/make_defects.py "$def"
# jhdecode.py, written apart from the generator, reads back what was packed.
count "defects: the fixtures decode" $py $dir/make_defects.py --verify "$def"
for f in "$def"/*.cell; do
	name=$(basename "$f" .cell)
	# No built-in board fits these configs: with -o the import derives one
	# beside the description (jetson-tk1 has a built-in board). The
	# defective ones exit 1 with their findings; k3-am654-idk's fixed
	# config still has a region on the
	# redistributors Jailhouse's checker does not count (expect.json).
	# subpage-clean is laid out for zcu104.
	case $name in
	k3-am654-idk-fixed) want=1 ;;
	*-fixed | subpage-clean) want=0 ;;
	*) want=1 ;;
	esac
	expect_exit $want "defects: import $name" "$sphc" import jailhouse "$f" -o "$def/$name.yaml"
	count "defects: $name" $py $dir/findings.py "$def/expect.json" "$f" "$tmp/err"
done
# ultra96 and zcu102 have zcu104's GIC and UARTs, but their RAM starts at
# 0, below zcu104's: they are not taken for zcu104 (which would make their
# RAM "outside RAM").
expect_exit 1 "defects: ultra96 is not taken for zcu104" "$sphc" import jailhouse "$def/ultra96-fixed.cell"
expect_grep "defects: ultra96 is not taken for zcu104, and why" \
	"no built-in board fits: zcu104 has the GICv2 distributor at 0xf9010000 but not the RAM.*or give -o FILE: the import then derives one beside it" "$tmp/err"
# With -o, the board is derived beside the description (named by it) and
# the description names it: a plain check of each fixed config's import
# is clean but for true superpage-alignment warnings, and the IOMMU
# defects (ultra96, zcu102: the SMMU inside the root's MMIO) are found by
# that plain check, at the description's line, naming the IOMMU.
for name in jetson-tx1 jetson-tx2 ls1046a-rdb ultra96 ultra96-rev12 zynqmp-zcu102; do
	expect_grep "derived board: $name's says what it is" "^# Derived by sphc import jailhouse from " "$def/$name-fixed.board.yaml"
	expect_grep "derived board: $name's description names it" '^board: "./'"$name"'-fixed.board.yaml"$' "$def/$name-fixed.yaml"
	expect_exit 0 "derived board: $name fixed checks" "$sphc" check --color=never "$def/$name-fixed.yaml"
	if grep -E ': (error|warning): ' "$tmp/err" | grep -v "\[superpage-alignment\]$" | grep -q .; then
		ko "derived board: $name fixed checks with more than superpage warnings" "$tmp/err"
	else ok; fi
done
expect_grep "derived board: the SMMU unit is the board's" "^  - { name: iommu0, base: 0xfd800000, size: 0x20000 }$" "$def/ultra96-fixed.board.yaml"
for name in ultra96 zynqmp-zcu102; do
	expect_exit 1 "derived board: $name's SMMU defect" "$sphc" check --color=never "$def/$name.yaml"
	line=$(grep -n '^      - { base: 0xFD00_0000' "$def/$name.yaml" | head -1 | cut -d: -f1)
	expect_grep "derived board: $name's SMMU inside the root's MMIO, at its line" \
		"$name.yaml:$line:9: error: MMIO of cell '[^']*' \[0xfd000000, 0x[0-9a-f]*) overlaps IOMMU 'iommu0' \[0xfd800000, 0xfd820000) \[mmio-conflict\]" "$tmp/err"
done
# The derived board is sphc's to rewrite; a file of that name sphc did not
# write is left alone, and the import says so.
expect_exit 0 "derived board: a second import rewrites it" "$sphc" import jailhouse "$def/ultra96-fixed.cell" -o "$def/ultra96-fixed.yaml"
echo "my notes" >"$def/mine.board.yaml"
expect_exit 1 "derived board: a stranger's file of that name" "$sphc" import jailhouse "$def/ultra96-fixed.cell" -o "$def/mine.yaml"
expect_grep "derived board: the stranger's file is named" "'$def/mine.board.yaml' exists but was not derived by sphc: not overwritten.*\[io-error\]" "$tmp/err"
check "derived board: the stranger's file is unchanged, no description written" \
	"[ \"\$(cat '$def/mine.board.yaml')\" = 'my notes' ] && [ ! -e '$def/mine.yaml' ]"
expect_exit 0 "defects: the IOMMU unit is read" "$sphc" import jailhouse "$def/ultra96-rev12-fixed.cell" --board zcu104
expect_grep "defects: the IOMMU unit is said" "1 IOMMU unit (the first at 0xfd800000) is not imported.*\[target-unsupported\]" "$tmp/err"
# 60000 regions (Jailhouse's checker compares every pair, in cubic time):
# the one overlap among them is found, in one sort and sweep.
$py $dir/make_defects.py --many 60000 "$def/many.cell"
start=$(date +%s%N)
expect_exit 1 "defects: 60000 regions" "$sphc" import jailhouse "$def/many.cell" -o "$def/many.yaml"
ms=$((($(date +%s%N) - start) / 1000000))
echo "jailhouse: 60000 regions imported and checked in $ms ms"
check "defects: 60000 regions in well under 10 s ($ms ms)" "[ $ms -lt 10000 ]"
expect_grep "defects: the overlap among 60000 regions" \
	"many.cell: error: cell 'subpage': memory region #5 \[0x100008800, 0x100009800) READ|WRITE overlaps its memory region #4 .*\[memory-overlap\]" "$tmp/err"
check "defects: only that overlap among 60000 regions" "[ \$(grep -c 'error: cell' '$tmp/err') -eq 1 ]"
expect_exit 0 "defects: 32-bit ARM is read" "$sphc" import jailhouse "$def/jetson-tk1-fixed.cell" -o "$def/tk1.yaml"
expect_grep "defects: 32-bit ARM is on jetson-tk1" "^board: jetson-tk1$" "$def/tk1.yaml"
expect_exit 0 "defects: 32-bit ARM's fixed config checks" "$sphc" check "$def/tk1.yaml"
# Sub-page registers with access-width flags but no IO flag are MMIO: the
# import of renesas-r8a774a1's pattern checks without memory-alignment.
# Every region of every config is accounted for in the import's header,
# counted by class against the independent decoder.
count "qemu-arm64 demos: every region read" $py $dir/region_counts.py "$tmp/jh/demo.yaml" \
	"$tmp/jh/qemu-arm64.cell" "$tmp/jh/qemu-arm64-inmate-demo.cell" "$tmp/jh/qemu-arm64-linux-demo.cell"
# (zcu104 is named for ultra96, whose RAM it does not hold: the YAML is
# written all the same.)
count "defects: every region of subpage-clean read" $py $dir/region_counts.py \
	"$def/subpage-clean.yaml" "$def/subpage-clean.cell"
for name in ultra96 ultra96-rev12; do
	expect_exit 1 "defects: $name imported for zcu104" "$sphc" import jailhouse --board zcu104 \
		"$def/$name.cell" -o "$def/$name-zcu104.yaml"
	count "defects: every region of $name read" $py $dir/region_counts.py \
		"$def/$name-zcu104.yaml" "$def/$name.cell"
done
# For Jailhouse: its root cell owns all RAM, so a default build's boot.itb
# (the fit target on zcu104) has no RAM to load from, which check says; and
# the registers are no device of zcu104's: raw MMIO, which sph's runtime
# does not map.
expect_exit 0 "defects: the sub-page registers check" "$sphc" check --target jailhouse "$def/subpage-clean.yaml"
if awk '/^    [a-z]+:/ { m = ($1 == "memory:") } /0xE602_0000|0xE605_0000/ && m { bad = 1 } END { exit !bad }' \
	"$def/subpage-clean.yaml"; then
	ko "defects: sub-page registers were read as memory"
else ok; fi
expect_grep "defects: sub-page registers are raw MMIO" "^      - { base: 0xE602_0000, size: 12 } # memory region #" "$def/subpage-clean.yaml"
# sph's runtime maps raw MMIO by whole pages: the three ranges sit on pages
# of their own, so a check for sph does not refuse them (what remains is
# the FIT's: zcu104's RAM is all the import's, none is left for boot.itb).
expect_exit 1 "defects: raw MMIO for sph" "$sphc" check --color=never --target sph "$def/subpage-clean.yaml"
check "defects: sph takes the raw MMIO" \
	"! grep -q 'runtime-unsupported\\|device-page-conflict' '$tmp/err'"
expect_grep "defects: sph's one finding is the FIT's RAM" "no free RAM on board 'zcu104' to load boot.itb.*\[target-limit\]" "$tmp/err"

# --- import: bad input ----------------------------------------------------------------

# Every cut of a system config of each revision (every 8th length) is a
# located "truncated" error, exit 1: never a crash or a half-read config.
for f in ultra96-rev12 zynqmp-zcu102 k3-am654-idk; do
	size=$(wc -c <"$def/$f.cell")
	cuts=0 bad=0
	n=0
	while [ $n -lt "$size" ]; do
		head -c $n "$def/$f.cell" >"$tmp/cut.cell"
		"$sphc" import jailhouse "$tmp/cut.cell" >/dev/null 2>"$tmp/err"
		st=$?
		cuts=$((cuts + 1))
		if [ $st -ne 1 ] || ! grep -q "cut.cell: error: truncated" "$tmp/err"; then
			bad=$((bad + 1))
			[ $bad -eq 1 ] && ko "a cut of $f.cell at $n bytes: exit $st" "$tmp/err"
		fi
		n=$((n + 8))
	done
	if [ $bad -eq 0 ] && [ $cuts -gt 40 ]; then ok; else
		ko "cuts of $f.cell: $bad of $cuts wrong"
	fi
done

sys=$base/system.cell
head -c 300 "$sys" >"$tmp/short.cell"
expect_exit 1 "truncated system config" "$sphc" import jailhouse "$tmp/short.cell"
expect_grep "truncated system config says so" "short.cell: error: truncated" "$tmp/err"
{ printf 'JHXXX'; tail -c +6 "$sys"; } >"$tmp/badsig.cell"
expect_exit 1 "bad signature" "$sphc" import jailhouse "$tmp/badsig.cell"
expect_grep "bad signature says so" "not a Jailhouse system configuration" "$tmp/err"
expect_exit 1 "cell of another revision" "$sphc" import jailhouse "$sys" \
	"$tmp/three-cells.zcu104.r13/jailhouse/control.cell"
expect_exit 1 "a cell config as the system config" "$sphc" import jailhouse "$base/linux.cell"
expect_exit 1 "unknown --board" "$sphc" import jailhouse "$sys" --board nosuchboard
expect_exit 2 "missing file" "$sphc" import jailhouse "$tmp/none.cell"
expect_exit 2 "no format" "$sphc" import
expect_exit 2 "unknown format" "$sphc" import bao "$sys"
expect_exit 2 "no system config" "$sphc" import jailhouse

# --- board import -----------------------------------------------------------------------

if qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3,dumpdtb="$tmp/virt.dtb" \
	-cpu cortex-a53 -smp 4 -m 1G -nic none -display none >/dev/null 2>&1 ||
	[ -s "$tmp/virt.dtb" ]; then
	expect_exit 0 "board import of QEMU's DTB" "$sphc" board import "$tmp/virt.dtb" -o "$tmp/virt.yaml"
	expect_grep "board import names the board after -o" "^name: virt$" "$tmp/virt.yaml"
	expect_grep "board import says the cache is unknown" "no cache nodes" "$tmp/virt.yaml"
	count "board import vs qemu-aarch64-virt" $py $dir/compare_board.py \
		boards/qemu-aarch64-virt.yaml "$tmp/virt.yaml"
	expect_exit 0 "the imported board works" "$sphc" check --board "$tmp/virt.yaml" tests/good/minimal.yaml
	expect_exit 0 "board import to stdout" "$sphc" board import "$tmp/virt.dtb" --name my-virt
	expect_grep "--name names the board" "^name: my-virt$" "$tmp/out"
else
	ko "qemu-system-aarch64 cannot dump its device tree (make deps installs it)"
fi
expect_grep "board import of QEMU's arm64 DTB writes aarch64" "^arch: aarch64$" "$tmp/virt.yaml"
# A 32-bit ARM device tree (Cortex-A15, the Armv7 timer) gives arch: arm,
# and a description on it checks for Jailhouse; sph's runtime refuses it.
dtc -q -I dts -O dtb -o "$tmp/armv7.dtb" "$dir/armv7.dts"
expect_exit 0 "board import of an Armv7 DTB" "$sphc" board import "$tmp/armv7.dtb" -o "$tmp/armv7.yaml"
expect_grep "board import of an Armv7 DTB writes arch: arm" "^arch: arm$" "$tmp/armv7.yaml"
expect_exit 0 "the Armv7 board checks for Jailhouse" "$sphc" check --target jailhouse --board "$tmp/armv7.yaml" tests/good/minimal.yaml
expect_exit 1 "the Armv7 board: sph's runtime refuses" "$sphc" check --board "$tmp/armv7.yaml" tests/good/minimal.yaml
expect_grep "the Armv7 board: refused at arch:" "armv7.yaml:[0-9]*:7: error: sph's runtime is AArch64: .*\[runtime-unsupported\]" "$tmp/err"
# A GICv2 board behind a bus with ranges, cache nodes, aliases.
if dtc -q -I dts -O dtb -o "$tmp/bus.dtb" $dir/bus.dts; then
	expect_exit 0 "board import of bus.dts" "$sphc" board import "$tmp/bus.dtb" -o "$tmp/bus.yaml"
	expect_grep "bus.dts: ranges translate addresses" "base: 0xFE20_1000, size: 0x200" "$tmp/bus.yaml"
	expect_grep "bus.dts: GICv2 GICH" "virtual-control: { base: 0xFF84_4000, size: 8K }" "$tmp/bus.yaml"
	expect_grep "bus.dts: GICv2 GICV" "virtual-cpu-interface: { base: 0xFF84_6000, size: 8K }" "$tmp/bus.yaml"
	expect_grep "bus.dts: MPIDR of the second cluster" "{ id: 2, mpidr: 0x100 }" "$tmp/bus.yaml"
	expect_grep "bus.dts: cache geometry from cache nodes" "llc-ways: 16" "$tmp/bus.yaml"
	expect_grep "bus.dts: stdout-path through an alias" "^console: uart1$" "$tmp/bus.yaml"
	expect_grep "bus.dts: interrupts-extended to the GIC" "irq: 82, trigger: edge" "$tmp/bus.yaml"
	if grep -q "7E20_4000\|FE20_4000\|eeprom\|0x50," "$tmp/bus.yaml"; then
		ko "bus.dts: a disabled node or an I2C client became a device"
	else ok; fi
	expect_exit 0 "bus.dts: the imported board checks an example" "$sphc" check --board "$tmp/bus.yaml" \
		examples/linux-rtos/system.yaml
	mkdir -p "$tmp/bus-jh"
	expect_exit 0 "bus.dts: Jailhouse configs for it" "$emit" examples/linux-rtos/system.yaml \
		"$tmp/bus-jh" "$tmp/bus.yaml" 14
	count "bus.dts: Jailhouse configs for it" $py $dir/check_emit.py "$sphc" \
		examples/linux-rtos/system.yaml "$tmp/bus.yaml" "$tmp/bus-jh" 14
else
	ko "dtc cannot compile $dir/bus.dts"
fi
expect_exit 1 "board import of a file that is no DTB" "$sphc" board import "$sys"
expect_exit 2 "board import of a missing file" "$sphc" board import "$tmp/none.dtb"
expect_exit 2 "board without import" "$sphc" board "$tmp/virt.dtb"

# `sphc build --target jailhouse` writes the same configs, recorded in the
# manifest, and --jailhouse-revision 13 or 12 the older layouts.
for rev in 14 13 12; do
	"$emit" examples/linux-rtos/system.yaml "$tmp/direct$rev" zcu104 $rev >/dev/null 2>&1
	expect_exit 0 "sphc build --target jailhouse (revision $rev)" "$sphc" build -q \
		--color=never --target jailhouse --jailhouse-revision $rev \
		--board zcu104 examples/linux-rtos/system.yaml -o "$tmp/built$rev"
	for f in system.cell rtos.cell; do
		if cmp -s "$tmp/direct$rev/jailhouse/$f" "$tmp/built$rev/jailhouse/$f" &&
			grep -q "\"jailhouse/$f\"" "$tmp/built$rev/manifest.json"; then
			ok
		else
			ko "sphc build --target jailhouse: $f (revision $rev)"
		fi
	done
done

finish jailhouse
