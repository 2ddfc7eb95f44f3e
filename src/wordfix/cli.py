"""The ``wordfix`` command (also ``python -m wordfix``).

Subcommands live beside the code they drive: ``fix`` and ``score`` here, ``review``
and ``apply`` in ``review.py`` (registered through ``register(subparsers)``).

``wordfix fix PATH...``   restore files, directories (recursively) or ``-`` (stdin):
                          to stdout, to a mirrored tree (``-o DIR``), or in place
                          with a backup (``--in-place --backup-suffix .orig``).
``wordfix score PATH...`` one spin score per document, as TSV or JSON, for screening.

With ``--jsonl``/``--csv`` every line (row) is a document: the text is read from
``--field``/``--column`` and the record is written back with three more fields,
``<field>_restored``, ``wordfix_edits`` and ``wordfix_spin_score``.

Every file written appears complete or not at all (temp file in the same directory,
fsync, ``os.replace``: see ``files.py``); an interrupted run leaves no partial outputs and
``--resume`` finishes it (record files written with ``-o`` go on from their last
checkpoint). Documents longer than STREAM_BYTES are streamed through the chunker.
Exit codes: 0 ok, 1 some documents failed (each is reported on stderr and counted in
the summary), 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import bisect
import codecs
import collections
import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import __version__
from .files import (
    BACKUP_EXISTS as _BACKUP_EXISTS,
)
from .files import (  # noqa: F401  (AtomicFile, TMP_MARK, ... re-exported for callers)
    TMP_MARK,
    AtomicFile,
    RefusedWrite,
    ResumableFile,
    backup_path,
    backup_state,
    copy_atomic,
    display_path,
    read_checkpoint,
    remove_stale_temps,
    replace_target,
    replace_with_backup,
    same_file,
    sha256_prefix,
    write_atomic,
)

if TYPE_CHECKING:
    from .restoration import Restoration

EDITS_FIELD = "wordfix_edits"
SCORE_FIELD = "wordfix_spin_score"
RESTORED_SUFFIX = "_restored"  # the restored text goes to "<field>_restored"
DIFF_SUFFIXES = {"unified": ".diff", "inline": ".diff", "side-by-side": ".diff", "json": ".json", "html": ".html"}
EXIT_STATUS = """exit status: 0 all documents done, 1 some failed (each is reported on stderr,
and counted in the summary), 2 usage error, 130 interrupted."""
FIX_EPILOG = f"""With --jsonl or --csv, each record is written back with three more fields:
  <field>{RESTORED_SUFFIX:<13} the restored text (e.g. text{RESTORED_SUFFIX})
  {EDITS_FIELD:<20} the edits, as in Restoration.to_dict() (a JSON string in CSV)
  {SCORE_FIELD:<20} 0 clean .. 1 heavily spun
Outputs appear complete or not at all; after an interruption, --resume finishes.

