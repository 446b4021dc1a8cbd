#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check that sphc's built-in validator and the published JSON Schemas agree.

usage: schema-drift.py SPHC_BINARY FILE...

Each YAML file is validated twice: by python-jsonschema against
schema/system.schema.json or schema/board.schema.json (a file with the key
'sphc-board' is a board), and by `sphc check`. The two agree when the file is
invalid for jsonschema exactly when sphc reports, in that file, at least one
diagnostic of a schema rule. A file that PyYAML cannot load, or where sphc
reports a YAML front-end rule, is skipped.

YAML scalars are resolved as sphc resolves them (docs/language.md), not with
PyYAML's YAML 1.1 rules: `yes` and `0o17` are strings, `0x10` and `1_000` are
integers. And a float is never an integer for sphc, though JSON Schema lets
2.0 be one.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

SCHEMA_RULES = {"unknown-key", "missing-key", "wrong-type", "out-of-range",
                "bad-value"}
FRONT_END_RULES = {"yaml-syntax", "duplicate-key", "multiple-documents",
                   "invalid-utf8", "tab-indent"}
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          os.pardir, "schema")

# A system that is valid on any board, to check board files with --board.
PROBE_SYSTEM = """\
sphc: 1
name: drift-probe
cells:
  - name: probe
    cpus: 1
    memory: [ { size: 4K } ]
"""


class SphcLoader(yaml.SafeLoader):
    """PyYAML's safe loader with sphc's plain-scalar resolution (sphc/front/yaml.c)."""

    def construct_mapping(self, node, deep=False):
        """Keys are their text, as sphc matches them (`1:` is key '1')."""
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


SphcLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag == "tag:yaml.org,2002:merge"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SphcLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""])
SphcLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
SphcLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*)$"),
    list("-+0123456789"))
SphcLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.inf|\.Inf|\.nan"
               r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+"
               r"|[0-9]+\.[0-9]*|\.[0-9]+)$"),
    list("-+0123456789."))


def construct_int(loader, node):
    """An integer as number.c reads it: decimal, 0x hex or 0b binary, with
    single '_' between digits. Other forms that look like integers (`+5`,
    `1__0`) are left to sphc's later stages: the file is skipped."""
    text = loader.construct_scalar(node)
    body = text[1:] if text.startswith("-") else text
    base, digits = 10, "0-9"
    if body[:2] in ("0x", "0X"):
        base, digits, body = 16, "0-9a-fA-F", body[2:]
    elif body[:2] in ("0b", "0B"):
        base, digits, body = 2, "01", body[2:]
    if not re.fullmatch(f"[{digits}]+(?:_[{digits}]+)*", body):
        raise ValueError(f"{text!r} is not an integer for sphc")
    value = int(body.replace("_", ""), base)
    return -value if text.startswith("-") else value


SphcLoader.add_constructor("tag:yaml.org,2002:int", construct_int)


def strict_integer(checker, instance):
    return isinstance(instance, int) and not isinstance(instance, bool)


Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", strict_integer))


def load_validators():
    validators = {}
    for kind in ("system", "board"):
        with open(os.path.join(SCHEMA_DIR, kind + ".schema.json")) as f:
            schema = json.load(f)
        Validator.check_schema(schema)
        validators[kind] = Validator(schema)
    return validators


def run_sphc(sphc, path, kind, probe):
    """The diagnostics sphc reports for @path, or None if it failed."""
    if kind == "board":
        cmd = [sphc, "check", "--board", path, probe]
    else:
        cmd = [sphc, "check", path]
    cmd.append("--diagnostics-format=json")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    try:
        diags = json.loads(proc.stdout)["diagnostics"]
    except (ValueError, KeyError, TypeError):
        print(f"{path}: sphc exited {proc.returncode} without JSON "
              f"diagnostics: {proc.stderr.decode(errors='replace').strip()}")
        return None
    real = os.path.realpath(path)
    return [d for d in diags
            if d.get("file") and os.path.realpath(d["file"]) == real]


def check_file(path, validators, sphc, probe):
    """'pass', 'fail' or 'skip', printing any disagreement."""
    try:
        with open(path, "rb") as f:
            data = yaml.load(f, Loader=SphcLoader)
    except (yaml.YAMLError, ValueError, TypeError, OSError):
        return "skip"       # TypeError: a list or mapping as a key
    kind = "board" if isinstance(data, dict) and "sphc-board" in data \
        else "system"
    error = jsonschema.exceptions.best_match(
        validators[kind].iter_errors(data))
    diags = run_sphc(sphc, path, kind, probe)
    if diags is None:
        return "fail"
    if any(d["rule"] in FRONT_END_RULES for d in diags):
        return "skip"
    found = [d for d in diags if d["rule"] in SCHEMA_RULES]
    if (error is None) != bool(found):
        return "pass"
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"{path}: jsonschema ({kind}) rejects it at {where}: "
              f"{error.message}; sphc reports no schema error")
    else:
        d = found[0]
        print(f"{path}:{d['line']}:{d['column']}: sphc reports "
              f"[{d['rule']}] {d['message']}; jsonschema ({kind}) accepts it")
    return "fail"


def main(argv):
    if len(argv) < 2:
        print("usage: schema-drift.py SPHC_BINARY FILE...", file=sys.stderr)
        return 2
    sphc, files = argv[0], argv[1:]
    validators = load_validators()
    counts = {"pass": 0, "fail": 0, "skip": 0}
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.yaml")
        with open(probe, "w") as f:
            f.write(PROBE_SYSTEM)
        for path in files:
            counts[check_file(path, validators, sphc, probe)] += 1
    summary = f"{counts['pass']} passed, {counts['fail']} failed"
    if counts["skip"]:
        summary += f", {counts['skip']} skipped"
    print(summary)
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
