#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write Jailhouse system configs that reproduce the defects Jailhouse's own
checker found in its shipped configs, each next to its fixed version.

    make_defects.py OUTDIR      writes OUTDIR/NAME.cell, OUTDIR/NAME-fixed.cell
                                and OUTDIR/expect.json
    make_defects.py --verify OUTDIR
                                decodes them with jhdecode.py and compares
                                every field packed here (RESULT pass fail)
    make_defects.py --many N FILE
                                a root cell of N disjoint 4K regions, the 6th
                                moved half a page onto the 5th, and RAM

The addresses, sizes and flags are those of the configs before and after
the fixes (siemens/jailhouse `next`, Jan 2023: jetson-tx1/tx2 78ddad52,
ls1046a-rdb 29447eca, ultra96 and zynqmp-zcu102 d049193a, jetson-tk1
073961ea; k3-am654-idk 1d2cd118, Mar 2022), reduced to the regions that
matter. The bytes are packed from the documented layout
(../shared/reference/jailhouse.md, section 1, and revision 12 as v0.12's
cell-config.h has it: the IOMMU units after the GIC bases, no padding), not
from Jailhouse's C structs.

expect.json maps each file to the findings `sphc import jailhouse` must
report, as [rule, region, other] where other is "#N" (a region of the same
cell) or the name of what the region lies on.
"""
import json
import os
import struct
import sys

R, W, X, DMA, IO, COMM, LOAD, RS = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80
IO_8, IO_32, IO_UNALIGNED = 0x10000, 0x40000, 0x8000
RWX, RWIO = R | W | X, R | W | IO
MMU500 = 5
CON_8250, CON_XUARTPS = 2, 4


def same(phys, size, flags):
    return (phys, phys, size, flags)


def net_regions(start):
    """JAILHOUSE_SHMEM_NET_REGIONS(start, 0): 4 regions, the second empty."""
    return [same(start, 0x1000, R | RS), (0, 0, 0, 0),
            same(start + 0x1000, 0x7f000, R | W | RS),
            same(start + 0x80000, 0x7f000, R | RS)]


def iommu(unit):
    typ, base, size = unit
    return struct.pack("<IQI", typ, base, size) + b"\0" * 12


def system(c, mem):
    """A system config of revision c["rev"] (12, 13 or 14) for ARM."""
    rev = c.get("rev", 14)
    if rev == 14:
        head = b"JHSYS" + struct.pack("<BH", c.get("arch", 2), 14)
    else:
        head = b"JHSYST" + struct.pack("<H", rev)
    d = head + struct.pack("<I", 1)                      # VIRTUAL_DEBUG_CONSOLE
    d += struct.pack("<QQQQ", c["hyp"][0], 0, c["hyp"][1], 0)
    addr, size, typ = c["console"]
    d += struct.pack("<QIHHIIQ", addr, size, typ, 0x3, 0, 0, 0)
    mm_base, mm_end = c.get("mmcfg", (0, 0))
    d += struct.pack("<QBBH", mm_base, mm_end, 1 if mm_base else 0, 0)
    units = b"".join(iommu(u) for u in c.get("iommu", []))
    units = units.ljust(8 * 28, b"\0")
    ver, gicd, gicc, gich, gicv, gicr = c["gic"]
    if rev == 12:
        d += struct.pack("<BBQQQQQ", 25, ver, gicd, gicc, gich, gicv, gicr) + units
    else:
        d += units + struct.pack("<BBHQQQQQ", 25, ver, 0, gicd, gicc, gich, gicv, gicr)
    assert len(d) == (354 if rev == 12 else 356)
    # The root cell's descriptor: no signature, name, counts, console.
    d += b"\0" * 8 + c["name"].encode().ljust(32, b"\0")
    d += struct.pack("<IIIIIIIIIIIQQ", 0, 0, 8, len(mem), 0, 1, 0, 0, 0, 0,
                     0, 0, 0)
    d += b"\0" * 32
    d += struct.pack("<Q", c["cpus"])
    for m in mem:
        d += struct.pack("<QQQQ", *m)
    d += struct.pack("<QII4I", gicd, 0, 32, *([0xffffffff] * 4))
    return d


GICV2_ZYNQMP = (2, 0xf9010000, 0xf902f000, 0xf9040000, 0xf906f000, 0)
GICV2_TEGRA = (2, 0x50041000, 0x50042000, 0x50044000, 0x50046000, 0)

ULTRA96 = {
    "name": "Ultra96", "cpus": 0xf, "hyp": (0x7fc00000, 0x400000),
    "console": (0xff010000, 0x1000, CON_XUARTPS), "mmcfg": (0xfc000000, 0),
    "iommu": [(MMU500, 0xfd800000, 0x20000)], "gic": GICV2_ZYNQMP,
    "mem": [same(0xfd000000, 0x03000000, RWIO),          # MMIO (permissive)
            same(0x0, 0x7fa10000, RWX)],                 # RAM
    "fixed": [same(0xfd000000, 0x00800000, RWIO),
              same(0xfd820000, 0x027e0000, RWIO),
              same(0x0, 0x7fa10000, RWX)],
    "expect": [["memory-on-device", 0, "IOMMU unit #0 (SMMU (MMU-500))"]],
}

FIXTURES = {
    # Root RAM runs over the ivshmem-net regions below the hypervisor.
    "jetson-tx1": {
        "name": "Jetson-TX1", "cpus": 0xf, "hyp": (0x17c000000, 0x4000000),
        "console": (0x70006000, 0x40, CON_8250), "gic": GICV2_TEGRA,
        "mem": net_regions(0x17bf00000) + [
            same(0x0, 0xd00000, RWIO),                   # APE 1
            same(0x80000000, 0xfc000000, RWX)],          # System RAM
        "fixed": net_regions(0x17bf00000) + [
            same(0x0, 0xd00000, RWIO), same(0x80000000, 0xfbf00000, RWX)],
        "expect": [["memory-overlap", 5, "#0"], ["memory-overlap", 5, "#2"],
                   ["memory-overlap", 5, "#3"]],
    },
    # TOP_TKE and TIMER, both RWX without IO, the second inside the first.
    "jetson-tx2": {
        "name": "Jetson-TX2", "cpus": 0x39, "hyp": (0x271000000, 0x4000000),
        "console": (0x3100000, 0x10000, CON_8250),
        "gic": (2, 0x03881000, 0x03882000, 0x03884000, 0x03886000, 0),
        "mem": [same(0x03010000, 0xe0000, RWX),          # TOP_TKE
                same(0x03020000, 0xa0000, RWX),          # TIMER
                same(0x03100000, 0x10000, RWIO),         # UARTA
                same(0x80000000, 0x1f0000000, RWX)],     # System RAM
        "fixed": [same(0x03010000, 0xe0000, RWX), same(0x03100000, 0x10000, RWIO),
                  same(0x80000000, 0x1f0000000, RWX)],
        "expect": [["memory-overlap", 1, "#0"]],
    },
    # The inmate loader region inside the root cell's first GiB of RAM.
    "ls1046a-rdb": {
        "name": "ls1046a", "cpus": 0xf, "hyp": (0xfba00000, 0x400000),
        "console": (0x21c0500, 0x100, CON_8250), "mmcfg": (0xfb500000, 0),
        "gic": (2, 0x1410000, 0x142f000, 0x1440000, 0x146f000, 0),
        "mem": [same(0x80000000, 0x40000000, RWX),       # RAM, DRAM1
                same(0x880000000, 0x180000000, RWX),     # DRAM2
                same(0xc0000000, 0x3b500000, RWX),       # RAM: inmate
                same(0xbf900000, 0x00100000, RWX)],      # RAM: loader
        "fixed": [same(0x80000000, 0x3f000000, RWX),
                  same(0x880000000, 0x180000000, RWX),
                  same(0xc0000000, 0x3b500000, RWX),
                  same(0xbf900000, 0x00100000, RWX)],
        "expect": [["memory-overlap", 3, "#0"]],
    },
    # The permissive MMIO region hands the SMMU to the root cell.
    "ultra96": ULTRA96,
    # The same layout in revision 12 (v0.12): the IOMMU unit is read there too.
    "ultra96-rev12": dict(ULTRA96, rev=12),
    "zynqmp-zcu102": {
        "name": "ZynqMP-ZCU102", "cpus": 0xf, "hyp": (0x800000000, 0x400000),
        "console": (0xff000000, 0x1000, CON_XUARTPS), "mmcfg": (0xfc000000, 0),
        "iommu": [(MMU500, 0xfd800000, 0x20000)], "gic": GICV2_ZYNQMP, "rev": 13,
        "mem": net_regions(0x800400000) + [
            same(0xfd000000, 0x03000000, RWIO),          # MMIO (permissive)
            same(0x0, 0x80000000, RWX)],                 # RAM
        "fixed": net_regions(0x800400000) + [
            same(0xfd000000, 0x00800000, RWIO), same(0xfd820000, 0x027e0000, RWIO),
            same(0x0, 0x80000000, RWX)],
        "expect": [["memory-on-device", 4, "IOMMU unit #0 (SMMU (MMU-500))"]],
    },
    # Root MMIO over GICD and GICR, and two MCU regions overlapping. The
    # fixed config still starts a region at 0x018a0000, inside the
    # redistributor frames of CPUs 1-3 (128K each from 0x01880000), which
    # Jailhouse's checker, counting one frame, does not see.
    "k3-am654-idk": {
        "name": "k3-am654-idk", "cpus": 0xf, "hyp": (0x8dfc00000, 0x400000),
        "console": (0x02800000, 0x1000, CON_8250), "mmcfg": (0x76000000, 0),
        "gic": (3, 0x01800000, 0, 0, 0, 0x01880000),
        "mem": [same(0x01000000, 0x0af04000, RWIO),      # MAIN peripherals
                same(0x42040000, 0x03ac3000, RWIO),      # MCUSS
                same(0x45100000, 0x00c24000, RWIO),      # MCUSS
                same(0x80000000, 0x7fc00000, RWX)],      # RAM
        "fixed": [same(0x01000000, 0x00800000, RWIO),
                  same(0x01810000, 0x00070000, RWIO),
                  same(0x018a0000, 0x0a664000, RWIO),
                  same(0x42040000, 0x030c0000, RWIO),
                  same(0x45100000, 0x00c24000, RWIO),
                  same(0x80000000, 0x7fc00000, RWX)],
        "expect": [["memory-on-device", 0, "the GIC distributor"],
                   ["memory-on-device", 0, "the GIC redistributors"],
                   ["memory-overlap", 2, "#1"]],
        "fixed_expect": [["memory-on-device", 2, "the GIC redistributors"]],
    },
    # 32-bit ARM (architecture 1): root RAM over the ivshmem-net regions.
    "jetson-tk1": {
        "name": "Jetson-TK1", "cpus": 0xf, "arch": 1,
        "hyp": (0xfc000000, 0x3f00000), "console": (0x70006300, 0x40, CON_8250),
        "mmcfg": (0x48000000, 0), "gic": GICV2_TEGRA,
        "mem": net_regions(0xfbf00000) + [same(0x80000000, 0x7c000000, RWX)],
        "fixed": net_regions(0xfbf00000) + [same(0x80000000, 0x7bf00000, RWX)],
        "expect": [["memory-overlap", 4, "#0"], ["memory-overlap", 4, "#2"],
                   ["memory-overlap", 4, "#3"]],
    },
    # Not defects: sub-page registers with access-width flags and no IO flag
    # (renesas-r8a774a1's pattern), regions that only touch, a COMM region
    # whose physical address is 0, empty ({0}) entries.
    "subpage-clean": {
        "name": "subpage", "cpus": 0xf, "hyp": (0x7fa00000, 0x400000),
        "console": (0xff010000, 0x1000, CON_XUARTPS), "gic": GICV2_ZYNQMP,
        "mem": [same(0xe67e0000, 0x10090, R | W | IO_32 | IO_UNALIGNED),
                same(0xe6020000, 0x0c, R | W | IO_8 | IO_32),
                same(0xe6050000, 0x50, R | W | IO_32 | IO_UNALIGNED),
                same(0xe6051000, 0x50, R | W | IO_32 | IO_UNALIGNED),
                (0, 0, 0, 0), (0, 0x80000000, 0x1000, R | W | COMM),
                same(0x200000, 0x3fe00000, RWX), same(0x40000000, 0x3fa00000, RWX)],
        "expect": [],
    },
}


def verify(out):
    """Read the files back with the independent decoder."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import jhdecode
    passed = failed = 0
    for name, c in FIXTURES.items():
        for suffix, mem in (("", c["mem"]), ("-fixed", c.get("fixed"))):
            if mem is None:
                continue
            path = os.path.join(out, name + suffix + ".cell")
            d = jhdecode.decode(path)
            root = d["root_cell"]
            got = {
                "revision": d["revision"], "arch": d["architecture"],
                "regions": [(m["phys"], m["virt"], m["size"], m["flags"])
                            for m in root["memory"]],
                "iommu": [(u["type"], u["base"], u["size"]) for u in d["iommu_units"]],
                "gic": (d["arm"]["gic_version"], d["arm"]["gicd"], d["arm"]["gicc"],
                        d["arm"]["gich"], d["arm"]["gicv"], d["arm"]["gicr"]),
                "hyp": (d["hypervisor_memory"]["phys"], d["hypervisor_memory"]["size"]),
                "name": root["name"], "cpus": root["cpus"],
                "whole": d["size"] == d["file_size"],
            }
            rev = c.get("rev", 14)
            want = {
                "revision": rev, "arch": c.get("arch", 2) if rev == 14 else None,
                "regions": [tuple(m) for m in mem], "iommu": c.get("iommu", []),
                "gic": c["gic"], "hyp": c["hyp"], "name": c["name"],
                "cpus": c["cpus"], "whole": True,
            }
            for key in want:
                if got[key] == want[key]:
                    passed += 1
                else:
                    failed += 1
                    print("FAIL %s: %s decodes as %r, packed %r"
                          % (os.path.basename(path), key, got[key], want[key]))
    print("RESULT %d %d" % (passed, failed))


def many(n, path):
    """One overlap among @n regions: the sweep's cost, not the pairs'."""
    mem = [same(0x100000000 + k * 0x2000, 0x1000, R | W) for k in range(n)]
    mem[5] = same(0x100000000 + 4 * 0x2000 + 0x800, 0x1000, R | W)
    mem.append(same(0x200000, 0x3fe00000, RWX))
    with open(path, "wb") as f:
        f.write(system(FIXTURES["subpage-clean"], mem))


def main():
    if sys.argv[1] == "--verify":
        verify(sys.argv[2])
        return
    if sys.argv[1] == "--many":
        many(int(sys.argv[2]), sys.argv[3])
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for name, c in FIXTURES.items():
        with open(os.path.join(out, name + ".cell"), "wb") as f:
            f.write(system(c, c["mem"]))
        expect[name + ".cell"] = c["expect"]
        if "fixed" in c:
            with open(os.path.join(out, name + "-fixed.cell"), "wb") as f:
                f.write(system(c, c["fixed"]))
            expect[name + "-fixed.cell"] = c.get("fixed_expect", [])
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
