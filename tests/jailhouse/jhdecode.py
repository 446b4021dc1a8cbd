#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A Jailhouse .cell decoder written from the documented layout
(../shared/reference/jailhouse.md, section 1), independently of sphc's C
encoder, so the tests compare two readings of the format.

    jhdecode.py FILE.cell...    print each file decoded, as JSON

Every structure is packed and little-endian. A system config is the
356-byte struct jailhouse_system whose last member is the root cell's
132-byte descriptor; a cell config starts with that descriptor. The arrays
follow the descriptor in a fixed order with no padding.
"""
import json
import struct
import sys

MEM_FLAGS = {
    0x1: "READ", 0x2: "WRITE", 0x4: "EXECUTE", 0x8: "DMA", 0x10: "IO",
    0x20: "COMM_REGION", 0x40: "LOADABLE", 0x80: "ROOTSHARED",
    0x100: "NO_HUGEPAGES", 0x8000: "IO_UNALIGNED", 0x10000: "IO_8",
    0x20000: "IO_16", 0x40000: "IO_32", 0x80000: "IO_64",
}


class DecodeError(Exception):
    pass


def need(data, off, n, what):
    if off + n > len(data):
        raise DecodeError("%s at offset %d runs past the end (%d bytes)"
                          % (what, off, len(data)))


def console(data, off):
    # address u64, size u32, type u16, flags u16, divider u32, gate_nr u32,
    # clock_reg u64: 32 bytes.
    need(data, off, 32, "console")
    a, size, typ, flags, div, gate, clk = struct.unpack_from("<QIHHIIQ", data, off)
    return {"address": a, "size": size, "type": typ, "flags": flags,
            "divider": div, "gate_nr": gate, "clock_reg": clk}


def header(data, off, embedded):
    """The 8 bytes of signature, architecture and revision."""
    raw = data[off:off + 8]
    if embedded:
        return {"raw_header": raw.hex()}
    # Revisions 12 and 13: 6-byte signature, no architecture byte.
    if raw[:6] in (b"JHCELL", b"JHSYST"):
        return {"signature": raw[:6].decode(), "architecture": None,
                "revision": struct.unpack_from("<H", raw, 6)[0]}
    return {"signature": raw[:5].decode("latin-1"), "architecture": raw[5],
            "revision": struct.unpack_from("<H", raw, 6)[0]}


def cell(data, off, embedded=False):
    """A cell descriptor at @off and its arrays; returns (dict, end)."""
    need(data, off, 132, "cell descriptor")
    c = header(data, off, embedded)
    name = data[off + 8:off + 40]
    c["name"] = name.split(b"\0", 1)[0].decode()
    c["name_raw"] = name.hex()
    (c["id"], c["flags"], c["cpu_set_size"], nmem, ncache, nchips, npio,
     npci, ncaps, nsid, c["vpci_irq_base"]) = struct.unpack_from("<11I", data, off + 40)
    c["cpu_reset_address"], c["msg_reply_timeout"] = struct.unpack_from("<QQ", data, off + 84)
    c["console"] = console(data, off + 100)
    c["counts"] = {"memory": nmem, "cache": ncache, "irqchips": nchips,
                   "pio": npio, "pci": npci, "pci_caps": ncaps,
                   "stream_ids": nsid}
    p = off + 132
    need(data, p, c["cpu_set_size"], "CPU set")
    c["cpus"] = int.from_bytes(data[p:p + c["cpu_set_size"]], "little")
    p += c["cpu_set_size"]
    c["memory"] = []
    for _ in range(nmem):
        need(data, p, 32, "memory region")
        phys, virt, size, flags = struct.unpack_from("<QQQQ", data, p)
        c["memory"].append({"phys": phys, "virt": virt, "size": size, "flags": flags})
        p += 32
    p += 12 * ncache
    c["irqchips"] = []
    for _ in range(nchips):
        need(data, p, 32, "irqchip")
        addr, ident, pin_base, *bitmap = struct.unpack_from("<QII4I", data, p)
        c["irqchips"].append({"address": addr, "id": ident,
                              "pin_base": pin_base, "pin_bitmap": bitmap})
        p += 32
    p += 4 * npio + 56 * npci + 8 * ncaps + 4 * nsid
    c["size"] = p - off
    return c, p


def iommus(data, off):
    """8 units of 28 bytes: type u32, base u64, size u32, 12 bytes of
    unit-specific data. Unused slots (size 0) are left out."""
    units = []
    for k in range(8):
        typ, base, size = struct.unpack_from("<IQI", data, off + 28 * k)
        if size:
            units.append({"slot": k, "type": typ, "base": base, "size": size})
    return units


def system(data):
    s = header(data, 0, False)
    rev12 = s["revision"] == 12
    # Revision 12 (v0.12): the IOMMU units follow the ARM fields, which have
    # no padding, inside the arch union (266 bytes): the root cell is at 354.
    root_at = 354 if rev12 else 356
    need(data, 0, root_at, "system header")
    s["flags"], = struct.unpack_from("<I", data, 8)
    phys, virt, size, flags = struct.unpack_from("<QQQQ", data, 12)
    s["hypervisor_memory"] = {"phys": phys, "virt": virt, "size": size, "flags": flags}
    s["debug_console"] = console(data, 44)
    mmcfg, end_bus, virtual, domain = struct.unpack_from("<QBBH", data, 76)
    s["pci"] = {"mmconfig_base": mmcfg, "end_bus": end_bus,
                "is_virtual": virtual, "domain": domain}
    if rev12:
        mirq, ver, gicd, gicc, gich, gicv, gicr = struct.unpack_from("<BBQQQQQ", data, 88)
        units_at = 130
    else:
        mirq, ver, _pad, gicd, gicc, gich, gicv, gicr = struct.unpack_from(
            "<BBHQQQQQ", data, 312)
        units_at = 88
    s["iommu_units"] = iommus(data, units_at)
    s["iommu_units_zero"] = not any(data[units_at:units_at + 224])
    s["arm"] = {"maintenance_irq": mirq, "gic_version": ver, "gicd": gicd,
                "gicc": gicc, "gich": gich, "gicv": gicv, "gicr": gicr}
    s["root_cell"], end = cell(data, root_at, embedded=True)
    s["size"] = end
    return s


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:5] == b"JHSYS" or data[:6] == b"JHSYST":
        d = system(data)
        d["kind"] = "system"
    elif data[:5] == b"JHCLL" or data[:6] == b"JHCELL":
        d, end = cell(data, 0)
        d["kind"] = "cell"
    else:
        raise DecodeError("%s: neither a system nor a cell configuration" % path)
    d["file_size"] = len(data)
    return d


def flag_names(flags):
    return "|".join(n for bit, n in sorted(MEM_FLAGS.items()) if flags & bit) or "0"


if __name__ == "__main__":
    out = {p: decode(p) for p in sys.argv[1:]}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()
