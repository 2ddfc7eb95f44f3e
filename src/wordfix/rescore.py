"""Stage 4b (accurate tier): rescore the uncertain spans with a neural language model.

The 3-gram model sees two words on each side; SmolLM2-135M (``neural.py``) reads a
window of a dozen words before and a few words after. After the fast decoder has
made its choices, every group of overlapping spans that is still in doubt (no option
at ``certain``) or that the decoder chose to edit without certainty is judged again:
each wording of the group is put in the same window of text (with the decoder's
other choices applied) and scored whole, and combined with the same channel terms
(spin rate, prior of each row) as before. All windows of a document go to the model
in batches, which is what keeps an article to seconds rather than minutes on a CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .candidates import Candidate, Span
from .decide import Decision, alone_scores, prune, softmax
from .score import ContextScorer

if TYPE_CHECKING:
    from .document import Document
    from .language_model import TextScorer

BATCH = 32


@dataclass
class _Group:
    start: int  # positions in the unit sequence
    end: int
    spans: list[Span]


def _groups(spans: list[Span]) -> list[_Group]:
    out: list[_Group] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and s.start < out[-1].end:
            out[-1].spans.append(s)
            out[-1].end = max(out[-1].end, s.end)
        else:
            out.append(_Group(s.start, s.end, [s]))
    return out


def rescore(
    doc: Document,
    scorer: ContextScorer,
    spans: list[Span],
    decisions: list[Decision],
    lm: TextScorer,
    weight: float,
    *,
    certain: float,
    options: int,
    prefix_words: int,
    suffix_words: int,
    prune_margin: float,
    prune_keep: int,
) -> list[Decision]:
    """Decisions after the neural model has judged the uncertain groups again.

    A group whose best option the 3-gram model gives at least ``certain`` is left alone;
    the others are judged on keep and their ``options`` best candidates, in a window of
    ``prefix_words`` before and ``suffix_words`` after (Config.neural_*). The groups are
    made of the candidates the decoder kept (``prune(spans, prune_margin, prune_keep)``).

    ``spans`` must carry the channel terms ``decide`` set; ``lm`` scores whole texts
    (``language_model.TextScorer``: ``neural.NeuralLM``).
    """
    out: dict[tuple[int, int], Decision] = {(d.span.start, d.span.end): d for d in decisions}
    context_state = dict(out)  # every window sees the fast decoder's choices around it
    jobs: list[tuple[_Group, list[tuple[Span | None, Candidate | None, float]], int]] = []
    texts: list[str] = []
    for g in _groups(prune(spans, prune_margin, prune_keep)):
        if scorer.crosses_sentence(g.start, g.end):
            continue
        decided_here = [k for k in out if g.start <= k[0] and k[1] <= g.end]
        if decided_here:
            if all(out[k].confidence >= certain for k in decided_here):
                continue
        elif max(_best_alone(s) for s in g.spans) >= certain:
            continue
        for k in decided_here:
            del out[k]
        opts = _options(g, options)
        prefix, suffix, sent_start = _context(doc, scorer, g, context_state, prefix_words, suffix_words)
        jobs.append((g, opts, len(texts)))
        texts.extend(prefix + _option_text(doc, g, s, c, sent_start) + suffix for s, c, _ in opts)
    if not texts:
        return decisions
    scores = lm.score(texts, batch_size=BATCH)
    for _g, opts, first in jobs:
        lps = scores[first : first + len(opts)]
        probs = softmax([weight * lp + ch for lp, (_, _, ch) in zip(lps, opts, strict=True)])
        best = max(range(len(probs)), key=probs.__getitem__)
        if best == 0:
            continue
        s, c, _ = opts[best]
        assert s is not None and c is not None, "option 0 is the only one that keeps the text"
        alts = [("", probs[0], "keep")]
        alts += [(o[1].text, p, o[1].source) for o, p in zip(opts[1:], probs[1:], strict=True) if o[1]]
        out[(s.start, s.end)] = Decision(s, c, probs[best], alts)
    return sorted(out.values(), key=lambda d: d.span.start)


def _options(g: _Group, n: int) -> list[tuple[Span | None, Candidate | None, float]]:
    """Keep, then the group's ``n`` best candidates by the 3-gram model, with channel terms."""
    keep: dict[int, float] = {}
    for s in g.spans:
        for p in range(s.start, s.end):
            keep[p] = min(keep.get(p, 0.0), s.keep)
    ranked = []
    for s in g.spans:
        outside = sum(v for p, v in keep.items() if not s.start <= p < s.end)
        for c, ch, gain in zip(s.candidates, s.chan, s.gains, strict=True):
            ranked.append((gain + ch + outside, s, c, ch + outside))
    ranked.sort(key=lambda x: -x[0])
    return [(None, None, sum(keep.values()))] + [(s, c, chan) for _, s, c, chan in ranked[:n]]


def _best_alone(s: Span) -> float:
    return max(softmax(alone_scores(s))) if s.gains else 0.0


def _option_text(doc: Document, g: _Group, s: Span | None, c: Candidate | None, sent_start: bool) -> str:
    """The group's text with the span replaced by the candidate (or as it is)."""
    text, units, seq = doc.text, doc.units, doc.seq
    if s is None:
        a, b = doc.chars(g.start, g.end)
        return text[a:b]
    parts = []
    if s.start > g.start:
        parts.append(text[units[seq[g.start]].start : units[seq[s.start]].start])
    assert c is not None, "a span is replaced by a candidate"
    repl = c.text
    if sent_start and s.start == g.start:
        repl = repl[:1].upper() + repl[1:]
    parts.append(repl)
    if s.end < g.end:
        parts.append(text[units[seq[s.end - 1]].end : units[seq[g.end - 1]].end])
    return "".join(parts)


def _apply(doc: Document, a_char: int, b_char: int, decided: dict[tuple[int, int], Decision]) -> str:
    """Text between two character offsets with the decided replacements applied."""
    text, units, seq = doc.text, doc.units, doc.seq
    parts, pos = [], a_char
    for (s0, s1), d in sorted(decided.items()):
        cs, ce = units[seq[s0]].start, units[seq[s1 - 1]].end
        if cs < a_char or ce > b_char:
            continue
        parts.append(text[pos:cs])
        repl = d.candidate.text
        if units[seq[s0]].sent_start:
            repl = repl[:1].upper() + repl[1:]
        parts.append(repl)
        pos = ce
    parts.append(text[pos:b_char])
    return "".join(parts)


def _context(
    doc: Document, scorer: ContextScorer, g: _Group, decided, prefix_words: int, suffix_words: int
) -> tuple[str, str, bool]:
    """(prefix, suffix, whether the group starts its sentence): up to ``prefix_words`` words
    before the group (crossing at most one sentence start) and ``suffix_words`` after it
    (within its sentence), with the decided replacements applied."""
    a, words, starts = g.start, 0, 0
    while a > 0 and words < prefix_words:
        if scorer.bos[a]:
            starts += 1
            if starts == 2:
                break
        a -= 1
        words += scorer.lmw[a] is not None
    b, words = g.end, 0
    while b < scorer.n and not scorer.bos[b] and words < suffix_words:
        words += scorer.lmw[b] is not None
        b += 1
    units, seq = doc.units, doc.seq
    g_char, h_char = doc.chars(g.start, g.end)
    prefix = _apply(doc, units[seq[a]].start, g_char, decided) if a < g.start else ""
    suffix = _apply(doc, h_char, units[seq[b - 1]].end, decided) if b > g.end else ""
    return prefix, suffix, scorer.bos[g.start]
