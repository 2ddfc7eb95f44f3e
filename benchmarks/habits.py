"""How often the spinner changes the originals of its function-word list (``Config.habit_rate``).

For every original of a ``phrase`` row of ``curated.tsv`` ("can", "which", "the same", ...)
this counts its occurrences in the originals of the seed family's real pairs
(``../shared/data/real-pairs``) and the seed article's reconstruction, and how many the spinner
left as they were (every word in an unchanged stretch of a word alignment with the spun text)
or changed. It prints the rate per original next to the share of all original words changed:
the thesaurus rate the decoder estimates per text is about the latter, the hand list's rate
(``habit_rate``) about the former.

With ``--contractions`` it counts instead how often each original of
``contractions.tsv`` (a pronoun and its auxiliary: "it is", "you will") was written as the
row's contraction ("it's", "you'll"), by auxiliary: the weights of
``scripts/build_contractions_table.py``.

    python benchmarks/habits.py               # seconds; skipped with a note without ../shared
    python benchmarks/habits.py --min-count 4
    python benchmarks/habits.py --contractions
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import quality
import real
from rapidfuzz.distance import Levenshtein
from yardstick import closest, tokens

from wordfix.tables import data_dir, load_table


def habit_originals(table: str = "curated.tsv") -> set[tuple[str, ...]]:
    """The originals of a bundled table's ``phrase`` rows, as lower-case word tuples."""
    return {tuple(r.original.lower().split()) for r in load_table(data_dir() / table) if r.relation == "phrase"}


def count(pairs: Sequence[tuple[str, str]], originals: set[tuple[str, ...]]) -> tuple[dict, int, int]:
    """{original: [kept, changed]}, and all original words (not punctuation) kept and changed."""
    out: dict[tuple[str, ...], list[int]] = {}
    kept_all = changed_all = 0
    longest = max(map(len, originals), default=1)
    for spun, original in pairs:
        words = [t for t, _, _ in tokens(original)]
        kept = quality.Alignment.of(spun, original).o_ok  # each original word in an unchanged stretch
        for w, k in zip(words, kept, strict=True):
            if any(ch.isalnum() for ch in w):  # words, not punctuation
                kept_all += k
                changed_all += not k
        for i in range(len(words)):
            for n in range(1, longest + 1):
                key = tuple(words[i : i + n])
                if len(key) == n and key in originals:
                    c = out.setdefault(key, [0, 0])
                    c[0 if all(kept[i : i + n]) else 1] += 1
    return out, kept_all, changed_all


def contracted(pairs: Sequence[tuple[str, str, str]], table: str = "contractions.tsv") -> dict[str, list]:
    """{auxiliary: [occurrences, contracted, documents contracting it]} for the originals of
    a contraction table's rows ("it is"), over (name, spun, original) pairs: an occurrence is
    contracted when the stretch of the word alignment that changed it reads the row's
    contraction in the spun text."""
    forms = {tuple(r.original.lower().split()): " ".join(r.spun) for r in load_table(data_dir() / table)}
    out: dict[str, list] = {}
    for name, spun, original in pairs:
        s, o = [t for t, _, _ in tokens(spun)], [t for t, _, _ in tokens(original)]
        changed = {}  # original position -> spun tokens of the non-equal stretch over it
        for op in Levenshtein.opcodes(s, o):
            if op.tag != "equal":
                for j in range(op.dest_start, op.dest_end):
                    changed[j] = s[op.src_start : op.src_end]
        for j in range(len(o) - 1):
            form = forms.get((o[j], o[j + 1]))
            if form is None:
                continue
            c = out.setdefault(o[j + 1], [0, 0, set()])
            c[0] += 1
            if any(form in changed.get(k, ()) for k in (j, j + 1)):
                c[1] += 1
                c[2].add(name)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=5, help="originals seen at least this often (default 5)")
    ap.add_argument(
        "--contractions", action="store_true", help="how often contractions.tsv's originals were contracted"
    )
    a = ap.parse_args(argv)
    docs = real.real_pairs()
    if not docs or not quality.SEED_ORIGINAL.exists():
        print("skipped: ../shared/data/real-pairs or the seed reconstruction is absent")
        return 0
    pairs = [("\n\n".join(d.spun), "\n\n".join(d.original)) for d in docs]
    seed, ref = quality.seed_article()
    pairs.append((seed, closest(seed, ref)[1]))
    if a.contractions:
        named = [(d.name, *p) for d, p in zip(docs, pairs[:-1], strict=True)] + [("seed", *pairs[-1])]
        print(f"{len(pairs)} real pairs (the seed family's real pairs and the seed article)\n")
        print("| a pronoun + | occurrences | contracted | rate | documents contracting it |")
        print("|---|---:|---:|---:|---|")
        for aux, (n, c, names) in sorted(contracted(named).items(), key=lambda x: -x[1][0]):
            print(f"| {aux} | {n} | {c} | {c / n:.2f} | {', '.join(sorted(names))} |")
        return 0
    counts, kept, changed = count(pairs, habit_originals())
    print(f"{len(pairs)} real pairs (the seed family's real pairs and the seed article)")
    print(f"all original words: {changed} of {kept + changed} changed ({changed / (kept + changed):.0%})\n")
    print("| original of a phrase row | occurrences | changed | rate |")
    print("|---|---:|---:|---:|")
    shown = [(k, c) for k, c in counts.items() if sum(c) >= a.min_count]
    for key, (k, c) in sorted(shown, key=lambda x: (-sum(x[1]), x[0])):
        print(f"| {' '.join(key)} | {k + c} | {c} | {c / (k + c):.2f} |")
    k_all = sum(k for k, _ in counts.values())
    c_all = sum(c for _, c in counts.values())
    if k_all + c_all:
        print(f"| **every original of a phrase row** | {k_all + c_all} | {c_all} | {c_all / (k_all + c_all):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
