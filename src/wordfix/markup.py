"""Markup-aware restoring: HTML and Markdown documents, edited only in their prose.

A document is *projected* to plain text: the pieces of its text nodes in order, with a
paragraph break (``"\\n\\n"``) at every block boundary (paragraph, heading, list item,
table cell, ...) and nothing at inline markup (``<em>``, ``**bold**``, links), so the
model reads a sentence as one piece across inline markup but never across blocks.
Each piece of the projection remembers where it came from:

``TEXT``    characters copied verbatim from the input, one for one;
``ATOM``    one input stretch read as other characters (an entity ``&amp;`` read as
            ``&``, a Markdown escape ``\\*`` as ``*``, a line break inside a paragraph
            read as a space): an edit may only take it whole;
``OPAQUE``  read by the model, never edited (code spans, unknown entities, a line break
            that carries a block-quote marker);
``BREAK``   a block boundary the input spells with markup; never edited.

The projection is restored by the ordinary pipeline, with every word that touches an
``OPAQUE`` piece protected, and each edit is mapped back to one contiguous range of the
input. An edit that cannot be mapped (it crosses a tag, a break, half an entity) is
dropped, never applied, and counted in ``stats["dropped_edits"]``. Everything outside
the edits comes back byte for byte, and the edits keep offsets into the input.

HTML is read with the standard library's :mod:`html.parser`; the text of ``<script>``,
``<style>``, ``<pre>``, ``<textarea>``, ``<template>``, ``<svg>``, ``<math>`` and of
elements marked ``translate="no"`` is not read at all, that of ``<code>``, ``<kbd>``,
``<samp>``, ``<var>`` and ``<tt>`` is read but never edited; attributes and comments are
never read. Markdown is read with ``markdown-it-py`` (CommonMark with tables and
strikethrough), whose inline parser is instrumented to record where each text token
starts; code blocks, code spans, HTML blocks, link targets, images, autolinks and front
matter are not edited.
"""

from __future__ import annotations

import html
import types
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import PurePath
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .restoration import Edit, Restoration
    from .restorer import Restorer

FORMATS = ("text", "html", "markdown", "auto")
TEXT, ATOM, OPAQUE, BREAK = "text", "atom", "opaque", "break"
PARA = "\n\n"


@dataclass(slots=True)
class Piece:
    """A stretch of the projection: ``text`` at projection offset ``ps``, read from
    ``input[a:b]`` (for OPAQUE and BREAK pieces the input range is informative only)."""

    kind: str
    ps: int
    text: str
    a: int
    b: int

    @property
    def pe(self) -> int:
        return self.ps + len(self.text)


