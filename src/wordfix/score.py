"""Stage 4: score wordings in context with a language model.

The text is read by the model as a stream of lower-case words with sentence
boundaries. A hypothesis replaces a stretch of that stream; it is scored on the whole
window its words can influence (two words of history, its own words, and the next
two words or the sentence end), so a three-word spun phrase and a one-word original
are compared on the same context and no length bias creeps in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .language_model import BOS, EOS, LanguageModel, lm_word
from .tokenize import WORD

if TYPE_CHECKING:
    from .document import Document

State = tuple[str, str]  # (previous word, the one before)


def lm_words(words: Sequence[str]) -> tuple[str, ...]:
    """The model's words for a normalized word sequence (punctuation dropped)."""
    return tuple(lm_word(w) for w in words if any(ch.isalnum() for ch in w))


class ContextScorer:
    """Scores hypotheses over one document's unit sequence with a word-level language model."""

    def __init__(self, lm: LanguageModel, doc: Document, length_bonus: float):
        self.lm = lm
        self._cached = lm.cached  # the model's memo (clearing it keeps the object)
        units, seq = doc.units, doc.seq
        self.length_bonus = length_bonus
        self.n = len(seq)
        self.lmw: list[str | None] = []
        self.bos: list[bool] = []
        for i in seq:
            u = units[i]
            if u.kind == WORD and any(ch.isalnum() for ch in u.lower):
                self.lmw.append(lm_word(u.lower))
            else:
                self.lmw.append(None)
            self.bos.append(u.kind == WORD and u.sent_start)
        # follow[q]: the (at most two) model words read from position q on, with </s>
        # when the sentence ends first; the context every hypothesis ending at q shares.
        self.follow: list[tuple[str, ...]] = [()] * (self.n + 1)
        self.follow[self.n] = (EOS,)
        for q in range(self.n - 1, -1, -1):
            nxt = self.follow[q + 1] if not (q + 1 < self.n and self.bos[q + 1]) else (EOS,)
            w = self.lmw[q]
            self.follow[q] = ((w,) + nxt)[:2] if w else nxt
            if w and len(self.follow[q]) == 1:  # w then the sentence ends
                self.follow[q] = (w, EOS)

    def history(self, p: int) -> State:
        """The two model words before position p in its sentence (``<s>`` at its start)."""
        got: list[str] = []
        if self.bos[p] if p < self.n else False:
            return (BOS, "")
        q = p - 1
        while q >= 0 and len(got) < 2:
            w = self.lmw[q]
            if w:
                got.append(w)
            if self.bos[q]:
                if len(got) < 2:
                    got.append(BOS)
                break
            q -= 1
        if not got:
            return (BOS, "")
        return (got[0], got[1] if len(got) > 1 else "")

    def emit(self, state: State, words: Sequence[str]) -> tuple[State, float]:
        """Score words after a state; returns the new state and the log probability
        (plus the length bonus for each word)."""
        lp = self.length_bonus * len(words)
        h1, h2 = state
        memo = self._cached
        for w in words:
            v = memo.get((w, h1, h2))
            lp += self.lm.logp(w, h1, h2) if v is None else v
            h1, h2 = w, h1
        return (h1, h2), lp

    def tail(self, state: State, q: int, words_after: Sequence[str] = ()) -> float:
        """Log probability of what follows a hypothesis: the given words, then the
        text from position q on, until two words are read or the sentence ends."""
        h1, h2 = state
        logp = self.lm.logp
        if not words_after:
            lp = 0.0
            memo = self._cached
            for w in self.follow[q] if q < self.n and not self.bos[q] else (EOS,):
                v = memo.get((w, h1, h2))
                lp += logp(w, h1, h2) if v is None else v
                h1, h2 = w, h1
            return lp
        lp, read = 0.0, 0
        for w in words_after:
            if read == 2:
                return lp
            lp += logp(w, h1, h2)
            h1, h2 = w, h1
            read += 1
        while read < 2:
            if q >= self.n or self.bos[q]:
                return lp + logp(EOS, h1, h2)
            nxt = self.lmw[q]
            if nxt:
                lp += logp(nxt, h1, h2)
                h1, h2 = nxt, h1
                read += 1
            q += 1
        return lp

    def keep_words(self, a: int, b: int) -> tuple[str, ...]:
        return tuple(w for w in self.lmw[a:b] if w)

    def crosses_sentence(self, a: int, b: int) -> bool:
        return any(self.bos[p] for p in range(a + 1, b))
