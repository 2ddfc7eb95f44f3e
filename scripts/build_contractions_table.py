#!/usr/bin/env python3
"""Build data/synonym_maps/contractions.tsv: English contractions, both ways.

The seed family's spinner treats a contraction and its long form as synonyms: its real
documents write "it's" for "it is" and "that's" for "that is" nearly every time, and also
"they're", "there's", "we've", "you'd", "you'll", "I'll" for the long forms and "do not",
"I am", "you have" for "don't", "I'm", "you've" (../shared/data/real-pairs, counted by
``wordfix learn --min-count 1``: "it is" -> "it's" 10 of 11 occurrences, "that is" -> "that's"
5 of 5, seven other long forms 1 of 1 each; the four contractions the documents hold were
all expanded). No thesaurus lists these pairs, so they were missing from the candidate pool.
The table covers every standard contraction, not only the ones seen (the spinner's rule,
not its examples):

    spun contraction   <- original long form    weight CONTRACT   ("that's" <- "that is")
    spun long form     <- original contraction  weight EXPAND     ("do not" <- "don't")
    a second reading of the contraction         weight SECOND     ("it's" <- "it has")

The weights are channel priors P(spun | original) like curated.tsv's: a rewrite the real
pages show 20+ times gets 0.6 there, and a pair seen a few times 0.3-0.45; the language model
still decides in context, so a clean "that's" is not touched. Pairs curated.tsv has already
are left out (its rows keep their own evidence).

    python scripts/build_contractions_table.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = 0.6
EXPAND = 0.45
SECOND = 0.3

# (contraction, its long form, other readings)
PAIRS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("I'm", "I am", ()),
    ("you're", "you are", ()),
    ("we're", "we are", ()),
    ("they're", "they are", ()),
    ("he's", "he is", ("he has",)),
    ("she's", "she is", ("she has",)),
    ("it's", "it is", ("it has",)),
    ("that's", "that is", ("that has",)),
    ("there's", "there is", ("there has",)),
    ("here's", "here is", ()),
    ("what's", "what is", ("what has",)),
    ("who's", "who is", ("who has",)),
    ("where's", "where is", ()),
    ("how's", "how is", ()),
    ("let's", "let us", ()),
    ("I'll", "I will", ()),
    ("you'll", "you will", ()),
    ("he'll", "he will", ()),
    ("she'll", "she will", ()),
    ("it'll", "it will", ()),
    ("we'll", "we will", ()),
    ("they'll", "they will", ()),
    ("that'll", "that will", ()),
    ("there'll", "there will", ()),
    ("I'd", "I would", ("I had",)),
    ("you'd", "you would", ("you had",)),
    ("he'd", "he would", ("he had",)),
    ("she'd", "she would", ("she had",)),
    ("we'd", "we would", ("we had",)),
    ("they'd", "they would", ("they had",)),
    ("it'd", "it would", ()),
    ("that'd", "that would", ()),
    ("I've", "I have", ()),
    ("you've", "you have", ()),
    ("we've", "we have", ()),
    ("they've", "they have", ()),
    ("could've", "could have", ()),
    ("would've", "would have", ()),
    ("should've", "should have", ()),
    ("might've", "might have", ()),
    ("must've", "must have", ()),
    ("isn't", "is not", ()),
    ("aren't", "are not", ()),
    ("wasn't", "was not", ()),
    ("weren't", "were not", ()),
    ("don't", "do not", ()),
    ("doesn't", "does not", ()),
    ("didn't", "did not", ()),
    ("haven't", "have not", ()),
    ("hasn't", "has not", ()),
    ("hadn't", "had not", ()),
    ("won't", "will not", ()),
    ("wouldn't", "would not", ()),
    ("can't", "cannot", ("can not",)),
    ("couldn't", "could not", ()),
    ("shouldn't", "should not", ()),
    ("mustn't", "must not", ()),
    ("mightn't", "might not", ()),
    ("needn't", "need not", ()),
    ("shan't", "shall not", ()),
)

HEADER = """\
# wordfix table: English contractions and their long forms, both ways (generated; do not edit by hand).
# Built by scripts/build_contractions_table.py from its own list of the standard contractions.
# Each row: a spinner replacing `original` could write `spun` (a contraction for its long form,
#   or the long form for a contraction). The seed family's real documents do both.
# weight: contraction <- long form {contract}; long form <- contraction {expand}; a second
#   reading of a contraction ("it's" <- "it has") {second}. See the script for the evidence.
# Pairs curated.tsv already has are left out. Rows: {n}.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def curated_pairs(path: Path) -> set[tuple[str, str]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        f = line.split("\t")
        out.add((f[0].lower(), f[1].lower()))
    return out


def rows(skip: set[tuple[str, str]]) -> list[tuple[str, str, float, str]]:
    out = []
    for short, long, others in PAIRS:
        out.append((short, long, CONTRACT, "contraction for its long form"))
        out.append((long, short, EXPAND, "long form for its contraction"))
        out += [(short, other, SECOND, "contraction for a second long form") for other in others]
        out += [(other, short, SECOND, "a second long form for its contraction") for other in others]
    return [r for r in out if (r[0].lower(), r[1].lower()) not in skip]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "contractions.tsv"))
    a = ap.parse_args(argv)
    table = rows(curated_pairs(ROOT / "data" / "synonym_maps" / "curated.tsv"))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(HEADER.format(contract=CONTRACT, expand=EXPAND, second=SECOND, n=len(table)))
        for spun, original, weight, why in table:
            f.write(f"{spun}\t{original}\tphrase\t{weight}\t\t\t{why}\n")
    print(f"{len(table)} rows -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
