"""An independent way back from edits to text, for tests: not wordfix.apply_edits, which
built the Restoration's own text (comparing the two would compare a function with itself)."""

from __future__ import annotations


def rebuilt(text: str, edits) -> str:
    """``text`` with each edit's ``before`` (checked) replaced by its ``after``, by slicing."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        assert pos <= e.start <= e.end <= len(text), f"edit {e} overlaps another or leaves the text"
        assert text[e.start : e.end] == e.before, f"edit {e} does not fit the text"
        out += [text[pos : e.start], e.after]
        pos = e.end
    return "".join(out) + text[pos:]
