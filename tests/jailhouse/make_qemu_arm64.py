#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write Jailhouse's own qemu-arm64 demo configs (revision 14) as .cell files.

    make_qemu_arm64.py OUTDIR

The values are those of configs/arm64/qemu-arm64.c, qemu-arm64-inmate-demo.c
and qemu-arm64-linux-demo.c as tabulated in ../shared/reference/jailhouse.md
(section 2), packed from the documented layout, so that `sphc import
jailhouse` is tried on configs sphc did not write. The sizes come out at
1024, 484 and 700 bytes, as the reference measured for the real files.
"""
import os
import struct
import sys

R, W, X, DMA, IO, COMM, LOAD, RS = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80
GICD = 0x08000000
PL011 = (0x09000000, 0x1000, 3, 0x3)    # address, size, type, flags


def console(c):
    a, size, typ, flags = c if c else (0, 0, 0, 0)
    return struct.pack("<QIHHIIQ", a, size, typ, flags, 0, 0, 0)


def desc(sig, name, flags, cpus, mem, chips, pci, vpci, con):
    head = b"\0" * 8 if sig is None else sig + struct.pack("<BH", 2, 14)
    d = head + name.encode().ljust(32, b"\0")
    d += struct.pack("<IIIIIIIIIIIQQ", 0, flags, 8, len(mem), 0, len(chips), 0,
                     len(pci), 0, 0, vpci, 0, 0)
    d += console(con)
    assert len(d) == 132
    d += struct.pack("<Q", cpus)
    for m in mem:
        d += struct.pack("<QQQQ", *m)
    for base, bits in chips:
        d += struct.pack("<QII4I", GICD, 0, base, *bits)
    for p in pci:
        d += p
    return d


def ivshmem(bdf, domain, start, dev_id, peers, proto):
    # type, iommu, domain, bdf, bar_mask[6], caps_start, num_caps,
    # num_msi_vectors, msi flags, num_msix_vectors, msix_region_size,
    # msix_address, shmem_regions_start, shmem_dev_id, shmem_peers, protocol
    d = struct.pack("<BBHH6IHHBBHHQIBBH", 3, 0, domain, bdf,
                    0xfffff000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    start, dev_id, peers, proto)
    assert len(d) == 56
    return d


def same(phys, size, flags):
    return (phys, phys, size, flags)


def net_regions(start, dev_id):
    return [same(start, 0x1000, R | RS), (0, 0, 0, 0),
            same(start + 0x1000, 0x7f000, R | RS | (W if dev_id == 0 else 0)),
            same(start + 0x80000, 0x7f000, R | RS | (W if dev_id == 1 else 0))]


def demo_regions(writer, rootshared):
    extra = RS if rootshared else 0
    out = [same(0x7faf0000, 0x1000, R | extra), same(0x7faf1000, 0x9000, R | W | extra)]
    for k, phys in enumerate((0x7fafa000, 0x7fafc000, 0x7fafe000)):
        out.append(same(phys, 0x2000, R | extra | (W if k == writer else 0)))
    return out


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    mem = demo_regions(0, False) + net_regions(0x7fb00000, 0) + [
        same(0x09000000, 0x37000000, R | W | IO),
        same(0x40000000, 0x3fa10000, R | W | X),
        same(0x4010000000, 0x10000000, R | W | IO)]
    root = desc(None, "qemu-arm64", 0, 0xffff, mem, [(32, [0xffffffff] * 4)],
                [ivshmem(0 << 3, 1, 0, 0, 3, 0), ivshmem(1 << 3, 1, 5, 0, 2, 1)],
                96, None)
    sysc = b"JHSYS" + struct.pack("<BHI", 2, 14, 1)
    sysc += struct.pack("<QQQQ", 0x7fc00000, 0, 0x400000, 0)
    sysc += console(PL011)
    sysc += struct.pack("<QBBH", 0x08e00000, 0, 1, 1) + b"\0" * 224
    sysc += struct.pack("<BBHQQQQQ", 25, 3, 0, GICD, 0, 0, 0, 0x080a0000)
    assert len(sysc) == 356
    with open(os.path.join(out, "qemu-arm64.cell"), "wb") as f:
        f.write(sysc + root)

    mem = demo_regions(1, True) + [
        same(0x09000000, 0x1000, R | W | IO | RS),
        (0x7fa00000, 0, 0x10000, R | W | X | LOAD),
        (0, 0x80000000, 0x1000, R | W | COMM)]
    cell = desc(b"JHCLL", "inmate-demo", 1, 0b0010, mem, [(32, [0, 0, 0, 1 << 16])],
                [ivshmem(0 << 3, 1, 0, 1, 3, 0)], 112 - 32, PL011)
    with open(os.path.join(out, "qemu-arm64-inmate-demo.cell"), "wb") as f:
        f.write(cell)

    mem = demo_regions(2, True) + net_regions(0x7fb00000, 1) + [
        same(0x09000000, 0x1000, R | W | IO | RS),
        (0x7f900000, 0, 0x10000, R | W | X | LOAD),
        same(0x70000000, 0x8000000, R | W | X | DMA | LOAD),
        (0, 0x80000000, 0x1000, R | W | COMM)]
    cell = desc(b"JHCLL", "qemu-arm64-linux-demo", 0x40000001, 0b1100, mem,
                [(32, [1 << 1, 0, 0, (1 << 12) | (1 << 13)])],
                [ivshmem(0 << 3, 1, 0, 2, 3, 0), ivshmem(1 << 3, 0, 5, 1, 2, 1)],
                108 - 32, PL011)
    with open(os.path.join(out, "qemu-arm64-linux-demo.cell"), "wb") as f:
        f.write(cell)


if __name__ == "__main__":
    main()
