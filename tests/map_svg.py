#!/usr/bin/env python3
"""`sphc map --svg` against the table `sphc map` prints for the same input.

usage: tests/map_svg.py MAP.txt MAP.svg

The drawing must carry the table's data where a reader looks for it: one
region per row, in the lane of its owner (devices and shared regions in
their own lanes), labeled with its range, size and colors; a labeled tick
at each region's start; the cells x colors panel agreeing with the colors
column; a legend; and a break for each stretch of address space that holds
nothing, so that the width stays bounded. Prints what is wrong, exit 1.
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
errors = []


def fail(msg):
    errors.append(msg)


def texts(el):
    return ["".join(t.itertext()) for t in el.iter(NS + "text")]


def ncolors(spec):
    """How many colors "1-2,5" names."""
    if spec == "-":
        return 0
    n = 0
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        n += int(hi or lo) - int(lo) + 1
    return n


table = []
for line in open(sys.argv[1]).read().splitlines()[1:]:
    m = re.match(r"(\S+)\s+(\S+)\s+\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)\s+(\S+)\s+.*?\s(\S+)$", line)
    if not m:
        fail(f"cannot read table line: {line}")
        continue
    owner, kind, lo, hi, size, colors = m.groups()
    table.append((owner, kind, int(lo, 16), int(hi, 16), size, colors))

root = ET.parse(sys.argv[2]).getroot()
groups = {}
for g in root.iter(NS + "g"):
    groups.setdefault(g.get("class"), []).append(g)

# Lanes: the hypervisor, each owner of RAM, shared, devices.
lanes = [t for g in groups.get("lane", []) for t in texts(g)]
for owner, kind, *_ in table:
    want = "devices" if kind not in ("ram", "shared") else (
        "shared" if kind == "shared" else owner)
    if want not in lanes:
        fail(f"no lane '{want}' (lanes: {lanes})")

# Regions: one per row, labeled with range, size and colors.
regions = groups.get("region", [])
if len(regions) != len(table):
    fail(f"{len(regions)} regions drawn, the table has {len(table)} rows")
labels = [texts(g) for g in regions]
for owner, kind, lo, hi, size, colors in table:
    rng = f"0x{lo:x}-0x{hi:x}"
    found = [l for l in labels if rng in l]
    if not found:
        fail(f"no region labeled {rng} ({owner} {kind})")
        continue
    lab = found[0]
    name = f"{kind} ({owner})" if kind not in ("ram", "shared") else owner
    if not any(t.startswith(name) for t in lab):
        fail(f"region {rng} is not labeled '{name}': {lab}")
    want = size if colors == "-" else f"{size}, colors {colors}"
    if want not in lab:
        fail(f"region {rng} lacks '{want}': {lab}")

# The axis: a labeled tick at each region's start, breaks for empty gaps.
ticks = {int(t, 16) for g in groups.get("axis", []) for t in texts(g)
         if t.startswith("0x")}
for owner, kind, lo, *_ in table:
    if lo not in ticks:
        fail(f"no tick at 0x{lo:x} ({owner} {kind})")
width = float(root.get("width"))
if width > 2400:
    fail(f"{width:.0f}px wide: gaps are not compressed")
starts = sorted({r[2] for r in table} | {r[3] for r in table})
if starts[-1] - starts[0] > 1 << 32 and not groups.get("break"):
    fail("addresses far apart but no break drawn")

# The colors panel: as many filled squares per owner as the table's colors.
owners = {}
for g in groups.get("owner", []):
    name = texts(g)[0]
    owners[name] = sum(1 for r in g.iter(NS + "rect") if r.get("fill") != "white")
for owner, kind, lo, hi, size, colors in table:
    if kind == "ram" and colors != "-" and owners.get(owner) != ncolors(colors):
        fail(f"colors panel: {owner} has {owners.get(owner)} colors, the table {colors}")

if not groups.get("legend"):
    fail("no legend")

for e in errors:
    print(f"{sys.argv[2]}: {e}")
sys.exit(1 if errors else 0)
