"""Stage 3: turn table matches into candidate originals for each span.

Each span gets the originals that tables give for it, inflected like the spun form
("ascertained" -> "saw", "seen"), with the channel prior of the best row and every
row that proposed it. "Keep it as it is" is always an option and is not listed here:
the decoder scores it for every span. Candidates whose wording the language model
has never seen are dropped first, then the list is shortlisted by prior.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .language_model import LanguageModel, lm_word
from .match import Match
from .morphology import inflect_phrase
from .score import lm_words
from .tokenize import Unit, word_keys

if TYPE_CHECKING:
    from .document import Document
    from .tables import Row, TableIndex

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


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible original for a span."""

    text: str  # as it should be printed (before case is re-applied)
    words: tuple[str, ...]  # normalized words
    prior: float  # channel prior P(spinner writes the span | this original)
    relation: str
    rows: tuple[Row, ...] = ()
    shortlist: float = 0.0  # log prior + log P_LM(original), for ranking before context
    lm: tuple[str, ...] = ()  # the words as the language model reads them
    families: tuple[float, float] = (0.0, 0.0)  # best prior among thesaurus-family rows, among learned rows
    phrase: bool = False  # a row of the phrase tables offers it (see ``phrase_candidates``)

    @property
    def source(self) -> str:
        return self.rows[0].source if self.rows else "article agreement"

    @property
    def artifact(self) -> bool:
        """Whether a row of relation ``artifact`` offers it (a wording people almost never write)."""
        return any(r.relation == "artifact" for r in self.rows)


@dataclass(slots=True)
class Span:
    """A stretch of the unit sequence that may be spinner output, with its candidates."""

    start: int  # position in the non-space unit sequence
    end: int
    candidates: list[Candidate]
    text: str = ""  # the spun words, for messages
    lam_factor: float = 1.0  # how much likelier than average a swap is here (sentence starts)
    gains: list[float] = field(default_factory=list)  # weighted LM log-ratio of each candidate vs keep
    chan: list[float] = field(default_factory=list)  # log channel prior of each candidate (decide.channel)
    keep: float = 0.0  # log probability that a unit of the span was left alone
    agreement: float = 0.0  # log factor for originals that mend "a similar interests" (see mark_agreement)

    @property
    def judged(self) -> bool:
        """Whether the evidence stage has scored every candidate (``gains`` set)."""
        return len(self.gains) == len(self.candidates)


LEARNED = "learned"  # the relation of rows learned from real pairs (``wordfix learn``)
# Curated relations keep candidates the language model does not know.
_TRUSTED = frozenset({"artifact", "phrase", "tortured", "user"})
# The relations of the phrase tables (curated.tsv, numbers.tsv): the spinner's own habits,
# each row with its evidence, one or two originals per spun phrase.
PHRASE_RELATIONS = frozenset({"phrase", "artifact"})


