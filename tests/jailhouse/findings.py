#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compare the region findings of `sphc import jailhouse` with expect.json
(written by make_defects.py).

    findings.py EXPECT.json FILE.cell STDERR

Reads the diagnostics in STDERR that name a memory region of FILE.cell and
checks that they are exactly the expected ones: [rule, region, other],
other being "#N" for a region of the same cell or what the region lies on.
Prints a FAIL line per difference and RESULT <passed> <failed>.
"""
import json
import os
import re
import sys

LINE = re.compile(r"^(?P<file>\S+): error: cell '[^']*': memory region #(?P<a>\d+) "
                  r".*?(?:overlaps its memory region #(?P<b>\d+)|"
                  r"is on (?P<what>.+?) \[0x[0-9a-f]+, 0x[0-9a-f]+\)).*"
                  r"\[(?P<rule>[a-z-]+)\]$")
RULES = ("memory-overlap", "ipa-overlap", "memory-on-device", "memory-on-hypervisor")


def main():
    expect_path, cell, stderr = sys.argv[1:4]
    with open(expect_path) as f:
        expect = json.load(f)[os.path.basename(cell)]
    got, stray = [], []
    with open(stderr) as f:
        for line in f:
            line = line.rstrip("\n")
            if not any("[%s]" % r in line for r in RULES) or " error: " not in line:
                continue
            m = LINE.match(line)
            if not m or m["file"] != cell:
                stray.append(line)
                continue
            other = "#" + m["b"] if m["b"] is not None else m["what"]
            got.append([m["rule"], int(m["a"]), other])
    passed = failed = 0
    for e in expect:
        if e in got:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: expected %s, not reported" % (cell, e))
    for g in got:
        if g not in expect:
            failed += 1
            print("FAIL %s: unexpected finding %s" % (cell, g))
    for s in stray:
        failed += 1
        print("FAIL %s: a finding in an unexpected form: %s" % (cell, s))
    if not expect and not got and not stray:
        passed += 1
    print("RESULT %d %d" % (passed, failed))


if __name__ == "__main__":
    main()