{EXIT_STATUS}"""
WRITER_THREADS = 8  # files written (and fsynced) concurrently: fsync latency dominates small files


# -- errors ------------------------------------------------------------------------------
class InputError(Exception):
    """A document or file that cannot be read as asked; the message says why and what to do."""


class _Abort(Exception):
    """``--on-error fail`` met a failure: stop the run (it has been reported already)."""


# -- atomic files: see files.py ----------------------------------------------------------
# (re-exported here: AtomicFile, write_atomic, copy_atomic, remove_stale_temps, backup_state)


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
        for e in entries:
            if e.name.startswith(".") or (skip_suffix and e.name.endswith(skip_suffix)):
                continue
            p = Path(e.path)
            if e.is_dir(follow_symlinks=False):
                if skip is None or p.resolve() != skip:
                    walk(top, p)
            elif e.is_symlink() and e.is_dir():
                say(f"{display_path(p)}: skipped, a symbolic link to a directory (name it to include it)")
            elif e.is_file():
                if fnmatch(e.name, pattern):
                    add(p, p.relative_to(top))
            elif e.is_symlink() and not os.path.exists(p):
                say(f"{display_path(p)}: skipped, a dangling symbolic link")
            elif fnmatch(e.name, pattern):
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


# -- the run ----------------------------------------------------------------------------
@dataclass
class Pending:
    """A document sent to be restored, and what to do with its result."""

    where: str  # file or file:line, for messages
    done: Callable[[Restoration], None]
    failed: Callable[[], None] | None = None  # what to write instead if it cannot be restored
    progress: float = 1.0  # of the progress bar's unit (a piece of a streamed document: its share)
    document: bool = True  # counts as a document in the summary (a piece does not)


class _Bar:
    """Progress on stderr (tqdm), or nothing; messages never tear the bar."""

    def __init__(self, enabled: bool, total: int | None, unit: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            class _NoMonitor(tqdm):  # no monitor thread: the pool may still fork after this
                monitor_interval = 0

            self.bar = _NoMonitor(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.25)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Run:
    """One ``fix`` or ``score`` invocation: reads documents lazily, restores them in
    order with :func:`wordfix.restore_many`, and writes each result as it arrives."""

    def __init__(self, args: argparse.Namespace, inputs: list[Input]):
        self.args = args
        self.inputs = inputs
        self.records = args.jsonl or args.csv
        self.pending: collections.deque[Pending | Callable[[], None]] = collections.deque()
        self.live: set[AtomicFile] = set()  # uncommitted outputs, discarded if the run stops
        self.writes: collections.deque[tuple[str, Future]] = collections.deque()
        self.writer: ThreadPoolExecutor | None = None
        self.stdout_columns: list[str] | None = None
        self.scores: list[dict] = []
        self.header_done = False
        self.n_docs = self.n_words = self.n_edits = self.n_failed = self.n_resumed = 0
        show = args.progress if args.progress is not None else (sys.stderr.isatty() and not args.quiet)
        self.bar = _Bar(show, None if self.records else len(inputs), "rec" if self.records else "doc")

    # -- reporting
    def fail(self, where: str, message: str) -> None:
        """Report one failed document or file; stop the run under ``--on-error fail``."""
        self.n_failed += 1
        then = "stopping (--on-error fail)" if self.args.on_error == "fail" else "skipped"
        self.bar.message(f"wordfix: {where}: {message} [{then}]")
        self.bar.update()
        if self.args.on_error == "fail":
            raise _Abort

    def summary(self, seconds: float) -> str:
        rate = self.n_words / seconds if seconds > 0 else 0.0
        verb = "scored" if self.args.command == "score" else "restored"
        parts = [f"{_n(self.n_docs, 'document')} {verb}", _n(self.n_words, "word"), _n(self.n_edits, "edit")]
        parts.append(f"{self.n_failed:,} failed")
        if self.n_resumed:
            parts.append(f"{self.n_resumed:,} already done")
        return f"wordfix: {', '.join(parts)}; {seconds:.1f} s, {rate:,.0f} words/s"

    # -- driving
    def execute(self, restorer) -> int:
        from .batch import RestoreError, restore_many

        self.chunk_chars = restorer.config.chunk_chars
        texts = self._record_texts() if self.records else self._document_texts()
        try:
            results = restore_many(texts, self.args.jobs, self.args.batch_size, restorer, on_error="yield")
            with contextlib.closing(results):
                for res in results:
                    self._drain()
                    job = self.pending.popleft()
                    assert isinstance(job, Pending)
                    if isinstance(res, RestoreError):
                        if job.failed is not None:
                            job.failed()
                        self.fail(job.where, f"could not restore it: {res.kind}: {res.message}")
                    else:
                        self.n_docs += job.document
                        self.n_words += res.stats.get("words", 0)
                        self.n_edits += len(res.edits)
                        if res.withheld and self.args.command == "fix" and not self.args.quiet:
                            self.bar.message(f"wordfix: {job.where}: {res.hint}")
                        job.done(res)
                        self.bar.update(job.progress)
                    self._drain()
            self._drain()
            self._finish_writes(wait=True)
            self._flush_scores()
        except _Abort:
            pass
        finally:
            self._shutdown()
            self.bar.close()
        return 1 if self.n_failed else 0

    def _drain(self) -> None:
        """Run the actions queued behind documents that are now all done (closing files)."""
        while self.pending and not isinstance(self.pending[0], Pending):
            action = self.pending.popleft()
            action()  # type: ignore[operator]
        self._finish_writes(wait=False)

    def _shutdown(self) -> None:
        if self.writer is not None:
            self.writer.shutdown(wait=True, cancel_futures=True)  # each write is atomic: let them end
        for f in list(self.live):
            f.discard()
        self.live.clear()
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()

    # -- whole documents
    def _document_texts(self) -> Iterator[tuple[str, dict]]:
        from .markup import document_options

        a = self.args
        for inp in self.inputs:
            dest = self._dest(inp)
            if a.resume and self._already_done(inp, dest):
                self.n_resumed += 1
                self.bar.update()
                continue
            if a.command == "fix" and a.in_place and inp.path is not None:
                try:
                    target = replace_target(inp.path, force=a.force)
                except RefusedWrite as e:
                    self.fail(inp.name, f"not replaced: {e}")
                    continue
                if backup_state(target, a.backup_suffix) == "differs":
                    self.fail(inp.name, _BACKUP_EXISTS.format(display_path(backup_path(target, a.backup_suffix))))
                    continue
            if self._streams(inp):
                yield from self._stream_document(inp, dest)
                continue
            try:
                text = read_document(inp, a.encoding)
            except InputError as e:
                self.fail(inp.name, str(e))
                continue
            self.pending.append(Pending(inp.name, partial(self._emit_document, inp, dest)))
            yield text, document_options(text, inp.name if inp.path else None, a.doc_format, a.fix_encoding)

    # -- long documents, streamed through the chunker
    def _streams(self, inp: Input) -> bool:
        """Whether to stream this document: ``fix`` without ``--diff`` on a file longer
        than STREAM_BYTES. The result is the same as restoring it whole (the pieces are
        the ones Restorer.restore would cut), but memory stays bounded and progress
        shows inside the document."""
        a = self.args
        if a.command != "fix" or a.diff or inp.path is None:
            return False
        try:
            return inp.path.stat().st_size > STREAM_BYTES
        except OSError:
            return False

    def _stream_document(self, inp: Input, dest: Path | None) -> Iterator[str]:
        from .restorer import chunk_end

        a = self.args
        assert inp.path is not None
        try:
            f = open(inp.path, "rb")
            total = max(1, os.fstat(f.fileno()).st_size)
        except OSError as e:
            self.fail(inp.name, e.strerror or str(e))
            return
        doc = _Streamed(inp)
        try:
            doc.out, doc.backup = self._stream_output(inp, dest)
        except (InputError, RefusedWrite, OSError) as e:
            f.close()
            self.fail(inp.name, str(e) if not isinstance(e, OSError) else e.strerror or str(e))
            return
        if doc.out is not None:
            self.live.add(doc.out)
        size = self.chunk_chars
        decoder = codecs.getincrementaldecoder(a.encoding)("strict")
        buf, eof, done_bytes, shown = "", False, 0, 0.0
        try:
            with f:
                while True:
                    if not eof and len(buf) <= size:  # a cut needs size + 1 characters (or the end)
                        block = f.read(STREAM_BLOCK)
                        if done_bytes == 0:
                            wide = wide_bom(block[:4], a.encoding)
                            if wide:
                                raise InputError(_wide_message(wide))
                        if not _wide(a.encoding) and b"\0" in block:
                            raise InputError(f"binary file (it contains NUL bytes, after byte {done_bytes:,})")
                        try:
                            buf += decoder.decode(block, final=not block)
                        except UnicodeDecodeError as e:
                            raise InputError(
                                f"not {a.encoding} text ({e.reason} near byte {done_bytes + e.start:,}); "
                                "say which encoding it is with --encoding"
                            ) from None
                        done_bytes += len(block)
                        eof = not block
                        continue
                    if not buf:
                        break
                    end = chunk_end(buf, 0, size)
                    piece, buf = buf[:end], buf[end:]
                    share = min(1.0 - shown, (done_bytes - len(buf.encode(a.encoding, "replace"))) / total - shown)
                    shown += max(0.0, share)
                    self.pending.append(
                        Pending(
                            inp.name,
                            partial(doc.put, self),
                            failed=partial(doc.spoil, self, piece),
                            progress=max(0.0, share),
                            document=False,
                        )
                    )
                    yield piece
        except InputError as e:
            doc.broken = True
            self.fail(inp.name, f"{e}; nothing was written for it")
        except OSError as e:
            doc.broken = True
            self.fail(inp.name, f"read error: {e.strerror or e}; nothing was written for it")
        self.pending.append(partial(self._stream_close, doc, 1.0 - shown))

    def _stream_output(self, inp: Input, dest: Path | None) -> tuple[AtomicFile | None, Path | None]:
        a = self.args
        assert inp.path is not None
        if a.in_place:
            target = replace_target(inp.path, force=a.force)
            state = backup_state(target, a.backup_suffix)
            st = target.stat()
            out = AtomicFile(target, mode=st.st_mode & 0o7777, fsync=a.fsync, owner=(st.st_uid, st.st_gid))
            return out, backup_path(target, a.backup_suffix) if state == "none" else None
        if dest is not None:
            return AtomicFile(dest, fsync=a.fsync), None
        return None, None

    def _stream_close(self, doc: _Streamed, rest: float) -> None:
        """All pieces are written: publish the output (backup first, in place), or drop it."""
        self.bar.update(max(0.0, rest))
        if doc.out is not None:
            self.live.discard(doc.out)
        if doc.broken:
            if doc.out is not None:
                doc.out.discard()
            return
        try:
            if doc.out is not None:
                if doc.backup is not None and doc.inp.path is not None:
                    copy_atomic(Path(os.path.realpath(doc.inp.path)), doc.backup, fsync=doc.out.fsync)
                doc.out.commit()
            self.n_docs += 1
        except (OSError, RefusedWrite) as e:
            if doc.out is not None:
                doc.out.discard()
            self.fail(doc.inp.name, f"cannot write: {getattr(e, 'strerror', None) or e}")

    def _dest(self, inp: Input) -> Path | None:
        a = self.args
        if a.command != "fix":
            return None
        if a.in_place:
            return inp.path
        if a.output_dir is None:
            return None
        rel = inp.rel
        if a.diff:
            rel = rel.with_name(rel.name + DIFF_SUFFIXES[a.diff_format])
        return a.output_dir / rel

    def _already_done(self, inp: Input, dest: Path | None) -> bool:
        """--resume: an output exists (outputs only ever appear complete), or, in place,
        a backup that differs from the file (the file was restored after the backup)."""
        if self.args.in_place and inp.path is not None:
            target = Path(os.path.realpath(inp.path))
            return target.is_file() and backup_state(target, self.args.backup_suffix) == "differs"
        return dest is not None and dest.exists()

    def _emit_document(self, inp: Input, dest: Path | None, res: Restoration) -> None:
        a = self.args
        if a.command == "score":
            self._score(inp.name, res)
            return
        if a.in_place:
            if res.text != res.original:
                assert inp.path is not None
                data = res.text.encode(a.encoding)
                self._write_later(
                    inp.name,
                    partial(replace_with_backup, inp.path, a.backup_suffix, data, fsync=a.fsync, force=a.force),
                )
            return
        if a.diff and a.diff_format != "json" and not res.edits:
            return  # nothing changed: no empty .diff (or page) for it
        out = _render(res, a, inp.name, to_terminal=dest is None and sys.stdout.isatty())
        if dest is None:
            _stdout_bytes(out.encode(a.encoding))
        else:
            self._write_later(inp.name, partial(write_atomic, dest, out.encode(a.encoding), fsync=a.fsync))

    def _write_later(self, where: str, write: Callable[[], None]) -> None:
        """Write files on a few threads: fsync waits for the disk, so overlap them."""
        if self.writer is None:
            self.writer = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="wordfix-write")
        self.writes.append((where, self.writer.submit(write)))
        if len(self.writes) >= 4 * WRITER_THREADS:
            self._finish_writes(wait=False, limit=2 * WRITER_THREADS)

    def _finish_writes(self, wait: bool, limit: int = 0) -> None:
        """Collect finished writes (all, with ``wait``), reporting failures."""
        while self.writes and (wait or self.writes[0][1].done() or len(self.writes) > limit > 0):
            where, fut = self.writes.popleft()
            try:
                fut.result()
            except (InputError, RefusedWrite) as e:
                self.n_docs -= 1  # counted as restored, but not written: it failed
                self.fail(where, f"not written: {e}")
            except OSError as e:
                self.n_docs -= 1
                self.fail(where, f"cannot write: {e.strerror or e}")

    # -- records (JSON Lines, CSV)
    def _record_texts(self) -> Iterator[str]:
        a = self.args
        for inp in self.inputs:
            dest = self._dest(inp)
            if a.resume and self._already_done(inp, dest):
                self.n_resumed += 1
                continue
            ck = self._checkpoint(inp, dest) if a.resume and self._resumable(inp) else None
            try:
                sink = self._open_sink(inp, dest, ck)
            except (InputError, RefusedWrite) as e:
                self.fail(inp.name, str(e))
                continue
            except OSError as e:
                self.fail(inp.name, e.strerror or str(e))
                continue
            try:
                stream = sys.stdin.buffer if inp.path is None else open(inp.path, "rb")
            except OSError as e:
                sink.discard()
                self.fail(inp.name, e.strerror or str(e))
                continue
            first_line, offset = 1, 0
            if ck is not None:  # on from the checkpoint: the records before it are in the output already
                first_line, offset = ck["line"], ck["input_bytes"]
                stream.seek(offset)
                sink.columns.extend(ck.get("columns") or [])
                sink.start(header=False)  # the header is in the output already
                self.n_resumed += ck["records"]
                self.n_failed += ck["failed"]
                self.bar.message(
                    f"wordfix: {inp.name}: resuming at line {first_line:,} ({ck['records']:,} records done before"
                    + (f", {ck['failed']:,} failed and reported then)" if ck["failed"] else ")")
                )
            try:
                with contextlib.nullcontext(stream) if inp.path is None else stream:
                    if a.csv:
                        records = csv_records(
                            stream, a.field, a.encoding, sink.columns, sink.header_raw, first_line, offset
                        )
                    else:
                        records = jsonl_records(stream, a.field, a.encoding, first_line, offset)
                    for rec in records:
                        if rec.error is None and rec.fields is not None:
                            clash = sink.clash(rec.fields)
                            if clash:
                                rec.error = clash
                        if not sink.started and rec.error is None:
                            sink.start()
                        if rec.error is not None or rec.text is None:  # bad, or a blank line
                            if sink.in_place:
                                if not sink.started:
                                    sink.start()
                                self.pending.append(partial(sink.put_raw, rec))
                            if rec.error is not None:
                                sink.failures.append(rec.line)
                                self.fail(f"{inp.name}:{rec.line}", rec.error)
                            continue
                        assert rec.fields is not None
                        failed = partial(sink.put_raw if sink.in_place else sink.note_failure, rec)
                        self.pending.append(Pending(f"{inp.name}:{rec.line}", partial(sink.put, rec), failed))
                        yield rec.text
                    if not sink.started and (sink.columns or not a.csv):
                        sink.start()
            except InputError as e:
                sink.broken = True
                self.fail(inp.name, f"{e}; the rest of the file is not used")
            except OSError as e:
                sink.broken = True
                self.fail(inp.name, f"read error: {e.strerror or e}")
            self.pending.append(sink.close)

    def _resumable(self, inp: Input) -> bool:
        """Whether this record file's output is written with checkpoints (``-o DIR``,
        not stdin, a byte-splittable encoding), so that ``--resume`` continues it."""
        a = self.args
        return (
            a.command == "fix"
            and a.output_dir is not None
            and not a.in_place
            and inp.path is not None
            and not _wide(a.encoding)
        )

    def options_key(self) -> str:
        """What must be the same for a resumed run to continue a stopped one's output."""
        a = self.args
        opts = [__version__, a.field, a.encoding, a.csv, a.table, a.protect, a.min_confidence, a.scorer]
        return hashlib.sha256(json.dumps(opts).encode()).hexdigest()[:16]

    def _checkpoint(self, inp: Input, dest: Path | None) -> dict | None:
        """The checkpoint to resume ``inp`` from, if there is one and it still fits: the
        same input (the SHA-256 of the part already done), the same options."""
        assert inp.path is not None and dest is not None
        ck = read_checkpoint(dest)
        if ck is None:
            return None
        try:
            fits = (
                ck.get("version") == 1
                and ck.get("input") == os.path.realpath(inp.path)
                and ck.get("options") == self.options_key()
                and sha256_prefix(inp.path, ck["input_bytes"]) == ck["input_sha256"]
            )
        except (OSError, KeyError, TypeError):
            fits = False
        if not fits:
            self.bar.message(
                f"wordfix: {inp.name}: its checkpoint does not fit (input or options changed); starting over"
            )
            return None
        return ck

    def _open_sink(self, inp: Input, dest: Path | None, ck: dict | None = None) -> RecordSink:
        a = self.args
        if a.command == "score":
            return RecordSink(self, inp, None)
        out: AtomicFile | ResumableFile | None = None
        backup: Path | None = None
        if a.in_place:
            assert inp.path is not None
            try:
                target = replace_target(inp.path, force=a.force)
            except RefusedWrite as e:
                raise InputError(f"not replaced: {e}") from None
            state = backup_state(target, a.backup_suffix)
            if state == "differs":
                raise InputError(_BACKUP_EXISTS.format(display_path(backup_path(target, a.backup_suffix))))
            backup = backup_path(target, a.backup_suffix) if state == "none" else None
            st = target.stat()
            out = AtomicFile(target, mode=st.st_mode & 0o7777, fsync=a.fsync, owner=(st.st_uid, st.st_gid))
        elif dest is not None and self._resumable(inp):
            out = ResumableFile(dest, fsync=a.fsync, resume=ck)
        elif dest is not None:
            out = AtomicFile(dest, fsync=a.fsync)
        if out is not None:
            self.live.add(out)
        sink = RecordSink(self, inp, out, backup, in_place=a.in_place)
        if ck is not None:
            sink.done_before, sink.failed_before = ck["records"], ck["failed"]
        return sink

    # -- scores
    def _score(self, where: str, res: Restoration, fields: dict | None = None) -> None:
        a = self.args
        if a.min_score is not None and res.spin_score < a.min_score:
            return
        doc = where
        if fields is not None and a.id_field and a.id_field in fields:
            doc = str(fields[a.id_field])
        row = {
            "document": doc,
            "spin_score": round(res.spin_score, 4),
            "words": res.stats.get("words", 0),
            "edits": len(res.edits),
            "reason": res.spin_reason,
        }
        if a.sort == "none" and a.format != "json":
            self._print_score(row)
        else:
            self.scores.append(row)

    def _print_score(self, row: dict) -> None:
        if self.args.format == "tsv":
            if not self.header_done:
                self.header_done = True
                if self.args.header:
                    _stdout_text("\t".join(row) + "\n")
            _stdout_text("\t".join(_tsv_cell(v) for v in row.values()) + "\n")
        else:
            _stdout_text(json.dumps(row, ensure_ascii=False) + "\n")

    def _flush_scores(self) -> None:
        a = self.args
        if a.command != "score":
            return
        rows = self.scores
        if a.sort == "score":
            rows.sort(key=lambda r: (-r["spin_score"], r["document"]))
        elif a.sort == "document":
            rows.sort(key=lambda r: r["document"])
        if a.format == "json":
            _stdout_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            for r in rows:
                self._print_score(r)