class CandidateGenerator:
    """Turns table keys into shortlisted candidate lists, cached per key and form.

    A word type's candidates do not depend on where it occurs, so they are built once
    per (key, part of speech, tag) and reused across spans and documents.
    """

    def __init__(
        self, index: TableIndex, lm: LanguageModel, max_candidates: int, cut_factor: float, cache_size: int = 200_000
    ):
        self.index = index
        self.lm = lm
        self.max_candidates = max_candidates
        self.cut_factor = cut_factor  # see shortlist
        self._cache: dict[tuple, tuple[list[Candidate], list[Row]]] = {}
        self._cond_cache: dict[tuple, list[Candidate]] = {}  # with_conditions, by key and conditions
        self._cache_size = cache_size

    def _lm_logp(self, words: tuple[str, ...]) -> float:
        h1 = h2 = ""
        lp = 0.0
        for w in lm_words(words):
            lp += self.lm.logp(w, h1, h2)
            h1, h2 = w, h1
        return lp

    def for_match(self, m: Match) -> tuple[list[Candidate], list[Row]]:
        """(candidates, rows with document conditions) for a match, shortlisted."""
        ck = (m.key, m.pos, m.tag)
        hit = self._cache.get(ck)
        if hit is not None:
            return hit
        grouped: dict[str, list] = {}
        conditional: list[Row] = []
        for row in self.index.get(m.key):
            if m.pos is not None and row.pos != m.pos:
                continue
            if row.context:
                conditional.append(row)
                continue
            self._add(grouped, row, m.tag)
        cands = self._finish(grouped)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[ck] = (cands, conditional)
        return cands, conditional

    def _add(self, grouped: dict[str, list], row: Row, tag: str | None) -> None:
        text = inflect_phrase(row.original, row.pos, tag, self.index.inflections) if tag else row.original
        key = text.lower()
        g = grouped.get(key)
        if g is None:
            words = word_keys(text)
            if not words:
                return
            if row.relation not in _TRUSTED and not all(self.lm.known(lm_word(w)) for w in words if w.isalpha()):
                return
            grouped[key] = [text, words, row.weight, row.relation, [row]]
        else:
            g[4].append(row)
            if row.weight > g[2]:
                g[2], g[3] = row.weight, row.relation
                g[4].insert(0, g[4].pop())

    def _finish(self, grouped: dict[str, list]) -> list[Candidate]:
        cands = [
            Candidate(
                text,
                words,
                prior,
                rel,
                tuple(rows),
                math.log(prior) + self._lm_logp(words),
                lm_words(words),
                family_priors(rows),
                any(r.relation in PHRASE_RELATIONS for r in rows),
            )
            for text, words, prior, rel, rows in grouped.values()
        ]
        return shortlist(cands, self.max_candidates, self.cut_factor)

    def with_conditions(self, cands: list[Candidate], rows: list[Row], m: Match, ok) -> list[Candidate]:
        """Add the conditional rows whose document conditions hold (``ok(row)``).

        Cached per (key, form, which conditions hold), like ``for_match``: the same
        candidate objects in every span and document, for the memos keyed by identity."""
        ck = (m.key, m.pos, m.tag, tuple([bool(ok(row)) for row in rows]))
        hit = self._cond_cache.get(ck)
        if hit is not None:
            return hit
        out = self._conditioned(cands, rows, m, ck[3])
        if len(self._cond_cache) >= self._cache_size:
            self._cond_cache.clear()
        self._cond_cache[ck] = out
        return out

    def _conditioned(self, cands: list[Candidate], rows: list[Row], m: Match, holds) -> list[Candidate]:
        grouped: dict[str, list] = {}
        for c in cands:
            grouped[c.text.lower()] = [c.text, c.words, c.prior, c.relation, list(c.rows)]
        for row, yes in zip(rows, holds, strict=True):
            if yes:
                self._add(grouped, row, m.tag)
        return self._finish(grouped)


def family_priors(rows) -> tuple[float, float]:
    """(best weight of the thesaurus-family rows, best weight of the learned rows), 0 where none."""
    a = max((r.weight for r in rows if r.relation != LEARNED), default=0.0)
    b = max((r.weight for r in rows if r.relation == LEARNED), default=0.0)
    return a, b


def shortlist(cands: list[Candidate], k: int, cut_factor: float) -> list[Candidate]:
    """The best candidates by prior and context-free language model (within ``cut_factor``
    of the best, at most ``k``: a common spun word keeps a long list and a rare one a short
    list; Config.cut_factor), counted separately for learned rows and for the thesaurus
    family: which family spun the document is only known later (``evidence``), and neither
    may crowd the other out."""
    cands = sorted(cands, key=lambda c: -c.shortlist)
    log_cut = math.log(cut_factor)
    learned = _cut(sorted(((_family_shortlist(c, 1), c) for c in cands if c.families[1]), key=_first), k, log_cut)
    other = _cut(sorted(((_family_shortlist(c, 0), c) for c in cands if c.families[0]), key=_first), k, log_cut)
    if not learned or not other:
        return learned or other
    keep = {id(c) for c in learned + other}
    return [c for c in cands if id(c) in keep]


# shortlist() by the identity of its input: a word type's candidate list is the same objects
# wherever and in whichever document it occurs (CandidateGenerator's cache), so the screen and
# merged spans shortlist the same lists again and again. Each entry holds its input, so the
# ids in its key cannot be reused by other objects while it lives.
_SHORTLISTS: dict[tuple, tuple[tuple[Candidate, ...], list[Candidate]]] = {}
_SHORTLISTS_MAX = 20_000  # about 0.6 kB an entry: ~12 MB when full


def shortlisted(cands: list[Candidate], k: int, cut_factor: float) -> list[Candidate]:
    """``shortlist(cands, k, cut_factor)``, memoised (a new list each time: callers may change it)."""
    key = (k, cut_factor, *map(id, cands))
    hit = _SHORTLISTS.get(key)
    if hit is not None:
        return list(hit[1])
    out = shortlist(cands, k, cut_factor)
    if len(_SHORTLISTS) >= _SHORTLISTS_MAX:
        _SHORTLISTS.clear()
    _SHORTLISTS[key] = (tuple(cands), out)
    return list(out)


