#!/usr/bin/env python3
"""jcheck.py FILE EXPR: exit 0 when EXPR (Python, with d = the parsed JSON
of FILE) is true; otherwise print what was there and exit 1."""
import json
import sys

try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
except ValueError as e:
    print(f"    not JSON: {e}", file=sys.stderr)
    sys.exit(1)
if eval(sys.argv[2], {"d": d}):
    sys.exit(0)
print(f"    expected {sys.argv[2]}; body: {json.dumps(d)[:400]}", file=sys.stderr)
sys.exit(1)
