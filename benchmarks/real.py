"""Quality on real spun text: the yardstick (printed first in results.md).

Real spinner output with its original, read from the shared data folder beside the
project (``../shared/data``; skipped with a note when it is absent):

- SpinBot dev (``spinbot/dev.jsonl.gz``, Wikipedia articles and their SpinBot output,
  aligned by paragraph): a fixed sample of articles, restored as whole articles and
  paragraph by paragraph;
- the seed family's real pairs (``real-pairs/*.json``), each document as a whole and
  paragraph by paragraph;
- the seed article against its hand reconstruction (in-sample: curated rows cite it);
- clean side: the *original* SpinBot dev paragraphs (clean Wikipedia) restored as whole
  articles and alone: every edit is false;
- detection: the spin score of SpinBot paragraphs against their originals (AUC, and
  precision/recall/F1 at the restorer's own gate ``min_spin``).

Definitions as in ``quality.py`` (candidate recall, edit precision/recall, residual =
distance(restored, original) / distance(spun, original) on residual.py's tokens, summed
over documents before dividing).

    python benchmarks/real.py                       # default sample (about 5 minutes)
    python benchmarks/real.py --articles 20 --quick
    python benchmarks/real.py --option min_spin=0.5
"""

from __future__ import annotations

import argparse
import gzip
import json
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import quality
import yardstick

HERE = Path(__file__).resolve().parent


SHARED = HERE.parent.parent / "shared" / "data"
SPINBOT_DEV = SHARED / "spinbot" / "dev.jsonl.gz"
REAL_PAIRS = SHARED / "real-pairs"
DEFAULT_ARTICLES = 40  # SpinBot dev articles in the sample (every k-th article, stable)


@dataclass
class Doc:
    name: str
    spun: list[str]  # paragraphs
    original: list[str]


