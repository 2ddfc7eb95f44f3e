"""Stage 5: decide which spans to restore, jointly, as a noisy channel.

For a span s and an original w the decoder weighs

    P_LM(… w …) · λ · P(s | w)     against     P_LM(… s …) · (1 − λ)

where λ is the document's spin rate (see ``evidence``), adjusted where the text
itself says more: at sentence starts (the spinner lower-cases what it swaps) and for
word types that occur several times (the spinner maps a word the same way each
time, so what the other occurrences say counts). Neighbouring spans are decoded
together (Viterbi over the 3-gram states, beam-pruned), since swaps cluster: "a
similar sense of humor, a similar goals". With a 3-gram model two untouched words in
a row cut all dependencies, so the text splits into small independent regions. Each
chosen edit gets a confidence: its posterior against keeping the span and the span's
other candidates, with the rest of the decoded text fixed.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from operator import is_
from typing import TYPE_CHECKING

from .candidates import Candidate, Span, mends_agreement, phrase_candidates
from .score import ContextScorer, State
from .tokenize import word_keys

if TYPE_CHECKING:
    from .document import Document


@dataclass(slots=True)
class Decision:
    span: Span
    candidate: Candidate
    confidence: float
    alternatives: list[tuple[str, float, str]]  # (text, probability, source); keep first


# A choice on a decoded path: (start, end, candidate or None for "keep unit start")
Choice = tuple[int, int, "Candidate | None"]


def sentence_start_factors(spans: list[Span], doc: Document, lower_start: float, upper_start: float) -> None:
    """Adjust the spin rate of spans at sentence starts.

    The spinner writes its replacements in lower case, also at the start of a
    sentence ("promoting attracts customers' attention"), and leaves a kept first word
    capitalized. In a document whose sentences normally start with a capital, a
    lower-case start is strong evidence of a swap and a capital start evidence against:
    ``span.lam_factor`` is ``lower_start`` or ``upper_start`` there.
    """
    units, seq = doc.units, doc.seq
    starts = [units[i].text for i in seq if units[i].is_word and units[i].sent_start and units[i].text[:1].isalpha()]
    if len(starts) < 3 or sum(w[:1].isupper() for w in starts) < 0.5 * len(starts):
        return
    for s in spans:
        first = units[seq[s.start]]
        if first.sent_start and first.text[:1].isalpha():
            s.lam_factor = upper_start if first.text[:1].isupper() else lower_start


def channel(
    spans: list[Span],
    lam: float,
    type_evidence: bool,
    families: tuple[float, float],
    lam_max: float,
    type_pseudo: float,
    phrase_extra: float = 0.0,
    present: frozenset[str] = frozenset(),
    present_gain: float = 0.0,
    habit_rate: float = 0.0,
    habit_originals: frozenset[tuple[str, ...]] = frozenset(),
) -> None:
    """Set each span's channel terms: ``span.keep`` (log probability that a unit was
    left alone) and ``span.chan`` (log prior that the spinner wrote the span from each
    candidate).

    ``habit_originals``: the words the hand list rewrites (``Restorer.habit_originals``:
    "can", "which", "when", "the same"). A span that reads as one of them was left alone
    at 1 − ``habit_rate`` (times the thesaurus family's factor), not 1 − λ: had the
    spinner seen the word there, its hand list would have rewritten it almost surely, so
    a "will" in spun text is more likely a "can" rewritten than a "will" left alone.

    ``present_gain``: credit of a one-word candidate whose model word is in ``present``
    (the document's words: see ``Config.present_gain``).

    ``habit_rate``: the spin rate of a closed-class habit (``habit_candidates``), times the
    span's position factor (``lam_factor``: sentence starts), where it exceeds the span's:
    the spinner applies its hand list of function-word swaps to almost every occurrence,
    its thesaurus to a share λ of the words (see ``Config.habit_rate``; 0: off).

    ``phrase_extra``: a candidate of the phrase tables (``phrase_candidates``) also gets
    that multiple of its language-model gain (``span.gains``) in ``chan``, so the decoder
    weighs its language-model evidence at ``Config.phrase_lm_weight`` instead of
    ``lm_weight`` (see there).

    The prior of candidate w at one occurrence of s starts at λ·P(s | w). With type
    evidence, the other occurrences of s in the document update it: the spinner maps a
    word type the same way each time, so if "promoting" reads as "marketing" in ten
    places, the eleventh is probably "marketing" too, even where the context is mute.
    The type's rate is the smoothed mean of what the other occurrences say on their own
    (an empirical-Bayes estimate, with ``type_pseudo`` pseudo-occurrences at the base
    rate), so many weak hints do not add up to certainty. No span's rate exceeds ``lam_max``.
    """
    fa, fb = families
    log = math.log
    known: dict[tuple, tuple[float, ...]] = {}  # chan by rate and candidates: a word type recurs
    habit_text: dict[str, bool] = {}  # whether a span's text reads as a hand-list original, by text
    for s in spans:
        sl = min(lam_max, lam * s.lam_factor)
        hl = min(lam_max, habit_rate * s.lam_factor)  # the hand list's rate, at this position
        s.keep = math.log1p(-sl)
        if habit_originals and hl * fa > sl and _reads_as(s.text, habit_originals, habit_text):
            s.keep = math.log1p(-hl * fa) / (s.end - s.start)  # the span left alone, per unit
        key = (sl, *map(id, s.candidates))  # the spans hold the candidates while this runs
        chan = known.get(key)
        if chan is None:
            habits = habit_candidates(s) if hl > sl else frozenset()
            chan = known[key] = tuple(
                [
                    log((hl if i in habits else sl) * max(fa * c.families[0], fb * c.families[1]))
                    for i, c in enumerate(s.candidates)
                ]
            )
        s.chan = list(chan)
        if s.agreement:  # an article before a plural: per span, not in the memo
            s.chan = [x + mends_agreement(s, c) for x, c in zip(s.chan, s.candidates, strict=True)]
        if phrase_extra and s.judged:
            for i in phrase_candidates(s):
                s.chan[i] += phrase_extra * s.gains[i]
        if present_gain:
            ch = s.chan
            for i, c in enumerate(s.candidates):
                if len(c.lm) == 1 and c.lm[0] in present:
                    ch[i] += present_gain
    if not type_evidence:
        return
    types: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        if s.judged:
            types[s.text.lower()].append(s)
    # A candidate's support is what the type's occurrences that list it say on their own.
    # Only spans of one type support each other, so each type is settled on its own.
    for occurrences in types.values():
        if len(occurrences) < 2:
            continue
        probs = [softmax(alone_scores(s)) for s in occurrences]
        first = occurrences[0].candidates
        if all(len(o.candidates) == len(first) and all(map(is_, o.candidates, first)) for o in occurrences[1:]):
            # the usual case: the same candidates at every occurrence (the texts within a
            # list are distinct), so candidate i's support is column i
            groups = [[(s, i, pr[i + 1]) for s, pr in zip(occurrences, probs, strict=True)] for i in range(len(first))]
        else:
            support: dict[str, list[tuple[Span, int, float]]] = defaultdict(list)
            for s, pr in zip(occurrences, probs, strict=True):
                for i, c in enumerate(s.candidates):
                    support[c.text.lower()].append((s, i, pr[i + 1]))
            groups = list(support.values())
        for occ in groups:
            if len(occ) < 2:
                continue
            total = sum(p for _, _, p in occ)
            for s, i, p in occ:
                base = math.exp(s.chan[i])
                rate = s.lam_factor * (total - p + type_pseudo * base) / (len(occ) - 1 + type_pseudo)
                if rate > base:
                    s.chan[i] = math.log(min(lam_max, rate))


def _reads_as(text: str, originals: frozenset[tuple[str, ...]], memo: dict[str, bool]) -> bool:
    """Whether ``text`` tokenizes to one of ``originals`` (memoized by text: a type recurs)."""
    hit = memo.get(text)
    if hit is None:
        hit = memo[text] = word_keys(text) in originals
    return hit


COMMA_PSEUDO = 5.0  # pseudo-occurrences at the overall comma rate (commas.json's counts are smoothed so)


@functools.lru_cache(maxsize=1)
def comma_counts() -> tuple[dict[str, list[int]], float]:
    """({word: [times a comma follows it, occurrences]}, overall share of words a comma
    follows), counted in English Wikipedia prose by ``scripts/build_commas.py``."""
    from .tables import data_dir

    doc = json.loads((data_dir() / "commas.json").read_text(encoding="utf-8"))
    return doc["words"], doc["commas"] / doc["words_counted"]


def _comma_logp(word: str, counts: dict[str, list[int]], overall: float) -> float | None:
    c = counts.get(word)
    if c is None:
        return None
    return math.log((c[0] + COMMA_PSEUDO * overall) / (c[1] + COMMA_PSEUDO))


def punctuation(spans: list[Span], doc: Document, weight: float) -> None:
    """Weigh the comma that follows a span, which the 3-gram model (a speech model, with no
    punctuation) does not read: each candidate's ``chan`` gains ``weight`` x log P(comma
    after its last word) / P(comma after the span's last word). The spinner swaps words and
    leaves the punctuation where it was, so "However, the rooms" was written "However," and
    not "But," (Wikipedia prose puts a comma after "however" 93% of the time, after "but"
    0.9%; ``comma_counts``). Words the counts do not know change nothing. ``weight``:
    ``Config.comma_weight`` (0: off)."""
    if not weight:
        return
    counts, overall = comma_counts()
    units, seq = doc.units, doc.seq
    n = len(seq)
    for s in spans:
        if s.end >= n or units[seq[s.end]].text != "," or not s.chan:
            continue
        kept = _comma_logp(units[seq[s.end - 1]].lower, counts, overall)
        if kept is None:
            continue
        for i, c in enumerate(s.candidates):
            lp = _comma_logp(c.words[-1], counts, overall) if c.words else None
            if lp is not None:
                s.chan[i] += weight * (lp - kept)


def habit_candidates(s: Span) -> frozenset[int]:
    """The candidates of ``s`` (indices) that a ``phrase`` row offers, the spinner's
    closed-class hand list ("will" for "can", "once" for "when", "a similar" for "the
    same"): not an artifact row, not a number (``phrase_candidates``)."""
    return frozenset(i for i in phrase_candidates(s) if any(r.relation == "phrase" for r in s.candidates[i].rows))


def regions(spans: list[Span], scorer: ContextScorer) -> list[tuple[int, int, list[Span]]]:
    """Group spans whose decisions can interact under a 3-gram model."""
    out: list[tuple[int, int, list[Span]]] = []
    for s in spans:
        if scorer.crosses_sentence(s.start, s.end):
            continue
        if out:
            ra, rb, group = out[-1]
            if s.start < rb or (
                not any(scorer.bos[p] for p in range(rb, s.start + 1))
                and sum(1 for p in range(rb, s.start) if scorer.lmw[p]) < 2
            ):
                group.append(s)
                out[-1] = (ra, max(rb, s.end), group)
                continue
        out.append((s.start, s.end, [s]))
    return out


def prune(spans: list[Span], margin: float, keep_at_most: int) -> list[Span]:
    """Drop candidates that lose clearly with the neighbours left as they are (``margin``
    nats below the span's best option; at most ``keep_at_most`` stay), and the spans left
    with none: joint decoding only needs the plausible ones."""
    out = []
    for s in spans:
        if not s.judged:
            out.append(s)
            continue
        keep = s.keep * (s.end - s.start)
        scores = [g + ch for g, ch in zip(s.gains, s.chan, strict=True)]
        floor = max(keep, max(scores)) - margin
        kept = sorted([(sc, k) for k, sc in enumerate(scores) if sc >= floor], reverse=True)[:keep_at_most]
        if kept:
            idx = [k for _, k in kept]
            t = Span(s.start, s.end, [s.candidates[k] for k in idx], s.text, s.lam_factor, agreement=s.agreement)
            t.gains, t.chan, t.keep = [s.gains[k] for k in idx], [s.chan[k] for k in idx], s.keep
            out.append(t)
    return out


def decode_region(
    scorer: ContextScorer, ra: int, rb: int, spans: list[Span], lm_weight: float, beam: int
) -> list[Choice]:
    """The best path through one region: a keep or a candidate at each step."""
    keep_cost: dict[int, float] = {}
    starts: dict[int, list[Span]] = {}
    for s in spans:
        for p in range(s.start, s.end):
            keep_cost[p] = min(keep_cost.get(p, 0.0), s.keep)
        starts.setdefault(s.start, []).append(s)
    # beams[k]: state -> (score, back pointer (k_prev, state_prev, choice))
    beams: list[dict[State, tuple[float, tuple | None]]] = [{} for _ in range(rb - ra + 1)]
    memo, logp, bonus = scorer.lm.cached, scorer.lm.logp, scorer.length_bonus
    beams[0][scorer.history(ra)] = (0.0, None)
    for p in range(ra, rb):
        cur = beams[p - ra]
        if not cur:
            continue
        if len(cur) > beam:
            cur = dict(sorted(cur.items(), key=lambda kv: -kv[1][0])[:beam])
            beams[p - ra] = cur
        w = scorer.lmw[p]
        kc = keep_cost.get(p, 0.0)
        here = starts.get(p, ())
        nxt = beams[p + 1 - ra]
        for state, (sc, _) in cur.items():
            # scorer.emit and _relax inlined (the same operations in the same order)
            h1, h2 = state
            if w:
                v = memo.get((w, h1, h2))
                ns, lp = (w, h1), bonus + (logp(w, h1, h2) if v is None else v)
            else:
                ns, lp = state, bonus * 0
            score = sc + lm_weight * lp + kc
            old = nxt.get(ns)
            if old is None or score > old[0]:
                nxt[ns] = (score, (p - ra, state, (p, p + 1, None)))
            for s in here:
                to = beams[s.end - ra]
                for c, ch in zip(s.candidates, s.chan, strict=True):
                    words = c.lm
                    lp = bonus * len(words)
                    a1, a2 = h1, h2
                    for x in words:
                        v = memo.get((x, a1, a2))
                        lp += logp(x, a1, a2) if v is None else v
                        a1, a2 = x, a1
                    score = sc + lm_weight * lp + ch
                    old = to.get((a1, a2))
                    if old is None or score > old[0]:
                        to[(a1, a2)] = (score, (p - ra, state, (s.start, s.end, c)))
    last = beams[rb - ra]
    best_state, best = None, -math.inf
    for state, (sc, _) in last.items():
        t = sc + lm_weight * scorer.tail(state, rb)
        if t > best:
            best_state, best = state, t
    path: list[Choice] = []
    assert best_state is not None, "a region's last beam is never empty"
    k, state = rb - ra, best_state
    while k > 0:
        _, back = beams[k][state]
        assert back is not None, "only the region's start has no back pointer"
        k, state, choice = back
        path.append(choice)
    path.reverse()
    return path


def _posteriors(options: list[tuple[str, float, str]]) -> list[tuple[str, float, str]]:
    m = max(sc for _, sc, _ in options)
    z = sum(math.exp(sc - m) for _, sc, _ in options)
    return [(t, math.exp(sc - m) / z, src) for t, sc, src in options]


def path_words(scorer: ContextScorer, path: list[Choice], ra: int) -> tuple[list[tuple[str, ...]], list[State]]:
    """The model words of each choice of a path, and the model state before each choice
    (states are words only: computing them once per path gives what ``confidence``
    would compute for each choice from the region's start)."""
    words = [scorer.keep_words(a, b) if c is None else c.lm for a, b, c in path]
    states = [scorer.history(ra)]
    for ws in words[:-1]:
        h1, h2 = states[-1]
        for w in ws:
            h1, h2 = w, h1
        states.append((h1, h2))
    return words, states


def confidence(
    scorer: ContextScorer,
    path: list[Choice],
    idx: int,
    span: Span,
    ra: int,
    lm_weight: float,
    walked: tuple[list[tuple[str, ...]], list[State]] | None = None,
) -> tuple[float, list[tuple[str, float, str]]]:
    """Posterior of the path's choice at ``idx`` against keeping the span and the span's
    other candidates, with every other choice of the path fixed. ``walked``: the path's
    ``path_words``, when several choices of one path are judged."""
    words, states = walked if walked is not None else path_words(scorer, path, ra)
    hist = states[idx]
    after: list[str] = []
    for ws in words[idx + 1 :]:
        after.extend(ws)
        if len(after) >= 2:
            break
    rb = path[-1][1]
    st, lp = scorer.emit(hist, scorer.keep_words(span.start, span.end))
    options = [("", lm_weight * (lp + scorer.tail(st, rb, after)) + span.keep * (span.end - span.start), "keep")]
    for c, ch in zip(span.candidates, span.chan, strict=True):
        st, lp = scorer.emit(hist, c.lm)
        options.append((c.text, lm_weight * (lp + scorer.tail(st, rb, after)) + ch, c.source))
    probs = _posteriors(options)
    chosen = path[idx][2]
    assert chosen is not None, "confidence is asked for a chosen candidate"
    return next(p for t, p, _ in probs[1:] if t == chosen.text), probs


def alone_scores(span: Span) -> list[float]:
    """Scores of keep and of each candidate for a span judged with its neighbours kept."""
    return [span.keep * (span.end - span.start)] + [g + ch for g, ch in zip(span.gains, span.chan, strict=True)]


def softmax(scores: list[float]) -> list[float]:
    m = max(scores)
    ex = [math.exp(x - m) for x in scores]
    z = sum(ex)
    return [x / z for x in ex]


def _alone(span: Span) -> tuple[int, list[tuple[str, float, str]]]:
    """Decide a span with no neighbour in reach from the gains ``evidence`` stored:
    (index of the chosen candidate or -1 for keep, posterior of every option)."""
    scores = alone_scores(span)
    best = max(range(len(scores)), key=scores.__getitem__)
    if best == 0:
        return -1, []
    probs = softmax(scores)
    labels = [("", "keep")] + [(c.text, c.source) for c in span.candidates]
    return best - 1, [(t, p, src) for (t, src), p in zip(labels, probs, strict=True)]


def decide(
    scorer: ContextScorer, spans: list[Span], lm_weight: float, beam: int, prune_margin: float, prune_keep: int
) -> list[Decision]:
    """Decode every region and return the chosen edits with their confidence.

    The spans carry their channel terms (``channel``). Spans alone in their region are
    decided from the gains ``evidence`` computed (``span.gains``); regions with several
    spans are decoded jointly, on the candidates ``prune`` keeps.
    """
    if not spans:
        return []
    out: list[Decision] = []
    for ra, rb, group in regions(prune(spans, prune_margin, prune_keep), scorer):
        if len(group) == 1:
            span = group[0]
            best, probs = _alone(span)
            if best >= 0:
                out.append(Decision(span, span.candidates[best], probs[best + 1][1], probs))
            continue
        path = decode_region(scorer, ra, rb, group, lm_weight, beam)
        by_range = {(s.start, s.end): s for s in group}
        walked = path_words(scorer, path, ra)
        for i, (a, b, c) in enumerate(path):
            if c is None:
                continue
            span = by_range[(a, b)]
            conf, alts = confidence(scorer, path, i, span, ra, lm_weight, walked)
            out.append(Decision(span, c, conf, alts))
    return out
