"""Input discovery and record streaming for the ``wordfix`` commands.

:func:`discover` expands the command-line paths into :class:`Input` files;
:func:`read_document` reads one whole document; :func:`jsonl_records` and
:func:`csv_records` stream the :class:`Record` s of a JSON Lines or CSV file without
reading ahead, one badly encoded or malformed record being one bad record. Errors are
:class:`InputError` s whose message says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import IO

from ..files import display_path


class InputError(Exception):
    """A document or file that cannot be read as asked; the message says why and what to do."""


# -- inputs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Input:
    """One input file: ``path`` (None for stdin) and ``rel``, its place under ``-o``."""

    path: Path | None
    rel: Path

    @property
    def name(self) -> str:
        return "<stdin>" if self.path is None else display_path(self.path)


def discover(
    args: Sequence[str],
    pattern: str,
    skip: Path | None = None,
    skip_suffix: str | None = None,
    notes: list[str] | None = None,
) -> tuple[list[Input], list[str]]:
    """Expand the command-line paths into input files, in a stable (sorted) order.

    Directories are walked recursively for regular files matching ``pattern``,
    skipping hidden names and the directory ``skip`` (the output directory, when it
    lies inside an input) and names ending in ``skip_suffix`` (backups). A file named
    twice (or through two paths or links) is one input. Returns the inputs and the
    arguments that do not exist; what a walk passes over on purpose (links to
    directories, FIFOs, dangling links, repeated files) is described in ``notes``.
    """
    inputs: list[Input] = []
    missing: list[str] = []
    skip = skip.resolve() if skip is not None else None
    seen: set[tuple[int, int]] = set()
    say = notes.append if notes is not None else (lambda _m: None)

    def add(p: Path, rel: Path) -> None:
        try:
            st = p.stat()
        except OSError:
            inputs.append(Input(p, rel))  # reading it will report why
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            say(f"{display_path(p)}: the same file as an earlier input; processed once")
            return
        seen.add(key)
        inputs.append(Input(p, rel))

    def walk(top: Path, d: Path) -> None:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            missing.append(f"{display_path(d)}: {e.strerror}")
            return
        for entry in entries:
            if entry.name.startswith(".") or (skip_suffix and entry.name.endswith(skip_suffix)):
                continue
            p = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if skip is None or p.resolve() != skip:
                    walk(top, p)
            elif entry.is_symlink() and entry.is_dir():
                say(f"{display_path(p)}: skipped, a symbolic link to a directory (name it to include it)")
            elif entry.is_file():
                if fnmatch(entry.name, pattern):
                    add(p, p.relative_to(top))
            elif entry.is_symlink() and not os.path.exists(p):
                say(f"{display_path(p)}: skipped, a dangling symbolic link")
            elif fnmatch(entry.name, pattern):
                say(f"{display_path(p)}: skipped, not a regular file (a FIFO, socket or device)")

    for a in args:
        if a == "-":
            inputs.append(Input(None, Path("stdin")))
            continue
        p = Path(a)
        if p.is_dir():
            walk(p, p)
        elif skip_suffix and p.name.endswith(skip_suffix) and p.exists():
            say(f"{display_path(p)}: skipped, a backup (its name ends in {skip_suffix})")
        elif p.exists():
            add(p, Path(p.name))
        elif p.is_symlink():
            missing.append(f"{display_path(a)}: a dangling symbolic link")
        else:
            missing.append(f"{display_path(a)}: no such file or directory")
    return inputs, missing


def _wide(encoding: str) -> bool:
    """UTF-16/32 text has NUL bytes and cannot be split into lines as bytes."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


_UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def wide_bom(head: bytes, encoding: str) -> str | None:
    """The name ("UTF-16", "UTF-32") if ``head`` starts with that byte-order mark and ``encoding``
    is not a wide one (such files would otherwise look binary)."""
    if _wide(encoding):
        return None
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    return None


def _wide_message(name: str) -> str:
    return f"{name} text (it starts with a {name} byte-order mark): pass --encoding {name.lower()}"


def decode(data: bytes, encoding: str) -> str:
    """Bytes to text, refusing binary data; errors name the problem and the fix."""
    wide = wide_bom(data[:4], encoding)
    if wide:
        raise InputError(_wide_message(wide))
    if not _wide(encoding) and b"\0" in data:
        raise InputError("binary file (it contains NUL bytes)")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(
            f"not {encoding} text ({e.reason} at byte {e.start}); if it is text in another encoding, "
            "say which with --encoding (e.g. --encoding latin-1)"
        ) from None


def read_document(inp: Input, encoding: str) -> str:
    """The whole text of one input file (or of stdin)."""
    try:
        data = sys.stdin.buffer.read() if inp.path is None else inp.path.read_bytes()
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    return decode(data, encoding)


