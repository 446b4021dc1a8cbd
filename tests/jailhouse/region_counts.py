#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Decoder-side count of how `sphc import jailhouse` read each region.

    region_counts.py IMPORTED.yaml CONFIG.cell...

Decodes each config with jhdecode.py, sorts its memory regions into the
classes docs/language.md gives (empty; communication region; MMIO: IO, an
access-width flag or not whole pages; RAM: EXECUTE; else memory without
EXECUTE) and compares the counts with the header comment of the import, so
that every region of every config is accounted for. Prints a FAIL line per
difference and RESULT <passed> <failed>.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jhdecode  # noqa: E402

X, IO, COMM = 0x4, 0x10, 0x20
IO_ACCESS = 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000
LINE = re.compile(r"^#     (\d+) memory regions read as: (\d+) RAM, (\d+) memory "
                  r"without EXECUTE, (\d+) MMIO, (\d+) communication, (\d+) empty$")


def classify(regions):
    n = [len(regions), 0, 0, 0, 0, 0]
    for m in regions:
        if not m["size"]:
            n[5] += 1
        elif m["flags"] & COMM:
            n[4] += 1
        elif m["flags"] & (IO | IO_ACCESS) or (m["virt"] | m["size"]) & 0xfff:
            n[3] += 1
        elif m["flags"] & X:
            n[1] += 1
        else:
            n[2] += 1
    return n


def main():
    yaml, configs = sys.argv[1], sys.argv[2:]
    with open(yaml) as f:
        got = [[int(g) for g in m.groups()] for m in map(LINE.match, f) if m]
    passed = failed = 0
    if len(got) != len(configs):
        print("FAIL %s: %d count lines for %d configs" % (yaml, len(got), len(configs)))
        failed += 1
    for path, counts in zip(configs, got):
        d = jhdecode.decode(path)
        cell = d["root_cell"] if d["kind"] == "system" else d
        want = classify(cell["memory"])
        if counts == want and sum(want[1:]) == want[0]:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: the import read %s, the decoder %s" % (path, counts, want))
    print("RESULT %d %d" % (passed, failed))


if __name__ == "__main__":
    main()
