#!/bin/sh
# sphc build and sphc dump, end to end:
#   - every example on every built-in board builds; each DTB decodes with
#     dtc without a warning; decoded DTBs, linker scripts, headers, run
#     script, manifest and `sphc dump` of every blob match tests/golden/;
#   - builds are deterministic (twice, into different directories: same bytes);
#   - blob -> dump --format=json agrees with manifest.json (build-roundtrip.py);
#   - the blob, device trees and manifest agree with the description and
#     board as read without sphc (build-independent.py: addresses, flags,
#     interrupt triggers, CRCs);
#   - each payload linker script links a freestanding program, and
#     hypervisor.ld a stub runtime (aarch64-linux-gnu-gcc);
#   - the output directory is replaced atomically: an input error or a write
#     failure leaves the old one exactly as it was;
#   - boot layout: images loaded in place or staged after the blob;
#   - dump reports a corrupted blob precisely;
#   - how long building every example for every board takes (a figure,
#     not a test: wall time depends on the machine's load).
# usage: tests/build.sh SPHC           run the tests
#        tests/build.sh SPHC --golden  rewrite tests/golden/ (read the diff!)
set -u
sphc=$1
mode=${2:-test}
. tests/lib.sh
golden=tests/golden
cross=aarch64-linux-gnu-gcc
cflags="-ffreestanding -nostdlib -static -fno-pie -no-pie -O2 -mgeneral-regs-only"

# A listing of a directory that changes when anything in it does.
snapshot() {
	(cd "$1" && ls -id . && find . -exec ls -ld --time-style=+%s.%N {} + |
		awk '{ $2 = ""; print }' | sort && find . -type f -exec cksum {} + | sort)
}

