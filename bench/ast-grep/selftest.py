#!/usr/bin/env python3
"""Check the ast-grep peer rules against bkgen's own rule examples.

usage: bench/ast-grep/selftest.py [AST_GREP]   (after bench/check installed it)

For sql-select-star, silent-catch and http-client-timeout, every `bad`
example of rules/<id>.yml in JavaScript, TypeScript, Python and Go must get a
finding from the peer rule and every `good` one none. Needs PyYAML.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXT = {"javascript": "js", "typescript": "ts", "python": "py", "go": "go"}
RULES = ("sql-select-star", "silent-catch", "http-client-timeout")


def main():
    default = glob.glob(os.path.join(
        ROOT, "build/bench/npm-ast-grep/node_modules/@ast-grep/cli-linux-*/ast-grep"))
    ast_grep = sys.argv[1] if len(sys.argv) > 1 else (default or ["ast-grep"])[0]
    cases = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rid in RULES:
            with open(os.path.join(ROOT, "rules", rid + ".yml")) as fh:
                examples = yaml.safe_load(fh).get("examples", {})
            for lang, ex in examples.items():
                for kind in ("bad", "good") if lang in EXT else ():
                    for i, src in enumerate(ex.get(kind) or []):
                        name = f"{rid}__{lang}__{kind}{i}.{EXT[lang]}"
                        with open(os.path.join(tmp, name), "w") as fh:
                            fh.write(src + "\n")
                        cases[name] = (rid, kind, src)
        run = subprocess.run([ast_grep, "scan", "--config",
                              os.path.join(HERE, "sgconfig.yml"),
                              "--json=compact", tmp],
                             capture_output=True, text=True, check=False)
    if run.returncode > 1:
        sys.exit(f"ast-grep failed:\n{run.stderr}")
    hits = {}
    for f in json.loads(run.stdout or "[]"):
        rule = f["ruleId"].split(".")[0]
        hits.setdefault((os.path.basename(f["file"]), rule), 0)
        hits[(os.path.basename(f["file"]), rule)] += 1
    failed = 0
    for name, (rid, kind, src) in sorted(cases.items()):
        if bool(hits.get((name, rid))) != (kind == "bad"):
            failed += 1
            print(f"FAIL {name}: {src!r}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
