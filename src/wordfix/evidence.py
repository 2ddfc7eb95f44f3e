"""How spun a document looks, and its spin rate: the λ of the noisy channel.

Two hypotheses are compared on the whole document: *clean* (nobody replaced
anything) and *spun at rate λ* (each word was replaced with probability λ by a
thesaurus entry). For every span with candidates, the language model and the
channel prior give R = Σ_w P(w | context) · P(span | w) / P(span | context), how much
better an original explains the span than the span itself. Under the spun
hypothesis a span contributes log(1 − λ + λ·R), under the clean one nothing, so

    log LR(λ) = Σ_spans log(1 − λ + λ·R_span)

Clean prose has a few spans with large R (rare words the model dislikes) but many
with R ≈ 0, so its likelihood ratio falls fast as soon as λ is a real spin rate
(spinners replace a large share of words); spun text has many spans with large R.
λ is estimated by maximum likelihood over a grid, and the probability that the
document is spun is the posterior of the spun hypothesis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .candidates import Span
from .score import ContextScorer

LAMBDA_GRID = tuple(x / 100 for x in range(10, 71, 5))
MAX_LOG_R = 6.0  # one span cannot say more than this about the document


@dataclass(frozen=True, slots=True)
class SpinEstimate:
    probability: float  # posterior probability that the document is spun
    rate: float  # maximum-likelihood spin rate λ under the spun hypothesis
    log_lr: float  # log likelihood ratio spun/clean at that rate
    spans: int
    strong: int  # spans where an original explains the text ≥ 20 times better
    example: str  # the span with the strongest evidence, "spun → original"
    reason: str


def span_log_ratios(scorer: ContextScorer, spans: list[Span], lm_weight: float) -> list[tuple[float, str]]:
    """log R for each span with its neighbours left as they are, and a label.

    Also stores each candidate's weighted language-model gain over keeping the span
    in ``span.gains``; the decoder reuses them for spans that stand alone.
    """
    out = []
    emit, tail, log = scorer.emit, scorer.tail, math.log
    for s in spans:
        hist = scorer.history(s.start)
        st, lp = emit(hist, scorer.keep_words(s.start, s.end))
        keep_lp = lp + tail(st, s.end)
        gains, terms = [], []
        for c in s.candidates:
            st, lp = emit(hist, c.lm)
            g = lm_weight * (lp + tail(st, s.end) - keep_lp)
            gains.append(g)
            terms.append(g + log(c.prior))
        s.gains = gains
        m = max(terms)
        log_r = min(MAX_LOG_R, m + log(sum(math.exp(t - m) for t in terms)))
        out.append((log_r, s))
    return out


def estimate(log_ratios: list[tuple[float, Span]], prior_logodds: float, n_words: int) -> SpinEstimate:
    """Posterior that the document is spun and its spin rate, from the span ratios.

    Each word type counts once, with the mean ratio of its occurrences: a changelog
    that names the library "trio" twenty times, or dates every entry "11th", says one
    thing twenty times, while a spinner leaves its marks on many different words.
    """
    if not log_ratios:
        return SpinEstimate(0.0, 0.0, 0.0, 0, 0, "", "no spans any table lists")
    by_type: dict[str, list[float]] = {}
    for lr, s in log_ratios:
        by_type.setdefault(s.text.lower(), []).append(math.exp(lr))
    rs = [sum(v) / len(v) for v in by_type.values()]
    best_l, best_ll = LAMBDA_GRID[0], -math.inf
    for lam in LAMBDA_GRID:
        ll = sum(math.log(1.0 - lam + lam * r) for r in rs)
        if ll > best_ll:
            best_l, best_ll = lam, ll
    z = prior_logodds + best_ll
    prob = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
    strong = sum(1 for lr, _ in log_ratios if lr > math.log(20))
    ex = _label(max(log_ratios, key=lambda x: x[0])[1])
    reason = (
        f"{strong} of {len(log_ratios)} table spans ({len(rs)} word types) read ≥20× better restored "
        f"(strongest: {ex}); "
        f"spin rate {best_l:.2f}, log-likelihood ratio {best_ll:+.1f} over {n_words} words"
    )
    return SpinEstimate(prob, best_l, best_ll, len(log_ratios), strong, ex, reason)


def _label(s: Span) -> str:
    best = max(range(len(s.candidates)), key=lambda i: s.gains[i] + math.log(s.candidates[i].prior))
    return f"{s.text} → {s.candidates[best].text}"
