#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Boot sphc's Xen dom0less output on Debian's Xen 4.17 under QEMU.

usage: boot.py SPHC XEN_CACHE   (XEN_CACHE from tests/xen/fetch.sh)

As a user would: `sphc build --target ...` of a system whose images are
tests/xen/payload.S with a line appended ("hello from CELL"), QEMU's own
DTB dumped for the board's command line (virt, GICv3, virtualization=on,
4 CPUs, 1 GiB), `fdtoverlay` of xen/dom0less.dtbo onto it, then Xen as
QEMU's -kernel with that DTB and every module the overlay names loaded at
its address. Asserts that every domU prints its line, as the domain Xen
numbers by boot order (critical cells first), and that every passthrough
xen,path names a node of QEMU's DTB. Cases:

  basic.yaml, --target xen        uses only what 4.17 has: boots as is
  full.yaml, --target xen-4.17    colors, shared memory, pinning and the
                                  null scheduler dropped, each with its
                                  warning; boots
  linux.yaml, --target xen        Debian's Linux with the test initramfs
                                  (initrd: as multiboot,ramdisk, bootargs:
                                  on the kernel module) reaches user space
  full.yaml, --target xen         keeps them all (checked in the tree and
                                  in ImageBuilder's files), and Debian's
                                  4.17 must not boot it: Xen stops reading
                                  /chosen at the first shared-memory node
                                  and looks for a dom0 (the control that
                                  shows this test sees the difference)

Prints "N passed, N failed"; exits 1 when anything failed.
"""
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU_MACHINE = ["-M", "virt,virtualization=on,gic-version=3",
                "-cpu", "cortex-a53", "-smp", "4", "-m", "1G"]
BOOT_TIMEOUT = 60  # seconds; a boot takes about 1 s on TCG, Linux's 3-10
LINUX_CACHE = os.path.join(HERE, "..", ".cache", "arm64")  # tests/linux/fetch.sh

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s" % what)
        if detail:
            print("  " + detail.rstrip().replace("\n", "\n  "))
    return ok


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def build_payload(tmp):
    obj, elf, out = (os.path.join(tmp, "payload." + e)
                     for e in ("o", "elf", "bin"))
    for cmd in (["aarch64-linux-gnu-gcc", "-c", os.path.join(HERE, "payload.S"),
                 "-o", obj],
                ["aarch64-linux-gnu-ld", "-Ttext=0", obj, "-o", elf],
                ["aarch64-linux-gnu-objcopy", "-O", "binary", elf, out]):
        r = run(cmd)
        if r.returncode:
            sys.exit("boot.py: %s failed:\n%s" % (cmd[0], r.stderr))
    with open(out, "rb") as f:
        return f.read()


def fdtget(*args):
    r = run(["fdtget"] + list(args))
    return r.stdout.split() if r.returncode == 0 else None


def cells_of(system):
    """Cell names in list order and the critical ones (the YAML is ours)."""
    names, critical, section = [], set(), None
    with open(system) as f:
        for line in f:
            if re.match(r"\w", line):
                section = line.split(":")[0]
            if section != "cells":
                continue
            m = re.match(r"  - name: (\S+)", line)
            if m:
                names.append(m.group(1))
            if line.strip() == "critical: true":
                critical.add(names[-1])
    return names, critical


def prepare(tmp, label, system, payload):
    """The system copied beside its images; returns (dir, system, cells)."""
    d = os.path.join(tmp, label)
    os.makedirs(d)
    shutil.copy(system, d)
    names, critical = cells_of(system)
    for n in names:
        with open(os.path.join(d, n + ".bin"), "wb") as f:
            f.write(payload + ("hello from %s\n" % n).encode() + b"\0")
    boot = [n for n in names if n in critical] + \
        [n for n in names if n not in critical]
    return d, os.path.join(d, os.path.basename(system)), boot


def sphc_build(sphc, system, out, target, label):
    r = run([sphc, "build", "--color=never", "-W", "no-critical-boot-order",
             "-W", "no-colored-superpages", "--target", target, system,
             "-o", out])
    ok = check(r.returncode == 0 and
               os.path.exists(os.path.join(out, "xen", "dom0less.dtbo")),
               "%s: sphc build exits 0 and writes xen/" % label, r.stderr)
    return r.stderr if ok else None


def modules(host, out, d, domain, cell, files=None):
    """(file, address) of every module of /chosen/DOMAIN, checked; FILES:
    {"kernel": path, "ramdisk": path} when not the generated payload."""
    files = files or {}
    res = []
    path = "/chosen/" + domain
    for m in fdtget("-l", host, path) or []:
        if not m.startswith("module@"):
            continue
        compat = run(["fdtget", host, path + "/" + m, "compatible"]).stdout
        reg = [int(v, 16) for v in fdtget("-t", "x", host, path + "/" + m,
                                          "reg")]
        addr, size = reg[0] << 32 | reg[1], reg[2] << 32 | reg[3]
        if "multiboot,kernel" in compat:
            f = files.get("kernel", os.path.join(d, cell + ".bin"))
        elif "multiboot,ramdisk" in compat:
            f = files["ramdisk"]
        else:
            f = os.path.join(out, "xen", cell + "-passthrough.dtb")
        check(size == os.path.getsize(f), "%s/%s: reg size %#x is the size of %s"
              % (path, m, size, os.path.basename(f)))
        res.append((f, addr))
    return res


def boot(xen, host, mods, expect, log):
    """Boot Xen; True when every line of EXPECT appeared."""
    cmd = ["qemu-system-aarch64"] + QEMU_MACHINE + [
        "-display", "none", "-serial", "stdio", "-monitor", "none",
        "-nic", "none", "-no-reboot", "-kernel", xen, "-dtb", host]
    for f, addr in mods:
        cmd += ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (f, addr)]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    text, left = b"", set(expect)
    end = time.monotonic() + BOOT_TIMEOUT
    try:
        while left and time.monotonic() < end:
            ready, _, _ = select.select([p.stdout], [], [], 0.2)
            if not ready:
                if p.poll() is not None:
                    break
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            text += chunk
            s = text.decode(errors="replace")
            left = {e for e in left if e not in s}
            if "Reboot in five seconds" in s:  # after a panic's reason
                break
    finally:
        p.kill()
        p.wait()
    s = text.decode(errors="replace")
    with open(log, "w") as f:
        f.write(s)
    return s, left


def case(sphc, xen, tmp, payload, virt, label, system, target, boots,
         warnings=(), present=(), absent=()):
    d, sysfile, order = prepare(tmp, label, system, payload)
    out = os.path.join(d, "build")
    err = sphc_build(sphc, sysfile, out, target, label)
    if err is None:
        return out
    for w in warnings:
        check(re.search(w, err), "%s: warning /%s/" % (label, w), err)
    if "target-unsupported" not in " ".join(warnings):
        check("target-unsupported" not in err,
              "%s: nothing is dropped" % label, err)
    dtsi = open(os.path.join(out, "xen", "dom0less.dtsi")).read()
    for what in present:
        check(re.search(what, dtsi), "%s: dom0less.dtsi has /%s/" % (label, what))
    for what in absent:
        check(not re.search(what, dtsi),
              "%s: dom0less.dtsi has no /%s/" % (label, what))
    host = os.path.join(d, "host.dtb")
    r = run(["fdtoverlay", "-i", virt, "-o", host,
             os.path.join(out, "xen", "dom0less.dtbo")])
    if not check(r.returncode == 0, "%s: fdtoverlay applies dom0less.dtbo"
                 % label, r.stderr):
        return out
    domains = [n for n in fdtget("-l", host, "/chosen") or []
               if n.startswith("domU-")]
    check(domains == ["domU-" + c for c in order],
          "%s: domains in boot order after fdtoverlay" % label,
          "%s, not %s" % (domains, order))
    for pt in sorted(os.listdir(os.path.join(out, "xen"))):
        if not pt.endswith("-passthrough.dtb"):
            continue
        blob = os.path.join(out, "xen", pt)
        for dev in fdtget("-l", blob, "/passthrough") or []:
            path = run(["fdtget", blob, "/passthrough/" + dev,
                        "xen,path"]).stdout.strip()
            check(fdtget("-p", virt, path) is not None,
                  "%s: %s: xen,path %s is a node of QEMU's DTB"
                  % (label, dev, path))
    mods = []
    for i, cell in enumerate(order):
        mods += modules(host, out, d, "domU-" + cell, cell)
    expect = ["DOM%d: hello from %s" % (i + 1, c) for i, c in enumerate(order)]
    log = os.path.join(d, "xen.log")
    s, left = boot(xen, host, mods, expect if boots else ["Reboot in"], log)
    if boots:
        for e in expect:
            check(e not in left, "%s: Xen 4.17 runs '%s'" % (label, e),
                  s[-3000:])
        for bad in ("Couldn't find node", "Failed to assign", "Panic"):
            check(bad not in s, "%s: no '%s' in Xen's log" % (label, bad),
                  s[-3000:])
    else:
        # The scan stops inside the first domain with a shared region, so
        # the next domain has no kernel (or, with the region first, no
        # domain has one and Xen looks for a dom0).
        check(re.search(r"Panic on CPU 0:\s+\(XEN\) Could not set up "
                        r"(domain domU-%s|DOM0 guest OS)" % order[1], s)
              and "hello from" not in s,
              "%s: Debian's Xen 4.17 stops at the shared-memory nodes" % label,
              s[-3000:])
    return out


def case_linux(sphc, xen, tmp, virt, linux_cache):
    """Linux as a dom0less domU with initrd: and bootargs:."""
    label = "linux"
    d = os.path.join(tmp, label)
    os.makedirs(d)
    shutil.copy(os.path.join(HERE, "linux.yaml"), d)
    r = run([os.path.join(HERE, "..", "linux", "prepare.sh"),
             os.path.join(d, "linux"), linux_cache])
    if not check(r.returncode == 0, "linux: tests/linux/prepare.sh", r.stderr):
        return
    out = os.path.join(d, "build")
    if sphc_build(sphc, os.path.join(d, "linux.yaml"), out, "xen", label) is None:
        return
    cfg = open(os.path.join(out, "xen", "imagebuilder.cfg")).read()
    check('DOMU_RAMDISK[0]="../../linux/initramfs.cpio"' in cfg and
          'DOMU_CMD[0]="console=ttyAMA0 rdinit=/init"' in cfg,
          "linux: imagebuilder.cfg has DOMU_RAMDISK and DOMU_CMD", cfg)
    host = os.path.join(d, "host.dtb")
    r = run(["fdtoverlay", "-i", virt, "-o", host,
             os.path.join(out, "xen", "dom0less.dtbo")])
    if not check(r.returncode == 0, "linux: fdtoverlay applies dom0less.dtbo",
                 r.stderr):
        return
    files = {"kernel": os.path.join(d, "linux", "Image"),
             "ramdisk": os.path.join(d, "linux", "initramfs.cpio")}
    mods = modules(host, out, d, "domU-linux", "linux", files)
    check(sorted(f for f, _ in mods) == sorted(files.values()),
          "linux: a kernel and a ramdisk module", str(mods))
    expect = ["DOM1: init: user space reached"]
    s, left = boot(xen, host, mods, expect, os.path.join(d, "xen.log"))
    check(not left, "linux: Xen 4.17 boots Linux to its initramfs' init",
          s[-3000:])
    check("Kernel command line: console=ttyAMA0 rdinit=/init" in s,
          "linux: the kernel got bootargs: as its command line", s[-3000:])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sphc, cache = os.path.abspath(sys.argv[1]), sys.argv[2]
    xen = os.path.join(cache, "xen")
    if not os.path.exists(xen):
        print("FAIL: no %s: run make deps (tests/xen/fetch.sh)" % xen)
        print("0 passed, 1 failed")
        sys.exit(1)
    tmp = tempfile.mkdtemp(prefix="sphc-xen.")
    try:
        payload = build_payload(tmp)
        virt = os.path.join(tmp, "virt.dtb")
        run(["qemu-system-aarch64"] + [a if a != "virt,virtualization=on,gic-version=3"
                                       else a + ",dumpdtb=" + virt
                                       for a in QEMU_MACHINE] +
            ["-display", "none", "-nic", "none"], timeout=30)
        if not check(os.path.exists(virt), "QEMU dumps its DTB"):
            raise SystemExit
        # Every dt-path of the board is a node of QEMU's DTB.
        board = open(os.path.join(HERE, "..", "..", "boards",
                                  "qemu-aarch64-virt.yaml")).read()
        paths = re.findall(r'dt-path: "([^"]+)"', board)
        check(len(paths) == 36, "the board records 36 dt-paths, not %d"
              % len(paths))
        missing = [p for p in paths if fdtget("-p", virt, p) is None]
        check(not missing, "dt-paths of qemu-aarch64-virt not in QEMU's DTB",
              " ".join(missing))

        case(sphc, xen, tmp, payload, virt, "basic", os.path.join(HERE, "basic.yaml"),
             "xen", True)
        case_linux(sphc, xen, tmp, virt, LINUX_CACHE)
        dropped = [r"Xen 4\.17 \(default build options\) lacks %s \(.*\), which needs "
                   r"Xen %s or later built with %s.*\[target-unsupported\]" % w
                   for w in (("static shared memory", r"4\.17", "CONFIG_STATIC_SHM"),
                             ("LLC coloring", r"4\.20", "CONFIG_LLC_COLORING"),
                             ("the null scheduler", r"4\.17", "CONFIG_SCHED_NULL"))]
        dropped.append(r"Xen 4\.17 \(default build options\) lacks vCPU pinning "
                       r"\(xen,vcpu nodes\), which needs Xen 4\.21 or later: ")
        features = ["xen,domain-shared-memory-v1", "llc-colors", "xen,vcpu",
                    "sched=null", "llc-coloring=on"]
        case(sphc, xen, tmp, payload, virt, "full-4.17",
             os.path.join(HERE, "full.yaml"), "xen-4.17", True,
             warnings=dropped, absent=features)
        out = case(sphc, xen, tmp, payload, virt, "full-newest",
                   os.path.join(HERE, "full.yaml"), "xen", False,
                   present=features + [
                       r"llc-size=1024K llc-nr-ways=16",
                       r'role = "owner";\s*xen,shm-id = "telemetry"'])
        # ImageBuilder: every region of every domain, with its role.
        shm = os.path.join(out, "xen", "imagebuilder-shm.dtbo")
        cfg = os.path.join(out, "xen", "imagebuilder.cfg")
        cfg = open(cfg).read() if os.path.exists(cfg) else ""
        check('DT_OVERLAY[0]="imagebuilder-shm.dtbo"' in cfg,
              "imagebuilder.cfg names imagebuilder-shm.dtbo")
        check("llc-size=1024K" in cfg, "imagebuilder.cfg: llc-size in KiB")
        r = run(["dtc", "-I", "dtb", "-O", "dts", shm])
        regions = re.findall(r'role = "(\w+)";\s*xen,shm-id = "([\w-]+)"',
                             r.stdout)
        check(sorted(regions) == sorted([
            ("borrower", "setpoints"), ("owner", "telemetry"),
            ("owner", "setpoints"), ("borrower", "telemetry"),
            ("owner", "radio-buf"), ("borrower", "telemetry"),
            ("borrower", "radio-buf")]),
              "imagebuilder-shm.dtbo: every region with its role", r.stdout)
        # ImageBuilder numbers domains as U-Boot will create them: its
        # domU0 ends up last in /chosen, so the critical cell is the last.
        kernels = re.findall(r"""DOMU_KERNEL\[(\d)\]=['"]\.\./\.\./([a-z]+)\.bin['"]""", cfg)
        check(kernels == [("0", "linux"), ("1", "comms"), ("2", "control")],
              "imagebuilder.cfg: domains last-booted first", str(kernels))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
