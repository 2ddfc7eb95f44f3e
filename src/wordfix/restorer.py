"""The pipeline: tokenize -> match tables -> candidates -> score in context -> decide -> render."""

from __future__ import annotations

import gc
import math
import re
import threading
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from .candidates import Candidate, CandidateGenerator, Span, build_spans, shortlist
from .config import Config
from .decide import Decision, decide, sentence_start_factors
from .evidence import FAMILY_FLOOR, estimate, family_factors, keep_families, span_log_ratios
from .match import content_sequence, find_matches
from .rescore import rescore
from .restoration import Alternative, Edit, Restoration, apply_edits
from .score import ContextScorer
from .tokenize import Unit, tokenize, word_keys

if TYPE_CHECKING:
    from .tables import TableIndex


def check_text(text) -> str:
    """Refuse what is not text, with a message that says what to do."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError("wordfix restores str, not bytes: decode it first, e.g. data.decode('utf-8')")
    raise TypeError(f"wordfix restores str, not {type(text).__name__}")


class Restorer:
    """Holds the loaded tables and language model; reuse one for many texts.

    ``Restorer(config)`` or ``Restorer(min_confidence=0.7, protect=["Acme"])``: keyword
    options override the config's (see :class:`wordfix.Config`). Resources load
    lazily on first use and are shared by threads.
    """

    def __init__(self, config: Config | None = None, **options):
        base = config or Config()
        self.config = base.with_options(**options) if options else base

    # -- resources ---------------------------------------------------------------
    @cached_property
    def index(self) -> TableIndex:
        from .tables import bundled_tables, load_index

        c = self.config
        paths = list(c.tables) if c.tables is not None else [str(p) for p in bundled_tables()]
        return load_index(paths + list(c.extra_tables))

    @cached_property
    def lm(self):
        from .language_model import default_ngram

        return default_ngram()

    @cached_property
    def generator(self) -> CandidateGenerator:
        return CandidateGenerator(self.index, self.lm, self.config.max_candidates)

    @cached_property
    def neural(self):
        from .neural import default_neural

        return default_neural().load()

    @cached_property
    def _protected_phrases(self) -> list[tuple[str, ...]]:
        return [k for k in (word_keys(p) for p in self.config.protect) if k]

    def warm_up(self) -> Restorer:
        """Load every resource now instead of on the first text."""
        _ = self.index, self.lm, self.generator
        tokenize("warm up")  # imports spaCy and builds the tokenizer
        if self.config.scorer == "neural":
            _ = self.neural
        return self

    # -- restoring ---------------------------------------------------------------
    def restore(self, text: str) -> Restoration:
        """Repair one text; see :class:`wordfix.Restoration` for what comes back."""
        text = check_text(text)
        if not text:
            return Restoration(text, text)
        with _gc_paused():
            return self._restore(text)

    def _restore(self, text: str) -> Restoration:
        chunks = _chunks(text, self.config.chunk_chars)
        edits: list[Edit] = []
        scores, reasons, stats = [], [], {"words": 0, "spans": 0, "spin_rate": 0.0}
        for offset, chunk in chunks:
            ch_edits, est, n_words, n_spans = self._restore_chunk(chunk)
            edits.extend(_shift(e, offset) for e in ch_edits)
            scores.append((n_words, est.probability if est else 0.0, est.rate if est else 0.0))
            reasons.append(est.reason if est else "no spans any table lists")
            stats["words"] += n_words
            stats["spans"] += n_spans
        total = sum(n for n, _, _ in scores) or 1
        spin = sum(n * p for n, p, _ in scores) / total
        stats["spin_rate"] = round(sum(n * p * r for n, p, r in scores) / total, 4)
        reason = reasons[0] if len(reasons) == 1 else f"{len(chunks)} pieces; first: {reasons[0]}"
        return Restoration(text, apply_edits(text, edits), tuple(edits), spin, reason, stats)

    __call__ = restore

    def candidates(self, text: str) -> list[tuple[int, int, str, list[str]]]:
        """Every span the tables match and its candidate originals, before scoring:
        ``(start, end, spun text, [original, ...])`` with character offsets. For
        measuring candidate recall and for debugging tables."""
        text = check_text(text)
        out = []
        for offset, chunk in _chunks(text, self.config.chunk_chars):
            units, seq, spans = self._spans(chunk)
            for s in spans:
                a, b = units[seq[s.start]].start, units[seq[s.end - 1]].end
                out.append((a + offset, b + offset, chunk[a:b], [c.text for c in s.candidates]))
        return out

    def _spans(self, text: str) -> tuple[list[Unit], list[int], list]:
        """Stages 1-3: the units of the text, its non-space sequence, and the spans with
        their candidate originals."""
        units = tokenize(text)
        seq, breaks = content_sequence(units)
        matches = find_matches(units, seq, breaks, self.index)
        return units, seq, build_spans(matches, units, seq, self.generator, self._protected_positions(units, seq))

    def _restore_chunk(self, text: str):
        c = self.config
        units, seq, spans = self._spans(text)
        n_words = sum(1 for i in seq if units[i].is_word)
        if not spans:
            return [], None, n_words, 0
        scorer = ContextScorer(self.lm, units, seq, c.length_bonus)
        sentence_start_factors(spans, units, seq)
        # Judge how spun the text is on an even sample of its spans (all of them up to
        # EVIDENCE_SPANS): a long clean text is known to be clean long before the end.
        stride = max(1, -(-len(spans) // EVIDENCE_SPANS))
        sample = spans[::stride]
        prior_logodds = math.log(c.spin_prior / (1 - c.spin_prior))
        screen = _screen(scorer, sample, c, prior_logodds, n_words)
        if screen is not None and screen.probability < c.min_spin:
            return [], screen, n_words, len(spans)
        log_ratios = span_log_ratios(scorer, sample, c.lm_weight)
        est = estimate(log_ratios, prior_logodds, n_words)
        lam = est.rate if est.probability >= c.min_spin else 0.0
        if not lam:
            return [], est, n_words, len(spans)
        families = family_factors(est.learned_share)
        # the family the document is not spun by (weight at the floor) offers nothing more
        spans = keep_families(spans, families, FAMILY_FLOOR / (1 - FAMILY_FLOOR) + 1e-9)
        if stride > 1:
            span_log_ratios(scorer, [s for s in spans if len(s.gains) != len(s.candidates)], c.lm_weight)
        decisions = decide(scorer, spans, lam, c.lm_weight, c.beam, c.type_evidence, families)
        if c.scorer == "neural" and lam:
            decisions = rescore(text, units, seq, scorer, spans, decisions, self.neural, c.neural_weight)
        edits = [self._edit(d, units, seq, text) for d in decisions if d.confidence >= c.min_confidence]
        return [e for e in edits if e.before != e.after], est, n_words, len(spans)

    def _protected_positions(self, units: list[Unit], seq: list[int]) -> set[int]:
        out: set[int] = set()
        if not self._protected_phrases:
            return out
        lowers = [units[i].lower for i in seq]
        for key in self._protected_phrases:
            n = len(key)
            for i in range(len(lowers) - n + 1):
                if tuple(lowers[i : i + n]) == key:
                    out.update(range(i, i + n))
        return out

    def _edit(self, d: Decision, units: list[Unit], seq: list[int], text: str) -> Edit:
        first, last = units[seq[d.span.start]], units[seq[d.span.end - 1]]
        before = text[first.start : last.end]
        after = recase(d.candidate, before, units, seq, d.span.start, d.span.end)
        alts = tuple(Alternative(before if src == "keep" else t, round(p, 4), src) for t, p, src in d.alternatives)
        return Edit(first.start, last.end, before, after, round(d.confidence, 4), d.candidate.source, alts)


def recase(c: Candidate, before: str, units: list[Unit], seq: list[int], a: int, b: int) -> str:
    """Give the replacement the case the original most likely had."""
    after = c.text
    letters = [ch for ch in before if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return after.upper()
    if units[seq[a]].sent_start:
        return after[:1].upper() + after[1:]
    words = [units[seq[k]].text for k in range(a, b) if units[seq[k]].is_word]
    if words and all(w[:1].isupper() for w in words):
        neighbours = [units[seq[k]] for k in (a - 1, b) if 0 <= k < len(seq) and units[seq[k]].is_word]
        if neighbours and all(u.text[:1].isupper() and not u.sent_start for u in neighbours):
            return " ".join(w[:1].upper() + w[1:] for w in after.split(" "))
    return after


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = True


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while restoring: the work allocates many
    small short-lived objects and no cycles of note, and full collections that scan
    the language model's memo cost about a third of the time. Re-enabled on exit."""
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_depth += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.enable()


