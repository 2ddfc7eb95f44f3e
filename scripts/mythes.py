"""Read the MyThes thesaurus (Debian ``mythes-en-us``: /usr/share/mythes/th_en_US_v2.dat).

Each headword line ``word|n`` is followed by n meaning lines ``(pos)|entry|entry (generic term)|...``.
Thesaurus spinners pick their replacements from exactly these lists. Used at build time by
``build_thesaurus_table.py`` and by the reference spinner in ``benchmarks/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

DEFAULT_PATH = "/usr/share/mythes/th_en_US_v2.dat"
_TAGGED = re.compile(r"^(.*?) \((generic term|similar term|related term|antonym)\)$")
RELATION = {"generic term": "generic", "similar term": "similar", "related term": "related", "antonym": "antonym"}


@dataclass(frozen=True)
class Meaning:
    headword: str
    pos: str  # noun, verb, adj, adv
    sense: int  # index of this meaning among the headword's meanings (0 = first)
    entries: tuple[tuple[str, str], ...]  # (entry, relation: synonym/generic/similar/related/antonym)


def read_mythes(path: str = DEFAULT_PATH) -> Iterator[Meaning]:
    """Yield every meaning of every headword, in file order."""
    with open(path, encoding="utf-8") as f:
        f.readline()  # encoding line
        while True:
            line = f.readline()
            if not line:
                return
            head, _, n = line.rstrip("\n").rpartition("|")
            for sense in range(int(n)):
                parts = f.readline().rstrip("\n").split("|")
                entries = []
                for p in parts[1:]:
                    m = _TAGGED.match(p)
                    entries.append((m.group(1), RELATION[m.group(2)]) if m else (p, "synonym"))
                yield Meaning(head, parts[0].strip("()"), sense, tuple(entries))
