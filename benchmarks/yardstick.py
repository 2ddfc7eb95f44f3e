"""The yardsticks of the benchmarks, defined once: tokens as the owners'
``../shared/tools/residual.py`` makes them, word distance, references with ``{a|b}``
alternatives (the expansion closest to the text measured is used), and candidate recall.

quality.py, real.py, pool.py and tune.py measure with these; nothing in ``src/wordfix``
does (lab equipment stays out of the library).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

# Tokens exactly as ../shared/tools/residual.py makes them (lower-cased words and
# punctuation), with their character offsets.
_TOK = re.compile(r"\w+(?:'\w+)?|[^\w\s]")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for residual.py's tokens; ’ counts as ' (same length, offsets hold)."""
    low = text.replace("’", "'").lower()
    return [(m.group(), m.start(), m.end()) for m in _TOK.finditer(low)]


def words(text: str) -> list[str]:
    """Word tokens only (no punctuation), lower-case, with a/an folded: what 'the same words'
    means when comparing a candidate with the original."""
    return ["a" if t == "an" else t for t, _, _ in tokens(text) if t[0].isalnum()]


def distance(a: str, b: str) -> int:
    """Word-level edit distance on residual.py's tokens."""
    return Levenshtein.distance([t for t, _, _ in tokens(a)], [t for t, _, _ in tokens(b)])


# -- candidate recall ---------------------------------------------------------------------------
def _overlaps(a: int, b: int, s) -> bool:
    if s.start == s.end:  # words the spinner dropped: a span touching the spot counts
        return a <= s.start <= b
    return a < s.end and s.start < b


def candidate_recall(
    spun: str, subs: Sequence, cands: Sequence[tuple[int, int, str, list[str]]]
) -> list[tuple[bool, int, bool]]:
    """For each substitution (``spinner.Substitution``: ``start``, ``end``, ``before``,
    ``kind``; a/an agreement fixes excluded): (original among the candidates,
    number of candidates over the spans overlapping it, any span overlaps it).

    A candidate counts if putting it in its span's place makes the words of the span plus the
    substitution equal the original there, so spans that cover a phrase swap partly or cover
    two neighbouring substitutions at once are judged by what they would produce."""
    out = []
    for s in subs:
        if s.kind == "article":
            continue
        spans = [c for c in cands if _overlaps(c[0], c[1], s)]
        hit = False
        for a, b, _, options in spans:
            lo, hi = min(a, s.start), max(b, s.end)
            inside = [t for t in subs if _overlaps(lo, hi, t)]
            if any(t.start < lo or t.end > hi for t in inside):
                continue
            original = spun[lo:hi]
            for t in sorted(inside, key=lambda t: t.start, reverse=True):
                original = original[: t.start - lo] + t.before + original[t.end - lo :]
            want = words(original)
            if any(words(spun[lo:a] + c + spun[b:hi]) == want for c in options):
                hit = True
                break
        out.append((hit, sum(len(c[3]) for c in spans), bool(spans)))
    return out


