#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make bench-runtime: what the runtime costs, counted on QEMU.

usage: bench.py SPHC HYPERVISOR-BENCH.o

HYPERVISOR-BENCH.o is the runtime built with -DSPH_BENCH: it counts, with
the PMU's INST_RETIRED event filtered to EL2, the instructions from the
exception entry of each trap to its eret, and prints them per kind of trap
before its exit status. The payloads of tests/cells/irq.c drive it: 1,000
virtual-timer ticks (every 100 us) and 1,000 hypercalls, 100 IPIs, the
priority test, 100 doorbell round trips, on GICv3 and again on GICv2 (the
figures of the second run are prefixed gicv2-). QEMU runs with -icount shift=0,sleep=off: virtual
time advances 1 ns per instruction and every figure is deterministic; it is
not hardware time. Prints one figure a line, NAME: VALUE UNIT. Not a test:
it fails only when a boot fails.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the QEMU suite's build and boot)

ICOUNT = ["-icount", "shift=0,sleep=off"]


def boot(sphc, hyp, system, name, extra, gic):
    path = os.path.join(run.ROOT, "tests", "qemu", system + ".yaml") \
        if gic == 3 else run.gicv2_variant(system)
    out = run.build(sphc, hyp, path, name, extra=extra)
    b = run.Boot(out, ICOUNT)
    if b.status != 0 or b.problem:
        sys.exit("bench: %s failed (status %d, %s):\n%s" %
                 (system, b.status, b.problem, b.log))
    return b


def figures(log):
    """{kind: (samples, min, median, max)} from the runtime's bench lines."""
    return {m[0]: tuple(int(x) for x in m[1:]) for m in re.findall(
        r"^sph: bench (\S+): (\d+) samples, min (\d+), median (\d+), "
        r"max (\d+) instructions$", log, re.M)}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sphc, hyp = map(os.path.abspath, sys.argv[1:])
    os.makedirs(run.OUT, exist_ok=True)
    run.OUT = tempfile.mkdtemp(prefix="bench-runtime-", dir=run.OUT)
    print("runtime costs on QEMU 7.2 TCG, -icount shift=0 (virtual time, "
          "not hardware time); instructions at EL2 counted by the PMU, "
          "exception entry to eret, medians; GICv3 first, then GICv2 "
          "(virt, gic-version=2)")
    for gic in (3, 2):
        report(sphc, hyp, gic)
    critical_start(sphc, hyp)
    published()


def start_us(b, cell):
    """Microseconds of virtual time from reset to CELL's first line."""
    m = re.search(r"^\[%s\] first line at counter (\d+)$" % cell, b.log,
                  re.M)
    if not m:
        sys.exit("bench: no first line of %s:\n%s" % (cell, b.log))
    # QEMU's virt counter runs at 62.5 MHz: 16 ns a tick.
    return int(m.group(1)) * 16 / 1000


def critical_start(sphc, hyp):
    """The critical cell's first line, alone and beside a 64 MiB image."""
    path = os.path.join(run.ROOT, "tests", "qemu", "critical-start.yaml")
    beside = boot(sphc, hyp, "critical-start", "bench-critical-beside", None,
                  3)
    text = open(path).read()
    alone_text = text[:text.index("  - name: linux")]
    alone_path = os.path.join(run.OUT, "critical-start-alone.yaml")
    with open(alone_path, "w") as f:
        f.write(alone_text)
    out = run.build(sphc, hyp, alone_path, "bench-critical-alone")
    alone = run.Boot(out, ICOUNT)
    if alone.status != 0 or alone.problem:
        sys.exit("bench: critical-start alone failed:\n" + alone.log)
    a, b = start_us(alone, "rtos"), start_us(beside, "rtos")
    print("critical-start-alone: %.1f us" % a)
    print("critical-start-beside-linux: %.1f us (%+.1f%%; a 64 MiB image in "
          "a 256 MiB cell beside it)" % (b, (b - a) * 100 / a))


def report(sphc, hyp, gic):
    prefix = "" if gic == 3 else "gicv2-"
    irq = boot(sphc, hyp, "irq", prefix + "bench-irq",
               {"timer": "-DTICKS=1000 -DPERIOD_US=100 -DHYPERCALLS=1000",
                "ipi": "-DIPI_ROUNDS=100"}, gic)
    bell = boot(sphc, hyp, "irq-doorbell", prefix + "bench-doorbell",
                {"ping": "-DROUNDS=100", "pong": "-DROUNDS=100"}, gic)
    f = figures(irq.log)
    fb = figures(bell.log)
    m = re.search(r"^\[timer\] timer: (\d+) ticks; deadline to handler min "
                  r"(\d+), median (\d+), max (\d+) ticks \((\d+) ns per tick\)$",
                  irq.log, re.M)
    order = re.search(r"^\[prio\] priority order: (\w+)$", irq.log, re.M)
    # GICv2 forwards without the hardware bit: the EOI maintenance trap
    # belongs to the cost of every forwarded interrupt.
    eoi = f["irq-eoi"][2] if gic == 2 else 0
    print("%sirq-inject: %d instructions" % (prefix, f["irq-inject"][2] + eoi))
    print("%ssgi: %d instructions" % (prefix, f["sgi-send"][2] +
                                      f["sgi-receive"][2]))
    print("%sdoorbell: %d instructions" % (prefix, fb["doorbell-ring"][2] +
                                           fb["sgi-receive"][2]))
    print("%shypercall: %d instructions" % (prefix, f["hypercall"][2]))
    ns = int(m.group(5))
    print("%stimer-latency: %d/%d/%d ns (min/median/max over %s ticks)" % (
        prefix, int(m.group(2)) * ns, int(m.group(3)) * ns,
        int(m.group(4)) * ns, m.group(1)))
    print("%spriority-order: %s" % (prefix, "ok" if order and
                                    order.group(1) == "ok" else "broken"))
    print("%sdetail: irq-inject min %d max %d%s; sgi send %d + receive %d; "
          "doorbell ring %d + receive %d (samples %d, %d)" % (
              prefix, f["irq-inject"][1], f["irq-inject"][3],
              " + eoi %d" % eoi if gic == 2 else "", f["sgi-send"][2],
              f["sgi-receive"][2], fb["doorbell-ring"][2],
              fb["sgi-receive"][2], f["irq-inject"][0], fb["doorbell-ring"][0]))


def published():
    print("published (Martins & Pinto, ZCU104 hardware): injection path "
          "Jailhouse ~200, Bao ~200, Xen ~1,050 instructions; priority order: "
          "Xen and Bao yes, Jailhouse no (FIFO list registers)")


if __name__ == "__main__":
    main()
