"""A reference thesaurus spinner: spins clean text the way free "article rewriter" sites do.

It exists so the benchmark has spun text whose original is known exactly, word by word. It
imitates the real spinner seen in ``../shared/data/seed_spun_article.txt`` (and research notes kept
outside the repository), not any table of the restorer:

- content words are looked up in the MyThes thesaurus (``mythes-en-us``; multiword headwords
  first, longest match first) and replaced by an entry of an early meaning of a plausible part of
  speech, most often the first usable entry; synonyms, similar terms and "(generic term)"
  hypernyms are all used; re-inflected with lemminflect ("promote" -> "promoting");
- a few function words with noun senses get their famous artifacts at a high rate:
  an -> "Associate in Nursing", are -> "area unit", who -> "United Nations agency", never -> "ne'er";
- a modest hand-made list of closed-class and phrase swaps (``SWAPS``): when -> once, in the ->
  within the, the same -> a similar, two -> 2, ...;
- with ``technical=True``, tortured phrases of the Problematic Paper Screener list
  ("deep learning" -> "profound learning");
- a/an before a replaced word is made to agree, and a replaced sentence-initial word usually
  comes out lower-case, as in the real output.

Code-like tokens, URLs, numbers with units and capitalised words inside a sentence are left alone.

    s = spin("Marketing can be hard when you are new.", rate=0.5, seed=1)
    s.text, [(sub.before, sub.after) for sub in s.subs]
"""

from __future__ import annotations

import csv
import pickle
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import lemminflect

HERE = Path(__file__).resolve().parent
CACHE_DIR = HERE / ".cache"


def _script(name: str):
    """A module of scripts/ (the table builders' readers), loaded from its file: the
    benchmarks and the scripts are two folders of scripts, not one package."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE.parent / "scripts" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_mythes = _script("mythes")
MYTHES_PATH, read_mythes = _mythes.DEFAULT_PATH, _mythes.read_mythes

TORTURED_CSV = Path(__file__).resolve().parents[1] / "data" / "sources" / "tortured_phrases_pps.csv"
if not TORTURED_CSV.exists():  # the copy inside the repository, if the shared one is absent
    TORTURED_CSV = HERE.parent / "data" / "tortured_phrases_pps.csv"


@dataclass(frozen=True)
class Substitution:
    """One change: ``spun[start:end]`` (``after``) replaced ``original[orig_start:orig_end]``
    (``before``). ``kind``: thesaurus, artifact, swap, tortured or article (a/an agreement)."""

    start: int
    end: int
    after: str
    before: str
    orig_start: int
    orig_end: int
    kind: str


@dataclass(frozen=True)
class Spun:
    """Spun text, the text it came from, and every substitution (sorted by position)."""

    text: str
    original: str
    subs: tuple[Substitution, ...]


# -- word lists ---------------------------------------------------------------------------------
# Never replaced from the thesaurus: closed-class words (their noun senses give nonsense such as
# it -> "information technology", which this spinner family does not produce) and a few very
# common verbs. Some of them are spun through ARTIFACTS or SWAPS instead.
STOPWORDS = frozenset(
    """