class Projection:
    """The prose of a document as one plain text, and the way back to the input."""

    def __init__(self, source: str):
        self.source = source
        self.pieces: list[Piece] = []
        self._len = 0
        self._text: str | None = None
        self._starts: list[int] | None = None

    # -- building
    def add(self, kind: str, text: str, a: int, b: int) -> None:
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        if text.isspace() and kind != BREAK and (last is None or last.kind == BREAK):
            return  # leading white space of a block reads as nothing
        if kind == TEXT and last is not None and last.kind == TEXT and last.b == a:
            last.text += text
            last.b = b
        else:
            self.pieces.append(Piece(kind, self._len, text, a, b))
        self._len += len(text)

    def brk(self, text: str = PARA, at: int = -1) -> None:
        """A block boundary: white space before it is dropped, runs of breaks collapse."""
        while self.pieces and self.pieces[-1].kind != BREAK and self.pieces[-1].text.isspace():
            self._len -= len(self.pieces.pop().text)
        if self.pieces and self.pieces[-1].kind == TEXT and self.pieces[-1].text[-1:].isspace():
            p = self.pieces[-1]  # trailing white space of a merged text piece
            keep = len(p.text.rstrip())
            self._len -= len(p.text) - keep
            p.b -= len(p.text) - keep
            p.text = p.text[:keep]
        if not self.pieces:
            return
        last = self.pieces[-1]
        if last.kind == BREAK:
            if len(text) > len(last.text):
                self._len += len(text) - len(last.text)
                last.text = text
            return
        self.pieces.append(Piece(BREAK, self._len, text, at, at))
        self._len += len(text)

    def finish(self) -> Projection:
        if self.pieces and self.pieces[-1].kind == BREAK:
            self._len -= len(self.pieces.pop().text)
        self._text = "".join(p.text for p in self.pieces)
        self._starts = [p.ps for p in self.pieces]
        return self

    # -- reading
    @property
    def text(self) -> str:
        assert self._text is not None, "finish() first"
        return self._text

    def protected(self) -> list[tuple[int, int]]:
        """Projection ranges the model reads but nothing may edit."""
        return [(p.ps, p.pe) for p in self.pieces if p.kind in (OPAQUE, BREAK) and p.text.strip()]

    def to_input(self, ps: int, pe: int) -> tuple[int, int] | None:
        """The input range an edit of ``projection[ps:pe]`` stands for, or None when it
        is not one contiguous stretch of prose (then the edit must not be made)."""
        assert self._starts is not None
        if ps >= pe:
            return None
        i = bisect_right(self._starts, ps) - 1
        prev: Piece | None = None
        a = b = -1
        while i < len(self.pieces) and self.pieces[i].ps < pe:
            p = self.pieces[i]
            if p.kind == TEXT:
                lo = p.a + max(0, ps - p.ps)
                hi = p.a + (min(pe, p.pe) - p.ps)
            elif p.kind == ATOM and ps <= p.ps and p.pe <= pe:
                lo, hi = p.a, p.b
            else:
                return None
            if prev is None:
                a = lo
            elif prev.b != p.a:
                return None  # markup lies between the two pieces
            b = hi
            prev = p
            i += 1
        return (a, b) if prev is not None else None


