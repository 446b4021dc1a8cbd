#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Boot a system through Debian's real U-Boot (u-boot-qemu, qemu_arm64).

usage: run.py SPHC HYPERVISOR.o

Builds examples/three-cells for qemu-aarch64-virt with the test payloads
(tests/qemu/run.py's build), then again with `--target fit --hypervisor
hypervisor.elf` for boot.itb and boot.cmd; compiles boot.cmd with mkimage
into boot.scr, writes both into the FAT partition of an MBR disk image
(mtools, no root), and boots QEMU with U-Boot as its firmware and the disk
as a virtio block device. Nothing is typed at U-Boot: its distro boot finds
boot.scr on virtio 0:1, which loads boot.itb and starts it with bootm.
Asserts that U-Boot started the runtime through bootm with every image
checked, that every cell exited with status 0, and the final status line.
Twice: with boot.cmd as generated (`bootm ADDR#conf`), and with a plain
`bootm ADDR`, which must find the configuration by itself (U-Boot picks
the one whose device tree matches its board's compatible). A third boot
takes tests/qemu/linux-rtos.yaml the same way: Debian's Linux with its
initramfs as a FIT loadable beside the critical rtos cell, to user space
and the message exchange. Prints "N passed, N failed".

bootm, not go: this U-Boot's `go` hangs in its own console flush before it
jumps (see ../shared/reference/xen-uboot-debian.md), and bootm is the
documented hand-off anyway (MMU and caches off).
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import run as qemu  # noqa: E402  (the QEMU suite's build helper)

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
SYSTEM = os.path.join(ROOT, "examples", "three-cells", "system.yaml")
LINUX_SYSTEM = os.path.join(ROOT, "tests", "qemu", "linux-rtos.yaml")
TIMEOUT = 120

# What every boot shows, then what each system adds.
COMMON = [
    r"^Found U-Boot script /boot\.scr$",
    r"^## Loading kernel from FIT Image at",
    r"^   Using 'conf' configuration$",
    r"^   Trying 'fdt' fdt subimage$",
    r"^## Loading loadables from FIT Image at",
    r"^Starting kernel \.\.\.$",
]
THREE_CELLS = COMMON + [
    r"^sph: board qemu-aarch64-virt, 4 CPUs, 3 cells$",
    r"^sph: cell control exited with status 0$",
    r"^sph: cell comms exited with status 0$",
    r"^sph: cell linux exited with status 0$",
    r"^\[linux\] goodbye$",
]
LINUX_RTOS = COMMON + [
    r"^   Trying 'initrd-linux' loadables subimage$",
    r"^sph: board qemu-aarch64-virt, 4 CPUs, 2 cells$",
    r"^\[linux\] \[ *[0-9.]+\] Booting Linux on physical CPU",
    r"^\[linux\] init: user space reached$",
    r"^\[rtos\] rtos: message from linux: hello rtos, linux here$",
    r"^\[linux\] init: message exchange done$",
    r"^sph: cell linux exited with status 0$",
    r"^sph: cell rtos exited with status 0$",
]


def mbr_disk(path, fat_files):
    """An MBR disk image with one bootable FAT partition from 1 MiB, with
    room for FAT_FILES."""
    need = sum(os.path.getsize(f) for f in fat_files)
    disk_mib = max(16, (need >> 20) * 5 // 4 + 8)
    sectors = disk_mib * 2048
    with open(path, "wb") as f:
        f.truncate(disk_mib << 20)
        entry = struct.pack("<B3sB3sII", 0x80, b"\0\0\0", 0x0c, b"\0\0\0",
                            2048, sectors - 2048)
        f.seek(446)
        f.write(entry)
        f.seek(510)
        f.write(b"\x55\xaa")
    part = "%s@@1M" % path
    qemu.run(["mformat", "-i", part, "-T", str(sectors - 2048), "-h", "64",
              "-s", "32", "-H", "2048", "-v", "BOOT", "::"])
    for name in fat_files:
        qemu.run(["mcopy", "-i", part, name, "::/"])


def boot(out, name, script, expect=THREE_CELLS, images=9):
    """Boot a disk with boot.itb and SCRIPT compiled; return failures: a
    line of EXPECT that no line matches, fewer than IMAGES images that
    passed U-Boot's CRC-32 check, a status other than 0."""
    cmd = os.path.join(out, name + ".cmd")
    with open(cmd, "w") as f:
        f.write(script)
    scr = os.path.join(out, "boot.scr")
    qemu.run(["mkimage", "-A", "arm64", "-T", "script", "-C", "none",
              "-d", cmd, scr])
    disk = os.path.join(out, name + ".img")
    mbr_disk(disk, [scr, os.path.join(out, "boot.itb")])
    r = subprocess.run(
        ["timeout", str(TIMEOUT), "qemu-system-aarch64",
         "-M", "virt,virtualization=on,gic-version=3", "-cpu",
         "cortex-a53", "-smp", "4", "-m", "1G", "-display", "none",
         "-monitor", "none", "-serial", "stdio", "-nic", "none",
         "-bios", UBOOT, "-drive",
         "file=%s,if=none,id=disk,format=raw" % disk,
         "-device", "virtio-blk-device,drive=disk"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, errors="replace")
    log = r.stdout.replace("\r", "")
    failures = []
    for pattern in expect:
        if not re.search(pattern, log, re.M):
            failures.append("no line matches %s" % pattern)
    checked = len(re.findall(r"crc32\+ OK$", log, re.M))
    if checked < images:
        failures.append("only %d images passed their CRC-32 check" % checked)
    status = re.findall(r"^sph: exit status (\d+)$", log, re.M)
    if r.returncode != 0 or status != ["0"]:
        failures.append("QEMU status %d, status lines %s" %
                        (r.returncode, status))
    if failures or os.environ.get("VERBOSE"):
        print(log)
    return failures


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sphc, hyp_obj = map(os.path.abspath, sys.argv[1:])
    os.makedirs(qemu.OUT, exist_ok=True)
    qemu.OUT = tempfile.mkdtemp(prefix="test-uboot-", dir=qemu.OUT)
    passed = failed = 0
    try:
        out = qemu.build(sphc, hyp_obj, SYSTEM, "three-cells", "hello")
        src = os.path.join(os.path.dirname(out), "src", "system.yaml")
        qemu.run([sphc, "build", src, "-o", out, "--target", "fit",
                  "--hypervisor", os.path.join(out, "hypervisor.elf")])
        generated = open(os.path.join(out, "boot.cmd")).read()
        plain = generated.replace("bootm ${sphc_fit}#conf",
                                  "bootm ${sphc_fit}")
        if plain == generated:
            raise qemu.Failure("boot.cmd has no 'bootm ${sphc_fit}#conf'")
        # runtime, fdt, blob, 3 payloads, 3 cell DTBs
        variants = [("u-boot-distro-boot", out, generated, THREE_CELLS, 9),
                    ("u-boot-plain-bootm", out, plain, THREE_CELLS, 9)]
        linux = qemu.build(sphc, hyp_obj, LINUX_SYSTEM, "linux-rtos")
        src = os.path.join(os.path.dirname(linux), "src", "system.yaml")
        qemu.run([sphc, "build", src, "-o", linux, "--target", "fit",
                  "--hypervisor", os.path.join(linux, "hypervisor.elf")])
        # runtime, fdt, blob, rtos payload, Linux, its initrd, 2 cell DTBs
        variants.append(("u-boot-linux-initrd", linux,
                         open(os.path.join(linux, "boot.cmd")).read(),
                         LINUX_RTOS, 8))
    except qemu.Failure as e:
        print("FAIL u-boot-build: %s" % e)
        variants, failed = [], 1
    for name, where, script, expect, images in variants:
        try:
            failures = boot(where, name, script, expect, images)
        except qemu.Failure as e:
            failures = [str(e)]
        for f in failures:
            print("FAIL %s: %s" % (name, f))
        if failures:
            failed += 1
        else:
            print("PASS %s" % name)
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("builds kept in %s" % qemu.OUT)
        sys.exit(1)
    shutil.rmtree(qemu.OUT)


if __name__ == "__main__":
    main()
