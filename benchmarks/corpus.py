"""Clean English prose for the quality benchmark, in several registers, split into tune/held-out.

Clean text serves twice: every edit the restorer makes on it is a false positive, and the
reference spinner (``spinner.py``) spins it to get text whose original is known exactly.

Registers and sources (Debian packages are installed on demand when their files are absent):

- ``python-docs``: top-level prose paragraphs of the Python 3.11 documentation (``python3.11-doc``:
  tutorial, howto, faq, whatsnew, library intros), with reST markup, directives, code blocks,
  tables and lists stripped.
- ``debian-reference``: ``<p>`` paragraphs of the Debian Reference (``debian-reference-en``),
  outside tables, lists and code blocks.
- ``wordnet-examples``: the quoted example sentences of WordNet 3.0 glosses (``wordnet-base``).
- every other register: original prose written for this benchmark, ``texts/<register>-<slug>.txt``
  (paragraphs separated by blank lines): blog, news, fiction, health, business, science.

Documents are consecutive paragraphs of one source grouped into chunks of 150-600 words; a
document's id names its source and position, so it is stable while the sources are. Chunks of a
source alternate between ``tune`` and ``heldout`` from a hashed start (see ``split_of``): tune
thresholds on ``tune``, report on ``heldout``. Extracted documents are cached in ``benchmarks/.cache/``.

    python benchmarks/corpus.py            # word and document counts per register and split
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE_DIR = HERE / ".cache" / "corpus"
TEXTS_DIR = HERE / "texts"
EXTRACTOR_VERSION = "3"  # bump when extraction or chunking changes (ids and splits may move)

PYDOC_ROOT = Path("/usr/share/doc/python3.11/html/_sources")
PYDOC_DIRS = ("tutorial", "howto", "faq", "whatsnew", "library")
PYDOC_SKIP = {"whatsnew/changelog.rst.txt"}
DEBREF_ROOT = Path("/usr/share/debian-reference")
WORDNET_ROOT = Path("/usr/share/wordnet")
MYTHES_PATH = Path("/usr/share/mythes/th_en_US_v2.dat")

PACKAGES = {  # Debian package -> a file it installs
    "python3.11-doc": PYDOC_ROOT / "tutorial" / "index.rst.txt",
    "debian-reference-en": DEBREF_ROOT / "ch01.en.html",
    "wordnet-base": WORDNET_ROOT / "data.noun",
    "mythes-en-us": MYTHES_PATH,
}

MIN_WORDS, TARGET_WORDS, MAX_WORDS = 150, 200, 600
SPLITS = ("tune", "heldout")
DEBIAN_REGISTERS = ("python-docs", "debian-reference", "wordnet-examples")
TECHNICAL_REGISTERS = frozenset({"python-docs", "debian-reference", "science"})
_WORD = re.compile(r"\w+(?:['’]\w+)?")


@dataclass(frozen=True)
class Doc:
    """One clean document: a few paragraphs (blank-line separated) of one source."""

    id: str
    register: str
    text: str

    @property
    def split(self) -> str:
        return split_of(self.id)

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words as the benchmark counts them (letters/digits, apostrophe contractions as one)."""
    return len(_WORD.findall(text))


def split_of(doc_id: str) -> str:
    """``tune`` or ``heldout`` for an id ``register:group:index``: a hash of the group picks the
    split of its first chunk and the following chunks alternate. Deterministic, balanced even
    for registers of a few files, and independent of other sources, so adding a file never
    moves an existing document between splits."""
    group, _, index = doc_id.rpartition(":")
    first = int(hashlib.sha1(group.encode()).hexdigest()[:8], 16)
    return SPLITS[(first + int(index)) % 2]


# -- Debian packages ---------------------------------------------------------------------------
def ensure_package(package: str) -> None:
    """Install a Debian package with apt-get if the file it provides is missing."""
    marker = PACKAGES[package]
    if marker.exists():
        return
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", package]
    print(f"corpus: {marker} missing, running {' '.join(cmd)}", file=sys.stderr)
    if subprocess.run(cmd).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False)
        subprocess.run(cmd, check=True)
    if not marker.exists():
        raise FileNotFoundError(f"{package} installed but {marker} is still missing")


# -- prose filter ------------------------------------------------------------------------------
_PLAIN_TOKEN = re.compile(r"^[\"'“‘(\[]*[A-Za-z][a-z]*(?:[-'’][A-Za-z]+)*[\"'”’)\].,;:!?]*$")
_NUMBER_TOKEN = re.compile(r"^\(?\d{1,4}(?:[.,]\d+)?%?\)?[.,;:]?$")