def _first(x: tuple[float, Candidate]) -> float:
    return -x[0]


def _cut(scored: list[tuple[float, Candidate]], k: int, log_cut: float) -> list[Candidate]:
    if not scored:
        return []
    floor = scored[0][0] - log_cut
    return [c for sc, c in scored[:k] if sc >= floor]


def _family_shortlist(c: Candidate, f: int) -> float:
    return c.shortlist - math.log(c.prior) + math.log(c.families[f])


# -- what a 3-gram model cannot see: an article before a plural noun ----------------------
# Words after "a"/"an" that take a plural ("a few goals", "a lot", "a great many"): no evidence there.
QUANTITY_WORDS = frozenset(
    "few many lot lots bit little couple dozen hundred thousand million billion number great good "
    "variety range series pair host handful bunch set total majority minority".split()
)
ARTICLES = frozenset({"a", "an"})


def phrase_candidates(s: Span) -> list[int]:
    """The candidates of ``s`` (indices) that a row of the phrase tables offers, where
    neither side is a number in digits (the language model reads every one as the same
    word at a fixed probability, ``Config.num_logp``, so its gain there says little:
    "the last page first" would read better as "the last page 1st")."""
    if any(ch.isdigit() for ch in s.text):
        return []
    return [i for i, c in enumerate(s.candidates) if c.phrase and not any(ch.isdigit() for ch in c.text)]


def plural_only(word: str, index) -> bool:
    """Whether ``word`` reads only as a plural noun: an inflected plural of a noun the
    tables know ("goals", "interests"), and no table lists it as a noun of its own
    ("series", "means", "news", "data" are singular too)."""
    if len(word) < 4 or not word.isalpha():
        return False
    if not any(pos == "noun" and tag == "NNS" and len(lemma) >= 3 for lemma, pos, tag in index.analyses.get(word, ())):
        return False
    return not any(r.pos == "noun" for r in index.get((word,)) or ())


def mark_agreement(spans: list[Span], doc: Document, index, gain: float) -> None:
    """Set ``span.agreement`` where the span is an article and one word ("a similar",
    "an equivalent") right before a plural noun in the same sentence: read as it is the
    text breaks number agreement, which a 3-gram model does not notice ("similar goals"
    is common); an original without the article mends it ("the same goals"). The
    seed family writes it whenever it swaps "the same", "the other" before a plural.
    A plural used as a modifier ("an equivalent sports car") is marked too: the factor
    is evidence for the language model's side of the scale, not a decision. ``gain``:
    the factor (Config.agreement_gain; "a similar goals" is almost never written, "the
    same goals" is)."""
    units, seq = doc.units, doc.seq
    n = len(seq)
    for s in spans:
        if s.end - s.start != 2 or s.end >= n:
            continue
        first, word, nxt = units[seq[s.start]], units[seq[s.start + 1]], units[seq[s.end]]
        if first.lower not in ARTICLES or word.lower in QUANTITY_WORDS or not word.lower.isalpha():
            continue
        if nxt.is_word and not nxt.sent_start and plural_only(nxt.lower, index):
            s.agreement = gain


def mends_agreement(s: Span, c: Candidate) -> float:
    """The agreement factor (log) candidate ``c`` earns at span ``s``."""
    return s.agreement if s.agreement and c.words and c.words[0] not in ARTICLES else 0.0


