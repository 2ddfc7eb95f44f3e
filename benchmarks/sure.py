"""The trade-off behind ``Config.sure_confidence`` and ``habit_confidence``: edits made below the spin gate.

A paragraph restored alone is rarely judged spun as a whole; ``sure_confidence`` lets the
phrase-table rows the language model restores with near certainty through anyway. This
restores every paragraph alone twice (sure edits off, and at a low threshold; promotion off
in both) and, for the edits only the second run makes, prints how many there are at each
threshold:

- on the seed family's real pairs (``../shared/data/real-pairs``): right and wrong, against the
  original paragraph;
- on the clean held-out and tune prose of ``corpus.py``: every one is false.

Then the promotion: a short text with a sure edit, or two phrase-table habits at
``habit_confidence``, is judged spun and its edits at ``promoted_min_confidence`` are made.
For a few settings it prints the residual of the real pairs' paragraphs restored alone and the
false edits on the same clean prose and on clean Wikipedia (the original paragraphs of SpinBot
dev, when present), each paragraph alone.

    python benchmarks/sure.py            # about 10 minutes
    python benchmarks/sure.py --out benchmarks/results-sure.md
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import corpus
import quality
import real

THRESHOLDS = (0.95, 0.98, 0.99, 0.995, 0.998, 0.999)
LOWEST = min(THRESHOLDS)


def new_edits(on, off, text: str):
    """The edits ``on`` makes that ``off`` does not, and the first restoration."""
    res = on.restore(text)
    if not res.edits:
        return res, []
    base = off.restore(text).edits
    return res, [e for e in res.edits if e not in base]


def run() -> dict:
    import wordfix

    on = wordfix.Restorer(sure_confidence=LOWEST, promoted_min_confidence=1.5).warm_up()
    off = wordfix.Restorer(sure_confidence=1.5, habit_confidence=1.5).warm_up()
    pairs: list[tuple[float, bool, str]] = []
    n_pairs = 0
    for d in real.real_pairs():
        for spun, original in zip(d.spun, d.original, strict=True):
            n_pairs += 1
            res, new = new_edits(on, off, spun)
            if not new:
                continue
            per_edit, _ = quality.edit_scores(original, quality.aligned_substitutions(spun, original), res)
            ordered = sorted(res.edits, key=lambda e: e.start)
            ok = {(e.start, e.end): right for e, (_, right) in zip(ordered, per_edit, strict=True)}
            pairs.extend((e.confidence, ok[(e.start, e.end)], f"{e.before!r}→{e.after!r}") for e in new)
    clean: list[tuple[float, str, str]] = []
    paragraphs = {
        split: [p for d in corpus.load(split=split) for p in d.text.split("\n\n")] for split in ("heldout", "tune")
    }
    words = {split: 0 for split in paragraphs}
    for split, paras in paragraphs.items():
        for para in paras:
            words[split] += corpus.count_words(para)
            _, new = new_edits(on, off, para)
            clean.extend((e.confidence, split, f"{e.before!r}→{e.after!r}") for e in new)
    promoted = promotion(paragraphs)
    return {"pairs": pairs, "n_pairs": n_pairs, "clean": clean, "words": words, "promotion": promoted}


# (label, options): promotion off, then on in the ways Config allows
SETTINGS = (
    ("no edit below the gate", {"sure_confidence": 1.5, "habit_confidence": 1.5}),
    ("sure edits only", {"promoted_min_confidence": 1.5}),
    ("a sure edit promotes (habits off)", {"habit_confidence": 1.5}),
    ("a sure edit or two habits promote (defaults)", {}),
    ("defaults, promoted_min_confidence 0.5", {"promoted_min_confidence": 0.5}),
    ("defaults, habit_confidence 0.95", {"habit_confidence": 0.95}),
)


def promotion(paragraphs: dict[str, list[str]]) -> list[dict]:
    """Each setting of SETTINGS on the real pairs' paragraphs alone and on the clean
    ``paragraphs`` (by split, as ``run`` read them) and clean Wikipedia, each alone."""
    import wordfix

    rp = real.real_pairs()
    clean = {split: [real.Doc(split, [p], [p]) for p in paras] for split, paras in paragraphs.items()}
    wiki = real.spinbot_dev(real.DEFAULT_ARTICLES)
    if wiki:
        clean["wikipedia"] = wiki
    out = []
    for label, options in SETTINGS:
        r = wordfix.Restorer(**options).warm_up()
        pairs = real.score_docs(r, rp, alone=True)
        row = {"label": label, "options": options, "residual": pairs["residual"]}
        row["precision"] = pairs.get("edit_precision")
        for split, docs in clean.items():
            res = real.score_clean(r, docs, alone=True)
            row[split] = (res["false_edits"], res["words"])
        out.append(row)
    return out


def report(res: dict) -> str:
    w = res["words"]
    lines = [
        "## Sure edits below the spin gate (`sure_confidence`), each paragraph alone",
        "",
        "`python benchmarks/sure.py`: edits made only because of `sure_confidence`, by threshold; real pairs: "
        f"{res['n_pairs']} paragraphs of the seed family's real pairs; clean: held-out prose "
        f"({w['heldout']:,} words) and tune prose ({w['tune']:,} words), where every edit is false.",
        "",
        "| sure_confidence | real pairs: edits | right | wrong | clean held-out: false edits "
        "| clean tune: false edits |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for th in THRESHOLDS:
        p = [ok for conf, ok, _ in res["pairs"] if conf >= th]
        c = [split for conf, split, _ in res["clean"] if conf >= th]
        lines.append(f"| {th} | {len(p)} | {sum(p)} | {len(p) - sum(p)} | {c.count('heldout')} | {c.count('tune')} |")
    lines += ["", "False edits on clean prose (confidence, split, edit):", ""]
    lines += [f"- {conf:.4f} {split}: {edit}" for conf, split, edit in sorted(res["clean"], reverse=True)]
    rows = res["promotion"]
    splits = [k for k in ("heldout", "tune", "wikipedia") if k in rows[0]]
    words = {k: rows[0][k][1] for k in splits}
    lines += [
        "",
        "## Judged spun by its sure edits (`habit_confidence`, `promoted_min_confidence`), each paragraph alone",
        "",
        "Real pairs: residual of their paragraphs restored alone (1 = nothing repaired) and edit precision; "
        "clean: false edits, each paragraph alone (" + ", ".join(f"{k} {n:,} words" for k, n in words.items()) + ").",
        "",
        "| setting | real pairs alone: residual | edit precision | " + " | ".join(f"clean {k}" for k in splits) + " |",
        "|---|---:|---:|" + "---:|" * len(splits),
    ]
    for row in rows:
        prec = "–" if row["precision"] is None else f"{100 * row['precision']:.1f}%"
        clean = " | ".join(str(row[k][0]) for k in splits)
        lines.append(f"| {row['label']} | {row['residual']:.3f} | {prec} | {clean} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="also write the report to this file")
    args = ap.parse_args(argv)
    if not real.REAL_PAIRS.is_dir():
        print(f"skipped: {real.REAL_PAIRS} is absent (the real pairs are read from the shared data folder)")
        return 0
    text = report(run())
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
