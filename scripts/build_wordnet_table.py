#!/usr/bin/env python3
"""Build data/synonym_maps/thesaurus_wordnet.tsv: WordNet 3.0, one hop, reversed.

The seed's spinner family looks a surface word up in a WordNet-like thesaurus with no
part-of-speech tagging (nouns first: are -> "area unit", using -> "victimization"), takes
mostly the first meaning, a synonym before a generic term, and among synonyms the lemma with
the highest sense-tagged count (../shared/NOTES.md, "How the seed's spinner family chooses").
This table reverses that: for every original h, every sense of h (all parts of speech, in
WordNet's order: noun, verb, adjective, adverb; inside one, by sense rank) and every lemma e
one hop from it, the row `e -> h` with

    weight = P(sense) * P(entry | sense) * MULTI_WORD^(words of h - 1)

P(sense): FIRST_SENSE for the first sense of h, the rest shared equally by the others
(about two thirds of real swaps come from the first sense). P(entry | sense): the entries of
the sense weighed by relation (RELATION_WEIGHT) and by rank inside their relation
(RANK_DECAY^rank, lemmas ordered by their sense-tagged count), normalized to 1 per sense.
Links: same synset (synonym); hypernym and instance hypernym (generic); adjective similar-to
(similar); also-see and verb group (related); derivationally related forms and pertainyms
(derived, written as relation `related`; exact forms only when the part of speech changes).

Kept as in build_thesaurus_table.py: originals a language model can judge, no closed-class
originals and no closed-class spun words (the spinner's function-word list is curated.tsv's
business), no entries that contain the original or are spelling variants of it, no proper
nouns as originals. Rows under --min-weight are dropped.

    python scripts/build_wordnet_table.py [--wordnet /usr/share/wordnet] [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from build_thesaurus_table import STOP_WORDS, Vocabulary, stat_line, usable, write_table
from wordnet import DEFAULT_ROOT, open_wordnet

ROOT = Path(__file__).resolve().parents[1]
FIRST_SENSE = 0.6  # NOTES.md: about two thirds of the real swaps take the first sense
RANK_DECAY = 0.7  # NOTES.md: the first entry of a meaning about twice as often as chance
MULTI_WORD = 0.5  # per extra word of a multi-word original
RELATION_WEIGHT = {  # synonym > generic > similar > related > derived (NOTES.md)
    "synonym": 1.0,
    "generic": 0.4,
    "similar": 0.3,
    "also-see": 0.15,
    "derived": 0.1,
}
TABLE_RELATION = {
    "synonym": "synonym",
    "generic": "generic",
    "similar": "similar",
    "also-see": "related",
    "derived": "related",
}
POS = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("s", "adj"), ("r", "adv"))


def _name(lemma) -> str:
    return lemma.name().replace("_", " ")


def _ordered(lemmas, exclude: str) -> list:
    """Lemmas by sense-tagged count (highest first), WordNet's order among equals."""
    out, seen = [], {exclude.lower()}
    for _, lem in sorted(enumerate(lemmas), key=lambda x: (-x[1].count(), x[0])):
        n = _name(lem)
        if n.lower() not in seen:
            seen.add(n.lower())
            out.append(lem)
    return out


def sense_entries(lemma) -> list[tuple[str, str, str, int]]:
    """(entry, relation, entry pos, tagged count) one hop from one sense of a lemma."""
    syn = lemma.synset()
    h = _name(lemma)
    groups = {
        "synonym": syn.lemmas(),
        "generic": [x for s in syn.hypernyms() + syn.instance_hypernyms() for x in s.lemmas()],
        "similar": [x for s in syn.similar_tos() for x in s.lemmas()],
        "also-see": [x for s in syn.also_sees() + syn.verb_groups() for x in s.lemmas()],
        "derived": lemma.derivationally_related_forms() + lemma.pertainyms(),
    }
    out, seen = [], set()
    for rel in RELATION_WEIGHT:
        for lem in _ordered(groups[rel], h):
            e = _name(lem)
            if e.lower() in seen:
                continue
            seen.add(e.lower())
            out.append((e, rel, dict(POS)[lem.synset().pos()], lem.count()))
    return out