def build_spans(
    matches: list[Match],
    doc: Document,
    generator: CandidateGenerator,
    protected: set[int] | None = None,
) -> list[Span]:
    """Group matches by span and make the shortlisted candidate list of each span.

    Positions in ``protected`` are never part of a span; a capitalized word in the
    middle of a sentence is taken for a name and only artifact rows apply to it.
    """
    units, seq = doc.units, doc.seq
    lowers = [units[i].lower for i in seq]
    ctx_cache: dict = {}
    grouped: dict[tuple[int, int], dict[str, Candidate]] = {}
    merged: set[tuple[int, int]] = set()  # spans several matches contributed to
    ends: dict[tuple[int, int], tuple[frozenset, frozenset]] = {}  # first and last words of one match's list
    for m in matches:
        if protected and any(p in protected for p in range(m.start, m.end)):
            continue
        cands, conditional = generator.for_match(m)
        if conditional:
            cands = generator.with_conditions(cands, conditional, m, lambda r: _doc_phrases_ok(r, lowers, ctx_cache))
        if not cands:
            continue
        if not units[seq[m.start]].sent_start and _is_name_like(units, seq, m):
            if _inside_name(units, seq, m):
                continue  # "The United Nations agency UNICEF": part of a name, not "who"
            cands = [_artifact_only(c) for c in cands if c.artifact]
            if not cands:
                continue
        key = (m.start, m.end)
        bucket = grouped.get(key)
        if bucket is None:
            grouped[key], ends[key] = _by_text(cands)
            continue
        merged.add(key)
        for c in cands:
            t = c.text.lower()
            old = bucket.get(t)
            if old is None:
                bucket[t] = c
            elif old.families != c.families:
                base = c if c.prior > old.prior else old
                fam = (max(old.families[0], c.families[0]), max(old.families[1], c.families[1]))
                bucket[t] = _with_families(base, fam)
    spans = []
    k = generator.max_candidates
    n = len(seq)
    for (a, b), bucket in grouped.items():
        before = lowers[a - 1] if a > 0 else None
        after = lowers[b] if b < n else None
        # an original never doubles its neighbour ("an an degree", "the the")
        if (a, b) in merged:  # one match's list is shortlisted already
            lst = [c for c in bucket.values() if c.words[0] != before and c.words[-1] != after]
            lst = shortlisted(lst, k, generator.cut_factor)
        else:
            firsts, lasts = ends[(a, b)]
            if before in firsts or after in lasts:
                lst = [c for c in bucket.values() if c.words[0] != before and c.words[-1] != after]
            else:  # no candidate doubles a neighbour: all of them, without looking at each
                lst = list(bucket.values())
        if not lst:
            continue
        spans.append(Span(a, b, lst))
    spans.sort(key=lambda s: (s.start, s.end))
    spans = _with_article_agreement(spans, units, seq)
    for s in spans:
        s.text = " ".join(units[seq[k]].text for k in range(s.start, s.end))
    return spans


class DerivedCandidates:
    """Candidates derived from a candidate (a copy with fewer rows, an article in front,
    other family priors), memoised by the candidate's identity and a tag.

    A word type's candidates are the same objects in every span and document
    (``CandidateGenerator``), so the copies made from them are too, and the memos
    downstream that key candidates by identity (``decide.channel``) hit. Each entry holds
    the candidate it was made from, so that its id is not reused while the entry lives;
    past ``max_entries`` the memo starts afresh."""

    __slots__ = ("_memo", "max_entries")

    def __init__(self, max_entries: int):
        self._memo: dict[tuple, tuple[Candidate, Candidate]] = {}
        self.max_entries = max_entries

    def get(self, c: Candidate, tag: object) -> Candidate | None:
        hit = self._memo.get((id(c), tag))
        return None if hit is None else hit[1]

    def put(self, c: Candidate, tag: object, derived: Candidate) -> Candidate:
        if len(self._memo) >= self.max_entries:
            self._memo.clear()
        self._memo[(id(c), tag)] = (c, derived)
        return derived


def _artifact_only(c: Candidate) -> Candidate:
    """The candidate with only its artifact rows: what a name-like span may be restored by,
    and the row its edit then names ("World Health Organization" -> "who" is the curated
    artifact, not the thesaurus's abbreviation row)."""
    if c.relation == "artifact" and all(r.relation == "artifact" for r in c.rows):
        return c
    hit = _ARTIFACT_ONLY.get(c, None)
    if hit is not None:
        return hit
    rows = tuple(sorted((r for r in c.rows if r.relation == "artifact"), key=lambda r: -r.weight))
    prior = rows[0].weight
    fam = family_priors(rows)
    out = replace(
        c,
        prior=prior,
        relation="artifact",
        rows=rows,
        shortlist=c.shortlist - math.log(c.prior) + math.log(prior),
        families=fam,
    )
    return _ARTIFACT_ONLY.put(c, None, out)


_ARTIFACT_ONLY = DerivedCandidates(10_000)


def _doc_phrases_ok(row: Row, doc_words: list[str], cache: dict) -> bool:
    """Whether the document satisfies a row's +phrase / -phrase conditions."""
    for must, words in row.context:
        if words not in cache:
            n = len(words)
            cache[words] = any(tuple(doc_words[i : i + n]) == words for i in range(len(doc_words) - n + 1))
        if cache[words] != must:
            return False
    return True