CHECKPOINT_RECORDS = 1000  # a record output's checkpoint is renewed every this many records
CHECKPOINT_SECONDS = 5.0  # or this often
STREAM_BYTES = 4 * 1024 * 1024  # documents longer than this are streamed (see Run._streams)
STREAM_BLOCK = 1024 * 1024  # bytes read at a time when streaming


class _Streamed:
    """One document restored piece by piece: where its pieces go."""

    def __init__(self, inp: Input):
        self.inp = inp
        self.out: AtomicFile | None = None
        self.backup: Path | None = None
        self.broken = False

    def put(self, run: Run, res: Restoration) -> None:
        if self.broken:
            return
        data = res.text.encode(run.args.encoding)
        if self.out is not None:
            self.out.write(data)
        else:
            _stdout_bytes(data)

    def spoil(self, run: Run, piece: str) -> None:
        """A piece could not be restored: the document is not written (on stdout, where
        the pieces before it are out already, the piece is printed as it was)."""
        if self.out is None:
            _stdout_bytes(piece.encode(run.args.encoding))
        else:
            self.broken = True


class RecordSink:
    """Where the restored records of one input file go: stdout or an atomic file.

    ``in_place``: the same records in the same order, each with its text field
    restored, and everything else (failed records, blank lines, the header, records
    that did not change) written back byte for byte.
    """

    def __init__(self, run: Run, inp: Input, out: AtomicFile | None, backup: Path | None = None, in_place=False):
        self.run, self.inp, self.out, self.backup = run, inp, out, backup
        self.in_place = in_place
        self.columns: list[str] = []  # CSV header, filled by the reader
        self.header_raw: list[bytes] = []  # its bytes
        self.started = False
        self.broken = False
        self.writer: csv.writer | None = None  # type: ignore[valid-type]
        a = run.args
        self.restored_field = f"{a.field}{RESTORED_SUFFIX}"
        self.added = (self.restored_field, EDITS_FIELD, SCORE_FIELD)
        # checkpoints (ResumableFile outputs)
        self.done = self.done_before = self.failed_before = 0
        self.failures: list[int] = []  # lines of failed records, in order
        self.last_checkpoint = time.monotonic()
        self.input_hash = hashlib.sha256()
        self.input_hashed = 0

    def note_failure(self, rec: Record) -> None:
        """A record could not be restored (it was reported): counted for checkpoints."""
        self.failures.append(rec.line)

    def _checkpoint(self, rec: Record) -> None:
        """Every CHECKPOINT_RECORDS records or CHECKPOINT_SECONDS: make the output so far
        durable and note where the input stands, so that --resume continues from here."""
        out = self.out
        self.done += 1
        if not isinstance(out, ResumableFile) or rec.end is None:
            return
        now = time.monotonic()
        if self.done % CHECKPOINT_RECORDS and now - self.last_checkpoint < CHECKPOINT_SECONDS:
            return
        assert self.inp.path is not None
        with open(self.inp.path, "rb") as f:  # hash the input up to here (each byte once in all)
            f.seek(self.input_hashed)
            left = rec.end - self.input_hashed
            while left > 0:
                block = f.read(min(left, 1 << 20))
                if not block:
                    return  # the input shrank: no checkpoint
                self.input_hash.update(block)
                left -= len(block)
        self.input_hashed = rec.end
        failed = self.failed_before + bisect.bisect_left(self.failures, rec.next_line)
        state = {
            "version": 1,
            "input": os.path.realpath(self.inp.path),
            "input_bytes": rec.end,
            "input_sha256": self.input_hash.hexdigest(),
            "line": rec.next_line,
            "records": self.done_before + self.done,
            "failed": failed,
            "columns": self.columns if self.run.args.csv else None,
            "options": self.run.options_key(),
        }
        out.checkpoint(state)
        self.last_checkpoint = now

    def clash(self, fields: dict) -> str | None:
        """Why a record cannot get the output fields: it has them already (they would be
        overwritten); None if it can."""
        if self.in_place or self.run.args.command != "fix":
            return None
        there = [f for f in self.added if f in fields]
        if not there:
            return None
        return f"it has the field(s) {', '.join(there)} already (restored before?); they would be overwritten"

    def _emit(self, text: str) -> None:
        self._emit_bytes(text.encode(self.run.args.encoding))

    def _emit_bytes(self, data: bytes) -> None:
        if self.out is not None:
            self.out.write(data)
        else:
            _stdout_bytes(data)

    def start(self, header: bool = True) -> None:
        """Write the CSV header (once per output; on stdout, once for all files alike;
        not when resuming: ``header=False``)."""
        self.started = True
        if self.run.args.command == "score" or not self.run.args.csv:
            return
        if not header:
            self.writer = csv.writer(self, lineterminator=_CSV_END)
            return
        if self.in_place:
            self._emit_bytes(b"".join(self.header_raw))
            return
        header = [*self.columns, *self.added]
        there = [c for c in self.added if c in self.columns]
        if there:
            raise InputError(
                f"its header has the column(s) {', '.join(there)} already (restored before?); "
                "wordfix would overwrite them"
            )
        self.writer = csv.writer(self, lineterminator=_CSV_END)
        if self.out is None:
            seen = self.run.stdout_columns
            if seen is not None:
                if seen != header:
                    raise InputError("its columns differ from the first CSV file's; write them apart with -o")
                return
            self.run.stdout_columns = header
        self.writer.writerow(header)

    def write(self, text: str) -> None:
        """Text out (``csv.writer`` writes each row through this, in one call)."""
        self._emit(_csv_row_end(text, "\n"))

    def put_raw(self, rec: Record) -> None:
        """In place: a record that is not restored goes back exactly as it was."""
        if self.broken or self.run.args.command == "score":
            return
        if rec.raw is not None:
            self._emit_bytes(rec.raw)
        elif rec.fields is not None:
            self._emit(json.dumps(rec.fields, ensure_ascii=False) + "\n")

    def put(self, rec: Record, res: Restoration) -> None:
        """Called in input order with each record's result."""
        run = self.run
        assert rec.fields is not None
        where = f"{self.inp.name}:{rec.line}"
        if run.args.command == "score":
            run._score(where, res, rec.fields)
            return
        if self.broken:
            return
        if self.in_place:
            self._put_in_place(rec, res)
            return
        edits = [e.to_dict() for e in res.edits]
        score = round(res.spin_score, 4)
        if run.args.csv:
            assert self.writer is not None
            row = [rec.fields[c] for c in self.columns]
            self.writer.writerow([*row, res.text, json.dumps(edits, ensure_ascii=False), score])
            self._checkpoint(rec)
            return
        obj = {**rec.fields, self.restored_field: res.text, EDITS_FIELD: edits, SCORE_FIELD: score}
        try:
            line = _json_line(obj, run.args.encoding)
        except (ValueError, RecursionError) as e:
            self.failures.append(rec.line)
            run.fail(where, f"cannot write it as JSON ({e})")
            return
        self._emit_bytes(line)
        self._checkpoint(rec)

    def _put_in_place(self, rec: Record, res: Restoration) -> None:
        raw = rec.raw or b""
        if res.text == rec.text and rec.raw is not None:
            self._emit_bytes(raw)
            return
        end = "\r\n" if raw.endswith(b"\r\n") else "\n" if raw.endswith(b"\n") else ""
        bom = _UTF8_BOM if rec.line == 1 and raw.startswith(_UTF8_BOM) else b""
        assert rec.fields is not None
        if self.run.args.csv:
            assert rec.row is not None
            row = list(rec.row)
            row[self.columns.index(self.run.args.field)] = res.text
            out = io.StringIO()
            csv.writer(out, lineterminator=_CSV_END).writerow(row)
            self._emit_bytes(bom + _csv_row_end(out.getvalue(), end).encode(self.run.args.encoding))
            return
        obj = {**rec.fields, self.run.args.field: res.text}
        try:
            line = _json_line(obj, self.run.args.encoding, end)
        except (ValueError, RecursionError) as e:
            self._emit_bytes(raw)
            self.run.fail(f"{self.inp.name}:{rec.line}", f"left as it was: cannot write it as JSON ({e})")
            return
        self._emit_bytes(bom + line)

    def close(self) -> None:
        """All of this file's records are written: publish the output (or drop it)."""
        if self.out is None:
            return
        self.run.live.discard(self.out)
        if self.broken:
            if isinstance(self.out, ResumableFile):
                self.out.abandon()  # the input is bad: nothing to resume
            else:
                self.out.discard()
            return
        try:
            if self.backup is not None and self.inp.path is not None:
                copy_atomic(self.inp.path, self.backup, fsync=self.out.fsync)  # the original first
            self.out.commit()
        except OSError as e:
            self.out.discard()
            self.run.fail(self.inp.name, f"cannot write: {e.strerror or e}")

    def discard(self) -> None:
        if self.out is not None:
            self.run.live.discard(self.out)
            self.out.discard()


