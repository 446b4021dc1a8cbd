#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make bench-runtime: what the runtime costs, counted on QEMU.

usage: bench.py SPHC HYPERVISOR-BENCH.o

HYPERVISOR-BENCH.o is the runtime built with -DSPH_BENCH: it counts, with
the PMU's INST_RETIRED event filtered to EL2, the instructions from the
exception entry of each trap to its eret, and prints them per kind of trap
before its exit status. The payloads of tests/cells/irq.c drive it: 1,000
virtual-timer ticks (every 100 us) and 1,000 hypercalls, 100 IPIs, the priority test, 100
doorbell round trips. QEMU runs with -icount shift=0,sleep=off: virtual
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


def boot(sphc, hyp, system, name, extra):
    out = run.build(sphc, hyp, os.path.join(run.ROOT, "tests", "qemu", system),
                    name, extra=extra)
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
    irq = boot(sphc, hyp, "irq.yaml", "bench-irq",
               {"timer": "-DTICKS=1000 -DPERIOD_US=100 -DHYPERCALLS=1000",
                "ipi": "-DIPI_ROUNDS=100"})
    bell = boot(sphc, hyp, "irq-doorbell.yaml", "bench-doorbell",
                {"ping": "-DROUNDS=100", "pong": "-DROUNDS=100"})
    f = figures(irq.log)
    f.update({k: v for k, v in figures(bell.log).items()
              if k.startswith("doorbell") or k == "sgi-receive" and
              "sgi-receive" not in f})
    fb = figures(bell.log)
    m = re.search(r"^\[timer\] timer: (\d+) ticks; deadline to handler min "
                  r"(\d+), median (\d+), max (\d+) ticks \((\d+) ns per tick\)$",
                  irq.log, re.M)
    order = re.search(r"^\[prio\] priority order: (\w+)$", irq.log, re.M)
    print("runtime costs on QEMU 7.2 TCG, -icount shift=0 (virtual time, "
          "not hardware time); instructions at EL2 counted by the PMU, "
          "exception entry to eret, medians")
    print("irq-inject: %d instructions" % f["irq-inject"][2])
    print("sgi: %d instructions" % (f["sgi-send"][2] + f["sgi-receive"][2]))
    print("doorbell: %d instructions" % (fb["doorbell-ring"][2] +
                                         fb["sgi-receive"][2]))
    print("hypercall: %d instructions" % f["hypercall"][2])
    ns = int(m.group(5))
    print("timer-latency: %d/%d/%d ns (min/median/max over %s ticks)" % (
        int(m.group(2)) * ns, int(m.group(3)) * ns, int(m.group(4)) * ns,
        m.group(1)))
    print("priority-order: %s" % ("ok" if order and order.group(1) == "ok"
                                  else "broken"))
    print("detail: irq-inject min %d max %d; sgi send %d + receive %d; "
          "doorbell ring %d + receive %d (samples %d, %d)" % (
              f["irq-inject"][1], f["irq-inject"][3], f["sgi-send"][2],
              f["sgi-receive"][2], fb["doorbell-ring"][2],
              fb["sgi-receive"][2], f["irq-inject"][0], fb["doorbell-ring"][0]))
    print("published (Martins & Pinto, ZCU104 hardware): injection path "
          "Jailhouse ~200, Bao ~200, Xen ~1,050 instructions; priority order: "
          "Xen and Bao yes, Jailhouse no (FIFO list registers)")


if __name__ == "__main__":
    main()
