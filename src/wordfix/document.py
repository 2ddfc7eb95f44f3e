"""Stage 1's result: one text read into units, the record every later stage reads.

Spans, matches and the scorer address the text by position in ``seq`` (the non-space
units); ``units[seq[k]]`` is the unit at position ``k`` and its ``start``/``end`` are
character offsets into ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokenize import SPACE, Unit, line_breaks, tokenize


@dataclass(frozen=True, slots=True)
class Document:
    """A tokenized text. Frozen: no stage rebinds its fields, and none changes the lists."""

    text: str
    units: list[Unit]  # covering the text exactly (see ``tokenize``)
    seq: list[int]  # indices of the non-space units: the positions every later stage uses
    breaks: frozenset[int]  # positions in ``seq`` after which a paragraph breaks

    def unit(self, k: int) -> Unit:
        """The unit at position ``k`` of ``seq``."""
        return self.units[self.seq[k]]

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Character offsets of positions ``a`` to ``b`` (exclusive) of ``seq``."""
        return self.units[self.seq[a]].start, self.units[self.seq[b - 1]].end

    @property
    def n_words(self) -> int:
        """How many word units the text has."""
        units = self.units
        return sum(1 for i in self.seq if units[i].is_word)


def content_sequence(units: list[Unit]) -> tuple[list[int], set[int]]:
    """Indices of the non-space units, and the positions after which a paragraph breaks."""
    seq: list[int] = []
    breaks: set[int] = set()
    for i, u in enumerate(units):
        if u.kind == SPACE:
            if seq and line_breaks(u.text) >= 2:
                breaks.add(len(seq) - 1)
        else:
            seq.append(i)
    return seq, breaks


def read(text: str) -> Document:
    """Stage 1: tokenize ``text`` and index its non-space units."""
    units = tokenize(text)
    seq, breaks = content_sequence(units)
    return Document(text, units, seq, frozenset(breaks))
