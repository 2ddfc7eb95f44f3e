#!/usr/bin/env python3
"""Build data/synonym_maps/commas.json: how often clean prose puts a comma after each word.

The 3-gram model wordfix scores with is a speech model: it has no punctuation, so it cannot
tell that "However, the rooms were clean" reads well and "But, the rooms were clean" does
not. The seed's spinner swaps words and leaves the punctuation where it was, so a comma
after a span is evidence about its original: "however" is followed by a comma 93% of the
time in Wikipedia prose, "but" 0.9%. This script counts, for every word, its occurrences
and those followed by a comma in the original side of the SpinBot corpus's train split
(English Wikipedia articles, ``../shared/data/spinbot/train.jsonl.gz``; never the dev
split). Only the counts are written, for words seen at least MIN_COUNT times.

    python scripts/build_commas.py            # writes data/synonym_maps/commas.json
    python scripts/build_commas.py --check    # rebuild and compare
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

from wordfix import tables

ROOT = Path(__file__).resolve().parents[1]
SPINBOT_TRAIN = ROOT.parent / "shared" / "data" / "spinbot" / "train.jsonl.gz"
OUT = tables.data_dir() / "commas.json"
MIN_COUNT = 50
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[^\sA-Za-z]")


def count(path: Path) -> tuple[Counter, Counter]:
    """(occurrences, occurrences followed by a comma) of each lower-cased word."""
    seen: Counter = Counter()
    comma: Counter = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            for original, _ in json.loads(line)["pairs"]:
                toks = _TOKEN.findall(original)
                for a, b in zip(toks, [*toks[1:], ""], strict=True):
                    if a[0].isalpha():
                        w = a.lower().replace("’", "'")
                        seen[w] += 1
                        comma[w] += b == ","
    return seen, comma


def build(path: Path) -> str:
    seen, comma = count(path)
    total, commas = sum(seen.values()), sum(comma.values())
    words = {w: [comma[w], n] for w, n in sorted(seen.items()) if n >= MIN_COUNT}
    doc = {
        "about": "how often English Wikipedia prose puts a comma after each word (scripts/build_commas.py)",
        "source": "original side of the SpinBot corpus, train split (Foltynek et al. 2020, CC BY 4.0; "
        "text from English Wikipedia, CC BY-SA 4.0); counts only",
        "min_count": MIN_COUNT,
        "words_counted": total,
        "commas": commas,
        "words": words,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="rebuild and compare with --out instead of writing")
    a = ap.parse_args()
    if not SPINBOT_TRAIN.exists():
        print(f"build_commas: {SPINBOT_TRAIN} is missing (the SpinBot corpus in ../shared/data)", file=sys.stderr)
        return 1
    text = build(SPINBOT_TRAIN)
    if a.check:
        same = a.out.exists() and a.out.read_text(encoding="utf-8") == text
        print("identical" if same else f"{a.out} differs from a rebuild", file=sys.stderr)
        return 0 if same else 1
    a.out.write_text(text, encoding="utf-8")
    print(f"{a.out}: {len(json.loads(text)['words'])} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