def _is_name_like(units: list[Unit], seq: list[int], m: Match) -> bool:
    """A capital letter mid-sentence: a name, unless it is only the pronoun "I" in a longer
    span or a contraction of it ("I am", "I'll"; "I" alone stays artifact-only: the
    thesaurus lists it for "one" and "iodine")."""
    texts = [units[seq[k]].text for k in range(m.start, m.end)]
    if texts == ["I"]:
        return True
    return any(t[:1].isupper() and not _pronoun_i(t) for t in texts)


def _pronoun_i(t: str) -> bool:
    return t == "I" or t[:2] in ("I'", "I’")


def _inside_name(units: list[Unit], seq: list[int], m: Match) -> bool:
    """A capitalized span next to another capitalized word (mid-sentence) is part of a
    name-like noun phrase ("the United Nations agency UNICEF", "Area Unit Director"):
    not even an artifact row applies to it. Text in capitals throughout is not."""
    letters = [c for k in range(m.start, m.end) for c in units[seq[k]].text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return False
    nxt = units[seq[m.end]] if m.end < len(seq) else None
    if nxt is not None and nxt.is_word and nxt.text[:1].isupper():
        return True
    prev = units[seq[m.start - 1]] if m.start > 0 else None
    return prev is not None and prev.is_word and prev.text[:1].isupper() and not prev.sent_start


def _with_article_agreement(spans: list[Span], units: list[Unit], seq: list[int]) -> list[Span]:
    """Extend spans that follow 'a'/'an' when a candidate needs the other article:
    the spinner fixes the article after swapping ("a good pianist" -> "an honest player")."""
    out = []
    for s in spans:
        if s.start == 0 or units[seq[s.start - 1]].lower not in ARTICLES:
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
                extended.append(_with_article(c, art))
        if keep:
            out.append(Span(s.start, s.end, keep))
        if extended:
            out.append(Span(s.start - 1, s.end, extended))
    merged: dict[tuple[int, int], Span] = {}
    for s in out:
        m = merged.get((s.start, s.end))
        if m is None:
            merged[(s.start, s.end)] = s
            continue
        have = {c.text.lower() for c in m.candidates}
        m.candidates.extend(c for c in s.candidates if c.text.lower() not in have)
    return sorted(merged.values(), key=lambda s: (s.start, s.end))


_ARTICLED = DerivedCandidates(50_000)
_REFAMILIED = DerivedCandidates(50_000)


def _with_article(c: Candidate, art: str) -> Candidate:
    """The candidate with an article in front."""
    hit = _ARTICLED.get(c, art)
    if hit is not None:
        return hit
    words = (art.lower(),) + c.words
    out = Candidate(
        f"{art} {c.text}", words, c.prior, c.relation, c.rows, c.shortlist, lm_words(words), c.families, c.phrase
    )
    return _ARTICLED.put(c, art, out)


def _with_families(c: Candidate, fam: tuple[float, float]) -> Candidate:
    """``replace(c, families=fam)``."""
    hit = _REFAMILIED.get(c, fam)
    if hit is not None:
        return hit
    return _REFAMILIED.put(c, fam, replace(c, families=fam))


_BY_TEXT: dict[tuple[int, ...], tuple[tuple[Candidate, ...], dict[str, Candidate], tuple[frozenset, frozenset]]] = {}
_BY_TEXT_MAX = 5_000  # about 2.7 kB an entry (the dict and the two sets): ~13 MB when full


def _by_text(cands: list[Candidate]) -> tuple[dict[str, Candidate], tuple[frozenset, frozenset]]:
    """``{c.text.lower(): c for c in cands}`` (a new dict each time) and the sets of the
    candidates' first and of their last words, memoised by the identities of the
    candidates; each entry holds them."""
    key = tuple(map(id, cands))
    hit = _BY_TEXT.get(key)
    if hit is not None:
        return dict(hit[1]), hit[2]
    out = {c.text.lower(): c for c in cands}
    ends = (frozenset(c.words[0] for c in out.values()), frozenset(c.words[-1] for c in out.values()))
    if len(_BY_TEXT) >= _BY_TEXT_MAX:
        _BY_TEXT.clear()
    _BY_TEXT[key] = (tuple(cands), out, ends)
    return dict(out), ends