def spinbot_dev(n_articles: int) -> list[Doc]:
    if not SPINBOT_DEV.exists():
        return []
    with gzip.open(SPINBOT_DEV, "rt", encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    recs.sort(key=lambda r: int(r["id"]))
    step = max(1, len(recs) // max(n_articles, 1))
    out = []
    for r in recs[::step][:n_articles]:
        pairs = [(o, s) for o, s in r["pairs"][1:] if len(o.split()) >= 8]  # title and headings left out
        if pairs:
            out.append(Doc(f"spinbot:{r['id']}", [s for _, s in pairs], [o for o, _ in pairs]))
    return out


def real_pairs() -> list[Doc]:
    if not REAL_PAIRS.is_dir():
        return []
    out = []
    for p in sorted(REAL_PAIRS.glob("*.json")):
        recs = json.loads(p.read_text(encoding="utf-8"))
        out.append(Doc(p.stem, [r["spun"] for r in recs], [r["original"] for r in recs]))
    return out


class ParagraphRestorer:
    """Restores a text paragraph by paragraph (each alone), as an editor pasting them would."""

    def __init__(self, restorer):
        self.r = restorer

    def _pieces(self, text: str):
        pos = 0
        for para in text.split("\n\n"):
            yield pos, para
            pos += len(para) + 2

    def restore(self, text: str):
        from wordfix import Restoration, apply_edits
        from wordfix.restoration import Edit

        edits = []
        for off, para in self._pieces(text):
            for e in self.r.restore(para).edits:
                edits.append(
                    Edit(e.start + off, e.end + off, e.before, e.after, e.confidence, e.source, e.alternatives)
                )
        return Restoration(text, apply_edits(text, edits), tuple(edits))

    def candidates(self, text: str):
        out = []
        for off, para in self._pieces(text):
            out.extend((a + off, b + off, s, c) for a, b, s, c in self.r.candidates(para))
        return out


def score_docs(restorer, docs: Sequence[Doc], alone: bool) -> dict:
    r = ParagraphRestorer(restorer) if alone else restorer
    results = []
    for d in docs:
        spun, original = "\n\n".join(d.spun), "\n\n".join(d.original)
        subs = quality.aligned_substitutions(spun, original)
        results.append(quality.score_spun(r, d.name, spun, original, subs))
    return quality.aggregate(results)


def score_clean(restorer, docs: Sequence[Doc], alone: bool) -> dict:
    r = ParagraphRestorer(restorer) if alone else restorer
    words = edits = changed = 0
    seconds = 0.0
    examples: list[str] = []
    for d in docs:
        text = "\n\n".join(d.original)
        t0 = time.perf_counter()
        res = r.restore(text)
        seconds += time.perf_counter() - t0
        words += quality.corpus.count_words(text)
        edits += len(res.edits)
        changed += bool(res.edits)
        examples.extend(f"{e.before!r}→{e.after!r} ({e.confidence:.2f})" for e in res.edits[:2])
    return {
        "docs": len(docs),
        "words": words,
        "false_edits": edits,
        "false_per_10k": 10_000 * edits / words if words else None,
        "docs_changed": changed,
        "words_per_second": words / seconds if seconds else None,
        "examples": examples[:6],
    }


def detection(restorer, docs: Sequence[Doc], min_words: int = 40) -> dict:
    """Spin score of each spun paragraph and of its original (paragraphs of ≥ ``min_words`` words)."""
    pos, neg = [], []
    for d in docs:
        for s, o in zip(d.spun, d.original, strict=True):
            if len(o.split()) < min_words:
                continue
            pos.append(restorer.detect(s).probability)
            neg.append(restorer.detect(o).probability)
    if not pos:
        return {}
    # AUC by ranks (ties count half)
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    auc = wins / (len(pos) * len(neg))
    out = {"paragraphs": len(pos), "auc": auc, "min_words": min_words}
    for key, th in (("detect", restorer.config.detect_threshold), ("gate", restorer.config.min_spin)):
        tp = sum(p >= th for p in pos)
        fp = sum(n >= th for n in neg)
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / len(pos)
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else 0.0
        out[key] = {"threshold": th, "precision": prec, "recall": rec, "f1": f1}
    return out


def clean_detection(restorer, min_words: int = 40) -> dict:
    """Clean paragraphs of the held-out benchmark corpora (≥ ``min_words`` words): how many
    ``detect`` calls spun, at its threshold and at the editing gate."""
    probs = [
        restorer.detect(p).probability
        for doc in quality.corpus.load(split="heldout")
        for p in doc.text.split("\n\n")
        if len(p.split()) >= min_words
    ]
    c = restorer.config
    return {
        "paragraphs": len(probs),
        "flagged": sum(p >= c.detect_threshold for p in probs),
        "gated": sum(p >= c.min_spin for p in probs),
        "min_words": min_words,
    }


def run(options: dict, n_articles: int, quick: bool) -> dict:
    import wordfix

    restorer = wordfix.Restorer(**options).warm_up()
    out: dict = {"options": options, "config": yardstick.config_line(restorer.config)}
    sb = spinbot_dev(n_articles)
    rp = real_pairs()
    if sb:
        out["spinbot_whole"] = score_docs(restorer, sb, alone=False)
        out["spinbot_alone"] = score_docs(restorer, sb, alone=True)
        out["clean_whole"] = score_clean(restorer, sb, alone=False)
        out["clean_alone"] = score_clean(restorer, sb, alone=True)
        if not quick:
            out["detection"] = detection(restorer, sb)
    if rp:
        out["pairs_whole"] = score_docs(restorer, rp, alone=False)
        out["pairs_alone"] = score_docs(restorer, rp, alone=True)
        if not quick:
            out["detection_pairs"] = detection(restorer, rp, min_words=20)
        for d in rp:
            out[f"doc:{d.name}"] = score_docs(restorer, [d], alone=False)
    if quality.SEED_ORIGINAL.exists():
        out["seed"] = quality.evaluate_seed(restorer)
    if not quick:
        out["detection_clean"] = clean_detection(restorer)
    return out


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x, fmt=".3f") -> str:
    return "–" if x is None else format(x, fmt)


ROWS = (
    ("spinbot_whole", "SpinBot dev, whole articles"),
    ("spinbot_alone", "SpinBot dev, each paragraph alone"),
    ("pairs_whole", "seed family real pairs, whole documents"),
    ("pairs_alone", "seed family real pairs, each paragraph alone"),
    ("seed", "seed article (in-sample: curated rows cite it)"),
)


def report(res: dict, command: str) -> str:
    lines = [
        "## Real spun text",
        "",
        f"`{command}`; options {res['options'] or 'default'}",
        "",
        res["config"],
        "",
        "| text | docs | words | subs | cand. recall | median cands | edits | edit P | edit R | residual | words/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in ROWS + tuple((k, k[4:]) for k in res if k.startswith("doc:")):
        m = res.get(key)
        if not m:
            continue
        lines.append(
            f"| {label} | {m['docs']} | {m['words']:,} | {m['subs']:,} | {_pct(m['candidate_recall'])} | "
            f"{_num(m['median_candidates'], 'g')} | {m['edits']:,} | {_pct(m['edit_precision'])} | "
            f"{_pct(m['edit_recall'])} | {_num(m['residual'])} | {_num(m['words_per_second'], ',.0f')} |"
        )
    lines += [
        "",
        "Clean side (original SpinBot dev paragraphs, clean Wikipedia; every edit is false):",
        "",
        "| text | docs | words | docs changed | false edits | per 10k words | words/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("clean_whole", "whole articles"), ("clean_alone", "each paragraph alone")):
        m = res.get(key)
        if m:
            lines.append(
                f"| {label} | {m['docs']} | {m['words']:,} | {m['docs_changed']} | {m['false_edits']} | "
                f"{_num(m['false_per_10k'], '.2f')} | {_num(m['words_per_second'], ',.0f')} |"
            )
    ex = [x for k in ("clean_whole", "clean_alone") for x in res.get(k, {}).get("examples", [])]
    if ex:
        lines += ["", "False edits, examples: " + "; ".join(ex[:6])]
    for key, what, extra in (
        ("detection", "SpinBot paragraphs", " (published Longformer detector: F1 0.997)"),
        ("detection_pairs", "the seed family's real-pair paragraphs", ""),
    ):
        d = res.get(key)
        if not d:
            continue
        at = [
            f"{label} {d[k]['threshold']}: precision {_pct(d[k]['precision'])}, recall {_pct(d[k]['recall'])}, "
            f"F1 {d[k]['f1']:.3f}"
            for k, label in (("detect", "wordfix.detect's threshold"), ("gate", "the editing gate min_spin"))
        ]
        lines += [
            "",
            f"Detection (`wordfix.detect`, {what} ≥ {d['min_words']} words vs their originals, {d['paragraphs']} "
            f"each): AUC {d['auc']:.3f}; at {at[0]}; at {at[1]}{extra}.",
        ]
    d = res.get("detection_clean")
    if d:
        lines += [
            "",
            f"Detection on clean paragraphs (held-out benchmark corpora, ≥ {d['min_words']} words, "
            f"{d['paragraphs']}): {d['flagged']} called spun at wordfix.detect's threshold, "
            f"{d['gated']} at the editing gate.",
        ]
    if not any(k in res for k, _ in ROWS):
        lines += ["", "(no real data found beside the project: ../shared/data is absent)"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="SpinBot dev articles in the sample")
    ap.add_argument("--quick", action="store_true", help="leave out the detection pass")
    ap.add_argument("--option", action="append", default=[], metavar="NAME=VALUE", help="a wordfix.Config option")
    ap.add_argument("--out", type=Path, help="also write the report to this file")
    a = ap.parse_args(argv)
    options = {k: quality._parse_value(v) for k, v in (o.split("=", 1) for o in a.option)}
    t0 = time.perf_counter()
    res = run(options, a.articles, a.quick)
    command = "python benchmarks/real.py " + " ".join(shlex.quote(x) for x in (argv or sys.argv[1:]))
    text = report(res, command.strip()) + f"\nwall time {time.perf_counter() - t0:.0f} s\n"
    print(text)
    if a.out:
        a.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