def is_prose(paragraph: str, min_words: int = 12, min_plain: float = 0.85) -> bool:
    """True for a paragraph of running sentences: enough words, mostly plain words (not
    identifiers, paths, options or numbers), and at least one sentence end."""
    tokens = paragraph.split()
    if len(tokens) < min_words:
        return False
    plain = sum(1 for t in tokens if _PLAIN_TOKEN.match(t) or _NUMBER_TOKEN.match(t) or t in "-–—&")
    if plain / len(tokens) < min_plain:
        return False
    return bool(re.search(r"[a-z][.!?][\"'”’)]?(\s|$)", paragraph))


# -- chunking ----------------------------------------------------------------------------------
def chunk(paragraphs: list[str]) -> list[str]:
    """Group consecutive paragraphs into documents of MIN_WORDS..MAX_WORDS words.

    A chunk closes once it reaches TARGET_WORDS or when the next paragraph would push it past
    MAX_WORDS; a short remainder joins the previous chunk if it fits, otherwise it is dropped.
    Paragraphs longer than MAX_WORDS are dropped (they are rare and usually not prose)."""
    out: list[list[str]] = []
    cur: list[str] = []
    n = 0
    for p in paragraphs:
        w = count_words(p)
        if w > MAX_WORDS:
            continue
        if cur and n + w > MAX_WORDS:
            out.append(cur)
            cur, n = [], 0
        cur.append(p)
        n += w
        if n >= TARGET_WORDS:
            out.append(cur)
            cur, n = [], 0
    if cur:
        if n >= MIN_WORDS:
            out.append(cur)
        elif out and sum(count_words(p) for p in out[-1]) + n <= MAX_WORDS:
            out[-1].extend(cur)
    return ["\n\n".join(c) for c in out if sum(count_words(p) for p in c) >= MIN_WORDS]


