"""Stage 5: decide which spans to restore, jointly, as a noisy channel.

For a span s and an original w the decoder weighs

    P_LM(… w …) · λ · P(s | w)     against     P_LM(… s …) · (1 − λ)

where λ is the document's spin rate (see ``evidence``). Neighbouring spans are decoded
together (Viterbi over the 3-gram states, beam-pruned), since swaps cluster: "a
similar sense of humor, a similar goals". With a 3-gram model, two untouched words
in a row cut all dependencies, so the text splits into small independent regions.
Each chosen edit gets a confidence: its posterior against keeping the span and the
other candidates, with the rest of the decoded text fixed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .candidates import Candidate, Span
from .score import ContextScorer, State


@dataclass(slots=True)
class Decision:
    span: Span
    candidate: Candidate
    confidence: float
    alternatives: list[tuple[str, float, str]]  # (text, probability, source); keep first


# A choice on a decoded path: (start, end, candidate or None for "keep unit start")
Choice = tuple[int, int, "Candidate | None"]


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


def _path_words(path: list[Choice], scorer: ContextScorer) -> list[tuple[str, ...]]:
    return [scorer.keep_words(a, b) if c is None else c.lm for a, b, c in path]


def decode_region(
    scorer: ContextScorer,
    ra: int,
    rb: int,
    spans: list[Span],
    lam: float,
    lm_weight: float,
    beam: int,
) -> list[Choice]:
    """The best path through one region: a keep or a candidate at each step."""
    log_keep = math.log1p(-lam)
    covered = set()
    starts: dict[int, list[Span]] = {}
    for s in spans:
        covered.update(range(s.start, s.end))
        starts.setdefault(s.start, []).append(s)
    log_lam = math.log(lam)
    # beams[k]: state -> (score, back pointer (k_prev, state_prev, choice))
    beams: list[dict[State, tuple[float, tuple | None]]] = [{} for _ in range(rb - ra + 1)]
    beams[0][scorer.history(ra)] = (0.0, None)
    for p in range(ra, rb):
        cur = beams[p - ra]
        if not cur:
            continue
        if len(cur) > beam:
            cur = dict(sorted(cur.items(), key=lambda kv: -kv[1][0])[:beam])
            beams[p - ra] = cur
        for state, (sc, _) in cur.items():
            w = scorer.lmw[p]
            ns, lp = scorer.emit(state, (w,) if w else ())
            _relax(beams, p + 1 - ra, ns, sc + lm_weight * lp + (log_keep if p in covered else 0.0), (p - ra, state, (p, p + 1, None)))
            for s in starts.get(p, ()):
                for c in s.candidates:
                    ns, lp = scorer.emit(state, c.lm)
                    total = sc + lm_weight * lp + log_lam + math.log(c.prior)
                    _relax(beams, s.end - ra, ns, total, (p - ra, state, (s.start, s.end, c)))
    last = beams[rb - ra]
    best_state, best = None, -math.inf
    for state, (sc, _) in last.items():
        t = sc + lm_weight * scorer.tail(state, rb)
        if t > best:
            best_state, best = state, t
    path: list[Choice] = []
    k, state = rb - ra, best_state
    while k > 0:
        _, back = beams[k][state]
        k, state, choice = back
        path.append(choice)
    path.reverse()
    return path


def _relax(beams, k, state, score, back):
    old = beams[k].get(state)
    if old is None or score > old[0]:
        beams[k][state] = (score, back)


def confidence(
    scorer: ContextScorer,
    path: list[Choice],
    idx: int,
    span: Span,
    ra: int,
    lam: float,
    lm_weight: float,
) -> tuple[float, list[tuple[str, float, str]]]:
    """Posterior of the path's choice at ``idx`` against keeping the span and the span's
    other candidates, with every other choice of the path fixed."""
    words = _path_words(path, scorer)
    hist = scorer.history(ra)
    for ws in words[:idx]:
        hist, _ = scorer.emit(hist, ws)
    after: list[str] = []
    for ws in words[idx + 1 :]:
        after.extend(ws)
        if len(after) >= 2:
            break
    rb = path[-1][1]
    log_keep = math.log1p(-lam)
    options: list[tuple[str, float, str]] = []
    keep_ws = scorer.keep_words(span.start, span.end)
    st, lp = scorer.emit(hist, keep_ws)
    keep_score = lm_weight * (lp + scorer.tail(st, rb, after)) + log_keep * (span.end - span.start)
    options.append(("", keep_score, "keep"))
    for c in span.candidates:
        st, lp = scorer.emit(hist, c.lm)
        sc = lm_weight * (lp + scorer.tail(st, rb, after)) + math.log(lam * c.prior)
        options.append((c.text, sc, c.source))
    m = max(sc for _, sc, _ in options)
    z = sum(math.exp(sc - m) for _, sc, _ in options)
    probs = [(t, math.exp(sc - m) / z, src) for t, sc, src in options]
    chosen = path[idx][2]
    p_chosen = next(p for t, p, _ in probs[1:] if t == chosen.text)
    return p_chosen, probs


def _alone(span: Span, lam: float) -> tuple[int, list[tuple[str, float, str]]]:
    """Decide a span with no neighbour in reach from the gains ``evidence`` stored:
    (index of the chosen candidate or -1 for keep, posterior of every option)."""
    options = [("", math.log1p(-lam) * (span.end - span.start), "keep")]
    log_lam = math.log(lam)
    for c, g in zip(span.candidates, span.gains, strict=True):
        options.append((c.text, g + log_lam + math.log(c.prior), c.source))
    m = max(sc for _, sc, _ in options)
    z = sum(math.exp(sc - m) for _, sc, _ in options)
    probs = [(t, math.exp(sc - m) / z, src) for t, sc, src in options]
    best = max(range(len(probs)), key=lambda i: probs[i][1])
    return best - 1, probs


PRUNE_MARGIN = 6.0  # nats below the best option of a span, judged with its neighbours kept
PRUNE_KEEP = 4  # candidates at most per span in joint decoding


def prune(spans: list[Span], lam: float) -> list[Span]:
    """Drop candidates that lose clearly with the neighbours left as they are, and the
    spans left with none: joint decoding only needs the plausible ones."""
    out = []
    log_lam, log_keep = math.log(lam), math.log1p(-lam)
    for s in spans:
        if len(s.gains) != len(s.candidates):
            out.append(s)
            continue
        keep = log_keep * (s.end - s.start)
        scored = [(g + log_lam + math.log(c.prior), c, g) for c, g in zip(s.candidates, s.gains, strict=True)]
        best = max(keep, max(sc for sc, _, _ in scored))
        kept = sorted((x for x in scored if x[0] >= best - PRUNE_MARGIN), key=lambda x: -x[0])[:PRUNE_KEEP]
        if kept:
            out.append(Span(s.start, s.end, [c for _, c, _ in kept], s.artifact, s.text, [g for _, _, g in kept]))
    return out


def decide(
    scorer: ContextScorer,
    spans: list[Span],
    lam: float,
    lm_weight: float = 1.0,
    beam: int = 12,
) -> list[Decision]:
    """Decode every region and return the chosen edits with their confidence.

    Spans alone in their region are decided from the gains ``evidence`` computed
    (``span.gains``); regions with several spans are decoded jointly.
    """
    if lam <= 1e-6 or not spans:
        return []
    spans = prune(spans, lam)
    out: list[Decision] = []
    for ra, rb, group in regions(spans, scorer):
        if len(group) == 1 and len(group[0].gains) == len(group[0].candidates):
            span = group[0]
            best, probs = _alone(span, lam)
            if best >= 0:
                out.append(Decision(span, span.candidates[best], probs[best + 1][1], probs))
            continue
        path = decode_region(scorer, ra, rb, group, lam, lm_weight, beam)
        by_range = {(s.start, s.end): s for s in group}
        for i, (a, b, c) in enumerate(path):
            if c is None:
                continue
            span = by_range[(a, b)]
            conf, alts = confidence(scorer, path, i, span, ra, lam, lm_weight)
            out.append(Decision(span, c, conf, alts))
    return out
