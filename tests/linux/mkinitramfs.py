#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a Linux initramfs (a "newc" cpio archive) for the Linux-in-a-cell
tests: busybox as the only program besides the ones given, and /init.

usage: mkinitramfs.py OUT.cpio BUSYBOX INIT [NAME=FILE ...]

INIT becomes /init (mode 0755); each NAME=FILE becomes /bin/NAME (0755).
/dev/console is in the archive, so the kernel can open init's console
before anything is mounted. Entries are written in a fixed order with
fixed times and owners, so the same inputs give the same bytes.
"""
import os
import sys

ALIGN = 4


def header(ino, mode, size, name, nlink=1, rdev=(0, 0)):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1],
              len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad(n):
    return b"\0" * (-n % ALIGN)


def entry(ino, mode, name, data=b"", rdev=(0, 0)):
    name_b = name.encode()
    head = header(ino, mode, len(data), name_b,
                  nlink=2 if mode & 0o170000 == 0o040000 else 1, rdev=rdev)
    out = head + name_b + b"\0"
    out += pad(len(out))
    out += data + pad(len(data))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[2])
    out, busybox, init = sys.argv[1:4]
    extra = []
    for arg in sys.argv[4:]:
        name, sep, path = arg.partition("=")
        if not sep or "/" in name or not name:
            sys.exit("mkinitramfs: NAME=FILE expected, not %r" % arg)
        extra.append((name, path))
    DIR, FILE, LINK, CHR = 0o040755, 0o100755, 0o120777, 0o020600
    entries = [(DIR, "bin", b""), (DIR, "dev", b""), (DIR, "proc", b""),
               (DIR, "sys", b""), (CHR, "dev/console", b""),
               (FILE, "bin/busybox", open(busybox, "rb").read()),
               (LINK, "bin/sh", b"busybox"),
               (FILE, "init", open(init, "rb").read())]
    for name, path in sorted(extra):
        entries.append((FILE, "bin/" + name, open(path, "rb").read()))
    blob = b""
    for ino, (mode, name, data) in enumerate(entries, start=1):
        blob += entry(ino, mode, name, data,
                      rdev=(5, 1) if mode == CHR else (0, 0))
    blob += entry(0, 0, "TRAILER!!!")
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
