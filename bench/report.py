#!/usr/bin/env python3
"""Summarise a bench/check run.

usage: report.py RUNS.tsv CORPUS.tsv BKGEN.json ASTGREP.json
RUNS.tsv: tool, round, wall s, peak RSS KiB, CPU s (one timed run a line).
Prints per-rule finding counts, then a markdown table with medians/ratios.
"""
import collections
import json
import re
import statistics
import sys

EXT = re.compile(r"\.(py|go|m?js|cjs|m?ts|cts)$")
LANG = {"py": "python", "go": "go", "js": "javascript", "mjs": "javascript",
        "cjs": "javascript", "ts": "typescript", "mts": "typescript",
        "cts": "typescript"}
RULE_KEYS = ("rule_id", "ruleId", "rule", "check_id", "id")


def load(path):
    """JSON document, or JSON lines; None when the output is not JSON."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        try:
            return [json.loads(l) for l in text.splitlines() if l.strip()]
        except ValueError:
            return None


def findings_list(doc):
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for k in ("findings", "diagnostics", "results", "matches"):
            if isinstance(doc.get(k), list):
                return doc[k]
    return None


def first_path(x):
    """The first string anywhere in x that looks like a source path."""
    if isinstance(x, str):
        return x if EXT.search(x) else None
    vals = x.values() if isinstance(x, dict) else x if isinstance(x, list) else []
    for v in vals:
        p = first_path(v)
        if p:
            return p
    return None


def count(path):
    """{(rule, lang): n}, or None when the tool wrote no usable JSON."""
    items = findings_list(load(path))
    if items is None:
        return None
    out = collections.Counter()
    for it in items:
        rule = next((it[k] for k in RULE_KEYS if k in it), "?")
        if isinstance(rule, dict):
            rule = rule.get("id", "?")
        rule = str(rule).split(".")[0]          # ast-grep ids: rule.lang
        p = first_path(it)
        out[(rule, LANG.get(p.rsplit(".", 1)[-1], "?") if p else "?")] += 1
    return out


def scan_stats(doc, prefix=""):
    """Numeric fields about files scanned/skipped, wherever they sit."""
    if not isinstance(doc, dict):
        return {}
    out = {}
    for k, v in doc.items():
        if isinstance(v, dict):
            out.update(scan_stats(v, prefix + k + "."))
        elif isinstance(v, int) and re.search(r"file|byte|skip|scan", k, re.I):
            out[prefix + k] = v
    return out


def main():
    runs_tsv, corpus_tsv, bk_json, ag_json = sys.argv[1:5]
    corpus = [l.split("\t") for l in open(corpus_tsv).read().split("\n") if l]
    files = sum(int(n) for _, n, _ in corpus)
    mb = sum(int(b) for _, _, b in corpus) / 1e6
    counts = {"bkgen": count(bk_json), "ast-grep": count(ag_json)}

    print("\nFindings of the last run (ast-grep runs only the peers of three rules):")
    keys = sorted(set().union(*[c or {} for c in counts.values()]))
    print(f"  {'rule':<22} {'language':<11} {'bkgen':>7} {'ast-grep':>9}")
    for rule, lang in keys:
        cells = [str(c.get((rule, lang), 0)) if c is not None else "n/a"
                 for c in counts.values()]
        print(f"  {rule:<22} {lang:<11} {cells[0]:>7} {cells[1]:>9}")
    for tool, c in counts.items():
        total = sum(c.values()) if c is not None else "n/a (output is not JSON)"
        print(f"  total {tool}: {total}")
    doc = load(bk_json)
    stats = scan_stats(doc)
    if isinstance(doc, dict) and isinstance(doc.get("skipped"), list):
        why = collections.Counter(str(s.get("reason", "?")) for s in doc["skipped"]
                                  if isinstance(s, dict))
        stats.update({f"skipped[{k}]": v for k, v in sorted(why.items())})
    if stats:
        print("  bkgen scan stats: " + ", ".join(f"{k}={v}" for k, v in stats.items()))
    if counts["bkgen"] is not None and not counts["bkgen"]:
        print("  WARNING: bkgen found nothing: did it skip the corpus "
              "(e.g. as git-ignored under build/)?")

    runs = collections.defaultdict(list)
    for line in open(runs_tsv):
        tool, _, wall, rss, cpu = line.split("\t")[:5]
        runs[tool].append((float(wall), int(rss) / 1024, float(cpu)))
    med = {t: (max(statistics.median(x[0] for x in r), 1e-3),
               statistics.median(x[1] for x in r),
               statistics.median(x[2] for x in r), len(r))
           for t, r in runs.items()}
    print(f"\nCorpus: {mb:.1f} MB in {files} files ("
          + ", ".join(f"{l} {int(b) / 1e6:.1f} MB/{n}" for l, n, b in corpus) + ")\n")
    print("| tool | wall (s) | MB/s | files/s | CPU (s) | peak RSS (MB) | runs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, (w, m, c, n) in med.items():
        print(f"| {t} | {w:.2f} | {mb / w:.1f} | {files / w:.0f} | {c:.1f} "
              f"| {m:.0f} | {n} |")
    if len(med) == 2:
        (bw, bm, bc, _), (aw, am, ac, _) = med["bkgen"], med["ast-grep"]
        print(f"| ast-grep / bkgen | {aw / bw:.2f}x | | | {ac / max(bc, 0.01):.2f}x "
              f"| {am / bm:.2f}x | |")
    print("\n(medians over the runs; CPU = user + system)")


if __name__ == "__main__":
    main()