# -- reST (Python documentation) ---------------------------------------------------------------
_ADORNMENT = re.compile(r"^([=\-~*^\"'`#+:.<>_])\1{2,}\s*$")
_BLOCK_SKIP = re.compile(r"^(\.\.|[*+\-•] |#\. |\d+[.)] |\(\w\) |[a-z]\. |:\w[\w -]*:|\+[-=+]|=+ |\||>>>|\$ )")
_ROLE = re.compile(r":(?:[\w-]+:)*([\w-]+):`([^`]*)`")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`<]*?)\s*<[^`>]*>`__?")
_REF = re.compile(r"`([^`]+)`__?")
_DEFAULT_ROLE = re.compile(r"`([^`]+)`")
_FOOTNOTE = re.compile(r"\s*\[(?:#[\w-]*|\d+|\*|[A-Za-z][\w-]*)\]_")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EMPH = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")
_SUBST = re.compile(r"\|(\w[\w ]*)\|")


def _role_text(match: re.Match) -> str:
    role, body = match.group(1), match.group(2)
    label = re.match(r"^(.*?)\s*<[^>]*>$", body, re.S)
    if label:
        return label.group(1)
    body = body.lstrip("!")
    if body.startswith("~"):
        body = body[1:].rsplit(".", 1)[-1]
    if role in ("rfc", "pep"):
        return f"{role.upper()} {body}"
    if role in ("func", "meth") and not body.endswith(")"):
        return body + "()"
    return body


def clean_rest(paragraph: str) -> tuple[str, int]:
    """Plain text of one reST paragraph and the number of words that were inline code
    (roles and ``literals``), so code-heavy paragraphs can be dropped."""
    code_words = sum(len(m.group(2).split()) for m in _ROLE.finditer(paragraph))
    code_words += sum(len(m.group(1).split()) for m in _LITERAL.finditer(paragraph))
    s = " ".join(paragraph.split())
    # reST escapes (``\ ``, ``\*``) outside literals; inside ``literals`` a backslash is text
    parts = re.split(r"(``.+?``)", s)
    s = "".join(p if i % 2 else p.replace("\\ ", "").replace("\\", "") for i, p in enumerate(parts))
    s = _ROLE.sub(_role_text, s)
    s = _LITERAL.sub(r"\1", s)
    s = _LINK.sub(r"\1", s)
    s = _FOOTNOTE.sub("", s)
    s = _REF.sub(r"\1", s)
    s = _DEFAULT_ROLE.sub(r"\1", s)
    s = _STRONG.sub(r"\1", s)
    s = _EMPH.sub(r"\1", s)
    s = _SUBST.sub(r"\1", s)
    s = re.sub(r"(\S)::$", r"\1:", s)
    s = re.sub(r"\s+::$", "", s)
    return " ".join(s.split()), code_words


def rest_paragraphs(text: str) -> list[str]:
    """Top-level prose paragraphs of a reST file: blocks of non-indented lines that are not
    titles, directives, comments, lists, field lists, tables or doctests. Indented blocks
    (code, directive bodies such as function descriptions, notes, block quotes) are dropped."""
    lines = text.splitlines()
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in lines + [""]:
        if line.strip():
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    out = []
    for block in blocks:
        if any(line[:1].isspace() for line in block):
            continue
        if any(_ADORNMENT.match(line) for line in block) or _BLOCK_SKIP.match(block[0]):
            continue
        para, code_words = clean_rest("\n".join(block))
        if code_words > 0.15 * max(count_words(para), 1) or not is_prose(para):
            continue
        out.append(para)
    return out


def extract_python_docs() -> Iterator[tuple[str, list[str]]]:
    """(group, paragraphs) for each documentation file, in a stable order."""
    ensure_package("python3.11-doc")
    for d in PYDOC_DIRS:
        for path in sorted((PYDOC_ROOT / d).glob("*.rst.txt")):
            rel = path.relative_to(PYDOC_ROOT).as_posix()
            if rel in PYDOC_SKIP or rel.endswith("index.rst.txt"):
                continue
            paras = rest_paragraphs(path.read_text(encoding="utf-8"))
            if paras:
                yield rel.removesuffix(".rst.txt"), paras


# -- HTML (Debian Reference) -------------------------------------------------------------------
class _ParagraphParser(HTMLParser):
    """Collect the text of ``<p>`` elements that are not inside lists, code blocks or tables of
    data (admonitions are tables too in DocBook output and are kept), grouped by h2 section."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr"}
    SKIP = {"li", "pre", "dt", "dd", "tr"}  # prose inside these is list or table material

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.section = "intro"
        self.in_h2 = False
        self.para: list[str] | None = None
        self.code_words = 0
        self.in_code = 0
        self.sections: dict[str, list[tuple[str, int]]] = {}

    def _skipping(self) -> bool:
        admonition = any(t == "div" and c in {"note", "tip", "warning", "caution", "important"} for t, c in self.stack)
        for tag, cls in self.stack:
            if tag in self.SKIP and not (tag == "tr" and admonition):
                return True
            if tag == "div" and cls in {"table", "informaltable"}:
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        cls = dict(attrs).get("class") or ""
        if tag == "h2":
            self.in_h2 = True
        if tag == "a" and self.in_h2 and dict(attrs).get("id"):
            self.section = dict(attrs)["id"] or self.section
        if tag == "p" and not self._skipping():
            self.para, self.code_words = [], 0
        if tag == "code":
            self.in_code += 1
        self.stack.append((tag, cls))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and self.in_h2 and dict(attrs).get("id"):
            self.section = dict(attrs)["id"] or self.section

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag == "h2":
            self.in_h2 = False
        if tag == "code" and self.in_code:
            self.in_code -= 1
        if tag == "p" and self.para is not None:
            text = " ".join("".join(self.para).split())
            self.sections.setdefault(self.section, []).append((text, self.code_words))
            self.para = None
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.para is not None:
            self.para.append(data)
            if self.in_code:
                self.code_words += len(data.split())


def extract_debian_reference() -> Iterator[tuple[str, list[str]]]:
    """(chapter/section, paragraphs) of the Debian Reference, in document order."""
    ensure_package("debian-reference-en")
    chapters = sorted(DEBREF_ROOT.glob("ch*.en.html")) + sorted(DEBREF_ROOT.glob("pr*.en.html"))
    for path in chapters:
        parser = _ParagraphParser()
        parser.feed(path.read_text(encoding="utf-8"))
        chapter = path.name.split(".")[0]
        for section, paras in parser.sections.items():
            keep = [html.unescape(p) for p, code in paras if code <= 0.15 * max(count_words(p), 1) and is_prose(p)]
            if keep:
                yield f"{chapter}/{section.strip('_')}", keep


# -- WordNet example sentences -----------------------------------------------------------------
_EXAMPLE = re.compile(r'"([^"]+)"')


def wordnet_examples() -> list[str]:
    """Every quoted gloss example of at least six words, as a sentence (capitalised, with a
    final stop), de-duplicated, in file order."""
    ensure_package("wordnet-base")
    seen: set[str] = set()
    out = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(WORDNET_ROOT / f"data.{pos}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                gloss = line.split("|", 1)[1]
                for ex in _EXAMPLE.findall(gloss.split(";", 1)[1] if ";" in gloss else ""):
                    ex = " ".join(ex.split()).strip()
                    if len(ex.split()) < 6 or "--" in ex or ex.lower() in seen:
                        continue
                    seen.add(ex.lower())
                    ex = ex[0].upper() + ex[1:]
                    if ex[-1] not in ".!?\"'":
                        ex += "."
                    out.append(ex)
    return out


def extract_wordnet_examples(per_paragraph: int = 8) -> Iterator[tuple[str, list[str]]]:
    """WordNet examples in a fixed pseudo-random order (neighbouring synsets share topics),
    grouped into paragraphs of ``per_paragraph`` sentences and groups of 40 paragraphs."""
    sentences = wordnet_examples()
    random.Random(20160306).shuffle(sentences)
    paras = [" ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]
    for g in range(0, len(paras), 40):
        yield f"g{g // 40:03d}", paras[g : g + 40]


# -- texts written for the benchmark -----------------------------------------------------------
def text_files() -> list[Path]:
    return sorted(TEXTS_DIR.glob("*.txt"))


def text_registers() -> list[str]:
    """Registers of the hand-written texts: the file-name part before the first '-'."""
    return sorted({p.name.split("-", 1)[0] for p in text_files()})


def extract_texts(register: str) -> Iterator[tuple[str, list[str]]]:
    """(file stem, paragraphs) of every ``texts/<register>-*.txt`` file."""
    for path in text_files():
        if path.name.split("-", 1)[0] != register:
            continue
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))]
        yield path.stem, [p for p in paras if p and not p.startswith("#")]


# -- registry, cache, load ---------------------------------------------------------------------
def registers() -> list[str]:
    """Every register name: the three Debian-derived ones, then the hand-written ones."""
    return list(DEBIAN_REGISTERS) + text_registers()


def is_technical(register: str) -> bool:
    """Registers where the spinner also inserts tortured phrases (scientific/technical prose)."""
    return register in TECHNICAL_REGISTERS


def _extractor(register: str) -> Callable[[], Iterable[tuple[str, list[str]]]]:
    if register == "python-docs":
        return extract_python_docs
    if register == "debian-reference":
        return extract_debian_reference
    if register == "wordnet-examples":
        return extract_wordnet_examples
    if register in text_registers():
        return lambda: extract_texts(register)
    raise KeyError(f"unknown register {register!r}; known: {', '.join(registers())}")


def _fingerprint(register: str) -> str:
    """Changes when the extractor or the register's source files change."""
    if register in DEBIAN_REGISTERS:
        root = {"python-docs": PYDOC_ROOT, "debian-reference": DEBREF_ROOT, "wordnet-examples": WORDNET_ROOT}[register]
        files = sorted(root.rglob("*")) if root.exists() else []
        stamp = [(p.as_posix(), p.stat().st_size) for p in files if p.is_file()]
    else:
        stamp = [
            (p.name, hashlib.sha1(p.read_bytes()).hexdigest())
            for p in text_files()
            if p.name.split("-", 1)[0] == register
        ]
    return hashlib.sha1(json.dumps([EXTRACTOR_VERSION, stamp]).encode()).hexdigest()[:16]


def build(register: str) -> list[Doc]:
    """Extract and chunk one register's documents (no cache)."""
    docs = []
    for group, paras in _extractor(register)():
        for i, text in enumerate(chunk(paras)):
            docs.append(Doc(f"{register}:{group}:{i:02d}", register, text))
    return docs


def _cached(register: str) -> list[Doc]:
    path = CACHE_DIR / f"{register}.jsonl"
    fp = _fingerprint(register)
    if path.exists():
        with open(path, encoding="utf-8") as f:
            head = json.loads(f.readline())
            if head.get("fingerprint") == fp:
                return [Doc(**json.loads(line)) for line in f]
    docs = build(register)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({"fingerprint": fp}) + "\n")
        for d in docs:
            f.write(json.dumps({"id": d.id, "register": d.register, "text": d.text}, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return docs


def load(register: str | Iterable[str] | None = None, split: str = "heldout") -> list[Doc]:
    """Documents of one register, several, or all (None), of one split: ``tune``,
    ``heldout`` or ``all``. Order is stable (register order, then source order)."""
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split must be 'tune', 'heldout' or 'all', not {split!r}")
    names = registers() if register is None else [register] if isinstance(register, str) else list(register)
    out = []
    for name in names:
        out.extend(d for d in _cached(name) if split == "all" or d.split == split)
    return out


def summary() -> str:
    """A Markdown table of documents and words per register and split."""
    rows = ["| register | docs tune | words tune | docs heldout | words heldout |", "|---|---:|---:|---:|---:|"]
    total = [0, 0, 0, 0]
    for name in registers():
        docs = load(name, "all")
        cells = []
        for i, s in enumerate(SPLITS):
            part = [d for d in docs if d.split == s]
            n, w = len(part), sum(d.words for d in part)
            total[2 * i] += n
            total[2 * i + 1] += w
            cells += [str(n), f"{w:,}"]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    rows.append("| **total** | " + " | ".join(f"{t:,}" for t in total) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(summary())
