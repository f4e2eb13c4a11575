#!/usr/bin/env python3
"""Build the bench corpus: real third-party source copied into one plain tree.

usage: corpus.py DEST NAME=SRCDIR...     (NAME is the top folder under DEST)

Both tools must see exactly the same files, so this drops up front what a
linter may skip on its own: hidden paths, test data, vendored copies,
generated, minified, oversized, non-UTF-8 and NUL-bearing files.
"node_modules" path parts are renamed "nm" (a walker may skip that name).
Prints a per-language summary and writes it to DEST/../corpus.tsv.
"""
import os
import re
import shutil
import sys

LANG = {".py": "python", ".go": "go", ".js": "javascript", ".mjs": "javascript",
        ".cjs": "javascript", ".ts": "typescript", ".mts": "typescript",
        ".cts": "typescript"}
SKIP_DIRS = {"testdata", "vendor", "__pycache__", "site-packages", "tokenizedata"}
MAX_BYTES = int(os.environ.get("BENCH_MAX_FILE_BYTES", "1000000"))
MAX_LINE = 1000                       # a longer line: minified or data
GENERATED = re.compile(rb"Code generated .* DO NOT EDIT|@generated|"
                       rb"DO NOT EDIT.*generated", re.I)


def keep(path, data):
    """Return None to keep the file, or the reason to drop it."""
    name = os.path.basename(path)
    if ".min." in name:
        return "minified"
    if name.endswith(".py") and name.startswith("bad"):  # badsyntax_*.py etc.
        return "bad-syntax"
    if not data or len(data) > MAX_BYTES:
        return "empty/oversized"
    if b"\0" in data:
        return "binary"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "non-utf8"
    if GENERATED.search(data[:2048]):
        return "generated"
    if max(len(line) for line in data.split(b"\n")) > MAX_LINE:
        return "minified/long-line"
    return None


def walk(top):
    for root, dirs, files in os.walk(top):
        rel = os.path.relpath(root, top)
        parts = [] if rel == "." else rel.split(os.sep)
        if "tests" in parts and "data" in parts:      # lib2to3 py2 samples
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and d not in SKIP_DIRS)
        for f in sorted(files):
            if not f.startswith(".") and os.path.splitext(f)[1] in LANG:
                yield os.path.join(root, f), parts + [f]


def main():
    dest, sources = sys.argv[1], sys.argv[2:]
    stats, dropped = {}, {}
    for spec in sources:
        top_name, src = spec.split("=", 1)
        for path, parts in walk(src):
            if os.path.islink(path):
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            why = keep(path, data)
            if why:
                dropped[why] = dropped.get(why, 0) + 1
                continue
            parts = ["nm" if p == "node_modules" else p for p in parts]
            out = os.path.join(dest, top_name, *parts)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(path, out)
            lang = LANG[os.path.splitext(path)[1]]
            n, b = stats.get(lang, (0, 0))
            stats[lang] = (n + 1, b + len(data))
    with open(os.path.join(os.path.dirname(dest.rstrip("/")), "corpus.tsv"),
              "w") as fh:
        for lang, (n, b) in sorted(stats.items()):
            fh.write(f"{lang}\t{n}\t{b}\n")
    print("dropped: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
