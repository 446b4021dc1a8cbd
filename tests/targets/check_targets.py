#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Spot-check the bao, xen and fit outputs of one build against its manifest.

usage: check_targets.py bao|xen|fit OUTDIR [DTSI_DTB | HYPERVISOR_BIN]

OUTDIR is a build directory (manifest.json, system.bin, cells/ and the
target outputs). For xen, DTSI_DTB is xen/dom0less.dtsi compiled by dtc (with
a /dts-v1/ header): its /chosen must equal the overlay's content. For fit,
HYPERVISOR_BIN (objcopy -O binary of the runtime) must open the hypervisor
image, the rest of which is zeros (.bss). Prints one
line per failed check and exits 1 if any failed.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


# --- a flattened device tree reader ----------------------------------------

def parse_fdt(data):
    """The tree of a DTB as {'props': {name: bytes}, 'kids': {name: node}}."""
    (magic, _total, off_struct, off_strings, _rsv, _ver, _last, _boot,
     _size_strings, _size_struct) = struct.unpack(">10I", data[:40])
    if magic != 0xD00DFEED:
        raise ValueError("not a flattened device tree")
    pos, stack, root = off_struct, [], None

    def cstr(at):
        return data[at:data.index(b"\0", at)].decode()

    while True:
        (tok,) = struct.unpack(">I", data[pos:pos + 4])
        pos += 4
        if tok == 1:
            name = cstr(pos)
            pos = (pos + len(name) + 1 + 3) & ~3
            node = {"props": {}, "kids": {}}
            if stack:
                stack[-1]["kids"][name] = node
            else:
                root = node
            stack.append(node)
        elif tok == 2:
            stack.pop()
        elif tok == 3:
            length, nameoff = struct.unpack(">II", data[pos:pos + 8])
            pos += 8
            stack[-1]["props"][cstr(off_strings + nameoff)] = data[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif tok == 4:
            continue
        elif tok == 9:
            return root
        else:
            raise ValueError("bad token %d" % tok)


def load_fdt(path):
    with open(path, "rb") as f:
        return parse_fdt(f.read())


def cells(prop):
    return list(struct.unpack(">%dI" % (len(prop) // 4), prop))


def u64s(prop):
    c = cells(prop)
    return [(c[i] << 32) | c[i + 1] for i in range(0, len(c), 2)]


def string(prop):
    return prop.rstrip(b"\0").decode()


def strings(prop):
    return prop.rstrip(b"\0").decode().split("\0")


def without_phandles(node):
    return {"props": {k: v for k, v in node["props"].items() if k != "phandle"},
            "kids": {k: without_phandles(v) for k, v in node["kids"].items()}}


# --- the manifest -------------------------------------------------------------

def memory_regions(cell):
    return [r for r in cell["regions"]
            if "shared" not in r["flags"] and "io" not in r["flags"]]


def io_regions(cell):
    return [r for r in cell["regions"] if "io" in r["flags"]]


def shared_regions(cell):
    return [r for r in cell["regions"] if "shared" in r["flags"]]


def ranges(values):
    """[3,4,5,9] -> "3-5,9", the Xen llc-colors syntax."""
    out, values = [], sorted(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        out.append(str(values[i]) if i == j else "%d-%d" % (values[i], values[j]))
        i = j + 1
    return ",".join(out)


# --- bao ------------------------------------------------------------------------

def hexes(block, field):
    return [int(v, 16) for v in re.findall(r"\.%s = 0x([0-9a-f]+)" % field, block)]


def check_bao(outdir, manifest):
    with open(os.path.join(outdir, "bao", "config.c")) as f:
        text = f.read()
    vms = re.split(r"\{ /\* VM \d+: ", text)[1:]
    check(len(vms) == len(manifest["cells"]),
          "bao: %d VMs for %d cells" % (len(vms), len(manifest["cells"])))
    check(re.search(r"\.vmlist_size = %d," % len(manifest["cells"]), text),
          "bao: vmlist_size")
    shared_pa = {r["shared"]: r["pa"] for c in manifest["cells"] for r in shared_regions(c)}
    shmems = text.split(".vmlist_size")[0]
    for name, block in re.findall(r"\[\d+\] = \{ /\* ([\w.-]+) \*/\n(.*?)\n\t\t\}", shmems,
                                  re.S):
        if ".colors" not in block:
            check(hexes(block, "phys") == [shared_pa.get(name)] and "place_phys = true" in block,
                  "bao: shared region %s not pinned at 0x%x" % (name, shared_pa.get(name, 0)))
    check(len(re.findall(r"\[\d+\] = \{ /\*", shmems)) == len(shared_pa),
          "bao: one shmem per shared region")
    for cell, vm in zip(manifest["cells"], vms):
        name = cell["name"]
        check(vm.startswith("cell '%s'" % name), "bao: VM order at %s" % name)
        mask = sum(1 << c for c in cell["cpus"])
        check(hexes(vm, "cpu_affinity") == [mask], "bao %s: cpu_affinity" % name)
        check(re.search(r"\.cpu_num = %d," % len(cell["cpus"]), vm),
              "bao %s: cpu_num" % name)
        regions = vm.split(".regions =")[1].split(".ipc_num")[0]
        want = [(r["ipa"], r["size"]) for r in memory_regions(cell)]
        got = list(zip(hexes(regions, "base"), hexes(regions, "size")))
        check(got == want, "bao %s: regions %s, expected %s" % (name, got, want))
        if not cell["colors"]:
            # Pinned where sphc placed it, so `sphc map` is what runs.
            want = [r["pa"] for r in memory_regions(cell)]
            check(hexes(regions, "phys") == want and
                  regions.count(".place_phys = true,") == len(want),
                  "bao %s: phys %s, expected %s" % (name, hexes(regions, "phys"), want))
        check(re.search(r"\.ipc_num = %d," % len(shared_regions(cell)), vm),
              "bao %s: ipc_num" % name)
        devs = vm.split(".devs =")[1] if ".devs =" in vm else ""
        spans = list(zip(hexes(devs, "pa"), hexes(devs, "size")))
        for r in io_regions(cell):
            check(any(pa <= r["pa"] < pa + size for pa, size in spans),
                  "bao %s: device %s not mapped" % (name, r.get("device")))
        irqs = [int(v) for v in re.findall(r"\d+", " ".join(
            re.findall(r"\(irqid_t\[\]\) \{([^}]*)\}", devs)))]
        for irq in cell["irqs"]:
            check(irq["intid"] in irqs, "bao %s: INTID %d missing" % (name, irq["intid"]))
        check(27 in irqs, "bao %s: no virtual timer" % name)
        if cell["colors"]:
            check(re.search(r"\.colors = 0x[0-9a-f]*[1-9a-f]", vm.split(".platform")[0]),
                  "bao %s: colored cell without VM colors" % name)


# --- xen ------------------------------------------------------------------------

def check_xen(outdir, manifest, dtsi_dtb):
    xen = os.path.join(outdir, "xen")
    overlay = load_fdt(os.path.join(xen, "dom0less.dtbo"))
    frag = overlay["kids"]["fragment@0"]
    check(string(frag["props"]["target-path"]) == "/chosen", "xen: overlay target")
    chosen = frag["kids"]["__overlay__"]
    colored = bool(manifest["hypervisor"]["colors"]) or any(
        c["colors"] for c in manifest["cells"])
    args = string(chosen["props"]["xen,xen-bootargs"])
    check(("llc-coloring=on" in args) == colored, "xen: llc-coloring in %r" % args)
    if colored and manifest["hypervisor"]["colors"]:
        check("xen-llc-colors=%s" % ranges(manifest["hypervisor"]["colors"]) in args,
              "xen: xen-llc-colors in %r" % args)
    if dtsi_dtb:
        dtsi = load_fdt(dtsi_dtb)["kids"]["chosen"]
        check(without_phandles(dtsi) == without_phandles(chosen),
              "xen: dom0less.dtsi and dom0less.dtbo differ")
    check(len([k for k in chosen["kids"] if k.startswith("domU-")]) == len(manifest["cells"]),
          "xen: one domain per cell")
    # Xen creates domains in node order; fdtoverlay inserts each new node
    # before its siblings, so the overlay lists them last-booted first.
    boot = ["domU-" + c["name"] for c in sorted(manifest["cells"],
                                                 key=lambda c: c["boot_order"])]
    check([k for k in chosen["kids"] if k.startswith("domU-")] == boot[::-1],
          "xen: dom0less.dtbo lists the domains in reverse boot order")
    if dtsi_dtb:
        check([k for k in load_fdt(dtsi_dtb)["kids"]["chosen"]["kids"]
               if k.startswith("domU-")] == boot,
              "xen: dom0less.dtsi lists the domains in boot order")
    for cell in manifest["cells"]:
        name = cell["name"]
        dom = chosen["kids"].get("domU-" + name)
        if not check(dom is not None, "xen: no domU-%s" % name):
            continue
        p = dom["props"]
        check(strings(p["compatible"]) == ["xen,domain"], "xen %s: compatible" % name)
        check(cells(p["cpus"]) == [len(cell["cpus"])], "xen %s: cpus" % name)
        total = sum(r["size"] for r in memory_regions(cell))
        check(cells(p["memory"]) == [0, total // 1024],
              "xen %s: memory %s KiB, expected %d" % (name, cells(p["memory"]), total // 1024))
        if colored and cell["colors"]:
            check(string(p.get("llc-colors", b"")) == ranges(cell["colors"]),
                  "xen %s: llc-colors %r, expected %r" % (
                      name, p.get("llc-colors"), ranges(cell["colors"])))
        else:
            check("llc-colors" not in p, "xen %s: llc-colors without coloring" % name)
        if "xen,static-mem" in p:
            check(not colored, "xen %s: static memory with coloring" % name)
            want = []
            for r in memory_regions(cell):
                want += [r["pa"], r["size"]]
            check(u64s(p["xen,static-mem"]) == want, "xen %s: xen,static-mem" % name)
            direct = all(r["pa"] == r["ipa"] for r in memory_regions(cell))
            check(("direct-map" in p) == direct, "xen %s: direct-map" % name)
        else:
            check("direct-map" not in p, "xen %s: direct-map without static memory" % name)
        check("vpl011" in p, "xen %s: vpl011" % name)
        for v, cpu in enumerate(sorted(cell["cpus"])):
            vcpu = dom["kids"].get("vcpu%d" % v)
            if check(vcpu is not None, "xen %s: vcpu%d" % (name, v)):
                check(string(vcpu["props"]["hard-affinity"]) == str(cpu),
                      "xen %s: vcpu%d affinity" % (name, v))
        kinds = {}
        for kid, node in dom["kids"].items():
            if kid.startswith("module@"):
                kind = strings(node["props"]["compatible"])
                check(kind[1:] == ["multiboot,module"], "xen %s: %s compatible" % (name, kid))
                reg = u64s(node["props"]["reg"])
                check(kid == "module@%x" % reg[0], "xen %s: %s address" % (name, kid))
                kinds[kind[0]] = reg
        check("multiboot,kernel" in kinds, "xen %s: no kernel module" % name)
        if cell["image"]:
            check(kinds.get("multiboot,kernel", [0, 0])[1] == cell["image"]["size"],
                  "xen %s: kernel module size" % name)
        pt = os.path.join(xen, "%s-passthrough.dtb" % name)
        if io_regions(cell):
            if check(os.path.exists(pt), "xen %s: no passthrough DTB" % name):
                check(kinds.get("multiboot,device-tree", [0, 0])[1] == os.path.getsize(pt),
                      "xen %s: device-tree module size" % name)
                check_passthrough(name, load_fdt(pt), cell)
        else:
            check(not os.path.exists(pt), "xen %s: passthrough DTB without devices" % name)
        for r in shared_regions(cell):
            shm = dom["kids"].get("shm-" + r["shared"])
            if check(shm is not None, "xen %s: no shm-%s" % (name, r["shared"])):
                sp = shm["props"]
                check(string(sp["compatible"]) == "xen,domain-shared-memory-v1",
                      "xen %s: shm compatible" % name)
                check(u64s(sp["xen,shared-mem"]) == [r["pa"], r["ipa"], r["size"]],
                      "xen %s: xen,shared-mem of %s" % (name, r["shared"]))
                check(len(string(sp["xen,shm-id"])) <= 15, "xen %s: shm id length" % name)
                check(string(sp["role"]) in ("owner", "borrower"), "xen %s: role" % name)
    with open(os.path.join(xen, "imagebuilder.cfg")) as f:
        cfg = f.read()
    check("NUM_DOMUS=%d\n" % len(manifest["cells"]) in cfg, "xen: NUM_DOMUS")
    check("DOM0_KERNEL=" not in cfg.replace("# No DOM0_KERNEL", ""), "xen: DOM0_KERNEL")
    # ImageBuilder's domU<i> nodes are made with fdt mknod, which also
    # inserts before the siblings: domU0 is the last cell to boot.
    last_first = sorted(manifest["cells"], key=lambda c: -c["boot_order"])
    shm_tree = None
    if any(shared_regions(c) for c in manifest["cells"]):
        check('DT_OVERLAY[0]="imagebuilder-shm.dtbo"' in cfg, "xen: DT_OVERLAY")
        shm_tree = load_fdt(os.path.join(xen, "imagebuilder-shm.dtbo"))
        shm_tree = shm_tree["kids"]["fragment@0"]["kids"]["__overlay__"]
    for i, cell in enumerate(last_first):
        check("\n# cell '%s'" % cell["name"] in cfg.split("DOMU_KERNEL[%d]" % i)[0][-200:],
              "xen: DOMU_*[%d] is cell %s" % (i, cell["name"]))
        check("DOMU_VCPUS[%d]=%d\n" % (i, len(cell["cpus"])) in cfg, "xen: DOMU_VCPUS[%d]" % i)
        check("DOMU_KERNEL[%d]=" % i in cfg, "xen: DOMU_KERNEL[%d]" % i)
        if colored and cell["colors"]:
            check('DOMU_COLORS[%d]="%s"' % (i, ranges(cell["colors"])) in cfg,
                  "xen: DOMU_COLORS[%d]" % i)
        dom = chosen["kids"]["domU-" + cell["name"]]
        for r in shared_regions(cell):
            # Every region and role of the tree is in ImageBuilder's overlay.
            node = shm_tree["kids"].get("domU%d" % i, {"kids": {}})["kids"].get(
                "shm-" + r["shared"]) if shm_tree else None
            if check(node is not None, "xen: imagebuilder-shm.dtbo domU%d/shm-%s"
                     % (i, r["shared"])):
                check(node["props"] == dom["kids"]["shm-" + r["shared"]]["props"],
                      "xen: imagebuilder-shm.dtbo domU%d/shm-%s differs from "
                      "dom0less.dtbo" % (i, r["shared"]))


def check_passthrough(name, tree, cell):
    bus = tree["kids"].get("passthrough")
    if not check(bus is not None, "xen %s: no /passthrough" % name):
        return
    check(string(bus["props"]["compatible"]) == "simple-bus", "xen %s: bus" % name)
    check("gic" in tree["kids"], "xen %s: no /gic" % name)
    xregs = []
    for node in bus["kids"].values():
        check("xen,path" in node["props"], "xen %s: xen,path" % name)
        if "xen,reg" in node["props"]:
            v = u64s(node["props"]["xen,reg"])
            xregs += [v[i:i + 3] for i in range(0, len(v), 3)]
    for pa, size, ipa in xregs:
        check(pa % 4096 == 0 and size % 4096 == 0 and pa == ipa,
              "xen %s: xen,reg <%x %x %x>" % (name, pa, size, ipa))
    for r in io_regions(cell):
        check(any(pa <= r["pa"] < pa + size for pa, size, _ in xregs),
              "xen %s: device at 0x%x not passed through" % (name, r["pa"]))


# --- fit ------------------------------------------------------------------------

def dumpimage_list(itb):
    out = subprocess.run(["dumpimage", "-l", itb], capture_output=True, text=True,
                         check=False)
    check(out.returncode == 0 and out.stdout.startswith("FIT description:"),
          "fit: dumpimage -l does not list a FIT: %s" % (out.stdout + out.stderr)[:200])
    images, conf, cur = [], {}, None
    for line in out.stdout.splitlines():
        m = re.match(r" Image (\d+) \((.*)\)$", line)
        if m:
            cur = {"index": int(m.group(1)), "name": m.group(2)}
            images.append(cur)
            continue
        m = re.match(r" Configuration \d+ \((.*)\)$", line)
        if m:
            cur = conf
            continue
        m = re.match(r"  ([A-Za-z ]+?):\s+(.*)$", line)
        if m and cur is not None:
            cur[m.group(1)] = m.group(2)
        elif line.startswith(" " * 16) and cur is conf and "Loadables" in conf:
            conf["Loadables"] += " " + line.strip()
        m = re.match(r" Default Configuration: '(.*)'$", line)
        if m:
            conf["default"] = m.group(1)
    return images, conf


def extract(itb, index, dest):
    out = subprocess.run(["dumpimage", "-T", "flat_dt", "-p", str(index), "-o", dest, itb],
                         capture_output=True, text=True, check=False)
    check(out.returncode == 0, "fit: cannot extract image %d: %s" % (index, out.stderr))
    with open(dest, "rb") as f:
        return f.read()


# The root compatible of each U-Boot board's own DTB (Linux's device trees).
BOARD_COMPATIBLE = {
    "zcu104": "xlnx,zynqmp-zcu104-revC",
    "imx8qm": "fsl,imx8qm-mek",
    "rpi4": "raspberrypi,4-model-b",
    "qemu-aarch64-virt": "linux,dummy-virt",
}


def check_fit(outdir, manifest, hyp_bin):
    itb = os.path.join(outdir, "boot.itb")
    images, conf = dumpimage_list(itb)
    by_name = {im["name"]: im for im in images}
    want = {"hypervisor": (manifest["hypervisor"]["pa"], None),
            "system": (manifest["blob"]["address"], os.path.join(outdir, "system.bin"))}
    for cell in manifest["cells"]:
        want["dtb-" + cell["name"]] = (None, os.path.join(outdir, "cells", cell["name"] + ".dtb"))
        if cell["image"]:
            want["payload-" + cell["name"]] = (
                cell["image"]["pa"], os.path.join(outdir, cell["image"]["file"]))
        if cell.get("initrd"):
            want["initrd-" + cell["name"]] = (
                cell["initrd"]["pa"], os.path.join(outdir, "cells", cell["name"] + ".initrd"))
    check(sorted(by_name) == sorted(list(want) + ["fdt"]),
          "fit: images %s, expected %s and fdt" % (sorted(by_name), sorted(want)))
    with tempfile.TemporaryDirectory() as tmp:
        for name, (load, source) in want.items():
            im = by_name.get(name)
            if im is None:
                continue
            check(im.get("Hash algo") == "crc32", "fit %s: hash algo" % name)
            check(im.get("Architecture") == "AArch64", "fit %s: arch" % name)
            check(im.get("Compression") == "uncompressed", "fit %s: compression" % name)
            got_load = int(im.get("Load Address", "0x0"), 16)
            if load is not None:
                check(got_load == load, "fit %s: load 0x%x, expected 0x%x" % (name, got_load, load))
            data = extract(itb, im["index"], os.path.join(tmp, name))
            check("%08x" % zlib.crc32(data) == im.get("Hash value"),
                  "fit %s: crc32 %08x, listed %s" % (name, zlib.crc32(data), im.get("Hash value")))
            if source:
                with open(source, "rb") as f:
                    check(f.read() == data, "fit %s: data differs from %s" % (name, source))
            if name == "hypervisor":
                if hyp_bin:
                    with open(hyp_bin, "rb") as f:
                        flat = f.read()
                    check(len(data) >= len(flat) > 0 and data.startswith(flat)
                          and not data[len(flat):].strip(b"\0"),
                          "fit hypervisor: not the runtime's load image")
                else:
                    check(not data, "fit hypervisor: a placeholder with data")
            if name.startswith("dtb-"):
                check(im.get("Type") == "Flat Device Tree", "fit %s: type" % name)
            if name == "hypervisor":
                check(im.get("OS") == "Linux" and im.get("Type") == "Kernel Image",
                      "fit hypervisor: not a Linux-protocol kernel (%s, %s)" %
                      (im.get("OS"), im.get("Type")))
        # The hand-off DTB: no load address (U-Boot places it), and the
        # board's compatible, by which U-Boot picks the configuration.
        fdt = by_name.get("fdt")
        if fdt:
            check(fdt.get("Type") == "Flat Device Tree" and "Load Address" not in fdt,
                  "fit fdt: type %s, load %s" % (fdt.get("Type"), fdt.get("Load Address")))
            path = os.path.join(tmp, "fdt.dtb")
            extract(itb, fdt["index"], path)
            compatible = subprocess.run(["fdtget", "-t", "s", path, "/", "compatible"],
                                        stdout=subprocess.PIPE, text=True).stdout.split()
            board = manifest["board"]
            check(bool(compatible) and (board in compatible or board in BOARD_COMPATIBLE
                                        and compatible[0] == BOARD_COMPATIBLE[board]),
                  "fit fdt: compatible %s for board %s" % (compatible, board))
    check(conf.get("default") == "conf", "fit: default configuration")
    check(conf.get("Kernel") == "hypervisor", "fit: configuration kernel")
    check(conf.get("FDT") == "fdt", "fit: configuration fdt %r" % conf.get("FDT"))
    check(sorted(conf.get("Loadables", "").split()) == sorted(n for n in want if n != "hypervisor"),
          "fit: loadables %r" % conf.get("Loadables"))
    with open(os.path.join(outdir, "boot.cmd")) as f:
        script = f.read()
    # bootm copies every image itself; the script only loads boot.itb from
    # distro boot's medium and runs bootm if that worked.
    check("load ${devtype} ${devnum}:${distro_bootpart} ${sphc_fit} ${prefix}boot.itb && "
          "bootm ${sphc_fit}#conf\n" in script, "fit: boot.cmd load && bootm")
    check(not re.search(r"^(go|imxtract|dcache)\b", script, re.M),
          "fit: boot.cmd uses go, imxtract or dcache")
    entry = by_name.get("hypervisor", {}).get("Entry Point", "0x0")
    check(int(entry, 16) == manifest["hypervisor"]["pa"], "fit: entry %s" % entry)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("bao", "xen", "fit"):
        print(__doc__, file=sys.stderr)
        return 2
    outdir = sys.argv[2]
    with open(os.path.join(outdir, "manifest.json")) as f:
        manifest = json.load(f)
    if sys.argv[1] == "bao":
        check_bao(outdir, manifest)
    elif sys.argv[1] == "xen":
        check_xen(outdir, manifest, sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        check_fit(outdir, manifest, sys.argv[3] if len(sys.argv) > 3 else None)
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
