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

import functools
import json
import math
from dataclasses import dataclass, replace

from .candidates import DerivedCandidates, Span, mends_agreement
from .language_model import EOS
from .score import ContextScorer

LAMBDA_GRID = tuple(x / 100 for x in range(10, 71, 5))
# The rate of a text the user says is spun (assume_spun) may be lower: the gate does not
# ask whether the text is spun at all, so a clean paragraph's rate falls towards 0 and only
# the spans the model clearly prefers restored are edited (at 0.10 a clean page took 53
# edits per 10,000 words; benchmarks/results-real.md has the figures).
ASSUMED_GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07) + LAMBDA_GRID


@dataclass(frozen=True, slots=True)
class SpinEstimate:
    probability: float  # posterior probability that the document is spun
    rate: float  # maximum-likelihood spin rate λ under the spun hypothesis
    log_lr: float  # log likelihood ratio spun/clean at that rate
    spans: int
    strong: int  # spans where an original explains the text ≥ 20 times better
    example: str  # the span with the strongest evidence, "spun → original"
    reason: str
    learned_share: float = 0.0  # weight of the learned-channel family (see ``family_factors``)
    # log likelihood ratio of each spinner family against clean, at its own rate
    # (thesaurus family, learned channel; -inf where the family lists nothing): the
    # evidence without the priors, which a batch prior (batch.estimate_prior) combines anew
    log_lrs: tuple[float, float] = (-math.inf, -math.inf)


def span_log_ratios(
    scorer: ContextScorer,
    spans: list[Span],
    lm_weight: float,
    known: dict[tuple[int, int], float] | None,
    max_log_r: float,
    max_artifact_log_r: float,
    signature_gain: float,
    signature_min_log_r: float,
) -> list[tuple[float, float, Span]]:
    """log R for each span with its neighbours left as they are, once over the
    candidates of learned rows and once over the others (-inf where a family has none).
    One span says at most ``max_log_r`` about the document, unless an artifact row
    explains it best: a wording people almost never write where the original belongs
    ("area unit" for "are", "Associate in Nursing" for "an"), the seed family's
    signature, then up to ``max_artifact_log_r`` (the legitimate "an Associate in
    Nursing degree" reads log R 4.2, the spun ones 7-14: benchmarks/results-real.md).
    A signature (``is_signature``: an artifact phrase clean prose never writes) that
    reads at least ``signature_min_log_r`` says ``signature_gain`` more, capped that much
    higher: the 3-gram model backs off over "square measure" and underrates how rare it
    is where "are" belongs.

    Also stores each candidate's weighted language-model gain over keeping the span
    in ``span.gains``; the decoder reuses them for spans that stand alone. ``known``:
    gains already computed, by (id of the span, id of the candidate).
    """
    out = []
    emit, tail, log, exp = scorer.emit, scorer.tail, math.log, math.exp
    # The candidate loop is the hot spot of a restore: ``emit`` and ``tail`` are inlined
    # there (same operations in the same order, so the same floats). Every candidate of a
    # span shares the history and the words that follow the span.
    memo, logp, bonus = scorer.lm.cached, scorer.lm.logp, scorer.length_bonus
    n, bos, follow = scorer.n, scorer.bos, scorer.follow
    for s in spans:
        hist = scorer.history(s.start)
        st, lp = emit(hist, scorer.keep_words(s.start, s.end))
        keep_lp = lp + tail(st, s.end)
        after = follow[s.end] if s.end < n and not bos[s.end] else (EOS,)
        h1_0, h2_0 = hist
        gains = []
        terms: tuple[list[float], list[float]] = ([], [])
        sid = id(s)
        agree = s.agreement
        fam_a = []  # the thesaurus family's candidates, in the order of terms[0]
        for c in s.candidates:
            g = known.get((sid, id(c))) if known is not None else None
            if g is None:
                words = c.lm
                lp = bonus * len(words)
                h1, h2 = h1_0, h2_0
                for w in words:
                    v = memo.get((w, h1, h2))
                    lp += logp(w, h1, h2) if v is None else v
                    h1, h2 = w, h1
                rest = 0.0
                for w in after:
                    v = memo.get((w, h1, h2))
                    rest += logp(w, h1, h2) if v is None else v
                    h1, h2 = w, h1
                g = lm_weight * (lp + rest - keep_lp)
            gains.append(g)
            pa, pb = c.families
            mend = mends_agreement(s, c) if agree else 0.0
            if pa:
                terms[0].append(g + log(pa) + mend)
                fam_a.append(c)
            if pb:
                terms[1].append(g + log(pb) + mend)
        s.gains = gains
        lr = []
        for k, t in enumerate(terms):
            if not t:
                lr.append(-math.inf)
                continue
            m = max(t)
            v = m + log(sum([exp(x - m) for x in t]))
            cap = max_log_r
            if v > max_log_r and k == 0:  # an artifact row that explains the span best may say more
                best = fam_a[t.index(m)]
                if best.artifact:
                    cap = max_artifact_log_r
                    if v >= signature_min_log_r and is_signature(best):
                        cap, v = cap + signature_gain, v + signature_gain
            lr.append(min(cap, v))
        out.append((lr[0], lr[1], s))
    return out