# view BUILD VIEW: the reviewed, text form of a build.
view() {
	mkdir -p "$2/cells"
	for f in "$1"/cells/*.dtb; do
		n=$(basename "$f" .dtb)
		if ! dtc -I dtb -O dts -o "$2/cells/$n.dts" "$f" 2>"$tmp/dtc-err" ||
			[ -s "$tmp/dtc-err" ]; then
			ko "dtc decodes $f without warnings"
			sed 's/^/    /' "$tmp/dtc-err"
		else
			ok
		fi
	done
	cp "$1"/cells/*.ld "$1"/cells/*.h "$1/manifest.json" "$2/cells/"
	mv "$2/cells/manifest.json" "$2/"
	if [ -f "$1/run-qemu.sh" ]; then cp "$1/run-qemu.sh" "$2/"; fi
	# The runtime's blobs, where the build includes the runtime.
	[ -f "$1/hypervisor.ld" ] || return 0
	for f in "$1"/cells/*.bin; do
		n=$(basename "$f" .bin)
		"$sphc" dump "$f" >"$2/cells/$n.dump.yaml" || ko "dump $f"
	done
	"$sphc" dump "$1/system.bin" >"$2/system.dump.yaml" || ko "dump $1/system.bin"
	cp "$1/hypervisor.ld" "$2/"
}

examples=$(ls examples/*/system.yaml)
# The examples are AArch64 systems: 32-bit ARM boards (sph's runtime does
# not run there) are Jailhouse's, tested in tests/jailhouse.sh.
boards=$(grep -L '^arch: arm$' boards/*.yaml | sed 's|.*/||; s|\.yaml$||')

# --- every example on every board: build, goldens, determinism ------------

for source in $examples; do
	ex=$(basename "$(dirname "$source")")
	# Without its image: and initrd: files (tests/without-files.py):
	# the goldens must not move with the kernel make deps fetched. At a
	# fixed relative path: outputs name the system file as given.
	example=$source
	if grep -Eq '^[[:space:]]+(image|initrd):' "$source"; then
		example=obj/examples-without-files/$ex/system.yaml
		mkdir -p "$(dirname "$example")"
		/usr/bin/python3 tests/without-files.py "$source" "$example"
	fi
	for board in $boards; do
		out=$tmp/build/$ex/$board
		targets=
		if ! runtime_drives "$sphc" "$board" "$example"; then
			# Refused with the rule, nothing written; then the
			# other hypervisors' configs alone.
			expect_exit 1 "build $ex for $board refused" \
				"$sphc" build -q --board "$board" "$example" \
				-o "$tmp/refused"
			check "$ex on $board: a refused build writes nothing" \
				"[ ! -e '$tmp/refused' ]"
			targets="--target jailhouse,bao,xen"
		fi
		# shellcheck disable=SC2086
		expect_exit 0 "build $ex for $board" \
			"$sphc" build -q $targets --board "$board" "$example" -o "$out"
		[ -d "$out" ] || continue
		view "$out" "$tmp/view/$ex/$board"
		if [ "$mode" = --golden ]; then
			rm -rf "$golden/$ex/$board"
			mkdir -p "$golden/$ex"
			cp -r "$tmp/view/$ex/$board" "$golden/$ex/$board"
		elif diff -ru "$golden/$ex/$board" "$tmp/view/$ex/$board" \
			>"$tmp/diff"; then
			ok
		else
			ko "$ex on $board differs from $golden/$ex/$board (make golden, then read the diff)"
			head -40 "$tmp/diff" | sed 's/^/    /'
		fi
		# shellcheck disable=SC2086
		"$sphc" build -q $targets --board "$board" "$example" -o "$tmp/again" 2>/dev/null
		check "$ex on $board builds byte-identical twice" \
			"diff -r '$out' '$tmp/again' >/dev/null"
		rm -rf "$tmp/again"
		if [ -n "$targets" ]; then
			# No runtime: no blob, and the manifest says so.
			check "$ex on $board: no system.bin, blob null" \
				"[ ! -e '$out/system.bin' ] && [ ! -e '$out/hypervisor.ld' ] && grep -q '\"blob\": null' '$out/manifest.json'"
		elif /usr/bin/python3 tests/build-roundtrip.py "$sphc" "$out" >"$tmp/rt"; then
			ok
		else
			ko "round trip $ex on $board"
			sed 's/^/    /' "$tmp/rt"
		fi
		# What the golden stands for, from the description and the
		# board, without sphc's code (its exit status counts). It reads
		# system.bin, which builds without the runtime do not have.
		if [ -n "$targets" ]; then
			:
		elif /usr/bin/python3 tests/build-independent.py "$example" \
			"boards/$board.yaml" "$out" >"$tmp/ind" 2>&1; then
			ok
		else
			ko "$ex on $board against its description (build-independent.py)" "$tmp/ind"
		fi
	done
done
if [ "$mode" = --golden ]; then
	echo "golden: rewrote $golden; review it with git diff before committing"
	exit 0
fi
# No golden without a build (a removed example or board).
for d in "$golden"/*/*; do
	check "golden $d has a build" "[ -d '$tmp/view/${d#"$golden"/}' ]"
done

# --- speed --------------------------------------------------------------------

start=$(date +%s%N)
for example in $examples; do
	for board in $boards; do
		# Boards the runtime does not drive are refused early: fine.
		"$sphc" build -q --board "$board" "$example" \
			-o "$tmp/speed/$(basename "$(dirname "$example")")-$board" 2>/dev/null
	done
done
ms=$((($(date +%s%N) - start) / 1000000))
# A figure, never a pass/fail: it failed under a loaded 2-core make -j2.
echo "build: every example on every board in ${ms} ms"

# --- payloads and the runtime link with the generated scripts ----------------

cat >"$tmp/start.S" <<'EOF'
#include CELL_H
	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	bl	cmain
1:	wfe
	b	1b
	.data
	.quad	STACK_SIZE
EOF
cat >"$tmp/main.c" <<'EOF'
#include CELL_H
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define C(x) CAT(PFX, x)
extern char __bss_start[], __bss_end[], __stack_top[], __cell_dtb[];
static unsigned long counter;				/* .bss */
static const char message[] = C(_NAME);			/* .rodata */
unsigned long bases[] = { C(_MEM0_BASE), C(_DTB_BASE) };	/* .data */
static const unsigned int irqs[] = { 0, C(_IRQ_LIST) };
void cmain(void);
void cmain(void)
{
	char *p;

	for (p = __bss_start; p < __bss_end; p++)
		*p = 0;
	counter += message[0] + irqs[0] + C(_NUM_CPUS);
}
EOF
if command -v "$cross" >/dev/null; then
	for out in "$tmp"/build/*/*; do
		for ld in "$out"/cells/*.ld; do
			n=$(basename "$ld" .ld)
			pfx=$(grep -m1 '_NAME ' "$out/cells/$n.h" | sed 's/#define \(.*\)_NAME .*/\1/')
			elf=$tmp/payload.elf
			if $cross $cflags -I "$out/cells" -DCELL_H="\"$n.h\"" -DPFX="$pfx" \
				-DSTACK_SIZE="${pfx}_STACK_SIZE" -T "$ld" \
				"$tmp/start.S" "$tmp/main.c" -o "$elf" 2>"$tmp/ld-err"; then
				ok
			else
				ko "payload links with $ld"
				sed 's/^/    /' "$tmp/ld-err" | head -5
				continue
			fi
			base=$(sed -n "s/#define ${pfx}_MEM0_BASE //p" "$out/cells/$n.h")
			start=$(aarch64-linux-gnu-nm "$elf" | sed -n 's/^0*\([0-9a-f]*\) T _start$/0x\1/p')
			check "$ld: _start at the first region ($start, $base)" \
				"[ '$start' = '$base' ]"
			shm=$(grep -c '^__shm_.*_start = ' "$ld")
			got=$(aarch64-linux-gnu-nm "$elf" | grep -c ' __shm_.*_start$')
			check "$ld: one __shm symbol per shared region" "[ $shm = $got ]"
			check "$ld: __bss_start, __bss_end, __stack_top" \
				"[ \$(aarch64-linux-gnu-nm '$elf' | grep -c ' \(__bss_start\|__bss_end\|__stack_top\)$') = 3 ]"
		done
	done
	# The runtime's script: a stub links, starts at the hypervisor's memory.
	out=$tmp/build/three-cells/qemu-aarch64-virt
	printf '\t.section .text.boot, "ax"\n\t.global _start\n_start:\tb _start\n' >"$tmp/hyp.S"
	if $cross $cflags -T "$out/hypervisor.ld" "$tmp/hyp.S" -o "$tmp/hyp.elf" \
		2>"$tmp/ld-err"; then
		ok
		blob=$(aarch64-linux-gnu-nm "$tmp/hyp.elf" | sed -n 's/^0*\([0-9a-f]*\) A __sph_system_blob$/\1/p')
		want=$(/usr/bin/python3 -c "import json; print('%x' % json.load(open('$out/manifest.json'))['blob']['address'])")
		check "hypervisor.ld: __sph_system_blob ($blob) is the blob's address ($want)" \
			"[ '$blob' = '$want' ]"
	else
		ko "a stub runtime links with hypervisor.ld"
		sed 's/^/    /' "$tmp/ld-err" | head -5
	fi
	# The blob validator is freestanding: it compiles for the runtime and
	# needs no symbol from outside.
	if $cross -std=gnu11 -ffreestanding -nostdlib -mgeneral-regs-only -Wall \
		-Wextra -Werror -Ihypervisor/include -c hypervisor/lib/blob.c \
		-o "$tmp/blob.o" 2>"$tmp/cc-err"; then
		ok
		check "blob.c needs nothing from libc" \
			"[ -z \"\$(aarch64-linux-gnu-nm -u '$tmp/blob.o')\" ]"
	else
		ko "hypervisor/lib/blob.c compiles freestanding for aarch64"
		sed 's/^/    /' "$tmp/cc-err" | head -5
	fi
else
	ko "$cross not found (make deps)"
fi

# --- atomic output -----------------------------------------------------------

ex=examples/linux-rtos/system.yaml
other=examples/three-cells/system.yaml
bad=tests/bad/unknown-key/cell-key-typo.yaml
dir=$tmp/atomic/build
expect_exit 0 "first build" "$sphc" build -q "$ex" -o "$dir"
snapshot "$dir" >"$tmp/before"
leftovers() {
	ls -a "$(dirname "$dir")" | grep -c '\.tmp\.\|\.old\.'
}

expect_exit 1 "an input error fails the build" "$sphc" build "$bad" -o "$dir"
snapshot "$dir" >"$tmp/after"
check "an input error leaves the old build exactly as it was" \
	"cmp -s '$tmp/before' '$tmp/after'"

# A write failure half way: file size limit (SIGXFSZ ignored, so writes
# fail with EFBIG), after the first device trees are written.
(trap '' XFSZ; ulimit -f 2; exec "$sphc" build -q "$other" -o "$dir") \
	>"$tmp/out" 2>"$tmp/err"
check "a write failure is an I/O error (exit 2)" "[ $? = 2 ]"
expect_grep "a write failure names the file and the cause" "cannot write '.*': File too large" "$tmp/err"
snapshot "$dir" >"$tmp/after"
check "a write failure leaves the old build exactly as it was" \
	"cmp -s '$tmp/before' '$tmp/after'"
check "a write failure leaves no temporary directory" "[ $(leftovers) = 0 ]"

expect_exit 2 "output below /dev/full" "$sphc" build -q "$ex" -o /dev/full/build
expect_grep "output below /dev/full says why" "Not a directory" "$tmp/err"
: >"$tmp/atomic/file"
expect_exit 2 "output below a regular file" "$sphc" build -q "$ex" -o "$tmp/atomic/file/build"
expect_exit 2 "output is a regular file" "$sphc" build -q "$ex" -o "$tmp/atomic/file"
check "the regular file is left alone" "[ -f '$tmp/atomic/file' ] && [ ! -s '$tmp/atomic/file' ]"
mkdir -p "$tmp/atomic/mine"
echo precious >"$tmp/atomic/mine/notes.txt"
expect_exit 2 "a directory that is not a build is not replaced" \
	"$sphc" build -q "$ex" -o "$tmp/atomic/mine"
expect_grep "refusal says why" "refusing to replace" "$tmp/err"
check "... and keeps its files" "grep -q precious '$tmp/atomic/mine/notes.txt'"
# A stranger's folder that merely holds a manifest.json is not a build.
mkdir -p "$tmp/atomic/project/src"
echo "my project" >"$tmp/atomic/project/README.md"
echo "int main;" >"$tmp/atomic/project/src/main.c"
echo '{ "name": "mine" }' >"$tmp/atomic/project/manifest.json"
snapshot "$tmp/atomic/project" >"$tmp/project-before"
expect_exit 2 "a folder with a manifest.json of its own is not replaced" \
	"$sphc" build -q "$ex" -o "$tmp/atomic/project"
expect_grep "... the refusal says sphc did not write it" \
	"refusing to replace '$tmp/atomic/project': sphc did not write it" "$tmp/err"
snapshot "$tmp/atomic/project" >"$tmp/project-after"
check "... and every file of it stays" "cmp -s '$tmp/project-before' '$tmp/project-after'"
# Nor one with a look-alike marker.
echo "sphc build directory" >"$tmp/atomic/project/.sphc-build"
expect_exit 2 "a folder with a look-alike marker is not replaced" \
	"$sphc" build -q "$ex" -o "$tmp/atomic/project"
check "... and keeps its files" "[ -f '$tmp/atomic/project/src/main.c' ]"
# A build says it is one, and a build over a build still works.
check "a build carries the marker" "head -n 1 '$dir/.sphc-build' | grep -q '^sphc build directory [0-9a-f-]*$'"

# Signals: SIGINT, SIGTERM and SIGHUP while the outputs are written (a
# preloaded fopen raises the signal when manifest.json, the last file, is
# opened) leave the old build as it was and no DIR.tmp.*.
cat >"$tmp/sigshim.c" <<'EOF2'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
FILE *fopen(const char *path, const char *mode)
{
	FILE *(*real)(const char *, const char *) =
		(FILE * (*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	const char *sig = getenv("SHIM_SIGNAL");

	if (sig && strstr(path, ".tmp.") && strstr(path, "/manifest.json")) {
		if (!strcmp(sig, "exit"))
			exit(2); /* as out of memory does (xmalloc) */
		raise(atoi(sig));
	}
	return real(path, mode);
}
EOF2
if gcc -shared -fPIC -o "$tmp/sigshim.so" "$tmp/sigshim.c" -ldl 2>"$tmp/cc-err"; then
	ok
	snapshot "$dir" >"$tmp/before"
	for sig in 1 2 15; do
		SHIM_SIGNAL=$sig LD_PRELOAD="$tmp/sigshim.so" "$sphc" build -q "$ex" -o "$dir" \
			>"$tmp/out" 2>"$tmp/err"
		check "signal $sig ends the build with its status" "[ $? = $((128 + sig)) ]"
		snapshot "$dir" >"$tmp/after"
		check "signal $sig leaves the old build exactly as it was" \
			"cmp -s '$tmp/before' '$tmp/after'"
		check "signal $sig leaves no temporary directory" "[ $(leftovers) = 0 ]"
	done
	SHIM_SIGNAL=exit LD_PRELOAD="$tmp/sigshim.so" "$sphc" build -q "$ex" -o "$dir" \
		>"$tmp/out" 2>"$tmp/err"
	check "a fatal exit (out of memory) while writing: status 2" "[ $? = 2 ]"
	snapshot "$dir" >"$tmp/after"
	check "a fatal exit leaves the old build exactly as it was" \
		"cmp -s '$tmp/before' '$tmp/after'"
	check "a fatal exit leaves no temporary directory" "[ $(leftovers) = 0 ]"
	# SIGKILL cannot be caught: the next build removes what it left.
	SHIM_SIGNAL=9 LD_PRELOAD="$tmp/sigshim.so" "$sphc" build -q "$ex" -o "$dir" \
		>"$tmp/out" 2>"$tmp/err"
	check "SIGKILL leaves a temporary directory" "[ $(leftovers) = 1 ]"
	mkdir "$dir.tmp.strngr"
	echo mine >"$dir.tmp.strngr/notes.txt"
	expect_exit 0 "a build after a SIGKILL" "$sphc" build -q "$ex" -o "$dir"
	check "... removes the stale temporary directory of its own" \
		"[ $(leftovers) = 1 ] && [ -d '$dir.tmp.strngr' ]"
	check "... but not a stranger's directory of that name" \
		"grep -q mine '$dir.tmp.strngr/notes.txt'"
	rm -rf "$dir.tmp.strngr"
	snapshot "$dir" >"$tmp/before"
else
	ko "cannot build the signal shim" "$tmp/cc-err"
fi

expect_exit 2 "build needs -o" "$sphc" build -q "$ex"
expect_exit 2 "--board and --all-boards exclude each other" \
	"$sphc" build -q --board zcu104 --all-boards "$ex" -o "$tmp/x"

# Replacing: the new build takes the old one's place, nothing left over.
expect_exit 0 "rebuild over an existing build" "$sphc" build -q "$other" -o "$dir/"
expect_grep "the new build replaced the old one" '"system": "three-cells"' "$dir/manifest.json"
check "no stale file of the old build" "[ ! -e '$dir/cells/rtos.bin' ]"
check "no temporary directory left" "[ $(leftovers) = 0 ]"
mkdir -p "$tmp/atomic/empty"
expect_exit 0 "an empty directory is filled" "$sphc" build -q "$ex" -o "$tmp/atomic/empty"
expect_exit 0 "missing parents are created" "$sphc" build -q "$ex" -o "$tmp/atomic/a/b/c"

# --all-boards: one directory per board of the system's `boards:`.
expect_exit 0 "--all-boards" "$sphc" build -q --all-boards "$other" -o "$tmp/all"
for b in $(sed -n 's/^boards: *\[\(.*\)\].*/\1/p' "$other" | tr ',' ' '); do
	check "--all-boards built $b" "[ -f '$tmp/all/$b/system.bin' ]"
	check "--all-boards: $b matches a single-board build" \
		"diff -r '$tmp/all/$b' '$tmp/build/three-cells/$b' >/dev/null"
done
expect_grep "--all-boards writes an index" '"format": "sphc-build"' "$tmp/all/manifest.json"

# --- boot layout: images ------------------------------------------------------

mkdir -p "$tmp/img"
head -c 5000 /dev/zero | tr '\0' 'A' >"$tmp/img/a.bin"
head -c 3000 /dev/zero | tr '\0' 'B' >"$tmp/img/b.bin"
cat >"$tmp/img/system.yaml" <<'EOF'
sphc: 1
name: images
board: qemu-aarch64-virt
hypervisor: { memory: { size: 8M }, colors: [0] }
cells:
  - name: plain
    cpus: 1
    memory: [ { size: 4M } ]
    image: a.bin
  - name: colored
    cpus: 1
    memory: [ { size: 4M } ]
    colors: 4-7
    image: b.bin
EOF
expect_exit 0 "images build" "$sphc" build -q "$tmp/img/system.yaml" -o "$tmp/img/out"
# placement MANIFEST AREA: where images land, from the manifest; its own
# exit status counts (a traceback fails the check, never passes as "no
# output").
placement() {
	/usr/bin/python3 - "$@" >"$tmp/py" 2>&1 <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
want_area = int(sys.argv[2])
plain, colored = m["cells"]
ram = [r for r in plain["regions"] if "io" not in r["flags"]][0]
blob = m["blob"]
errors = []
if plain["image"]["pa"] != ram["pa"] or plain["image"]["staged"]:
    errors.append("an uncolored cell's image is loaded where its IPA maps")
if plain["image"]["ipa"] != ram["ipa"]:
    errors.append("image ipa")
area = blob["boot_area_end"] - blob["boot_area_start"]
if area != want_area or blob["address"] != blob["boot_area_start"]:
    errors.append("boot area %#x, expected %#x, the blob at its start" % (area, want_area))
c = colored["image"]
if not c["staged"] or c["pa"] < blob["address"] + blob["size"] \
        or c["pa"] % 4096 or c["pa"] + c["size"] > blob["boot_area_end"]:
    errors.append("a colored cell's image is staged after the blob, page aligned, in the boot area")
if errors:
    print("\n".join(errors))
    sys.exit(1)
EOF
}
echo '{}' >"$tmp/img/broken.json"
check "the placement check fails on a manifest it cannot read" \
	"! placement '$tmp/img/broken.json' 1048576"
if [ -f "$tmp/img/out/manifest.json" ]; then
	if placement "$tmp/img/out/manifest.json" 1048576; then ok; else
		ko "image placement (loaded in place, or staged after the blob)" "$tmp/py"
	fi
	check "images are copied into the build" \
		"cmp -s '$tmp/img/a.bin' '$tmp/img/out/cells/plain.img' && cmp -s '$tmp/img/b.bin' '$tmp/img/out/cells/colored.img'"
	check "run-qemu.sh loads each image" \
		"[ \$(grep -c 'loader,file=\$dir/cells/.*\.img,addr=0x[0-9a-f]*,force-raw=on' '$tmp/img/out/run-qemu.sh') = 2 ]"
	check "run-qemu.sh is valid sh" "sh -n '$tmp/img/out/run-qemu.sh'"
	if /usr/bin/python3 tests/build-roundtrip.py "$sphc" "$tmp/img/out" >"$tmp/rt"; then ok; else
		ko "round trip with images"
		sed 's/^/    /' "$tmp/rt"
	fi
	check "no absolute path in any output" \
		"! grep -rq '$tmp' '$tmp/img/out'"
fi
# Staged images larger than 1M: the boot area grows in 1M steps.
head -c 1200000 /dev/zero >"$tmp/img/b.bin"
expect_exit 0 "staged images larger than 1M build" \
	"$sphc" build -q "$tmp/img/system.yaml" -o "$tmp/img/out"
if placement "$tmp/img/out/manifest.json" 2097152; then ok; else
	ko "a 2M boot area holds the blob and the 1.2M staged image" "$tmp/py"
fi
check "hypervisor.ld: the runtime ends below the 2M boot area" \
	"grep -q 'The last 2M of it' '$tmp/img/out/hypervisor.ld'"
# ... and hypervisor memory not larger than that is an error check finds.
sed 's/size: 8M }/size: 2M }/' "$tmp/img/system.yaml" >"$tmp/img/tight.yaml"
expect_exit 1 "check: hypervisor memory not larger than the boot area" \
	"$sphc" check -q "$tmp/img/tight.yaml"
expect_grep "check reports the boot area" \
	"error: the hypervisor's memory (2M) must be larger than the 2M boot area at its end.*\[build-boot-area\]" "$tmp/err"
expect_exit 1 "build: hypervisor memory not larger than the boot area" \
	"$sphc" build -q "$tmp/img/tight.yaml" -o "$tmp/img/out"
check "... and the old build stays" "cmp -s '$tmp/img/b.bin' '$tmp/img/out/cells/colored.img'"

# An image must leave the end of its region to the device tree; check says
# so as build does.
head -c $((4 * 1024 * 1024 - 32 * 1024)) /dev/zero >"$tmp/img/a.bin"
head -c 3000 /dev/zero >"$tmp/img/b.bin"
expect_exit 1 "check: an image over the device tree area" \
	"$sphc" check -q "$tmp/img/system.yaml"
cp "$tmp/err" "$tmp/check-err"
expect_exit 1 "build: an image over the device tree area" \
	"$sphc" build -q "$tmp/img/system.yaml" -o "$tmp/img/out2"
expect_grep "an image over the device tree area is reported" \
	"system.yaml:9:12: error: the image of cell 'plain' (4161536 bytes) does not fit below its device tree.*\[build-image\]" "$tmp/err"
check "... by check as by build" "cmp -s '$tmp/err' '$tmp/check-err'"
check "... and nothing is written" "[ ! -e '$tmp/img/out2' ]"
sed 's/size: 4M } ]$/size: 64K } ]/; /image:/d' "$tmp/img/system.yaml" >"$tmp/img/small.yaml"
expect_exit 1 "check: a first region too small for the device tree" \
	"$sphc" check -q "$tmp/img/small.yaml"
expect_grep "check: a region too small is reported" "\[build-layout\]" "$tmp/err"
expect_exit 1 "build: a first region too small for the device tree" \
	"$sphc" build -q "$tmp/img/small.yaml" -o "$tmp/img/out2"
expect_grep "build: a region too small is reported" "\[build-layout\]" "$tmp/err"

# --- hostile names ------------------------------------------------------------
# A system directory and image names holding $(...), backquotes, quotes,
# "*/" and a newline: every generated file must carry them quoted for its
# language, so the build equals one from harmless names but for the quoted
# paths and comments, and nothing runs (no PWNED file appears).

abs_sphc=$(cd "$(dirname "$sphc")" && pwd)/$(basename "$sphc")
evil=$(printf 'x$(touch PWNED)`touch PWNED`'"'"'"*/\n#y')
for kind in clean evil; do
	if [ $kind = evil ]; then d="$tmp/hostile/$evil"; img="$evil.bin"; else d="$tmp/hostile/plain"; img=plain.bin; fi
	mkdir -p "$(dirname "$d/$img")"
	head -c 3000 /dev/zero | tr '\0' 'R' >"$d/$img"
	/usr/bin/python3 tests/without-files.py examples/linux-rtos/system.yaml /dev/stdout |
		sed -e '/^    colors: 1-3$/a\' -e '    image: IMAGE' |
		/usr/bin/python3 -c 'import json, sys; print(sys.stdin.read().replace("IMAGE", json.dumps(sys.argv[1])), end="")' "$img" \
		>"$d/system.yaml"
	(cd "$tmp/hostile" && exec "$abs_sphc" build -q --board zcu104 --target all \
		"${d#"$tmp/hostile/"}/system.yaml" -o "out-$kind") >"$tmp/out" 2>"$tmp/err"
	if [ $? = 0 ]; then ok; else ko "hostile names: the $kind system builds" "$tmp/err"; fi
done
H=$tmp/hostile/out-evil
C=$tmp/hostile/out-clean
if [ -f "$H/manifest.json" ] && [ -f "$C/manifest.json" ]; then
	for f in run-qemu.sh hypervisor.ld cells/rtos.h cells/rtos.ld cells/linux.h \
		jailhouse/system.cell jailhouse/rtos.cell xen/rtos-passthrough.dts xen/dom0less.dtbo; do
		check "hostile names: $f is as from harmless names" "cmp -s '$H/$f' '$C/$f'"
	done
	check "hostile names: boot.cmd differs only in comments" \
		"[ \"\$(grep -v '^#' '$H/boot.cmd')\" = \"\$(grep -v '^#' '$C/boot.cmd')\" ] && [ \$(wc -l <'$H/boot.cmd') = \$(wc -l <'$C/boot.cmd') ]"
	check "hostile names: imagebuilder.cfg is valid bash" "bash -n '$H/xen/imagebuilder.cfg'"
	mkdir -p "$tmp/hostile/run"
	# Every domain's kernel, as sourcing the file gives them (the
	# domains are listed last-booted first).
	kernel=$(cd "$tmp/hostile/run" && bash -c '. "$1" && printf "%s|" "${DOMU_KERNEL[@]}"' _ "$H/xen/imagebuilder.cfg")
	want=$(/usr/bin/python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]), end="|")' \
		"$tmp/hostile/$evil/$evil.bin" "$H/xen")
	check "hostile names: imagebuilder.cfg gives DOMU_KERNEL the image's path" \
		"case \"|\$kernel\" in *\"|\$want\"*) true ;; *) false ;; esac"
	check "hostile names: imagebuilder.cfg has the lines of a harmless one" \
		"[ \"\$(grep -v '^#\|^DOMU_KERNEL' '$H/xen/imagebuilder.cfg')\" = \"\$(grep -v '^#\|^DOMU_KERNEL' '$C/xen/imagebuilder.cfg')\" ]"
	if { echo '/dts-v1/;'; cat "$H/xen/dom0less.dtsi"; } | dtc -q -I dts -O dtb -o "$tmp/h.dtb" - &&
		{ echo '/dts-v1/;'; cat "$C/xen/dom0less.dtsi"; } | dtc -q -I dts -O dtb -o "$tmp/c.dtb" -; then
		check "hostile names: dom0less.dtsi is the tree of a harmless one" "cmp -s '$tmp/h.dtb' '$tmp/c.dtb'"
	else
		ko "hostile names: dom0less.dtsi does not compile"
	fi
	/usr/bin/python3 - "$H/bao/config.c" "$C/bao/config.c" "$tmp/hostile/$evil/$evil.bin" >"$tmp/py" <<'EOF2'
import os, re, sys

def lex(path):
    """C text outside comments and strings, and the decoded strings."""
    src = open(path, "rb").read().decode("latin-1")
    code, strings, i = [], [], 0
    while i < len(src):
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            assert j >= 0, "unterminated comment"
            i = j + 2
            code.append(" ")
        elif src.startswith("//", i):
            i = src.find("\n", i)
        elif src[i] == '"':
            out, i = [], i + 1
            while src[i] != '"':
                assert src[i] != "\n", "newline in a string"
                if src[i] == "\\":
                    m = re.match(r"[0-7]{1,3}", src[i + 1:])
                    if m:
                        out.append(chr(int(m.group(0), 8)))
                        i += 1 + len(m.group(0))
                        continue
                    out.append({"n": "\n", "t": "\t"}.get(src[i + 1], src[i + 1]))
                    i += 2
                else:
                    out.append(src[i])
                    i += 1
            strings.append("".join(out))
            code.append('""')
            i += 1
        elif src[i] == "'":
            j = src.index("'", i + 1)
            code.append(src[i:j + 1])
            i = j + 1
        else:
            code.append(src[i])
            i += 1
    return "".join(code), strings

h, c = lex(sys.argv[1]), lex(sys.argv[2])
if h[0] != c[0]:
    print("config.c: code outside comments and strings differs")
want = os.path.abspath(sys.argv[3]).encode().decode("latin-1")
if want not in h[1]:
    print("config.c: no string is the image's path; strings:", h[1])
EOF2
	check "hostile names: bao/config.c quotes the path (C lexer)" "[ \$? = 0 ] && [ ! -s '$tmp/py' ]"
	cat "$tmp/py"
	check "hostile names: manifest.json is JSON" "/usr/bin/python3 -m json.tool '$H/manifest.json' >/dev/null"
fi
check "hostile names: nothing ran" "[ -z \"\$(find '$tmp' -name PWNED)\" ]"

# The system path is one spelling of one file: ./a//b.yaml builds a.yaml's bytes.
expect_exit 0 "a path with ./ and //" "$sphc" build -q --board zcu104 --target all \
	./examples//linux-rtos/./system.yaml -o "$tmp/tidy1"
expect_exit 0 "the same path plain" "$sphc" build -q --board zcu104 --target all \
	examples/linux-rtos/system.yaml -o "$tmp/tidy2"
check "sys.yaml and ./sys.yaml give byte-identical outputs" "diff -r '$tmp/tidy1' '$tmp/tidy2' >/dev/null"

# --- dump ---------------------------------------------------------------------

blob=$tmp/build/linux-rtos/qemu-aarch64-virt/cells/rtos.bin
expect_exit 0 "dump a cell blob" "$sphc" dump "$blob"
expect_grep "dump yaml" "^kind: cell" "$tmp/out"
expect_exit 0 "dump --format=json" "$sphc" dump --format=json "$blob"
check "dump json is JSON" "/usr/bin/python3 -m json.tool '$tmp/out' >/dev/null"
expect_exit 2 "dump --format=xml" "$sphc" dump --format=xml "$blob"
expect_exit 2 "dump a missing file" "$sphc" dump "$tmp/none.bin"
expect_exit 2 "dump without a file" "$sphc" dump
cp "$blob" "$tmp/bad.bin"
printf '\377' | dd of="$tmp/bad.bin" bs=1 seek=300 conv=notrunc 2>/dev/null
expect_exit 1 "dump a corrupted blob" "$sphc" dump "$tmp/bad.bin"
expect_grep "corruption: which check, at which offset" \
	"invalid blob: CRC-32 mismatch: the blob is corrupted (crc32) at offset 0xc" "$tmp/err"
printf 'XPHC' | dd of="$tmp/bad.bin" bs=1 seek=0 conv=notrunc 2>/dev/null
expect_exit 1 "dump a blob with a bad magic" "$sphc" dump "$tmp/bad.bin"
expect_grep "bad magic at offset 0" "bad magic.*at offset 0x0" "$tmp/err"
head -c 200 "$blob" >"$tmp/bad.bin"
expect_exit 1 "dump a truncated blob" "$sphc" dump "$tmp/bad.bin"
expect_grep "truncated" "truncated.*(total_size) at offset 0x8" "$tmp/err"
{ cat "$blob"; printf 'trailing'; } >"$tmp/bad.bin"
expect_exit 1 "dump a blob with trailing bytes" "$sphc" dump "$tmp/bad.bin"
expect_exit 1 "dump a file that is not a blob" "$sphc" dump "$ex"

# --- the command line ----------------------------------------------------------

expect_exit 0 "--help" "$sphc" --help
expect_grep "--help lists build" "build SYSTEM.yaml -o DIR" "$tmp/out"
expect_grep "--help lists dump" "dump FILE.bin" "$tmp/out"

finish build
