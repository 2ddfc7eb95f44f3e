"""The pipeline: tokenize -> match tables -> candidates -> score in context -> decide -> render."""

from __future__ import annotations

import collections
import gc
import math
import re
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from .candidates import Candidate, CandidateGenerator, Span, build_spans, mark_agreement, shortlisted
from .config import FORMATS, Config
from .decide import Decision, channel, decide, punctuation, sentence_start_factors
from .document import Document, read
from .evidence import (
    ASSUMED_GRID,
    LAMBDA_GRID,
    SpinEstimate,
    best_candidate,
    estimate,
    family_factors,
    judge,
    keep_families,
    span_log_ratios,
)
from .match import find_matches
from .rescore import rescore
from .restoration import Alternative, Detection, Edit, Restoration, SpanEvidence, apply_edits
from .score import ContextScorer
from .tokenize import tokenize, word_keys

if TYPE_CHECKING:
    from .language_model import LanguageModel
    from .tables import TableIndex


def check_text(text) -> str:
    """Refuse what is not text, with a message that says what to do. A ``str``
    subclass is taken as the plain ``str`` it holds (spaCy refuses subclasses)."""
    if isinstance(text, str):
        return text if type(text) is str else str.__str__(text)
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
        with _gc_paused():  # reading the compiled index makes a million objects and no cycles (-0.25 s)
            return load_index(paths + list(c.extra_tables))

    @cached_property
    def habit_originals(self) -> frozenset[tuple[str, ...]]:
        """The words the spinner's hand list rewrites: the originals of ``phrase`` rows that
        weigh at least ``Config.habit_min_weight``, not numbers in digits (see
        ``decide.channel``)."""
        return self.index.originals("phrase", self.config.habit_min_weight) if self.config.habit_rate else frozenset()

    @cached_property
    def lm(self) -> LanguageModel:
        from .language_model import ngram

        c = self.config
        return ngram(c.oov_logp, c.web_offset, c.num_logp)

    @cached_property
    def generator(self) -> CandidateGenerator:
        return CandidateGenerator(self.index, self.lm, self.config.max_candidates, self.config.cut_factor)

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
    def restore(
        self, text: str, format: str | None = None, *, fix_encoding: bool | None = None, spintax: bool | None = None
    ) -> Restoration:
        """Repair one text; see :class:`wordfix.Restoration` for what comes back.

        ``format`` ("text", "html", "markdown" or "auto"), ``fix_encoding`` and
        ``spintax`` override the config's for this text. In HTML and Markdown only
        the prose is edited, and edits keep offsets into the document.
        """
        text = check_text(text)
        c = self.config
        fmt = c.format if format is None else format
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        fix = c.fix_encoding if fix_encoding is None else fix_encoding
        if fix is None and text.isascii():
            fix = False  # no mojibake to repair
        spx = (c.spintax if spintax is None else spintax) and "{" in text
        if not text:
            return Restoration(text, text)
        with _gc_paused():
            if _SURROGATE.search(text):
                return self._restore_around_surrogates(text, fmt, fix, spx)
            if fmt == "text" and fix is False and not spx:
                return self._restore(text)
            from .markup import restore_document

            return restore_document(self, text, fmt, fix, spx)

    def _restore_around_surrogates(
        self, text: str, fmt: str = "text", fix: bool | None = False, spx: bool = False
    ) -> Restoration:
        """Lone surrogates (``"\\ud800"``, from JSON escapes or ``surrogateescape``) are
        not words and cannot be encoded: restore the text with each one read as U+FFFD,
        then put them back; no edit ever touches one."""
        masked = _SURROGATE.sub("\ufffd", text)
        if fmt == "text" and fix is False and not spx:
            r = self._restore(masked)
        else:
            from .markup import restore_document

            r = restore_document(self, masked, fmt, fix, spx)
        edits = tuple(e for e in r.edits if not _SURROGATE.search(text[e.start : e.end]))
        held = tuple(e for e in r.withheld if not _SURROGATE.search(text[e.start : e.end]))
        return replace(r, original=text, text=apply_edits(text, list(edits)), edits=edits, withheld=held)

    def _restore(self, text: str) -> Restoration:
        edits, withheld, spin, reason, stats = self._restore_text(text)
        return Restoration(
            text,
            apply_edits(text, edits),
            tuple(edits),
            spin,
            reason,
            stats,
            withheld=tuple(withheld),
            spin_threshold=self.spin_threshold,
        )

    @property
    def spin_threshold(self) -> float:
        """The spin gate a Restoration reports (0 with assume_spun)."""
        return 0.0 if self.config.assume_spun else self.config.min_spin

    def _restore_text(
        self, text: str, protected: Sequence[tuple[int, int]] = ()
    ) -> tuple[list[Edit], list[Edit], float, str, dict]:
        """The pipeline on one text: its edits, the edits the spin gate withheld, spin
        score, reason and stats. No word
        overlapping a ``protected`` character range (sorted ``(start, end)`` pairs) is
        ever part of a span: the model reads it, nothing edits it."""
        chunks = _chunks(text, self.config.chunk_chars)
        edits: list[Edit] = []
        withheld: list[Edit] = []
        scores, reasons, stats = [], [], {"words": 0, "spans": 0, "spin_rate": 0.0}
        for offset, chunk in chunks:
            prot = [
                (max(a, offset) - offset, min(b, offset + len(chunk)) - offset)
                for a, b in protected
                if a < offset + len(chunk) and b > offset
            ]
            piece = self._restore_chunk(chunk, prot)
            est, n_words = piece.estimate, piece.words
            edits.extend(_shift(e, offset) for e in piece.edits)
            withheld.extend(_shift(e, offset) for e in piece.withheld)
            scores.append((n_words, est.probability if est else 0.0, est.rate if est else 0.0))
            reason = est.reason if est else "no spans any table lists"
            if piece.promoted:
                reason += "; below the spin gate, but judged spun by the spinner's habits in it (phrase-table edits)"
                stats["promoted"] = stats.get("promoted", 0) + 1
            reasons.append(reason)
            stats["words"] += n_words
            stats["spans"] += piece.spans
        total = sum(n for n, _, _ in scores) or 1
        spin = sum(n * p for n, p, _ in scores) / total
        stats["spin_rate"] = round(sum(n * p * r for n, p, r in scores) / total, 4)
        reason = reasons[0] if len(reasons) == 1 else f"{len(chunks)} pieces; first: {reasons[0]}"
        return edits, withheld, spin, reason, stats

    def detect(self, text: str) -> Detection:
        """How likely the text is spinner output, with the evidence, without restoring it:
        stages 1-4 only (tokenize, match, candidates, the document's spin estimate)."""
        text = check_text(text)
        if not text:
            return Detection(0.0, 0.0, 0.0, 0, (), "empty text", self.config.detect_threshold)
        with _gc_paused():
            parts: list[tuple[int, SpinEstimate | None, list, int, Document]] = []
            for offset, chunk in _chunks(text, self.config.chunk_chars):
                doc, spans = self._spans(chunk)
                n_words = doc.n_words
                if not spans:
                    parts.append((n_words, None, [], offset, doc))
                    continue
                screen = self._judge_sample(doc, spans, n_words).gate()  # judged as restore judges it
                parts.append((n_words, screen.estimate, screen.log_ratios, offset, doc))
        total = sum(p[0] for p in parts) or 1
        prob = sum(n * (e.probability if e else 0.0) for n, e, *_ in parts) / total
        rate = sum(n * (e.rate if e else 0.0) for n, e, *_ in parts) / total
        share = sum(n * (e.learned_share if e else 0.0) for n, e, *_ in parts) / total
        evidence = []
        for _, part, log_ratios, offset, doc in parts:
            if part is None:
                continue
            fa, fb = family_factors(part.learned_share)
            for la, lb, s in log_ratios:
                lr = math.log(max(1e-300, fa * math.exp(la) + fb * math.exp(lb)))
                if lr <= 0:
                    continue
                a, b = doc.chars(s.start, s.end)
                evidence.append(SpanEvidence(a + offset, b + offset, s.text, best_candidate(s).text, round(lr, 3)))
        evidence.sort(key=lambda e: -e.log_ratio)
        reasons = [e.reason for _, e, *_ in parts if e is not None] or ["no spans any table lists"]
        lls = [[e.log_lrs[k] for _, e, *_ in parts if e is not None and e.log_lrs[k] > -math.inf] for k in (0, 1)]
        return Detection(
            prob,
            rate,
            share,
            total if parts else 0,
            tuple(evidence[:DETECT_EVIDENCE]),
            reasons[0],
            self.config.detect_threshold,
            tuple(round(sum(v), 4) if v else None for v in lls),  # type: ignore[arg-type]
        )

    __call__ = restore

    def candidates(self, text: str) -> list[tuple[int, int, str, list[str]]]:
        """Every span the tables match and its candidate originals, before scoring:
        ``(start, end, spun text, [original, ...])`` with character offsets. For
        measuring candidate recall and for debugging tables."""
        text = check_text(text)
        out = []
        for offset, chunk in _chunks(text, self.config.chunk_chars):
            doc, spans = self._spans(chunk)
            for s in spans:
                a, b = doc.chars(s.start, s.end)
                out.append((a + offset, b + offset, chunk[a:b], [c.text for c in s.candidates]))
        if self.config.fix_encoding is not False and not text.isascii():  # mojibake repairs are candidates too
            from .encoding import encoding_edits

            out.extend((e.start, e.end, e.before, [e.after]) for e in encoding_edits(text))
            out.sort(key=lambda x: (x[0], x[1]))
        return out

    def _spans(self, text: str, protected: Sequence[tuple[int, int]] = ()) -> tuple[Document, list[Span]]:
        """Stages 1-3: the text read into a Document, and the spans with their candidate
        originals."""
        doc = read(text)
        matches = find_matches(doc, self.index)
        positions = self._protected_positions(doc)
        if protected:
            positions |= _positions_in(doc, protected)
        spans = build_spans(matches, doc, self.generator, positions)
        mark_agreement(spans, doc, self.index, self.config.agreement_gain)
        return doc, spans

    def _restore_chunk(self, text: str, protected: Sequence[tuple[int, int]] = ()) -> _Piece:
        """The pipeline on one piece of text, stage by stage. The stages annotate the spans
        they are given (``lam_factor``, ``gains``, ``keep`` and ``chan``: see ``Span``) and
        return what they find."""
        c = self.config
        doc, spans = self._spans(text, protected)  # 1-3: tokenize, match tables, candidates
        n_words = doc.n_words
        if not spans:
            return _Piece([], [], None, n_words, 0)
        sample = self._judge_sample(doc, spans, n_words)  # 4a: the gate, on an even sample
        if sample.screen is not None and sample.screen.probability < c.withheld_from and not c.assume_spun:
            return _Piece([], [], sample.screen.estimate, n_words, len(spans))  # clearly clean: done
        spin = self._spin(sample, n_words)  # 4b: the spin rate the decoder works at
        if not spin.rate:
            return _Piece([], [], spin.estimate, n_words, len(spans))
        # the family the document is not spun by (weight at the floor) offers nothing more
        spans = keep_families(spans, spin.families, c.family_floor / (1 - c.family_floor) + 1e-9)
        if sample.stride > 1:  # 4c: every candidate the sample left out, scored in context
            judge(sample.scorer, [s for s in spans if not s.judged], c.lm_weight)
        phrase_extra = c.phrase_lm_weight / c.lm_weight - 1.0 if c.lm_weight > 0 else 0.0
        present = frozenset(w for w in sample.scorer.lmw if w) if c.present_gain else frozenset()
        channel(
            spans,
            spin.rate,
            c.type_evidence,
            spin.families,
            c.lam_max,
            c.type_pseudo,
            phrase_extra,
            present,
            c.present_gain,
            c.habit_rate if spin.judged_spun else 0.0,
            self.habit_originals,
        )  # 5a
        punctuation(spans, doc, c.comma_weight)
        decisions = decide(sample.scorer, spans, c.lm_weight, c.beam, c.prune_margin, c.prune_keep)  # 5b: decode
        if c.scorer == "neural" and not spin.withheld:  # 5c: the uncertain ones again
            decisions = rescore(
                doc,
                sample.scorer,
                spans,
                decisions,
                self.neural,
                c.neural_weight,
                certain=c.neural_certain,
                options=c.neural_options,
                prefix_words=c.neural_prefix_words,
                suffix_words=c.neural_suffix_words,
                prune_margin=c.prune_margin,
                prune_keep=c.prune_keep,
            )
        decided = self._edits(decisions, doc)  # 6: the edits, recased
        if spin.withheld:
            return self._below_gate(decided, spin, n_words, len(spans))
        return _Piece([e for _, e in decided], [], spin.estimate, n_words, len(spans))

    def _below_gate(self, decided: list[tuple[Decision, Edit]], spin: _Spin, n_words: int, n_spans: int) -> _Piece:
        """The edits of a text the gate holds back: in a short one (``sure_max_words``) the
        sure edits are made; if it has one, or habit edits (``habit_confidence``) of two
        different wordings (clean prose repeats "within the"), the text is judged spun by
        them and its edits at ``promoted_min_confidence`` are made too. The rest are
        withheld."""
        c = self.config
        if n_words > c.sure_max_words:
            return _Piece([], [e for _, e in decided], spin.estimate, n_words, n_spans)
        edits = [e for _, e in decided]
        habit = [_is_habit(d, e) for d, e in decided]
        sure = [h and e.confidence >= c.sure_confidence for h, e in zip(habit, edits, strict=True)]
        habits = [e for h, e in zip(habit, edits, strict=True) if h and e.confidence >= c.habit_confidence]
        strong = {e.before.lower() for e in habits}  # different wordings
        promoted = (any(sure) or len(strong) >= 2) and c.promoted_min_confidence <= 1.0
        make = sure
        if promoted:
            floor = max(c.min_confidence, c.promoted_min_confidence)
            make = [f or e.confidence >= floor for f, e in zip(sure, edits, strict=True)]
        made = [e for m, e in zip(make, edits, strict=True) if m]
        held = [e for m, e in zip(make, edits, strict=True) if not m]
        return _Piece(made, held, spin.estimate, n_words, n_spans, promoted and bool(made))

    def _judge_sample(self, doc: Document, spans: list[Span], n_words: int) -> _Sample:
        """Stage 4a, for ``restore`` and ``detect`` alike: how spun the text is, judged on
        an even sample of its spans (all of them up to ``evidence_spans``: a long clean text
        is known to be clean long before the end) and on each span's top candidates
        (``_screen``: clearly clean text stops there, before the long lists are read)."""
        c = self.config
        scorer = ContextScorer(self.lm, doc, c.length_bonus)
        sentence_start_factors(spans, doc, c.lower_start, c.upper_start)
        stride = max(1, -(-len(spans) // c.evidence_spans))
        sample = spans[::stride]
        screen = _screen(scorer, sample, c, self._priors, n_words)
        return _Sample(scorer, sample, stride, screen, n_words, c)

    @property
    def _priors(self) -> tuple[float, float]:
        return self.config.spin_prior, self.config.learned_spin_prior

    def _spin(self, sample: _Sample, n_words: int) -> _Spin:
        """Stage 4b: the spin estimate on every candidate of the sample, the gate's verdict
        (the screen's, when there is one) and the rate the decoder works at."""
        c = self.config
        gains = _screened_gains(sample.screen)
        log_ratios = _log_ratios(sample.scorer, sample.spans, c, gains)
        grid = ASSUMED_GRID if c.assume_spun else LAMBDA_GRID  # the user says it is spun: it may be little
        est = estimate(log_ratios, self._priors, n_words, c.family_floor, grid)
        gate = sample.screen.estimate if sample.screen is not None else est
        lam = est.rate if gate.probability >= c.min_spin or c.assume_spun else 0.0
        withheld = not lam and gate.probability >= c.withheld_from
        if withheld:  # what the gate holds back, so that nothing is withheld in silence
            lam = est.rate
        est = replace(est, probability=gate.probability, learned_share=gate.learned_share, reason=gate.reason)
        return _Spin(est, lam, withheld, family_factors(est.learned_share), gate.probability >= c.min_spin)

    def _edits(self, decisions: list[Decision], doc: Document) -> list[tuple[Decision, Edit]]:
        """Stage 6: the decisions as edits, each with its decision, judged on the
        confidence an edit reports (rounded, so min_confidence=1.0 keeps the 1.0s;
        ``weak_min_confidence`` for an edit whose rows are all of the ``weak_tables`` or of
        their relations named there); none that changes nothing."""
        c = self.config
        weak, floor = frozenset(c.weak_tables), max(c.min_confidence, c.weak_min_confidence)
        out = []
        for d in decisions:
            e = self._edit(d, doc)
            rows = d.candidate.rows
            weakly = bool(rows) and all(r.table in weak or f"{r.table} ({r.relation})" in weak for r in rows)
            if e.before != e.after and e.confidence >= (floor if weakly else c.min_confidence):
                out.append((d, e))
        return out

    def _protected_positions(self, doc: Document) -> set[int]:
        out: set[int] = set()
        if not self._protected_phrases:
            return out
        units, seq = doc.units, doc.seq
        lowers = [units[i].lower for i in seq]
        for key in self._protected_phrases:
            n = len(key)
            for i in range(len(lowers) - n + 1):
                if tuple(lowers[i : i + n]) == key:
                    out.update(range(i, i + n))
        return out

    def _edit(self, d: Decision, doc: Document) -> Edit:
        start, end = doc.chars(d.span.start, d.span.end)
        before = doc.text[start:end]
        after = recase(d.candidate, before, doc, d.span.start, d.span.end)
        alts = tuple(Alternative(before if src == "keep" else t, round(p, 4), src) for t, p, src in d.alternatives)
        return Edit(start, end, before, after, round(d.confidence, 4), d.candidate.source, alts)


def recase(c: Candidate, before: str, doc: Document, a: int, b: int) -> str:
    """Give the replacement (positions ``a`` to ``b`` of ``doc.seq``, spelled ``before``
    in the text) the case the original most likely had."""
    units, seq = doc.units, doc.seq
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
    the language model's memo cost about a third of the time (clean prose 16,000 ->
    24,000 words/s on 2 cores). The pause is the whole interpreter's: it ends when the
    last restoring call in any thread does, and GC is re-enabled only if it was on
    before (see README, Quality and speed)."""
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


def _is_habit(d: Decision, e: Edit) -> bool:
    """Whether an edit the gate holds back is one of the spinner's habits: a phrase-table
    row (the spinner's own closed-class swaps: "the opposite" for "the other", "the
    foremost" for "the most"), not an artifact row (its legitimate uses are what the gate
    is for), and not an original that only drops words of the span (the language model
    prefers a shorter wording anywhere: "is often" → "is"). At ``sure_confidence`` it is a
    sure edit, made in a short text even below the gate: a pasted paragraph of 40 words is
    rarely judged spun as a whole, but such a span says enough on its own; at
    ``habit_confidence``, two of them judge the text spun (``Restorer._below_gate``;
    benchmarks/sure.py measures both)."""
    return (
        d.candidate.phrase
        and not d.candidate.artifact
        and not _only_drops(e.before.lower().split(), e.after.lower().split())
    )


def _only_drops(before: list[str], after: list[str]) -> bool:
    """Whether ``after`` is ``before`` with some words left out."""
    it = iter(before)
    return len(after) < len(before) and all(w in it for w in after)


def _positions_in(doc: Document, ranges: Sequence[tuple[int, int]]) -> set[int]:
    """Positions in ``doc.seq`` whose unit overlaps one of the sorted character ranges."""
    units, seq = doc.units, doc.seq
    out: set[int] = set()
    j = 0
    for k, i in enumerate(seq):
        u = units[i]
        while j < len(ranges) and ranges[j][1] <= u.start:
            j += 1
        if j == len(ranges):
            break
        if ranges[j][0] < u.end:
            out.add(k)
    return out


def _shift(e: Edit, offset: int) -> Edit:
    if not offset:
        return e
    return Edit(e.start + offset, e.end + offset, e.before, e.after, e.confidence, e.source, e.alternatives)


_SURROGATE = re.compile("[\ud800-\udfff]")
_PARA = re.compile(r"(?:\r\n|\r|\n)\s*(?:\r\n|\r|\n)")


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Cut text into pieces of about `size` characters at paragraph breaks (or lines,
    or spaces), returning (offset, piece) pairs that concatenate to the text."""
    if len(text) <= size:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = chunk_end(text, pos, size)
        out.append((pos, text[pos:end]))
        pos = end
    return out


def chunk_end(text: str, pos: int, size: int) -> int:
    """Where the piece starting at ``pos`` ends. It depends only on ``text[pos : pos +
    size + 1]`` (whether the text goes on past ``pos + size``), so a stream cut with
    this function gives the same pieces as the whole text (see the CLI's streaming)."""
    end = min(len(text), pos + size)
    if end >= len(text):
        return end
    window = text[pos + size // 2 : end]
    cut = None
    for m in _PARA.finditer(window):
        cut = pos + size // 2 + m.end()
    if cut is None:
        k = max(window.rfind("\n"), window.rfind("\r"))
        k = k if k >= 0 else window.rfind(" ")
        cut = pos + size // 2 + k + 1 if k >= 0 else end
    return cut


DETECT_EVIDENCE = 10  # strongest spans a Detection lists
# Whether a text is spun at all is judged on each span's Config.screen_candidates best candidates
# per family (the fixed top 10 of before the long lists): the long lists' many weak candidates
# (Moby's above all) add up over a clean text's hundreds of spans and made a clean page of
# WordNet example sentences read as spun (log LR +11.6 against +3.4 on the top 10; four false
# edits). Clean text then also does not pay for the long lists: it is left alone after the screen.
# The priors (spin_prior, learned_spin_prior) were set on this screen.


@dataclass
class _Screen:
    """The spin estimate on the top candidates of each span of the sample."""

    estimate: SpinEstimate
    log_ratios: list[tuple[float, float, Span]]
    spans: list[Span]  # the screened copies, with their gains
    originals: list[Span]

    @property
    def probability(self) -> float:
        return self.estimate.probability


@dataclass
class _Sample:
    """Stage 4a's result: the scorer, the sample of spans the document is judged on, and
    the screen (None when the candidate lists are no longer than the screen's)."""

    scorer: ContextScorer
    spans: list[Span]
    stride: int  # every stride-th span is in the sample
    screen: _Screen | None
    n_words: int
    config: Config

    def gate(self) -> _Screen:
        """What the gate reads: the screen, or the sample judged whole when there is none."""
        if self.screen is not None:
            return self.screen
        c = self.config
        log_ratios = _log_ratios(self.scorer, self.spans, c, None)
        est = estimate(log_ratios, (c.spin_prior, c.learned_spin_prior), self.n_words, c.family_floor, LAMBDA_GRID)
        return _Screen(est, log_ratios, self.spans, self.spans)


@dataclass
class _Spin:
    """Stage 4b's result."""

    estimate: SpinEstimate  # with the gate's probability, family share and reason
    rate: float  # the spin rate λ the decoder works at (0: nothing is decoded)
    withheld: bool  # below the gate: the edits are listed as withheld, not made
    families: tuple[float, float]  # prior factors of the two spinner families (family_factors)
    judged_spun: bool  # the gate's own verdict (not assume_spun): the habits' rate applies (Config.habit_rate)


class _Piece(NamedTuple):
    """What the pipeline gives for one piece of text."""

    edits: list[Edit]
    withheld: list[Edit]
    estimate: SpinEstimate | None  # None: no span any table lists
    words: int
    spans: int
    promoted: bool = False  # below the gate, but judged spun by the spinner's habits in it (_below_gate)


def _log_ratios(scorer, spans: list[Span], c: Config, known: dict[tuple[int, int], float] | None) -> list:
    """``span_log_ratios`` with the configured language-model weight and caps on what one span says."""
    return span_log_ratios(
        scorer, spans, c.lm_weight, known, c.max_log_r, c.max_artifact_log_r, c.signature_gain, c.signature_min_log_r
    )


def _screen(scorer, sample: list, c: Config, priors: tuple[float, float], n_words: int) -> _Screen | None:
    """The spin estimate on the top candidates of each span (None when the lists are no longer)."""
    if c.max_candidates <= c.screen_candidates:
        return None
    short = _screen_spans(sample, c.screen_candidates, c.cut_factor)
    log_ratios = _log_ratios(scorer, short, c, None)
    return _Screen(estimate(log_ratios, priors, n_words, c.family_floor, LAMBDA_GRID), log_ratios, short, sample)


def _screen_spans(spans: list[Span], k: int, cut_factor: float) -> list[Span]:
    """Copies of the spans with each family's ``k`` best candidates."""
    return [
        Span(s.start, s.end, shortlisted(s.candidates, k, cut_factor), s.text, s.lam_factor, agreement=s.agreement)
        for s in spans
    ]


def _screened_gains(screen: _Screen | None) -> dict[tuple[int, int], float] | None:
    """The gains the screen computed, by (id of the span, id of the candidate): not scored twice."""
    if screen is None:
        return None
    out = {}
    for o, t in zip(screen.originals, screen.spans, strict=True):
        for cand, g in zip(t.candidates, t.gains, strict=True):
            out[(id(o), id(cand))] = g
    return out


_default: Restorer | None = None
_default_lock = threading.Lock()


def default_restorer() -> Restorer:
    """The shared Restorer with default options, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Restorer()
        return _default


CACHED_RESTORERS = 4  # Restorers kept for wordfix.restore/detect with options (least recently used dropped)
_cached: collections.OrderedDict[Config, Restorer] = collections.OrderedDict()
_cached_lock = threading.Lock()


def cached_restorer(**options) -> Restorer:
    """The Restorer for these options, shared by all calls with the same options (the
    CACHED_RESTORERS most recently used are kept; no options or the defaults: the
    default Restorer). Building one costs little; its resources load on first use."""
    config = Config().with_options(**options)  # unknown or bad options raise here
    if config == Config():
        return default_restorer()
    try:
        hash(config)
    except TypeError:  # an unhashable value Config does not normalise: a one-off Restorer
        return Restorer(config)
    with _cached_lock:
        r = _cached.get(config)
        if r is None:
            r = _cached[config] = Restorer(config)
            while len(_cached) > CACHED_RESTORERS:
                _cached.popitem(last=False)
        else:
            _cached.move_to_end(config)
        return r


def detect(text: str, **options) -> Detection:
    """How likely a text is spinner output (calibrated probability) and why; see
    :meth:`Restorer.detect`. With options, the Restorer for them is reused across calls."""
    return (cached_restorer(**options) if options else default_restorer()).detect(text)


def restore(
    text: str, format: str | None = None, *, fix_encoding: bool | None = None, spintax: bool | None = None, **options
) -> Restoration:
    """Repair spun text. ``format``, ``fix_encoding`` and ``spintax`` are per call (see
    :meth:`Restorer.restore`); other keyword options choose the Restorer, which is
    reused by later calls with the same options (:func:`cached_restorer`)."""
    r = cached_restorer(**options) if options else default_restorer()
    return r.restore(text, format, fix_encoding=fix_encoding, spintax=spintax)
