"""The pipeline's seams (issue 14): the Document stage 1 gives, and the LanguageModel
protocol the scorer depends on."""

from __future__ import annotations

import pytest

from wordfix.document import Document, read
from wordfix.language_model import EOS, LanguageModel, Ngram
from wordfix.score import ContextScorer


class UniformLM:
    """A LanguageModel that is not the n-gram model: every word equally likely, no memo."""

    def __init__(self) -> None:
        self.asked: list[Ngram] = []

    @property
    def cached(self) -> dict[Ngram, float]:
        return {}

    def logp(self, w: str, h1: str, h2: str) -> float:
        self.asked.append((w, h1, h2))
        return -1.0

    def known(self, w: str) -> bool:
        return True


def test_read_gives_a_frozen_document():
    doc = read("One two.\n\nThree four")
    assert isinstance(doc, Document)
    assert [doc.unit(k).text for k in range(len(doc.seq))] == ["One", "two", ".", "Three", "four"]
    assert doc.breaks == {2} and doc.n_words == 4
    assert doc.chars(3, 5) == (10, 20) and doc.text[10:20] == "Three four"
    with pytest.raises(AttributeError):
        doc.text = "x"


def test_the_scorer_reads_any_language_model():
    lm: LanguageModel = UniformLM()
    scorer = ContextScorer(lm, read("One two three."), 0.0)
    state, lp = scorer.emit(scorer.history(1), ("deux",))
    assert state == ("deux", "one") and lp == -1.0
    assert scorer.tail(state, 2) == -2.0  # "three", then the sentence ends
    assert lm.asked[-1] == (EOS, "three", "deux")