# csv.writer quotes a field holding a character of its line terminator: with "\r\n" both CR
# and LF in a field are quoted (with "\n", a lone CR would be written bare and break the row).
_CSV_END = "\r\n"


def _csv_row_end(row: str, end: str) -> str:
    return row[: -len(_CSV_END)] + end if row.endswith(_CSV_END) else row


def _json_line(obj: object, encoding: str, end: str = "\n") -> bytes:
    """One JSON Lines record as bytes: strict JSON (no NaN), text as it is where the
    encoding can hold it, and ``\\u`` escapes where it cannot (lone surrogates)."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    try:
        return (text + end).encode(encoding)
    except UnicodeEncodeError:
        return (json.dumps(obj, ensure_ascii=True, allow_nan=False) + end).encode(encoding)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _tsv_cell(v: object) -> str:
    return str(v).replace("\t", " ").replace("\n", " ")


def _render(res: Restoration, a: argparse.Namespace, name: str, to_terminal: bool) -> str:
    """What ``fix`` prints for one document: the text, or a diff of it."""
    if not a.diff:
        return res.text
    if a.diff_format == "json":
        return json.dumps({"document": name, **res.to_dict()}, ensure_ascii=False) + "\n"
    if a.diff_format == "html":
        from .diff import html_document

        return html_document(res, name)
    if a.diff_format == "unified":
        return res.diff("unified", name=name, color=to_terminal)
    width = shutil.get_terminal_size().columns if to_terminal else 100
    if a.diff_format == "inline":
        body = res.diff("inline", color=to_terminal)
    else:
        body = res.diff(a.diff_format, width=width)
    header = f"==> {name} <==\n" if len(a.paths) > 1 or Path(a.paths[0]).is_dir() else ""
    return header + body + ("" if body.endswith("\n") else "\n")


def _stdout_bytes(data: bytes) -> None:
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        sys.stdout.flush()
        buf.write(data)


def _stdout_text(text: str) -> None:
    sys.stdout.write(text)


# -- commands ---------------------------------------------------------------------------
def _config(args: argparse.Namespace, parser: argparse.ArgumentParser):
    from .config import Config

    for t in args.table or ():
        if os.path.isdir(t):
            parser.error(f"--table {display_path(t)}: is a directory; name the table file (a .tsv) instead")
        if not os.path.exists(t):
            parser.error(f"--table {display_path(t)}: no such table file")
    options: dict = {"extra_tables": tuple(args.table or ()), "protect": tuple(args.protect or ())}
    if args.min_confidence is not None:
        options["min_confidence"] = args.min_confidence
    if args.scorer is not None:
        options["scorer"] = args.scorer
    if args.min_spin is not None:
        options["min_spin"] = args.min_spin
    if args.assume_spun:
        options["assume_spun"] = True
    if args.scorer == "neural":
        from .neural import INSTALL_HINT, missing_backend

        missing = missing_backend()
        if missing:
            parser.error(
                f"--scorer neural needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                f"not installed; {INSTALL_HINT}"
            )
    if args.spintax is not None:
        options["spintax"] = args.spintax
    if args.jsonl or args.csv:  # records: one format for all (whole files: per file, see document_options)
        options["format"] = args.doc_format or "text"
        options["fix_encoding"] = args.fix_encoding if args.fix_encoding is not None else options["format"] == "html"
    try:
        return Config(**options)
    except ValueError as e:
        parser.error(str(e))


def _check_usage(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse combinations that would lose data or make no sense (exit 2)."""
    if args.jobs < -1:
        parser.error("--jobs must be >= 1, or 0 / -1 for all CPUs")
    if args.jobs == 0:
        args.jobs = -1
    if args.batch_size < 1:
        parser.error("--batch-size must be >= 1")
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        parser.error(f"--encoding {args.encoding!r}: no such encoding (e.g. utf-8, latin-1, cp1252, utf-16)")
    if getattr(args, "min_score", None) is not None and not 0.0 <= args.min_score <= 1.0:
        parser.error(f"--min-score {args.min_score:g}: spin scores lie between 0 and 1")
    if args.field is None:
        args.field = "text"
    args.records = args.jsonl or args.csv
    if args.command != "fix":
        return
    stdin = "-" in args.paths
    if args.in_place:
        if not args.backup_suffix:
            parser.error(
                "--in-place needs --backup-suffix SUFFIX (e.g. .orig): wordfix never overwrites a file "
                "without keeping the original"
            )
        if "/" in args.backup_suffix:
            parser.error("--backup-suffix must not contain '/'")
        if args.output_dir is not None or args.diff or stdin:
            parser.error("--in-place cannot be combined with -o, --diff or - (stdin)")
    elif args.backup_suffix:
        parser.error("--backup-suffix only makes sense with --in-place")
    if args.output_dir is not None and stdin:
        parser.error("- (stdin) goes to stdout; leave out -o, or redirect: wordfix fix - > out.txt")
    if args.records and args.diff:
        parser.error("--diff works on whole documents, not with --jsonl/--csv")
    if args.resume and args.output_dir is None and not args.in_place:
        parser.error("--resume needs -o DIR or --in-place (it skips outputs that exist already)")


