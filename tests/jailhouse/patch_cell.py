#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Edit a Jailhouse .cell in place, to make broken configs for tests.

    patch_cell.py FILE region N phys|virt|size|flags VALUE
    patch_cell.py FILE copy-region FROM_FILE N M   region N of FROM_FILE's
                                                   phys/size into region M
    patch_cell.py FILE add-intid INTID             set INTID in the irqchip
                                                   entry that covers it
    patch_cell.py FILE name NAME                   the cell's name
    patch_cell.py FILE cell-flags VALUE            the cell's flags

Offsets come from jhdecode.py (the documented layout).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jhdecode  # noqa: E402

FIELDS = {"phys": 0, "virt": 8, "size": 16, "flags": 24}


def desc_offset(d):
    if d["kind"] != "system":
        return 0
    return 354 if d["revision"] == 12 else 356


def cell_of(d):
    return d["root_cell"] if d["kind"] == "system" else d


def region_offset(d, n):
    c = cell_of(d)
    return desc_offset(d) + 132 + c["cpu_set_size"] + 32 * n


def main():
    path, op = sys.argv[1], sys.argv[2]
    d = jhdecode.decode(path)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if op == "region":
        n, field, value = int(sys.argv[3]), sys.argv[4], int(sys.argv[5], 0)
        struct.pack_into("<Q", data, region_offset(d, n) + FIELDS[field], value)
    elif op == "copy-region":
        src = jhdecode.decode(sys.argv[3])
        m = cell_of(src)["memory"][int(sys.argv[4])]
        off = region_offset(d, int(sys.argv[5]))
        struct.pack_into("<Q", data, off, m["phys"])
        struct.pack_into("<Q", data, off + 16, m["size"])
    elif op == "add-intid":
        intid = int(sys.argv[3])
        c = cell_of(d)
        base = region_offset(d, len(c["memory"])) + 12 * c["counts"]["cache"]
        for k, ch in enumerate(c["irqchips"]):
            rel = intid - ch["pin_base"]
            if 0 <= rel < 128:
                off = base + 32 * k + 16 + 4 * (rel // 32)
                word, = struct.unpack_from("<I", data, off)
                struct.pack_into("<I", data, off, word | 1 << (rel % 32))
                break
        else:
            sys.exit("no irqchip entry covers INTID %d" % intid)
    elif op == "name":
        raw = sys.argv[3].encode()
        assert len(raw) < 32
        data[desc_offset(d) + 8:desc_offset(d) + 40] = raw.ljust(32, b"\0")
    elif op == "cell-flags":
        struct.pack_into("<I", data, desc_offset(d) + 44, int(sys.argv[3], 0))
    else:
        sys.exit("unknown operation " + op)
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
