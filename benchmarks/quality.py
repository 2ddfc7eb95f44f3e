"""The quality benchmark: spin clean held-out prose, restore it, and measure what came back.

For every register of ``corpus.py`` (held-out split unless told otherwise), each document is spun
by the reference spinner (``spinner.py``; rates 0.2 and 0.35, fixed seeds, tortured phrases in
the technical registers) and restored with ``wordfix.Restorer``. Reported:

- candidate recall: share of true substitutions whose original is among the candidates of a
  ``Restorer.candidates`` span overlapping it (checked by putting the candidate back into the
  spun text and comparing the words of the region with the original, a/an folded), and the
  median number of candidates offered per substitution;
- edit precision (edits whose output words align to the original) and edit recall
  (substitutions fully restored), from a word alignment of restored and original text
  (rapidfuzz ``Levenshtein.opcodes``);
- residual error: word edit distance(restored, original) / distance(spun, original), tokenised
  like the owners' ``../shared/tools/residual.py`` (1 = nothing repaired, 0 = all, > 1 = made worse);
- false edits per 10,000 words on the clean documents themselves, and documents changed;
- calibration: precision of edits with confidence >= 0.9, and a reliability table;
- speed of ``restore`` on spun and on clean text;
- the real seed article against its hand reconstruction ({a|b} alternatives, closest choice).

    python benchmarks/quality.py --quick                     # < 2 minutes
    python benchmarks/quality.py --limit-words 20000 --out benchmarks/results.md
    python benchmarks/quality.py --scorer neural --registers blog,news --rates 0.35

From a script in benchmarks/ (a script's own directory is on ``sys.path``), on the tune
split only::

    import corpus, quality
    docs = corpus.load(split="tune")
    quality.evaluate(wordfix.Restorer(min_confidence=0.8), docs, rate=0.35, seed=1)
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import multiprocessing
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import spinner
from rapidfuzz.distance import Levenshtein
from spinner import Spun, Substitution
from yardstick import candidate_recall, closest, config_line, distance, joint_candidate_recall, read_reference, tokens

HERE = Path(__file__).resolve().parent

SEED_SPUN = HERE.parent / "examples" / "seed_spun_article.txt"
SEED_ORIGINAL = HERE.parent / "data" / "sources" / "seed_original_reconstructed.txt"
RATES = (0.2, 0.35)
SEEDS = {0.2: 20, 0.35: 35}  # one fixed spinner seed per rate
QUICK_WORDS = 1500  # words per register in --quick
CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)
HIGH_CONFIDENCE = 0.9


# -- edit precision and recall --------------------------------------------------------------------
@dataclass
class Alignment:
    """Word alignment of the restored text (R) with the original (O)."""

    r: list[tuple[str, int, int]]
    o: list[tuple[str, int, int]]
    r2o: dict[int, int]  # R token -> O token, for tokens in 'equal' blocks
    o_ok: list[bool]
    gaps: set[int]  # R positions before which original tokens are missing

    @classmethod
    def of(cls, restored: str, original: str) -> Alignment:
        r, o = tokens(restored), tokens(original)
        r2o: dict[int, int] = {}
        o_ok = [False] * len(o)
        gaps: set[int] = set()
        for op in Levenshtein.opcodes([t for t, _, _ in r], [t for t, _, _ in o]):
            if op.tag == "equal":
                for k in range(op.src_end - op.src_start):
                    r2o[op.src_start + k] = op.dest_start + k
                    o_ok[op.dest_start + k] = True
            elif op.tag == "insert":
                gaps.add(op.src_start)
        return cls(r, o, r2o, o_ok, gaps)

    def r_tokens(self, lo: int, hi: int) -> list[int]:
        """Indices of R tokens overlapping characters [lo, hi) (touching lo if empty)."""
        if lo == hi:
            return []
        return [i for i, (_, a, b) in enumerate(self.r) if a < hi and lo < b]

    def o_tokens(self, lo: int, hi: int) -> list[int]:
        return [j for j, (_, a, b) in enumerate(self.o) if a < hi and lo < b]

    def insertion_point(self, pos: int) -> int:
        """Index of the first R token starting at or after character ``pos``."""
        return next((i for i, (_, a, _) in enumerate(self.r) if a >= pos), len(self.r))

    def edit_correct(self, lo: int, hi: int) -> bool:
        """An edit whose output is R[lo:hi] is right if every output word aligns to an equal
        original word and no original word is missing inside it (or at it, if it deleted)."""
        idx = self.r_tokens(lo, hi)
        if not idx:
            return self.insertion_point(lo) not in self.gaps
        if any(i not in self.r2o for i in idx):
            return False
        return not any(g in self.gaps for g in range(idx[0] + 1, idx[-1] + 1))

    def restored(self, r_lo: int, r_hi: int, o_lo: int, o_hi: int) -> bool:
        """A substitution is restored if the R tokens of its region align one to one, as
        equal, with the O tokens it replaced. An edit wider than the substitution
        ("could be a" -> "is a" where "could be" replaced "is") brings its aligned
        neighbours into the region: then the region must read as one unbroken stretch of
        the original that holds the replaced tokens."""
        ri, oi = self.r_tokens(r_lo, r_hi), self.o_tokens(o_lo, o_hi)
        if not ri:
            return not oi and self.insertion_point(r_lo) not in self.gaps
        if not all(i in self.r2o for i in ri):
            return False
        mapped = sorted(self.r2o[i] for i in ri)
        if mapped == oi:
            return True
        unbroken = mapped == list(range(mapped[0], mapped[-1] + 1))
        return unbroken and set(oi) <= set(mapped) and not any(g in self.gaps for g in range(ri[0] + 1, ri[-1] + 1))


def _restored_offsets(edits) -> tuple[list[tuple[int, int, int, int]], Callable[[int, bool], int]]:
    """(spun start, spun end, restored start, restored end) per edit, and a function mapping a
    spun offset outside the edits to the restored text."""
    spans, shift = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        spans.append((e.start, e.end, e.start + shift, e.start + shift + len(e.after)))
        shift += len(e.after) - (e.end - e.start)

    def to_restored(p: int, right: bool) -> int:
        d = 0
        for s0, s1, r0, r1 in spans:
            if s0 < p < s1 or (s0 == p == s1):
                return r1 if right else r0
            if s1 <= p:
                d = r1 - s1
        return p + d

    return spans, to_restored


def edit_scores(
    original: str, spun_subs: Sequence[Substitution], restoration
) -> tuple[list[tuple[float, bool]], list[bool]]:
    """Per edit (confidence, correct) and per substitution (fully restored)."""
    align = Alignment.of(restoration.text, original)
    spans, to_r = _restored_offsets(restoration.edits)
    per_edit = [
        (e.confidence, align.edit_correct(r0, r1))
        for e, (_, _, r0, r1) in zip(sorted(restoration.edits, key=lambda e: e.start), spans, strict=True)
    ]
    per_sub = []
    for s in spun_subs:
        r_lo, r_hi = to_r(s.start, False), to_r(s.end, True)
        for s0, s1, r0, r1 in spans:  # an edit reaching into the substitution widens the region
            if s0 < s.end and s.start < s1:
                r_lo, r_hi = min(r_lo, r0), max(r_hi, r1)
        per_sub.append(align.restored(r_lo, r_hi, s.orig_start, s.orig_end))
    return per_edit, per_sub


# -- per document -----------------------------------------------------------------------------------
@dataclass
class DocResult:
    """Everything measured on one spun document (or the seed)."""

    register: str
    words: int
    subs: int
    cand: list[tuple[bool, int, bool]]  # per substitution except a/an fixes (candidate_recall)
    edits: list[tuple[float, bool]]
    restored: list[bool]  # per substitution
    kinds: list[str]  # per substitution: thesaurus, swap, artifact, tortured, article, seed
    d_spun: int
    d_restored: int
    seconds: float
    joint: list[bool] = field(default_factory=list)  # per substitution, as cand (joint_candidate_recall)


@dataclass
class CleanResult:
    """Everything measured on one clean document: every edit is false."""

    register: str
    words: int
    confidences: list[float]
    seconds: float
    examples: list[str] = field(default_factory=list)


def doc_seed(doc_id: str, rate: float, seed: int) -> int:
    """The spinner seed of one document: fixed, and independent of which other documents run."""
    return int(hashlib.sha1(f"{seed}:{rate}:{doc_id}".encode()).hexdigest()[:12], 16)


def spin_doc(doc: corpus.Doc, rate: float, seed: int) -> Spun:
    return spinner.spin(
        doc.text, rate=rate, seed=doc_seed(doc.id, rate, seed), technical=corpus.is_technical(doc.register)
    )


def score_spun(restorer, register: str, spun: str, original: str, subs: Sequence[Substitution]) -> DocResult:
    """Restore one spun text and score it against its original and true substitutions."""
    t0 = time.perf_counter()
    restoration = restorer.restore(spun)
    seconds = time.perf_counter() - t0
    spans = restorer.candidates(spun)
    cand = candidate_recall(spun, subs, spans)
    joint = joint_candidate_recall(spun, subs, spans)
    per_edit, per_sub = edit_scores(original, subs, restoration)
    return DocResult(
        register,
        corpus.count_words(spun),
        len(subs),
        cand,
        per_edit,
        per_sub,
        [s.kind for s in subs],
        distance(spun, original),
        distance(restoration.text, original),
        seconds,
        joint,
    )


def score_clean(restorer, doc: corpus.Doc) -> CleanResult:
    t0 = time.perf_counter()
    r = restorer.restore(doc.text)
    seconds = time.perf_counter() - t0
    examples = [f"{e.before!r}→{e.after!r} ({e.confidence:.2f})" for e in r.edits[:3]]
    return CleanResult(doc.register, doc.words, [e.confidence for e in r.edits], seconds, examples)


# -- aggregation --------------------------------------------------------------------------------------
def aggregate(results: Iterable[DocResult]) -> dict:
    """Micro-averaged metrics over documents (see the module docstring for definitions)."""
    results = list(results)
    cand = [c for r in results for c in r.cand]
    edits = [e for r in results for e in r.edits]
    restored = [x for r in results for x in r.restored]
    high = [ok for conf, ok in edits if conf >= HIGH_CONFIDENCE]
    sizes = [n for _, n, any_span in cand if any_span]
    n_words = sum(r.words for r in results)
    seconds = sum(r.seconds for r in results)
    d_spun = sum(r.d_spun for r in results)
    return {
        "docs": len(results),
        "words": n_words,
        "subs": sum(r.subs for r in results),
        "candidate_recall": _share(sum(hit for hit, _, _ in cand), len(cand)),
        "joint_candidate_recall": _share(sum(x for r in results for x in r.joint), len(cand)),
        "span_recall": _share(sum(s for _, _, s in cand), len(cand)),
        "median_candidates": statistics.median(sizes) if sizes else None,
        "edits": len(edits),
        "edit_precision": _share(sum(ok for _, ok in edits), len(edits)),
        "edit_recall": _share(sum(restored), len(restored)),
        "residual": sum(r.d_restored for r in results) / d_spun if d_spun else None,
        "edits_high": len(high),
        "precision_high": _share(sum(high), len(high)),
        "words_per_second": n_words / seconds if seconds else None,
        "reliability": reliability(edits),
        "by_kind": by_kind(results),
    }


def by_kind(results: Sequence[DocResult]) -> dict[str, tuple[int, float | None, float | None]]:
    """Per substitution kind: (substitutions, candidate recall, edit recall)."""
    cand: dict[str, list[bool]] = {}
    restored: dict[str, list[bool]] = {}
    for r in results:
        for kind, ok in zip(r.kinds, r.restored, strict=True):
            restored.setdefault(kind, []).append(ok)
        for kind, (hit, _, _) in zip([k for k in r.kinds if k != "article"], r.cand, strict=True):
            cand.setdefault(kind, []).append(hit)
    return {
        k: (len(v), _share(sum(cand.get(k, [])), len(cand.get(k, []))), _share(sum(v), len(v)))
        for k, v in sorted(restored.items(), key=lambda kv: -len(kv[1]))
    }


def aggregate_clean(results: Iterable[CleanResult]) -> dict:
    results = list(results)
    n_words = sum(r.words for r in results)
    n_edits = sum(len(r.confidences) for r in results)
    seconds = sum(r.seconds for r in results)
    return {
        "docs": len(results),
        "words": n_words,
        "false_edits": n_edits,
        "false_per_10k": 10_000 * n_edits / n_words if n_words else None,
        "false_high": sum(c >= HIGH_CONFIDENCE for r in results for c in r.confidences),
        "docs_changed": sum(bool(r.confidences) for r in results),
        "words_per_second": n_words / seconds if seconds else None,
        "examples": [x for r in results for x in r.examples][:5],
    }


def reliability(edits: Sequence[tuple[float, bool]]) -> list[tuple[float, float, int, float | None, float | None]]:
    """(bin low, bin high, edits, mean confidence, precision) per confidence bin."""
    out = []
    for lo, hi in itertools.pairwise(CONFIDENCE_BINS):
        inside = [(c, ok) for c, ok in edits if lo <= c < hi]
        mean = statistics.fmean(c for c, _ in inside) if inside else None
        out.append((lo, min(hi, 1.0), len(inside), mean, _share(sum(ok for _, ok in inside), len(inside))))
    return out


def _share(k: int, n: int) -> float | None:
    return k / n if n else None


# -- public entry points -------------------------------------------------------------------------------
def evaluate(restorer, docs: Sequence[corpus.Doc], rate: float, seed: int = 0) -> dict:
    """Spin each document at ``rate`` (seeded per document), restore, and aggregate. Use it on
    the ``tune`` split when choosing options; report on ``heldout``."""
    return aggregate(evaluate_docs(restorer, docs, rate, seed))


def evaluate_docs(restorer, docs: Sequence[corpus.Doc], rate: float, seed: int = 0) -> list[DocResult]:
    out = []
    for doc in docs:
        s = spin_doc(doc, rate, seed)
        out.append(score_spun(restorer, doc.register, s.text, s.original, s.subs))
    return out


def evaluate_clean(restorer, docs: Sequence[corpus.Doc]) -> dict:
    """Restore the clean documents themselves: every edit is a false positive."""
    return aggregate_clean(score_clean(restorer, d) for d in docs)


def seed_article() -> tuple[str, str]:
    """The seed post's body (from "It's frustrating" to before "No comments") and the
    reconstruction of its original (with {a|b} alternatives)."""
    raw = SEED_SPUN.read_text(encoding="utf-8")
    body = raw[raw.index("It's frustrating") : raw.index("No comments")].strip()
    return body, read_reference(SEED_ORIGINAL)


def aligned_substitutions(spun: str, original: str) -> list[Substitution]:
    """Substitutions recovered from a word alignment of a real spun text and its original:
    each differing block, split word by word when both sides have the same length."""
    s, o = tokens(spun), tokens(original)
    blocks: list[list[int]] = []  # adjacent differing opcodes merged: [src start, end, dest start, end]
    for op in Levenshtein.opcodes([t for t, _, _ in s], [t for t, _, _ in o]):
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1][1], blocks[-1][3] = op.src_end, op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    out = []
    for b0, b1, c0, c1 in blocks:
        pieces = (
            [(b0 + k, b0 + k + 1, c0 + k, c0 + k + 1) for k in range(b1 - b0)]
            if b1 - b0 == c1 - c0
            else [(b0, b1, c0, c1)]
        )
        for s0, s1, o0, o1 in pieces:
            a = s[s0][1] if s0 < s1 else (s[s0][1] if s0 < len(s) else len(spun))
            b = s[s1 - 1][2] if s0 < s1 else a
            c = o[o0][1] if o0 < o1 else (o[o0][1] if o0 < len(o) else len(original))
            d = o[o1 - 1][2] if o0 < o1 else c
            out.append(Substitution(a, b, spun[a:b], original[c:d], c, d, "seed"))
    return out


def evaluate_seed(restorer) -> dict:
    """The real-world row: the seed article restored and compared with its reconstruction."""
    spun, ref = seed_article()
    _, original = closest(spun, ref)  # the reading of the reconstruction nearest the spun text
    subs = aligned_substitutions(spun, original)
    result = score_spun(restorer, "seed", spun, original, subs)
    restored = restorer.restore(spun).text
    d0, _ = closest(spun, ref)
    d1, _ = closest(restored, ref)
    result.d_spun, result.d_restored = d0, d1  # exactly residual.py's figures
    return aggregate([result])


# -- running the whole benchmark --------------------------------------------------------------------
_worker_restorer = None


def _make_restorer(options: dict):
    import wordfix

    return wordfix.Restorer(**options).warm_up()


def _init_worker(options: dict) -> None:
    global _worker_restorer
    if _worker_restorer is None:
        _worker_restorer = _make_restorer(options)


def _task(task: tuple) -> DocResult | CleanResult:
    kind, doc, rate, seed = task
    if kind == "clean":
        return score_clean(_worker_restorer, doc)
    s = spin_doc(doc, rate, seed)
    return score_spun(_worker_restorer, doc.register, s.text, s.original, s.subs)


def select(docs: Sequence[corpus.Doc], limit_words: int | None) -> list[corpus.Doc]:
    """Documents in a fixed pseudo-random order (a hash of the id) up to ``limit_words`` words,
    so a limited run samples the whole register, not its first source file."""
    ordered = sorted(docs, key=lambda d: hashlib.sha1(d.id.encode()).hexdigest())
    if not limit_words:
        return ordered
    out, n = [], 0
    for d in ordered:
        if n >= limit_words:
            break
        out.append(d)
        n += d.words
    return out


def run(
    registers: Sequence[str],
    rates: Sequence[float],
    options: dict,
    split: str = "heldout",
    limit_words: int | None = None,
    jobs: int = 1,
    seed_row: bool = True,
    clean_words: int | None = -1,
) -> dict:
    """Run everything; returns {"spun": {(register, rate): metrics}, "clean": {register: metrics},
    "seed": metrics, "all": {rate: metrics}, "reliability": [...], "seconds": wall time}."""
    t0 = time.perf_counter()
    docs = {r: select(corpus.load(r, split), limit_words) for r in registers}
    clean_limit = limit_words if clean_words == -1 else clean_words
    clean_docs = {r: select(corpus.load(r, split), clean_limit) for r in registers}
    tasks = [("spun", d, rate, SEEDS.get(rate, 0)) for rate in rates for r in registers for d in docs[r]]
    tasks += [("clean", d, None, None) for r in registers for d in clean_docs[r]]
    tasks.sort(key=lambda t: -t[1].words)  # long documents first: better load balance
    global _worker_restorer
    _worker_restorer = _make_restorer(options)  # loaded before forking: shared by the workers
    spinner.thesaurus()
    if jobs > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(options,)) as pool:
            results = pool.map(_task, tasks, chunksize=1)
    else:
        results = [_task(t) for t in tasks]
    spun = {}
    by_key: dict[tuple, list] = {}
    for t, res in zip(tasks, results, strict=True):
        by_key.setdefault((t[0], t[1].register, t[2]), []).append(res)
    for rate in rates:
        for r in registers:
            spun[(r, rate)] = aggregate(by_key.get(("spun", r, rate), []))
    clean = {r: aggregate_clean(by_key.get(("clean", r, None), [])) for r in registers}
    all_rows = {rate: aggregate(x for r in registers for x in by_key.get(("spun", r, rate), [])) for rate in rates}
    all_clean = aggregate_clean(x for r in registers for x in by_key.get(("clean", r, None), []))
    all_edits = [e for k, v in by_key.items() if k[0] == "spun" for x in v for e in x.edits]
    seed = evaluate_seed(_worker_restorer) if seed_row else None
    return {
        "spun": spun,
        "clean": clean,
        "all": all_rows,
        "all_clean": all_clean,
        "seed": seed,
        "reliability": reliability(all_edits),
        "seconds": time.perf_counter() - t0,
    }


# -- report ----------------------------------------------------------------------------------------
def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, fmt: str = ".2f") -> str:
    return "–" if x is None else format(x, fmt)


def _spun_row(name: str, rate: str, m: dict) -> str:
    return (
        f"| {name} | {rate} | {m['words']:,} | {m['subs']:,} | {_pct(m['candidate_recall'])} | "
        f"{_pct(m['span_recall'])} | {_num(m['median_candidates'], 'g')} | {m['edits']:,} | "
        f"{_pct(m['edit_precision'])} | {_pct(m['edit_recall'])} | {_num(m['residual'], '.3f')} | "
        f"{_pct(m['precision_high'])} ({m['edits_high']}) | {_num(m['words_per_second'], ',.0f')} |"
    )


def report(res: dict, command: str, split: str) -> str:
    """The Markdown report: command line, spun table, clean table, seed row, reliability."""
    import wordfix

    lines = [
        f"`{command}`",
        "",
        f"wordfix {wordfix.__version__}; split `{split}`; {time.strftime('%Y-%m-%d %H:%M')}; "
        f"wall time {res['seconds']:.0f} s",
        "",
        config_line(wordfix.Config(**res["options"])),
        "",
        "### Spun text (reference spinner)",
        "",
        "| register | rate | words | subs | cand. recall | span recall | median cands | edits | "
        "edit P | edit R | residual | P@≥0.9 (n) | words/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (reg, rate), m in res["spun"].items():
        lines.append(_spun_row(reg + (" ⚙" if corpus.is_technical(reg) else ""), f"{rate:g}", m))
    for rate, m in res["all"].items():
        lines.append(_spun_row("**all**", f"{rate:g}", m))
    if res.get("seed"):
        lines.append(_spun_row("**seed article (real)**", "–", res["seed"]))
    lines += [
        "",
        "⚙ technical register: tortured phrases inserted too. cand. recall: true original among "
        "the candidates of an overlapping span; span recall: any span overlaps the substitution; "
        "median cands: candidates over the spans overlapping a substitution; edit P/R: from a word "
        "alignment with the original; residual: distance(restored, original) / distance(spun, original).",
        "",
        "### Clean text (every edit is false)",
        "",
        "| register | docs | words | docs changed | false edits | per 10k words | of them ≥0.9 | words/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = list(res["clean"].items()) + [("**all**", res["all_clean"])]
    for reg, m in rows:
        lines.append(
            f"| {reg} | {m['docs']} | {m['words']:,} | {m['docs_changed']} | {m['false_edits']} | "
            f"{_num(m['false_per_10k'], '.1f')} | {m['false_high']} | {_num(m['words_per_second'], ',.0f')} |"
        )
    examples = res["all_clean"]["examples"]
    if examples:
        lines += ["", "Some false edits: " + "; ".join(examples)]
    lines += [
        "",
        "### By kind of substitution (all registers and rates)",
        "",
        "| kind | subs | cand. recall | edit recall |",
        "|---|---:|---:|---:|",
    ]
    pooled: dict[str, list] = {}
    for m in res["all"].values():
        for kind, (n, cr, er) in m["by_kind"].items():
            acc = pooled.setdefault(kind, [0, 0.0, 0.0, 0])
            acc[0] += n
            acc[1] += (cr or 0.0) * n
            acc[2] += (er or 0.0) * n
            acc[3] += n if cr is not None else 0
    for kind, (n, cr, er, n_c) in sorted(pooled.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| {kind} | {n:,} | {_pct(cr / n_c if n_c else None)} | {_pct(er / n if n else None)} |")
    lines += [
        "",
        "### Calibration (edits on spun text, all registers and rates)",
        "",
        "| confidence | edits | mean confidence | precision |",
        "|---|---:|---:|---:|",
    ]
    for lo, hi, n, mean, prec in res["reliability"]:
        lines.append(f"| [{lo:.2f}, {hi:.2f}{']' if hi >= 1 else ')'} | {n} | {_num(mean, '.3f')} | {_pct(prec)} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", choices=("ngram", "neural"), default="ngram")
    ap.add_argument("--registers", help="comma-separated (default: all of corpus.registers())")
    ap.add_argument("--rates", default=",".join(f"{r:g}" for r in RATES), help="spin rates, comma-separated")
    ap.add_argument("--split", choices=("heldout", "tune"), default="heldout")
    ap.add_argument("--limit-words", type=int, help="words per register (documents sampled by id hash)")
    ap.add_argument(
        "--clean-words",
        type=int,
        default=-1,
        help="words per register of clean text (default: as --limit-words; 0: all of the split)",
    )
    ap.add_argument("--quick", action="store_true", help=f"--limit-words {QUICK_WORDS}, two processes")
    ap.add_argument("--jobs", type=int, help="worker processes (default 1; 2 with --quick)")
    ap.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a wordfix.Restorer option, e.g. --option min_confidence=0.8 (repeatable)",
    )
    ap.add_argument("--no-seed", action="store_true", help="skip the seed-article row")
    ap.add_argument(
        "--real-articles",
        type=int,
        default=None,
        help="SpinBot dev articles for the real-text sections printed first (default: real.py's; 0: none)",
    )
    ap.add_argument("--out", help="also write the Markdown report here (e.g. benchmarks/results.md)")
    a = ap.parse_args(argv)
    registers = a.registers.split(",") if a.registers else corpus.registers()
    unknown = set(registers) - set(corpus.registers())
    if unknown:
        ap.error(f"unknown register(s): {', '.join(sorted(unknown))}; known: {', '.join(corpus.registers())}")
    options: dict = {"scorer": a.scorer}
    for kv in a.option:
        key, _, value = kv.partition("=")
        options[key] = _parse_value(value)
    limit = a.limit_words or (QUICK_WORDS if a.quick else None)
    jobs = a.jobs or (2 if a.quick else 1)
    rates = [float(x) for x in a.rates.split(",")]
    clean_words = a.clean_words if a.clean_words != 0 else None
    res = run(registers, rates, options, a.split, limit, jobs, seed_row=not a.no_seed, clean_words=clean_words)
    args = argv if argv is not None else sys.argv[1:]
    command = "python benchmarks/quality.py " + " ".join(shlex.quote(x) for x in args)
    res["options"] = options
    text = report(res, command.strip(), a.split)
    n_real = real_articles(a)
    if n_real:  # real spun text is the yardstick: its sections come first
        import real

        ropts = {k: v for k, v in options.items() if k != "scorer" or v != "ngram"}
        head = real.report(real.run(ropts, n_real, quick=a.quick), "(real sections of) " + command.strip())
        head = head.replace("## Real spun text", "## Real spun text (the yardstick)", 1)
        synthetic = "## Synthetic text (reference spinner; secondary: it draws from the tables the restorer reverses)"
        text = f"{head}\n{synthetic}\n\n{text}"
    print(text)
    if a.out:
        Path(a.out).write_text(text, encoding="utf-8")
    return 0


def real_articles(a) -> int:
    if a.real_articles is not None:
        return a.real_articles
    import real

    return 10 if a.quick else real.DEFAULT_ARTICLES


def _parse_value(value: str):
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value.lower(), value)


if __name__ == "__main__":
    sys.exit(main())
