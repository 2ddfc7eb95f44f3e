"""Stage 6: render a Restoration's changes for people and programs.

Formats: ``unified`` (line diff, like ``diff -u``), ``inline`` (word level,
``[-old-]{+new+}`` as ``git diff --word-diff``), ``side-by-side`` (changed lines in
two columns), ``json`` (schema ``wordfix.restoration/1``, see README) and ``html``.
"""

from __future__ import annotations

import difflib
import html
import re
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .restoration import Restoration

FORMATS = ("unified", "inline", "side-by-side", "json", "html")
_WORDS = re.compile(r"\S+|\s+")


def render(r: Restoration, fmt: str = "unified", *, color: bool = False, width: int = 100, name: str = "text") -> str:
    """Render ``r`` in one of FORMATS; ``color`` adds ANSI colours for terminals."""
    if fmt == "unified":
        return unified(r, name=name, color=color)
    if fmt == "inline":
        return inline(r, color=color)
    if fmt in ("side-by-side", "side"):
        return side_by_side(r, width=width)
    if fmt == "json":
        return r.to_json(indent=2)
    if fmt == "html":
        return html_fragment(r)
    raise ValueError(f"unknown diff format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _c(s: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{s}\x1b[0m" if color else s


def unified(r: Restoration, name: str = "text", color: bool = False) -> str:
    a = r.original.splitlines(keepends=True)
    b = r.text.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(a, b, f"{name} (spun)", f"{name} (restored)"):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        if color and line[:1] in "+-" and not line.startswith(("+++", "---")):
            line = _c(line.rstrip("\n"), "32" if line[0] == "+" else "31", True) + "\n"
        lines.append(line)
    return "".join(lines)


def inline(r: Restoration, color: bool = False) -> str:
    """The input with every edit shown in place as ``[-before-]{+after+}``."""
    out, pos = [], 0
    for e in sorted(r.edits, key=lambda e: e.start):
        out.append(r.original[pos : e.start])
        out.append(_c(f"[-{e.before}-]", "31", color) + _c(f"{{+{e.after}+}}", "32", color))
        pos = e.end
    out.append(r.original[pos:])
    return "".join(out)


def side_by_side(r: Restoration, width: int = 100) -> str:
    """Changed lines only, spun on the left and restored on the right, wrapped."""
    col = max(20, (width - 3) // 2)
    a, b = r.original.splitlines(), r.text.splitlines()
    rows = [f"{'spun':<{col}} | restored", f"{'-' * col}-+-{'-' * col}"]
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        left = textwrap.wrap(" ".join(a[i1:i2]), col) or [""]
        right = textwrap.wrap(" ".join(b[j1:j2]), col) or [""]
        for k in range(max(len(left), len(right))):
            lt = left[k] if k < len(left) else ""
            rt = right[k] if k < len(right) else ""
            rows.append(f"{lt:<{col}} | {rt}")
        rows.append("")
    return "\n".join(rows).rstrip() + "\n"


def html_fragment(r: Restoration) -> str:
    """The input as HTML with each edit in ``<del>``/``<ins>`` and its explanation as a title."""
    out, pos = [], 0
    for e in sorted(r.edits, key=lambda e: e.start):
        out.append(html.escape(r.original[pos : e.start]))
        tip = html.escape(f"{e.confidence:.2f} {e.source}", quote=True)
        out.append(f'<del title="{tip}">{html.escape(e.before)}</del><ins title="{tip}">{html.escape(e.after)}</ins>')
        pos = e.end
    out.append(html.escape(r.original[pos:]))
    return "".join(out)


def word_opcodes(a: str, b: str) -> list[tuple[str, str, str]]:
    """Word-level alignment of two texts with rapidfuzz: (tag, a_words, b_words) triples."""
    from rapidfuzz.distance import Levenshtein

    wa, wb = a.split(), b.split()
    return [
        (op.tag, " ".join(wa[op.src_start : op.src_end]), " ".join(wb[op.dest_start : op.dest_end]))
        for op in Levenshtein.opcodes(wa, wb)
    ]
