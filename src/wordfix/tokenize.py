"""Stage 1: split text into word units that keep their exact offsets.

spaCy's blank English tokenizer does the splitting (it keeps whitespace, so the
text round-trips byte for byte). Its tokens are then grouped into *units*, the
things wordfix edits and the language model reads: a word together with its
clitics ("they'll", "won't", "it's"), a punctuation mark, or a run of whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD, PUNCT, SPACE = "word", "punct", "space"

# Clitics spaCy splits off a word; they stay glued to it in a unit.
_CLITICS = frozenset({"'s", "'ll", "'re", "'ve", "'d", "'m", "n't", "'"})
# Punctuation that ends a sentence (for casing and for the language model).
SENTENCE_END = frozenset({".", "!", "?", "...", "…"})


def normalize(word: str) -> str:
    """Lower-case a word and unify apostrophes, the form tables are keyed by."""
    return word.replace("’", "'").replace("‘", "'").lower()


@dataclass(frozen=True, slots=True)
class Unit:
    """One editable piece of the input: a word with its clitics, a mark or a space."""

    text: str
    start: int  # character offset in the input
    end: int
    kind: str  # WORD, PUNCT or SPACE
    lower: str  # normalized text (see `normalize`)
    sent_start: bool  # first word of a sentence

    @property
    def is_word(self) -> bool:
        return self.kind == WORD


@lru_cache(maxsize=1)
def _nlp():
    import sys

    # spaCy's thinc imports torch when it is installed (the neural tier), which
    # costs ~0.9 s and is never used by the tokenizer: hide it while spaCy imports.
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None
    try:
        import spacy
    finally:
        if hide:
            del sys.modules["torch"]
    nlp = spacy.blank("en")
    nlp.max_length = 10**9  # the tokenizer alone is linear; long texts are fine
    return nlp


def _is_clitic(tok_text: str) -> bool:
    return normalize(tok_text) in _CLITICS


def line_breaks(space: str) -> int:
    """How many line breaks a run of whitespace holds: LF, CRLF and CR-only (old Mac)
    line ends each count once."""
    return space.count("\n") + space.count("\r") - space.count("\r\n")


# spaCy strips prefixes and suffixes from a space-less run one character at a time,
# copying the rest each time: quadratic on long runs (ASCII art, minified code, rules).
# Runs longer than this are tokenized in pieces of this size, which keeps it linear.
MAX_RUN = 256
_LONG_RUN = re.compile(r"\S{" + str(MAX_RUN + 1) + ",}")


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, no piece holding a space-less run longer
    than MAX_RUN (a long run is cut into MAX_RUN pieces)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _LONG_RUN.finditer(text):
        if m.start() > pos:
            out.append((pos, text[pos : m.start()]))
        for k in range(m.start(), m.end(), MAX_RUN):
            out.append((k, text[k : min(k + MAX_RUN, m.end())]))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:]))
    return out


def tokenize(text: str) -> list[Unit]:
    """Split `text` into units covering it exactly (concatenated they give `text`)."""
    if not text:
        return []
    nlp = _nlp()
    units: list[Unit] = []
    # spaCy drops a single trailing space into `whitespace_`; multiple spaces are tokens.
    pending_start = None  # start of a word unit being extended with clitics
    pending_end = 0
    sent_start = True

    def flush_word():
        nonlocal pending_start, sent_start
        if pending_start is None:
            return
        t = text[pending_start:pending_end]
        units.append(Unit(t, pending_start, pending_end, WORD, normalize(t), sent_start))
        sent_start = False
        pending_start = None

    def add_space(start: int, end: int):
        nonlocal sent_start
        t = text[start:end]
        if units and units[-1].kind == SPACE and units[-1].end == start:  # one run, across pieces
            prev = units.pop()
            start, t = prev.start, prev.text + t
        units.append(Unit(t, start, end, SPACE, t, False))
        if "\n" in t or "\r" in t:
            sent_start = True

    pieces = [(0, text)] if len(text) <= MAX_RUN or not _LONG_RUN.search(text) else _pieces(text)
    for offset, piece in pieces:
        flush_word()  # a word never continues into the next piece
        for tok in nlp.make_doc(piece):
            start = tok.idx + offset
            end = start + len(tok.text)
            if tok.is_space:
                flush_word()
                add_space(start, end)
            elif tok.is_punct and not (pending_start is not None and pending_end == start and _is_clitic(tok.text)):
                flush_word()
                t = tok.text
                units.append(Unit(t, start, end, PUNCT, normalize(t), False))
                if t in SENTENCE_END:
                    sent_start = True  # quotes and brackets that follow keep it pending
            elif pending_start is not None and pending_end == start and _is_clitic(tok.text):
                pending_end = end  # glue the clitic to its word
            else:
                flush_word()
                pending_start, pending_end = start, end
            if tok.whitespace_:
                flush_word()
                add_space(end, end + len(tok.whitespace_))
    flush_word()
    return units


_PLAIN_PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


@lru_cache(maxsize=1)
def _exception_words() -> frozenset[str]:
    """Plain words the tokenizer splits ("cannot" -> "can not"): no fast path for them."""
    return frozenset(k.lower() for k in _nlp().tokenizer.rules if k.isalpha())


def word_keys(phrase: str) -> tuple[str, ...]:
    """The normalized word sequence of a table phrase, tokenized like running text."""
    if _PLAIN_PHRASE.fullmatch(phrase):
        words = phrase.lower().split(" ")
        if not any(w in _exception_words() for w in words):
            return tuple(words)
    return tuple(u.lower for u in tokenize(phrase) if u.kind != SPACE)
