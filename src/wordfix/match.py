"""Stage 2: find every span of the text that some table lists as spinner output.

Matching walks the word units once; at each position it extends the phrase while it
is still a prefix of some table key, so the cost is linear in the text. Inflected
forms match rows that carry a part of speech: the verb's first word or the noun's
last word is looked up by its lemma ("shutting the deal", "stringed instruments").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document
    from .tables import TableIndex


@dataclass(frozen=True, slots=True)
class Match:
    """A table key found in the text: units ``seq[start:end]`` read as ``key``.

    ``pos``/``tag`` are set when the key matched through an inflected head: only rows
    of that part of speech apply, and their originals take that Penn tag.
    """

    start: int  # position in the sequence of non-space units
    end: int
    key: tuple[str, ...]
    pos: str | None = None
    tag: str | None = None


def find_matches(doc: Document, index: TableIndex) -> list[Match]:
    """Every table key matching the document's unit sequence, exact or through an inflected head."""
    units, breaks = doc.units, doc.breaks
    lowers = [units[i].lower for i in doc.seq]
    n = len(lowers)
    by_key, prefixes, max_len = index.by_key, index.prefixes, index.max_len
    analyses = index.analyses.get
    out: list[Match] = []
    for i in range(n):
        # exact forms, and the last word read as a lemma (nouns, adjectives, single verbs)
        key: tuple[str, ...] = ()
        for j in range(i, min(n, i + max_len)):
            w = lowers[j]
            for lemma, pos, tag in analyses(w, ()):
                if pos == "verb" and j > i:
                    continue
                k = key + (lemma,)
                if k in by_key:
                    out.append(Match(i, j + 1, k, pos, tag))
            key = key + (w,)
            if key in by_key:
                out.append(Match(i, j + 1, key))
            if key not in prefixes or j in breaks:
                break
        # the first word read as a lemma (verb phrases: "shutting the deal")
        for lemma, pos, tag in analyses(lowers[i], ()):
            if pos != "verb":
                continue
            key = (lemma,)
            for j in range(i + 1, min(n, i + max_len)):
                if key not in prefixes or (j - 1) in breaks:
                    break
                key = key + (lowers[j],)
                if key in by_key:
                    out.append(Match(i, j + 1, key, "verb", tag))
    return out
