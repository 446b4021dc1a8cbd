#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Property test: what `sphc check` passes, `sphc build` builds, and what
check rejects, build rejects too.

usage: build.py SPHC [SYSTEMS [SEED]]

A seeded generator writes random systems near the limits of the boot
layout (tests/property/board.yaml's CPUs and RAM, plus a device with many
registers and interrupts so that cell device trees outgrow 64K): 1-4
cells, first regions from below the 84K a device tree, a page and a stack
need to 8M, cells colored or not, images from empty to several MiB
(staged in the boot area when the first region is colored), hypervisor
memory from 1M up, shared regions with doorbells. For each:

  - check exits 0: build (both with --target all: sph, fit, bao, xen,
    jailhouse) must exit 0, and what it
    wrote must hold together, read from manifest.json alone (not from
    sphc's layout code): every image and device tree inside its cell's
    first region, the tree above the image and the stacks, the blob and
    the staged images inside the boot area, the boot area at the end of
    the hypervisor's memory and smaller than it, every file present with
    its size;
  - check exits 1: build must exit 1 and write nothing.

The run fails unless some systems check clean, some fail, and the clean
ones include boot areas over 1M and device-tree areas over 64K (so the
property is not vacuous). A failing system is kept and its seed printed.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
K, M = 1024, 1024 * 1024
BIG_REGS = 4200  # 16 bytes each in a device tree: over 64K
BIG_IRQS = 120
TARGETS = "all"


def board(path):
    """tests/property/board.yaml with a device of many registers and IRQs."""
    with open(os.path.join(HERE, "board.yaml")) as f:
        text = f.read()
    regs = ", ".join("{ base: 0x%x, size: 4K }" % (0x1000_0000 + i * 0x1000)
                     for i in range(BIG_REGS))
    irqs = ", ".join("{ irq: %d, trigger: %s }" % (64 + i, "edge" if i % 2 else "level")
                     for i in range(BIG_IRQS))
    text += ("  - name: big\n    compatible: [\"sphc,property-big\", \"sphc,x\"]\n"
             "    reg: [ %s ]\n    irqs: [ %s ]\n" % (regs, irqs))
    with open(path, "w") as f:
        f.write(text)


def size_text(n):
    return "%dK" % (n // K) if n % M else "%dM" % (n // M)


def generate(rng, d):
    """A random system file in directory d; returns its path."""
    lines = ["sphc: 1", "name: p", "board: board.yaml"]
    hyp = rng.choice([1 * M, 1 * M + 4 * K, 2 * M, 3 * M, 4 * M, 8 * M, 8 * M,
                      16 * M])
    lines.append("hypervisor: { memory: { size: %s }, colors: [15] }" % size_text(hyp))
    lines.append("cells:")
    ncells = rng.randint(1, 4)
    free = list(range(0, 15))
    rng.shuffle(free)
    names = []
    taken = set()
    for c in range(ncells):
        name = "c%d" % c
        names.append(name)
        cpus = rng.randint(1, 2)
        first = rng.choice([64 * K, 80 * K, 84 * K, 100 * K, 120 * K, 152 * K,
                            160 * K, 256 * K, 1 * M, 2 * M, 4 * M, 8 * M])
        regions = [first] + [rng.choice([64 * K, 1 * M, 2 * M])
                             for _ in range(rng.randint(0, 2))]
        mem = ", ".join("{ size: %s }" % size_text(r) for r in regions)
        item = "  - { name: %s, cpus: %d, memory: [ %s ]" % (name, cpus, mem)
        if rng.random() < 0.5 and len(free) >= 2:
            n = rng.randint(1, 3)
            colors, free = free[:n], free[n:]
            item += ", colors: [%s]" % ", ".join(map(str, sorted(colors)))
        if rng.random() < 0.3 and "big" not in taken:
            taken.add("big")
            item += ", devices: [big]"
        if rng.random() < 0.7:
            img = rng.choice([0, 1, 4 * K, first - 64 * K - 16 * K,
                              first - 64 * K, first - 64 * K + 1,
                              first // 2, 1 * M + 1, 2 * M])
            img = max(0, min(img, sum(regions) + 1))
            path = os.path.join(d, "%s.bin" % name)
            with open(path, "wb") as f:
                f.write(rng.randbytes(img))
            item += ", image: %s.bin" % name
        lines.append(item + " }")
    if ncells >= 2 and rng.random() < 0.6:
        lines.append("shared:")
        for s in range(rng.randint(1, 2)):
            a, b = rng.sample(names, 2)
            door = ", doorbell: true" if rng.random() < 0.5 else ""
            lines.append("  - { name: s%d, size: %s, access: { %s: rw, %s: ro }%s }"
                         % (s, rng.choice(["4K", "64K", "1M"]), a, b, door))
    path = os.path.join(d, "system.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def check_build(out):
    """What a build wrote holds together; a list of problems."""
    problems = []
    m = json.load(open(os.path.join(out, "manifest.json")))
    hyp, blob = m["hypervisor"], m["blob"]
    hyp_end = hyp["pa"] + hyp["size"]
    start, end = blob["boot_area_start"], blob["boot_area_end"]
    if end != hyp_end or not hyp["pa"] < start < end:
        problems.append("boot area [%#x, %#x) not at the end of, and smaller "
                        "than, the hypervisor's memory [%#x, %#x)"
                        % (start, end, hyp["pa"], hyp_end))
    if (end - start) % M or blob["address"] != start or \
            blob["address"] + blob["size"] > end:
        problems.append("blob [%#x +%#x) not at the start of the boot area"
                        % (blob["address"], blob["size"]))
    staged = [(blob["address"], blob["address"] + blob["size"], "blob")]
    for c in m["cells"]:
        ram = [r for r in c["regions"] if set(r["flags"]) >= {"read", "exec"}
               and "io" not in r["flags"] and "shared" not in r["flags"]]
        first = ram[0]
        lo, hi = first["ipa"], first["ipa"] + first["size"]
        dtb = c["dtb"]
        ncpus = len(c["cpus"])
        if not (lo < dtb["ipa"] and dtb["ipa"] + dtb["size"] <= hi):
            problems.append("cell %s: device tree [%#x +%#x) outside its "
                            "first region [%#x, %#x)" % (c["name"], dtb["ipa"],
                                                         dtb["size"], lo, hi))
        if dtb["ipa"] - lo < 4096 + ncpus * 16 * K:
            problems.append("cell %s: less than a page and the stacks below "
                            "its device tree" % c["name"])
        img = c.get("image")
        if img:
            if img["ipa"] != lo or img["ipa"] + img["size"] > dtb["ipa"]:
                problems.append("cell %s: image [%#x +%#x) not below its "
                                "device tree at %#x" % (c["name"], img["ipa"],
                                                        img["size"], dtb["ipa"]))
            if img["staged"]:
                if img["pa"] < start or img["pa"] + img["size"] > end or img["pa"] % 4096:
                    problems.append("cell %s: staged image [%#x +%#x) outside "
                                    "the boot area" % (c["name"], img["pa"], img["size"]))
                staged.append((img["pa"], img["pa"] + img["size"], c["name"]))
            elif img["pa"] != first["pa"]:
                problems.append("cell %s: image not loaded where its IPA maps"
                                % c["name"])
            path = os.path.join(out, img["file"])
            if os.path.getsize(path) != img["size"]:
                problems.append("cell %s: %s is not the image" % (c["name"], img["file"]))
    staged.sort()
    for (a0, a1, an), (b0, b1, bn) in zip(staged, staged[1:]):
        if b0 < a1:
            problems.append("%s and %s overlap in the boot area" % (an, bn))
    for f in m["files"]:
        p = os.path.join(out, f["path"])
        if not os.path.isfile(p) or os.path.getsize(p) != f["size"]:
            problems.append("file %s missing or not %d bytes" % (f["path"], f["size"]))
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    sphc = os.path.abspath(sys.argv[1])
    systems = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed0 = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    stats = {"clean": 0, "rejected": 0, "boot>1M": 0, "dtb>64K": 0}
    failed = 0
    work = tempfile.mkdtemp(prefix="sphc-prop-build-")
    board(os.path.join(work, "board.yaml"))
    for i in range(systems):
        seed = seed0 + i
        rng = random.Random(seed)
        d = os.path.join(work, "s")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        shutil.copy(os.path.join(work, "board.yaml"), d)
        path = generate(rng, d)
        out = os.path.join(d, "out")
        # Every target: each one's limits are checked by check as well
        # (Bao's crash on seed 153 has a case of its own,
        # tests/good/bao-many-ranges.yaml).
        chk = run([sphc, "check", "-q", "--target", TARGETS, path])
        bld = run([sphc, "build", "-q", path, "-o", out, "--target",
                   TARGETS])
        problems = []
        if chk.returncode == 0:
            stats["clean"] += 1
            if bld.returncode != 0:
                problems.append("check passed, build failed (%d):\n%s"
                                % (bld.returncode, bld.stdout))
            else:
                problems += check_build(out)
                m = json.load(open(os.path.join(out, "manifest.json")))
                if m["blob"]["boot_area_end"] - m["blob"]["boot_area_start"] > M:
                    stats["boot>1M"] += 1
                if any(c["regions"][0]["ipa"] + c["regions"][0]["size"] - c["dtb"]["ipa"] > 64 * K
                       for c in m["cells"]):
                    stats["dtb>64K"] += 1
        elif chk.returncode == 1:
            stats["rejected"] += 1
            if bld.returncode != 1 or os.path.exists(out):
                problems.append("check rejected, build exited %d%s:\n%s"
                                % (bld.returncode,
                                   " and wrote" if os.path.exists(out) else "",
                                   bld.stdout))
        else:
            problems.append("check exited %d:\n%s" % (chk.returncode, chk.stdout))
        if problems:
            failed += 1
            keep = os.path.join(tempfile.gettempdir(), "sphc-prop-build-seed-%d" % seed)
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(d, keep, ignore=shutil.ignore_patterns("out"))
            print("FAIL: seed %d (kept in %s):\n  %s" % (seed, keep,
                                                        "\n  ".join(problems)))
            if failed >= 5:
                break
    shutil.rmtree(work, ignore_errors=True)
    print("property-build: %d systems (seeds %d..%d): %d check clean and "
          "build, %d rejected by both; %d with a boot area over 1M, %d with a "
          "device-tree area over 64K" % (i + 1, seed0, seed, stats["clean"],
                                          stats["rejected"], stats["boot>1M"],
                                          stats["dtb>64K"]))
    for what in ("clean", "rejected", "boot>1M", "dtb>64K"):
        if not stats[what]:
            print("FAIL: no system of the kind '%s': the property is vacuous" % what)
            failed += 1
    print("property-build: %d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
