#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The schemas document every key with an example (or a default), and each
example and default is valid where it stands.

usage: schema-examples.py SCHEMA.json...

Editors show a key's description, default and examples on hover and
completion (yaml-language-server, VS Code's YAML extension), so a wrong
example would teach a wrong file. Every subschema under "properties" must
carry "examples" or "default"; every "examples" item and "default" must
validate against the subschema that carries it ($ref resolved in the same
file). Prints what is wrong, exit 1.
"""
import json
import sys

import jsonschema

errors = []


def walk(node, path, root, resolver, cls):
    if isinstance(node, list):
        for i, item in enumerate(node):
            walk(item, f"{path}/{i}", root, resolver, cls)
        return
    if not isinstance(node, dict):
        return
    for key in ("examples", "default"):
        if key not in node:
            continue
        values = node[key] if key == "examples" else [node[key]]
        if key == "examples" and not (isinstance(values, list) and values):
            errors.append(f"{path}: examples is not a non-empty list")
            continue
        sub = {k: v for k, v in node.items() if k not in ("examples", "default")}
        for v in values:
            try:
                cls(sub, resolver=resolver).validate(v)
            except jsonschema.ValidationError as e:
                errors.append(f"{path}: {key} {json.dumps(v)} is invalid: {e.message}")
    for name, sub in node.get("properties", {}).items():
        if isinstance(sub, dict) and "examples" not in sub and "default" not in sub:
            errors.append(f"{path}/properties/{name}: no examples and no default")
    for key, value in node.items():
        if key not in ("examples", "default", "const", "enum"):
            walk(value, f"{path}/{key}", root, resolver, cls)


for fn in sys.argv[1:]:
    root = json.load(open(fn))
    cls = jsonschema.validators.validator_for(root)
    resolver = jsonschema.RefResolver.from_schema(root)
    before = len(errors)
    walk(root, fn + "#", root, resolver, cls)
    if len(errors) == before:
        print(f"{fn}: every key has an example or a default; all are valid")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
