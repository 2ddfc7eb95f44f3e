"""Choose wordfix's decision options on the *tune* split (never on held-out text).

Runs a small grid of options; for each prints edit precision, residual error and
candidate recall on spun tune text (reference spinner, two rates), false edits per
10,000 words on clean tune text, and the real seed article's residual:

    python benchmarks/tune.py --words 6000 --grid lm_weight=0.4,0.5,0.7 min_confidence=0.5,0.7

Options are `wordfix.Config` fields, the tuned numbers of every stage included
(`cut_factor`, `max_log_r`, `lower_start`, `prune_margin`, ...: see the Config docstring);
values are parsed as Python literals.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import sys
import time
from pathlib import Path

import corpus
import quality

import wordfix

HERE = Path(__file__).resolve().parent


def sample(docs, words: int):
    out, n = [], 0
    for d in sorted(docs, key=lambda d: d.id):
        if n >= words:
            break
        out.append(d)
        n += len(d.text.split())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=6000, help="words per register and rate")
    ap.add_argument("--grid", nargs="*", default=[], metavar="OPTION=V1,V2")
    ap.add_argument("--rates", default="0.2,0.35")
    a = ap.parse_args()
    grid = {}
    for item in a.grid:
        k, vs = item.split("=", 1)
        grid[k] = [ast.literal_eval(v) for v in vs.split(",")]
    regs = corpus.registers()
    spun_docs = [d for r in regs for d in sample(corpus.load(r, split="tune"), a.words // len(regs) * 3)]
    clean_docs = [d for r in regs for d in sample(corpus.load(r, split="tune"), a.words // len(regs) * 3)]
    rates = [float(x) for x in a.rates.split(",")]
    keys = list(grid)
    print(
        "| "
        + " | ".join(keys)
        + " | edit P | residual | cand. recall | P@0.9 | clean false/10k | seed residual | seed P |"
    )
    print("|" + "---|" * (len(keys) + 7))
    for values in itertools.product(*(grid[k] for k in keys)) if keys else [()]:
        opts = dict(zip(keys, values, strict=True))
        r = wordfix.Restorer(**opts)
        t = time.time()
        spun = quality.aggregate(
            res for rate in rates for res in quality.evaluate_docs(r, spun_docs, rate, seed=int(rate * 100) + 7)
        )
        clean = quality.evaluate_clean(r, clean_docs)
        seed = quality.evaluate_seed(r)
        cells = [str(v) for v in values] + [
            f"{spun['edit_precision']:.3f}",
            f"{spun['residual']:.3f}",
            f"{spun['candidate_recall']:.3f}",
            f"{spun['precision_high'] or 0:.3f}",
            f"{clean.get('false_per_10k', clean.get('per_10k', 0)):.2f}",
            f"{seed['residual']:.3f}",
            f"{seed['edit_precision']:.3f}",
        ]
        print("| " + " | ".join(cells) + f" |  ({time.time() - t:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
