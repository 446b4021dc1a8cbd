#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check the Jailhouse backend's files against the documented mapping.

    check_emit.py SPHC SYSTEM.yaml BOARD OUTDIR REVISION

OUTDIR/jailhouse/ holds what the backend wrote for SYSTEM.yaml on BOARD.
This script works out, on its own, what those files must contain:
placements come from `sphc map` of the system with its colors removed
(Jailhouse has none, so the backend places memory as if uncolored); the
rest (root cell, flags, device regions, interrupts, CPUs, console) from the
system and board YAML and the rules in docs/language.md ("Jailhouse"). The
files are read with jhdecode.py, a decoder written from the format
reference, not from sphc's encoder.

Prints a FAIL line per difference and "RESULT passed failed" last.
"""
import os
import re
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jhdecode  # noqa: E402

PAGE = 0x1000
R, W, X, DMA, IO, COMM, LOAD, RS = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80
WIDTHS = 0x10000 | 0x20000 | 0x40000 | 0x80000

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def num(v):
    """A size or address as written in sphc YAML."""
    if isinstance(v, int):
        return v
    s = str(v).replace("_", "")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s and s[-1] in mult:
        return int(s[:-1]) * mult[s[-1]]
    return int(s, 0)


def page_up(v):
    return (v + PAGE - 1) // PAGE * PAGE


def merge(base, over):
    """sphc's per-board merge: maps by key, lists of named maps by name."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if (isinstance(base, list) and isinstance(over, list) and
            all(isinstance(i, dict) and "name" in i for i in base + over)):
        out = [dict(i) for i in base]
        for item in over:
            for i, b in enumerate(out):
                if b["name"] == item["name"]:
                    out[i] = merge(b, item)
                    break
            else:
                out.append(item)
        return out
    return over


def ids(spec):
    """[0, 2-3] or "1-3" as a list of ints."""
    if isinstance(spec, int):
        return [spec]
    if isinstance(spec, str):
        lo, _, hi = spec.partition("-")
        return list(range(int(lo), int(hi or lo) + 1))
    out = []
    for item in spec:
        out += ids(item)
    return out


def console_type(compat):
    c = " ".join(compat)
    if "arm,pl011" in compat:
        return 3
    if any(x.startswith("cdns,uart") for x in compat) or "xlnx,xuartps" in compat:
        return 4
    if any(x.startswith("fsl,") and "lpuart" in x for x in compat):
        return 9
    if any(x.startswith("fsl,imx") and "-uart" in x for x in compat):
        return 8
    if re.search(r"brcm,bcm2835-aux-uart|ns16550|ns8250|snps,dw-apb-uart", c):
        return 2
    return 0


def load(sphc, system_path, board, tmp):
    with open(system_path) as f:
        sysd = yaml.safe_load(f)
    path = board if board.endswith(".yaml") else os.path.join("boards", board + ".yaml")
    with open(path) as f:
        brd = yaml.safe_load(f)
    board = brd["name"]
    per = sysd.pop("per-board", {}) or {}
    if board in per:
        sysd = merge(sysd, per[board])
    sysd.pop("boards", None)
    sysd["board"] = os.path.abspath(path)
    # Jailhouse has no coloring: the backend places memory without colors.
    sysd.get("hypervisor", {}).pop("colors", None)
    for c in sysd["cells"]:
        c.pop("colors", None)
        # Files named beside the original (a Linux kernel and its initrd)
        # are not here, and no cell config carries them.
        c.pop("image", None)
        c.pop("initrd", None)
    plain = os.path.join(tmp, "plain.yaml")
    with open(plain, "w") as f:
        yaml.safe_dump(sysd, f)
    out = subprocess.run([sphc, "map", plain], capture_output=True, text=True)
    if out.returncode:
        sys.exit("sphc map failed:\n" + out.stderr)
    rows = []
    for line in out.stdout.splitlines()[1:]:
        m = re.match(r"(\S+)\s+(\S+)\s+\[0x([0-9a-f]+), 0x([0-9a-f]+)\)\s+\S+\s+(.*)", line)
        if not m:
            continue
        attrs = m.group(5)
        ipa = re.search(r"ipa=0x([0-9a-f]+)", attrs)
        rows.append({"owner": m.group(1), "kind": m.group(2),
                     "pa": int(m.group(3), 16), "end": int(m.group(4), 16),
                     "ipa": int(ipa.group(1), 16) if ipa else None})
    return sysd, brd, rows


