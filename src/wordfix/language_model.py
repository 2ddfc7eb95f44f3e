"""The language models that judge which wording a context prefers.

The fast default is the English 3-gram model shipped in the ``pocketsphinx`` wheel
(72.5k words, read with ``pocketsphinx.NGramModel``). It is a speech model: it has no
punctuation, so the text is fed to it as lower-case words with sentence boundaries.

Words outside its vocabulary are not all equally rare: "litres" and "tinned" are
common on the web, "conjointly" is not. Their probability comes from the Google web
unigram counts shipped in the ``wordsegment`` package (Apache-2.0), put on the 3-gram
model's scale; a word unknown to both gets ``oov_logp`` (the tuned numbers are
``Config.oov_logp``, ``web_offset`` and ``num_logp``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

LN_BASE = math.log(1.0001)  # pocketsphinx reports log probabilities in base 1.0001
BOS, EOS = "<s>", "</s>"
_DIGITS = re.compile(r"^\d+(?:st|nd|rd|th|s)?$")  # 2, 2024, 11th, 1990s
NUM = "<num>"  # a number written in digits; unknown to the model as history too


Ngram = tuple[str, str, str]  # (word, previous word, the one before); "" where there is none


class LanguageModel(Protocol):
    """What scoring wordings in context needs of a word-level model (``score.ContextScorer``,
    ``candidates.CandidateGenerator``, ``spintax.choose``); ``NgramLM`` is one."""

    def logp(self, w: str, h1: str, h2: str) -> float:
        """Natural-log P(w | h2 h1) (``h2``/``h1`` "" where the history is shorter)."""
        ...

    def known(self, w: str) -> bool:
        """Whether the word has a probability of its own (else it is scored as unknown)."""
        ...

    # The log probabilities worked out so far, by (w, h1, h2), as ``logp`` gives them (may be
    # empty, or forget): the hot loops of scoring read it first and call ``logp`` on a miss,
    # which keeps a hit to one dict lookup. Read-only for everyone but the model.
    @property
    def cached(self) -> Mapping[Ngram, float]: ...


class TextScorer(Protocol):
    """What rescoring needs of a neural model (``neural.NeuralLM``): whole texts scored."""

    def score(self, texts: Sequence[str], batch_size: int = 16) -> list[float]:
        """Each text's natural-log probability."""
        ...


def lm_word(lower: str) -> str:
    """The model's spelling of a normalized word unit (a number in digits is "<num>":
    spelling it out would make "Note 1" read as "twenty one")."""
    w = lower.rstrip("'")
    return NUM if _DIGITS.match(w) else w


MEMO_SIZE = 500_000  # n-grams an NgramLM remembers (then it starts again)


class NgramLM:
    """A 3-gram model with a memo of the n-grams it has been asked for (a ``LanguageModel``)."""

    order = 3

    def __init__(self, path: str | None, oov_logp: float, web_offset: float, num_logp: float):
        """``oov_logp``: log P of a word neither the 3-gram model nor the web list knows;
        ``web_offset``: added to a web unigram log P; ``num_logp``: log P of a number."""
        import pocketsphinx

        self.oov, self.web_offset, self.num_logp = oov_logp, web_offset, num_logp
        if path is None:
            path = pocketsphinx.get_model_path() + "/en-us/en-us.lm.bin"
        self._model = pocketsphinx.NGramModel.readfile(path)
        self._memo: dict[Ngram, float] = {}
        self._web: dict[str, float] | None = None

    @property
    def cached(self) -> dict[Ngram, float]:
        """The memo of ``logp`` (see ``LanguageModel.cached``)."""
        return self._memo

    def logp(self, w: str, h1: str, h2: str) -> float:
        """Natural-log P(w | h2 h1); an unknown word gets ``oov_logp``."""
        key = (w, h1, h2)
        v = self._memo.get(key)
        if v is None:
            if w == BOS:
                v = 0.0
            elif w == NUM:
                v = self.num_logp  # the speech model has no digits: the same for every context
            else:
                s = self._model.prob([w, h1, h2] if h2 else ([w, h1] if h1 else [w]))
                v = self.oov_logp(w) if s < -100_000_000 else max(self.oov, s * LN_BASE)
            if len(self._memo) > MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = v
        return v

    def oov_logp(self, w: str) -> float:
        """log P of a word the 3-gram model does not know, from web unigram counts."""
        if self._web is None:
            self._web = web_unigrams()
        v = self._web.get(w.replace(".", "").replace("'", "")) if w else None
        return self.oov if v is None else max(self.oov, v + self.web_offset)

    def known(self, w: str) -> bool:
        """Whether the word has a probability of its own: in the 3-gram vocabulary or
        in the web unigram list."""
        if self._model.prob([w]) > -100_000_000:
            return True
        if self._web is None:
            self._web = web_unigrams()
        return w.replace(".", "").replace("'", "") in self._web


@lru_cache(maxsize=4)
def ngram(oov_logp: float, web_offset: float, num_logp: float) -> NgramLM:
    """The shared 3-gram model with these numbers (Config's), loaded once per process."""
    return NgramLM(None, oov_logp, web_offset, num_logp)


def web_unigrams() -> dict[str, float]:
    """{word: natural-log relative frequency} from wordsegment's Google web unigram
    counts, compiled once into the cache directory (a few hundred milliseconds the
    first time, a few tens after)."""
    from array import array
    from pathlib import Path

    from .cache import cached_blobs

    try:
        import wordsegment
    except ImportError:  # an optional refinement: without it every unknown word is rare
        return {}
    src = Path(wordsegment.__file__).with_name("unigrams.txt")

    def build() -> dict[str, float]:
        counts: dict[str, int] = {}
        with open(src, encoding="utf-8") as f:
            for line in f:
                word, _, n = line.rstrip("\n").partition("\t")
                counts[word] = counts.get(word, 0) + int(n)
        total = math.log(sum(counts.values()))
        return {w: math.log(n) - total for w, n in counts.items()}

    def encode(table: dict[str, float]) -> dict[str, object]:
        if any("\n" in w for w in table):
            raise ValueError("a word holds a line break")
        return {"format": 3, "words": "\n".join(table), "logp": array("d", table.values()).tobytes()}

    def decode(d: dict[str, object]) -> dict[str, float]:
        if d.get("format") != 3 or not isinstance(d["words"], str) or not isinstance(d["logp"], bytes):
            raise ValueError("not a unigram table")
        values = array("d")
        values.frombytes(d["logp"])
        return dict(zip(d["words"].split("\n"), values, strict=True))

    return cached_blobs(f"web-unigrams-{src.stat().st_size}-v3.bin", build, encode, decode)