def _shift(e: Edit, offset: int) -> Edit:
    if not offset:
        return e
    return Edit(e.start + offset, e.end + offset, e.before, e.after, e.confidence, e.source, e.alternatives)


_PARA = re.compile(r"\n\s*\n")


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Cut text into pieces of about `size` characters at paragraph breaks (or lines,
    or spaces), returning (offset, piece) pairs that concatenate to the text."""
    if len(text) <= size:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            window = text[pos + size // 2 : end]
            cut = None
            for m in _PARA.finditer(window):
                cut = pos + size // 2 + m.end()
            if cut is None:
                k = window.rfind("\n")
                k = k if k >= 0 else window.rfind(" ")
                cut = pos + size // 2 + k + 1 if k >= 0 else end
            end = cut
        out.append((pos, text[pos:end]))
        pos = end
    return out


EVIDENCE_SPANS = 800  # spans judged to estimate the spin of one piece of text
# Whether a text is spun at all is judged on each span's SCREEN_CANDIDATES best candidates per
# family (the fixed top 10 of before the long lists): the long lists' many weak candidates
# (Moby's above all) add up over a clean text's hundreds of spans and made a clean page of
# WordNet example sentences read as spun (log LR +11.6 against +3.4 on the top 10; four false
# edits). Clean text then also does not pay for the long lists: it is left alone after the screen.
SCREEN_CANDIDATES = 10


def _screen(scorer, sample: list, c: Config, prior_logodds: float, n_words: int):
    """The spin estimate on the top candidates of each span (None when the lists are no longer)."""
    if c.max_candidates <= SCREEN_CANDIDATES:
        return None
    short = [Span(s.start, s.end, shortlist(s.candidates, SCREEN_CANDIDATES), s.text, s.lam_factor) for s in sample]
    return estimate(span_log_ratios(scorer, short, c.lm_weight), prior_logodds, n_words)


_default: Restorer | None = None
_default_lock = threading.Lock()


def default_restorer() -> Restorer:
    """The shared Restorer with default options, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Restorer()
        return _default


def restore(text: str, **options) -> Restoration:
    """Repair spun text. With keyword options, a one-off Restorer is built."""
    if options:
        return Restorer(**options).restore(text)
    return default_restorer().restore(text)
