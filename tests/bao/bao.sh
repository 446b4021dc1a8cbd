#!/bin/sh
# What the Bao target must get right beyond compiling (tests/targets.sh
# compiles every config.c against tests/bao/bao_config.h and checks its
# values, pinning included, against the manifest):
#   - bao.bin's load address on QEMU is clear of the DTB QEMU puts in the
#     first MiB of RAM: QEMU accepts a loader there (it refuses overlaps)
#   - Bao's footprint (its code, every embedded image, per-CPU memory) is
#     checked against the hypervisor's memory: too small is an error
#   - what Bao cannot honour is said: critical boot order, a hypervisor
#     console other than its platform's UART, a cell owning that UART
#   - the RAM Bao's platform file describes beyond the board is noted
#   - a DMA device's SMMU stream ids go to its VM (Bao faults others)
# usage: tests/bao/bao.sh SPHC
set -u
sphc=$1
. tests/lib.sh

build() { # SYSTEM OUT [BOARD]
	"$sphc" build --color=never --target bao ${3:+--board "$3"} "$1" -o "$2"
}

# --- footprint --------------------------------------------------------------
mkdir -p "$tmp/big"
cat >"$tmp/big/system.yaml" <<'EOF'
sphc: 1
name: bao-big
board: qemu-aarch64-virt
hypervisor:
  memory: { base: 0x4000_0000, size: 8M }
cells:
  - name: big
    cpus: 1
    memory: [ { base: 0x4080_0000, size: 32M } ]
    image: big.bin
EOF
head -c $((9 << 20)) /dev/zero >"$tmp/big/big.bin"
# A finding in the description (exit 1), from check as from build.
expect_exit 1 "a 9 MiB image in Bao with 8 MiB of hypervisor memory: check" \
	"$sphc" check --color=never --target bao "$tmp/big/system.yaml"
expect_grep "check names Bao's footprint" "Bao does not fit the hypervisor's memory .*\[target-limit\]" "$tmp/err"
expect_exit 1 "a 9 MiB image in Bao with 8 MiB of hypervisor memory" \
	build "$tmp/big/system.yaml" "$tmp/big/out"
expect_grep "the footprint error says what Bao takes" \
	"error: Bao does not fit the hypervisor's memory \[0x40000000, 0x40800000): loaded at 0x40200000, it takes .* (its own 512 KiB, 9216 KiB of embedded cell images, 32 KiB per CPU for 4 CPUs); give the hypervisor memory: { size: 12M } (now 8M) \[target-limit\]" \
	"$tmp/err"
check "nothing is written when Bao does not fit" '[ ! -e "$tmp/big/out" ]'
sed -i 's/size: 8M/size: 12M/; s/0x4080_0000/0x40C0_0000/' "$tmp/big/system.yaml"
expect_exit 0 "the same with the 12M the error asks for" \
	build "$tmp/big/system.yaml" "$tmp/big/out"

# --- load address on QEMU ---------------------------------------------------
cfg="$tmp/big/out/bao/config.c"
addr=$(sed -n 's/.*-device loader,file=bao.bin,addr=\(0x[0-9a-f]*\),cpu-num=0.*/\1/p' "$cfg")
check "config.c names bao.bin's QEMU load address ('$addr')" \
	'[ -n "$addr" ] && [ $((addr)) -ge $((0x40100000)) ] && [ $((addr)) -lt $((0x40C00000)) ]'
expect_grep "config.c says to load bao.bin there" \
	"have the$" "$cfg"
head -c 600000 /dev/zero >"$tmp/bao.bin"
timeout 5 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu cortex-a53 -smp 4 -m 4G -display none -serial none -monitor none \
	-nic none -device loader,file="$tmp/bao.bin",addr="${addr:-0x40000000}",cpu-num=0 \
	</dev/null >"$tmp/qemu.log" 2>&1
if grep -q "overlapping" "$tmp/qemu.log"; then
	ko "QEMU refuses bao.bin at $addr" "$tmp/qemu.log"
else ok; fi
expect_grep "config.c notes the RAM of Bao's platform file" \
	"Bao's platform file has RAM \[0x40000000, 0x140000000), more than board 'qemu-aarch64-virt'" "$cfg"
expect_grep "and what to do on QEMU" "give the machine that RAM (QEMU: -m 4G)" "$cfg"

# --- what Bao cannot honour -------------------------------------------------
cat >"$tmp/console.yaml" <<'EOF'
sphc: 1
name: bao-console
board: zcu104
hypervisor:
  console: uart1
cells:
  - name: control
    critical: true
    cpus: 1
    memory: [ { size: 16M } ]
  - name: linux
    cpus: 1
    memory: [ { size: 64M } ]
    devices: [ uart0 ]
EOF
expect_exit 0 "a critical cell and consoles on zcu104" \
	build "$tmp/console.yaml" "$tmp/console"
expect_grep "critical is not honoured" \
	"warning: Bao starts every VM at the same time: critical cell 'control' is not started first \[target-unsupported\]" \
	"$tmp/err"
expect_grep "hypervisor.console is not honoured" \
	"warning: Bao prints to the UART its platform file names (0xff000000, uart0) and cannot be given 'uart1' \[target-unsupported\]" \
	"$tmp/err"
expect_grep "a cell owns Bao's UART" \
	"warning: Bao prints to 'uart0' (its platform's console), which cell 'linux' owns" \
	"$tmp/err"
# Bao's zcu104 file starts RAM at 0x80000, the board at 0x20_0000.
expect_grep "zcu104: the RAM note names Bao's range" \
	"Bao's platform file has RAM \[0x80000, 0x7ff6a000), more than board 'zcu104'" \
	"$tmp/console/bao/config.c"

# --- SMMU stream ids (zcu104: gem3 0x877, sdhci1 0x871) ----------------------
expect_exit 0 "three-cells on zcu104" \
	build examples/three-cells/system.yaml "$tmp/zcu" zcu104
for dev in gem3:0x877 sdhci1:0x871; do
	if sed -n "/{ \/\* ${dev%%:*} \*\//,/^[[:space:]]*},\$/p" "$tmp/zcu/bao/config.c" |
		grep -q "\.id = ${dev#*:}, /\* SMMU stream \*/"; then
		ok
	else
		ko "zcu104: ${dev%%:*} has no SMMU stream id ${dev#*:}" "$tmp/zcu/bao/config.c"
	fi
done

finish bao