@dataclass
class Record:
    """One JSONL line or CSV row: where it is, its fields, its text (if valid), and its
    exact bytes (``raw``, for ``--in-place``: a record that is not changed is written
    back as it was)."""

    line: int
    fields: dict | None = None
    text: str | None = None
    error: str | None = None
    raw: bytes | None = None
    row: list[str] | None = None  # CSV: the cells, in header order
    end: int | None = None  # byte offset in the input just after the record (None: unknown)
    next_line: int = 0  # the line the next record starts on


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _lines(
    stream: IO[bytes], encoding: str, first_line: int = 1
) -> Iterator[tuple[int, str | None, str | None, bytes | None]]:
    """(line number, text, error, raw bytes) for each line, each decoded on its own, so
    one badly encoded line is one bad record, not the end of the file. A UTF-8 BOM
    at the start is not part of the first line's text. ``first_line``: the number of
    the stream's first line (when resuming in the middle of a file)."""
    peek = getattr(stream, "peek", None)
    wide = wide_bom(peek(4)[:4], encoding) if peek is not None and first_line == 1 else None
    if wide:
        raise InputError(_wide_message(wide))
    if _wide(encoding):
        n = 0
        try:
            for n, line in enumerate(codecs.getreader(encoding)(stream), 1):
                yield n, line, None, None
        except UnicodeDecodeError as e:
            raise InputError(f"line {n + 1}: not {encoding} text ({e.reason}); try --encoding") from None
        return
    utf8 = _is_utf8(encoding)
    for n, raw in enumerate(stream, first_line):
        body = raw[len(_UTF8_BOM) :] if n == 1 and utf8 and raw.startswith(_UTF8_BOM) else raw
        try:
            yield n, body.decode(encoding), None, raw
        except UnicodeDecodeError as e:
            yield n, None, f"not {encoding} text ({e.reason} at byte {e.start}); try --encoding", raw


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(s: str) -> float:
    v = float(s)
    if v in (float("inf"), float("-inf")):
        raise ValueError(f"the number {s[:20]} is too large for a double")
    return v


def parse_json(text: str) -> object:
    """Strict JSON: no NaN/Infinity, no numbers that overflow to infinity (they would be
    written back as invalid JSON). Raises ValueError (RecursionError for deep nesting)."""
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)


def _json_error(e: Exception) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"invalid JSON ({e.msg} at column {e.colno})"
    if isinstance(e, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({e})"


def jsonl_records(
    stream: IO[bytes], field: str, encoding: str, first_line: int = 1, offset: int = 0
) -> Iterator[Record]:
    """Stream JSON Lines, one :class:`Record` per line (a blank one has neither text nor
    error), without reading ahead. ``first_line``/``offset``: where the stream starts
    in the file, when resuming."""
    pos = offset
    for n, line, error, raw in _lines(stream, encoding, first_line):
        end = None if raw is None else pos + len(raw)
        pos = end if end is not None else pos
        if error:
            rec = Record(n, error=error, raw=raw)
        elif not line or not line.strip():
            rec = Record(n, raw=raw)  # a blank line holds no record (in place, it is written back)
        else:
            try:
                obj = parse_json(line)
            except (ValueError, RecursionError) as e:
                rec = Record(n, error=_json_error(e), raw=raw)
            else:
                rec = _check_field(n, obj, field)
                rec.raw = raw if raw is not None else line.encode(encoding)
        rec.end, rec.next_line = end, n + 1
        yield rec


CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)  # csv's default (128 KiB) refuses long articles


def csv_records(
    stream: IO[bytes],
    field: str,
    encoding: str,
    columns: list[str],
    header_raw: list[bytes] | None = None,
    first_line: int = 1,
    offset: int = 0,
) -> Iterator[Record]:
    """Stream CSV rows (the header first, into ``columns``, its bytes into
    ``header_raw``); ``line`` is where a row starts. Parsing is strict: a malformed row
    (an unterminated quote runs to the end of the file) is one bad record. Resuming
    (``first_line`` > 1, ``offset``): the stream starts after the header, which the
    caller has put into ``columns`` already."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    consumed: list[bytes] = []
    pos = offset
    base = first_line - 1

    def lines() -> Iterator[str]:
        for n, line, error, raw in _lines(stream, encoding, first_line):
            if line is None:  # a CSV record may span lines: a bad one spoils the rest
                raise InputError(f"line {n}: {error}")
            consumed.append(raw if raw is not None else line.encode(encoding))
            yield line

    def take() -> bytes:
        nonlocal pos
        data = b"".join(consumed)
        consumed.clear()
        pos += len(data)
        return data

    reader = csv.reader(lines(), strict=True)
    if first_line == 1:
        try:
            header = next(reader, None)
        except csv.Error as e:
            raise InputError(f"line 1: CSV error in the header ({e})") from None
        if header is None:
            return
        if field not in header:
            raise InputError(f"line 1: no column {field!r} (columns: {', '.join(header)}); choose one with --column")
        columns.extend(header)
        if header_raw is not None:
            header_raw.append(take())
        else:
            take()
    header = list(columns)
    start = base + reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            msg = str(e)
            if "unexpected end of data" in msg:
                msg = "a quoted field is not closed (it runs to the end of the file)"
            rec = Record(start, error=f"CSV error ({msg})", raw=take())
        else:
            raw = take()
            if len(row) != len(header):
                rec = Record(start, error=f"{len(row)} fields, the header has {len(header)}", raw=raw)
            else:
                rec = Record(start, dict(zip(header, row, strict=True)), row[header.index(field)], raw=raw, row=row)
        rec.end = pos
        start = rec.next_line = base + reader.line_num + 1
        yield rec


def _check_field(n: int, obj: object, field: str) -> Record:
    if not isinstance(obj, dict):
        return Record(n, error=f"not a JSON object but {type(obj).__name__}")
    if field not in obj:
        return Record(n, error=f"no field {field!r} (choose one with --field)")
    text = obj[field]
    if not isinstance(text, str):
        return Record(n, error=f"field {field!r} is {type(text).__name__}, not a string")
    return Record(n, obj, text)
