"""Synonym-reversal tables: the one TSV format, its validation, and the compiled index.

Every table wordfix reads (the curated artifacts, the generated thesaurus index,
the tortured phrases, a user's own) has the same columns::

    spun <TAB> original <TAB> relation <TAB> weight <TAB> pos <TAB> context <TAB> source

``spun``      what the spinner wrote ("area unit"); matched case-insensitively on word units.
``original``  what the author wrote ("are"), as it should be printed.
``relation``  how the thesaurus relates them; one of RELATIONS below.
``weight``    channel prior in (0, 1]: how likely a spinner that replaced ``original`` wrote
              ``spun`` (the share of the original's thesaurus list that this entry takes).
``pos``       noun, verb, adj, adv or empty. When set, inflected forms of ``spun`` match too
              (verb: its first word; noun: its last word; adj/adv: the single word) and the
              original is inflected the same way: "ascertained" -> "saw".
``context``   empty, or ``;``-separated document conditions: ``+phrase`` (the document must
              contain it) and ``-phrase`` (it must not).
``source``    where the row comes from, free text.

Lines starting with ``#`` are comments; the first other line must be the header above.
A malformed line raises :class:`TableError` naming ``file:line`` and what is wrong.
"""

from __future__ import annotations

import hashlib
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import cached_pickle
from .errors import TableError
from .tokenize import word_keys

__all__ = ["TableError", "Row", "TableIndex", "load_table", "load_index", "parse_table", "bundled_tables"]

COLUMNS = ("spun", "original", "relation", "weight", "pos", "context", "source")
RELATIONS = {
    "synonym": "listed as a synonym of the original by the thesaurus",
    "generic": "a '(generic term)' (hypernym) the thesaurus lists for the original",
    "similar": "a '(similar term)' the thesaurus lists for the original",
    "related": "a '(related term)' or WordNet link (derivation, also-see, sibling sense)",
    "phrase": "a closed-class word or phrase swap a thesaurus does not explain",
    "artifact": "a spinner artifact: people almost never write it in the original's slot",
    "tortured": "a tortured phrase from scientific literature",
    "user": "a user's own row",
    "learned": "learned from real spun/original pairs (wordfix learn); the source gives the counts",
}
POS = ("noun", "verb", "adj", "adv", "")
FORMAT_VERSION = 7  # bump when the compiled form changes


@dataclass(frozen=True, slots=True)
class Row:
    """One table row, compiled: ``spun`` is the normalized word sequence it matches."""

    spun: tuple[str, ...]
    original: str
    relation: str
    weight: float
    pos: str
    context: tuple[tuple[bool, tuple[str, ...]], ...]  # (must_contain, words)
    table: str
    line: int
    note: str

    @property
    def source(self) -> str:
        """``table:line (relation)``, the place an editor can look the row up."""
        return f"{self.table}:{self.line} ({self.relation})"


def _parse_context(field: str, where: str) -> tuple[tuple[bool, tuple[str, ...]], ...]:
    conds = []
    for item in filter(None, (x.strip() for x in field.split(";"))):
        if item[0] not in "+-" or len(item) < 2:
            raise TableError(f"{where}: context item {item!r} must start with + or - and name a phrase")
        conds.append((item[0] == "+", word_keys(item[1:].strip())))
    return tuple(conds)


def parse_table(lines: Iterable[str], name: str) -> list[Row]:
    """Parse table text (an iterable of lines) into rows, validating every field."""
    rows: list[Row] = []
    header_seen = False
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name}:{lineno}"
        fields = line.split("\t")
        if not header_seen:
            if tuple(f.strip().lower() for f in fields) != COLUMNS:
                raise TableError(f"{where}: expected the header {' <TAB> '.join(COLUMNS)}, got {line!r}")
            header_seen = True
            continue
        if len(fields) != len(COLUMNS):
            raise TableError(f"{where}: expected {len(COLUMNS)} tab-separated fields, got {len(fields)}")
        spun, original, relation, weight, pos, context, note = (f.strip() for f in fields)
        if not spun or not original:
            raise TableError(f"{where}: 'spun' and 'original' must not be empty")
        if relation not in RELATIONS:
            raise TableError(f"{where}: unknown relation {relation!r} (one of {', '.join(RELATIONS)})")
        try:
            w = float(weight)
        except ValueError:
            raise TableError(f"{where}: weight {weight!r} is not a number") from None
        if not 0.0 < w <= 1.0:
            raise TableError(f"{where}: weight {w} must be in (0, 1]")
        if pos not in POS:
            raise TableError(f"{where}: pos {pos!r} must be one of noun, verb, adj, adv or empty")
        keys = word_keys(spun)
        if not keys:
            raise TableError(f"{where}: 'spun' {spun!r} has no words")
        if keys == word_keys(original):
            raise TableError(f"{where}: 'spun' and 'original' are the same phrase")
        rows.append(Row(keys, original, relation, w, pos, _parse_context(context, where), name, lineno, note))
    if not header_seen:
        raise TableError(f"{name}:1: no header line ({' <TAB> '.join(COLUMNS)})")
    return rows