a an the this that these those some any each every either neither no all both half several such
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
one ones oneself myself yourself himself herself itself ourselves themselves who whom whose which
what whatever whoever where when why how there here then than as if so not nor or and but yet
of in on at by for with without within into onto upon from to toward towards about above below
under over between among through during before after since until till against along across
behind beyond near off out up down around past via per
be am is are was were been being have has had having do does did doing done
can could will would shall should may might must ought need dare
get got gets make made makes go goes went gone come came say said says
very too also just only even still already again ever never always often quite rather
more most less least much many few lot lots other another same own
yes ok okay etc eg ie mr mrs ms dr st
""".split()
)

ARTIFACTS: dict[str, list[tuple[str, float]]] = {
    # WordNet noun senses of function words, exactly as the real spinner emits them
    "an": [("Associate in Nursing", 1.0), ("associate degree", 1.0)],
    "are": [("area unit", 1.0), ("square measure", 1.0)],
    "who": [("United Nations agency", 3.0), ("UN agency", 2.0), ("World Health Organization", 0.5)],
    "never": [("ne'er", 1.0)],
    "us": [("North American nation", 1.0)],
}
ARTIFACT_FACTOR = {"us": 0.3}

# Closed-class and phrase swaps: (original phrase) -> [(spun phrase, weight)], factor. From the
# seed article (NOTES.md) and a handful seen in research notes kept outside the repository. Deliberately modest.
SWAPS: dict[str, tuple[list[tuple[str, float]], float]] = {
    "can": ([("will", 3), ("may", 1)], 0.9),
    "they can": ([("they'll", 1)], 0.6),
    "you can": ([("you'll", 2), ("you'll be able to", 1)], 0.8),
    "we can": ([("we will", 1)], 0.7),
    "will": ([("can", 1)], 0.4),
    "can be": ([("are often", 2), ("may be", 1)], 0.9),
    "when": ([("once", 1)], 0.9),
    "while": ([("whereas", 1)], 0.9),
    "but": ([("however", 1)], 0.8),
    "in the": ([("within the", 1)], 0.9),
    "in this": ([("during this", 1)], 0.7),
    "in a": ([("in a very", 2), ("in an exceedingly", 1)], 0.5),
    "the same": ([("a similar", 3), ("an equivalent", 1)], 0.9),
    "is the": ([("is that the", 1)], 0.8),
    "is a": ([("may be a", 1), ("could be a", 1)], 0.4),
    "and the": ([("and also the", 1), ("and therefore the", 1)], 0.4),
    "it is": ([("it's", 1)], 0.7),
    "this is": ([("this is often", 2), ("this can be", 1)], 0.7),
    "more": ([("a lot of", 2), ("additional", 1)], 0.8),
    "so much": ([("such a lot", 1)], 0.8),
    "also": ([("conjointly", 2), ("additionally", 2), ("even", 1)], 0.8),
    "down to": ([("right down to", 1)], 0.8),
    "people who": ([("those that", 1)], 0.6),
    "people": ([("individuals", 2), ("folks", 1)], 0.6),
    "how do you": ([("however does one", 1)], 0.8),
    "how": ([("however", 1)], 0.3),
    "so that": ([("in order that", 2), ("that", 1)], 0.8),
    "so": ([("therefore", 1), ("thus", 1)], 0.4),
    "together": ([("along", 1)], 0.6),
    "without": ([("while not", 1)], 0.7),
    "each other": ([("one another", 1)], 0.8),
    "each": ([("every", 1)], 0.7),
    "every": ([("each", 1)], 0.4),
    "both": ([("each", 1)], 0.5),
    "very": ([("terribly", 1), ("extremely", 2)], 0.7),
    "only": ([("solely", 1)], 0.6),
    "the only": ([("the sole", 1)], 0.6),
    "need to": ([("have to", 1), ("got to", 1), ("ought to", 1)], 0.7),
    "have to": ([("have to be compelled to", 1)], 0.4),
    "should": ([("ought to", 1)], 0.5),
    "often": ([("usually", 2), ("typically", 1)], 0.6),
    "a few": ([("some", 1)], 0.7),
    "many": ([("several", 1)], 0.7),
    "other": ([("different", 2), ("alternative", 1)], 0.6),
    "different": ([("completely different", 1), ("totally different", 1)], 0.5),
    "using": ([("mistreatment", 1), ("victimization", 1), ("exploitation", 1)], 0.6),
    "we": ([("we have a tendency to", 1), ("we tend to", 1)], 0.25),
    "where": ([("wherever", 1)], 0.4),
    "called": ([("referred to as", 1)], 0.6),
    "may": ([("might", 1), ("could", 1)], 0.5),
    "today": ([("these days", 2), ("nowadays", 1)], 0.7),
    "because": ([("as a result of", 1)], 0.7),
    "because of": ([("as a result of", 1), ("thanks to", 1)], 0.7),
    "including": ([("together with", 2), ("as well as", 1)], 0.7),
    "about": ([("regarding", 1), ("concerning", 1)], 0.5),
    "something": ([("one thing", 1)], 0.6),
    "without any": ([("with none", 1)], 0.7),
    "one of": ([("one in every of", 1), ("one amongst", 1)], 0.4),
    "such as": ([("like", 1), ("corresponding to", 1)], 0.4),
    "you have": ([("you have got", 1)], 0.3),
}

NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
UNITS = frozenset(
    """% percent per cent kg g mg km m cm mm nm ms s sec h hr min mb gb kb tb mhz ghz
