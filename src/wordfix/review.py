"""Editors review proposed edits before publishing: the review page, the terminal review,
and applying decisions (the commands ``wordfix review`` and ``wordfix apply`` are in
``cli/review.py`` and ``cli/apply.py``).

``wordfix review FILE -o review.html`` writes one self-contained HTML page (no network,
inline CSS and JS, works from file://) where an editor accepts or rejects each edit and
exports the accepted text and a *decisions* JSON. ``wordfix review FILE --interactive``
does the same in the terminal, one prompt per edit like ``git add -p``.
``wordfix apply FILE --decisions D.json`` applies exactly the accepted edits to FILE,
after checking that FILE is the text that was reviewed.

The decisions JSON, schema ``wordfix.decisions/1`` (the page and the terminal write the
same shape; ``apply`` reads the keys marked *)::

    {
      "schema": "wordfix.decisions/1",                 # *
      "input": {"name": str,                           # the file name, for people
                "sha256": str,                         # * hex SHA-256 of the input text as UTF-8
                "chars": int},                         # its length in characters (code points)
      "tool": str, "created": str,                     # who wrote it, when (ISO 8601, UTC)
      "threshold": float | null,                       # the page's confidence slider, if used
      "summary": {"accepted": int, "rejected": int, "undecided": int, "total": int},
      "edits": [                                       # * every proposed edit, by index
        {"index": int,                                 # * position in Restoration.edits, then
                                                       #   Restoration.withheld (see proposals)
         "start": int, "end": int,                     # * character offsets into the input
         "before": str,                                # * input[start:end]
         "proposed": str,                              # what wordfix proposed
         "after": str,                                 # * the replacement to apply if accepted
         "confidence": float, "source": str,           # as in the restoration
         "decision": "accept" | "reject" | "undecided",  # *
         "by": "hand" | "threshold" | "bulk" | "spin gate" | null}  # how it was decided
      ]
    }

When the spin gate held every edit back (the text looked clean, ``Restoration.withheld``),
the review still shows them, as suggestions that start rejected (``"by": "spin gate"``):
an editor who knows the text is spun accepts them one by one, and nothing is withheld
in silence.

``after`` differs from ``proposed`` when the editor picked another alternative or typed
a replacement. The SHA-256 is that of the file's bytes when the file is UTF-8; files are
read without newline translation, so offsets count a CRLF as two characters.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from . import __version__
from .restoration import Edit, Restoration, apply_edits

DECISIONS_SCHEMA = "wordfix.decisions/1"
ACCEPT, REJECT, UNDECIDED = "accept", "reject", "undecided"
DECISION_VALUES = (ACCEPT, REJECT, UNDECIDED)
LOW_CONFIDENCE = 0.8  # the page marks edits below this
PAGE_TEMPLATE = "review_page.html"


def text_sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` encoded as UTF-8: how a decisions file names its input."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- decisions ------------------------------------------------------------------------

GATE = "spin gate"  # ``by`` of the withheld edits' initial decision


def proposals(r: Restoration) -> tuple[Edit, ...]:
    """What a review decides on, by index: the restoration's edits, then the edits the
    spin gate withheld (which start rejected)."""
    return r.edits + r.withheld


def initial_decision(r: Restoration, index: int, e: Edit) -> Decision:
    """How edit ``index`` of ``proposals(r)`` starts: undecided, or rejected by the gate."""
    if index >= len(r.edits):
        return Decision(index, e, REJECT, by=GATE)
    return Decision(index, e)


@dataclass(frozen=True, slots=True)
class Decision:
    """What an editor decided about one edit (``index`` into
    ``proposals(r)``: the edits, then the withheld ones).

    ``after`` is the text to use when accepted: the proposed one unless the editor
    chose an alternative or typed one. ``by`` says how: "hand", "threshold", "bulk".
    """

    index: int
    edit: Edit
    decision: str = UNDECIDED
    after: str | None = None
    by: str | None = None

    @property
    def replacement(self) -> str:
        return self.edit.after if self.after is None else self.after


def decisions_document(
    r: Restoration, decisions: Iterable[Decision], *, name: str = "", tool: str = "", threshold: float | None = None
) -> dict:
    """The decisions JSON (schema ``wordfix.decisions/1``) for ``r``; edits without a
    Decision are written as undecided."""
    by_index = {d.index: d for d in decisions}
    edits = []
    for i, e in enumerate(proposals(r)):
        d = by_index.get(i) or initial_decision(r, i, e)
        edits.append(
            {
                "index": i,
                "start": e.start,
                "end": e.end,
                "before": e.before,
                "proposed": e.after,
                "after": d.replacement,
                "confidence": e.confidence,
                "source": e.source,
                "decision": d.decision,
                "by": d.by,
            }
        )
    count = {v: sum(x["decision"] == v for x in edits) for v in DECISION_VALUES}
    return {
        "schema": DECISIONS_SCHEMA,
        "input": {"name": name, "sha256": text_sha256(r.original), "chars": len(r.original)},
        "tool": tool or f"wordfix {__version__}",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "threshold": threshold,
        "summary": {
            "accepted": count[ACCEPT],
            "rejected": count[REJECT],
            "undecided": count[UNDECIDED],
            "total": len(edits),
        },
        "edits": edits,
    }


class DecisionsError(ValueError):
    """A decisions file that does not fit the text it is applied to, or is malformed."""


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of applying a decisions file: the text and what was counted."""

    text: str
    accepted: int
    rejected: int
    undecided: int


