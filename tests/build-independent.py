#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""What the goldens stand for, checked without sphc's own code.

usage: tests/build-independent.py SYSTEM.yaml BOARD.yaml BUILD_DIR

The goldens (tests/golden/) are sphc's output, kept as change detectors.
This reads the description and the board with PyYAML, system.bin with a
decoder written here from hypervisor/include/sph/abi.h (struct module),
and each cells/<cell>.dtb through dtc, and checks what a reader of the
description expects of them:
  - the blob: magic, version, total size, CRC-32 (zlib) of the blob with
    its crc field as zero; every array inside the blob;
  - CPUs: the board's, each owned by the cell that lists it (or as many
    as a cell asks for by count), none by two;
  - cells in file order, critical flag, colors when written as a set;
  - memory: each region of a cell in file order, with its size, its base
    and ipa when written, read/write/exec, colored iff the cell is, inside
    the board's RAM, and for colored ones a span that holds that many
    pages of the cell's colors;
  - devices: one MMIO region per register range of each of the cell's
    devices (page-rounded, read/write, never exec); their interrupts with
    the board's trigger (the blob's edge flag, and in the DTB the GIC
    specifier <0 INTID-32 1|4>), the reg property as in the board;
  - shared regions: mapped by exactly the cells of `access:`, writable iff
    `rw`, with the size written;
  - the hypervisor's memory as written, its colors;
  - manifest.json: each file's size and CRC-32 (zlib).
Prints one line per disagreement; exit status 1 if there is any.
"""
import json
import os
import re
import struct
import subprocess
import sys
import zlib

import yaml

errors = []


def fail(msg):
    errors.append(msg)


def num(v):
    """A size or address as the language writes it: 64M, 0x4000_0000, 4096."""
    if isinstance(v, int):
        return v
    m = re.fullmatch(r"\s*(0x[0-9a-fA-F_]+|[0-9_]+)\s*([KMGT]?)\s*", str(v))
    if not m:
        raise ValueError("not a size: %r" % v)
    n = int(m.group(1).replace("_", ""), 0)
    return n << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2)]


def idset(v):
    """[0, 2-3] or "1-3" or 5 as written: the set, or None for a count."""
    if isinstance(v, int):
        return None
    out = set()
    for part in (v if isinstance(v, list) else [v]):
        if isinstance(part, int):
            out.add(part)
            continue
        lo, _, hi = str(part).partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def merge(base, over):
    """per-board: deep merge; lists of named entries merge by name."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(over, list) and \
            all(isinstance(x, dict) and "name" in x for x in base + over):
        out = [dict(x) for x in base]
        for o in over:
            for i, x in enumerate(out):
                if x["name"] == o["name"]:
                    out[i] = merge(x, o)
                    break
            else:
                out.append(o)
        return out
    return over


# --- the blob, from abi.h ----------------------------------------------------

ARRAYS = ["platform", "hypervisor", "cpus", "cells", "regions", "irqs",
          "shared", "access", "strings", "data"]
SIZES = {"platform": 144, "hypervisor": 64, "cpus": 16, "cells": 152,
         "regions": 48, "irqs": 8, "shared": 40, "access": 8, "strings": 1,
         "data": 1}
R_READ, R_WRITE, R_EXEC, R_IO, R_COLORED, R_SHARED = 1, 2, 4, 8, 16, 32


