"""The yardsticks of the benchmarks, defined once: tokens as the owners'
``../shared/tools/residual.py`` makes them, word distance, references with ``{a|b}``
alternatives (the expansion closest to the text measured is used), and candidate recall.

quality.py, real.py, pool.py and tune.py measure with these; nothing in ``src/wordfix``
does (lab equipment stays out of the library).
"""

from __future__ import annotations

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