def _lone_surrogate(obj: object, depth: int = 0) -> str | None:
    """The first string inside ``obj`` holding a lone surrogate (not text), or None."""
    if isinstance(obj, str):
        return obj if _SURROGATE.search(obj) else None
    if depth > 64:
        return None
    if isinstance(obj, dict):
        obj = [*obj.keys(), *obj.values()]
    if isinstance(obj, list):
        for v in obj:
            found = _lone_surrogate(v, depth + 1)
            if found is not None:
                return found
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def apply_decisions(text: str, doc: dict, proposed: Restoration | None = None) -> Applied:
    """Apply the accepted edits of a decisions document to ``text``.

    Refuses (DecisionsError) when the document is not ``wordfix.decisions/1``, when
    ``text`` is not the reviewed input (SHA-256), or when any edit's offsets or
    ``before`` do not match ``text``: an edit that does not fit is never applied.
    With ``proposed`` (the restoration of ``text`` with the review's options), every
    edit must also be one the restorer proposed: same index, offsets, ``before`` and
    ``proposed`` text; a tampered or unknown edit is refused.
    """
    if not isinstance(doc, dict) or doc.get("schema") != DECISIONS_SCHEMA:
        found = doc.get("schema") if isinstance(doc, dict) else type(doc).__name__
        raise DecisionsError(f"not a wordfix decisions file (schema {found!r}, expected {DECISIONS_SCHEMA!r})")
    source = doc.get("input")
    want = source.get("sha256") if isinstance(source, dict) else None
    if not isinstance(want, str):
        raise DecisionsError("the decisions file does not name its input (input.sha256 is missing)")
    have = text_sha256(text)
    if want.lower() != have:
        raise DecisionsError(
            f"the text is not the one that was reviewed: its sha256 is {have[:12]}…, "
            f"the decisions were made for {want[:12]}… (was the file changed after the review?)"
        )
    entries = doc.get("edits")
    if not isinstance(entries, list):
        raise DecisionsError("the decisions file has no list of edits")
    bad = _lone_surrogate(entries)
    if bad is not None:
        raise DecisionsError(f"it holds a string with a lone surrogate, which is not text: {bad[:40]!r}")
    seen: set[int] = set()
    chosen: list[tuple[int, Edit]] = []
    counts = dict.fromkeys(DECISION_VALUES, 0)
    for n, x in enumerate(entries):
        index = x.get("index") if isinstance(x, dict) else None
        where = f"edit {index}" if isinstance(index, int) else f"entry {n} of edits"
        if not isinstance(x, dict) or not isinstance(index, int) or isinstance(index, bool):
            raise DecisionsError(f"{where} has no integer index")
        if index in seen:
            raise DecisionsError(f"edit {index} is listed twice")
        seen.add(index)
        start, end, before, after, decision = (x.get(k) for k in ("start", "end", "before", "after", "decision"))
        if decision not in DECISION_VALUES:
            raise DecisionsError(f"{where}: decision {decision!r} is not one of {', '.join(DECISION_VALUES)}")
        if not (isinstance(start, int) and isinstance(end, int) and _is_int(start) and _is_int(end)) or not (
            isinstance(before, str) and isinstance(after, str)
        ):
            raise DecisionsError(f"{where}: start, end (integers), before and after (strings) are required")
        if not 0 <= start <= end <= len(text):
            raise DecisionsError(f"{where}: offsets {start}:{end} are outside the text ({len(text)} characters)")
        if text[start:end] != before:
            raise DecisionsError(
                f"{where}: expects {before!r} at {start}:{end} but the text there is {text[start:end]!r}"
            )
        if proposed is not None:
            _check_proposed(where, index, x, proposed)
        counts[decision] += 1
        if decision == ACCEPT:
            chosen.append((index, Edit(start, end, before, after, 1.0, "review")))
    chosen.sort(key=lambda ie: ie[1].start)
    for (i, a), (j, b) in pairwise(chosen):
        if b.start < a.end:
            raise DecisionsError(f"accepted edits {i} and {j} overlap ({a.start}:{a.end} and {b.start}:{b.end})")
    return Applied(apply_edits(text, [e for _, e in chosen]), counts[ACCEPT], counts[REJECT], counts[UNDECIDED])


