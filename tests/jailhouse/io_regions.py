#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The IO regions a Jailhouse config must have, read by the decoder.

    io_regions.py CONFIG.cell BASE:SIZE... [-INTID...]

Passes for each BASE:SIZE that the config (its root cell for a system
config) lists as one memory region with the IO flag, mapped 1:1, and for
each -INTID that no irqchip entry of it routes. Prints a FAIL line per
miss and RESULT <passed> <failed>.
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
    routed = set()
    for chip in cell["irqchips"]:
        for w, bits in enumerate(chip["pin_bitmap"]):
            routed |= {chip["pin_base"] + 32 * w + b for b in range(32) if bits >> b & 1}
    passed = failed = 0
    for want in sys.argv[2:]:
        if want.startswith("-"):
            if int(want[1:], 0) in routed:
                failed += 1
                print("FAIL %s: INTID %s is routed" % (sys.argv[1], want[1:]))
            else:
                passed += 1
            continue
        base, size = (int(x, 0) for x in want.split(":"))
        if (base, size) in have:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: no IO region [0x%x, +0x%x)" % (sys.argv[1], base, size))
    print("RESULT %d %d" % (passed, failed))


if __name__ == "__main__":
    main()
