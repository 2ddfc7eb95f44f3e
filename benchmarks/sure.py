"""The trade-off behind ``Config.sure_confidence``: edits made below the spin gate.

A paragraph restored alone is rarely judged spun as a whole; ``sure_confidence`` lets the
phrase-table rows the language model restores with near certainty through anyway. This
restores every paragraph alone twice (sure edits off, and at a low threshold) and, for the
edits only the second run makes, prints how many there are at each threshold:

- on the seed family's real pairs (``../shared/data/real-pairs``): right and wrong, against the
  original paragraph;
- on the clean held-out and tune prose of ``corpus.py``: every one is false.

    python benchmarks/sure.py            # about 4 minutes
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

    on = wordfix.Restorer(sure_confidence=LOWEST).warm_up()
    off = wordfix.Restorer(sure_confidence=1.5).warm_up()
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
    words = {"heldout": 0, "tune": 0}
    for split in words:
        for doc in corpus.load(split=split):
            for para in doc.text.split("\n\n"):
                words[split] += corpus.count_words(para)
                _, new = new_edits(on, off, para)
                clean.extend((e.confidence, split, f"{e.before!r}→{e.after!r}") for e in new)
    return {"pairs": pairs, "n_pairs": n_pairs, "clean": clean, "words": words}


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
