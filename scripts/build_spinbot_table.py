#!/usr/bin/env python3
"""Build data/synonym_maps/spinbot.tsv: SpinBot's channel learned from real pairs.

Reads the SpinBot corpus of Foltýnek et al. 2020 (Wikipedia articles and their SpinBot
output, aligned by paragraph; CC BY 4.0, text CC BY-SA 4.0) from the shared data folder
beside the project (``../shared/data/spinbot/train.jsonl.gz``; never the dev split, which
is for measuring) and learns the substitution rules with ``wordfix.learn``. Only the
derived rules are written; no text of the corpus is.

    python scripts/build_spinbot_table.py                 # writes data/synonym_maps/spinbot.tsv
    python scripts/build_spinbot_table.py --check         # rebuild and compare byte for byte (~6 min)
    python scripts/build_spinbot_table.py --every 40 --out tests/tables/spinbot-every-40.tsv

The last is the same build on every 40th article (79 of them): the table the test suite
rebuilds byte for byte in a quarter of a minute (tests/test_learn.py), so that a change to the
learner or to the tokenizer shows there without the full six-minute rebuild, which
``--check`` does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

from wordfix import learn

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "spinbot" / "train.jsonl.gz"
OUT = ROOT / "data" / "synonym_maps" / "spinbot.tsv"
MIN_COUNT = 3  # rewrites a rule needs
MAX_PHRASE = 6
MIN_WEIGHT = 0.01
CREDIT = [
    "# Data: the SpinBot machine-paraphrase corpus of Foltynek, Ruas, Scharpf, Meuschke, Schubotz, Grosky and",
    "#   Gipp, 'Detecting Machine-obfuscated Plagiarism' (iConference 2020), used by Wahle et al. 2022;",
    "#   dataset CC BY 4.0; its text is English Wikipedia's (CC BY-SA 4.0). Only counts of substitutions",
    "#   are kept here, learned from the corpus's train split (3,123 articles).",
]


def pairs(path: Path, every: int = 1):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every:
                continue
            rec = json.loads(line)
            for original, spun in rec["pairs"]:
                yield spun, original, rec["id"]


def build(path: Path, n_process: int, every: int = 1) -> list[str]:
    table = learn.from_pairs(
        pairs(path, every),
        min_count=MIN_COUNT,
        max_phrase=MAX_PHRASE,
        min_weight=MIN_WEIGHT,
        label="SpinBot (Wikipedia articles, train split)",
        n_process=n_process,
        progress=True,
    )
    print(table.report(30), file=sys.stderr)
    lines = table.tsv_lines()
    credit = (
        CREDIT if every == 1 else [*CREDIT[:-1], CREDIT[-1].replace("(3,123 articles)", f"(every {every}th article)")]
    )
    return lines[:2] + credit + lines[2:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", action="store_true", help="rebuild and compare with the committed table")
    ap.add_argument("--every", type=int, default=1, metavar="K", help="learn from every K-th article only")
    a = ap.parse_args()
    if not a.train.exists():
        print(
            f"build_spinbot_table: {a.train.name} not found (the shared SpinBot data); nothing built", file=sys.stderr
        )
        return 0 if a.check else 1
    if a.every < 1:
        ap.error("--every must be at least 1")
    text = "\n".join(build(a.train, a.jobs, a.every)) + "\n"
    if a.check:
        same = a.out.read_text(encoding="utf-8") == text
        print("identical" if same else "differs", file=sys.stderr)
        return 0 if same else 1
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=a.out.parent, delete=False, suffix=".tmp") as f:
        f.write(text)
    Path(f.name).chmod(0o644)
    Path(f.name).replace(a.out)
    print(f"wrote {a.out.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