def decode_blob(path):
    data = open(path, "rb").read()
    magic, version, hsize, total, crc, kind, flags = struct.unpack_from("<IHHIIII", data, 0)
    if magic != 0x43485053 or version != 3 or hsize != 104:
        fail("%s: magic/version/header size %#x/%d/%d" % (path, magic, version, hsize))
        return None
    if total != len(data):
        fail("%s: total_size %d, file %d bytes" % (path, total, len(data)))
    zeroed = data[:12] + b"\0\0\0\0" + data[16:]
    if zlib.crc32(zeroed) != crc:
        fail("%s: crc32 %#x, zlib says %#x" % (path, crc, zlib.crc32(zeroed)))
    arr = {}
    for i, name in enumerate(ARRAYS):
        off, count = struct.unpack_from("<II", data, 24 + 8 * i)
        if off % 8 or off + count * SIZES[name] > len(data):
            fail("%s: array %s [%d +%d] outside the blob" % (path, name, off, count))
        arr[name] = (off, count)

    def entries(name, fmt):
        off, count = arr[name]
        return [struct.unpack_from(fmt, data, off + i * SIZES[name]) for i in range(count)]

    soff = arr["strings"][0]

    def string(o):
        return data[soff + o:data.index(b"\0", soff + o)].decode()

    b = {"kind": kind}
    hyp = entries("hypervisor", "<QQQ4QII")[0]
    b["hyp"] = {"pa": hyp[0], "span": hyp[1], "size": hyp[2], "colors": hyp[3:7], "flags": hyp[7]}
    b["cpus"] = [{"mpidr": e[0], "id": e[1], "cell": e[2]} for e in entries("cpus", "<QII")]
    b["cells"] = []
    for e in entries("cells", "<IIII Q 4Q IIII QQQQ Q II QQQQ".replace(" ", "")):
        b["cells"].append({"name": string(e[0]), "id": e[1], "flags": e[2],
                           "boot_order": e[3], "cpu_mask": e[4], "colors": e[5:9],
                           "first_region": e[9], "num_regions": e[10],
                           "first_irq": e[11], "num_irqs": e[12], "entry": e[13],
                           "image_ipa": e[14], "image_size": e[15], "image_pa": e[16],
                           "dtb_ipa": e[17], "initrd_ipa": e[20], "initrd_size": e[21],
                           "initrd_pa": e[22], "vuart_ipa": e[23]})
    b["regions"] = [{"pa": e[0], "span": e[1], "ipa": e[2], "size": e[3], "flags": e[4],
                     "shared": e[5], "device": string(e[6]) if e[6] else None}
                    for e in entries("regions", "<QQQQIIII")]
    b["irqs"] = [{"intid": e[0], "priority": e[1], "flags": e[2]}
                 for e in entries("irqs", "<IBBH")]
    b["shared"] = [{"name": string(e[0]), "flags": e[1], "pa": e[2], "size": e[3],
                    "doorbell": e[4], "first_access": e[5], "num_access": e[6]}
                   for e in entries("shared", "<IIQQIIII")]
    b["access"] = [{"cell": e[0], "flags": e[1]} for e in entries("access", "<II")]
    return b


def colors_of(words):
    return {w * 64 + i for w in range(4) for i in range(64) if words[w] >> i & 1}


# --- device trees, through dtc ---------------------------------------------------

def dtb_nodes(path):
    """{node path: {property: raw text}} of a DTB decompiled by dtc."""
    out = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", path],
                         capture_output=True, text=True)
    if out.returncode:
        fail("%s: dtc failed: %s" % (path, out.stderr.strip()))
        return {}
    nodes, stack = {}, []
    for line in out.stdout.splitlines():
        line = line.strip()
        if line.endswith("{"):
            name = line[:-1].strip()
            stack.append(name)
            nodes["/".join(stack)] = {}
        elif line.startswith("};"):
            stack.pop()
        elif "=" in line and stack:
            k, v = line.rstrip(";").split("=", 1)
            nodes["/".join(stack)][k.strip()] = v.strip()
        elif line.endswith(";") and stack:  # a property without a value
            nodes["/".join(stack)][line[:-1]] = ""
    return nodes


def cells_of(text):
    return [int(x, 0) for x in re.findall(r"0x[0-9a-f]+|\d+", text)]


# --- the checks ---------------------------------------------------------------

