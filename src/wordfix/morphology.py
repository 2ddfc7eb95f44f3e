"""Lemmas and inflections (lemminflect), so tables can list lemmas and still match
"promoting" through "promote" and print "marketing" back in the same form."""

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
_FROM_UPOS = {v: k for k, v in _UPOS.items()}


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[tuple[str, str, str], ...]:
    """All (lemma, pos, tag) readings of a lower-case word form that differ from the
    base form: "promoting" -> (("promote", "verb", "VBG"),). Base forms give ()."""
    import lemminflect

    if not word.isalpha() or len(word) < 3:
        return ()
    out = []
    for upos, lemmas in lemminflect.getAllLemmas(word).items():
        pos = _FROM_UPOS.get(upos)
        if pos is None:
            continue
        for lemma in lemmas:
            if lemma == word:
                continue
            for tag, forms in lemminflect.getAllInflections(lemma, upos).items():
                if word in forms and tag != BASE_TAG[pos]:
                    out.append((lemma, pos, tag))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def inflect_word(lemma: str, tag: str) -> str:
    """Inflect one lemma to a Penn tag, falling back to regular rules for unknown words."""
    import lemminflect

    if tag in ("NN", "VB", "VBP", "JJ", "RB") or not lemma.isalpha():
        return lemma
    forms = lemminflect.getInflection(lemma, tag, inflect_oov=True)
    return forms[0] if forms else lemma


def inflect_phrase(phrase: str, pos: str, tag: str) -> str:
    """Inflect a phrase's head to `tag`: a verb's first word, a noun's last word."""
    if tag is None or tag == BASE_TAG.get(pos):
        return phrase
    words = phrase.split(" ")
    i = 0 if pos == "verb" else len(words) - 1
    if pos in ("adj", "adv") and len(words) > 1:
        # "more/most" comparison for multi-word adjectives
        if tag in ("JJR", "RBR"):
            return "more " + phrase
        if tag in ("JJS", "RBS"):
            return "most " + phrase
        return phrase
    head = words[i]
    infl = inflect_word(head.lower(), tag)
    if head[:1].isupper():
        infl = infl[:1].upper() + infl[1:]
    words[i] = infl
    return " ".join(words)
