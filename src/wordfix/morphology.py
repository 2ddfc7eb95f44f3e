"""Lemmas and inflections, so tables can list lemmas and still match "promoting"
through "promote" and print "marketing" back in the same form.

lemminflect does the work when tables are compiled (``TableIndex``); the compiled
index keeps the forms it needs, so restoring text does not load lemminflect at all.
"""

from __future__ import annotations

from functools import lru_cache

TAGS = {
    "noun": ("NN", "NNS"),
    "verb": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"),
    "adj": ("JJ", "JJR", "JJS"),
    "adv": ("RB", "RBR", "RBS"),
}
BASE_TAG = {"noun": "NN", "verb": "VB", "adj": "JJ", "adv": "RB"}
_UPOS = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}


def head_position(pos: str, n_words: int) -> int:
    """Which word of a phrase inflects: a verb's first word, otherwise the last."""
    return 0 if pos == "verb" else n_words - 1


@lru_cache(maxsize=100_000)
def inflections(lemma: str, pos: str) -> dict[str, str]:
    """{Penn tag: form} for a lemma, excluding the base form; regular rules for
    words lemminflect does not know."""
    import lemminflect

    if not lemma.isalpha() or pos not in _UPOS:
        return {}
    upos = _UPOS[pos]
    forms = lemminflect.getAllInflections(lemma, upos) or lemminflect.getAllInflectionsOOV(lemma, upos)
    return {tag: fs[0] for tag, fs in forms.items() if tag in TAGS[pos] and tag != BASE_TAG[pos] and fs}


def inflect_phrase(
    phrase: str, pos: str, tag: str | None, table: dict[tuple[str, str], dict[str, str]] | None = None
) -> str:
    """Inflect a phrase's head to `tag`: a verb's first word, a noun's last word.

    ``table`` is the compiled index's inflection table; words missing from it are
    inflected with lemminflect.
    """
    if tag is None or tag == BASE_TAG.get(pos):
        return phrase
    words = phrase.split(" ")
    if pos in ("adj", "adv") and len(words) > 1:
        if tag in ("JJR", "RBR"):
            return "more " + phrase
        if tag in ("JJS", "RBS"):
            return "most " + phrase
        return phrase
    i = head_position(pos, len(words))
    head = words[i]
    low = head.lower()
    forms = table.get((low, pos)) if table is not None else None
    if forms is None:
        forms = inflections(low, pos)
    infl = forms.get(tag, low)
    if head[:1].isupper():
        infl = infl[:1].upper() + infl[1:]
    words[i] = infl
    return " ".join(words)
