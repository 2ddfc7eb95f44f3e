"""Stage 6: render a Restoration's changes for people and programs.

Formats (``render(r, fmt)``, ``Restoration.diff(fmt)``, ``wordfix fix --diff-format``):

``unified``
    A line diff like ``diff -u``: ``--- text (spun)`` / ``+++ text (restored)`` headers,
    ``@@`` hunks with three lines of context. Empty when nothing changed.
``inline``
    The whole input with every edit shown in place, word level, in the notation of
    ``git diff --word-diff=plain``: ``[-removed-]{+added+}``. Words an edit leaves as
    they are stay outside the markers (``is that the`` -> ``is the`` shows as
    ``is [-that -]the``). A pure insertion shows only ``{+...+}``, a pure deletion only
    ``[-...-]``. Dropping every ``{+...+}`` and unwrapping every ``[-...-]`` gives the
    input back exactly; the other way round gives the restored text.
``side-by-side``
    Only the lines that changed, spun on the left and restored on the right, wrapped so
    that each row of the two columns covers the same words. A gutter gives the input's
    1-based line number; ``|`` between the columns marks a row that holds a change.
    Empty when nothing changed.
``json``
    The restoration as JSON, schema ``wordfix.restoration/1`` (below), with a newline.
``html``
    An HTML fragment: the input, each edit as ``<del>before</del><ins>after</ins>`` with
    its confidence and source as a tooltip. ``wordfix review`` builds the full page.

``color=True`` adds ANSI colours (red removed, green added) to the text formats; the
text between the colour codes is the same as without them.

The JSON schema ``wordfix.restoration/1`` (one object; key order is fixed; new keys may
be added in a later ``/1`` version, never removed or changed in meaning)::

    {
      "schema": "wordfix.restoration/1",
      "text": str,            # the restored text (all edits applied)
      "spin_score": float,    # 0 clean .. 1 heavily spun, 4 decimals
      "spin_reason": str,     # one sentence on why the document looks spun (or not)
      "edits": [              # in input order, non-overlapping
        {
          "start": int,       # character (code point) offset into the input, inclusive
          "end": int,         # ... exclusive; input[start:end] == before
          "before": str,      # the spun wording
          "after": str,       # its replacement
          "confidence": float,  # posterior probability of `after`, 4 decimals
          "source": str,      # the table row that proposed it: "table:line (relation)"
          "alternatives": [   # every wording weighed for the span, with probabilities
            {"text": str, "probability": float, "source": str}  # source "keep" = leave as is
          ]
        }
      ],
      "spin_threshold": float,  # the spin gate: below it only sure edits are made (0 with assume_spun)
      "withheld": [...]       # edits the gate held back (the text looked clean), as in "edits"
    }

The input itself is not repeated: ``original[start:end] == before`` and applying every
edit (``wordfix.apply_edits``) to the input gives ``text``.
"""

from __future__ import annotations

import difflib
import html
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .restoration import Edit, Restoration

FORMATS = ("unified", "inline", "side-by-side", "json", "html")
_RED, _GREEN, _CYAN = "31", "32", "36"
_WORDS = re.compile(r"\S+|\s+")


def render(r: Restoration, fmt: str = "unified", *, color: bool = False, width: int = 100, name: str = "text") -> str:
    """Render ``r`` in one of FORMATS; ``color`` adds ANSI colours for terminals."""
    if fmt == "unified":
        return unified(r, name=name, color=color)
    if fmt == "inline":
        return inline(r, color=color)
    if fmt in ("side-by-side", "side"):
        return side_by_side(r, width=width, color=color)
    if fmt == "json":
        return r.to_json(indent=2) + "\n"
    if fmt == "html":
        return html_fragment(r)
    raise ValueError(f"unknown diff format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _c(s: str, code: str, color: bool) -> str:
    """``s`` in ANSI colour ``code`` when ``color`` (and not empty), else as it is."""
    return f"\x1b[{code}m{s}\x1b[0m" if color and s else s


def _sorted(r: Restoration) -> list[Edit]:
    return sorted(r.edits, key=lambda e: e.start)


# -- word-level view of one edit ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class WordChange:
    """An edit cut at word boundaries: ``head + removed + tail`` is the old wording,
    ``head + added + tail`` the new one, and ``head``/``tail`` are the words (with their
    whitespace) that the edit leaves alone."""

    head: str
    removed: str
    added: str
    tail: str


def word_change(before: str, after: str) -> WordChange:
    """Trim the words ``before`` and ``after`` share at either end, so that a diff
    marks only the words that really changed ("is that the" -> "is the": ``that``)."""
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return WordChange("".join(a[:i]), "".join(a[i : len(a) - j]), "".join(b[i : len(b) - j]), "".join(a[len(a) - j :]))


def _marked(removed: str, added: str, color: bool) -> str:
    """``[-removed-]{+added+}``, leaving out an empty side. Whitespace an edit removes or
    adds stays inside the markers, so that the output reads back as both texts exactly."""
    return (_c(f"[-{removed}-]", _RED, color) if removed else "") + (
        _c(f"{{+{added}+}}", _GREEN, color) if added else ""
    )


# -- formats -------------------------------------------------------------------------


def unified(r: Restoration, name: str = "text", color: bool = False) -> str:
    """A ``diff -u`` of the input against the restored text, line by line."""
    a = r.original.splitlines(keepends=True)
    b = r.text.splitlines(keepends=True)
    lines = []
    # a/ and b/ prefixes, as git writes them: `git apply` and `patch -p1` take the patch
    for line in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}"):
        missing_newline = not line.endswith("\n")
        body = line.rstrip("\n")
        if color and line.startswith("@@"):
            body = _c(body, _CYAN, True)
        elif color and line[:1] in ("+", "-") and not line.startswith(("+++", "---")):
            body = _c(body, _GREEN if line[0] == "+" else _RED, True)
        lines.append(body + "\n")
        if missing_newline:
            lines.append("\\ No newline at end of file\n")
    return "".join(lines)


