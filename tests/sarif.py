#!/usr/bin/python3
"""SARIF output against the official SARIF 2.1.0 JSON schema.

For every corpus case (tests/bad, tests/good) and every example, run
`sphc check --diagnostics-format=sarif` (with the case's `# args:`, and
`build` for `# command: build`), validate
stdout against the OASIS schema that tests/fetch-sarif-schema.sh fetched
(draft-04, with format checks: uri, uri-reference), and check that the
results say what `--diagnostics-format=json` says: same rule ids, levels,
messages, locations and related locations, and that each ruleIndex points
at its rule in the driver's rules.

usage: tests/sarif.py SPHC SCHEMA [FILE...]
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

import jsonschema


def cases():
    files = glob.glob("tests/bad/**/*.yaml", recursive=True)
    files += glob.glob("tests/good/**/*.yaml", recursive=True)
    files = [f for f in files if not f.endswith(".board.yaml")]
    return sorted(files) + sorted(glob.glob("examples/*/system.yaml"))


def case_args(path):
    """The command (check, or build for `# command: build`) and arguments."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    args = []
    for m in re.finditer(r"^# args: (.*)$", text, re.M):
        args += m.group(1).split()
    build = re.search(r"^# command: build$", text, re.M)
    return ["build"] + args if build else ["check"] + args


def run(sphc, fmt, args, path):
    with tempfile.TemporaryDirectory() as d:
        out = ["-o", os.path.join(d, "out")] if args[0] == "build" else []
        p = subprocess.run([sphc, args[0], "--diagnostics-format=" + fmt] +
                           args[1:] + [path] + out, capture_output=True,
                           env={"NO_COLOR": "1"})
    return p.returncode, p.stdout.decode("utf-8")


def loc_of(physical):
    uri = physical["artifactLocation"]["uri"]
    region = physical.get("region", {})
    return (urllib.parse.unquote(uri), region.get("startLine", 0),
            region.get("startColumn", 0))


def compare(sarif, diags):
    """Differences between the SARIF log and the JSON diagnostics."""
    problems = []
    run0 = sarif["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    results = run0["results"]
    if len(results) != len(diags):
        return ["%d results, %d diagnostics" % (len(results), len(diags))]
    for r, d in zip(results, diags):
        where = "result for %s:%s" % (d["line"], d["column"])
        if r["ruleId"] != d["rule"]:
            problems.append("%s: ruleId %s, rule %s" % (where, r["ruleId"],
                                                         d["rule"]))
        if "ruleIndex" in r and rules[r["ruleIndex"]]["id"] != r["ruleId"]:
            problems.append("%s: ruleIndex points at %s" %
                            (where, rules[r["ruleIndex"]]["id"]))
        if r["level"] != d["severity"]:
            problems.append("%s: level %s, severity %s" % (where, r["level"],
                                                            d["severity"]))
        if r["message"]["text"] != d["message"]:
            problems.append("%s: message differs" % where)
        want = (d["file"] or "sphc", d["line"] or 0,
                d["column"] if d["line"] else 0)
        if loc_of(r["locations"][0]["physicalLocation"]) != want:
            problems.append("%s: location %s" % (
                where, loc_of(r["locations"][0]["physicalLocation"])))
        related = [(loc_of(x["physicalLocation"]), x["message"]["text"])
                   for x in r.get("relatedLocations", [])]
        want_rel = [((n["file"], n["line"], n["column"]), n["message"])
                    for n in d["related"]]
        if related != want_rel:
            problems.append("%s: related locations differ" % where)
    return problems


def main():
    sphc, schema_path = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.FormatChecker())
    passed = failed = 0
    for path in sys.argv[3:] or cases():
        args = case_args(path)
        status, out = run(sphc, "sarif", args, path)
        problems = []
        try:
            sarif = json.loads(out)
        except ValueError as e:
            sarif = None
            problems.append("stdout is not JSON (exit %d): %s" % (status, e))
        if sarif is not None:
            for e in sorted(validator.iter_errors(sarif), key=str):
                problems.append("schema: %s at /%s" % (
                    e.message, "/".join(str(p) for p in e.absolute_path)))
            jstatus, jout = run(sphc, "json", args, path)
            if jstatus != status:
                problems.append("exit %d, json exit %d" % (status, jstatus))
            try:
                problems += compare(sarif, json.loads(jout)["diagnostics"])
            except (KeyError, IndexError, TypeError, ValueError) as e:
                problems.append("cannot compare with json: %r" % e)
        if problems:
            failed += 1
            print("FAIL: %s" % path)
            for p in problems[:10]:
                print("    " + p)
        else:
            passed += 1
    print("sarif: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