# -- HTML ------------------------------------------------------------------------------
HIDDEN = frozenset({"script", "style", "pre", "textarea", "template", "svg", "math", "iframe", "object", "noembed"})
CODE_LIKE = frozenset({"code", "kbd", "samp", "var", "tt"})
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins", "label", "mark"}
    | {"q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "u", "wbr", "acronym", "nobr", "img"}
    | CODE_LIKE
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


class _Events(HTMLParser):
    """html.parser, recording every event with its offset into the input."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = line_starts(source)
        self.events: list[tuple[str, object, int]] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def parse_html_declaration(self, i):
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # "<![" not followed by a name: a bogus comment up to ">", as browsers read it
            self.events.append(("other", None, self._at()))
            j = self.rawdata.find(">", i + 2)
            return len(self.rawdata) if j < 0 else j + 1

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", (tag, attrs), self._at()))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("startend", (tag, attrs), self._at()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, self._at()))

    def handle_data(self, data):
        self.events.append(("data", data, self._at()))

    def handle_entityref(self, name):
        self.events.append(("ref", name, self._at()))

    def handle_charref(self, name):
        self.events.append(("ref", name, self._at()))

    def handle_comment(self, data):
        self.events.append(("other", None, self._at()))

    def handle_decl(self, decl):
        self.events.append(("other", None, self._at()))

    def handle_pi(self, data):
        self.events.append(("other", None, self._at()))

    def unknown_decl(self, data):
        self.events.append(("other", None, self._at()))


def line_starts(source: str) -> list[int]:
    """The offset where each line begins ("\n" ends a line, as html.parser counts)."""
    out = [0]
    i = source.find("\n")
    while i >= 0:
        out.append(i + 1)
        i = source.find("\n", i + 1)
    return out


def _add_prose(proj: Projection, data: str, a: int) -> None:
    """Text-node characters: single spaces verbatim, other white space runs as one space."""
    i, n = 0, len(data)
    while i < n:
        j = i
        if data[i].isspace():
            while j < n and data[j].isspace():
                j += 1
            if data[i:j] == " ":
                proj.add(TEXT, " ", a + i, a + j)
            else:
                proj.add(ATOM, " ", a + i, a + j)
        else:
            while j < n and not data[j].isspace():
                j += 1
            proj.add(TEXT, data[i:j], a + i, a + j)
        i = j


def project_html(source: str) -> Projection:
    """The prose of an HTML document (see the module docstring)."""
    parser = _Events(source)
    proj = Projection(source)
    try:
        parser.feed(source)
        parser.close()
    except AssertionError:  # html.parser gave up on some construct: read nothing rather than guess
        return proj.finish()
    events = parser.events
    hidden: list[str] = []  # open elements whose text is not read
    code: list[str] = []  # open elements whose text is read, not edited
    for k, (kind, payload, a) in enumerate(events):
        b = events[k + 1][2] if k + 1 < len(events) else len(source)
        if kind in ("start", "startend"):
            tag, attrs = cast(tuple[str, list[tuple[str, str | None]]], payload)
            if tag == "br":
                proj.brk("\n", a)
                continue
            if tag not in INLINE:
                proj.brk(PARA, a)
            if kind == "start" and tag not in VOID:
                if tag in HIDDEN or any(n == "translate" and (v or "").lower() == "no" for n, v in attrs):
                    hidden.append(tag)
                elif tag in CODE_LIKE:
                    code.append(tag)
        elif kind == "end":
            tag = cast(str, payload)
            for stack in (hidden, code):
                if tag in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(tag) :]
            if tag not in INLINE:
                proj.brk(PARA, a)
        elif hidden:
            continue
        elif kind == "data":
            data = cast(str, payload)
            if source[a : a + len(data)] != data or a + len(data) != b:
                proj.add(OPAQUE, data, a, b)
            elif code:
                proj.add(OPAQUE, data, a, b)
            else:
                _add_prose(proj, data, a)
        elif kind == "ref":
            raw = source[a:b]
            value = html.unescape(raw)
            if value == raw or code or not raw.startswith("&"):
                proj.add(OPAQUE, value, a, b)
            else:
                proj.add(ATOM, value, a, b)
    return proj.finish()


# -- Markdown --------------------------------------------------------------------------
def _inline_parse(self, src, md, env, tokens):
    """ParserInline.parse with a state that records where text tokens start."""
    state = _pos_state()(src, md, env, tokens)
    self.tokenize(state)
    for rule in self.ruler2.getRules(""):
        rule(state)
    return state.tokens


@lru_cache(maxsize=1)
def _pos_state():
    """markdown-it-py's inline state, remembering the source offset of the text collected
    in ``pending`` (always one contiguous stretch of the source, at most trimmed at its
    end; checked where it is used) and of every token pushed."""
    from markdown_it.rules_inline.state_inline import StateInline

    class Positions(StateInline):
        wf_start = -1
        wf_end = -1
        wf_ok = True

        def _wf_added(self, was_empty: bool, n: int) -> None:
            """``n`` source characters from ``self.pos`` on were added to ``pending``."""
            if was_empty:
                self.wf_start, self.wf_ok = self.pos, True
            elif self.pos != self.wf_end:
                self.wf_ok = False
            self.wf_end = self.pos + n

        def pushPending(self):  # noqa: N802 (markdown-it's name)
            tok = super().pushPending()
            tok.meta = {"wf": self.wf_start if self.wf_ok else -1}
            return tok

        def push(self, ttype, tag, nesting):
            pos = self.pos
            tok = super().push(ttype, tag, nesting)
            if ttype == "text" and len(self.tokens) > 1:
                prev = self.tokens[-2]
                if prev.type == "text" and prev.meta.get("raw") == pos and prev.meta.get("wf", -1) >= 0:
                    tok.meta = {"wf": prev.meta["wf"] + len(prev.content), "raw": pos}  # "**": one token per "*"
                    return tok
            tok.meta = {"wf": pos, "raw": pos}
            return tok

    if hasattr(StateInline, "append_pending"):  # markdown-it-py >= 4.3: rules append through this

        class PosState(Positions):
            def append_pending(self, text: str) -> None:
                self._wf_added(not self.pending, len(text))
                super().append_pending(text)

        return PosState

    class OldPosState(Positions):  # earlier versions: rules write ``state.pending += text``
        _wf_pending = ""

        @property
        def pending(self) -> str:
            return self._wf_pending

        @pending.setter
        def pending(self, value: str) -> None:
            old = self._wf_pending
            if len(value) > len(old) and value.startswith(old):
                self._wf_added(not old, len(value) - len(old))
            self._wf_pending = value

    return OldPosState


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable(["text_join", "fragments_join"])  # keep text tokens apart: each has its offset
    md.inline.parse = types.MethodType(_inline_parse, md.inline)
    return md


def _md_lines(source: str) -> tuple[list[int], list[int]]:
    """Where each line starts and where its content ends, with markdown-it's idea of a
    line break ("\r\n", "\r" or "\n")."""
    starts, ends = [0], []
    if "\r" not in source:
        for st in line_starts(source)[1:]:
            ends.append(st - 1)
            starts.append(st)
    else:
        i, n = 0, len(source)
        while i < n:
            ch = source[i]
            if ch == "\n" or ch == "\r":
                ends.append(i)
                i += 2 if ch == "\r" and source[i + 1 : i + 2] == "\n" else 1
                starts.append(i)
            else:
                i += 1
    ends.append(len(source))
    return starts, ends


def _front_matter_end(source: str, starts: list[int], ends: list[int]) -> int:
    """Lines of YAML (``---``) or TOML (``+++``) front matter at the top, or 0."""
    fence = source[: ends[0]].rstrip()
    if fence not in ("---", "+++"):
        return 0
    for k in range(1, len(starts)):
        line = source[starts[k] : ends[k]].rstrip()
        if line == fence or (fence == "---" and line == "..."):
            return k + 1
    return 0


class _InlineMap:
    """Offsets in an inline token's ``content`` -> offsets in the document."""

    def __init__(self, content: str, first_line: int, lines: tuple, source: str, table: bool, cursor: int):
        self.ok = True
        self.cstarts: list[int] = []
        self.bases: list[int] = []
        self.end = cursor
        c = 0
        for k, line in enumerate(content.split("\n")):
            li = first_line + k
            if li >= len(lines[1]):
                self.ok = False
                return
            lo, hi = lines[0][li], lines[1][li]
            src_line = source[lo:hi]
            if table:  # cells of a row, left to right
                at = src_line.find(line, max(0, cursor - lo))
            else:  # what is left of the source line after the block markers (and a heading's closing #s)
                at = src_line.rfind(line)
                if at >= 0 and src_line[at + len(line) :].strip(" \t\r#"):
                    at = -1
            if at < 0:
                self.ok = False
                return
            self.cstarts.append(c)
            self.bases.append(lo + at)
            self.end = lo + at + len(line)
            c += len(line) + 1

    def doc(self, c: int) -> int:
        k = bisect_right(self.cstarts, c) - 1
        return self.bases[k] + (c - self.cstarts[k])


def project_markdown(source: str) -> Projection:
    """The prose of a Markdown document (see the module docstring)."""
    md = _markdown()
    starts, ends = _md_lines(source)
    fm = _front_matter_end(source, starts, ends)
    parsed = "\n" * fm + (source[starts[fm] :] if fm < len(starts) else "") if fm else source
    proj = Projection(source)
    row_cursor: dict[int, int] = {}
    cell = False
    for tok in md.parse(parsed):
        if tok.type != "inline":
            if tok.type in ("th_open", "td_open"):
                cell = True
            elif tok.type in ("th_close", "td_close"):
                cell = False
            if tok.nesting != 0 or tok.type in ("fence", "code_block", "html_block", "hr"):
                proj.brk(PARA, starts[min(tok.map[0], len(starts) - 1)] if tok.map else -1)
            continue
        proj.brk(PARA)
        if not tok.map:
            proj.add(OPAQUE, tok.content, -1, -1)
            continue
        table = cell
        cursor = row_cursor.get(tok.map[0], starts[min(tok.map[0], len(starts) - 1)])
        imap = _InlineMap(tok.content, tok.map[0], (starts, ends), source, table, cursor)
        if table:
            row_cursor[tok.map[0]] = imap.end
        if not imap.ok:
            proj.add(OPAQUE, tok.content, -1, -1)
        else:
            _walk_inline(proj, tok.children or [], tok.content, imap, source)
        proj.brk(PARA)
    return proj.finish()


def _html_tag(raw: str) -> tuple[str, str] | None:
    """("start" | "end", tag name) of one inline HTML tag, read by html.parser."""
    found: list[tuple[str, str]] = []

    class _One(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(("start", tag))

        def handle_startendtag(self, tag, attrs):
            found.append(("startend", tag))

        def handle_endtag(self, tag):
            found.append(("end", tag))

    p = _One()
    p.feed(raw)
    p.close()
    return found[0] if found else None


def _walk_inline(proj: Projection, children, content: str, imap: _InlineMap, source: str) -> None:
    soft = False  # a soft line break waits for the next piece to know what it spans
    last_end = -1  # document offset after the last TEXT/ATOM piece
    skip = 0  # inside an autolink or image: not read
    code = 0  # inside inline HTML <code> and the like: read, not edited

    def piece(kind: str, text: str, a: int, b: int) -> None:
        nonlocal soft, last_end
        if soft:
            soft = False
            gap = source[last_end:a] if last_end >= 0 and kind in (TEXT, ATOM) else ""
            if gap and gap.isspace() and proj.pieces and proj.pieces[-1].kind != BREAK:
                proj.add(ATOM, " ", last_end, a)
            else:
                proj.add(OPAQUE, " ", -1, -1)
        proj.add(kind, text, a, b)
        if kind in (TEXT, ATOM):
            last_end = b

    for t in children:
        typ = t.type
        if typ in ("link_open", "image") and (t.markup in ("autolink", "linkify") or typ == "image"):
            if typ == "link_open":
                skip += 1
            continue
        if typ == "link_close" and skip:
            skip -= 1
            continue
        if skip:
            continue
        pos = t.meta.get("wf", -1) if t.meta else -1
        if typ == "text":
            if not t.content:
                continue
            if pos < 0 or content[pos : pos + len(t.content)] != t.content or "\n" in t.content:
                piece(OPAQUE, t.content, -1, -1)
            elif code:
                piece(OPAQUE, t.content, -1, -1)
            else:
                a = imap.doc(pos)
                if source[a : a + len(t.content)] != t.content:
                    piece(OPAQUE, t.content, -1, -1)
                else:
                    piece(TEXT, t.content, a, a + len(t.content))
        elif typ == "text_special":
            if pos < 0 or code or content[pos : pos + len(t.markup)] != t.markup:
                piece(OPAQUE, t.content, -1, -1)
            else:
                a = imap.doc(pos)
                if source[a : a + len(t.markup)] != t.markup:
                    piece(OPAQUE, t.content, -1, -1)
                else:
                    piece(ATOM, t.content, a, a + len(t.markup))
        elif typ == "softbreak":
            soft = True
        elif typ == "hardbreak":
            soft = False
            proj.brk("\n")
        elif typ == "code_inline":
            piece(OPAQUE, t.content, -1, -1)
        elif typ == "html_inline":
            tag = _html_tag(t.content)
            if tag is None:
                continue
            how, name = tag
            if name == "br":
                soft = False
                proj.brk("\n")
            elif name in CODE_LIKE or name in HIDDEN:
                code = code + 1 if how == "start" else max(0, code - 1) if how == "end" else code
            elif name not in INLINE:
                soft = False
                proj.brk(PARA)
    if soft:
        proj.add(OPAQUE, " ", -1, -1)


# -- choosing the format ---------------------------------------------------------------
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
_HTML_ELEMENTS = INLINE | HIDDEN | VOID | {"html", "head", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6"}
_HTML_ELEMENTS |= {"ul", "ol", "li", "table", "tr", "td", "th", "nav", "header", "footer", "section", "article"}
_HTML_ELEMENTS |= {"main", "aside", "blockquote", "title", "form", "figure", "figcaption", "dl", "dt", "dd"}


def detect_format(text: str, name: str | None = None) -> str:
    """ "html", "markdown" or "text": by the file name's suffix when it tells, else by
    the content (an HTML document type or element tags, parsed; Markdown headings,
    fences, tables or links, parsed)."""
    if name:
        suffix = PurePath(name).suffix.lower()
        if suffix in HTML_SUFFIXES:
            return "html"
        if suffix in MARKDOWN_SUFFIXES:
            return "markdown"
        if suffix in TEXT_SUFFIXES:
            return "text"
    head = text[:20_000]
    if head.lstrip("\ufeff \t\r\n")[:15].lower().startswith(("<!doctype html", "<html")):
        return "html"
    if "<" in head:
        p = _Events(head)
        try:
            p.feed(head)
            p.close()
        except AssertionError:
            pass
        tags = [e[1][0] for e in p.events if e[0] in ("start", "startend")]  # type: ignore[index]
        known = [t for t in tags if t in _HTML_ELEMENTS]
        if len(known) >= 3 and len(set(known)) >= 2:
            return "html"
    signals = 0
    for tok in _markdown().parse(head):
        if tok.type == "heading_open" and tok.markup.startswith("#"):
            signals += 1
        elif tok.type in ("fence", "table_open"):
            signals += 2
        elif tok.type == "inline":
            for c in tok.children or []:
                if c.type == "link_open" and c.markup not in ("autolink", "linkify"):
                    signals += 1
                elif c.type in ("code_inline", "strong_open"):
                    signals += 1
        if signals >= 2:
            return "markdown"
    return "text"


def prose(text: str, fmt: str) -> str:
    """The prose of a document in ``fmt`` ("text", "html", "markdown" or "auto"): the
    text that restoring it reads and edits, which is also what detection judges."""
    fmt = detect_format(text) if fmt == "auto" else fmt
    return text if fmt == "text" else project(text, fmt).text


def project(text: str, fmt: str) -> Projection:
    """The projection of a document in ``fmt`` ("text", "html" or "markdown")."""
    if fmt == "html":
        return project_html(text)
    if fmt == "markdown":
        return project_markdown(text)
    proj = Projection(text)
    proj.pieces.append(Piece(TEXT, 0, text, 0, len(text)))
    proj._len = len(text)
    return proj.finish()


# -- restoring a document ----------------------------------------------------------------
FIXED = OPAQUE  # a stretch an earlier pass (ftfy, spintax) rewrote: read as rewritten, never edited again
MIN_GROUPS = 2  # spintax groups that make a leak by themselves; fewer count only in a spun document
MARKDOWN_ACTIVE = frozenset("\\`*_[]<>&|#~!")  # an edit bringing one in could make markup


def _replaced(proj: Projection, changes: list[Edit]) -> Projection:
    """The projection with some input stretches of prose read as rewritten: each change
    covers parts of TEXT pieces and whole ATOM pieces (as ``to_input`` maps them)."""
    if not changes:
        return proj
    out = Projection(proj.source)
    pos = 0
    changes = sorted(changes, key=lambda e: e.start)
    emitted: set[int] = set()
    k = 0

    def put(kind: str, text: str, a: int, b: int) -> None:
        nonlocal pos
        if text:
            out.pieces.append(Piece(kind, pos, text, a, b))
            pos += len(text)

    for p in proj.pieces:
        if p.kind not in (TEXT, ATOM):
            put(p.kind, p.text, p.a, p.b)
            continue
        while k < len(changes) and changes[k].end <= p.a:
            k += 1
        at, j = p.a, k
        while j < len(changes) and changes[j].start < p.b:
            e = changes[j]
            if p.kind == TEXT and e.start > at:
                put(TEXT, proj.source[at : e.start], at, e.start)
            if j not in emitted:
                put(FIXED, e.after, e.start, e.end)
                emitted.add(j)
            at = max(at, e.end)
            j += 1
        if at < p.b:
            if p.kind == TEXT:
                put(TEXT, proj.source[at : p.b], at, p.b)
            elif at == p.a:
                put(ATOM, p.text, p.a, p.b)
    out._len = pos
    return out.finish()


def _for_format(text: str, fmt: str) -> str | None:
    """A replacement as it must be written into the document, or None if it cannot be."""
    if fmt == "html":
        return html.escape(text, quote=False)
    if fmt == "markdown" and any(ch in MARKDOWN_ACTIVE for ch in text):
        return None
    return text


def restore_document(restorer: Restorer, text: str, fmt: str, fix_encoding: bool | None, spintax: bool) -> Restoration:
    """Restore a text, an HTML or a Markdown document (see the module docstring).
    ``fix_encoding`` None: the mojibake repairs stand only if the text is judged spun."""
    from . import encoding
    from . import spintax as spx
    from .restoration import Alternative, Edit, Restoration, apply_edits

    if fmt == "auto":
        fmt = detect_format(text)
    if fmt not in ("text", "html", "markdown"):
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    proj = project(text, fmt)
    pre: list[Edit] = []  # edits of the earlier passes, in input offsets
    if fix_encoding is not False:
        for p in proj.pieces:
            if p.kind == TEXT:
                pre.extend(encoding.encoding_edits(p.text, p.a))
    if spintax and "{" in proj.text:
        taken = [(e.start, e.end) for e in pre]
        for g in spx.find_groups(proj.text):
            rng = proj.to_input(g.start, g.end)  # None when it crosses markup, code or a block
            if rng is None or any(x < rng[1] and rng[0] < y for x, y in taken):
                continue
            if not g.marked(restorer.index):
                continue
            ranked = spx.choose(restorer.lm, proj.text, g)
            best, conf = ranked[0]
            after = _for_format(best, fmt)
            if after is None:
                continue
            a, b = rng
            alts = tuple(Alternative(t, round(q, 4), "spintax") for t, q in ranked)
            pre.append(Edit(a, b, text[a:b], after, round(conf, 4), "spintax", alts))
    fixed = _replaced(proj, pre)
    edits, withheld, spin, reason, stats = restorer._restore_text(fixed.text, fixed.protected())
    groups = sum(e.source == "spintax" for e in pre)
    if groups and groups < MIN_GROUPS and spin < restorer.config.min_spin:
        # One group in a document that is not spun: a quotation (a page about spinners), not a leak.
        # The other edits stand: none touches the group (it was read as resolved, never edited).
        pre = [e for e in pre if e.source != "spintax"]
    if fix_encoding is None and spin < restorer.spin_threshold:
        # Judged clean: its bytes stay as they are (the text was read repaired; nothing
        # else edits a repaired stretch, so the other edits stand without them).
        pre = [e for e in pre if not e.source.startswith("ftfy")]
    out = list(pre)
    mapped, dropped = _to_input(edits, fixed, text, fmt)
    out.extend(mapped)
    out.sort(key=lambda e: e.start)
    held, _ = _to_input(withheld, fixed, text, fmt)
    stats = dict(stats, format=fmt, dropped_edits=dropped, prose_chars=len(fixed.text))
    return Restoration(
        text,
        apply_edits(text, out),
        tuple(out),
        spin,
        reason,
        stats,
        withheld=tuple(held),
        spin_threshold=restorer.spin_threshold,
    )


def _to_input(edits, fixed, text: str, fmt: str) -> tuple[list[Edit], int]:
    """Edits of the prose text as edits of the input document (and how many could not be)."""
    from .restoration import Alternative, Edit

    out, dropped = [], 0
    for e in edits:
        rng = fixed.to_input(e.start, e.end)
        after = _for_format(e.after, fmt)
        if rng is None or after is None:
            dropped += 1
            continue
        a, b = rng
        before = text[a:b]
        alts = []
        for alt in e.alternatives:
            t = before if alt.source == "keep" else _for_format(alt.text, fmt)
            if t is not None:
                alts.append(Alternative(t, alt.probability, alt.source))
        out.append(Edit(a, b, before, after, e.confidence, e.source, tuple(alts)))
    return out, dropped


def document_options(text: str, name: str | None, fmt: str | None = None, fix_encoding: bool | None = None) -> dict:
    """``restore()`` options for one document of a batch, as ``wordfix fix`` chooses
    them: the format by name and content when it is "auto" (or None), and ftfy on for
    HTML (scraped pages are where mojibake lives) and for text judged spun (None)
    unless ``fix_encoding`` says."""
    fmt = detect_format(text, name) if fmt in (None, "auto") else fmt
    if fix_encoding is None:
        fix_encoding = True if fmt == "html" else None
    return {"format": fmt, "fix_encoding": fix_encoding}
