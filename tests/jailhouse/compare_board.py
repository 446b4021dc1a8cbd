#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compare a board imported from a device tree with a hand-written one.

    compare_board.py HAND.yaml IMPORTED.yaml

The import must have the same CPUs (MPIDRs, in order), the same RAM, the
same GIC registers and maintenance interrupt, the same timer PPIs and
console, and every device of the hand-written board: one with the same
register ranges and the same interrupts (INTID and trigger). The import may
have more devices. Prints FAIL lines and "RESULT passed failed".
"""
import sys

import yaml


def num(v):
    if isinstance(v, int):
        return v
    s = str(v).replace("_", "")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s and s[-1] in mult:
        return int(s[:-1]) * mult[s[-1]]
    return int(s, 0)


def regs(d):
    return sorted((num(r["base"]), num(r["size"])) for r in d.get("reg", []))


def irqs(d):
    out = []
    for i in d.get("irqs", []):
        out.append((i["irq"], i.get("trigger")) if isinstance(i, dict) else (i, None))
    return sorted(out)


def main():
    with open(sys.argv[1]) as f:
        hand = yaml.safe_load(f)
    with open(sys.argv[2]) as f:
        imp = yaml.safe_load(f)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += bool(ok)
        failed += not ok
        if not ok:
            print("FAIL:", what)

    check([(c["id"], c["mpidr"]) for c in hand["cpus"]] ==
          [(c["id"], c["mpidr"]) for c in imp["cpus"]], "CPUs differ")
    check(sorted((num(m["base"]), num(m["size"])) for m in hand["memory"]) ==
          sorted((num(m["base"]), num(m["size"])) for m in imp["memory"]), "RAM differs")
    hg, ig = hand["gic"], imp["gic"]
    check(hg["version"] == ig["version"], "GIC version")
    for key in ("distributor", "redistributor", "cpu-interface", "virtual-control",
                "virtual-cpu-interface"):
        if key in hg:
            h = {k: num(v) for k, v in hg[key].items()}
            i = {k: num(v) for k, v in ig.get(key, {}).items()}
            check(h == i, "GIC %s: %s, imported %s" % (key, h, i))
    check(hg.get("maintenance-irq") == ig.get("maintenance-irq"), "maintenance IRQ")
    check(hand.get("timer") == imp.get("timer"), "timer PPIs: %s, imported %s"
          % (hand.get("timer"), imp.get("timer")))

    hdev = {d["name"]: d for d in hand["devices"]}
    idev = {d["name"]: d for d in imp["devices"]}
    check(regs(hdev[hand["console"]]) == regs(idev.get(imp.get("console"), {})),
          "console %s is not the imported console %s" % (hand["console"], imp.get("console")))
    renamed = 0
    for name, d in hdev.items():
        match = [n for n, e in idev.items() if regs(e) == regs(d)]
        check(match, "device %s %s: no imported device with these registers"
              % (name, [(hex(b), hex(s)) for b, s in regs(d)]))
        if not match:
            continue
        check(irqs(idev[match[0]]) == irqs(d), "device %s: interrupts %s, imported %s"
              % (name, irqs(d), irqs(idev[match[0]])))
        # Xen names passthrough devices by their path in the host DT.
        check(d.get("dt-path") and d.get("dt-path") == idev[match[0]].get("dt-path"),
              "device %s: dt-path %s, imported %s"
              % (name, d.get("dt-path"), idev[match[0]].get("dt-path")))
        renamed += match[0] != name
    if renamed:
        print("note: %d devices have other names in the import" % renamed)
    print("RESULT", passed, failed)


if __name__ == "__main__":
    main()
