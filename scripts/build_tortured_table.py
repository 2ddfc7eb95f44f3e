"""Build ``data/synonym_maps/tortured_phrases.tsv`` from the Problematic Paper Screener list.

Input: ``tortured_phrases_pps.csv`` (columns ``tortured_phrase``, ``expected_phrase``,
``num_papers``), the tortured-phrase fingerprints of the Problematic Paper Screener
(Cabanac, Labbé, Magazinov; CC BY 4.0), as exported in hahuyhoang411/tortured-phrase.

Three steps, each a function the tests call:

``parse_query``     reads the PPS query syntax (quoted phrases, AND, OR, NOT, ``"a b"~N``
                    proximity, unquoted terms, ``*`` wildcards, parentheses) into its
                    disjunctive normal form: one :class:`Clause` per way the query can match,
                    each with the tortured phrase and the phrases the document must / must
                    not contain.
``clean_expected``  turns the curators' ``expected_phrase`` into zero or more clean
                    originals, or a reason to drop the row (commentary, "?", gaps, ...).
``build_rows``      combines both, applies the safety filters (standard terminology,
                    ordinary English, substring-equivalence, garbage) and returns the rows to
                    write and the candidates it dropped, each with its reason.

Run ``python scripts/build_tortured_table.py`` from the repository root (``--help`` for the
paths). The build needs ``pocketsphinx`` (the 3-gram model), ``wordsegment`` (bigram counts)
and Debian's ``wordnet-base`` (``/usr/share/wordnet``); the tests only read the committed
table and call the parser and the cleaner, which need none of them.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / "data" / "sources" / "tortured_phrases_pps.csv"  # a copy of the shared list
DEFAULT_OUT = ROOT / "data" / "synonym_maps" / "tortured_phrases.tsv"
DEFAULT_REPORT = ROOT / "scripts" / "tortured_report.md"
WORDNET_DIR = Path("/usr/share/wordnet")

CREDIT = (
    "Problematic Paper Screener (Cabanac, Labbé, Magazinov), CC BY 4.0, "
    "via hahuyhoang411/tortured-phrase data/tortured.csv"
)
COLUMNS = ("spun", "original", "relation", "weight", "pos", "context", "source")

# Weight: the channel prior grows with the number of papers PPS found the phrase in.
W_MIN, W_MAX = 0.3, 0.95
N_REF = 42_682  # the largest num_papers in the list ("surface region"); more is clipped

# Terms a tortured-phrase table must never rewrite (the brief's list; the build also finds
# every expected phrase of the list itself, see Evidence.standard_terms).
PROTECTED_TERMS = (
    "neural network",
    "cloud computing",
    "deep learning",
    "machine learning",
    "artificial intelligence",
    "data mining",
    "feature extraction",
    "surface area",
    "big data",
)

# Thresholds of the ordinary-English test (see Evidence.collocation and the report).
PMI_UNGATED = 3.0  # a model bigram whose words call for each other this strongly: a set phrase
PMI_GATED = 4.5  # the same for a row a context condition already restricts
BIGRAM_RATIO = 0.05  # a Google top bigram at least this frequent relative to the expected one


# Drop reasons, in the order the checks run; the report and the header list them this way.
REASONS: dict[str, str] = {
    "commentary": "expected_phrase is commentary or a description (link, '->', DOI, query syntax, a sentence)",
    "uncertain": "expected_phrase marks its own words as unknown ('?', '???', '(?)')",
    "curator_warning": "the curators note that the tortured phrase has legitimate uses ('caveat', 'please note')",
    "gap": "expected_phrase has a gap ('[...]'): the tortured words are not contiguous in the text",
    "ambiguous": "expected_phrase lists alternatives none of which lines up with the tortured phrase",
    "list_mismatch": "expected_phrase is a list ('a, b' or, for proximity queries, 'a and b') "
    "but the tortured phrase has no separator: the real text has punctuation a row cannot match",
    "proximity": "a '~N' proximity query whose words cannot be read as one contiguous phrase",
    "misaligned": "the two phrases do not line up: an (ACRONYM) inside the tortured phrase that the expected "
    "one lacks, or an expected phrase three or more words longer (the tortured phrase is a fragment of a "
    "longer one and the row would duplicate the words around it)",
    "wildcard": "the tortured phrase itself is a wildcard ('term*')",
    "garbage": "the tortured phrase has no word of two letters or more",
    "same": "the tortured phrase equals the expected one after normalization",
    "substring": "one of the two phrases contains the other (the row would duplicate or delete words)",
    "standard_term": "the tortured phrase is correct terminology (a protected term, or an expected "
    "phrase of another PPS row)",
    "ordinary_english": "the tortured phrase is ordinary English: a frequent word sequence or collocation "
    "(3-gram model, Google bigram counts), or a common single word with no context condition",
    "duplicate": "same spun, original and context as a row with more papers",
}


# ---------------------------------------------------------------------------------------------
# 1. The PPS query syntax
# ---------------------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query string that does not follow the PPS syntax."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """One searched term: a quoted phrase (maybe with ``~N``) or an unquoted word."""

    text: str
    slop: int | None = None  # the N of "a b"~N (words within N positions, any order)
    quoted: bool = True

    @property
    def wildcard(self) -> bool:
        return self.text.endswith("*")

    def __str__(self) -> str:
        s = f'"{self.text}"' if self.quoted else self.text
        return s if self.slop is None else f"{s}~{self.slop}"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # PHRASE, WORD, PROX, AND, OR, NOT, LPAREN, RPAREN
    text: str
    pos: int


@dataclass(frozen=True, slots=True)
class Term:
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Not | And | Or


@dataclass(frozen=True, slots=True)
class Clause:
    """One conjunction of the query's DNF: the tortured phrase and its document conditions."""

    tortured: Phrase
    require: tuple[Phrase, ...] = ()
    exclude: tuple[Phrase, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: its DNF clauses and the constructs it uses (for the report)."""

    query: str
    clauses: tuple[Clause, ...]
    constructs: Counter = field(default_factory=Counter)


_OPERATORS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "ADN": "AND"}  # "ADN": a typo in one query


def tokenize_query(query: str) -> list[Token]:
    """Split a PPS query into tokens; operators are the upper-case words AND, OR, NOT."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = query.find('"', i + 1)
            if j < 0:
                raise QueryError(f"unterminated quote at {i} in {query!r}")
            tokens.append(Token("PHRASE", query[i + 1 : j], i))
            i = j + 1
        elif ch == "~":
            m = re.match(r"~(\d+)", query[i:])
            if not m or not tokens or tokens[-1].kind != "PHRASE":
                raise QueryError(f"'~' must follow a quoted phrase and give a number, at {i} in {query!r}")
            tokens.append(Token("PROX", m.group(1), i))
            i += m.end()
        elif ch in "()":
            tokens.append(Token("LPAREN" if ch == "(" else "RPAREN", ch, i))
            i += 1
        else:
            m = re.match(r'[^\s"()~]+', query[i:])
            assert m is not None
            word = m.group(0)
            tokens.append(Token(_OPERATORS.get(word, "WORD"), word, i))
            i += m.end()
    return tokens


class _Parser:
    """Recursive descent with the usual precedence: NOT binds tighter than AND, AND than OR.

    Two adjacent terms without an operator are joined by AND (implicit AND), and
    ``a NOT b`` reads as ``a AND NOT b``.
    """

    def __init__(self, tokens: list[Token], query: str):
        self.toks, self.i, self.query = tokens, 0, query

    def peek(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str) -> Token:
        t = self.peek()
        if t is None or t.kind != kind:
            raise QueryError(f"expected {kind} at token {self.i} in {self.query!r}")
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.peek().text!r} in {self.query!r}")  # type: ignore[union-attr]
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "OR":
            self.i += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (t := self.peek()) is not None and t.kind in ("AND", "NOT", "PHRASE", "WORD", "LPAREN"):
            if t.kind == "AND":
                self.i += 1
            parts.append(self.unary())  # NOT and implicit AND: the operand carries it
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node:
        t = self.peek()
        if t is not None and t.kind == "NOT":
            self.i += 1
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        t = self.peek()
        if t is None:
            raise QueryError(f"query ends where a term is expected: {self.query!r}")
        if t.kind == "LPAREN":
            self.i += 1
            node = self.or_expr()
            self.take("RPAREN")
            return node
        if t.kind == "PHRASE":
            self.i += 1
            slop = None
            if (p := self.peek()) is not None and p.kind == "PROX":
                self.i += 1
                slop = int(p.text)
            return Term(Phrase(_squash(t.text), slop, True))
        if t.kind == "WORD":
            self.i += 1
            return Term(Phrase(t.text, None, False))
        raise QueryError(f"unexpected {t.text!r} at {t.pos} in {self.query!r}")


