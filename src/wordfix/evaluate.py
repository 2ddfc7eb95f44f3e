"""Measure restoration against a known original: the yardsticks the benchmarks use.

Texts are compared as lower-cased word/punctuation tokens (as the project's
``residual.py`` does). An original may mark uncertain spots as ``{a|b}``; the
expansion closest to the text being measured is used.

* residual = distance(restored, original) / distance(spun, original)
  (1.0 nothing repaired, 0.0 fully restored, above 1.0 made worse)
* edit outcomes: whether each edit's output now matches the original there
* candidate recall: the share of the spinner's substitutions whose original is
  among the candidates wordfix generated for that place
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]")


def tokens(s: str) -> list[str]:
    return TOKEN.findall(s.replace("’", "'").lower())


def token_spans(s: str) -> list[tuple[int, int]]:
    s = s.replace("’", "'")
    return [(m.start(), m.end()) for m in TOKEN.finditer(s)]


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


def closest_reference(hyp: str, ref: str) -> tuple[int, str]:
    """(distance, expansion) of ``ref`` closest to ``hyp`` in tokens."""
    h = tokens(hyp)
    return min(((Levenshtein.distance(h, tokens(r)), r) for r in expansions(ref)), key=lambda x: x[0])


def residual(spun: str, original: str, restored: str) -> tuple[int, int, float]:
    """(damage before, damage after, residual ratio)."""
    d0, _ = closest_reference(spun, original)
    d1, _ = closest_reference(restored, original)
    return d0, d1, d1 / max(d0, 1)


def edit_outcomes(spun: str, restored: str, edits, original: str) -> list[bool]:
    """For each edit (in order of position), whether the words it wrote match the
    original once restored text and original are aligned."""
    _, ref = closest_reference(restored, original)
    h, r = tokens(restored), tokens(ref)
    ok = [False] * len(h)
    for op in Levenshtein.opcodes(h, r):
        if op.tag == "equal":
            for i in range(op.src_start, op.src_end):
                ok[i] = True
    spans = token_spans(restored)
    out, shift = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        a = e.start + shift
        b = a + len(e.after)
        shift += len(e.after) - (e.end - e.start)
        idx = [i for i, (s, t) in enumerate(spans) if s < b and t > a]
        out.append(bool(idx) and all(ok[i] for i in idx))
    return out


@dataclass(frozen=True)
class Substitution:
    start: int  # character offsets in the spun text
    end: int
    spun: str
    original: str


def substitutions(spun: str, original: str) -> list[Substitution]:
    """The spinner's substitutions, from a word alignment of spun and original text.
    Replacements of equal length are split word by word."""
    _, ref = closest_reference(spun, original)
    s_tok, r_tok = tokens(spun), tokens(ref)
    spans = token_spans(spun)
    out = []
    for op in Levenshtein.opcodes(s_tok, r_tok):
        if op.tag != "replace":
            continue
        n_s, n_r = op.src_end - op.src_start, op.dest_end - op.dest_start
        pairs = (
            [
                ((i, i + 1), (j, j + 1))
                for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True)
            ]
            if n_s == n_r
            else [((op.src_start, op.src_end), (op.dest_start, op.dest_end))]
        )
        for (i, j), (k, m) in pairs:
            a, b = spans[i][0], spans[j - 1][1]
            out.append(Substitution(a, b, spun[a:b], " ".join(r_tok[k:m])))
    return out


def candidate_recall(candidates, subs: list[Substitution]) -> tuple[float, list[int], list[Substitution]]:
    """Share of substitutions whose original some overlapping span offers.

    ``candidates`` is ``Restorer.candidates(spun)``. A substitution is covered when a
    span overlapping it has a candidate whose tokens contain the original's tokens.
    Returns (recall, candidate-list sizes of the covering spans, missed substitutions).
    """
    covered, sizes, missed = 0, [], []
    for sub in subs:
        want = tokens(sub.original)
        hit = False
        for a, b, _, cands in candidates:
            if a < sub.end and b > sub.start:
                sizes.append(len(cands))
                for c in cands:
                    ct = tokens(c)
                    if any(ct[i : i + len(want)] == want for i in range(len(ct) - len(want) + 1)):
                        hit = True
        covered += hit
        if not hit:
            missed.append(sub)
    return covered / max(len(subs), 1), sizes, missed
