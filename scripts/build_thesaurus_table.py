#!/usr/bin/env python3
"""Build data/synonym_maps/thesaurus_mythes.tsv: the spinner's thesaurus, reversed.

A thesaurus spinner replaces a word h by an entry e of h's list in the LibreOffice
thesaurus (Debian ``mythes-en-us``): a synonym or a "(generic term)". Reversing the
lists gives, for every e a spinner can write, the originals h that list it.

Channel prior ``weight`` = P(spinner writes e | it replaced h), modelled as: pick one
of h's meanings uniformly, then an entry of that meaning with a geometric bias to
the top of the list (the real spinner very often takes the first entry). Entries it
cannot use are skipped before ranking: antonyms, h itself in another case ("AN" for
"an"), and entries containing h ("electronic messaging" for "messaging").

Originals are kept when a language model could ever judge them: single words in
the pocketsphinx 3-gram vocabulary, phrases whose adjacent word pairs are attested
bigrams in wordsegment's Google web counts. Rows below ``--min-weight`` are dropped.

    python scripts/build_thesaurus_table.py [--mythes PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from mythes import DEFAULT_PATH, read_mythes

ROOT = Path(__file__).resolve().parents[1]
RANK_DECAY = 0.6  # weight of entry r+1 relative to entry r within one meaning
FUNCTION_WORDS = 100  # the most frequent web words: their proper-noun meanings are kept
# Closed-class words the spinner leaves alone: in real spun pages "in" never becomes "inch",
# "it" never "information technology", "on" never "connected" (its stop-list leaks only at
# an, are, who and us, which stay, and at never/ever/over: "ne'er", "e'er", "o'er"). Their
# swaps that do happen ("can" -> "will", "but" -> "however") are rows of curated.tsv, with
# the evidence for each.
STOP_WORDS = frozenset(
    """a about above across after again against all almost along also although am among and another any anybody
    anyone anything around as at be because been before being below beside besides between beyond both but by can
    could did do does doing down during each either else enough even every few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just least less many may me
    might mine more most much must my myself near neither no nobody none nor not nothing now of off often on
    once one only onto or other others ought our ours ourselves out own per perhaps quite rather same shall
    she should since so some somebody someone something such than that the their theirs them themselves then there
    these they this those though through thus to too toward towards under unless until up upon very via was we
    were what whatever when whenever where whereas whether which while whom whose why will with within without
    would yet you your yours yourself yourselves""".split()
)
POS_MAP = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


_BRITISH = [
    (re.compile(p), r)
    for p, r in [
        (r"our(s?)\b", r"or\1"),
        (r"tre(s?)\b", r"ter\1"),
        (r"is(e|es|ed|ing|ation|ations)\b", r"iz\1"),
        (r"ys(e|es|ed|ing)\b", r"yz\1"),
        (r"ogue(s?)\b", r"og\1"),
        (r"ence(s?)\b", r"ense\1"),
        (r"ll(ed|ing|er|ers)\b", r"l\1"),
        (r"ae", "e"),
        (r"oe", "e"),
        (r"mme(s?)\b", r"m\1"),
    ]
]


def _american(w: str) -> str:
    w = re.sub(r"[^a-z ]", "", w.lower())
    for pat, rep in _BRITISH:
        w = pat.sub(rep, w)
    return w.replace(" ", "")


def spelling_variant(a: str, b: str) -> bool:
    """British/American or hyphenation variants ("metre"/"meter", "kilometres"/"kilometers",
    "e-mail"/"email"): never worth restoring, and a British text must not look spun."""
    from rapidfuzz.distance import Levenshtein

    x, y = re.sub(r"[^a-z]", "", a.lower()), re.sub(r"[^a-z]", "", b.lower())
    if x == y or _american(a) == _american(b):
        return True
    if "'" in a or "'" in b:  # ne'er, e'er, o'er: poetic contractions, the spinner's favourites
        return False
    return x[:1] == y[:1] and Levenshtein.normalized_similarity(x, y) >= 0.75 and abs(len(x) - len(y)) <= 2


def usable(entry: str, head: str) -> bool:
    """Whether a spinner replacing `head` could write `entry`."""
    e, h = entry.lower(), head.lower()
    if e == h or spelling_variant(e, h):
        return False
    words = e.replace("-", " ").split()
    return h not in words and (" " not in h or h not in e)


def proper_noun(m) -> bool:
    """A meaning that names someone or something ("olivier": Olivier, Laurence Olivier):
    in running text it is capitalized, and wordfix does not touch capitalized words."""
    h = m.headword.lower()
    return any(
        e != m.headword and (e.lower() == h or e.lower().endswith(" " + h)) and e[:1].isupper() for e, _ in m.entries
    )


def channel_weights(
    meanings, function_word: bool = False
) -> dict[tuple[str, str, str], tuple[float, str, int, int, int]]:
    """(entry, head, pos) -> (weight, relation, sense, rank, list length) for one headword.

    Every meaning counts towards the spinner's choice of meaning, but proper-noun
    meanings give no rows (their originals would be capitalized names), except for
    function words: the spinner reads "an" as AN (Associate in Nursing) and "who" as
    WHO (United Nations agency), its most famous artifacts."""
    out: dict[tuple[str, str, str], list] = {}
    k = len(meanings)
    for m in meanings:
        if proper_noun(m) and not function_word:
            continue
        ents = [(e, r) for e, r in m.entries if r != "antonym" and usable(e, m.headword)]
        if not ents:
            continue
        norm = sum(RANK_DECAY**i for i in range(len(ents)))
        for rank, (e, rel) in enumerate(ents):
            w = (RANK_DECAY**rank / norm) / k
            key = (e, m.headword, POS_MAP.get(m.pos, ""))
            if key in out:
                out[key][0] += w
            else:
                out[key] = [w, rel, m.sense, rank, len(ents)]
    return {key: tuple(v) for key, v in out.items()}


class Vocabulary:
    """Which originals a language model can judge (build time only)."""

    def __init__(self):
        import pocketsphinx
        import wordsegment

        self.lm = pocketsphinx.NGramModel.readfile(pocketsphinx.get_model_path() + "/en-us/en-us.lm.bin")
        wordsegment.load()
        self.bigrams = wordsegment.BIGRAMS
        self.unigrams = wordsegment.UNIGRAMS
        top = sorted(wordsegment.UNIGRAMS, key=wordsegment.UNIGRAMS.get, reverse=True)
        self.function_words = frozenset(top[:FUNCTION_WORDS])

    def known(self, phrase: str) -> bool:
        """A single word the 3-gram model or the web unigram list knows ("euclidean"),
        or a phrase of 3-gram words whose adjacent pairs are attested web bigrams."""
        words = phrase.lower().replace("-", " ").split()
        if len(words) == 1:
            w = words[0]
            return bool(_WORD.fullmatch(w)) and (self.lm.prob([w]) > -100_000_000 or w in self.unigrams)
        if not words or not all(_WORD.fullmatch(w) and self.lm.prob([w]) > -100_000_000 for w in words):
            return False
        return all(f"{a} {b}" in self.bigrams for a, b in zip(words, words[1:], strict=False))


def build(mythes_path: str, min_weight: float) -> tuple[list[tuple], dict]:
    vocab = Vocabulary()
    by_head: dict[str, list] = defaultdict(list)
    for m in read_mythes(mythes_path):
        by_head[m.headword].append(m)
    rows, stats = [], defaultdict(int)
    for head, meanings in by_head.items():
        stats["headwords"] += 1
        if head in STOP_WORDS:
            stats["headwords dropped: closed-class words the spinner leaves alone"] += 1
            continue
        if len(head) == 1:  # WordNet's abbreviations (c for carbon, s for second): never the original of a swap
            stats["headwords dropped: single letters"] += 1
            continue
        if not vocab.known(head):
            stats["headwords dropped: the language model cannot judge them"] += 1
            continue
        function_word = head in vocab.function_words
        for (entry, h, pos), (w, rel, sense, rank, n) in channel_weights(meanings, function_word).items():
            if w < min_weight:
                stats["rows dropped: weight below the minimum"] += 1
                continue
            if "|" in entry or "\t" in entry:
                continue
            rows.append(
                (entry, h, rel, round(w, 4), pos, f"mythes {h} ({pos}) meaning {sense + 1}, entry {rank + 1}/{n}")
            )
    rows.sort(key=lambda r: (r[0].lower(), -r[3], r[1]))
    stats["rows"] = len(rows)
    stats["spun phrases"] = len({r[0].lower() for r in rows})
    return rows, dict(stats)


HEADER = """\
# wordfix table: the mythes-en-us thesaurus reversed (generated; do not edit by hand).
# Built by scripts/build_thesaurus_table.py from Debian's mythes-en-us ({src}).
# Each row: a spinner replacing `original` could write `spun` (one of its thesaurus entries).
# weight = P(spinner writes spun | original): a meaning of the original chosen uniformly,
#   then an entry with weight {decay}^rank (entries ranked after removing antonyms and
#   entries that contain the original); rows under {minw} dropped.
# relation: synonym, generic ("(generic term)"), similar, related, as the thesaurus says.
# {stats}
#
# Licence of the data (WordNet 3.0 via mythes-en-us): WordNet Release 3.0 Copyright 2006
# by Princeton University. All rights reserved. Permission to use, copy, modify and
# distribute this software and database and its documentation for any purpose and without
# fee or royalty is hereby granted, provided that you agree to comply with the following
# copyright notice and statements, including the disclaimer, and that the same appear on
# ALL copies of the software, database and documentation, including modifications that you
# make for internal use or for distribution. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS"
# AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED.
# The name of Princeton University or Princeton may not be used in advertising or
# publicity pertaining to distribution of the software and/or database.
spun\toriginal\trelation\tweight\tpos\tcontext\tsource
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mythes", default=DEFAULT_PATH)
    ap.add_argument("--out", default=str(ROOT / "data" / "synonym_maps" / "thesaurus_mythes.tsv"))
    ap.add_argument("--min-weight", type=float, default=0.004)
    a = ap.parse_args()
    if not Path(a.mythes).exists():
        print(f"{a.mythes} is missing: apt-get install mythes-en-us", file=sys.stderr)
        return 1
    rows, stats = build(a.mythes, a.min_weight)
    line = stat_line(stats)
    write_table(a.out, HEADER.format(src=a.mythes, decay=RANK_DECAY, minw=a.min_weight, stats=line), rows)
    print(line)
    return 0


def stat_line(stats: dict) -> str:
    """A build's counts as the one header line generated tables carry."""
    return "; ".join(f"{k}: {v}" for k, v in stats.items())


def write_table(path: str, header: str, rows) -> None:
    """A generated table: its header, then one row a line (spun, original, relation, weight, pos,
    no context, source)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for entry, head, rel, w, pos, src in rows:
            f.write(f"{entry}\t{head}\t{rel}\t{w}\t{pos}\t\t{src}\n")


if __name__ == "__main__":
    sys.exit(main())
