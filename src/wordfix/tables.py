"""Synonym-reversal tables: the one TSV format, its validation, and the compiled index.

Every table wordfix reads (the curated artifacts, the generated thesaurus index,
the tortured phrases, a user's own) has the same columns::

    spun <TAB> original <TAB> relation <TAB> weight <TAB> pos <TAB> context <TAB> source [<TAB> example]

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
``example``   optional (a table whose header has this eighth column has it on every line; it
              may be empty): a sentence as an author would write it, with the row's original
              in square brackets, exactly once: ``Tickets [are] available at the door.``
              The bracketed text is the original (case aside; for rows with ``pos`` its base
              form); the spun sentence is the example with it replaced by ``spun``
              (capitalized when the bracketed text is and the original is not; see
              :func:`example_sentences`) and must satisfy the row's ``context``. ``Row.example``
              keeps it; the compiled index does not. It documents the row, and the tests
              check the row on it (tests/test_curated_examples.py).

Lines starting with ``#`` are comments; the first other line must be the header above
(with or without ``example``).
A malformed line raises :class:`TableError` naming ``file:line`` and what is wrong.
"""

from __future__ import annotations

import hashlib
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, groupby, islice
from pathlib import Path

from .cache import cached_blobs
from .errors import TableError
from .tokenize import word_keys

__all__ = [
    "TableError",
    "Row",
    "TableIndex",
    "load_table",
    "load_index",
    "parse_table",
    "bundled_tables",
    "example_sentences",
]

COLUMNS = ("spun", "original", "relation", "weight", "pos", "context", "source")
OPTIONAL_COLUMNS = ("example",)  # may follow COLUMNS in a table's header
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
FORMAT_VERSION = 11  # bump when the compiled form changes (7-9: JSON instead of pickle; 10: learned; 11: blobs)


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
    example: str = ""  # the example column as written ("" when the table has none)

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


def example_sentences(example: str, spun: str, original: str) -> tuple[str, str, int, int]:
    """The clean and the spun sentence of a valid ``example`` (``spun`` and ``original``
    as the row writes them) and where the spun phrase sits in the spun sentence:
    ``(clean, spun_sentence, start, end)``. The spun phrase is printed as the row writes
    it, capitalized when the bracketed text is and the original is not ("[The same]
    goes" -> "A similar goes"; "the [Euclidean] norm" -> "the geometrician norm")."""
    a, b = example.index("["), example.index("]")
    marked = example[a + 1 : b]
    if marked[:1].isupper() and not original[:1].isupper():
        spun = spun[:1].upper() + spun[1:]
    return example[:a] + marked + example[b + 1 :], example[:a] + spun + example[b + 1 :], a, a + len(spun)


def _check_example(
    example: str, spun: str, original: str, context: tuple[tuple[bool, tuple[str, ...]], ...], where: str
) -> None:
    """Raise TableError unless ``example`` marks ``original`` once, in square brackets."""
    if example.count("[") != 1 or example.count("]") != 1 or example.index("[") > example.index("]"):
        raise TableError(f"{where}: example {example!r} must mark the original once, in [square brackets]")
    a, b = example.index("["), example.index("]")
    marked = example[a + 1 : b]
    if marked.strip() != marked or marked.casefold() != original.casefold():
        raise TableError(f"{where}: example marks {marked!r}, not the original {original!r}")
    if not any(c.isalnum() for c in example[:a] + example[b + 1 :]):
        raise TableError(f"{where}: example {example!r} is only the original; write a sentence around it")
    words = word_keys(example_sentences(example, spun, original)[1]) if context else ()
    for must, phrase in context:
        n = len(phrase)
        if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)) != must:
            raise TableError(
                f"{where}: the spun example must {'' if must else 'not '}contain {' '.join(phrase)!r} (context)"
            )


