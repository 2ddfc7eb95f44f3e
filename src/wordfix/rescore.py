"""Stage 4b (accurate tier): rescore the uncertain spans with a neural language model.

The 3-gram model sees two words on each side; SmolLM2-135M (``neural.py``) sees the
whole sentence and the one before it. After the fast decoder has made its choices,
every group of overlapping spans that is still in doubt (no option above
``CERTAIN``) or that the decoder chose to edit is judged again: each wording of the
group is scored as a continuation of the same prefix and followed by the same rest
of the sentence, and combined with the same channel terms (spin rate, prior of each
row) as before. Groups are taken in reading order, each seeing the choices made
before it, so a sentence with several swaps is repaired consistently.
"""

from __future__ import annotations

from dataclasses import dataclass

from .candidates import Candidate, Span
from .decide import Decision, _alone_scores, _softmax, prune
from .score import ContextScorer
from .tokenize import Unit

CERTAIN = 0.99  # a group whose best option the 3-gram model gives this much is left alone


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
    text: str,
    units: list[Unit],
    seq: list[int],
    scorer: ContextScorer,
    spans: list[Span],
    decisions: list[Decision],
    lm,
    weight: float = 1.0,
) -> list[Decision]:
    """Decisions after the neural model has judged the uncertain groups again.

    ``spans`` must carry the channel terms ``decide`` set; ``lm`` has
    ``score_continuations(prefix, options, suffix)``.
    """
    chosen: dict[tuple[int, int], Decision] = {(d.span.start, d.span.end): d for d in decisions}
    pruned = prune(spans)
    sentence_of = _sentence_starts(scorer)
    out: dict[tuple[int, int], Decision] = dict(chosen)
    for g in _groups(pruned):
        if scorer.crosses_sentence(g.start, g.end):
            continue
        decided_here = [k for k in out if g.start <= k[0] and k[1] <= g.end]
        if not decided_here and max(_best_alone(s) for s in g.spans) >= CERTAIN:
            continue
        for k in decided_here:
            del out[k]
        keep = _keep_costs(g)
        options: list[tuple[Span | None, Candidate | None, float]] = [(None, None, sum(keep.values()))]
        for s in g.spans:
            outside = sum(v for p, v in keep.items() if not s.start <= p < s.end)
            for c, ch in zip(s.candidates, s.chan, strict=True):
                options.append((s, c, ch + outside))
        prefix, suffix, sent_start = _context(text, units, seq, scorer, sentence_of, g, out)
        texts = [_option_text(text, units, seq, g, s, c, sent_start) for s, c, _ in options]
        lps = lm.score_continuations(prefix, texts, suffix)
        probs = _softmax([weight * lp + ch for lp, (_, _, ch) in zip(lps, options, strict=True)])
        best = max(range(len(probs)), key=probs.__getitem__)
        if best == 0:
            continue
        s, c, _ = options[best]
        alts = [("", probs[0], "keep")]
        alts += [(o[1].text, p, o[1].source) for o, p in zip(options[1:], probs[1:], strict=True)]
        out[(s.start, s.end)] = Decision(s, c, probs[best], alts)
    return sorted(out.values(), key=lambda d: d.span.start)


def _best_alone(s: Span) -> float:
    return max(_softmax(_alone_scores(s))) if s.gains else 0.0


def _keep_costs(g: _Group) -> dict[int, float]:
    """Log probability that each position of the group was left alone."""
    out: dict[int, float] = {}
    for s in g.spans:
        for p in range(s.start, s.end):
            out[p] = min(out.get(p, 0.0), s.keep)
    return out


def _sentence_starts(scorer: ContextScorer) -> list[int]:
    """For each position, the position its sentence starts at."""
    out, start = [], 0
    for p in range(scorer.n):
        if scorer.bos[p]:
            start = p
        out.append(start)
    return out


def units_text(text: str, units: list[Unit], seq: list[int], a: int, b: int) -> str:
    return text[units[seq[a]].start : units[seq[b - 1]].end]


def _option_text(text, units, seq, g: _Group, s: Span | None, c: Candidate | None, sent_start: bool) -> str:
    """The group's text with the span replaced by the candidate (or as it is)."""
    if s is None:
        return units_text(text, units, seq, g.start, g.end)
    parts = []
    if s.start > g.start:
        parts.append(text[units[seq[g.start]].start : units[seq[s.start]].start])
    repl = c.text
    if sent_start and s.start == g.start:
        repl = repl[:1].upper() + repl[1:]
    parts.append(repl)
    if s.end < g.end:
        parts.append(text[units[seq[s.end - 1]].end : units[seq[g.end - 1]].end])
    return "".join(parts)


def _apply(text: str, units, seq, a_char: int, b_char: int, decided: dict[tuple[int, int], Decision]) -> str:
    """Text between two character offsets with the decided replacements applied."""
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


def _context(text, units, seq, scorer, sentence_of, g: _Group, decided) -> tuple[str, str, bool]:
    """(prefix, suffix, whether the group starts its sentence) in the current state:
    the previous sentence and this one up to the group; the rest of this sentence."""
    s0 = sentence_of[g.start]
    p0 = sentence_of[s0 - 1] if s0 > 0 else s0
    a_char = units[seq[p0]].start
    g_char, h_char = units[seq[g.start]].start, units[seq[g.end - 1]].end
    end = g.end
    while end < scorer.n and not scorer.bos[end]:
        end += 1
    e_char = units[seq[end - 1]].end
    prefix = _apply(text, units, seq, a_char, g_char, decided)
    suffix = _apply(text, units, seq, h_char, e_char, decided)
    return prefix, suffix, s0 == g.start