def inline(r: Restoration, color: bool = False) -> str:
    """The input with every edit shown in place, word level, as ``[-before-]{+after+}``."""
    out, pos = [], 0
    for e in _sorted(r):
        w = word_change(e.before, e.after)
        out += [r.original[pos : e.start], w.head, _marked(w.removed, w.added, color), w.tail]
        pos = e.end
    out.append(r.original[pos:])
    return "".join(out)


def side_by_side(r: Restoration, width: int = 100, color: bool = False) -> str:
    """Changed lines only, spun on the left and restored on the right, wrapped so that
    each row covers the same words on both sides (see the module docstring)."""
    edits = _sorted(r)
    if not edits:
        return ""
    line_starts = [0] + [m.end() for m in re.finditer("\n", r.original)]
    gutter = len(str(len(line_starts)))
    col = max(20, (width - gutter - 5) // 2)
    rows = [f"{'':>{gutter}}  {'spun':<{col}} | restored", f"{'-' * gutter}--{'-' * col}-+-{'-' * col}"]
    for first_line, block_start, block_end, block_edits in _line_blocks(r.original, edits, line_starts):
        atoms = _atoms(r.original, block_start, block_end, block_edits)
        for k, (left, right, changed) in enumerate(_co_wrap(atoms, col)):
            number = str(first_line + 1) if k == 0 else ""
            lt = "".join(_c(t, _RED, color and ch) for t, ch in left)
            rt = "".join(_c(t, _GREEN, color and ch) for t, ch in right)
            pad = " " * (col - sum(cells(t) for t, _ in left))
            rows.append(f"{number:>{gutter}}  {lt}{pad} {'|' if changed else ' '} {rt}".rstrip())
        rows.append("")
    return "\n".join(rows).rstrip() + "\n"


def _line_blocks(text: str, edits: list[Edit], line_starts: list[int]):
    """Group edits by the input lines they touch: (first line index, block start
    offset, block end offset without its newline, edits) per run of touched lines."""
    import bisect

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset) - 1

    def line_end(line: int) -> int:
        return line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)

    blocks: list[list] = []
    for e in edits:
        first, last = line_of(e.start), line_of(max(e.start, e.end - 1))
        if blocks and first <= blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], last)
            blocks[-1][2].append(e)
        else:
            blocks.append([first, last, [e]])
    return [(first, line_starts[first], line_end(last), es) for first, last, es in blocks]


@dataclass(frozen=True, slots=True)
class _Atom:
    """One word (or the changed part of an edit) as the two columns show it."""

    left: str
    right: str
    changed: bool
    space_before: bool  # whitespace separates it from the atom before it


def _atoms(text: str, start: int, end: int, edits: list[Edit]) -> list[_Atom]:
    """The words of ``text[start:end]``: an unchanged word appears on both sides, the
    changed part of an edit once as (removed, added). Whitespace runs become one space."""
    atoms: list[_Atom] = []
    space = False

    def same(s: str) -> None:
        nonlocal space
        for tok in _WORDS.findall(s):
            if tok.isspace():
                space = True
            else:
                atoms.append(_Atom(tok, tok, False, space))
                space = False

    pos = start
    for e in edits:
        same(text[pos : e.start])
        w = word_change(e.before, e.after)
        same(w.head)
        sides = [s for s in (w.removed, w.added) if s]
        space = space or all(s[:1].isspace() for s in sides)
        atoms.append(_Atom(" ".join(w.removed.split()), " ".join(w.added.split()), True, space))
        space = all(s[-1:].isspace() for s in sides)
        same(w.tail)
        pos = e.end
    same(text[pos:end])
    return atoms