def parse_table(lines: Iterable[str], name: str) -> list[Row]:
    """Parse table text (an iterable of lines) into rows, validating every field."""
    rows: list[Row] = []
    columns: tuple[str, ...] = ()
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name}:{lineno}"
        fields = line.split("\t")
        if not columns:
            header = tuple(f.strip().lower() for f in fields)
            if header not in (COLUMNS, COLUMNS + OPTIONAL_COLUMNS):
                raise TableError(
                    f"{where}: expected the header {' <TAB> '.join(COLUMNS)} [<TAB> example], got {line!r}"
                )
            columns = header
            continue
        if len(fields) != len(columns):
            raise TableError(f"{where}: expected {len(columns)} tab-separated fields, got {len(fields)}")
        spun, original, relation, weight, pos, context, note, *rest = (f.strip() for f in fields)
        example = rest[0] if rest else ""
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
        conditions = _parse_context(context, where)
        if example:
            _check_example(example, spun, original, conditions, where)
        rows.append(Row(keys, original, relation, w, pos, conditions, name, lineno, note, example))
    if not columns:
        raise TableError(f"{name}:1: no header line ({' <TAB> '.join(COLUMNS)})")
    return rows


def load_table(path: str | os.PathLike) -> list[Row]:
    """Read and validate one table file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TableError(f"{p}: no such table file") from None
    except IsADirectoryError:
        raise TableError(f"{p}: is a directory, not a table file") from None
    except OSError as e:
        raise TableError(f"{p}: cannot read it ({e.strerror})") from None
    return parse_table(_decoded_lines(data, p.name), p.name)


def _decoded_lines(data: bytes, name: str) -> Iterable[str]:
    """The lines of a table file, each decoded on its own so that an error names its
    line; a UTF-8 byte-order mark at the start is not part of the header."""
    for lineno, raw in enumerate(data.splitlines(keepends=True), 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise TableError(f"{name}:{lineno}: not UTF-8 text ({e.reason} at byte {e.start} of the line)") from None


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
_SEP = "\x1f"  # joins the words of a key (and the originals) in the cached form
_KEY_SEP = "\x1e"  # joins the keys
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
        self._original: list[str] | _Joined = []
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

    # -- the cached form: JSON and raw blobs (no pickle: a planted cache file cannot run code) --
    def to_parts(self) -> dict[str, object]:
        """The index as the fields of a blob file (``cache.cached_blobs``): flat arrays as
        bytes, word tuples as one string joined by U+001F (which no word holds), the rest
        JSON data."""
        words = {w for k in self.by_key for w in k} | set(self.analyses)
        words |= {t[0] for v in self.analyses.values() for t in v}
        words |= {x for (w, _), forms in self.inflections.items() for x in (w, *forms.values())}
        if any(_SEP in w or _KEY_SEP in w for w in words) or any(_SEP in o for o in self._original):
            raise ValueError("a word holds U+001E or U+001F")

        def raw(a: array | bytearray) -> bytes:
            return a.tobytes() if isinstance(a, array) else bytes(a)

        pos_code = {p: i for i, p in enumerate(_POS_CODES)}
        tags = sorted(
            {t[2] for v in self.analyses.values() for t in v} | {t for f in self.inflections.values() for t in f}
        )
        if len(tags) > 255:
            raise ValueError("too many tags")
        tag_code = {t: i for i, t in enumerate(tags)}
        keys = sorted(self.by_key, key=len)
        values = [self.by_key[k] for k in keys]

        return {
            "format": FORMAT_VERSION,
            "tables": list(self.tables),
            "original": _SEP.join(self._original),  # one string, sliced on demand (_Joined)
            "original_ends": raw(array("I", accumulate(len(o) + 1 for o in self._original))),
            "relation": raw(self._relation),
            "pos": raw(self._pos),
            "weight": raw(self._weight),
            "table": raw(self._table),
            "line": raw(self._line),
            "itemsize": [self._weight.itemsize, self._table.itemsize, self._line.itemsize],
            "context": [[rid, [[must, _SEP.join(w)] for must, w in ctx]] for rid, ctx in self._context.items()],
            # the keys by length, their words in one string: n-word tuples come out of zip at C speed
            "key_lengths": [[n, sum(1 for _ in group)] for n, group in groupby(len(k) for k in keys)],
            "key_words": _SEP.join(w for k in keys for w in k),
            "counts": raw(array("I", (1 if isinstance(v, int) else len(v) for v in values))),
            "ids": raw(array("I", (i for v in values for i in ((v,) if isinstance(v, int) else v)))),
            "max_len": self.max_len,
            # analyses: form -> ((lemma, pos, tag), ...), as columns; pos and tags as codes
            "tags": tags,
            "an_forms": _SEP.join(self.analyses),
            "an_counts": raw(array("I", map(len, self.analyses.values()))),
            "an_lemmas": _SEP.join(t[0] for v in self.analyses.values() for t in v),
            "an_pos": raw(bytearray(pos_code[t[1]] for v in self.analyses.values() for t in v)),
            "an_tags": raw(bytearray(tag_code[t[2]] for v in self.analyses.values() for t in v)),
            # inflections: (word, pos) -> {tag: form}, as columns
            "in_words": _SEP.join(w for w, _ in self.inflections),
            "in_pos": raw(bytearray(pos_code[p] for _, p in self.inflections)),
            "in_counts": raw(array("I", map(len, self.inflections.values()))),
            "in_tags": raw(bytearray(tag_code[t] for f in self.inflections.values() for t in f)),
            "in_forms": _SEP.join(x for f in self.inflections.values() for x in f.values()),
        }

    @classmethod
    def from_parts(cls, d: object) -> TableIndex:
        """Rebuild an index from :meth:`to_parts`; raises ValueError/KeyError/TypeError on
        anything that is not exactly that shape."""
        if not isinstance(d, dict) or d.get("format") != FORMAT_VERSION:
            raise ValueError("not a compiled index of this version")
        self = cls.__new__(cls)
        self.tables = tuple(d["tables"])

        def arr(code: str, field: str, size: int) -> array:
            a = array(code)
            if a.itemsize != size:
                raise ValueError("array item sizes differ")
            a.frombytes(_blob(d, field))
            return a

        w_size, t_size, l_size = d["itemsize"]
        self._original = _Joined(d["original"], arr("I", "original_ends", l_size))
        self._relation = bytearray(_blob(d, "relation"))
        self._pos = bytearray(_blob(d, "pos"))
        self._weight = arr("d", "weight", w_size)
        self._table = arr("H", "table", t_size)
        self._line = arr("I", "line", l_size)
        n_rows = len(self._original)
        if not all(len(x) == n_rows for x in (self._relation, self._pos, self._weight, self._table, self._line)):
            raise ValueError("columns of different lengths")
        self._context = {
            int(rid): tuple((bool(must), tuple(w.split(_SEP))) for must, w in ctx) for rid, ctx in d["context"]
        }
        counts, flat = arr("I", "counts", l_size), arr("I", "ids", l_size)
        if sum(counts) != len(flat) or (flat and max(flat) >= n_rows):
            raise ValueError("row ids do not fit the rows")  # nothing out of range reaches get()
        ids: list[int | tuple[int, ...]] = []
        pos = 0
        for c in counts:
            ids.append(flat[pos] if c == 1 else tuple(flat[pos : pos + c]))
            pos += c
        words: list[str] = d["key_words"].split(_SEP) if d["key_words"] else []
        keys: list[tuple[str, ...]] = []
        pos = 0
        for n, m in d["key_lengths"]:
            if not (isinstance(n, int) and isinstance(m, int) and n > 0 and m >= 0):
                raise ValueError("bad key lengths")
            group = words[pos : pos + n * m]
            if len(group) != n * m:
                raise ValueError("key words do not fit the key lengths")
            keys.extend(zip(*[iter(group)] * n, strict=True))
            pos += n * m
        if pos != len(words):
            raise ValueError("key words do not fit the key lengths")
        self.by_key = dict(zip(keys, ids, strict=True))
        single = d["key_lengths"][0][1] if d["key_lengths"] and d["key_lengths"][0][0] == 1 else 0
        self.prefixes = {k[:i] for k in keys[single:] for i in range(1, len(k))}  # of multi-word keys
        self.max_len = int(d["max_len"])

        def split(field: str) -> list[str]:
            return d[field].split(_SEP) if d[field] else []

        tags = [str(t) for t in d["tags"]]
        pos_of = [_POS_CODES[c] for c in _blob(d, "an_pos")]
        tag_of = [tags[c] for c in _blob(d, "an_tags")]
        lemmas, forms, counts = split("an_lemmas"), split("an_forms"), arr("I", "an_counts", l_size)
        if not len(lemmas) == len(pos_of) == len(tag_of) == sum(counts) or len(forms) != len(counts):
            raise ValueError("analysis columns do not fit")
        triples = zip(lemmas, pos_of, tag_of, strict=True)
        self.analyses = {f: tuple(islice(triples, c)) for f, c in zip(forms, counts, strict=True)}
        words, counts = split("in_words"), arr("I", "in_counts", l_size)
        in_pos = [_POS_CODES[c] for c in _blob(d, "in_pos")]
        in_tags = [tags[c] for c in _blob(d, "in_tags")]
        in_forms = split("in_forms")
        if not len(words) == len(in_pos) == len(counts) or not len(in_tags) == len(in_forms) == sum(counts):
            raise ValueError("inflection columns do not fit")
        pairs = zip(in_tags, in_forms, strict=True)
        self.inflections = {(w, p): dict(islice(pairs, c)) for w, p, c in zip(words, in_pos, counts, strict=True)}
        return self

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

    def originals(self, relation: str, min_weight: float) -> frozenset[tuple[str, ...]]:
        """The originals (normalized word sequences) of the rows of ``relation`` that weigh at
        least ``min_weight``, but those with a digit."""
        from .tokenize import word_keys

        code, rel = _RELATION_CODES.index(relation), self._relation
        out = set()
        i = rel.find(code)
        while i >= 0:
            o = self._original[i]
            if self._weight[i] >= min_weight and not any(ch.isdigit() for ch in o):
                out.add(word_keys(o))
            i = rel.find(code, i + 1)
        return frozenset(out)

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


class _Joined:
    """The originals of a loaded index as one string and the end offset of each (plus
    one for the separator): 580,000 short strings cost 0.05 s and 35 MB to make, and a
    text reads a few hundred of them."""

    __slots__ = ("_text", "_ends")

    def __init__(self, text: str, ends: array):
        if not isinstance(text, str):
            raise TypeError("the originals are not one string")
        if (len(ends) and ends[-1] != len(text) + 1) or (not len(ends) and text):
            raise ValueError("original offsets do not fit the originals")
        self._text, self._ends = text, ends

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> str:
        return self._text[self._ends[i - 1] if i else 0 : self._ends[i] - 1]

    def __iter__(self):
        return iter(self._text.split(_SEP) if self._ends else ())


def _blob(d: dict, field: str) -> bytes:
    v = d[field]
    if not isinstance(v, bytes):
        raise TypeError(f"{field}: not a byte blob")
    return v


def load_index(paths: Sequence[str | os.PathLike]) -> TableIndex:
    """Load and compile tables, reusing a compiled copy cached by content hash.

    The cache (see :mod:`wordfix.cache`) only speeds up the next start; if it cannot
    be written, wordfix works without it.
    """
    files = [Path(p) for p in paths]
    h = hashlib.sha256(f"v{FORMAT_VERSION}".encode())
    for p in files:
        try:
            h.update(p.name.encode() + b"\0" + p.read_bytes())
        except FileNotFoundError:
            raise TableError(f"{p}: no such table file") from None

    def build() -> TableIndex:
        rows: list[Row] = []
        for p in files:
            rows.extend(load_table(p))
        return TableIndex(rows, [p.name for p in files])

    idx = cached_blobs(f"index-{h.hexdigest()[:24]}.bin", build, TableIndex.to_parts, TableIndex.from_parts)
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


def _source_kinds(rows: Sequence[Row]) -> dict[str, int]:
    """How many rows cite each kind of source (a row may cite several)."""
    from collections import Counter

    c: Counter[str] = Counter()
    for r in rows:
        kinds = [name for key, name in _SOURCE_KINDS if key in r.note] or ["other"]
        c.update(kinds)
    return dict(c.most_common())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wordfix.tables stats|check [FILE...]``: row counts per table, relation
    and source, or validation only. (Candidate recall of tables on real spun text is
    measured by ``benchmarks/pool.py --table FILE``.)"""
    import argparse
    from collections import Counter

    ap = argparse.ArgumentParser(prog="python -m wordfix.tables", description=main.__doc__)
    ap.add_argument("command", choices=["stats", "check"])
    ap.add_argument("files", nargs="*", help="table files (default: the bundled tables)")
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
            if examples := sum(1 for r in rows if r.example):
                print(f"  examples: {examples} of {len(rows)} rows")
    print(f"{len(files)} tables, {total} rows" + ("" if a.command == "stats" else ", all valid"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
