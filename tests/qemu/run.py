#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the hypervisor runtime on QEMU.

usage: run.py SPHC HYPERVISOR.o                   the suite (make test-qemu)
       run.py SPHC HYPERVISOR.o --run SYSTEM.yaml  boot one system (make run)

A test system (tests/qemu/*.yaml) gives each cell an `image:` of the form
PROGRAM/CELL.bin: the runner builds tests/cells/PROGRAM.c for CELL with the
linker script and header that `sphc build` wrote for that cell, so it runs
sphc twice (first with placeholder images, then with the real ones). A
comment line `# cflags CELL: FLAGS` adds compiler flags for one cell; every
cell header of the system is included, so FLAGS may name another cell's
addresses. The runtime (HYPERVISOR.o, all its objects in one) is linked
with the system's hypervisor.ld and booted with the generated run-qemu.sh
under `timeout 60`. Each test checks the serial output and QEMU's exit
status; the suite ends with "N passed, N failed". It works in a fresh
obj/qemu/test-qemu-* directory, removed if every test passes.

With --run, cells without an image get tests/cells/hello.c, so the
examples/ systems boot too; the build stays in obj/qemu/run/NAME.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
OUT = os.path.join(ROOT, "obj", "qemu")  # the suite makes its own in it
TIMEOUT = 60
PAYLOAD_CFLAGS = [
    "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
    "-ffreestanding", "-nostdlib", "-fno-pie", "-no-pie",
    "-fno-stack-protector", "-mgeneral-regs-only", "-mstrict-align",
    "-mno-outline-atomics", "-fno-tree-loop-distribute-patterns",
    "-fno-asynchronous-unwind-tables", "-Wl,--build-id=none",
    "-Wl,--no-warn-rwx-segments",
    "-I", os.path.join(ROOT, "hypervisor", "include"),
]
PAYLOAD_LIB = ["lib/start.S", "lib/sph.c", "lib/fdt.c"]


class Failure(Exception):
    pass


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, **kw)
    if r.returncode:
        raise Failure("%s failed (%d):\n%s" % (" ".join(cmd), r.returncode,
                                               r.stdout))
    return r.stdout


def build(sphc, hyp_obj, system, name, default_program=None):
    """Build SYSTEM (a YAML file) into OUT/NAME; return the sphc output dir."""
    top = os.path.join(OUT, name)
    src, out = os.path.join(top, "src"), os.path.join(top, "build")
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(src)
    text = open(system).read()
    desc = yaml.safe_load(text)
    if default_program:
        for cell in desc["cells"]:
            cell.setdefault("image", "%s/%s.bin" % (default_program, cell["name"]))
        text = yaml.safe_dump(desc, sort_keys=False)
    with open(os.path.join(src, "system.yaml"), "w") as f:
        f.write(text)
    cflags = dict(re.findall(r"^# cflags ([\w.-]+): (.*)$", text, re.M))
    images = {c["name"]: c["image"] for c in desc["cells"] if "image" in c}
    for image in images.values():
        os.makedirs(os.path.join(src, os.path.dirname(image)), exist_ok=True)
        with open(os.path.join(src, image), "wb") as f:
            f.write(b"placeholder")
    sphc_build = [sphc, "build", os.path.join(src, "system.yaml"), "-o", out]
    run(sphc_build)
    headers = sorted(os.path.join(out, "cells", h)
                     for h in os.listdir(os.path.join(out, "cells"))
                     if h.endswith(".h"))
    cells_dir = os.path.join(ROOT, "tests", "cells")
    for cell, image in images.items():
        program = image.split("/")[0]
        elf = os.path.join(src, image[:-len(".bin")] + ".elf")
        run([CROSS + "gcc"] + PAYLOAD_CFLAGS + cflags.get(cell, "").split() +
            [a for h in headers for a in ("-include", h)] +
            ["-T", os.path.join(out, "cells", cell + ".ld"), "-o", elf] +
            [os.path.join(cells_dir, f) for f in PAYLOAD_LIB + [program + ".c"]])
        run([CROSS + "objcopy", "-O", "binary", elf, os.path.join(src, image)])
    run(sphc_build)
    run([CROSS + "ld", "--no-warn-rwx-segments", "-T",
         os.path.join(out, "hypervisor.ld"), "-o",
         os.path.join(out, "hypervisor.elf"), hyp_obj])
    return out


class Boot:
    """One QEMU run: its exit status and serial/semihosting output."""

    def __init__(self, out):
        r = subprocess.run(["timeout", str(TIMEOUT), "sh",
                            os.path.join(out, "run-qemu.sh")],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.status = r.returncode
        self.log = r.stdout.replace("\r", "")
        self.lines = self.log.splitlines()

    def expect_status(self, status):
        if self.status != status:
            raise Failure("QEMU exit status %d, expected %d" % (self.status, status))

    def find(self, pattern):
        """Index of the first line matching PATTERN (a regex); fails if none."""
        for i, line in enumerate(self.lines):
            if re.search(pattern, line):
                return i
        raise Failure("no line matches: %s" % pattern)

    def has(self, *literals):
        for s in literals:
            self.find(re.escape(s))

    def lacks(self, pattern):
        for line in self.lines:
            if re.search(pattern, line):
                raise Failure("unexpected line: %s" % line)

    def summary(self, states):
        """The final table: {cell: 'exited 0' | 'stopped -'}."""
        for cell, state in states.items():
            self.find(r"^sph:   %s +%s$" % (re.escape(cell),
                                            r" +".join(state.split())))


def header_value(out, cell, macro):
    text = open(os.path.join(out, "cells", cell + ".h")).read()
    return int(re.search(r"#define %s (\S+)" % macro, text).group(1), 0)


def corrupt(out, name, offset, value):
    """A copy of build OUT whose system.bin has byte OFFSET set to VALUE."""
    copy = os.path.join(OUT, name)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    path = os.path.join(copy, "system.bin")
    blob = bytearray(open(path, "rb").read())
    blob[offset % len(blob)] = value
    open(path, "wb").write(blob)
    return copy


def test_hello(t):
    b = t.boot("hello")
    b.expect_status(0)
    for cell in ("multicore", "plain", "rtos"):
        b.has("sph: cell %s exited with status 0" % cell)
    b.has("[rtos] hello from cell rtos (id 2), vCPU 0",
          "[rtos] device tree: 4096 KiB of RAM, 1 CPU(s)",
          "[plain] device tree: 32768 KiB of RAM, 1 CPU(s)",
          "[plain] goodbye", "[rtos] goodbye",
          "[multicore] device tree: 16384 KiB of RAM, 2 CPU(s)",
          "[multicore] vCPU 0 up, PSCI version 0x10000",
          "[multicore] CPU_ON of running vCPU 0: -4",
          "[multicore] vCPU 1 up, powering off",
          "[multicore] vCPU 1 is off; CPU_ON: 0",
          "[multicore] vCPU 1 back on with context 42",
          "[multicore] CPU_ON of missing vCPU 2: -2",
          "sph: all cells have ended and their 4 CPU(s) are parked",
          "sph: exit status 0")
    b.summary({"multicore": "exited 0", "plain": "exited 0", "rtos": "exited 0"})
    b.lacks(r"stopped|panic")


def test_critical_first(t):
    b = t.boot("hello")
    b.has("sph: cell rtos: 1 vCPU(s) on CPU mask 0x8, 4096 KiB RAM, "
          "entry 0x40800000, boot order 0 (critical)")
    first = b.find(r"^sph: starting cell ")
    if b.lines[first] != "sph: starting cell rtos":
        raise Failure("first cell started: %s" % b.lines[first])
    if first > b.find(r"^\[rtos\] hello"):
        raise Failure("rtos printed before it was started")


def test_violator(t):
    b = t.boot("violator")
    victim = header_value(t.out["violator"], "victim", "CELL_VICTIM_MEM0_BASE")
    base = header_value(t.out["violator"], "violator", "CELL_VIOLATOR_MEM0_BASE")
    size = header_value(t.out["violator"], "violator", "CELL_VIOLATOR_MEM0_SIZE")
    b.expect_status(2)
    b.has("[violator] vCPU 1 spinning",
          "[violator] about to write to 0x%x" % victim,
          "sph: cell violator stopped: stage-2 fault: write to IPA 0x%x "
          "(FAR 0x%x, translation fault, level 2)" % (victim, victim),
          "sph: cell victim exited with status 0",
          "sph: cell bystander exited with status 7",
          "sph: all cells have ended and their 4 CPU(s) are parked",
          "sph: exit status 2")
    m = re.search(r"^sph:   CPU (\d+) \(vCPU 0\), PC 0x([0-9a-f]+), "
                  r"ESR_EL2 0x(9[23][0-9a-f]{6})$", b.log, re.M)
    if not m or not base <= int(m.group(2), 16) < base + size:
        raise Failure("no report line with the CPU, a PC in the violator "
                      "and a data-abort syndrome")
    b.summary({"violator": "stopped -", "victim": "exited 0",
               "bystander": "exited 7"})
    b.lacks(r"still running")


def test_shared_read_only(t):
    b = t.boot("shared")
    shm = header_value(t.out["shared"], "reader", "CELL_READER_SHM_MAILBOX_BASE")
    b.expect_status(1)
    b.has("[writer] wrote 0x5348415245440001 to shared memory at 0x%x" % shm,
          "[reader] read 0x5348415245440001 from shared memory at 0x%x" % shm,
          "sph: cell reader stopped: stage-2 fault: write to IPA 0x%x "
          "(FAR 0x%x, permission fault, level 3)" % (shm, shm))
    b.summary({"writer": "exited 0", "reader": "stopped -"})


def test_bad_smc(t):
    b = t.boot("bad-smc")
    b.expect_status(1)
    b.has("[smc] about to call SMC 0x82000000 (SiP service)",
          "sph: cell smc stopped: SMC 0x82000000 is not a PSCI call",
          "sph: cell other exited with status 0")
    elf = os.path.join(OUT, "bad-smc", "src", "violator", "smc.elf")
    nm = run([CROSS + "nm", elf])
    smc = int(re.search(r"^([0-9a-f]+) T sph_smc$", nm, re.M).group(1), 16)
    b.find(r"^sph:   CPU \d+ \(vCPU 0\), PC 0x%x, ESR_EL2 0x5e000000$" % smc)
    b.summary({"smc": "stopped -", "other": "exited 0"})


def refused(t, name, offset, value, reason):
    b = t.record(name, Boot(corrupt(t.out["hello"], name, offset, value)))
    b.expect_status(255)
    b.find(r"^sph: refusing to boot: invalid system blob at 0x[0-9a-f]+: "
           + re.escape(reason))
    b.lacks(r"^\[|starting cell")


def test_corrupt_blob(t):
    t.boot("hello")
    refused(t, "corrupt-crc", 0x200, 0x5a, "CRC-32 mismatch")
    refused(t, "corrupt-magic", 0, 0, "bad magic")


TESTS = [test_hello, test_critical_first, test_violator, test_shared_read_only,
         test_bad_smc, test_corrupt_blob]


class Suite:
    def __init__(self, sphc, hyp_obj):
        self.sphc, self.hyp_obj = sphc, hyp_obj
        self.out, self.boots = {}, {}
        self.used = []  # (name, Boot) of the current test

    def record(self, name, boot):
        self.used.append((name, boot))
        return boot

    def boot(self, system):
        """Build and boot tests/qemu/SYSTEM.yaml, once per suite run."""
        if system not in self.boots:
            self.out[system] = build(self.sphc, self.hyp_obj,
                                     os.path.join(ROOT, "tests", "qemu",
                                                  system + ".yaml"), system)
            self.boots[system] = Boot(self.out[system])
        return self.record(system, self.boots[system])


def main():
    if len(sys.argv) == 5 and sys.argv[3] == "--run":
        system = sys.argv[4]
        name = os.path.basename(os.path.dirname(system)) \
            if os.path.basename(system) == "system.yaml" \
            else os.path.splitext(os.path.basename(system))[0]
        out = build(sys.argv[1], sys.argv[2], system, "run/" + name, "hello")
        os.execvp("sh", ["sh", os.path.join(out, "run-qemu.sh")])
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    global OUT
    os.makedirs(OUT, exist_ok=True)
    OUT = tempfile.mkdtemp(prefix="test-qemu-", dir=OUT)
    suite = Suite(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
    passed = failed = 0
    start = time.time()
    for test in TESTS:
        name = test.__name__[len("test_"):].replace("_", "-")
        suite.used = []
        try:
            test(suite)
            print("PASS %s" % name)
            passed += 1
        except Failure as e:
            print("FAIL %s: %s" % (name, e))
            for system, b in suite.used:
                print("---- %s (exit status %d)\n%s" % (system, b.status, b.log))
            failed += 1
    print("%d passed, %d failed (%.1f s)" % (passed, failed, time.time() - start))
    if failed:
        print("builds and payloads kept in %s" % OUT)
        sys.exit(1)
    shutil.rmtree(OUT)


if __name__ == "__main__":
    main()