def load_table(path: str | os.PathLike) -> list[Row]:
    """Read and validate one table file."""
    p = Path(path)
    try:
        with open(p, encoding="utf-8") as f:
            return parse_table(f, p.name)
    except UnicodeDecodeError as e:
        raise TableError(f"{p.name}:1: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except FileNotFoundError:
        raise TableError(f"{p}: no such table file") from None


def data_dir() -> Path:
    """Where the bundled tables live: inside the installed package, or the source tree."""
    here = Path(__file__).resolve().parent
    for cand in (here / "data" / "synonym_maps", here.parents[1] / "data" / "synonym_maps"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("wordfix's bundled tables are missing (data/synonym_maps)")


def bundled_tables() -> list[Path]:
    """The tables shipped with wordfix, in a stable order."""
    return sorted(data_dir().glob("*.tsv"))


_RELATION_CODES = tuple(RELATIONS)
_POS_CODES = POS


class TableIndex:
    """All rows of a set of tables, keyed by the spun word sequence, for linear matching.

    Rows are stored column-wise (a few flat lists instead of a quarter of a million
    objects), so the compiled index pickles small and loads fast; ``get`` builds
    :class:`Row` objects only for the keys a text actually contains.
    """

    def __init__(self, rows: Sequence[Row], tables: Sequence[str] = ()):
        self.tables = tuple(tables)
        table_ids = {t: i for i, t in enumerate(self.tables)}
        self._original: list[str] = []
        self._relation = bytearray()
        self._pos = bytearray()
        self._weight = array("d")
        self._table = array("H")
        self._line = array("I")
        self._context: dict[int, tuple] = {}
        self.by_key: dict[tuple[str, ...], tuple[int, ...] | int] = {}
        rel_code = {r: i for i, r in enumerate(_RELATION_CODES)}
        pos_code = {p: i for i, p in enumerate(_POS_CODES)}
        intern: dict[str, str] = {}
        grouped: dict[tuple[str, ...], list[int]] = {}
        for r in rows:
            rid = len(self._original)
            self._original.append(intern.setdefault(r.original, r.original))
            self._relation.append(rel_code[r.relation])
            self._pos.append(pos_code[r.pos])
            self._weight.append(r.weight)
            self._table.append(table_ids.setdefault(r.table, len(table_ids)))
            self._line.append(r.line)
            if r.context:
                self._context[rid] = r.context
            grouped.setdefault(r.spun, []).append(rid)
        self.tables = tuple(table_ids)
        self.by_key = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in grouped.items()}
        self.prefixes: set[tuple[str, ...]] = set()
        for k in self.by_key:
            for i in range(1, len(k)):
                self.prefixes.add(k[:i])
        self.max_len = max((len(k) for k in self.by_key), default=0)
        self.n_rows = len(self._original)
        self._compile_morphology(grouped)

    def _compile_morphology(self, grouped: dict[tuple[str, ...], list[int]]) -> None:
        """Precompute the inflected forms matching needs (form -> (lemma, pos, tag)) and
        the forms originals are printed in ((word, pos) -> {tag: form})."""
        from .morphology import head_position, inflections

        self.analyses: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self.inflections: dict[tuple[str, str], dict[str, str]] = {}
        heads: set[tuple[str, str]] = set()
        for key, ids in grouped.items():
            for rid in ids:
                pos = _POS_CODES[self._pos[rid]]
                if not pos:
                    continue
                heads.add((key[head_position(pos, len(key))], pos))
                orig = self._original[rid].split(" ")
                w = orig[head_position(pos, len(orig))].lower()
                if (w, pos) not in self.inflections:
                    self.inflections[(w, pos)] = inflections(w, pos)
        found: dict[str, list[tuple[str, str, str]]] = {}
        for lemma, pos in sorted(heads):
            for tag, form in inflections(lemma, pos).items():
                if form != lemma:
                    found.setdefault(form, []).append((lemma, pos, tag))
        self.analyses = {f: tuple(dict.fromkeys(v)) for f, v in found.items()}

    def _row(self, key: tuple[str, ...], rid: int) -> Row:
        return Row(
            key,
            self._original[rid],
            _RELATION_CODES[self._relation[rid]],
            self._weight[rid],
            _POS_CODES[self._pos[rid]],
            self._context.get(rid, ()),
            self.tables[self._table[rid]],
            self._line[rid],
            "",
        )

    def get(self, key: tuple[str, ...]) -> list[Row]:
        """The rows whose spun phrase is ``key`` (empty if none)."""
        ids = self.by_key.get(key)
        if ids is None:
            return []
        if isinstance(ids, int):
            return [self._row(key, ids)]
        return [self._row(key, i) for i in ids]

    def __contains__(self, key: tuple[str, ...]) -> bool:
        return key in self.by_key

    def rows(self) -> Iterable[Row]:
        for key in self.by_key:
            yield from self.get(key)


def load_index(paths: Sequence[str | os.PathLike]) -> TableIndex:
    """Load and compile tables, reusing a compiled copy cached by content hash.

    The cache (see :mod:`wordfix.cache`) only speeds up the next start; if it cannot
    be written, wordfix works without it.
    """
    paths = [Path(p) for p in paths]
    h = hashlib.sha256(f"v{FORMAT_VERSION}".encode())
    for p in paths:
        try:
            h.update(p.name.encode() + b"\0" + p.read_bytes())
        except FileNotFoundError:
            raise TableError(f"{p}: no such table file") from None

    def build() -> TableIndex:
        rows: list[Row] = []
        for p in paths:
            rows.extend(load_table(p))
        return TableIndex(rows, [p.name for p in paths])

    idx = cached_pickle(f"index-{h.hexdigest()[:24]}.pickle", build, lambda v: isinstance(v, TableIndex))
    return _frozen(idx)


def _frozen(idx: TableIndex) -> TableIndex:
    """Move the index's million small objects out of the garbage collector's sight:
    they live as long as the process, and scanning them made every full collection
    (triggered by ordinary allocation while restoring) cost tens of milliseconds."""
    import gc

    gc.freeze()
    return idx


_SOURCE_KINDS = (
    ("seed post", "seed post"),
    ("real spun pages", "real spun pages"),
    ("PPS", "Problematic Paper Screener"),
    ("mythes", "mythes-en-us"),
    ("moby ", "Moby thesaurus"),
    ("real pairs", "real-pair documents (../shared/data/real-pairs)"),
    ("learned:", "learned from spun/original pairs (wordfix learn)"),
    ("issue #", "the project's issues"),
    ("NOTES", "NOTES.md"),
)
SEED_PAIR = ("seed_spun_article.txt", "seed_original_reconstructed.txt")


def _source_kinds(rows: Sequence[Row]) -> dict[str, int]:
    """How many rows cite each kind of source (a row may cite several)."""
    from collections import Counter

    c: Counter[str] = Counter()
    for r in rows:
        kinds = [name for key, name in _SOURCE_KINDS if key in r.note] or ["other"]
        c.update(kinds)
    return dict(c.most_common())


def _default_pair() -> tuple[Path, Path] | None:
    """The project's real spun/original pair (in a source checkout), if it is at hand."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        spun, original = root / "examples" / SEED_PAIR[0], root / "data" / "sources" / SEED_PAIR[1]
        if spun.exists() and original.exists():
            return spun, original
    return None


def pair_recall(files: Sequence[Path], spun_path: Path, original_path: Path) -> str:
    """Candidate recall of the tables on a real spun/original pair, as a report line."""
    import statistics

    from . import evaluate
    from .restorer import Restorer

    spun = spun_path.read_text(encoding="utf-8")
    if "It's frustrating" in spun and "No comments" in spun:  # the seed post: its body only
        spun = spun[spun.index("It's frustrating") : spun.index("No comments")].strip()
    original = evaluate.read_reference(original_path)
    subs = evaluate.substitutions(spun, original)
    r = Restorer(tables=tuple(str(f) for f in files))
    recall, sizes, _ = evaluate.candidate_recall(r.candidates(spun), subs)
    median = statistics.median(sizes) if sizes else 0
    return (
        f"candidate recall on {spun_path.name}: {recall:.1%} of {len(subs)} substitutions "
        f"(median {median:g} candidates per overlapping span)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wordfix.tables stats|check [FILE...]``: row counts per table, relation
    and source, candidate recall on a real spun/original pair, or validation only."""
    import argparse
    from collections import Counter

    ap = argparse.ArgumentParser(prog="python -m wordfix.tables", description=main.__doc__)
    ap.add_argument("command", choices=["stats", "check"])
    ap.add_argument("files", nargs="*", help="table files (default: the bundled tables)")
    ap.add_argument(
        "--pair",
        nargs=2,
        metavar=("SPUN", "ORIGINAL"),
        help="a spun text and its original for candidate recall (default: the seed pair of a source checkout)",
    )
    a = ap.parse_args(argv)
    files = [Path(f) for f in a.files] or bundled_tables()
    total = 0
    for p in files:
        try:
            rows = load_table(p)
        except TableError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        total += len(rows)
        if a.command == "stats":
            rel = Counter(r.relation for r in rows)
            keys = len({r.spun for r in rows})
            print(
                f"{p.name}: {len(rows)} rows, {keys} spun phrases; "
                + ", ".join(f"{k} {v}" for k, v in rel.most_common())
            )
            print("  sources: " + ", ".join(f"{k} {v}" for k, v in _source_kinds(rows).items()))
    print(f"{len(files)} tables, {total} rows" + ("" if a.command == "stats" else ", all valid"))
    if a.command == "stats":
        pair = tuple(Path(x) for x in a.pair) if a.pair else _default_pair()
        if pair:
            print(pair_recall(files, *pair))
    return 0


if __name__ == "__main__":
    sys.exit(main())
