#!/usr/bin/env python3
"""Regenerate the lists in a man page that come from bkgen's own tables.

    tools/gen-man-lists.py BKGEN PAGE > NEW_PAGE

A generated list stands between two comment lines of the page,

    .\\" @BEGIN KIND@ ...
    .\\" @END KIND@

and everything between them (but the comment lines right after @BEGIN)
is replaced by the list the binary gives for KIND; the rest of the page is
copied as it is. Kinds:

    plan-rules     the rules of bkgen explain (`bkgen rules list -f json`,
                   those whose languages are ["explain"]): id, title,
                   severity and threshold
    probe-checks   the checks of bkgen probe, in run order
                   (`bkgen probe --list -f json`): name and doc

`make man` rewrites man/bkgen-explain.1 and man/bkgen-probe.1 with it;
tests/e2e/docs.sh regenerates them and compares.
"""
import json
import re
import subprocess
import sys

from mdoc import prose

BEGIN = re.compile(r'^\.\\" @BEGIN ([a-z-]+)@')


def bkgen_json(bkgen, *args):
    out = subprocess.run([bkgen, *args], check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def plan_rules(bkgen):
    rules = bkgen_json(bkgen, "rules", "list", "--format", "json", "--no-config")["rules"]
    out = [".Bl -tag -width Ds"]
    for r in rules:
        if r["languages"] != ["explain"]:
            continue
        if not r.get("threshold"):
            sys.exit("gen-man-lists: explain rule %s has no threshold" % r["id"])
        title = r["title"][:1].upper() + r["title"][1:]
        out.append(".It Sy %s" % r["id"])
        out.extend(prose("%s (%s): %s." % (title, r["severity"], r["threshold"])))
    out.append(".El")
    if len(out) == 2:
        sys.exit("gen-man-lists: `bkgen rules list` shows no explain rules")
    return out


def probe_checks(bkgen):
    checks = bkgen_json(bkgen, "probe", "--list", "--format", "json")["checks"]
    out = [".Bl -tag -width Ds"]
    for c in checks:
        out.append(".It Cm %s" % c["name"])
        out.extend(prose(c["doc"]))
    out.append(".El")
    if len(out) == 2:
        sys.exit("gen-man-lists: `bkgen probe --list` shows no checks")
    return out


KINDS = {"plan-rules": plan_rules, "probe-checks": probe_checks}


def regenerate(bkgen, lines, path):
    """The page's lines with each list regenerated; the comment lines right
    after a @BEGIN line belong to it and stay."""
    out, kind, heading = [], None, False
    for no, line in enumerate(lines, 1):
        m = BEGIN.match(line)
        end = kind is not None and line.startswith('.\\" @END %s@' % kind)
        if kind is not None and heading and line.startswith('.\\"') and not m and not end:
            out.append(line)
            continue
        if kind is not None and heading:
            heading = False
            out.extend(KINDS[kind](bkgen))
        if kind is None:
            out.append(line)
            if m:
                if m.group(1) not in KINDS:
                    sys.exit("%s:%d: unknown list '%s' (known: %s)" %
                             (path, no, m.group(1), ", ".join(sorted(KINDS))))
                kind, heading = m.group(1), True
        elif end:
            out.append(line)
            kind = None
        elif m:
            sys.exit("%s:%d: @BEGIN %s@ inside the list '%s'" % (path, no, m.group(1), kind))
    if kind is not None:
        sys.exit("%s: the list '%s' has no '.\\\" @END %s@' line" % (path, kind, kind))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tools/gen-man-lists.py BKGEN PAGE > NEW_PAGE")
    bkgen, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not any(BEGIN.match(line) for line in lines):
        sys.exit("%s: no generated list ('.\\\" @BEGIN KIND@')" % path)
    sys.stdout.write("\n".join(regenerate(bkgen, lines, path)))


if __name__ == "__main__":
    main()
