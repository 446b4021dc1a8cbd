#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`sphc lsp` driven as an editor drives it: a scripted LSP client.

usage: tests/lsp.py SPHC

Over a pipe: initialize; open a file with a memory conflict and expect the
diagnostic sphc check gives (rule id, range, severity, the note as related
information); change it so the conflict is gone and expect the diagnostics
to clear; hover over keys for the schema's text; complete keys, board names
and device names; close; an unknown request is an error; shutdown and exit
give status 0. Then broken input (a malformed message, an oversized
Content-Length) ends the server with status 2, and the recorded session in
docs/lsp-session.txt replays. Prints "lsp: P passed, F failed".
"""
import json
import os
import subprocess
import sys
import threading

sphc = sys.argv[1]
passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}{': ' + str(detail)[:600] if detail else ''}")


class Client:
    def __init__(self):
        self.p = subprocess.Popen([sphc, "lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE)
        self.next_id = 0
        self.timer = threading.Timer(60, self.p.kill)  # never hang the suite
        self.timer.start()

    def send(self, method, params=None, request=False):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        if request:
            self.next_id += 1
            msg["id"] = self.next_id
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()
        return msg.get("id")

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        rid = self.send(method, params, request=True)
        while True:
            msg = self.read()
            if msg is None or msg.get("id") == rid:
                return msg

    def notification(self, method):
        while True:
            msg = self.read()
            if msg is None or msg.get("method") == method:
                return msg

    def close(self):
        self.p.stdin.close()
        status = self.p.wait()
        self.timer.cancel()
        return status


path = os.path.abspath("tests/bad/memory-overlap/two-cells.yaml")
uri = "file://" + path
text = open(path).read()
c = Client()
init = c.request("initialize", {"processId": None, "rootUri": None,
                                "capabilities": {}})
caps = (init or {}).get("result", {}).get("capabilities", {})
check("initialize: hover", caps.get("hoverProvider") is True, init)
check("initialize: completion", "completionProvider" in caps, init)
check("initialize: full sync", caps.get("textDocumentSync", {}).get("change") == 1, init)
c.send("initialized", {})

# A conflict: the diagnostic of sphc check, located, with its note.
c.send("textDocument/didOpen", {"textDocument": {
    "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
pub = c.notification("textDocument/publishDiagnostics")
diags = (pub or {}).get("params", {}).get("diagnostics", [])
check("didOpen publishes for the file", (pub or {}).get("params", {}).get("uri") == uri, pub)
check("one diagnostic", len(diags) == 1, diags)
if diags:
    d = diags[0]
    check("rule id as code", d.get("code") == "memory-overlap", d)
    check("severity error", d.get("severity") == 1, d)
    check("source sphc", d.get("source") == "sphc", d)
    check("range from 12:9", d["range"]["start"] == {"line": 11, "character": 8}, d)
    check("range ends after the token", d["range"]["end"]["character"] > 8, d)
    check("message as in sphc check",
          "memory of cell 'flight' [0x70000000, 0x74000000) overlaps cell 'linux'" in d.get("message", ""), d)
    rel = d.get("relatedInformation", [])
    check("note as related information",
          len(rel) == 1 and rel[0]["location"]["uri"] == uri and
          rel[0]["location"]["range"]["start"] == {"line": 7, "character": 8} and
          rel[0]["message"] == "'linux' memory declared here", rel)

# Fixed: the diagnostics clear.
fixed = text.replace("base: 0x7000_0000", "base: 0x7200_0000")
check("the fix changes the text", fixed != text)
c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                  "contentChanges": [{"text": fixed}]})
pub = c.notification("textDocument/publishDiagnostics")
check("didChange clears the diagnostics",
      pub is not None and pub["params"]["diagnostics"] == [], pub)

# Broken again, as an editor sends it mid-typing: a YAML error is located.
c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                  "contentChanges": [{"text": fixed + "  - { name: x\n"}]})
pub = c.notification("textDocument/publishDiagnostics")
codes = [d.get("code") for d in (pub or {}).get("params", {}).get("diagnostics", [])]
check("a YAML error while typing", codes == ["yaml-syntax"], pub)


def hover(line, character):
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": line, "character": character}})
    res = (r or {}).get("result")
    return res["contents"]["value"] if res else None


c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                  "contentChanges": [{"text": fixed}]})
c.notification("textDocument/publishDiagnostics")
h = hover(11, 10)  # "base" in "      - { base: 0x7200_0000, size: 64M }"
check("hover on base", h is not None and h.startswith("**base**: Physical address of the region") and
      "Examples:" in h, h)
h = hover(5, 5)  # "cpus"
check("hover on cpus", h is not None and "CPU count" in h, h)
h = hover(1, 8)  # the value of name: no key there
check("no hover on a value", h is None, h)


def line_of(doc, text):
    """The 0-based line of @doc that is @text."""
    return doc.split("\n").index(text)


def complete(doc, line, character):
    c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9},
                                      "contentChanges": [{"text": doc}]})
    c.notification("textDocument/publishDiagnostics")
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                              "position": {"line": line, "character": character}})
    return [i["label"] for i in (r or {}).get("result", {}).get("items", [])]


labels = complete(fixed.replace("board: qemu-aarch64-virt", "board: "), 2, 7)
check("board names after board:", "zcu104" in labels and "qemu-aarch64-virt" in labels, labels)
doc = fixed.replace("    cpus: 1\n    memory:\n      - { base: 0x7200_0000",
                    "    cpus: 1\n    co\n    memory:\n      - { base: 0x7200_0000")
labels = complete(doc, line_of(doc, "    co"), 6)
check("keys of a cell", "colors" in labels and "devices" in labels and "hypervisor" not in labels, labels)
labels = complete(fixed + "hy\n", line_of(fixed + "hy\n", "hy"), 2)
check("keys at the top", "hypervisor" in labels and "shared" in labels and "colors" not in labels, labels)
doc = fixed + "hypervisor:\n  me\n"
labels = complete(doc, line_of(doc, "  me"), 4)
check("keys of the hypervisor", "memory" in labels and "console" in labels and "cpus" not in labels, labels)
doc = fixed.replace("  - name: flight\n    cpus: 1\n",
                    "  - name: flight\n    cpus: 1\n    devices: [\n")
labels = complete(doc, line_of(doc, "    devices: ["), 14)
check("device names in devices:", "uart0" in labels and "virtio0" in labels, labels)

r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                    "position": {"line": -5, "character": -7}})
check("hover at a negative position", r is not None and r.get("result") is None, r)
r = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                         "position": {"line": 0, "character": -1}})
check("completion at a negative character", r is not None and "result" in r, r)
r = c.request("textDocument/definitelyNotAMethod", {})
check("unknown request is an error", (r or {}).get("error", {}).get("code") == -32601, r)
c.send("textDocument/didClose", {"textDocument": {"uri": uri}})
pub = c.notification("textDocument/publishDiagnostics")
check("didClose clears", pub is not None and pub["params"]["diagnostics"] == [], pub)
r = c.request("shutdown", None)
check("shutdown", r is not None and r.get("result") is None and "error" not in r, r)
c.send("exit")
check("exit status 0 after shutdown", c.close() == 0)

# Bad input ends the server with status 2, without hanging or crashing.
for what, data in (("malformed JSON", b"Content-Length: 5\r\n\r\n{bad}"),
                   ("oversized Content-Length", b"Content-Length: 99999999999\r\n\r\n"),
                   ("truncated body", b"Content-Length: 100\r\n\r\n{}"),
                   ("end of input without exit", b"")):
    p = subprocess.run([sphc, "lsp"], input=data, capture_output=True, timeout=30)
    check(f"{what}: exit 2", p.returncode == 2, p.returncode)
p = subprocess.run([sphc, "lsp"], input=b'Content-Length: 33\r\n\r\n{"jsonrpc":"2.0","method":"exit"}',
                   capture_output=True, timeout=30)
check("exit without shutdown: status 1", p.returncode == 1, p.returncode)

# The recorded session of the help's examples.
p = subprocess.run([sphc, "lsp"], stdin=open("docs/lsp-session.txt", "rb"),
                   capture_output=True, timeout=30)
check("docs/lsp-session.txt replays", p.returncode == 0 and b'"code":"memory-overlap"' in p.stdout,
      p.stdout[-300:])

print(f"lsp: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
