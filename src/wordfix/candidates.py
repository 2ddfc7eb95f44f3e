"""Stage 3: turn table matches into candidate originals for each span.

Each span gets the originals that tables give for it, inflected like the spun form
("ascertained" -> "saw", "seen"), with the channel prior of the best row and every
row that proposed it. "Keep it as it is" is always an option and is not listed here:
the decoder scores it for every span. Candidates whose wording the language model
has never seen are dropped first, then the list is shortlisted by prior.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .match import Match
from .morphology import inflect_phrase
from .tables import Row
from .tokenize import Unit, word_keys

_VOWEL_SOUND_EXCEPTIONS_AN = ("hour", "honest", "honor", "honour", "heir", "herb")
_CONSONANT_SOUND_EXCEPTIONS_A = ("uni", "use", "usu", "uti", "eu", "one", "once", "ubiq", "ura", "ure", "uro")


def article_for(word: str) -> str:
    """'a' or 'an' by the sound the word starts with (a spelling heuristic)."""
    w = word.lower()
    if w.startswith(_VOWEL_SOUND_EXCEPTIONS_AN):
        return "an"
    if w.startswith(_CONSONANT_SOUND_EXCEPTIONS_A):
        return "a"
    return "an" if w[:1] in "aeiou" else "a"


@dataclass(slots=True)
class Candidate:
    """One possible original for a span."""

    text: str  # as it should be printed (before case is re-applied)
    words: tuple[str, ...]  # normalized words, for the language model
    prior: float  # channel prior P(spinner writes the span | this original)
    relation: str
    rows: list[Row] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.rows[0].source if self.rows else "article agreement"


@dataclass(slots=True)
class Span:
    """A stretch of the unit sequence that may be spinner output, with its candidates."""

    start: int  # position in the non-space unit sequence
    end: int
    candidates: list[Candidate]
    artifact: bool = False  # some row says this is a spinner artifact


def _doc_phrases_ok(row: Row, doc_words: list[str], cache: dict) -> bool:
    for must, words in row.context:
        if words not in cache:
            n = len(words)
            cache[words] = any(tuple(doc_words[i : i + n]) == words for i in range(len(doc_words) - n + 1))
        if cache[words] != must:
            return False
    return True


def build_spans(
    matches: list[Match],
    units: list[Unit],
    seq: list[int],
    known_word,
    max_candidates: int = 10,
    protected: set[int] | None = None,
) -> list[Span]:
    """Group matches by span and make the candidate list of each span.

    ``known_word(w)`` tells whether the language model knows a word; originals with
    unknown words are dropped (the model could not judge them). Positions in
    ``protected`` are never part of a span.
    """
    lowers = [units[i].lower for i in seq]
    ctx_cache: dict = {}
    grouped: dict[tuple[int, int], dict[str, Candidate]] = {}
    for m in matches:
        if protected and any(p in protected for p in range(m.start, m.end)):
            continue
        row = m.row
        if row.context and not _doc_phrases_ok(row, lowers, ctx_cache):
            continue
        first = units[seq[m.start]]
        if row.relation != "artifact" and not first.sent_start and _is_name_like(units, seq, m):
            continue  # capitalized mid-sentence: a name, not spinner output
        text = inflect_phrase(row.original, row.pos, m.tag) if m.tag else row.original
        words = word_keys(text)
        if not words or not all(known_word(w) for w in words if w.isalpha()):
            continue
        cands = grouped.setdefault((m.start, m.end), {})
        c = cands.get(text.lower())
        if c is None:
            cands[text.lower()] = Candidate(text, words, row.weight, row.relation, [row])
        else:
            c.rows.append(row)
            if row.weight > c.prior:
                c.prior, c.relation = row.weight, row.relation
                c.rows.insert(0, c.rows.pop())
    spans = []
    for (a, b), cands in grouped.items():
        lst = sorted(cands.values(), key=lambda c: -c.prior)[:max_candidates]
        spans.append(Span(a, b, lst, any(c.relation == "artifact" for c in lst)))
    spans.sort(key=lambda s: (s.start, s.end))
    return _with_article_agreement(spans, units, seq)


def _is_name_like(units: list[Unit], seq: list[int], m: Match) -> bool:
    return any(units[seq[k]].text[:1].isupper() for k in range(m.start, m.end))


def _with_article_agreement(spans: list[Span], units: list[Unit], seq: list[int]) -> list[Span]:
    """Extend spans that follow 'a'/'an' when a candidate needs the other article:
    the spinner fixes the article after swapping ("a good pianist" -> "an honest player")."""
    out = []
    for s in spans:
        if s.start == 0 or units[seq[s.start - 1]].lower not in ("a", "an"):
            out.append(s)
            continue
        art_unit = units[seq[s.start - 1]]
        keep, extended = [], []
        for c in s.candidates:
            art = article_for(c.words[0])
            if art == art_unit.lower:
                keep.append(c)
            else:
                if art_unit.text[:1].isupper():
                    art = art.capitalize()
                extended.append(Candidate(f"{art} {c.text}", (art.lower(),) + c.words, c.prior, c.relation, c.rows))
        if keep:
            out.append(Span(s.start, s.end, keep, s.artifact))
        if extended:
            out.append(Span(s.start - 1, s.end, extended, s.artifact))
    out.sort(key=lambda s: (s.start, s.end))
    return out


def log_prior(c: Candidate) -> float:
    return math.log(c.prior)
