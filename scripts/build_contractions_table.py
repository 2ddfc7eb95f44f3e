#!/usr/bin/env python3
"""Build data/synonym_maps/contractions.tsv: a pronoun and its auxiliary, contracted.

The seed family's spinner contracts a pronoun and the auxiliary after it: in the four real
documents of ../shared/data/real-pairs "it is" became "it's", and "that is" "that's", "there
is" "there's", "they are" "they're", "you will" "you'll", "I will" "I'll", "you would"
"you'd", "we have" "we've", "I am" "I'm" and "it has" "it's". No thesaurus lists a
contraction, so the words the author wrote were never a candidate (about 20 of the 690
substitutions there). The table covers the rule, not the pairs seen: every standard
contraction of a subject pronoun (or "that", "there", "here", "what", "who", "where", "how")
and is / has / are / will / would / have / am.

    spun contraction  <- original pronoun + auxiliary   weight: the rate the spinner contracts it

WEIGHTS are measured on those documents and the seed article (in-sample, as curated.tsv's
function-word rows; ``python benchmarks/habits.py --contractions`` prints the counts):

    X is    -> X's    16 of 18 occurrences of a pronoun + "is" (4 of 4 documents)
    others  -> X'…     9 of 15 occurrences of a pronoun + will / have / has / are / would / am,
                       pooled (will 3 of 5, have 2 of 5, has 1 of 2, are, would and am 1 of 1;
                       4 of 4 documents between them, too few to weigh each apart)

Negations ("don't", "isn't") are left out: the pairs show them both ways, once each, and the
spinner's double-spun document expands as often as it contracts. "X'd" for "X had" is left
out too: never seen, and "had" is far rarer there than "would".

    python scripts/build_contractions_table.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_thesaurus_table import write_table

ROOT = Path(__file__).resolve().parents[1]

IS_WEIGHT = 0.89  # 16 of 18
OTHER_WEIGHT = 0.6  # 9 of 15

# The auxiliary, its contracted ending, and the subjects standard English contracts it after.
CONTRACTIONS = (
    ("is", "'s", "it that there here what who where how he she"),
    ("has", "'s", "it that there here what who where how he she"),
    ("are", "'re", "you we they what who"),
    ("will", "'ll", "i you we they he she it that there who"),
    ("would", "'d", "i you we they he she it that there who"),
    ("have", "'ve", "i you we they who"),
    ("am", "'m", "i"),
)


def rows() -> list[tuple[str, str, float]]:
    out = []
    for aux, ending, subjects in CONTRACTIONS:
        for subject in subjects.split():
            s = "I" if subject == "i" else subject
            out.append((s + ending, f"{s} {aux}", IS_WEIGHT if aux == "is" else OTHER_WEIGHT))
    return out


HEADER = """\
# wordfix table: a pronoun and its auxiliary, contracted (generated; do not edit by hand).
# Built by scripts/build_contractions_table.py: every standard contraction of a subject pronoun
# (and that/there/here/what/who/where/how) with is, has, are, will, would, have and am.
# Each row: a spinner replacing `original` could write `spun`. weight: how often the seed
# family's spinner contracts it in ../shared/data/real-pairs (see the script). Rows: {n}.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "contractions.tsv"))
    a = ap.parse_args(argv)
    table = rows()
    why = {IS_WEIGHT: "a pronoun + is contracted", OTHER_WEIGHT: "a pronoun + auxiliary contracted"}
    write_table(a.out, HEADER.format(n=len(table)), [(s, o, "phrase", w, "", why[w]) for s, o, w in table])
    print(f"{len(table)} rows -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