def _check_outputs(inputs: list[Input], args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """-o: refuse if two inputs map to one output, or an output would replace an input."""
    if args.command != "fix" or args.output_dir is None:
        return
    sources = {inp.path.resolve() for inp in inputs if inp.path is not None}
    seen: dict[Path, Input] = {}
    for inp in inputs:
        rel = inp.rel
        if args.diff:
            rel = rel.with_name(rel.name + DIFF_SUFFIXES[args.diff_format])
        dest = (args.output_dir / rel).resolve()
        if dest in sources:
            parser.error(f"refusing to write over the input {inp.name}: choose an -o directory apart from the inputs")
        if dest in seen:
            parser.error(f"{seen[dest].name} and {inp.name} would both be written to {dest}")
        seen[dest] = inp


def _cmd_run(args: argparse.Namespace) -> int:
    """``fix`` and ``score``: find the inputs, load resources once, run, summarize."""
    parser: argparse.ArgumentParser = args.parser
    _check_usage(args, parser)
    config = _config(args, parser)
    out_dir = args.output_dir if args.command == "fix" else None
    notes: list[str] = []
    inputs, missing = discover(args.paths, args.glob, out_dir, args.backup_suffix if args.in_place else None, notes)
    _check_outputs(inputs, args, parser)
    if out_dir is not None and args.resume and out_dir.is_dir():
        remove_stale_temps(out_dir)

    from .batch import restorer_for
    from .tables import TableError

    started = time.perf_counter()
    try:
        restorer = restorer_for(config)  # loaded once here; forked workers inherit it
    except TableError as e:
        parser.error(str(e))
    except ImportError as e:  # --scorer neural without the extra: the message says how to install it
        parser.error(str(e))
    run = Run(args, inputs)
    for m in notes:
        run.bar.message(f"wordfix: {m}")
    for m in missing:
        run.n_failed += 1
        run.bar.message(f"wordfix: {m}")
    if args.on_error == "fail" and missing:
        status = 1
    else:
        status = max(run.execute(restorer), 1 if missing else 0)
    if not args.quiet:
        print(run.summary(time.perf_counter() - started), file=sys.stderr)
    return status


def _add_shared_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (searched recursively) or - for stdin")
    g = p.add_argument_group("input")
    g.add_argument("--encoding", default="utf-8", help="text encoding of the inputs and outputs (default utf-8)")
    g.add_argument(
        "--glob",
        default="*",
        metavar="PATTERN",
        help="in directories, only files whose name matches (e.g. '*.txt'; default all non-hidden files)",
    )
    fmt = g.add_mutually_exclusive_group()
    fmt.add_argument("--jsonl", action="store_true", help="each input line is a JSON object; restore its --field")
    fmt.add_argument("--csv", action="store_true", help="each input row is a CSV record; restore its --column")
    g.add_argument(
        "--field",
        "--column",
        dest="field",
        default=None,
        metavar="NAME",
        help="the field (JSONL) or column (CSV) holding the text (default: text)",
    )
    g.add_argument(
        "--on-error",
        choices=["skip", "fail"],
        default="skip",
        help="a document or line that cannot be read or restored is reported and skipped (default), "
        "or stops the run (fail); either way the exit code is 1",
    )
    g.add_argument(
        "--input-format" if p.prog.endswith("score") else "--format",  # score's --format is its output's
        dest="doc_format",
        choices=["auto", "text", "html", "markdown"],
        default=None,
        help="what the documents are: in HTML and Markdown only the prose is edited (default auto: by file "
        "extension, else by content; with --jsonl/--csv: text)",
    )
    g.add_argument(
        "--fix-encoding",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="repair mojibake with ftfy first, each repair an edit (default: on for HTML, off otherwise)",
    )
    r = p.add_argument_group("restoring (as in wordfix.Config)")
    r.add_argument("--table", action="append", metavar="FILE", help="an extra table file (repeatable)")
    r.add_argument("--protect", action="append", metavar="PHRASE", help="a word or phrase never to edit (repeatable)")
    r.add_argument("--min-confidence", type=float, metavar="P", help="make an edit only if its probability is >= P")
    r.add_argument("--scorer", choices=["ngram", "neural"], help="the context scorer (default ngram)")
    r.add_argument(
        "--min-spin", type=float, metavar="P", help="edit only documents at least this likely spun (default 0.9)"
    )
    r.add_argument(
        "--assume-spun",
        action="store_true",
        help="you know the text is spun: skip the spin gate (per-edit confidence still applies)",
    )
    r.add_argument(
        "--spintax",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="resolve leaked spinner groups {a|b|c} (default on)",
    )
    x = p.add_argument_group("running")
    x.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (0 or -1: all CPUs)")
    x.add_argument("--batch-size", type=int, default=16, metavar="N", help="documents sent to a worker at a time")
    x.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only when stderr is a terminal)",
    )
    x.add_argument("-q", "--quiet", action="store_true", help="no summary (errors are still reported)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="wordfix", description="Restore spun text and explain every edit.")
    ap.add_argument("--version", action="version", version=f"wordfix {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    fx = sub.add_parser(
        "fix",
        help="restore documents: to stdout, to a directory, or in place",
        description="Restore documents. Writes to stdout unless -o or --in-place is given; "
        "never writes over an input otherwise.",
        epilog=FIX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_shared_options(fx)
    o = fx.add_argument_group("output")
    o.add_argument("-o", "--output-dir", type=Path, metavar="DIR", help="write into DIR, mirroring the input tree")
    o.add_argument("--in-place", action="store_true", help="replace the inputs (needs --backup-suffix)")
    o.add_argument("--backup-suffix", metavar="SUFFIX", help="with --in-place: keep the original as FILE+SUFFIX")
    o.add_argument("--resume", action="store_true", help="skip documents whose output (or backup) exists already")
    o.add_argument(
        "--force", action="store_true", help="with --in-place: replace read-only files too (their mode is kept)"
    )
    o.add_argument(
        "--diff", action="store_true", help="print the diff instead of the text (with -o: into FILE.diff, .json, .html)"
    )
    o.add_argument("--diff-format", default="unified", choices=list(DIFF_SUFFIXES), help="(default unified)")
    o.add_argument(
        "--no-fsync",
        dest="fsync",
        action="store_false",
        help="skip fsync: faster on many small files; outputs stay atomic, but are not "
        "guaranteed on disk after a power loss",
    )
    fx.set_defaults(func=_cmd_run, parser=fx)

    sc = sub.add_parser(
        "score",
        help="a spin score per document, for screening",
        description="Print one spin score per document (0 clean .. 1 heavily spun).",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_shared_options(sc)
    o = sc.add_argument_group("output")
    o.add_argument(
        "--format",
        choices=["tsv", "json", "jsonl"],
        default="tsv",
        help="tsv (default, columns document, spin_score, words, edits, reason), "
        "jsonl (an object a line) or json (one array)",
    )
    o.add_argument("--min-score", type=float, metavar="S", help="only documents scoring at least S")
    o.add_argument(
        "--sort",
        choices=["none", "score", "document"],
        default="none",
        help="none: input order, streamed (default); score: highest first; document: by name",
    )
    o.add_argument("--no-header", dest="header", action="store_false", help="TSV without its header line")
    o.add_argument("--id-field", metavar="NAME", help="with --jsonl/--csv: name records by this field, not file:line")
    sc.set_defaults(
        func=_cmd_run,
        parser=sc,
        in_place=False,
        output_dir=None,
        resume=False,
        diff=False,
        fsync=True,
        backup_suffix=None,
        force=False,
    )

    try:
        from . import review
    except ModuleNotFoundError as e:  # review.py not there (yet): only its commands are missing
        if e.name != f"{__package__}.review":
            raise
        review = None
    if review is not None and hasattr(review, "register"):
        review.register(sub)
    from . import learn

    learn.register(sub)
    return ap


def _sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        previous = signal.signal(signal.SIGTERM, _sigterm)  # clean up temp files on kill too
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("wordfix: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