Literal = tuple[bool, Phrase]  # (positive, phrase)


def _dnf(node: Node, positive: bool = True) -> list[list[Literal]]:
    """Disjunctive normal form: a list of conjunctions of literals, in query order."""
    if isinstance(node, Term):
        return [[(positive, node.phrase)]]
    if isinstance(node, Not):
        return _dnf(node.child, not positive)
    conj = isinstance(node, And) == positive  # De Morgan: NOT (a AND b) = NOT a OR NOT b
    parts = [_dnf(c, positive) for c in node.children]
    if not conj:
        return [c for p in parts for c in p]
    out: list[list[Literal]] = [[]]
    for p in parts:
        out = [a + b for a in out for b in p]
    return out


def _constructs(query: str, tokens: list[Token]) -> Counter:
    c: Counter = Counter()
    kinds = [t.kind for t in tokens]
    for k in ("AND", "OR", "NOT"):
        c[k] = sum(1 for t in tokens if t.kind == k and t.text == k)
    c["ADN (typo for AND)"] = sum(1 for t in tokens if t.text == "ADN")
    c["quoted phrase"] = kinds.count("PHRASE")
    c["unquoted term"] = sum(1 for t in tokens if t.kind == "WORD" and not t.text.endswith("*"))
    c["wildcard term*"] = sum(1 for t in tokens if t.kind == "WORD" and t.text.endswith("*"))
    c["parentheses"] = kinds.count("LPAREN")
    for t in tokens:
        if t.kind == "PROX":
            c["~N proximity"] += 1
            c[f"~{t.text}"] += 1
    implicit = sum(
        1
        for a, b in zip(tokens, tokens[1:], strict=False)
        if a.kind in ("PHRASE", "WORD", "PROX", "RPAREN") and b.kind in ("PHRASE", "WORD", "LPAREN")
    )
    c["implicit AND"] = implicit
    if kinds == ["PHRASE"]:
        c["single quoted phrase"] = 1
    return +c


def parse_query(query: str) -> ParsedQuery:
    """Parse one PPS query into DNF clauses.

    In each clause the first positive quoted phrase (in query order) is the tortured
    phrase; the other positive terms are ``require`` (the ``+phrase`` conditions) and the
    negated ones ``exclude`` (``-phrase``). A clause with no positive quoted phrase takes
    its first positive term.

    >>> q = parse_query('"bosom" AND "breast"')
    >>> q.clauses[0].tortured.text, [p.text for p in q.clauses[0].require]
    ('bosom', ['breast'])
    """
    tokens = tokenize_query(query)
    if not tokens:
        raise QueryError("empty query")
    tree = _Parser(tokens, query).parse()
    clauses = []
    for conj in _dnf(tree):
        pos = [p for ok, p in conj if ok]
        if not pos:
            raise QueryError(f"a clause of {query!r} has no positive term")
        tortured = next((p for p in pos if p.quoted), pos[0])
        require, exclude = [], []
        for ok, p in conj:
            if p is tortured and ok:
                continue
            lst = require if ok else exclude
            if p not in lst:
                lst.append(p)
        clauses.append(Clause(tortured, tuple(require), tuple(exclude)))
    return ParsedQuery(query, tuple(clauses), _constructs(query, tokens))


def _squash(s: str) -> str:
    return " ".join(s.replace("\xa0", " ").split())


