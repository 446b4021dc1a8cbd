#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The IO regions a Jailhouse config must have, read by the decoder.

    io_regions.py CONFIG.cell BASE:SIZE...

Passes for each BASE:SIZE that the config (its root cell for a system
config) lists as one memory region with the IO flag, mapped 1:1. Prints a
FAIL line per missing one and RESULT <passed> <failed>.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jhdecode  # noqa: E402

IO = 0x10


def main():
    d = jhdecode.decode(sys.argv[1])
    cell = d["root_cell"] if d["kind"] == "system" else d
    have = {(m["phys"], m["size"]) for m in cell["memory"]
            if m["flags"] & IO and m["phys"] == m["virt"]}
    passed = failed = 0
    for want in sys.argv[2:]:
        base, size = (int(x, 0) for x in want.split(":"))
        if (base, size) in have:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: no IO region [0x%x, +0x%x)" % (sys.argv[1], base, size))
    print("RESULT %d %d" % (passed, failed))


if __name__ == "__main__":
    main()