def main():
    sysfile, boardfile, out = sys.argv[1:4]
    board = yaml.safe_load(open(boardfile))
    system = yaml.safe_load(open(sysfile))
    system = merge(system, (system.get("per-board") or {}).get(board["name"], {}))
    page = num(board["page-size"])
    ram = [(num(r["base"]), num(r["base"]) + num(r["size"])) for r in board["memory"]]
    devices = {d["name"]: d for d in board.get("devices", [])}
    cache = board.get("cache")
    ncolors = num(cache["llc-size"]) // num(cache["llc-ways"]) // page if cache else 0
    b = decode_blob(os.path.join(out, "system.bin"))
    if b is None:
        return 1
    if b["kind"] != 1:
        fail("system.bin: kind %d, not a system blob" % b["kind"])

    # CPUs
    board_ids = sorted(c["id"] for c in board["cpus"])
    if sorted(c["id"] for c in b["cpus"]) != board_ids:
        fail("CPUs %s, the board has %s" % ([c["id"] for c in b["cpus"]], board_ids))

    # hypervisor
    hy = system.get("hypervisor") or {}
    hmem = hy.get("memory") or {}
    if "size" in hmem and b["hyp"]["size"] != num(hmem["size"]):
        fail("hypervisor memory %#x, written %s" % (b["hyp"]["size"], hmem["size"]))
    if "base" in hmem and b["hyp"]["pa"] != num(hmem["base"]):
        fail("hypervisor base %#x, written %s" % (b["hyp"]["pa"], hmem["base"]))
    if "colors" in hy and idset(hy["colors"]) is not None and \
            colors_of(b["hyp"]["colors"]) != idset(hy["colors"]):
        fail("hypervisor colors %s, written %s" % (sorted(colors_of(b["hyp"]["colors"])), hy["colors"]))

    cells = system["cells"]
    if [c["name"] for c in b["cells"]] != [c["name"] for c in cells]:
        fail("cells %s, written %s" % ([c["name"] for c in b["cells"]], [c["name"] for c in cells]))
        return 1
    owned = {}
    shared_by_name = {s["name"]: s for s in system.get("shared") or []}
    for ci, (y, c) in enumerate(zip(cells, b["cells"])):
        who = "cell %s" % y["name"]
        cpus = {i for i in range(64) if c["cpu_mask"] >> i & 1}
        want = idset(y["cpus"])
        if (want is not None and cpus != want) or (want is None and len(cpus) != y["cpus"]):
            fail("%s: CPUs %s, written %s" % (who, sorted(cpus), y["cpus"]))
        for i in cpus:
            if i in owned:
                fail("%s: CPU %d also owned by %s" % (who, i, owned[i]))
            owned[i] = who
        for cpu in b["cpus"]:
            if (cpu["cell"] == ci) != (cpu["id"] in cpus):
                fail("%s: the CPU table disagrees on CPU %d" % (who, cpu["id"]))
        if bool(c["flags"] & 1) != bool(y.get("critical", False)):
            fail("%s: critical flag %d" % (who, c["flags"] & 1))
        colored = bool(y.get("colors") is not None and ncolors)
        want_colors = idset(y["colors"]) if "colors" in y else set()
        if want_colors is not None and colors_of(c["colors"]) != want_colors:
            fail("%s: colors %s, written %s" % (who, sorted(colors_of(c["colors"])), y.get("colors")))
        regions = b["regions"][c["first_region"]:c["first_region"] + c["num_regions"]]
        ram_regions = [r for r in regions if not r["flags"] & (R_IO | R_SHARED)]
        if len(ram_regions) != len(y["memory"]):
            fail("%s: %d memory regions, written %d" % (who, len(ram_regions), len(y["memory"])))
        for ym, r in zip(y["memory"], ram_regions):
            where = "%s memory [%#x +%#x)" % (who, r["pa"], r["size"])
            if r["size"] != num(ym["size"]):
                fail("%s: size, written %s" % (where, ym["size"]))
            if "base" in ym and r["pa"] != num(ym["base"]):
                fail("%s: base, written %s" % (where, ym["base"]))
            if "ipa" in ym and r["ipa"] != num(ym["ipa"]):
                fail("%s: ipa %#x, written %s" % (where, r["ipa"], ym["ipa"]))
            if r["flags"] & (R_READ | R_WRITE | R_EXEC) != R_READ | R_WRITE | R_EXEC:
                fail("%s: flags %#x, not rwx" % (where, r["flags"]))
            if bool(r["flags"] & R_COLORED) != colored:
                fail("%s: colored flag %d" % (where, bool(r["flags"] & R_COLORED)))
            if not any(lo <= r["pa"] and r["pa"] + r["span"] <= hi for lo, hi in ram):
                fail("%s: span %#x not inside the board's RAM" % (where, r["span"]))
            if colored:
                mine = colors_of(c["colors"])
                pages = sum(1 for p in range(r["pa"], r["pa"] + r["span"], page)
                            if (p // page) % ncolors in mine)
                if pages * page < r["size"]:
                    fail("%s: span %#x holds %d pages of its colors" % (where, r["span"], pages))
            elif r["span"] != r["size"]:
                fail("%s: uncolored, span %#x" % (where, r["span"]))
        # devices: MMIO regions and interrupt triggers
        irqs = {q["intid"]: q for q in b["irqs"][c["first_irq"]:c["first_irq"] + c["num_irqs"]]}
        io = [r for r in regions if r["flags"] & R_IO]
        dt = dtb_nodes(os.path.join(out, "cells", y["name"] + ".dtb"))
        # The console page: the hypervisor's UART, emulated in every cell.
        con = devices.get((system.get("hypervisor") or {}).get("console") or board.get("console"))
        chosen = dt.get("//chosen", {})
        if con and con.get("reg"):
            base = num(con["reg"][0]["base"]) // page * page
            node = dt.get("//serial@%x" % base)
            if c["vuart_ipa"] != base:
                fail("%s: console page at %#x, the console is at %#x" % (who, c["vuart_ipa"], base))
            if node is None or "arm,pl011" not in node.get("compatible", "") or \
                    cells_of(node.get("reg", "")) != [base >> 32, base & 0xFFFFFFFF, 0, 0x1000]:
                fail("%s: no arm,pl011 node for the console page at %#x" % (who, base))
            owns_uart = any("uart" in (ref["name"] if isinstance(ref, dict) else ref)
                            for ref in y.get("devices") or [])
            if not owns_uart and chosen.get("stdout-path") != '"/serial@%x"' % base:
                fail("%s: stdout-path %s" % (who, chosen.get("stdout-path")))
        if "bootargs" in y and chosen.get("bootargs") != '"%s"' % y["bootargs"]:
            fail("%s: bootargs %s, written %s" % (who, chosen.get("bootargs"), y["bootargs"]))
        if "initrd" in y:
            start, end = c["initrd_ipa"], c["initrd_ipa"] + c["initrd_size"]
            if cells_of(chosen.get("linux,initrd-start", "")) != [start >> 32, start & 0xFFFFFFFF] or \
                    cells_of(chosen.get("linux,initrd-end", "")) != [end >> 32, end & 0xFFFFFFFF]:
                fail("%s: /chosen initrd range" % who)
            first = ram_regions[0]
            if not (first["ipa"] + c["image_size"] <= start and end <= c["dtb_ipa"]):
                fail("%s: initrd [%#x, %#x) outside the image's end and the DTB" % (who, start, end))
        for key, props in dt.items():
            if "/reserved-memory/" in key and "no-map" not in props:
                fail("%s: shared region %s without no-map" % (who, key))
        for ref in y.get("devices") or []:
            name = ref["name"] if isinstance(ref, dict) else ref
            d = devices[name]
            for reg in d.get("reg", []):
                lo = num(reg["base"]) // page * page
                hi = -(-(num(reg["base"]) + num(reg["size"])) // page) * page
                if not any(r["pa"] == lo and r["ipa"] == lo and r["size"] == hi - lo and
                           r["device"] == name and r["flags"] & R_WRITE and
                           not r["flags"] & R_EXEC for r in io):
                    fail("%s: no rw- MMIO region [%#x, %#x) for %s" % (who, lo, hi, name))
            node = [k for k in dt if k.split("/")[-1].split("@")[0] == name]
            if len(node) != 1:
                fail("%s: %d device tree nodes for %s" % (who, len(node), name))
                continue
            props = dt[node[0]]
            if d.get("reg"):
                want = []
                for reg in d["reg"]:
                    want += [num(reg["base"]) >> 32, num(reg["base"]) & 0xFFFFFFFF,
                             num(reg["size"]) >> 32, num(reg["size"]) & 0xFFFFFFFF]
                if cells_of(props.get("reg", "")) != want:
                    fail("%s: DT reg of %s is %s" % (who, name, props.get("reg")))
            spec = []
            for q in d.get("irqs", []):
                edge = q.get("trigger") == "edge"
                intid = q["irq"]
                spec += [0, intid - 32, 1 if edge else 4] if intid >= 32 else [1, intid - 16, 1 if edge else 4]
                if intid not in irqs:
                    fail("%s: interrupt %d of %s not routed" % (who, intid, name))
                elif bool(irqs[intid]["flags"] & 1) != edge:
                    fail("%s: interrupt %d of %s: edge flag %d, board says %s"
                         % (who, intid, name, irqs[intid]["flags"] & 1, q.get("trigger")))
            if spec and cells_of(props.get("interrupts", "")) != spec:
                fail("%s: DT interrupts of %s are %s, board says %s"
                     % (who, name, props.get("interrupts"), spec))
        for q in y.get("irqs") or []:
            intid = q if isinstance(q, int) else q["irq"]
            prio = 0xA0 if isinstance(q, int) or "priority" not in q else q["priority"]
            if intid not in irqs or irqs[intid]["priority"] != prio:
                fail("%s: interrupt %d not routed with priority %#x" % (who, intid, prio))
        # shared regions this cell maps
        mapped = {}
        for r in regions:
            if r["flags"] & R_SHARED:
                mapped[b["shared"][r["shared"]]["name"]] = r
        for sname, s in shared_by_name.items():
            acc = (s.get("access") or {}).get(y["name"])
            r = mapped.pop(sname, None)
            if acc is None:
                if r:
                    fail("%s: maps shared region %s without access" % (who, sname))
                continue
            if r is None:
                fail("%s: does not map shared region %s (%s)" % (who, sname, acc))
                continue
            if bool(r["flags"] & R_WRITE) != (acc == "rw") or r["flags"] & R_EXEC or \
                    r["size"] != num(s["size"]):
                fail("%s: shared region %s flags %#x size %#x, written %s %s"
                     % (who, sname, r["flags"], r["size"], acc, s["size"]))
        if mapped:
            fail("%s: maps shared regions not described: %s" % (who, sorted(mapped)))

    # manifest: every file's size and CRC-32
    m = json.load(open(os.path.join(out, "manifest.json")))
    for f in m["files"]:
        data = open(os.path.join(out, f["path"]), "rb").read()
        if len(data) != f["size"] or "%08x" % zlib.crc32(data) != f["crc32"].lower().replace("0x", "").zfill(8):
            fail("manifest: %s size %d crc %s, file %d bytes crc %08x"
                 % (f["path"], f["size"], f["crc32"], len(data), zlib.crc32(data)))
    for e in errors:
        print("%s: %s" % (out, e))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