def build(root: str, min_weight: float) -> tuple[list[tuple], dict]:
    wn = open_wordnet(root)
    vocab = Vocabulary()
    stats: dict[str, int] = defaultdict(int)
    rows: dict[tuple[str, str, str], list] = {}
    heads = sorted({_name(lem) for s in wn.all_synsets() for lem in s.lemmas()})
    for h in heads:
        stats["lemmas"] += 1
        if h.lower() in STOP_WORDS or not h[:1].islower():
            stats["originals dropped: closed-class words or proper nouns"] += 1
            continue
        if not vocab.known(h):
            stats["originals dropped: the language model cannot judge them"] += 1
            continue
        senses = [lem for p, _ in POS for lem in wn.lemmas(h.replace(" ", "_"), p) if _name(lem) == h]
        k = len(senses)
        penalty = MULTI_WORD ** (len(h.split()) - 1)
        for i, lem in enumerate(senses):
            p_sense = 1.0 if k == 1 else (FIRST_SENSE if i == 0 else (1 - FIRST_SENSE) / (k - 1))
            pos = dict(POS)[lem.synset().pos()]
            ents = [x for x in sense_entries(lem) if usable(x[0], h)]
            if not ents:
                continue
            rank: dict[str, int] = defaultdict(int)
            raw = []
            for _e, rel, _epos, _cnt in ents:
                raw.append(RELATION_WEIGHT[rel] * RANK_DECAY ** rank[rel])
                rank[rel] += 1
            norm = sum(raw)
            for (e, rel, epos, cnt), r in zip(ents, raw, strict=True):
                if e.lower() in STOP_WORDS:
                    continue
                w = p_sense * r / norm * penalty
                row_pos = pos if epos == pos else ""
                key = (e, h, row_pos)
                note = f"wordnet {h} ({pos}) sense {i + 1}/{k} {lem.synset().name()}, {rel} {e!r} (tagged count {cnt})"
                if key in rows:
                    rows[key][0] += w
                else:
                    rows[key] = [w, TABLE_RELATION[rel], note]
    out = []
    for (e, h, pos), (w, rel, note) in rows.items():
        if w < min_weight:
            stats["rows dropped: weight below the minimum"] += 1
            continue
        if "|" in e or "\t" in e:
            continue
        out.append((e, h, rel, round(min(w, 1.0), 4), pos, note))
    out.sort(key=lambda r: (r[0].lower(), -r[3], r[1], r[4]))
    stats["rows"] = len(out)
    stats["spun phrases"] = len({r[0].lower() for r in out})
    return out, dict(stats)


HEADER = """\
# wordfix table: WordNet 3.0, one hop, reversed (generated; do not edit by hand).
# Built by scripts/build_wordnet_table.py from Debian's wordnet-base ({src}).
# Each row: a spinner replacing `original` could write `spun` (a lemma one hop from one of its senses).
# weight = P(sense) * P(entry | sense) * {multi}^(extra words of the original): first sense {first},
#   the others share the rest; entries weighed by relation {relw} and by {decay}^rank
#   within their relation (lemmas ordered by sense-tagged count); rows under {minw} dropped.
# relation: synonym (same synset), generic (hypernym, instance hypernym), similar (similar-to),
#   related (also-see, verb group, derivation, pertainym; the source column says which).
# {stats}
#
# Licence of the data: WordNet Release 3.0 Copyright 2006 by Princeton University. All rights
# reserved. Permission to use, copy, modify and distribute this software and database and its
# documentation for any purpose and without fee or royalty is hereby granted, provided that you
# agree to comply with the following copyright notice and statements, including the disclaimer,
# and that the same appear on ALL copies of the software, database and documentation, including
# modifications that you make for internal use or for distribution. THIS SOFTWARE AND DATABASE IS
# PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
# IMPLIED. The name of Princeton University or Princeton may not be used in advertising or
# publicity pertaining to distribution of the software and/or database.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", default=DEFAULT_ROOT)
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "thesaurus_wordnet.tsv"))
    ap.add_argument("--min-weight", type=float, default=0.004)
    a = ap.parse_args()
    if not Path(a.wordnet, "data.noun").exists():
        print(f"{a.wordnet}/data.noun is missing: apt-get install wordnet-base", file=sys.stderr)
        return 1
    rows, stats = build(a.wordnet, a.min_weight)
    line = stat_line(stats)
    relw = ", ".join(f"{k} {v}" for k, v in RELATION_WEIGHT.items())
    write_table(
        a.out,
        HEADER.format(
            src=a.wordnet,
            multi=MULTI_WORD,
            first=FIRST_SENSE,
            relw=relw,
            decay=RANK_DECAY,
            minw=a.min_weight,
            stats=line,
        ),
        rows,
    )
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
