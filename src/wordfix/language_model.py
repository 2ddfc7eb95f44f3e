"""The language models that judge which wording a context prefers.

The fast default is the English 3-gram model shipped in the ``pocketsphinx`` wheel
(72.5k words, read with ``pocketsphinx.NGramModel``). It is a speech model: it has no
punctuation, so the text is fed to it as lower-case words with sentence boundaries.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

LN_BASE = math.log(1.0001)  # pocketsphinx reports log probabilities in base 1.0001
OOV_LOGP = -17.0  # log P of a word the model has never seen (about a rare word's unigram)
BOS, EOS = "<s>", "</s>"
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()
_DIGITS = re.compile(r"^\d+$")


def lm_word(lower: str) -> str:
    """The model's spelling of a normalized word unit."""
    w = lower.rstrip("'")
    if _DIGITS.match(w):
        n = int(w)
        return _NUMBER_WORDS[n] if n <= 10 else "<num>"
    return w


class NgramLM:
    """A 3-gram model with a memo of the n-grams it has been asked for."""

    order = 3

    def __init__(self, path: str | None = None):
        import pocketsphinx

        if path is None:
            path = pocketsphinx.get_model_path() + "/en-us/en-us.lm.bin"
        self._model = pocketsphinx.NGramModel.readfile(path)
        self.memo: dict[tuple[str, str, str], float] = {}  # read directly by the hot loops in score.py

    def logp(self, w: str, h1: str, h2: str) -> float:
        """Natural-log P(w | h2 h1); an unknown word gets ``OOV_LOGP``."""
        key = (w, h1, h2)
        v = self.memo.get(key)
        if v is None:
            if w == BOS:
                v = 0.0
            elif w == "<num>":
                v = self.logp("twenty", h1, h2) - 1.0
            else:
                s = self._model.prob([w, h1, h2] if h2 else ([w, h1] if h1 else [w]))
                v = OOV_LOGP if s < -100_000_000 else s * LN_BASE
                if v < OOV_LOGP:
                    v = OOV_LOGP
            if len(self.memo) > 2_000_000:
                self.memo.clear()
            self.memo[key] = v
        return v

    def known(self, w: str) -> bool:
        """Whether the model has the word in its vocabulary."""
        return self._model.prob([w]) > -100_000_000


@lru_cache(maxsize=1)
def default_ngram() -> NgramLM:
    """The shared 3-gram model, loaded once per process."""
    return NgramLM()
