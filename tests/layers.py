#!/usr/bin/env python3
"""The include direction of sphc's stages.

Dependencies run one way, each folder using only those after it:

    cli -> backends -> check -> model -> validate -> front -> diag -> lib

(sphc/cli/, backends/ with its format folders, sphc/check/, sphc/model/,
sphc/validate/, sphc/front/, sphc/diag/, sphc/lib/). A file may include
headers of its own folder and of any folder after it, plus the runtime's
ABI headers (hypervisor/include/sph/), which belong to no stage. Every
#include "..." of every tracked .c, .h and .S file in sphc/ and backends/
is resolved as the compiler does (beside the file, then -iquote sphc,
-iquote ., -iquote hypervisor/include); one that points the wrong way, or
that resolves to nothing, is reported with its file and line.

usage: tests/layers.py            check the tree (exit 1 on a violation)
       tests/layers.py --self-test  check that the check catches one
"""
import os
import re
import subprocess
import sys
import tempfile

ORDER = ["lib", "diag", "front", "validate", "model", "check", "backends", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """The stage of a repository path, None for the ABI, or raise."""
    parts = path.split("/")
    if parts[0] == "sphc" and len(parts) > 2 and parts[1] in ORDER:
        return parts[1]
    if parts[0] == "backends":
        return "backends"
    if path.startswith("hypervisor/include/"):
        return None
    raise ValueError(path)


def resolve(root, src, name):
    """The repository path an #include "name" in src opens, or None."""
    for base in (os.path.dirname(src), "sphc", ".", "hypervisor/include"):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def violations(root, files):
    for src in files:
        mine = layer_of(src)
        with open(os.path.join(root, src), encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, src, m.group(1))
                if target is None:
                    yield f'{src}:{lineno}: "{m.group(1)}" is not a file of the tree'
                    continue
                try:
                    theirs = layer_of(target)
                except ValueError:
                    yield f"{src}:{lineno}: includes {target}, which is in no stage"
                    continue
                if theirs is not None and ORDER.index(theirs) > ORDER.index(mine):
                    yield (f"{src}:{lineno}: {mine} includes {target} of {theirs}, "
                           f"against the direction {' -> '.join(reversed(ORDER))}")


def tracked(root):
    out = subprocess.run(["git", "ls-files", "sphc", "backends"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if f.endswith((".c", ".h", ".S"))]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        files = {
            "sphc/diag/diag.c": '#include "diag/diag.h"\n#include "check/check.h"\n',
            "sphc/diag/diag.h": "",
            "sphc/check/check.h": '#include "diag/diag.h"\n#include "sph/abi.h"\n',
            "hypervisor/include/sph/abi.h": "",
            "backends/x/x.c": '#include "check/check.h"\n#include "cli/cli.h"\n',
            "sphc/cli/cli.h": '#include "backends/x/x.h"\n',
            "backends/x/x.h": "",
        }
        for path, text in files.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        found = list(violations(root, [p for p in files if not p.startswith("hyp")]))
        want = ["sphc/diag/diag.c:2:", "backends/x/x.c:2:"]
        ok = len(found) == 2 and all(any(v.startswith(w) for v in found) for w in want)
        print("layers self-test:", "ok" if ok else "FAILED: %s" % found)
        return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = "."
    files = tracked(root)
    bad = list(violations(root, files))
    for v in bad:
        print(v)
    print(f"layers: {len(files)} files, {len(bad)} includes against the direction")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
