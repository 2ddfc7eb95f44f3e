"""Leaked spinner syntax: ``{a|b|c}`` groups resolved to the wording the model prefers.

A group is taken for spintax only when it cannot be anything else: braces around two
or more alternatives that are each one to six plain words (letters, with ``'`` or
``-`` inside a word, single spaces), no nested or doubled braces, nothing glued to the
braces (``\\frac{a}{b}``, ``${x}``, ``f{a|b}``, ``{{ x }}``, ``{% x %}`` never match), and
with a spinner's mark on it: an alternative repeated (``{of information|of
knowledge|of information}``), or two alternatives a table relates (the spinner picks
synonyms; ``{yes|no}`` or ``{on|off}`` in a manual are left alone). Code, JSON, LaTeX
and templates never qualify; in HTML and Markdown only prose is searched at all.

A group whose pipes were lost, ``{the information the info the information}``, is read
as ``{the information|the info|the information}`` when its first alternative comes
back at its end. The bare form without braces ("the information the info the
information" in running text) is not handled: it cannot be told from clean text
reliably enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .language_model import BOS, EOS, LanguageModel
from .score import lm_words
from .tokenize import SENTENCE_END, SPACE, normalize, tokenize, word_keys

MAX_WORDS = 6  # per alternative
GLUE = frozenset("$\\%#@{}_|")  # characters that make a brace part of code or a template


@dataclass(frozen=True)
class Group:
    start: int  # offsets of "{" and one past "}" in the searched text
    end: int
    alternatives: tuple[str, ...]  # distinct, in order of first appearance
    repeated: bool  # some alternative appears twice
    piped: bool = True  # False: "{a b a}", its pipes lost (then the repeat is no evidence by itself)

    def marked(self, index) -> bool:
        """Whether it bears a spinner's mark: an alternative repeated in a piped group, or
        two alternatives a table relates."""
        return (self.repeated and self.piped) or related(index, self.alternatives)


def _plain(alt: str) -> bool:
    words = alt.split(" ")
    if not 1 <= len(words) <= MAX_WORDS:
        return False
    for w in words:
        if not w or not w[0].isalpha() or not w[-1].isalpha():
            return False
        if not all(ch.isalpha() or ch in "'’-" for ch in w):
            return False
    return True


def _matching(text: str, i: int) -> int:
    """The offset of the "}" closing the "{" at ``i`` (nesting counted), or -1."""
    depth = 0
    for k in range(i, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _unpiped(inner: str) -> list[str]:
    """A group whose pipes were lost, "{the information the info the information}": the
    first alternative comes back at the end (the spinner lists the original first and
    last), the rest between. The shortest such first alternative; the middle is cut
    where the first alternative's first word starts again. [] if there is none."""
    words = inner.split(" ")
    if not 3 <= len(words) <= 4 * MAX_WORDS or not all(_plain(w) for w in words):
        return []
    n = len(words)
    for a in range(1, (n - 1) // 2 + 1):
        if words[:a] != words[n - a :]:
            continue
        middle = words[a : n - a]
        alts, cur = [], [middle[0]]
        for w in middle[1:]:
            if w == words[0]:
                alts.append(cur)
                cur = [w]
            else:
                cur.append(w)
        alts.append(cur)
        first = " ".join(words[:a])
        return [first] + [" ".join(x) for x in alts] + [first]
    return []


def find_groups(text: str) -> list[Group]:
    """Every ``{a|b|...}`` group in ``text`` that passes the shape checks."""
    out: list[Group] = []
    i = text.find("{")
    while i >= 0:
        j = _matching(text, i)
        if j < 0:
            break
        inner = text[i + 1 : j]
        before = text[i - 1] if i > 0 else " "
        after = text[j + 1] if j + 1 < len(text) else " "
        if "{" not in inner and not (before.isalnum() or before in GLUE) and not (after.isalnum() or after in GLUE):
            alts = inner.split("|") if "|" in inner else _unpiped(inner)
            if len(alts) >= 2 and all(_plain(a) for a in alts):
                distinct = tuple(dict.fromkeys(alts))
                if len(distinct) >= 2:
                    out.append(Group(i, j + 1, distinct, len(distinct) < len(alts), "|" in inner))
        i = text.find("{", j + 1)
    return out


def related(index, alts: tuple[str, ...]) -> bool:
    """Whether a table lists one alternative as a spinning of another (after dropping
    the words they share at both ends: "of information" / "of knowledge")."""
    keys = [word_keys(a) for a in alts]
    for x in range(len(keys)):
        for y in range(len(keys)):
            if x == y:
                continue
            a, b = keys[x], keys[y]
            k = 0
            while k < min(len(a), len(b)) - 1 and a[k] == b[k]:
                k += 1
            m = 0
            while m < min(len(a), len(b)) - k - 1 and a[-1 - m] == b[-1 - m]:
                m += 1
            a2, b2 = a[k : len(a) - m], b[k : len(b) - m]
            target = " ".join(b2)
            if any(normalize(r.original) == target for r in index.get(a2)):
                return True
    return False


def _context(text: str, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Up to two model words before ``start`` (``<s>`` at a sentence start) and after
    ``end`` (``</s>`` at a sentence end), within the paragraph."""
    left_text = text[max(0, start - 120) : start]
    cut = left_text.rfind("\n\n")
    left_text = left_text[cut + 2 :] if cut >= 0 else left_text
    left: list[str] = []
    for u in reversed(tokenize(left_text)):
        if u.kind == SPACE:
            continue
        if u.text in SENTENCE_END:
            left.append(BOS)
            break
        w = lm_words([u.lower])
        if w:
            left.append(w[0])
        if len(left) == 2:
            break
    else:
        if cut >= 0 or start <= 120:
            left.append(BOS)
    right_text = text[end : end + 120]
    cut = right_text.find("\n\n")
    right_text = right_text[:cut] if cut >= 0 else right_text
    right: list[str] = []
    for u in tokenize(right_text):
        if u.kind == SPACE:
            continue
        if u.text in SENTENCE_END:
            right.append(EOS)
            break
        w = lm_words([u.lower])
        if w:
            right.append(w[0])
        if len(right) == 2:
            break
    return tuple(reversed(left[:2])), tuple(right)


def choose(lm: LanguageModel, text: str, group: Group) -> list[tuple[str, float]]:
    """The alternatives with their probabilities under the model, best first (ties keep
    the spinner's order, whose first alternative is most often the original)."""
    left, right = _context(text, group.start, group.end)
    scores = []
    for alt in group.alternatives:
        words = list(left) + list(lm_words([w.lower() for w in alt.split(" ")])) + list(right)
        total = 0.0
        for k in range(len(left), len(words)):
            if words[k] == BOS:
                continue
            h1 = words[k - 1] if k >= 1 else BOS
            h2 = words[k - 2] if k >= 2 else ""
            total += lm.logp(words[k], h1, h2)
        scores.append(total)
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    z = sum(weights)
    ranked = sorted(zip(group.alternatives, (w / z for w in weights), strict=True), key=lambda t: -t[1])
    return ranked