# ---------------------------------------------------------------------------------------------
# 2. Cleaning expected_phrase
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of :func:`clean_expected`: the originals to emit, or why there are none."""

    originals: tuple[str, ...] = ()
    drop: str | None = None  # a key of REASONS
    detail: str = ""


_COMMENTARY = re.compile(
    r"https?://|www\.|\b10\.\d{4,}/|->|=>|\bmeaning unclear\b|\bparaphrased\b|\bthe word\b|"
    r"\bsearch and replace\b|\bAND\b|\(found in\b|\bfound in\b|\bsee\b|\bvia\b|\bi\.e\.",
)
_WARNING = re.compile(r"\bcaveat\b|\bplease note\b|\bdoes exist\b", re.I)
_CLARIFIERS = {
    "a", "an", "as", "the", "in", "of", "for", "i.e.", "i.e", "e.g.", "e.g.,", "e.g", "see", "via",
    "=", "or", "and", "called", "referring", "part", "note", "note:", "sometimes", "could", "found",
    "with", "on", "to", "from", "is", "are", "not", "only", "like", "typically", "usually",
}  # fmt: skip
_ACRONYM_TOKEN = re.compile(r"^(?=.*[A-Z0-9].*[A-Z0-9]|.*[a-z][A-Z])[A-Za-z0-9&\-./'+]+$|^[a-z]-[a-z]+$")
_SLASH_ACRONYM = re.compile(r"^[A-Z0-9]{1,6}(/[A-Z0-9]{1,6})+$")


def _is_acronym_group(content: str) -> bool:
    """'(NLP)', '(ROC AUC)', '(CNS, PNS)', '(PTOP or P2P)', '(i-vector)': acronyms only."""
    toks = [t for t in re.split(r"[\s,]+", content.strip()) if t and t.lower() not in ("or", "and")]
    return bool(toks) and all(_ACRONYM_TOKEN.match(t) for t in toks)


@dataclass(frozen=True, slots=True)
class _Group:
    start: int
    end: int  # exclusive, includes the closing bracket
    content: str
    bracket: str  # "(" or "["


def _groups(s: str) -> list[_Group]:
    """Top-level (...) and [...] groups; a group whose bracket is not closed is ignored."""
    out, stack = [], []
    for i, ch in enumerate(s):
        if ch in "([":
            stack.append((i, ch))
        elif ch in ")]" and stack:
            start, br = stack.pop()
            if not stack and {"(": ")", "[": "]"}[br] == ch:
                out.append(_Group(start, i + 1, s[start + 1 : i], br))
    return out


def _nwords(s: str) -> int:
    return len(s.split())


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([,;:.)\]])", r"\1", s)
    s = re.sub(r"([(\[])\s+", r"\1", s)
    return s.strip(" ,;:.-–")


def _resolve_groups(s: str, tortured: str) -> tuple[str, str | None]:
    """Remove, keep or choose the bracketed groups of an expected phrase.

    Acronym groups ``(NLP)`` are kept only where the tortured phrase has a group too; when the
    tortured phrase writes the acronym as a word, it replaces its expansion ("DDoS assault" ->
    "DDoS attack", not "Distributed denial-of-service attack").
    Clarifications (several words, or a leading clarifier word: "(in a neural network)",
    "(i.e. ...)", "(as in ...)") are removed. The rest are optional words ("(mean) squared
    error", "single-stranded [virus]"): the variant whose word count matches the tortured
    phrase wins, ties go to the shorter one.
    """
    groups = _groups(s)
    if not groups:
        return s, None
    bare = re.sub(r"\([^)]*\)", " ", tortured).split()
    for g in groups:  # the tortured phrase writes the acronym itself: "DDoS assault", "... QoS"
        content = g.content.strip()
        if g.bracket == "(" and bare and _is_acronym_group(content) and content in (bare[0], bare[-1]):
            if content == bare[0] and len(bare) > 1:
                return _tidy(content + " " + s[g.end :]), None  # "DDoS attack"
            if content == bare[-1] and not _tidy(s[g.end :]):
                return _tidy(s[: g.start] + " " + content), None  # "Quality of Service QoS"
    t_has_group = "(" in tortured
    keep: list[tuple[_Group, str]] = []  # (group, replacement text)
    optional: list[_Group] = []
    for g in groups:
        content = g.content.strip()
        words = content.split()
        at_end = not _tidy(s[g.end :])
        if content in ("...", "…", "") or re.fullmatch(r"\.+", content):
            return s, "gap"
        if g.bracket == "(" and _is_acronym_group(content):
            keep.append((g, s[g.start : g.end] if t_has_group else ""))
        elif t_has_group and g.bracket == "(" and not (words and words[0].lower() in _CLARIFIERS):
            keep.append((g, s[g.start : g.end]))  # "NLP (natural language processing)"
        elif words and (words[0].lower().rstrip(",:") in _CLARIFIERS or (at_end and len(words) > 1)):
            keep.append((g, ""))  # a clarification
        else:
            optional.append(g)
    if len(optional) > 3:
        return s, "ambiguous"
    target = _nwords(re.sub(r"\([^)]*\)", " ", tortured)) if tortured else None
    best: tuple[tuple[int, int], str] | None = None
    for mask in range(1 << len(optional)):
        repl = dict((g.start, r) for g, r in keep)
        for k, g in enumerate(optional):
            repl[g.start] = g.content if mask >> k & 1 else ""
        out, last = [], 0
        for g in groups:
            out.append(s[last : g.start])
            out.append(" " + repl[g.start] + " " if repl[g.start] else " ")
            last = g.end
        out.append(s[last:])
        variant = _tidy("".join(out))
        n = _nwords(re.sub(r"\([^)]*\)", " ", variant))
        score = (abs(n - target) if target is not None else 0, n)
        if best is None or score < best[0]:
            best = (score, variant)
    assert best is not None
    return best[1], None


def _alternatives(s: str, tortured: str) -> list[str]:
    """Split 'x or y', 'a / b' and 'fault analysis/diagnosis' into alternatives.

    Slashes and 'or' stay literal when the tortured phrase has them too ("grasp/slave" ->
    "master/slave", "CRISPR impedance or CRISPRi"), and so do acronym slashes ("TCP/IP").
    """
    if re.search(r"\bor\b", tortured, re.I):
        parts = [s]
    else:
        parts = [p for p in re.split(r"\s+or\s+", s, flags=re.I) if p.strip()]
    if "/" in tortured:
        return parts
    out: list[str] = []
    for p in parts:
        p = re.sub(r"\s*/\s+|\s+/\s*", " / ", p)
        for phrase in p.split(" / ") if " / " in p else [p]:
            toks = phrase.split()
            options: list[list[str]] = [[]]
            for tok in toks:
                core = tok.strip("(),")
                if "/" in core and not _SLASH_ACRONYM.match(core) and not core.startswith("/"):
                    alts = [a for a in tok.split("/") if a]
                    options = [o + [a] for o in options for a in alts]
                else:
                    options = [o + [tok] for o in options]
            out.extend(" ".join(o) for o in options)
    seen: list[str] = []
    for o in out:
        o = _tidy(o)
        if o and o not in seen:
            seen.append(o)
    return seen


def _trim_to_tortured(original: str, tortured: str) -> str:
    """Cut the words an expected phrase has before the tortured fragment's first word.

    "palindromic rehashes" stands for "palindromic repeats", not for the whole "clustered
    regularly interspaced short palindromic repeats": when the tortured phrase starts with a
    content word the expected phrase has further in, the words before it are outside the
    fragment (the text still has them). Nothing else is cut: past the first word the
    tortured and expected words need not line up one to one ("coronary illness" stands for
    "coronary artery disease").
    """
    t = tortured.lower().split()
    e = original.split()
    if len(e) <= len(t) or not t:
        return original
    first = t[0]
    el = [w.lower() for w in e]
    if len(first) > 3 and first.isalpha() and el.count(first) == 1 and el.index(first) >= 1:
        return " ".join(e[el.index(first) :])
    return original


def _drop_trailing_acronym(s: str) -> str:
    """Remove a ", ACRONYM" tail that spells the words before it ("rectified linear unit, ReLU"),
    but not a list item ("Waikoloa, HI, USA")."""
    m = re.search(r",\s*([A-Za-z]*[A-Z][A-Za-z]*)$", s)
    if not m:
        return s
    letters = "".join(ch for ch in m.group(1) if ch.isupper())
    words = re.split(r"[\s-]+", s[: m.start()].strip())
    if len(letters) >= 2 and len(words) >= len(letters):
        if "".join(w[:1] for w in words[-len(letters) :]).upper() == letters:
            return s[: m.start()]
    return s


def clean_expected(expected: str, tortured: str = "") -> Cleaned:
    """Turn an ``expected_phrase`` into clean originals for the tortured phrase ``tortured``.

    Drops commentary ("paraphrased versions of the words 'an' and 'are' (see https://...)"),
    uncertain values ("rythm pattern (?)", "???"), curator warnings and gaps ("[...]");
    removes acronyms and clarifications ("natural language processing (NLP)" -> "natural
    language processing", "output layer (in a neural network)" -> "output layer"); splits
    alternatives ("fault analysis/diagnosis" -> "fault analysis", "fault diagnosis") and
    keeps those with the tortured phrase's word count. ``tortured`` (the phrase as written,
    without quotes) steers the choices; without it every alternative is kept.

    >>> clean_expected("natural language processing (NLP)", "characteristic language handling").originals
    ('natural language processing',)
    """
    s = _squash(expected.replace('\\"', '"')).strip().strip('"').strip()
    tortured = _squash(tortured)
    if not s:
        return Cleaned(drop="commentary", detail="empty")
    s = re.sub(r",\s*see\s+https?://\S+\s*$", "", s)  # "social influence, see https://..."
    if "?" in s:
        return Cleaned(drop="uncertain", detail=s)
    if _WARNING.search(s):
        return Cleaned(drop="curator_warning", detail=s)
    if "[...]" in s or "[…]" in s:
        return Cleaned(drop="gap", detail=s)
    s, why = _resolve_groups(s, tortured)
    if why:
        return Cleaned(drop=why, detail=expected)
    if "..." in s or "…" in s:
        return Cleaned(drop="gap", detail=s)  # "in summary, this study examines..."
    s = _drop_trailing_acronym(s)  # "rectified linear unit, ReLU"
    if _COMMENTARY.search(s) or "‘" in s:
        return Cleaned(drop="commentary", detail=s)
    s = s.replace('"', "")  # '"No Free Lunch" theorem'

    stars = re.findall(r"\*([^*]+)\*", s)
    s = _tidy(stars[0] if len(stars) == 1 else s.replace("*", ""))
    alts = _alternatives(s, tortured)
    if tortured and len(alts) > 1:
        target = _nwords(re.sub(r"\([^)]*\)", " ", tortured))
        alts = [a for a in alts if _nwords(re.sub(r"\([^)]*\)", " ", a)) == target]
        if not alts:
            return Cleaned(drop="ambiguous", detail=s)
    out = []
    for a in alts:
        if tortured:
            a = _trim_to_tortured(a, tortured)
        a = _tidy(a)
        if not re.search(r"[A-Za-z]", a):
            return Cleaned(drop="commentary", detail=expected)
        if tortured and _nwords(a) > 2 * _nwords(tortured) + 2:
            return Cleaned(drop="commentary", detail=f"a description, not a replacement: {a}")
        if a not in out:
            out.append(a)
    return Cleaned(tuple(out))


# ---------------------------------------------------------------------------------------------
# 3. Evidence for the safety filters
# ---------------------------------------------------------------------------------------------


PLACEHOLDER = "water"  # how the model reads a formula, number or acronym


def _technical(token: str) -> bool:
    """A formula, number or acronym: has a digit or two capitals ("N2", "i7", "CNNs")."""
    return any(ch.isdigit() for ch in token) or sum(ch.isupper() for ch in token) >= 2


def words_of(phrase: str) -> list[str]:
    """Lower-case word tokens of a phrase, split at spaces and hyphens, punctuation dropped."""
    return [w for w in re.split(r"[^a-z0-9']+", phrase.lower().replace("’", "'")) if w.strip("'")]


def norm(phrase: str) -> str:
    return " ".join(words_of(phrase))


class Evidence:
    """English-usage evidence: the pocketsphinx 3-gram model, wordsegment's Google counts, the
    PPS list itself (standard terms) and WordNet's lemmas (only for letter case). Everything
    is loaded on first use."""

    LOG_BASE = math.log(1.0001)
    OOV = -100_000_000

    def __init__(self, records: Iterable[Record] = (), wordnet_dir: Path = WORDNET_DIR):
        self._records = list(records)
        self._expected = [r.expected for r in self._records]
        self._wordnet_dir = wordnet_dir

    @cached_property
    def lm(self):
        import pocketsphinx

        return pocketsphinx.NGramModel.readfile(pocketsphinx.get_model_path() + "/en-us/en-us.lm.bin")

    def logp(self, w: str, h1: str = "", h2: str = "") -> float | None:
        """Natural-log P(w | h2 h1) from the 3-gram model; None for an unknown word."""
        if self.lm.prob([w]) < self.OOV:
            return None
        hist = [h for h in (h1, h2) if h]
        if any(self.lm.prob([h]) < self.OOV for h in hist):
            hist = []
        return self.lm.prob([w, *hist]) * self.LOG_BASE

    def known(self, w: str) -> bool:
        return self.lm.prob([w]) > self.OOV

    @cached_property
    def _counts(self) -> tuple[dict[str, int], dict[str, int]]:
        import wordsegment

        folder = Path(wordsegment.__file__).parent
        uni: dict[str, int] = {}
        big: dict[str, int] = {}
        for name, d in (("unigrams.txt", uni), ("bigrams.txt", big)):
            with open(folder / name, encoding="utf-8") as f:
                for line in f:
                    k, _, v = line.rstrip("\n").rpartition("\t")
                    d[k] = d.get(k, 0) + int(v)  # some bigram lines repeat: sum them
        return uni, big

    def words_with_prefix(self, prefix: str, n: int) -> list[str]:
        """The ``n`` most frequent words starting with ``prefix`` (Google unigrams), sorted."""
        uni = self._counts[0]
        forms = sorted((w for w in uni if w.startswith(prefix.lower())), key=lambda w: (-uni[w], w))
        return sorted(forms[:n])

    def unigram(self, w: str) -> int:
        return self._counts[0].get(w, 0)

    def bigram(self, a: str, b: str) -> int:
        return self._counts[1].get(f"{a} {b}", 0)

    @cached_property
    def _wordnet(self) -> tuple[set[str], set[str]]:
        """(words WordNet writes in lower case, words it writes only capitalized)."""
        lower: set[str] = set()
        upper: set[str] = set()
        for part in ("noun", "verb", "adj", "adv"):
            path = self._wordnet_dir / f"data.{part}"
            if not path.exists():
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith(" "):
                        continue  # the licence header
                    fields = line.split()
                    for k in range(int(fields[3], 16)):
                        lemma = fields[4 + 2 * k].split("(")[0]  # "galore(ip)": an adjective marker
                        for w in lemma.replace("-", "_").split("_"):
                            (lower if w == w.lower() else upper).add(w.lower())
        return lower, upper - lower

    @cached_property
    def standard_terms(self) -> dict[str, str]:
        """Normalized correct terms -> why: the protected terms, and every clean expected phrase
        of the PPS list that more papers use as the correct term than as a tortured one
        ("initiation probability": expected in rows with 272 papers, tortured in 21)."""
        out = {norm(t): "a protected term" for t in PROTECTED_TERMS}
        as_expected: Counter = Counter()
        as_tortured: Counter = Counter()
        for rec in self._records:
            try:
                clauses = parse_query(rec.query).clauses
            except QueryError:
                continue
            tortured = {norm(c.tortured.text) for c in clauses}
            as_tortured.update({t: rec.papers for t in tortured})
            for o in clean_expected(rec.expected).originals:
                key = norm(o)
                if not any(f" {key} " in f" {t} " for t in tortured):  # "preparing exactness" -> "exactness"
                    as_expected[key] += rec.papers
        for key, n in sorted(as_expected.items()):
            if key and n >= as_tortured[key] and key not in out:
                out[key] = f"the expected phrase of PPS rows with {n:,} papers (tortured in {as_tortured[key]:,})"
        return out

    @cached_property
    def lowercase_words(self) -> set[str]:
        """Words written in lower case somewhere: WordNet lemmas and the PPS expected phrases."""
        seen = set(self._wordnet[0])
        for e in self._expected:
            seen.update(w for w in re.findall(r"[A-Za-z]+", e) if w == w.lower())
        return seen

    def proper_word(self, w: str) -> bool:
        """A name ("Markov", "Gaussian"): neither WordNet nor the PPS expected phrases write the
        word, or its singular, in lower case."""
        lw = w.lower()
        forms = {lw}
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
            if lw.endswith(suffix) and len(lw) > len(suffix) + 2:
                forms.add(lw[: -len(suffix)] + repl)
        return not forms & self.lowercase_words

    # -- the ordinary-English test -----------------------------------------------------------

    _REFS = ("xylophone", "aardvark")  # known words that follow almost nothing: backoff probes

    def attested(self, w: str, hist: Sequence[str]) -> bool:
        """Whether the model holds the n-gram ``hist + w`` itself rather than backing off.

        The pruned model keeps only n-grams seen often enough; when it backs off, the step from
        the shorter history to the full one adds the history's backoff weight, the same for
        every word, so it is read off two probe words that follow almost nothing.
        """
        rev = list(reversed(hist))

        def step(x: str) -> int:
            return self.lm.prob([x, *rev]) - self.lm.prob([x, *rev[:-1]])

        d = step(w)
        return all(abs(d - step(r)) > 2 for r in self._REFS)

    def judged_words(self, phrase: str, original: str = "") -> list[str] | None:
        """The tokens of ``phrase`` the model can judge, or None when it cannot judge the phrase.

        Tokens are split at spaces only ("give-up-to-give-up" is one token, unknown to the
        model: a spun compound, not plain English). Bracketed groups the original repeats
        ("(IT)") are left out; formulas, numbers and acronyms ("N2", "i7", "SVM") are read as an
        ordinary noun, ``PLACEHOLDER``, so that "in the presence of N2" is judged like "in the
        presence of water" and "SVM set of rules" like "water set of rules". Any other word the
        model does not know means the phrase is not plain English: None.
        """
        keep = f" {norm(original)} "
        for g in reversed(_groups(phrase)):
            if norm(g.content) and f" {norm(g.content)} " in keep:
                phrase = phrase[: g.start] + " " + phrase[g.end :]
        raw = [t.strip(".,;:!?()[]\"'") for t in phrase.split()]
        ws = [PLACEHOLDER if _technical(t) else t.lower().replace("’", "'") for t in raw if t]
        if len(ws) < 2 or all(w == PLACEHOLDER for w in ws) or not all(self.known(w) for w in ws):
            return None
        return ws

    def collocation(self, words: Sequence[str]) -> tuple[bool, float]:
        """(attested, weakest link) of a word sequence in the 3-gram model.

        ``attested``: every bigram (two words) or every trigram window (three or more) is an
        n-gram of the model. ``weakest link``: the smallest ln P(w_i | history) - ln P(w_i)
        over the words after the first, how strongly the words call for each other (links
        next to ``PLACEHOLDER`` are skipped; -inf when none is left).
        """
        links, ok = [], True
        for i in range(1, len(words)):
            hist = list(words[max(0, i - 2) : i])
            if len(words) == 2 or i >= 2:
                ok = ok and self.attested(words[i], hist)
            if PLACEHOLDER in (words[i], words[i - 1]):
                continue  # the stand-in for a formula says nothing about association
            cond, base = self.logp(words[i], *reversed(hist)), self.logp(words[i])
            assert cond is not None and base is not None
            links.append(cond - base)
        return ok, (min(links) if links else -math.inf)


# ---------------------------------------------------------------------------------------------
# 4. Rows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One line of the PPS CSV."""

    query: str
    expected: str
    papers: int
    line: int = 0


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the output table (``tsv`` gives its line)."""

    spun: str
    original: str
    weight: float
    context: str
    source: str
    papers: int
    query: str = ""

    def tsv(self) -> str:
        return "\t".join((self.spun, self.original, "tortured", f"{self.weight:.3f}", "", self.context, self.source))


@dataclass(frozen=True, slots=True)
class Dropped:
    reason: str  # a key of REASONS
    query: str
    spun: str
    expected: str
    papers: int
    detail: str = ""


@dataclass
class BuildResult:
    rows: list[TableRow]
    dropped: list[Dropped]
    constructs: Counter
    queries: int
    queries_kept: int
    proximity_kept: Counter


def weight_for(papers: int) -> float:
    """Channel prior from the paper count: 0.3 + 0.65 * log(1 + n) / log(1 + 42682), clipped.

    Monotone in ``n``: 0 papers -> 0.30, 9 (the median) -> 0.43, 1,000 -> 0.72,
    42,682 ("surface region") -> 0.95.
    """
    x = math.log1p(max(0, papers)) / math.log1p(N_REF)
    return round(W_MIN + (W_MAX - W_MIN) * min(1.0, x), 3)


def read_csv(path: str | Path) -> list[Record]:
    """Read the PPS export; ``num_papers`` has thousands separators ("42,682")."""
    with open(path, encoding="utf-8", newline="") as f:
        return [
            Record(r["tortured_phrase"].strip(), r["expected_phrase"], int(r["num_papers"].replace(",", "") or 0), i)
            for i, r in enumerate(csv.DictReader(f), 2)
        ]


def _gloss_split(words: list[str], original: str) -> tuple[list[str], list[str]] | None:
    """For ``"a b GLOSS"~N``: split off a trailing gloss (the expected phrase itself, an
    acronym of it, or an all-capitals keyword), as in "gatherings (clustering)",
    "genuine positive (TP)", "social impact ... UTAUT"."""
    exp = words_of(original)
    for k in range(1, len(words)):
        head, tail = words[:k], words[k:]
        if [w.lower() for w in tail] == exp:
            return head, tail
    last = words[-1]
    if len(words) > 1 and re.fullmatch(r"[A-Z][A-Z0-9]+", last):
        initials = "".join(w[0] for w in re.split(r"[\s-]+", original) if w).upper()
        if last == initials and len(words) - 1 != len(last):
            return None  # an acronym of the whole term, but the head is only part of it
        return words[:-1], [last]
    return None


def _is_list(s: str, with_and: bool) -> bool:
    s = re.sub(r"\([^)]*\)", " ", s)
    return "," in s or (with_and and re.search(r"\band\b|&", s, re.I) is not None)


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _natural_case(original: str, tortured: str, ev: Evidence | None) -> str:
    """Lower-case the capitalized words of an original ("Artificial Intelligence", "Removal
    from waste water") when the tortured phrase is all lower case: wordfix re-applies the case
    of the text. Acronyms ("CNN", "IoT") and proper names ("Markov", "Gaussian") keep theirs."""
    if ev is None or tortured != tortured.lower():
        return original

    def fix(m: re.Match) -> str:
        w = m.group(0)
        parts = [p for p in w.split("-") if p]
        if all(p[:1].isupper() and p[1:] == p[1:].lower() and not ev.proper_word(p) for p in parts):
            return w.lower()
        return w

    return re.sub(r"[A-Za-z][\w']*(?:-[A-Za-z][\w']*)*", fix, original)


class _Builder:
    def __init__(self, evidence: Evidence | None):
        self.ev = evidence
        self.rows: list[TableRow] = []
        self.dropped: list[Dropped] = []
        self.proximity_kept: Counter = Counter()

    def drop(self, reason: str, rec: Record, spun: str, detail: str = "") -> None:
        self.dropped.append(Dropped(reason, rec.query, spun, rec.expected, rec.papers, detail))

    def record(self, rec: Record, parsed: ParsedQuery) -> None:
        for clause in parsed.clauses:
            self.clause(rec, clause)

    def clause(self, rec: Record, clause: Clause) -> None:
        tp = clause.tortured
        spun = tp.text
        if tp.wildcard:
            return self.drop("wildcard", rec, spun)
        expected = rec.expected
        if clause.require and re.search(r"\s+AND\s+", expected):
            expected = re.split(r"\s+AND\s+", expected)[0]  # "differential equation AND 1st order"
        cleaned = clean_expected(expected, spun)
        if cleaned.drop:
            return self.drop(cleaned.drop, rec, spun, cleaned.detail)
        require = list(clause.require)
        exclude = list(clause.exclude)
        for original in cleaned.originals:
            s, req = spun, list(require)
            if tp.slop is not None:
                got = self.proximity(rec, tp, original)
                if got is None:
                    continue
                s, gloss = got
                if gloss:
                    req.insert(0, Phrase(gloss))
            elif _is_list(original, False) and not _is_list(s, False):
                self.drop("list_mismatch", rec, s, original)
                continue
            self.candidate(rec, s, original, req, exclude)

    def proximity(self, rec: Record, tp: Phrase, original: str) -> tuple[str, str] | None:
        """Read ``"a b c"~N`` as a contiguous row: a head with a gloss condition, or the
        phrase itself when it lines up with the expected one."""
        words = tp.text.split()
        split = _gloss_split(words, original)
        if split is not None:
            head, gloss = split
            self.proximity_kept["head + gloss condition"] += 1
            return " ".join(head), " ".join(gloss)
        if _is_list(original, True) and not _is_list(tp.text, True):
            self.drop("list_mismatch", rec, tp.text, f"proximity query; {original}")
            return None
        w, e = words_of(tp.text), words_of(original)
        if len(w) == len(e) or w[-1] == e[-1]:
            self.proximity_kept["contiguous form"] += 1
            return tp.text, ""
        self.drop("proximity", rec, tp.text, f"no contiguous reading for {original!r}")
        return None

    def candidate(self, rec: Record, spun: str, original: str, require: list[Phrase], exclude: list[Phrase]) -> None:
        """Apply the row-level checks and keep the row or record why not."""
        sw, ow = words_of(spun), words_of(original)
        if "(" in spun and "(" not in original:
            for g in _groups(spun):
                if g.bracket == "(" and _is_acronym_group(g.content):
                    if _tidy(spun[g.end :]):
                        return self.drop("misaligned", rec, spun, original)
                    original = f"{original} ({g.content})"  # "data technology (IT)" keeps its "(IT)"
                    ow = words_of(original)
        if len(ow) - len(sw) >= 3:  # "consistently interspaced" -> the whole CRISPR name
            return self.drop("misaligned", rec, spun, f"{original!r} is much longer: the tortured phrase is a fragment")
        if not any(len(w) >= 2 and re.search(r"[a-z]", w) for w in sw):
            return self.drop("garbage", rec, spun)
        if sw == ow:
            return self.drop("same", rec, spun, original)
        if _contains(ow, sw) or _contains(sw, ow):
            return self.drop("substring", rec, spun, original)
        gated = bool(require)
        if self.ev is not None:
            why = self.unsafe(spun, original, gated)
            if why:
                return self.drop(why[0], rec, spun, why[1])
            original = _natural_case(original, spun, self.ev)
        context = self.context(spun, require, exclude)
        if context is None:
            return self.drop("wildcard", rec, spun, "a wildcard condition matched no word")
        for ctx in context:
            src = f"PPS: {rec.query} ({rec.papers:,} papers)"
            self.rows.append(TableRow(spun, original, weight_for(rec.papers), ctx, src, rec.papers, rec.query))

    def context(self, spun: str, require: list[Phrase], exclude: list[Phrase]) -> list[str] | None:
        """The context field(s): ``+phrase`` for required terms, ``-phrase`` for excluded ones.

        A required proximity phrase becomes one ``+word`` per word not already implied; an
        excluded one ``-word`` for its words outside the tortured phrase (stricter than the
        query, so the row fires less often); a wildcard ``optimiz*`` expands to the common
        words with that prefix, one row each (a condition list cannot say OR).
        """
        spun_words = set(words_of(spun))
        plus: list[str] = []
        minus: list[str] = []
        choices: list[list[str]] = [[]]
        for p in require:
            if p.wildcard:
                forms = self.expand(p.text[:-1])
                if not forms:
                    return None
                choices = [c + [f] for c in choices for f in forms]
            elif p.slop is not None:
                implied = spun_words | {w for q in plus for w in words_of(q)}
                plus.extend(w for w in words_of(p.text) if w not in implied)
            else:
                plus.append(norm(p.text) if not p.quoted else p.text.lower())
        for p in exclude:
            if p.slop is not None:
                extra = [w for w in words_of(p.text) if w not in spun_words]
                minus.extend(extra or [p.text.lower()])
            else:
                minus.append(p.text.lower())
        out = []
        for c in choices:
            items = [f"+{x}" for x in dict.fromkeys(plus + c)] + [f"-{x}" for x in dict.fromkeys(minus)]
            out.append(";".join(items))
        return out

    def expand(self, prefix: str) -> list[str]:
        """The common words starting with ``prefix`` (wordsegment unigrams, at most 6)."""
        return self.ev.words_with_prefix(prefix, 6) if self.ev is not None else []

    def unsafe(self, spun: str, original: str, gated: bool) -> tuple[str, str] | None:
        """Why applying the row could corrupt correct text, or None (see REASONS)."""
        ev = self.ev
        assert ev is not None
        key = norm(spun)
        if key in ev.standard_terms and key != norm(original):
            return "standard_term", ev.standard_terms[key]
        raw = words_of(spun)
        if len(raw) == 1:
            w = raw[0]
            if not gated and ev.known(w):
                why = f"a common English word (in the model's vocabulary; Google count {ev.unigram(w):,})"
                return "ordinary_english", why + " with no context condition"
            return None
        ws = ev.judged_words(spun, original)
        if not ws or len(ws) < 2:
            return None
        attested, weakest = ev.collocation(ws)
        phrase = " ".join(ws)
        if len(ws) == 2 and PLACEHOLDER not in ws:
            t_count = ev.bigram(*ws)
            ow = ev.judged_words(original) or []
            o_count = ev.bigram(*ow) if len(ow) == 2 else 0
            if t_count and t_count >= BIGRAM_RATIO * o_count:
                return "ordinary_english", (
                    f"{phrase!r} is a frequent English bigram (Google count {t_count:,}; expected phrase {o_count:,})"
                )
        if not attested:
            return None
        if len(ws) >= 3 and not gated:
            return "ordinary_english", f"every trigram of {phrase!r} is in the 3-gram model (a frequent phrase)"
        if weakest >= (PMI_GATED if gated else PMI_UNGATED):
            return "ordinary_english", (
                f"{phrase!r} is in the 3-gram model and its words call for each other "
                f"(weakest ln P(w|h) - ln P(w) = {weakest:.1f})"
            )
        return None


def build_rows(records: Sequence[Record], evidence: Evidence | None = None) -> BuildResult:
    """Parse, clean and filter every record; return the sorted rows and the dropped candidates.

    With ``evidence=None`` the English-usage filters (standard terms, ordinary English) and
    the case normalization are skipped: the syntactic ones still run. Tests use that to
    check the parser and cleaner quickly.
    """
    b = _Builder(evidence)
    constructs: Counter = Counter()
    queries_with: Counter = Counter()
    kept_queries = 0
    for rec in records:
        parsed = parse_query(rec.query)
        constructs.update(parsed.constructs)
        queries_with.update(parsed.constructs.keys())
        n_before = len(b.rows)
        b.record(rec, parsed)
        kept_queries += len(b.rows) > n_before
    rows = _dedupe(b)
    rows.sort(key=lambda r: (r.spun.lower(), r.original.lower(), r.context, r.source))
    b.dropped.sort(key=lambda d: (list(REASONS).index(d.reason), -d.papers, d.spun.lower(), d.query))
    stats = Counter({f"{k} (queries)": v for k, v in queries_with.items()})
    stats.update({f"{k} (occurrences)": v for k, v in constructs.items()})
    return BuildResult(rows, b.dropped, stats, len(records), kept_queries, b.proximity_kept)


def _dedupe(b: _Builder) -> list[TableRow]:
    """Keep one row per (spun, original, context): the one with the most papers."""
    best: dict[tuple[str, str, str], TableRow] = {}
    for r in b.rows:
        k = (r.spun.lower(), r.original.lower(), r.context)
        old = best.get(k)
        if old is None:
            best[k] = r
            continue
        win, lose = (r, old) if (r.papers, r.source) > (old.papers, old.source) else (old, r)
        best[k] = win
        b.dropped.append(Dropped("duplicate", lose.query, lose.spun, lose.original, lose.papers, f"kept {win.source}"))
    return list(best.values())


# ---------------------------------------------------------------------------------------------
# 5. Output
# ---------------------------------------------------------------------------------------------


def reason_counts(result: BuildResult) -> Counter:
    return Counter(d.reason for d in result.dropped)


def header(result: BuildResult, csv_name: str) -> list[str]:
    counts = reason_counts(result)
    lines = [
        "# wordfix tortured-phrase table, generated by scripts/build_tortured_table.py: do not edit by hand.",
        f"# Source: {csv_name}, the tortured-phrase fingerprints of the {CREDIT}.",
        "# Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); credit the Problematic Paper",
        "# Screener. Rows are derived (parsed, cleaned, filtered), see scripts/tortured_report.md.",
        "# Format: src/wordfix/tables.py. relation is 'tortured'; pos is empty; context holds the query's",
        "# AND terms as +phrase and its NOT terms as -phrase; source is 'PPS: <query> (<num_papers> papers)'.",
        f"# weight = {W_MIN} + {W_MAX - W_MIN:.2f} * ln(1 + num_papers) / ln(1 + {N_REF}), clipped to "
        f"[{W_MIN}, {W_MAX}]: monotone in the",
        "#   paper count (0 papers -> 0.30, 9 -> 0.43, 1,000 -> 0.72, 42,682 -> 0.95).",
        f"# Queries read: {result.queries}; queries with at least one row: {result.queries_kept}; "
        f"rows: {len(result.rows)}.",
        f"# Candidate rows dropped: {sum(counts.values())}, by reason:",
    ]
    for k, text in REASONS.items():
        if counts[k]:
            lines.append(f"#   {k}: {counts[k]} ({text})")
    return lines


def write_table(result: BuildResult, path: Path, csv_name: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header(result, csv_name):
            f.write(line + "\n")
        f.write("\t".join(COLUMNS) + "\n")
        for r in result.rows:
            f.write(r.tsv() + "\n")


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def write_report(result: BuildResult, path: Path, csv_name: str, prose: CleanProse | None = None) -> None:
    counts = reason_counts(result)
    c = result.constructs
    out = [
        "# Tortured-phrase table: build report",
        "",
        "Generated by `scripts/build_tortured_table.py` from "
        f"`{csv_name}` ({CREDIT}). Rebuild with "
        "`python scripts/build_tortured_table.py --clean-prose /usr/share/doc/python3.11/html/_sources` "
        "from the repository root (the flag only adds the false-alarm measurement below; the table "
        "is the same without it). The build needs pocketsphinx, wordsegment and Debian's wordnet-base.",
        "",
        "## Summary",
        "",
        f"- queries read: **{result.queries}**; queries giving at least one row: **{result.queries_kept}**",
        f"- rows written to `data/synonym_maps/tortured_phrases.tsv`: **{len(result.rows)}**",
        f"- candidate rows dropped: **{sum(counts.values())}** (a query gives one candidate per OR "
        "alternative and per alternative original; a query dropped before expansion counts once)",
        f"- weight: `{W_MIN} + {W_MAX - W_MIN:.2f} * ln(1 + papers) / ln(1 + {N_REF})` (0 papers: 0.30, "
        "median 9: 0.43, 1,000: 0.72, max 42,682: 0.95)",
        "",
        "## Query constructs",
        "",
        "| construct | queries using it | occurrences |",
        "|---|---|---|",
    ]
    names = sorted({k.rsplit(" (", 1)[0] for k in c}, key=lambda k: (-c[f"{k} (queries)"], k))
    for k in names:
        out.append(f"| {k} | {c[f'{k} (queries)']} | {c[f'{k} (occurrences)']} |")
    out += [
        "",
        "How each construct becomes rows:",
        "",
        "- **plain quoted phrase**: the tortured phrase, matched as a contiguous word sequence.",
        "- **AND**: the first quoted phrase is the tortured one; every other positive term becomes a "
        "`+phrase` context condition (the document must contain it).",
        "- **OR**: the query is expanded to disjunctive normal form (standard precedence: NOT over AND "
        "over OR); each clause is a row. OR inside a condition gives one row per alternative, since a "
        'context field cannot say OR. `"fit record" OR "fit file" AND "fit index"` therefore reads '
        'as `"fit record" OR ("fit file" AND "fit index")`.',
        "- **NOT**: `-phrase` conditions (the document must not contain it).",
        "- **unquoted terms** (`AND neural`, `NOT specular`, `AND business intelligence`): single words; "
        "adjacent terms without an operator are joined by AND (implicit AND).",
        "- **`term*` wildcard** (`optimiz*`, only in a condition): expanded to the six most frequent "
        "words with that prefix in wordsegment's unigrams, one row each.",
        '- **`"a b"~N` proximity**: the table matches contiguous phrases only. Decision: (1) when the '
        "last words are a gloss of the expected phrase (the expected phrase itself, its acronym, or an "
        'all-capitals keyword: `"gatherings clustering"~10`, `"genuine positive TP"~5`, '
        '`"social impact UTAUT"~10`), the head is the tortured phrase and the gloss a `+gloss` '
        "condition (proximity approximated by the document); (2) otherwise the contiguous form is kept "
        "when it lines up with the expected phrase (same word count or same last word: "
        '`"disappearing gradient problem"~5`, `"GB Slam"~3`); (3) otherwise dropped (lists like '
        "`\"characterization relapse\"~5` for 'classification and regression', whose text has an 'and' "
        "or commas between the words). A proximity term inside a condition becomes one `+word` per word "
        "(AND) or `-word` per word outside the tortured phrase (NOT; stricter than the query).",
        "- **ADN**: one query writes `ADN` for `AND`; read as AND.",
        "- **parentheses**: grouping, handled by the parser.",
        "",
        "Proximity clauses kept: "
        + (", ".join(f"{v} as {k}" for k, v in sorted(result.proximity_kept.items())) or "none")
        + ".",
        "",
    ]
    out += ["### Every proximity query", "", "| query | expected | outcome |", "|---|---|---|"]
    outcome: dict[str, list[str]] = {}
    for r in result.rows:
        if re.search(r'"~\d', r.query):
            ctx = f" [{r.context}]" if r.context else ""
            outcome.setdefault(r.query, []).append(f"`{r.spun}` -> `{r.original}`{ctx}")
    for d in result.dropped:
        if re.search(r'"~\d', d.query):
            outcome.setdefault(d.query, []).append(f"dropped: {d.reason}")
    expected = {d.query: d.expected for d in result.dropped}
    expected.update({r.query: r.original for r in result.rows})
    for q in sorted(outcome):
        out.append(f"| `{_md(q)}` | {_md(expected[q])} | {_md('; '.join(sorted(set(outcome[q]))))} |")
    out += [
        "",
        "## Cleaning `expected_phrase`",
        "",
        "- commentary (a link, `->`, a DOI, query syntax such as `AND`, quoted words, a description much "
        "longer than the tortured phrase) is dropped; a trailing `, see https://...` after a clean "
        "phrase is cut (the UTAUT rows);",
        "- any `?` marks the value as uncertain: dropped (`rythm pattern (?)`, `???`, `Crow search algorithm ?`);",
        "- acronym groups `(NLP)` are removed unless the tortured phrase carries a group too "
        '(`"data technology (IT)"` -> `information technology (IT)`); clarifications '
        "`(in a neural network)`, `(i.e. ...)`, `(as in ...)` are removed; optional words "
        "`(mean) squared error`, `single-stranded [virus]` are kept or left out to match the tortured "
        "phrase's word count; `[...]` is a gap: dropped;",
        "- alternatives (`x / y`, `fault analysis/diagnosis`, `x or y`) become one row each, keeping only "
        "those with the tortured phrase's word count (none: dropped as ambiguous); slashes and 'or' stay "
        "literal when the tortured phrase has them too (`grasp/slave` -> `master/slave`);",
        "- when the tortured phrase starts with a content word the expected phrase has further in, the "
        "expected words before it are cut (`palindromic rehashes` -> `palindromic repeats`, not the whole "
        "CRISPR name: the text still has the words before); an expected phrase three or more words longer "
        "than the tortured one is then dropped as misaligned (a fragment whose row would duplicate words); "
        "an acronym the tortured phrase writes as a word replaces its expansion (`DDoS assault` -> "
        "`DDoS attack`);",
        "- Title Case originals are lower-cased when the tortured phrase is lower case, except acronyms "
        "and words WordNet or the list only know capitalized (`hidden Markov model`).",
        "",
        "## Safety filters",
        "",
        "- **standard_term**: the tortured phrase is one of the protected terms "
        f"({', '.join(PROTECTED_TERMS)}) or the clean expected phrase of PPS rows with at least as many "
        "papers as the rows that list it as tortured (the list itself says it is correct terminology; "
        "`intensity weighted bandwidth` is tortured in 41 papers and expected in 1, so it stays).",
        "- **ordinary_english**: evidence from the pocketsphinx 3-gram model (`en-us.lm.bin`, 72.5k words) "
        "and wordsegment's Google bigram counts (its ~286k most frequent bigrams; repeated lines summed). "
        "The phrase is split at spaces (a spun compound like `give-up-to-give-up` is one token the model "
        f"does not know: not plain English); formulas, numbers and acronyms are read as `{PLACEHOLDER}` "
        "(`in the presence of N2` is judged as `in the presence of water`); bracketed groups the original "
        "repeats (`(IT)`) are left out. Then a phrase is ordinary English when:",
        "  - two words: the bigram is among Google's most frequent and at least "
        f"{BIGRAM_RATIO:.0%} as frequent as the expected phrase's bigram (`business knowledge`: 105,594 vs "
        "981,034 for `business intelligence`); or the bigram is in the 3-gram model and its words call "
        f"for each other, ln P(w2 | w1) - ln P(w2) >= {PMI_UNGATED} ({PMI_GATED} when a context condition "
        "already restricts the row: `heart ailments`, `malignant growth` with `+cancer`);",
        "  - three words or more: every trigram window is in the (pruned) 3-gram model, i.e. the phrase is "
        "a frequent English word sequence (`man in the center`, `whatever remains of the paper`); rows "
        "with a context condition need the association test too;",
        "  - one word: the model knows it (it is among the 72.5k most common words) and no context "
        "condition gates the row (`bosom` is kept only with `+breast`).",
        "  Tortured phrases are by construction odd combinations of words, so almost all of them fail these "
        "tests: membership in WordNet is *not* used as evidence of ordinary use, since spinners draw their "
        "replacements from WordNet (`metric capacity unit`, `Associate in Nursing` are WordNet lemmas).",
        "- **same** / **substring**: tortured == expected, or one contains the other (after lower-casing "
        "and splitting at hyphens and punctuation).",
        "- **garbage**: no word of two letters.",
        "",
        "## Dropped candidates by reason",
        "",
        "| reason | count | meaning |",
        "|---|---|---|",
    ]
    for k, text in REASONS.items():
        out.append(f"| {k} | {counts[k]} | {_md(text)} |")
    out += ["", "Examples (the three with the most papers for each reason):", ""]
    for k in REASONS:
        ex = [d for d in result.dropped if d.reason == k][:3]
        if not ex:
            continue
        out.append(f"**{k}**")
        out.append("")
        for d in ex:
            detail = f": {d.detail}" if d.detail else ""
            out.append(f"- `{_md(d.query)}` -> `{_md(d.expected)}` ({d.papers:,} papers){_md(detail)}")
        out.append("")
    out += [
        "## Examples of kept rows (most papers)",
        "",
        "| spun | original | weight | context | papers |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(result.rows, key=lambda r: (-r.papers, r.spun))[:25]:
        out.append(f"| {_md(r.spun)} | {_md(r.original)} | {r.weight:.3f} | {_md(r.context)} | {r.papers:,} |")
    out += ["", "## False alarms on clean prose", ""]
    if prose is None:
        out.append("Not measured in this build (run the script with `--clean-prose DIR`).")
    else:
        out.append(
            f"The table was matched against `{prose.folder}` ({prose.documents} documents, {prose.words:,} "
            "words of edited English that no spinner touched; context conditions applied per document, "
            f"before wordfix's language-model decision): **{sum(h[0] for h in prose.hits)} matches** "
            f"of {len(prose.hits)} rows."
        )
        out.append("")
        out += [f'- {n} x `{_md(sp)}` -> `{_md(o)}`: "... {_md(ex)} ..."' for n, sp, o, ex in prose.hits]
    out += [
        "",
        "## Known limits",
        "",
        "- PPS phrase queries ignore punctuation; the wordfix matcher does not, so a row matches only "
        "text with the tortured phrase's own punctuation.",
        "- Proximity is approximated by document-level conditions; OR conditions by one row per alternative.",
        "- The English-usage evidence catches phrases that are frequent in general English. A phrase that "
        "is a real term only in one field and rare elsewhere (`component extraction` is also a chemistry "
        "term) passes; there wordfix's in-context language-model decision is the last guard.",
        "- Rows are matched as written (pos is empty): no inflected forms.",
        "- Originals with a word the active language model does not know are skipped by wordfix at run "
        "time (`candidates.build_spans`), e.g. many acronym-heavy names.",
        "",
    ]
    path.write_text("\n".join(out), encoding="utf-8")


@dataclass
class CleanProse:
    """Rows of the table found in clean prose (text no spinner touched)."""

    folder: str
    documents: int
    words: int
    hits: list[tuple[int, str, str, str]]  # (count, spun, original, an example)


def measure_clean_prose(table: Path, folder: Path) -> CleanProse:
    """Match the written table against every ``*.txt`` file under ``folder`` (one document
    each, context conditions applied, as wordfix's matcher would before its language-model
    decision) and count the rows that fire. Python's documentation sources
    (``/usr/share/doc/python3.11/html/_sources``, Debian's ``python3.11-doc``) are 2.2M words
    of edited technical English: every hit there is a false alarm the decoder must veto."""
    from wordfix.tables import load_table
    from wordfix.tokenize import SPACE, tokenize

    rows = load_table(table)
    by_key: dict[tuple[str, ...], list] = {}
    for r in rows:
        by_key.setdefault(r.spun, []).append(r)
    starts: dict[str, list[tuple[str, ...]]] = {}
    for k in by_key:
        starts.setdefault(k[0], []).append(k)
    counts: Counter = Counter()
    example: dict[tuple[str, str], str] = {}
    files = sorted(folder.rglob("*.txt"))
    n_words = 0
    for path in files:
        toks = [u.lower for u in tokenize(path.read_text(encoding="utf-8", errors="replace")) if u.kind != SPACE]
        n_words += len(toks)
        for i, w in enumerate(toks):
            for k in starts.get(w, ()):
                if tuple(toks[i : i + len(k)]) != k:
                    continue
                for r in by_key[k]:
                    if all(_contains(toks, list(ws)) == must for must, ws in r.context):
                        key = (" ".join(k), r.original)
                        counts[key] += 1
                        example.setdefault(key, " ".join(toks[max(0, i - 6) : i + len(k) + 6]))
    hits = [(n, s, o, example[(s, o)]) for (s, o), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return CleanProse(str(folder), len(files), n_words, hits)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the PPS export (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the table to write (default: %(default)s)")
    ap.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="the report (default: %(default)s)")
    ap.add_argument(
        "--clean-prose",
        type=Path,
        metavar="DIR",
        help="also count the table's matches in the *.txt files under DIR, clean prose, for the report "
        "(about 40 s for /usr/share/doc/python3.11/html/_sources)",
    )
    args = ap.parse_args(argv)
    records = read_csv(args.csv)
    evidence = Evidence(records)
    result = build_rows(records, evidence)
    write_table(result, args.out, args.csv.name)
    prose = measure_clean_prose(args.out, args.clean_prose) if args.clean_prose else None
    write_report(result, args.report, args.csv.name, prose)
    counts = reason_counts(result)
    print(f"{len(result.rows)} rows -> {args.out}; dropped {sum(counts.values())}: {dict(counts)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
