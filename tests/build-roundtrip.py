#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Round trip: YAML -> blob -> `sphc dump --format=json` agrees with
manifest.json, and manifest.json lists every output with its real size and
CRC-32.

usage: tests/build-roundtrip.py SPHC BUILD_DIR
Prints one line per disagreement; exit status 1 if there is any.
"""
import json
import os
import subprocess
import sys
import zlib

sphc, build = sys.argv[1], sys.argv[2]
errors = []


def eq(what, got, want):
    if got != want:
        errors.append(f"{build}: {what}: blob says {got!r}, manifest {want!r}")


def dump(path):
    out = subprocess.run([sphc, "dump", "--format=json", path],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        errors.append(f"{path}: sphc dump failed: {out.stderr.strip()}")
        return None
    return json.loads(out.stdout)


CELL_KEYS = ["name", "id", "critical", "boot_order", "cpus", "colors",
             "entry", "regions", "irqs"]


def same_cell(where, dc, mc):
    for k in CELL_KEYS:
        eq(f"{where}.{k}", dc[k], mc[k])
    eq(f"{where}.dtb", {k: dc["dtb"][k] for k in ("ipa", "size")},
       {k: mc["dtb"][k] for k in ("ipa", "size")})
    if mc["image"] is None:
        eq(f"{where}.image", dc["image"], None)
    else:
        eq(f"{where}.image", dc["image"],
           {k: mc["image"][k] for k in ("ipa", "size", "pa")})


m = json.load(open(os.path.join(build, "manifest.json")))
d = dump(os.path.join(build, "system.bin"))
if d:
    eq("kind", d["kind"], "system")
    eq("total_size", d["total_size"], m["blob"]["size"])
    eq("board", d["platform"]["board"], m["board"])
    hyp = {k: v for k, v in m["hypervisor"].items() if k != "console"}
    eq("hypervisor", d["hypervisor"], hyp)
    eq("number of cells", len(d["cells"]), len(m["cells"]))
    for i, (dc, mc) in enumerate(zip(d["cells"], m["cells"])):
        same_cell(f"cells[{i}]", dc, mc)
    shared = [{k: s[k] for k in ("name", "pa", "size", "doorbell", "access")}
              for s in m["shared"]]
    eq("shared", d["shared"], shared)

# Each cell blob: that cell alone, only its own access to shared regions.
for mc in m["cells"]:
    c = dump(os.path.join(build, "cells", mc["name"] + ".bin"))
    if not c:
        continue
    eq(f"cells/{mc['name']}.bin kind", c["kind"], "cell")
    eq(f"cells/{mc['name']}.bin cells", len(c["cells"]), 1)
    same_cell(f"cells/{mc['name']}.bin", c["cells"][0], mc)
    mine = [s["name"] for s in m["shared"] if mc["name"] in s["access"]]
    eq(f"cells/{mc['name']}.bin shared", [s["name"] for s in c["shared"]],
       mine)
    for s in c["shared"]:
        eq(f"cells/{mc['name']}.bin shared {s['name']} access",
           list(s["access"]), [mc["name"]])

# Files: every output listed once, with its true size and CRC-32 (but the
# .sphc-build marker, which says sphc wrote the directory).
listed = {f["path"]: f for f in m["files"]}
eq("files sorted", [f["path"] for f in m["files"]], sorted(listed))
on_disk = []
for root, _, names in os.walk(build):
    for n in names:
        rel = os.path.relpath(os.path.join(root, n), build)
        if rel not in ("manifest.json", ".sphc-build"):
            on_disk.append(rel)
eq("files listed", sorted(listed), sorted(on_disk))
for rel, f in listed.items():
    path = os.path.join(build, rel)
    if not os.path.exists(path):
        continue
    data = open(path, "rb").read()
    eq(f"{rel} size", len(data), f["size"])
    eq(f"{rel} crc32", "0x%08x" % zlib.crc32(data), f["crc32"])

for e in errors:
    print(e)
sys.exit(1 if errors else 0)
