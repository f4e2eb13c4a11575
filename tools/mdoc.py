"""mdoc from the plain prose bkgen's tables and rule files hold, for the
generated parts of the man pages (tools/gen-rules-man.py,
tools/gen-man-lists.py).

Prose is sentences with `code` in backticks: a span standing alone becomes
.Ql, an option span such as `--burst` becomes .Fl, a span glued to other
text is quoted inline.
"""
import re

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


def code_macro(span):
    """The macro line's start and argument for a code span: .Fl for an
    option (`--burst`), else .Ql."""
    if re.fullmatch(r"--?[a-z][a-z0-9-]*", span):
        return ".Fl", span[1:]
    return ".Ql", quote_arg(span)


def prose(text):
    """mdoc lines for prose with `code` spans: a span standing alone
    becomes .Ql or .Fl (with the punctuation around it), one glued to
    other text is quoted inline."""
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
                    macro, arg = code_macro(spans[int(m.group(2))])
                    args = list(m.group(1)) + [arg] + list(m.group(3))
                    lines.append(macro + " " + " ".join(args))
                else:
                    words.append(code_re.sub(lambda c: "\\(oq%s\\(cq" % escape(spans[int(c.group(1))]),
                                             escape(token)))
            wrap(words, lines)
    return [l for l in lines if l]