def joint_candidate_recall(spun: str, subs: Sequence, cands: Sequence[tuple[int, int, str, list[str]]]) -> list[bool]:
    """For each substitution (a/an agreement fixes excluded, the order of ``candidate_recall``):
    whether the spans around it can restore it together, as the decoder chooses a region's
    spans jointly: some set of non-overlapping spans, each replaced by one of its candidates,
    the words between them kept, makes the words of the region equal the original's. The
    region grows from the substitution until no span or substitution crosses its edges.

    ``candidate_recall`` asks the same of one span at a time, so a block of adjacent
    substitutions that no single span covers ("phase on-screen character" for "stage actor":
    "phase" for "stage", "on-screen character" for "actor") counts as missed there; a
    substitution it counts is counted here too."""
    single = [hit for hit, _, _ in candidate_recall(spun, subs, cands)]
    todo = [t for t in subs if t.kind != "article"]
    subs = sorted(subs, key=lambda t: (t.start, t.end))
    cands = sorted(cands, key=lambda c: c[0])
    c_starts = [c[0] for c in cands]
    c_width = max((c[1] - c[0] for c in cands), default=0)
    s_starts = [t.start for t in subs]
    s_width = max((t.end - t.start for t in subs), default=0)

    def near(lo: int, hi: int) -> list:
        i, j = bisect.bisect_left(c_starts, lo - c_width), bisect.bisect_right(c_starts, hi)
        return [c for c in cands[i:j] if _overlaps(c[0], c[1], _Range(lo, hi))]

    def inside(lo: int, hi: int) -> list:
        i, j = bisect.bisect_left(s_starts, lo - s_width - 1), bisect.bisect_right(s_starts, hi)
        return [t for t in subs[i:j] if _overlaps(lo, hi, t)]

    out = []
    for s in todo:
        lo, hi = s.start, s.end
        for _ in range(JOINT_GROWTH):
            spans, within = near(lo, hi), inside(lo, hi)
            nlo = min([lo] + [c[0] for c in spans] + [t.start for t in within])
            nhi = max([hi] + [c[1] for c in spans] + [t.end for t in within])
            if (nlo, nhi) == (lo, hi):
                break
            lo, hi = nlo, nhi
        else:
            out.append(False)  # a region that keeps growing: not credited
            continue
        target = spun[lo:hi]
        for t in sorted(within, key=lambda t: t.start, reverse=True):
            target = target[: t.start - lo] + t.before + target[t.end - lo :]
        out.append(_restorable(spun, lo, hi, words(target), spans))
    return [a or b for a, b in zip(single, out, strict=True)]


JOINT_GROWTH = 6  # times a region may grow before it is given up on


class _Range:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


def _restorable(spun: str, lo: int, hi: int, want: list[str], spans: Sequence) -> bool:
    """Whether words ``want`` can be made from spun[lo:hi] by replacing some non-overlapping
    ``spans`` with one of their candidates (a search over (token, words made) states)."""
    toks = [(a + lo, b + lo) for t, a, b in tokens(spun[lo:hi]) if t[0].isalnum()]
    by_start: dict[int, list[tuple[int, list[list[str]]]]] = {}
    for a, b, _, options in spans:
        by_start.setdefault(a, []).append((b, [words(o) for o in options]))
    n, seen = len(want), set()
    stack = [(0, 0)]
    while stack:
        i, k = stack.pop()
        if (i, k) in seen:
            continue
        seen.add((i, k))
        if i == len(toks):
            if k == n:
                return True
            continue
        a, b = toks[i]
        w = words(spun[a:b])
        if want[k : k + len(w)] == w:
            stack.append((i + 1, k + len(w)))
        for end, options in by_start.get(a, ()):
            j = next((x for x in range(i, len(toks)) if toks[x][0] >= end), len(toks))
            for ow in options:
                if want[k : k + len(ow)] == ow:
                    stack.append((j, k + len(ow)))
    return False


def read_reference(path) -> str:
    """A reference text as residual.py reads it: '#' comment lines dropped, stripped."""
    with open(path, encoding="utf-8") as f:
        return "".join(line for line in f if not line.startswith("#")).strip()


def expansions(ref: str, limit: int = 4096):
    parts = re.split(r"\{([^}]*)\}", ref)
    fixed, groups = parts[0::2], [p.split("|") for p in parts[1::2]]
    for n, combo in enumerate(itertools.product(*groups)):
        if n >= limit:
            break
        yield "".join(f + (combo[i] if i < len(combo) else "") for i, f in enumerate(fixed))


def closest(hyp: str, ref: str) -> tuple[int, str]:
    """The expansion of ``ref`` nearest to ``hyp`` and its word distance (as residual.py)."""
    h = [t for t, _, _ in tokens(hyp)]
    return min(
        ((Levenshtein.distance(h, [t for t, _, _ in tokens(r)]), r) for r in expansions(ref)), key=lambda x: x[0]
    )


def config_line(config) -> str:
    """Every option of a ``wordfix.Config`` as one Markdown line, for a results file: the
    figures say which tuned numbers produced them, defaults included."""
    from dataclasses import fields

    items = ", ".join(f"{f.name}={getattr(config, f.name)!r}" for f in fields(config))
    return f"config: `{items}`"
