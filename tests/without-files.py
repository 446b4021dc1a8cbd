#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Copy an example's system.yaml to DST/system.yaml without the image: and
initrd: lines of its cells.

usage: without-files.py SRC/system.yaml DST/system.yaml

tests/build.sh builds the examples on every board and compares the result
with tests/golden/. Files named there would put their sizes and their
paths (absolute in Bao's config.c and the FIT script, relative to the
output in Xen's ImageBuilder file) into the goldens, which then would
depend on the Debian kernel `make deps` fetched and on the checkout's
directory. Builds with those files are tested where they boot (make
test-qemu, test-uboot, xen-tests).
"""
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: without-files.py SRC/system.yaml DST/system.yaml")
    text = open(sys.argv[1]).read()
    text, n = re.subn(r"^[ \t]+(image|initrd):.*\n", "", text, flags=re.M)
    with open(sys.argv[2], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