hz kw w v mph kph ft in lb lbs oz px pt em bit bits byte bytes kib mib gib °c °f""".split()
)
DETERMINERS = frozenset(
    """a an the this that these those my your his her its our their some any
each every no many few several much more most such what which whose""".split()
)
ADJ_CUES = frozenset(
    """very always not so too quite really more most less least extremely is are was
were be been being seem seems seemed become becomes became""".split()
)
VERB_CUES = frozenset(
    """to will would can could should may might must shall do does did don't
doesn't didn't not never cannot i you we they he she it who""".split()
)
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!n[iy]|s[eu]|r[aeiou]|ti|ni|bi|k)|hour|honest|honou?r|heir)", re.I)

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*|\d+(?:[.,:]\d+)*")
_CODE_CHUNK = re.compile(r"[_/\\=<>{}\[\]@#$~|`^*+]|\w\(|://|^www\.|^-|\w\.\w|\d[A-Za-z]|[A-Za-z]\d|[a-z][A-Z]")
_CHUNK_TRIM = "\"'“”‘’()[],.;:!?"


# -- resources ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Meaning:
    pos: str
    entries: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def thesaurus() -> tuple[dict[str, list[_Meaning]], int]:
    """MyThes as headword (lower-case) -> meanings, and the longest headword in words (at most
    4). Parsed once and pickled under ``benchmarks/.cache/`` (5 s to parse, 1 s to unpickle)."""
    if not Path(MYTHES_PATH).exists():
        from corpus import ensure_package

        ensure_package("mythes-en-us")
    st = Path(MYTHES_PATH).stat()
    cache = CACHE_DIR / f"mythes-{st.st_size}-{int(st.st_mtime)}.pickle"
    if cache.exists():
        with open(cache, "rb") as f:
            return pickle.load(f)
    table: dict[str, list[_Meaning]] = defaultdict(list)
    longest = 1
    for m in read_mythes(MYTHES_PATH):
        head = m.headword.lower()
        table[head].append(_Meaning(m.pos, m.entries))
        longest = max(longest, len(head.split()))
    result = (dict(table), min(longest, 4))
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return result


@lru_cache(maxsize=1)
def tortured_phrases() -> dict[tuple[str, ...], list[tuple[str, float]]]:
    """Expected term (as lower-case words) -> [(tortured phrase, papers)], from the PPS list.

    Only plain rows are used: a single quoted phrase, or one ANDed with the expected phrase
    itself, whose expected phrase is a lower-case term (no parentheses, question marks,
    function words) and whose tortured phrase is lower-case and does not contain the term."""
    out: dict[tuple[str, ...], list[tuple[str, float]]] = defaultdict(list)
    with open(TORTURED_CSV, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            m = re.fullmatch(r'"([^"]+)"(?: AND "([^"]+)")?', row["tortured_phrase"].strip())
            expected = row["expected_phrase"].strip()
            if not m or (m.group(2) and m.group(2) != expected):
                continue
            tortured = m.group(1).strip()
            if not re.fullmatch(r"[a-z][a-z \-]*[a-z]", expected) or expected in STOPWORDS:
                continue
            if tortured != tortured.lower() or expected in tortured or not re.fullmatch(r"[a-z][a-z '\-]*", tortured):
                continue
            papers = float(row["num_papers"].replace(",", "") or 1)
            out[tuple(expected.split())].append((tortured, papers))
    return dict(out)


# -- tokens -------------------------------------------------------------------------------------
@dataclass
class _Token:
    start: int
    end: int
    text: str
    lower: str
    protected: bool
    sentence_start: bool


def _tokens(text: str) -> list[_Token]:
    """Word and number tokens, each marked sentence-initial or not, and protected if it is in a
    code-like chunk or URL, a capitalised word inside a sentence (or one seen so elsewhere in
    the text: a name), or an all-caps acronym. Numbers are judged later (``_number``)."""
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    coded = [(a, b) for a, b in chunks if _CODE_CHUNK.search(text[a:b].strip(_CHUNK_TRIM))]
    out: list[_Token] = []
    ci = 0
    for m in _TOKEN.finditer(text):
        a, b, w = m.start(), m.end(), m.group()
        while ci < len(coded) and coded[ci][1] <= a:
            ci += 1
        in_code = ci < len(coded) and coded[ci][0] <= a < coded[ci][1]
        k = a - 1
        while k >= 0 and text[k] in " \t\"'“‘(":
            k -= 1
        sentence_start = k < 0 or text[k] in ".!?\n"
        capital = w[:1].isupper()
        protected = in_code or (capital and not sentence_start and w != "I") or (len(w) > 1 and w.isupper())
        out.append(_Token(a, b, w, w.lower().replace("’", "'"), protected, sentence_start))
    names = {t.text for t in out if t.protected and t.text[:1].isupper()}
    for t in out:  # a name seen inside a sentence is a name at the start of one too
        if t.sentence_start and t.text in names:
            t.protected = True
    return out


def _adjacent(text: str, tokens: list[_Token], i: int, j: int) -> bool:
    """True if tokens i..j-1 form a phrase: separated by single spaces only, none protected."""
    if j > len(tokens):
        return False
    for k in range(i, j):
        if tokens[k].protected:
            return False
        if k > i and text[tokens[k - 1].end : tokens[k].start] != " ":
            return False
    return True


# -- part of speech and inflection ----------------------------------------------------------------
_UPOS = {"NOUN": "noun", "VERB": "verb", "ADJ": "adj", "ADV": "adv"}


def _guess_pos(word: str, prev: str, nxt: str, options: list[str]) -> str:
    """A crude part-of-speech guess from the neighbouring words and the suffix. The real
    spinner is no better: it often takes a meaning of the wrong part of speech."""
    if len(options) == 1:
        return options[0]
    if "adj" in options and prev not in VERB_CUES and "NOUN" in lemminflect.getAllLemmas(nxt):
        return "adj"  # "a major problem", "of modern science"
    if prev in ADJ_CUES and "adj" in options:
        return "adj"  # "always ideal", "is happy"
    if (prev in DETERMINERS or prev.endswith("'s")) and "noun" in options:
        return "noun"
    if prev in VERB_CUES and "verb" in options:
        return "verb"
    if word.endswith("ly") and "adv" in options:
        return "adv"
    if word.endswith(("ing", "ed")) and "verb" in options:
        return "verb"
    for pos in ("noun", "verb", "adj", "adv"):
        if pos in options:
            return pos
    return options[0]


def _penn_tag(word: str, lemma: str, pos: str) -> str | None:
    """The Penn tag of ``word`` as an inflection of ``lemma`` (None if it is not one)."""
    if word == lemma:  # the base form wins ties: "revenue" is NN, "become" is VB
        return {"noun": "NN", "verb": "VB", "adj": "JJ", "adv": "RB"}[pos]
    upos = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}[pos]
    forms = lemminflect.getAllInflections(lemma, upos=upos)
    for tag in ("VBG", "VBD", "VBN", "VBZ", "NNS", "JJR", "JJS", "RBR", "RBS"):
        if word in forms.get(tag, ()):
            return tag
    return None


def _inflect(entry: str, tag: str, pos: str) -> str | None:
    """``entry`` (a thesaurus lemma, maybe several words) in the form ``tag``: the first word
    of a verb phrase, the last word otherwise. None if it cannot be inflected sensibly."""
    if tag in ("VB", "VBP", "NN", "JJ", "RB"):
        return entry
    words = entry.split()
    if tag in ("JJR", "JJS", "RBR", "RBS") and len(words) > 1:
        return None
    k = 0 if pos == "verb" else len(words) - 1
    forms = lemminflect.getInflection(words[k], tag, inflect_oov=False)
    if not forms and tag.startswith(("VB", "NN")):  # regular rules for words it does not list
        forms = lemminflect.getInflection(words[k], tag, inflect_oov=True)
    if not forms:
        return None
    words[k] = forms[0]
    return " ".join(words)


def _usable(entry: str, relation: str, lemma: str, word: str) -> bool:
    """Entries the spinner would use: synonyms, similar and generic terms; not antonyms or
    related terms, not the word itself, not abbreviations, proper names or long phrases."""
    if relation in ("antonym", "related"):
        return False
    low = entry.lower()
    if low in (lemma, word) or lemma in low.split() or word in low.split():
        return False
    if entry != low or "." in entry or any(c.isdigit() for c in entry) or "(" in entry:
        return False
    if len(entry) <= 2 or (len(entry) <= 4 and not re.search(r"[aeiouy]", entry)):
        return False
    return len(entry.split()) <= 4


@lru_cache(maxsize=65536)
def _phrase_meanings(words: tuple[str, ...]) -> list[tuple[str, _Meaning, str | None]]:
    """Meanings of a multiword headword: exact, or with the first word lemmatised as a verb
    ("gave up" -> "give up", with the Penn tag to re-inflect the replacement)."""
    table, _ = thesaurus()
    phrase = " ".join(words)
    out: list[tuple[str, _Meaning, str | None]] = [(phrase, m, None) for m in table.get(phrase, ())]
    if not out:
        for lemma in lemminflect.getAllLemmas(words[0]).get("VERB", ()):
            head = " ".join([lemma, *words[1:]])
            tag = _penn_tag(words[0], lemma, "verb")
            if head != phrase and tag:
                out += [(head, m, tag) for m in table.get(head, ()) if m.pos == "verb"]
    return out


# -- the spinner ----------------------------------------------------------------------------------
class Spinner:
    """Seeded spinner; ``spin`` is the convenient entry point. Separate class so the rates of
    the artifact, swap and tortured-phrase families can be changed for experiments."""

    def __init__(
        self,
        rate: float = 0.3,
        seed: int = 0,
        technical: bool = False,
        tortured_rate: float | None = None,
        lower_sentence_start: float = 0.85,
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        self.rate = rate
        self.rng = random.Random(seed)
        self.technical = technical
        self.swap_rate = min(0.95, 0.5 + 1.5 * rate)  # the seed applies its swaps almost always
        self.tortured_rate = min(0.9, 0.4 + rate) if tortured_rate is None else tortured_rate
        self.lower_sentence_start = lower_sentence_start

    def _weighted(self, options: list[tuple[str, float]]) -> str:
        total = sum(w for _, w in options)
        x = self.rng.random() * total
        for text, w in options:
            x -= w
            if x <= 0:
                return text
        return options[-1][0]

    def _geometric(self, n: int, p_first: float, decay: float = 0.5) -> int:
        """An index in range(n): 0 with probability ``p_first``, then geometric."""
        if n <= 1 or self.rng.random() < p_first:
            return 0
        weights = [decay**k for k in range(1, n)]
        x = self.rng.random() * sum(weights)
        for k, w in enumerate(weights, start=1):
            x -= w
            if x <= 0:
                return k
        return n - 1

    # -- replacements of one kind --------------------------------------------------------------
    def _thesaurus_word(self, word: str, prev: str, nxt: str) -> str | None:
        """A thesaurus replacement for a single word, inflected like it, or None."""
        table, _ = thesaurus()
        lemmas = lemminflect.getAllLemmas(word)
        by_pos: dict[str, list[tuple[str, _Meaning]]] = defaultdict(list)
        for upos, pos in _UPOS.items():
            for lemma in lemmas.get(upos, ()):
                for m in table.get(lemma, ()):
                    if m.pos == pos:
                        by_pos[pos].append((lemma, m))
        if word in table and not by_pos:
            for m in table[word]:
                by_pos[m.pos].append((word, m))
        if not by_pos:
            return None
        pos = _guess_pos(word, prev, nxt, list(by_pos))
        meanings = by_pos[pos]
        if self.rng.random() < 0.15:  # the real spinner often ignores the part of speech
            meanings = [x for ms in by_pos.values() for x in ms]
        start = self._geometric(len(meanings), 0.45, 0.6)
        for lemma, m in meanings[start:] + meanings[:start]:
            tag = _penn_tag(word, lemma, m.pos)
            if tag is None:
                continue
            usable = [e for e, rel in m.entries if _usable(e, rel, lemma, word)]
            if not usable:
                continue
            k = self._geometric(len(usable), 0.6)
            for entry in usable[k:] + usable[:k]:
                out = _inflect(entry, tag, m.pos)
                if out and out.lower() != word:
                    return out
        return None

    def _thesaurus_phrase(self, words: list[str], meanings: list[tuple[str, _Meaning, str | None]]) -> str | None:
        """A thesaurus replacement for a multiword headword, from ``_phrase_meanings``."""
        phrase = " ".join(words)
        start = self._geometric(len(meanings), 0.5, 0.6)
        for head, m, tag in meanings[start:] + meanings[:start]:
            usable = [e for e, rel in m.entries if _usable(e, rel, head, phrase)]
            if not usable:
                continue
            k = self._geometric(len(usable), 0.6)
            for entry in usable[k:] + usable[:k]:
                out = _inflect(entry, tag, "verb") if tag else entry
                if out and out.lower() != phrase:
                    return out
        return None

    def _number(self, text: str, tokens: list[_Token], i: int) -> str | None:
        """two -> 2 (often) and 7 -> seven (sometimes), for bare counts only (a space and a word
        follow, not a unit, a percent sign or a decimal part)."""
        t = tokens[i]
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if t.lower in NUMBER_WORDS[2:11] and self.rng.random() < self.swap_rate * 0.8:
            return str(NUMBER_WORDS.index(t.lower))
        if (
            t.text.isdigit()
            and 2 <= int(t.text) <= 20
            and text[t.end : t.end + 1] == " "
            and nxt.isalpha()
            and nxt not in UNITS
            and tokens[i + 1].start == t.end + 1
            and self.rng.random() < self.swap_rate * 0.3
        ):
            return NUMBER_WORDS[int(t.text)]
        return None

    # -- main loop -----------------------------------------------------------------------------
    def spin(self, text: str) -> Spun:
        tokens = _tokens(text)
        _, longest = thesaurus()
        tortured = tortured_phrases() if self.technical else {}
        longest_tortured = max((len(k) for k in tortured), default=0)
        longest_swap = max(len(k.split()) for k in SWAPS)
        repl: list[tuple[int, int, str, str]] = []  # (token i, token j, replacement, kind)
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t.protected:
                i += 1
                continue
            prev = tokens[i - 1].lower if i and not t.sentence_start else ""
            found = self._choose(text, tokens, i, prev, tortured, longest_tortured, longest_swap, longest)
            if found:
                j, out, kind = found
                repl.append((i, j, out, kind))
                i = j
            else:
                i += 1
        return self._render(text, tokens, repl)

    def _choose(
        self,
        text: str,
        tokens: list[_Token],
        i: int,
        prev: str,
        tortured: dict,
        longest_tortured: int,
        longest_swap: int,
        longest: int,
    ) -> tuple[int, str, str] | None:
        """The replacement starting at token i, if any: (end token, text, kind)."""
        rng = self.rng
        t = tokens[i]
        if t.text[0].isdigit():
            if i and tokens[i - 1].text[:1].isupper() and not tokens[i - 1].sentence_start:
                return None  # a version or model number: "Python 3", "Route 9"
            out = self._number(text, tokens, i)
            return (i + 1, out, "swap") if out else None
        for n in range(min(longest_tortured, len(tokens) - i), 0, -1):
            key = tuple(tok.lower for tok in tokens[i : i + n])
            if key in tortured and _adjacent(text, tokens, i, i + n):
                p = self.tortured_rate * (0.5 if n == 1 else 1.0)
                if rng.random() < p:
                    return i + n, self._weighted(tortured[key]), "tortured"
                break
        for n in range(min(longest_swap, len(tokens) - i), 0, -1):
            key = " ".join(tok.lower for tok in tokens[i : i + n])
            if key in SWAPS and _adjacent(text, tokens, i, i + n):
                options, factor = SWAPS[key]
                if n == 1 and key in ("can", "will", "while", "may") and prev in DETERMINERS:
                    break  # a noun here ("a can", "the will", "a while")
                if rng.random() < self.swap_rate * factor:
                    return i + n, self._weighted(options), "swap"
                if n > 1:
                    continue
                break
        if t.lower in ARTIFACTS:
            if rng.random() < self.swap_rate * ARTIFACT_FACTOR.get(t.lower, 1.0):
                return i + 1, self._weighted(ARTIFACTS[t.lower]), "artifact"
            return None
        if t.lower in NUMBER_WORDS[2:11]:
            out = self._number(text, tokens, i)
            return (i + 1, out, "swap") if out else None
        for n in range(min(longest, len(tokens) - i), 1, -1):
            words = [tok.lower for tok in tokens[i : i + n]]
            if all(w in STOPWORDS for w in words) or not _adjacent(text, tokens, i, i + n):
                continue
            meanings = _phrase_meanings(tuple(words))
            if meanings:
                if rng.random() < self.rate:
                    out = self._thesaurus_phrase(words, meanings)
                    if out:
                        return i + n, out, "thesaurus"
                break
        if t.lower in STOPWORDS or len(t.lower) < 3 or "'" in t.lower or "-" in t.lower:
            return None
        if rng.random() < self.rate:
            nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            out = self._thesaurus_word(t.lower, prev, nxt)
            if out:
                return i + 1, out, "thesaurus"
        return None

    def _render(self, text: str, tokens: list[_Token], repl: list[tuple[int, int, str, str]]) -> Spun:
        """Apply the replacements: casing, a/an agreement, offsets of every substitution."""
        replaced = {k for i, j, _, _ in repl for k in range(i, j)}
        edits: list[tuple[int, int, str, str]] = []  # (orig start, orig end, new text, kind)
        for i, j, out, kind in repl:
            first = tokens[i]
            if first.text[:1].isupper() and out[:1].islower():
                if not (first.sentence_start and self.rng.random() < self.lower_sentence_start):
                    out = out[0].upper() + out[1:]
            edits.append((first.start, tokens[j - 1].end, out, kind))
            if i and (i - 1) not in replaced and tokens[i - 1].lower in ("a", "an"):
                art = tokens[i - 1]
                if text[art.end : first.start] == " ":
                    want = "an" if _VOWEL_SOUND.match(out) else "a"
                    if want != art.lower:
                        want = want.capitalize() if art.text[0].isupper() else want
                        edits.append((art.start, art.end, want, "article"))
        edits.sort()
        pieces, subs, pos, shift = [], [], 0, 0
        for a, b, new, kind in edits:
            pieces.append(text[pos:a])
            pieces.append(new)
            start = a + shift
            subs.append(Substitution(start, start + len(new), new, text[a:b], a, b, kind))
            shift += len(new) - (b - a)
            pos = b
        pieces.append(text[pos:])
        return Spun("".join(pieces), text, tuple(subs))


def spin(text: str, rate: float = 0.3, seed: int = 0, technical: bool = False) -> Spun:
    """Spin ``text``: about ``rate`` of the eligible content words are replaced from the
    thesaurus, function-word artifacts and phrase swaps happen at a higher rate, and with
    ``technical=True`` tortured phrases replace the terms they stand for. Reproducible for a
    given ``seed``."""
    return Spinner(rate=rate, seed=seed, technical=technical).spin(text)


def main(argv: list[str] | None = None) -> None:
    """``python benchmarks/spinner.py [--rate R] [--seed S] [--technical] < text``"""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--technical", action="store_true")
    ap.add_argument("--subs", action="store_true", help="also list the substitutions")
    a = ap.parse_args(argv)
    s = spin(sys.stdin.read(), a.rate, a.seed, a.technical)
    print(s.text)
    if a.subs:
        for sub in s.subs:
            print(f"{sub.kind:10s} {sub.before!r} -> {sub.after!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