def _check_proposed(where: str, index: int, x: dict, proposed: Restoration) -> None:
    """Refuse an entry that is not the edit wordfix proposed at ``index``."""
    offered = proposals(proposed)
    if not 0 <= index < len(offered):
        raise DecisionsError(
            f"{where}: wordfix proposes {len(offered)} edits for this text, there is no edit {index} "
            "(was the review made with other --table/--protect options?)"
        )
    e = offered[index]
    got = (x.get("start"), x.get("end"), x.get("before"), x.get("proposed"))
    if got != (e.start, e.end, e.before, e.after):
        raise DecisionsError(
            f"{where}: it says wordfix proposed {x.get('before')!r} → {x.get('proposed')!r} at "
            f"{x.get('start')}:{x.get('end')}, but wordfix proposes {e.before!r} → {e.after!r} at {e.start}:{e.end} "
            "(the decisions file was changed, or made with other --table/--protect options)"
        )


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# -- the HTML page ----------------------------------------------------------------------


def alternative_text(e: Edit, text: str, source: str) -> str:
    """The wording an alternative puts into the text: the span itself for "keep", the
    proposed replacement for the proposed candidate, and otherwise the candidate with the
    capital letter the proposal was given (tables list originals in lower case)."""
    if source == "keep":
        return e.before
    if text.lower() == e.after.lower():
        return e.after
    letters = [c for c in e.after if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return text.upper()
    if e.after[:1].isupper() and text[:1].islower():
        return text[:1].upper() + text[1:]
    return text


def _display_order(r: Restoration) -> list[tuple[int, Edit]]:
    """Edits with their indices in input order; refuses overlapping edits."""
    order = sorted(enumerate(proposals(r)), key=lambda ie: (ie[1].start, ie[1].end))
    for (_, a), (_, b) in pairwise(order):
        if b.start < a.end:
            raise ValueError(f"edits overlap at {b.start}: {a.before!r} and {b.before!r}")
    return order


def page_data(r: Restoration, name: str = "") -> dict:
    """The JSON the page embeds: the text cut into ``segments`` between the edits (so the
    page never slices by offset, since JavaScript counts UTF-16 units, not code points),
    the edits in input order with their alternatives, and the input's identity."""
    order = _display_order(r)
    segments, pos = [], 0
    for _, e in order:
        segments.append(r.original[pos : e.start])
        pos = e.end
    segments.append(r.original[pos:])
    edits = []
    for i, e in order:
        alts = sorted(e.alternatives, key=lambda a: -a.probability)
        edits.append(
            {
                "index": i,
                "start": e.start,
                "end": e.end,
                "before": e.before,
                "after": e.after,
                "confidence": e.confidence,
                "source": e.source,
                "withheld": i >= len(r.edits),
                "alternatives": [
                    {
                        "text": a.text,
                        "apply": alternative_text(e, a.text, a.source),
                        "probability": a.probability,
                        "source": a.source,
                    }
                    for a in alts
                ],
            }
        )
    return {
        "version": __version__,
        "input": {"name": name, "sha256": text_sha256(r.original), "chars": len(r.original)},
        "stem": Path(name).stem or "text",
        "segments": segments,
        "edits": edits,
    }


def script_json(obj: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``: ``<``, ``>`` and
    ``&`` are written as ``\\u`` escapes, so no ``</script>`` or ``<!--`` can occur."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


# Characters that change how text around them is shown, or show nothing: bidi controls
# (an unterminated U+202E mirrors what follows), zero-width characters, C0 controls.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible_html(text: str) -> str:
    """``text`` escaped for HTML, every invisible or direction-changing control shown
    as a visible ``U+XXXX`` mark instead (so what an editor sees is what is applied)."""
    return _INVISIBLE.sub(
        lambda m: f'<span class="ctl" title="control character">U+{ord(m.group()):04X}</span>',
        html.escape(text, quote=False),
    )


def _document_html(r: Restoration) -> str:
    """The text as HTML, one ``<div class="line">`` per input line (so that deciding an
    edit lays out one line, not the whole text), each edit a focusable span (the first
    one in the tab order; the page moves it)."""
    out = ['<div class="line">']

    def plain(text: str) -> None:
        out.append('</div><div class="line">'.join(visible_html(line) for line in text.split("\n")))

    pos = 0
    for k, (i, e) in enumerate(_display_order(r)):
        plain(r.original[pos : e.start])
        low = " low" if e.confidence < LOW_CONFIDENCE else ""
        state = initial_decision(r, i, e).decision
        out.append(
            f'<span class="edit{low}" data-k="{k}" data-state="{state}" tabindex="{0 if k == 0 else -1}">'
            f'<del dir="auto">{visible_html(e.before)}</del><ins dir="auto">{visible_html(e.after)}</ins></span>'
        )
        pos = e.end
    plain(r.original[pos:].removesuffix("\n"))
    out.append("</div>")
    return "".join(out)


def _template() -> str:
    from importlib.resources import files

    return files(__package__).joinpath(PAGE_TEMPLATE).read_text(encoding="utf-8")


def build_page(r: Restoration, *, name: str = "", title: str | None = None) -> str:
    """The review page for ``r`` as one self-contained HTML document."""
    spin = f"Spin score {r.spin_score:.2f}" + (f": {r.spin_reason}" if r.spin_reason else "")
    if r.withheld:
        n = len(r.withheld)
        spin += (
            f" — The text looks clean (spin {r.spin_score:.2f} < {r.spin_threshold:.2f}), so {n} possible "
            f"edit{'s' if n != 1 else ''} start{'s' if n == 1 else ''} rejected: accept the ones that are right."
        )
    total = len(proposals(r))
    fields = {
        "TITLE": html.escape(title or name or "Untitled text"),
        "VERSION": html.escape(__version__),
        "SPIN": html.escape(spin),
        "COUNT": str(total),
        "UNDECIDED": str(len(r.edits)),
        "REJECTED": str(len(r.withheld)),
        "LOW": f"{LOW_CONFIDENCE:.0%}",
        "DOCUMENT": _document_html(r),
        "DATA": script_json(page_data(r, name)),
    }
    # One pass, so text inside the filled-in fields is never taken for a marker.
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: fields.get(m.group(1), m.group(0)), _template())


# -- the terminal review ------------------------------------------------------------------

HELP = """\
y - accept this edit
n - reject this edit
a - accept this edit and all the remaining ones
q - quit: reject this edit and all the remaining ones
e - type your own replacement for this span
? - print this help
"""
SHOWN_ALTERNATIVES = 5  # the terminal lists this many, most probable first
_ANSWERS = {"y": "y", "yes": "y", "n": "n", "no": "n", "a": "a", "all": "a", "q": "q", "quit": "q", "e": "e", "?": "?"}


def _paint(s: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{s}\x1b[0m" if color and s else s


def context_line(text: str, e: Edit, width: int = 70) -> tuple[str, str]:
    """The text of the edit's line before and after it, at most about ``width``
    characters each, cut at spaces and marked with an ellipsis where cut."""
    line_start = text.rfind("\n", 0, e.start) + 1
    line_end = text.find("\n", e.end)
    line_end = len(text) if line_end < 0 else line_end
    a, b = max(line_start, e.start - width), min(line_end, e.end + width)
    if a > line_start:
        space = text.find(" ", a, e.start)
        a = space + 1 if space >= 0 else a
    if b < line_end:
        space = text.rfind(" ", e.end, b)
        b = space if space >= 0 else b
    return ("…" if a > line_start else "") + text[a : e.start], text[e.end : b] + ("…" if b < line_end else "")


def _describe(r: Restoration, e: Edit, lineno: int, width: int, color: bool, withheld: bool = False) -> str:
    """What the terminal shows about one edit: where, how sure, from which table row,
    the line around it with the change marked, and the likeliest alternatives."""
    head, tail = context_line(r.original, e, width)
    mark = _paint(f"[-{e.before}-]", "31", color) + _paint(f"{{+{e.after}+}}", "32", color)
    gate = " (withheld by the spin gate: the text looked clean)" if withheld else ""
    lines = [
        _paint(f"line {lineno}: confidence {e.confidence:.1%}, {e.source}{gate}", "1", color),
        f"  {head}{mark}{tail}",
    ]
    ranked = sorted(e.alternatives, key=lambda a: -a.probability)
    if ranked:
        alts = " · ".join(
            f"{alternative_text(e, a.text, a.source)!r} {a.probability:.1%}" + (" (keep)" if a.source == "keep" else "")
            for a in ranked[:SHOWN_ALTERNATIVES]
        )
        more = len(ranked) - SHOWN_ALTERNATIVES
        lines.append(f"  alternatives: {alts}" + (f" · {more} more" if more > 0 else ""))
    return "\n".join(lines) + "\n"


def _read_answer(answers: TextIO, ui: TextIO) -> str | None:
    """One line of ``answers`` without its line end, or None at the end of input.
    Answers that do not come from a terminal are echoed, as a terminal would show them."""
    line = answers.readline()
    if not line:
        return None
    if not answers.isatty():
        ui.write(line if line.endswith("\n") else line + "\n")
    return line.rstrip("\r\n")


def interactive_review(
    r: Restoration, answers: TextIO, ui: TextIO, *, color: bool = False, width: int = 70
) -> list[Decision]:
    """Ask about each edit in input order (the withheld ones too, marked as such), reading
    answers from ``answers`` and writing to ``ui``; returns one Decision per edit. End of
    input counts as ``q``."""
    order = _display_order(r)
    decisions: dict[int, Decision] = {}
    rest: str | None = None  # "a" or "q" once the editor decided the rest at once
    line_starts = [0] + [m.end() for m in re.finditer("\n", r.original)]
    for k, (i, e) in enumerate(order):
        if rest is not None:
            decisions[i] = Decision(i, e, ACCEPT if rest == "a" else REJECT, by="bulk")
            continue
        progress = f"({k + 1}/{len(order)})"
        lineno = bisect.bisect_right(line_starts, e.start)
        ui.write(f"{progress} " + _describe(r, e, lineno, width, color, i >= len(r.edits)))
        while True:
            ui.write(_paint(f"{progress} Accept this edit [y,n,a,q,e,?]? ", "1;34", color))
            ui.flush()
            line = _read_answer(answers, ui)
            if line is None:
                ui.write("\n(end of input: rejecting this edit and the remaining ones)\n")
            answer = "q" if line is None else _ANSWERS.get(line.strip().lower())
            if answer is None or answer == "?":
                if answer is None:
                    ui.write(f"Unknown answer {(line or '').strip()!r}.\n")
                ui.write(_paint(HELP.rstrip("\n"), "1;31", color) + "\n")
                continue
            if answer == "e":
                ui.write(f"Replace {e.before!r} with (an empty line goes back): ")
                ui.flush()
                typed = _read_answer(answers, ui)
                if not typed:
                    continue
                decisions[i] = Decision(i, e, ACCEPT, typed, "hand")
            else:
                decisions[i] = Decision(i, e, ACCEPT if answer in ("y", "a") else REJECT, by="hand")
            rest = answer if answer in ("a", "q") else None
            break
        ui.write("\n")
    return [decisions[i] for i in sorted(decisions)]


def apply_review(r: Restoration, decisions: Sequence[Decision]) -> str:
    """The input with the accepted decisions applied (with their chosen replacements)."""
    return apply_edits(r.original, [replace(d.edit, after=d.replacement) for d in decisions if d.decision == ACCEPT])