@functools.cache
def signatures() -> frozenset[tuple[str, ...]]:
    """The spinner's signatures: artifact phrases of two or more words that occur nowhere
    in the clean prose ``scripts/build_signatures.py`` counted them in (15 million words of
    Wikipedia and technical documentation). Single words ("ne'er", "e'er") are real,
    if rare, English and are left out."""
    from .errors import TableError
    from .tables import data_dir

    path = data_dir() / "signatures.json"
    try:
        counts = json.loads(path.read_text(encoding="utf-8"))["counts"]
        return frozenset(tuple(k.split(" ")) for k, n in counts.items() if n == 0 and " " in k)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        # a broken install: without it pasted paragraphs would quietly be judged otherwise
        raise TableError(
            f"{path}:1: not the signature counts scripts/build_signatures.py writes "
            f"({type(e).__name__}: {e}); reinstall wordfix"
        ) from None


def is_signature(c) -> bool:
    """Whether an artifact row of the candidate writes a signature."""
    sig = signatures()
    return any(r.relation == "artifact" and r.spun in sig for r in c.rows)


def judge(scorer: ContextScorer, spans: list[Span], lm_weight: float) -> None:
    """Score every candidate of ``spans`` in context (``span.gains``) without judging the
    document: the spans the evidence sample left out, before they are decided (the caps on
    log R do not touch the gains)."""
    span_log_ratios(scorer, spans, lm_weight, None, math.inf, math.inf, 0.0, math.inf)


def _best_rate(rs: list[float], grid: tuple[float, ...] = LAMBDA_GRID) -> tuple[float, float]:
    best_l, best_ll = grid[0], -math.inf
    log = math.log
    for lam in grid:
        ll = sum([log(1.0 - lam + lam * r) for r in rs])
        if ll > best_ll:
            best_l, best_ll = lam, ll
    return best_l, best_ll


