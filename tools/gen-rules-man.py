#!/usr/bin/env python3
"""Write man/bkgen-rules.7: man/bkgen-rules.7.in with the rule catalogue.

    tools/gen-rules-man.py BKGEN [RULES_DIR [TEMPLATE]] > man/bkgen-rules.7

The rules are read by bkgen itself (`rules list --format json` on RULES_DIR
alone, default rules/), so the page shows what the loader sees: folded YAML
text, shared language entries, validated values. The page is written to the
standard output; tests/e2e/docs.sh regenerates it and compares.

Rule text is plain prose with `code` in backticks, which becomes `.Ql`.
"""
import json
import os
import re
import subprocess
import sys

MARKER = '.\\" @RULES@'
# mdoc closing delimiters: they attach to the end of a macro's output.
CLOSING = set(".,:;)]?!")


def escape(s):
    """Backslashes as \\e; "--" kept apart so it is not taken for a dash."""
    return s.replace("\\", "\\e").replace("--", "-\\&-")


def text_line(s):
    """An escaped text line that starts with no control character."""
    return "\\&" + s if s.startswith((".", "'")) else s


def quote_arg(s):
    """A quoted macro argument: never read as a macro or a delimiter."""
    s = escape(s).replace('"', '""')
    if s and s[-1] in CLOSING:
        s += "\\&"
    return '"' + s + '"'


def sentences(text):
    """One sentence a line: break after [.!?] and before a capital."""
    return re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+(?=[A-Z])", text)


def wrap(words, lines):
    """Text lines of at most 72 bytes; a period inside a sentence that ends
    a line is not a sentence end."""
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > 72:
            lines.append(text_line(line) + ("\\&" if line[-1] in ".!?" else ""))
            line = w
        else:
            line = line + " " + w if line else w
    if line:
        lines.append(text_line(line))


def prose(text):
    """mdoc lines for prose with `code` spans: a span standing alone
    becomes .Ql (with the punctuation around it), one glued to other text
    is quoted inline."""
    lines = []
    code_re = re.compile("\x01(\\d+)\x02")
    for para_no, para in enumerate(re.split(r"\n\s*\n", text.strip())):
        if para_no:
            lines.append(".Pp")
        spans = []

        def hide(m):
            spans.append(m.group(1))
            return "\x01%d\x02" % (len(spans) - 1)

        para = re.sub(r"`([^`]*)`", hide, " ".join(para.split()))
        for sentence in sentences(para):
            words = []
            # Placeholders hold no spaces, so splitting keeps spans whole.
            for token in sentence.split(" "):
                m = re.fullmatch(r"([(\[]*)\x01(\d+)\x02([.,:;)\]?!]*)", token)
                if m:
                    wrap(words, lines)
                    words = []
                    args = list(m.group(1)) + [quote_arg(spans[int(m.group(2))])] + list(m.group(3))
                    lines.append(".Ql " + " ".join(args))
                else:
                    words.append(code_re.sub(lambda c: "\\(oq%s\\(cq" % escape(spans[int(c.group(1))]),
                                             escape(token)))
            wrap(words, lines)
    return [l for l in lines if l]


def catalogue(rules):
    width = max((r["id"] for r in rules), key=len)
    out = [
        "The rules that come with",
        ".Nm bkgen ,",
        "as",
        ".Nm bkgen rules show",
        "prints them with their examples:",
        ".Bl -column %s %s -offset indent" % (quote_arg(width), quote_arg("warning")),
        ".It Sy rule Ta Sy severity Ta Sy finds",
    ]
    for r in rules:
        out.append(".It Cm %s Ta %s Ta %s" % (r["id"], r["severity"], quote_arg(r["title"])))
    out.append(".El")
    for r in rules:
        out.append(".Ss %s" % r["id"])
        out.extend(prose(r["title"].rstrip(".") + "."))
        out.append(".Bl -tag -width %s -compact" % quote_arg("languages"))
        out.append(".It severity")
        out.append(".Cm %s" % r["severity"])
        if not r["enabled"]:
            out.append(".It enabled")
            out.append("no: off by default, on when asked")
        out.append(".It category")
        out.append(text_line(escape(r["category"])))
        out.append(".It languages")
        out.append(text_line(escape(", ".join(r["languages"]))))
        if r.get("docs"):
            out.append(".It docs")
            out.append(".Lk %s" % r["docs"])
        out.append(".El")
        out.append(".Pp")
        out.extend(prose(r["rationale"]))
        out.append(".Pp")
        out.append(".Sy Fix :")
        out.extend(prose(r["fix"]))
    return out


def main():
    if not 2 <= len(sys.argv) <= 4:
        sys.exit("usage: tools/gen-rules-man.py BKGEN [RULES_DIR [TEMPLATE]]")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rules_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "rules")
    template = sys.argv[3] if len(sys.argv) > 3 else os.path.join(root, "man", "bkgen-rules.7.in")
    listing = subprocess.run(
        [sys.argv[1], "rules", "list", "--format", "json", "--no-builtin",
         "--no-config", "--rules", rules_dir],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    rules = sorted(json.loads(listing)["rules"], key=lambda r: r["id"])
    with open(template, encoding="utf-8") as f:
        text = f.read()
    if text.count(MARKER + "\n") != 1:
        sys.exit("%s: needs exactly one line '%s'" % (template, MARKER))
    head, tail = text.split(MARKER + "\n")
    # The template's own comment block describes the template, not the page.
    head = re.sub(r"\A(?:\.\\\".*\n)+", "", head)
    sys.stdout.write('.\\" Generated by tools/gen-rules-man.py from man/bkgen-rules.7.in and\n'
                     '.\\" rules/*.yml: do not edit; run `make man`.\n')
    sys.stdout.write(head + "\n".join(catalogue(rules)) + "\n" + tail)


if __name__ == "__main__":
    main()
