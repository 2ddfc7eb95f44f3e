#!/usr/bin/env python3
"""Build data/synonym_maps/numbers.tsv: numbers written in digits, spelled out.

Spinners spell numbers out: the seed family's real documents write "twenty-two" for 22,
"fifty" for 50, "thirty" for 30, "three" for 3 and "one hundred" for 100 (9 of their 690
substitutions, ../shared/data/real-pairs), and SpinBot writes "seventeenth" for 17th and
"first" for 1st (about 100 of the 48,511 substitutions of 40 SpinBot dev articles). No
thesaurus lists digits, so the original was never a candidate. The table covers the rule,
not the numbers seen: 0-100, the hundreds to 1,000 and the ordinals 1st-100th.

    spun number word  <- original in digits   weight WEIGHT

WEIGHT is a low channel prior (a pair seen a few times, as curated.tsv's 3+ rows): the
language model reads every number in digits as one token of its own, so it rarely prefers
the digits and a clean "three" stays as it is; the row makes the digits a candidate.

    python scripts/build_numbers_table.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_thesaurus_table import write_table

ROOT = Path(__file__).resolve().parents[1]
WEIGHT = 0.3

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
ORDINAL_TENS = "_ _ twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()


def cardinal(n: int) -> str:
    if n < 20:
        return UNITS[n]
    if n < 100:
        t, u = divmod(n, 10)
        return TENS[t] + (f"-{UNITS[u]}" if u else "")
    if n % 100 == 0 and n < 1000:
        return f"{UNITS[n // 100]} hundred"
    if n == 1000:
        return "one thousand"
    raise ValueError(n)


def ordinal(n: int) -> str:
    if n < 20:
        return ORDINAL_UNITS[n]
    t, u = divmod(n, 10)
    if n < 100:
        return TENS[t] + f"-{ORDINAL_UNITS[u]}" if u else ORDINAL_TENS[t]
    if n == 100:
        return "one hundredth"
    raise ValueError(n)


def suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def rows() -> list[tuple[str, str, str]]:
    out = [(cardinal(n), str(n), "a number spelled out") for n in range(0, 101)]
    out += [(cardinal(n), str(n), "a number spelled out") for n in range(200, 1001, 100)]
    out += [(ordinal(n), f"{n}{suffix(n)}", "an ordinal spelled out") for n in range(1, 101)]
    return out


HEADER = """\
# wordfix table: numbers in digits, spelled out (generated; do not edit by hand).
# Built by scripts/build_numbers_table.py: 0-100, the hundreds to 1,000, the ordinals 1st-100th.
# Each row: a spinner replacing `original` (digits) could write `spun` (the number in words).
# weight {weight}: a low prior; the language model decides in context. See the script. Rows: {n}.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "numbers.tsv"))
    a = ap.parse_args(argv)
    table = rows()
    write_table(
        a.out, HEADER.format(weight=WEIGHT, n=len(table)), [(s, o, "phrase", WEIGHT, "", why) for s, o, why in table]
    )
    print(f"{len(table)} rows -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
