"""Candidate pool per table source: candidate recall and candidates per span on real spun text.

Only candidate generation runs (no scoring), so one configuration takes seconds. For each
table set (the bundled tables, or the bundled tables without one source, or one source with
the curated rows) it reports, on the seed family's real pairs (``../shared/data/real-pairs``,
skipped with a note when absent) and on the seed article: the share of real substitutions whose
original is among the candidates, and the median number of candidates over the spans that
overlap a substitution.

    python benchmarks/pool.py                       # bundled tables, then each source left out
    python benchmarks/pool.py --option max_candidates=40
    python benchmarks/pool.py --table my.tsv --table data/synonym_maps/curated.tsv   # these tables only
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import quality
import real
from yardstick import candidate_recall, closest


def measure(restorer, docs) -> dict:
    hits, sizes, n = 0, [], 0
    for d in docs:
        spun, original = "\n\n".join(d.spun), "\n\n".join(d.original)
        subs = quality.aligned_substitutions(spun, original)
        for hit, size, overlapped in candidate_recall(spun, subs, restorer.candidates(spun)):
            n += 1
            hits += hit
            if overlapped:
                sizes.append(size)
    return {
        "subs": n,
        "recall": hits / n if n else None,
        "median": statistics.median(sizes) if sizes else None,
    }


def seed_docs() -> list:
    if not quality.SEED_ORIGINAL.exists():
        return []
    spun, ref = quality.seed_article()
    _, original = closest(spun, ref)
    return [real.Doc("seed", [spun], [original])]


def main(argv=None) -> int:
    import wordfix
    from wordfix.tables import bundled_tables

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--option", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--only-bundled", action="store_true", help="skip the leave-one-out rows")
    ap.add_argument("--table", action="append", metavar="FILE", help="measure these tables (repeatable) instead")
    a = ap.parse_args(argv)
    options = {k: quality._parse_value(v) for k, v in (o.split("=", 1) for o in a.option)}
    pairs, seed = real.real_pairs(), seed_docs()
    if not pairs:
        print("(no real pairs found beside the project: ../shared/data is absent)")
    tables = [str(p) for p in bundled_tables()]
    configs = [("bundled tables", tables)] if not a.table else [(", ".join(Path(t).name for t in a.table), a.table)]
    if not a.only_bundled and not a.table:
        for t in tables:
            if not t.endswith("curated.tsv"):
                configs.append((f"without {Path(t).name}", [x for x in tables if x != t]))
    print(f"options {options or 'default'}\n")
    print("| tables | real pairs: subs | cand. recall | median cands | seed: cand. recall | median cands | s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, ts in configs:
        t0 = time.perf_counter()
        r = wordfix.Restorer(tables=ts, **options)
        p, s = measure(r, pairs), measure(r, seed)
        f = real._pct
        print(
            f"| {label} | {p['subs']} | {f(p['recall'])} | {real._num(p['median'], 'g')} | {f(s['recall'])} | "
            f"{real._num(s['median'], 'g')} | {time.perf_counter() - t0:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