def _co_wrap(atoms: list[_Atom], col: int):
    """Fill rows of two columns ``col`` wide with atoms, starting a new row when either
    side would overflow; each side is a list of (text, changed) pieces."""
    rows: list[tuple[list, list, bool]] = []
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    changed = False

    def width(side: list[tuple[str, bool]]) -> int:
        return sum(cells(t) for t, _ in side)

    def flush() -> None:
        nonlocal left, right, changed
        if left or right:
            rows.append((left, right, changed))
        left, right, changed = [], [], False

    def put(side: list[tuple[str, bool]], s: str, atom: _Atom) -> None:
        if s:
            if side and atom.space_before:
                side.append((" ", False))
            side.append((s, atom.changed))

    for atom in atoms:
        a, b = atom.left, atom.right
        if cells(a) > col or cells(b) > col:  # longer than a column: give it rows of its own
            flush()
            la, lb = _wrap_cells(a, col), _wrap_cells(b, col)
            for k in range(max(len(la), len(lb))):
                pa, pb = (la[k] if k < len(la) else ""), (lb[k] if k < len(lb) else "")
                rows.append(([(pa, atom.changed)] if pa else [], [(pb, atom.changed)] if pb else [], atom.changed))
            continue
        sep = 1 if atom.space_before else 0
        if (a and left and width(left) + sep + cells(a) > col) or (b and right and width(right) + sep + cells(b) > col):
            flush()
        put(left, a, atom)
        put(right, b, atom)
        changed = changed or atom.changed
    flush()
    return rows


def cells(s: str) -> int:
    """How many terminal cells ``s`` takes: wide (CJK, most emoji) characters take two,
    combining marks, zero-width and control characters none."""
    n = 0
    for ch in s:
        if ch.isascii():
            n += ch.isprintable()
            continue
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf", "Cc") or ch in "\u200b\u2060\ufeff":
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _wrap_cells(s: str, col: int) -> list[str]:
    """Cut ``s`` into pieces of at most ``col`` cells (at spaces where possible),
    never between a character and its combining marks."""
    out: list[str] = []
    for word in textwrap.wrap(s, col, break_on_hyphens=False) or [""]:
        piece, used = "", 0
        for ch in word:
            w = cells(ch)
            if used + w > col and piece:
                out.append(piece)
                piece, used = "", 0
            piece += ch
            used += w
        out.append(piece)
    return out or [""]


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ max-width: 52rem; margin: 1rem auto; padding: 0 1rem; font: 16px/1.6 Georgia, serif; }}
.wordfix-text {{ white-space: pre-wrap; overflow-wrap: break-word; }}
.wordfix-edit, .wordfix-edit del, .wordfix-edit ins {{ unicode-bidi: isolate; }}
del {{ color: #a31515; background: #fde7e7; }} ins {{ color: #116329; background: #e6f6ea; text-decoration: none; }}
</style>
</head>
<body>
<p>{summary}</p>
<div class="wordfix-text">{body}</div>
</body>
</html>
"""


def html_document(r: Restoration, name: str = "text") -> str:
    """A complete HTML page (doctype, UTF-8, wrapped text) of :func:`html_fragment`,
    readable when opened in a browser."""
    summary = f"{len(r.edits)} edit{'' if len(r.edits) == 1 else 's'}; spin score {r.spin_score:.2f}"
    return HTML_PAGE.format(title=html.escape(f"wordfix: {name}"), summary=html.escape(summary), body=html_fragment(r))


def html_fragment(r: Restoration) -> str:
    """The input as HTML with each edit in ``<del>``/``<ins>`` and its explanation as a title."""
    out, pos = [], 0
    for i, e in sorted(enumerate(r.edits), key=lambda ie: ie[1].start):
        out.append(html.escape(r.original[pos : e.start]))
        tip = html.escape(f"{e.confidence:.2f} {e.source}", quote=True)
        out.append(
            f'<span class="wordfix-edit" data-edit="{i}" title="{tip}">'
            f"<del>{html.escape(e.before)}</del><ins>{html.escape(e.after)}</ins></span>"
        )
        pos = e.end
    out.append(html.escape(r.original[pos:]))
    return "".join(out)