def estimate(
    log_ratios: list[tuple[float, float, Span]],
    priors: tuple[float, float],
    n_words: int,
    family_floor: float,
    rate_grid: tuple[float, ...],
) -> SpinEstimate:
    """Posterior that the document is spun and its spin rate, from the span ratios.

    Each word type counts once, with the mean ratio of its occurrences: a changelog
    that names the library "trio" twenty times, or dates every entry "11th", says one
    thing twenty times, while a spinner leaves its marks on many different words.

    Three hypotheses: clean, spun by the thesaurus family (every row but ``learned``
    ones) and spun by the spinner whose channel was learned from real pairs (SpinBot),
    with prior probabilities ``priors`` = (thesaurus family, learned). Each family is
    judged on the word types it lists, at its own maximum-likelihood rate; the
    posterior of the two spun hypotheses weighs the families (``learned_share``); the less
    likely family keeps at least ``family_floor``. ``rate_grid``: the rates the reported
    spin rate is chosen from (the posterior is always judged on LAMBDA_GRID); ASSUMED_GRID
    when the user says the text is spun.
    """
    if not log_ratios:
        return SpinEstimate(0.0, 0.0, 0.0, 0, 0, "", "no spans any table lists")
    by_type: dict[str, list[tuple[float, float]]] = {}
    for la, lb, s in log_ratios:
        by_type.setdefault(s.text.lower(), []).append((math.exp(la), math.exp(lb)))
    ra = [sum(a for a, _ in v) / len(v) for v in by_type.values()]
    rb = [sum(b for _, b in v) / len(v) for v in by_type.values()]
    # The thesaurus family is judged on the word types it lists (as it was before any
    # learned table existed); the learned channel must explain every type, the thesaurus
    # family's artifacts included ("area unit" is no SpinBot output). Each family's spin
    # rate is estimated on the types it lists, where it could have swapped.
    listed_a = [r for r in ra if r > 0.0] or [0.0]
    lam_a, ll_a = _best_rate(listed_a)  # the posterior is judged on LAMBDA_GRID
    if rate_grid is not LAMBDA_GRID:
        lam_a, _ = _best_rate(listed_a, rate_grid)
    lam_b, _ = _best_rate([r for r in rb if r > 0.0] or [0.0], rate_grid)
    _, ll_b = _best_rate(rb)
    lls = (ll_a if any(ra) else -math.inf, ll_b if any(rb) else -math.inf)  # -inf: the family lists nothing
    pa, pb = priors
    log_a, log_b = math.log(pa) + lls[0], math.log(pb) + lls[1]
    top = max(log_a, log_b)
    spun = top + math.log(math.exp(log_a - top) + math.exp(log_b - top))
    z = spun - math.log1p(-pa - pb)
    prob = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
    d = max(-50.0, min(50.0, log_b - log_a)) if top > -math.inf else -50.0
    share = min(1 - family_floor, max(family_floor, 1.0 / (1.0 + math.exp(-d))))
    best_l, best_ll = (lam_b, ll_b) if share > 0.5 else (lam_a, ll_a)
    fa, fb = family_factors(share)
    combined = [(math.log(max(1e-300, fa * math.exp(la) + fb * math.exp(lb))), s) for la, lb, s in log_ratios]
    strong = sum(1 for lr, _ in combined if lr > math.log(20))
    ex = _label(max(combined, key=lambda x: x[0])[1])
    family = f"; learned-channel share {share:.2f}" if any(rb) else ""
    reason = (
        f"{strong} of {len(log_ratios)} table spans ({len(by_type)} word types) read ≥20× better restored "
        f"(strongest: {ex}); "
        f"spin rate {best_l:.2f}, log-likelihood ratio {best_ll:+.1f} over {n_words} words{family}"
    )
    return SpinEstimate(prob, best_l, best_ll, len(log_ratios), strong, ex, reason, share, lls)


def family_factors(share: float) -> tuple[float, float]:
    """Prior factors of the thesaurus family and the learned family: the likelier family
    keeps its priors, the other is scaled down by the ratio of their weights."""
    a, b = 1.0 - share, share
    m = max(a, b)
    return a / m, b / m


def keep_families(spans: list[Span], factors: tuple[float, float], floor: float) -> list[Span]:
    """The spans without the candidates of a family whose factor is at most ``floor``
    (and without spans left with none); judged gains are kept in step."""
    drop = [f <= floor for f in factors]
    if not any(drop) or all(drop):
        return spans
    keep = 0 if drop[1] else 1  # the family whose candidates stay
    out = []
    for s in spans:
        idx = [i for i, c in enumerate(s.candidates) if c.families[keep]]
        if len(idx) == len(s.candidates) and not any(c.families[1 - keep] for c in s.candidates):
            out.append(s)
            continue
        if not idx:
            continue
        judged = s.judged
        s.candidates = [_only_family(s.candidates[i], keep) for i in idx]
        if judged:
            s.gains = [s.gains[i] for i in idx]
        out.append(s)
    return out


def _only_family(c, keep: int):
    """The candidate with only the rows of family ``keep`` (its source is then one of them)."""
    if not c.families[1 - keep]:
        return c
    hit = _ONLY_FAMILY.get(c, keep)
    if hit is not None:
        return hit
    rows = tuple(r for r in c.rows if (r.relation == "learned") == (keep == 1))
    fam = (c.families[0], 0.0) if keep == 0 else (0.0, c.families[1])
    phrase = c.phrase and keep == 0  # the phrase tables' rows are of the thesaurus family
    return _ONLY_FAMILY.put(c, keep, replace(c, rows=rows, prior=fam[keep], families=fam, phrase=phrase))


_ONLY_FAMILY = DerivedCandidates(100_000)


def best_candidate(s: Span):
    """The candidate that explains a judged span best on its own (gain + log prior)."""
    best = max(range(len(s.candidates)), key=lambda i: s.gains[i] + math.log(s.candidates[i].prior))
    return s.candidates[best]


def _label(s: Span) -> str:
    return f"{s.text} → {best_candidate(s).text}"