class Expect:
    def __init__(self, sysd, brd, rows):
        self.s, self.b, self.rows = sysd, brd, rows
        self.cells = sysd["cells"]
        self.names = [c["name"] for c in self.cells]
        self.root = next((i for i, c in enumerate(self.cells)
                          if not c.get("critical")), 0)
        self.devs = {d["name"]: d for d in brd.get("devices", [])}
        self.dev_order = [d["name"] for d in brd.get("devices", [])]
        con = sysd.get("hypervisor", {}).get("console", brd.get("console"))
        self.console = con
        self.spis = brd["gic"].get("spis", 0)
        self.cpus = self.alloc_cpus()
        self.owner = self.find_owners()

    def alloc_cpus(self):
        board = sorted(c["id"] for c in self.b["cpus"])
        taken, out = set(), {}
        for i, c in enumerate(self.cells):
            if not isinstance(c["cpus"], int):
                out[i] = set(ids(c["cpus"]))
                taken |= out[i]
        for i, c in enumerate(self.cells):
            if isinstance(c["cpus"], int):
                free = [x for x in board if x not in taken][:c["cpus"]]
                out[i] = set(free)
                taken |= out[i]
        return out

    def cell_devs(self, i):
        out = []
        for d in self.cells[i].get("devices", []) or []:
            out.append(d["name"] if isinstance(d, dict) else d)
        return out

    def find_owners(self):
        owner = {}
        for name in self.dev_order:
            users = [i for i in range(len(self.cells)) if name in self.cell_devs(i)]
            owner[name] = users[0] if len(users) == 1 else ("many" if users else None)

        def pages(d):
            return [(num(r["base"]) // PAGE, page_up(num(r["base"]) + num(r["size"])) // PAGE)
                    for r in self.devs[d].get("reg", [])]

        def meet(a, b):
            return any(a0 < b1 and b0 < a1 for a0, a1 in pages(a) for b0, b1 in pages(b))

        for name in self.dev_order:
            if owner[name] is not None or name == self.console:
                continue
            clash = any(o != name and (owner[o] not in (None, self.root) or
                                       (owner[o] is None and o == self.console)) and
                        meet(name, o) for o in self.dev_order)
            if not clash:
                owner[name] = self.root
        return owner

    def mmio_group(self, group):
        ranges = []
        for name in self.dev_order:
            if self.owner[name] == group:
                for r in self.devs[name].get("reg", []):
                    ranges.append([num(r["base"]), num(r["base"]) + num(r["size"])])
        ranges.sort()
        merged = []
        for s, e in ranges:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [self.mmio(s, e) for s, e in merged]

    def mmio(self, s, e, extra=0):
        f = R | W | IO | extra
        if s % PAGE or e % PAGE:
            f |= WIDTHS
        return (s, s, e - s, f)

    def many(self, cell):
        out = []
        for name in self.dev_order:
            if self.owner[name] != "many":
                continue
            if cell is not None and name not in self.cell_devs(cell):
                continue
            extra = RS if cell is not None and name in self.cell_devs(self.root) else 0
            for r in self.devs[name].get("reg", []):
                out.append(self.mmio(num(r["base"]), num(r["base"]) + num(r["size"]), extra))
        return out

    def shared(self, cell):
        out = []
        for sh in self.s.get("shared", []) or []:
            acc = sh["access"]
            name = self.names[cell]
            if name not in acc:
                continue
            row = next(r for r in self.rows if r["owner"] == sh["name"] and r["kind"] == "shared")
            f = R | (W if acc[name] == "rw" else 0)
            if cell != self.root and self.names[self.root] in acc:
                f |= RS
            out.append((row["pa"], row["pa"], page_up(num(sh["size"])), f))
        return sorted(out)

    def root_regions(self):
        hyp = next(r for r in self.rows if r["owner"] == "hypervisor")
        holes = [(hyp["pa"], hyp["pa"] + page_up(hyp["end"] - hyp["pa"]))]
        for sh in self.s.get("shared", []) or []:
            row = next(r for r in self.rows if r["owner"] == sh["name"] and r["kind"] == "shared")
            holes.append((row["pa"], row["pa"] + page_up(num(sh["size"]))))
        holes.sort()
        out = []
        for bank in self.b["memory"]:
            at, end = num(bank["base"]), num(bank["base"]) + num(bank["size"])
            for hs, he in holes:
                if he <= at or hs >= end:
                    continue
                if hs > at:
                    out.append((at, at, hs - at, R | W | X))
                at = he
            if at < end:
                out.append((at, at, end - at, R | W | X))
        out += self.shared(self.root)
        mmio = self.mmio_group(self.root)
        for i in range(len(self.cells)):
            if i != self.root:
                mmio += self.mmio_group(i)
        mmio += self.many(None)
        return out + sorted(mmio, key=lambda m: (m[0], m[2]))

    def cell_regions(self, i):
        c = self.cells[i]
        rows = [r for r in self.rows if r["owner"] == c["name"] and r["kind"] == "ram"]
        out = []
        for reg in c["memory"]:
            size = num(reg["size"])
            row = next(r for r in rows if r["end"] - r["pa"] == size)
            rows.remove(row)
            out.append((row["pa"], row["ipa"], page_up(size), R | W | X | DMA | LOAD))
        out += self.shared(i)
        out += sorted(self.mmio_group(i) + self.many(i), key=lambda m: (m[0], m[2]))
        lo, hi = 0x80000000, 0x80000000 + PAGE
        if any(v < hi and v + s > lo for _, v, s, _ in out):
            top = max(v + s for _, v, s, _ in out)
            comm = (top + (2 << 20) - 1) // (2 << 20) * (2 << 20)
        else:
            comm = lo
        out.append((0, comm, PAGE, R | W | COMM))
        return out

    def intids(self, i):
        if i == self.root:
            return set(range(32, 32 + self.spis))
        out = set()
        for name in self.cell_devs(i):
            for irq in self.devs[name].get("irqs", []):
                out.add(irq["irq"] if isinstance(irq, dict) else irq)
        for irq in self.cells[i].get("irqs", []) or []:
            out.add(irq["irq"] if isinstance(irq, dict) else irq)
        return {x for x in out if 32 <= x < 1020}

    def console_of(self, i):
        for name in self.cell_devs(i):
            d = self.devs[name]
            compat = d.get("compatible", [])
            compat = [compat] if isinstance(compat, str) else compat
            t = console_type(compat)
            if t and d.get("reg"):
                return {"address": num(d["reg"][0]["base"]),
                        "size": num(d["reg"][0]["size"]), "type": t, "flags": 3}
        return None


def bitmap_intids(chips, gicd, who):
    out = set()
    for ch in chips:
        check(ch["address"] == gicd, "%s: irqchip address %#x is not GICD %#x"
              % (who, ch["address"], gicd))
        check(ch["pin_base"] % 32 == 0 and ch["pin_base"] >= 32 and
              ch["pin_base"] + 128 <= 1024,
              "%s: irqchip pin_base %d" % (who, ch["pin_base"]))
        check(ch["id"] == 0, "%s: irqchip id %d" % (who, ch["id"]))
        for w, word in enumerate(ch["pin_bitmap"]):
            for bit in range(32):
                if word >> bit & 1:
                    out.add(ch["pin_base"] + 32 * w + bit)
    return out


def check_desc(c, exp, i, rev, embedded, gicd, who):
    counts = c["counts"]
    size = (132 + c["cpu_set_size"] + 32 * counts["memory"] + 12 * counts["cache"] +
            32 * counts["irqchips"] + 4 * counts["pio"] + 56 * counts["pci"] +
            8 * counts["pci_caps"] + 4 * counts["stream_ids"])
    check(c["size"] == size, "%s: size %d is not what the counts give (%d)" % (who, c["size"], size))
    check(counts["memory"] == len(c["memory"]) and counts["irqchips"] == len(c["irqchips"]),
          "%s: counts do not match the arrays" % who)
    check(c["cpu_set_size"] == 8, "%s: cpu_set_size %d" % (who, c["cpu_set_size"]))
    check(c["name"] == exp.names[i], "%s: name %r" % (who, c["name"]))
    check(c["id"] == 0 and c["vpci_irq_base"] == 0 and c["msg_reply_timeout"] == 0,
          "%s: id, vpci_irq_base, msg_reply_timeout must be 0" % who)
    check(all(v == 0 for k, v in counts.items() if k not in ("memory", "irqchips")),
          "%s: unexpected cache/pio/pci/stream entries" % who)
    want_cpus = set(c2["id"] for c2 in exp.b["cpus"]) if i == exp.root else exp.cpus[i]
    got_cpus = {b for b in range(64) if c["cpus"] >> b & 1}
    check(got_cpus == want_cpus, "%s: CPUs %s, expected %s" % (who, sorted(got_cpus), sorted(want_cpus)))

    want = exp.root_regions() if i == exp.root else exp.cell_regions(i)
    got = [(m["phys"], m["virt"], m["size"], m["flags"]) for m in c["memory"]]
    check(len(got) == len(want), "%s: %d memory regions, expected %d" % (who, len(got), len(want)))
    for k, (g, w) in enumerate(zip(got, want)):
        check(g == w, "%s: region %d is phys %#x virt %#x size %#x flags %s, expected phys %#x virt %#x size %#x flags %s"
              % (who, k, g[0], g[1], g[2], jhdecode.flag_names(g[3]),
                 w[0], w[1], w[2], jhdecode.flag_names(w[3])))

    got_irq = bitmap_intids(c["irqchips"], gicd, who)
    want_irq = exp.intids(i)
    check(got_irq == want_irq, "%s: INTIDs %s, expected %s" % (who, sorted(got_irq), sorted(want_irq)))
    bases = [ch["pin_base"] for ch in c["irqchips"]]
    check(len(bases) == len(set(bases)), "%s: two irqchips with one pin_base" % who)

    if i == exp.root:
        check(c["flags"] == 0, "%s: root flags %#x" % (who, c["flags"]))
        check(c["cpu_reset_address"] == 0, "%s: root reset address" % who)
        check(c["raw_header"] == "00" * 8, "%s: embedded root header not zero" % who)
        return
    con = exp.console_of(i)
    want_flags = 0x1 | 0x40000000 | (0 if con else 0x80000000)
    check(c["flags"] == want_flags, "%s: flags %#x, expected %#x" % (who, c["flags"], want_flags))
    cc = c["console"]
    if con:
        check((cc["address"], cc["size"], cc["type"], cc["flags"]) ==
              (con["address"], con["size"], con["type"], con["flags"]),
              "%s: console %s, expected %s" % (who, cc, con))
    else:
        check(cc["type"] == 0 and cc["address"] == 0, "%s: console should be empty" % who)
    cell = exp.cells[i]
    entry = num(cell["entry"]) if "entry" in cell else want[0][1]
    check(c["cpu_reset_address"] == entry, "%s: reset %#x, expected %#x"
          % (who, c["cpu_reset_address"], entry))
    if rev == 14:
        check(c.get("signature") == "JHCLL" and c.get("architecture") == 2,
              "%s: signature %r arch %r" % (who, c.get("signature"), c.get("architecture")))
    else:
        check(c.get("signature") == "JHCELL", "%s: signature %r" % (who, c.get("signature")))
    check(c.get("revision") == rev, "%s: revision %r" % (who, c.get("revision")))


def main():
    sphc, system_path, board, outdir, rev = sys.argv[1:6]
    rev = int(rev)
    sysd, brd, rows = load(sphc, system_path, board, outdir)
    exp = Expect(sysd, brd, rows)
    jdir = os.path.join(outdir, "jailhouse")
    files = sorted(os.listdir(jdir))
    want_files = sorted(["system.cell"] + [n + ".cell" for i, n in enumerate(exp.names)
                                           if i != exp.root])
    check(files == want_files, "files %s, expected %s" % (files, want_files))

    sysc = jhdecode.decode(os.path.join(jdir, "system.cell"))
    who = "%s/%s system.cell" % (os.path.basename(os.path.dirname(system_path)), board)
    if rev == 14:
        check(sysc.get("signature") == "JHSYS" and sysc.get("architecture") == 2,
              "%s: signature %r arch %r" % (who, sysc.get("signature"), sysc.get("architecture")))
    else:
        check(sysc.get("signature") == "JHSYST", "%s: signature %r" % (who, sysc.get("signature")))
    check(sysc.get("revision") == rev, "%s: revision %r" % (who, sysc.get("revision")))
    # Revision 12's platform part is 2 bytes shorter (no ARM padding).
    head = 354 if rev == 12 else 356
    check(sysc["size"] == sysc["file_size"] == head + sysc["root_cell"]["size"],
          "%s: file size %d, decoded %d" % (who, sysc["file_size"], sysc["size"]))
    check(sysc["flags"] == 1, "%s: flags %#x" % (who, sysc["flags"]))
    hyp = next(r for r in rows if r["owner"] == "hypervisor")
    hm = sysc["hypervisor_memory"]
    check((hm["phys"], hm["size"]) == (hyp["pa"], page_up(hyp["end"] - hyp["pa"])),
          "%s: hypervisor memory %#x+%#x, expected %#x+%#x"
          % (who, hm["phys"], hm["size"], hyp["pa"], hyp["end"] - hyp["pa"]))
    gic = brd["gic"]
    arm = sysc["arm"]
    check(arm["gic_version"] == gic["version"], "%s: GIC version" % who)
    check(arm["maintenance_irq"] == gic.get("maintenance-irq", 0), "%s: maintenance IRQ" % who)
    check(arm["gicd"] == num(gic["distributor"]["base"]), "%s: GICD" % who)
    if gic["version"] == 3:
        check(arm["gicr"] == num(gic["redistributor"]["base"]) and
              arm["gicc"] == arm["gich"] == arm["gicv"] == 0, "%s: GICv3 bases" % who)
    else:
        check((arm["gicc"], arm["gich"], arm["gicv"], arm["gicr"]) ==
              (num(gic["cpu-interface"]["base"]), num(gic["virtual-control"]["base"]),
               num(gic["virtual-cpu-interface"]["base"]), 0), "%s: GICv2 bases %s" % (who, arm))
    check(sysc["pci"] == {"mmconfig_base": 0, "end_bus": 0, "is_virtual": 0, "domain": 0}
          and sysc["iommu_units_zero"], "%s: PCI and IOMMU fields must be zero" % who)
    con = exp.devs[exp.console]
    compat = con.get("compatible", [])
    compat = [compat] if isinstance(compat, str) else compat
    dc = sysc["debug_console"]
    check((dc["address"], dc["size"], dc["type"], dc["flags"]) ==
          (num(con["reg"][0]["base"]), num(con["reg"][0]["size"]), console_type(compat), 3),
          "%s: debug console %s" % (who, dc))
    check_desc(sysc["root_cell"], exp, exp.root, rev, True, num(gic["distributor"]["base"]), who)

    for i, name in enumerate(exp.names):
        if i == exp.root:
            continue
        path = os.path.join(jdir, name + ".cell")
        if not os.path.exists(path):
            continue
        c = jhdecode.decode(path)
        cwho = who.replace("system.cell", name + ".cell")
        check(c["size"] == c["file_size"], "%s: file size %d, decoded %d"
              % (cwho, c["file_size"], c["size"]))
        check_desc(c, exp, i, rev, False, num(gic["distributor"]["base"]), cwho)
    print("RESULT", passed, failed)


if __name__ == "__main__":
    main()
