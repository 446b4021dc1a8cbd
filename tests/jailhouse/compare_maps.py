#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Do two `sphc map` tables describe the same resources?

    compare_maps.py ORIGINAL.txt IMPORTED.txt ROOT

ORIGINAL is the map of a description (colors removed, as the Jailhouse
backend places it), IMPORTED the map of what `sphc import jailhouse` made
of its Jailhouse configs. Jailhouse has no names for shared regions and its
root cell owns whatever the others do not, so:
  - rows of the hypervisor and of every cell but ROOT must match exactly
    (owner, kind, physical range, guest-physical address);
  - shared regions must cover the same physical ranges;
  - every row ROOT had must lie inside a row ROOT has after the import, and
    each device ROOT had must still be ROOT's.
Prints FAIL lines and "RESULT passed failed".
"""
import re
import sys


def rows(path):
    out = []
    with open(path) as f:
        for line in f.read().splitlines()[1:]:
            m = re.match(r"(\S+)\s+(\S+)\s+\[0x([0-9a-f]+), 0x([0-9a-f]+)\)\s+\S+\s+(.*)", line)
            if m:
                ipa = re.search(r"ipa=0x([0-9a-f]+)", m.group(5))
                out.append((m.group(1), m.group(2), int(m.group(3), 16),
                            int(m.group(4), 16), int(ipa.group(1), 16) if ipa else None))
    return out


def main():
    orig, imp, root = rows(sys.argv[1]), rows(sys.argv[2]), sys.argv[3]
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        if not ok:
            print("FAIL:", what)

    def exact(rs):
        return sorted(r for r in rs if r[0] != root and r[1] != "shared")

    check(exact(orig) == exact(imp), "hypervisor and non-root cells differ:\n  %s\n  %s"
          % (exact(orig), exact(imp)))
    check(sorted(r[2:4] for r in orig if r[1] == "shared") ==
          sorted(r[2:4] for r in imp if r[1] == "shared"), "shared regions differ")
    mine = [r for r in imp if r[0] == root]
    for r in orig:
        if r[0] != root:
            continue
        if r[1] == "ram":
            check(any(m[1] == "ram" and m[2] <= r[2] and r[3] <= m[3] for m in mine),
                  "root RAM [%#x, %#x) is no longer the root's" % (r[2], r[3]))
        else:
            check(any(m[1] == r[1] and m[2:4] == r[2:4] for m in mine),
                  "root device %s is no longer the root's" % r[1])
    print("RESULT", passed, failed)


if __name__ == "__main__":
    main()
