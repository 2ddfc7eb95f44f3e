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
fsync, ``os.replace``); an interrupted run leaves no partial outputs and ``--resume``
finishes it. Exit codes: 0 ok, 1 some documents failed (each is reported on stderr
and counted in the summary), 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import contextlib
import csv
import filecmp
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .restoration import Restoration

EDITS_FIELD = "wordfix_edits"
SCORE_FIELD = "wordfix_spin_score"
RESTORED_SUFFIX = "_restored"  # the restored text goes to "<field>_restored"
TMP_MARK = ".wordfix-tmp"  # in the names of temp files, so stale ones can be found
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


# -- atomic files ----------------------------------------------------------------------
_UMASK: int | None = None
_UMASK_LOCK = threading.Lock()


def _new_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (mkstemp makes 0600 files).
    The umask can only be read by setting it, hence the lock: files are written
    from several threads."""
    global _UMASK
    with _UMASK_LOCK:
        if _UMASK is None:
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
        return 0o666 & ~_UMASK


class AtomicFile:
    """A file that appears at ``dest`` complete or not at all.

    Data goes to a hidden temp file in the same directory; :meth:`commit` flushes,
    fsyncs and renames it over ``dest`` (``os.replace`` is atomic on POSIX);
    :meth:`discard` removes it. Used as a context manager it commits on success and
    discards on any exception, KeyboardInterrupt included.
    """

    def __init__(self, dest: Path, *, mode: int | None = None, fsync: bool = True):
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=TMP_MARK, dir=dest.parent)
        self.dest, self.tmp = dest, Path(tmp)
        self.file: IO[bytes] = os.fdopen(fd, "wb")
        self.mode = _new_file_mode() if mode is None else mode
        self.fsync = fsync
        self.done = False

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def commit(self) -> None:
        if self.done:
            return
        try:
            self.file.flush()
            if self.fsync:
                os.fsync(self.file.fileno())
            self.file.close()
            os.chmod(self.tmp, self.mode)
            os.replace(self.tmp, self.dest)
            self.done = True
        finally:
            if not self.done:
                self.discard()

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_atomic(dest: Path, data: bytes, *, mode: int | None = None, fsync: bool = True) -> None:
    """Write ``data`` to ``dest`` so that no reader ever sees a partial file."""
    with AtomicFile(dest, mode=mode, fsync=fsync) as f:
        f.write(data)


def copy_atomic(src: Path, dest: Path, *, fsync: bool = True) -> None:
    """Copy ``src`` byte for byte (and its mode) to ``dest``, atomically."""
    with AtomicFile(dest, mode=src.stat().st_mode & 0o7777, fsync=fsync) as out, open(src, "rb") as f:
        shutil.copyfileobj(f, out.file)


def remove_stale_temps(root: Path) -> int:
    """Delete temp files an earlier, killed run left under ``root``; returns how many."""
    n = 0
    for p in root.rglob(f".*{TMP_MARK}"):
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n


# -- inputs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Input:
    """One input file: ``path`` (None for stdin) and ``rel``, its place under ``-o``."""

    path: Path | None
    rel: Path

    @property
    def name(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)


def discover(
    args: Sequence[str], pattern: str, skip: Path | None = None, skip_suffix: str | None = None
) -> tuple[list[Input], list[str]]:
    """Expand the command-line paths into input files, in a stable (sorted) order.

    Directories are walked recursively for regular files matching ``pattern``,
    skipping hidden names and the directory ``skip`` (the output directory, when it
    lies inside an input) and names ending in ``skip_suffix`` (backups). Returns the
    inputs and the arguments that do not exist.
    """
    inputs: list[Input] = []
    missing: list[str] = []
    skip = skip.resolve() if skip is not None else None

    def walk(top: Path, d: Path) -> None:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            missing.append(f"{d}: {e.strerror}")
            return
        for e in entries:
            if e.name.startswith(".") or (skip_suffix and e.name.endswith(skip_suffix)):
                continue
            p = Path(e.path)
            if e.is_dir(follow_symlinks=False):
                if skip is None or p.resolve() != skip:
                    walk(top, p)
            elif e.is_file() and fnmatch(e.name, pattern):
                inputs.append(Input(p, p.relative_to(top)))

    for a in args:
        if a == "-":
            inputs.append(Input(None, Path("stdin")))
            continue
        p = Path(a)
        if p.is_dir():
            walk(p, p)
        elif p.exists():
            inputs.append(Input(p, Path(p.name)))
        else:
            missing.append(f"{a}: no such file or directory")
    return inputs, missing


def _wide(encoding: str) -> bool:
    """UTF-16/32 text has NUL bytes and cannot be split into lines as bytes."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def decode(data: bytes, encoding: str) -> str:
    """Bytes to text, refusing binary data; errors name the problem and the fix."""
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
    """One JSONL line or CSV row: where it is, its fields, and its text (if valid)."""

    line: int
    fields: dict | None = None
    text: str | None = None
    error: str | None = None


def _lines(stream: IO[bytes], encoding: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, error) for each line, each decoded on its own, so one badly
    encoded line is one bad record, not the end of the file."""
    if _wide(encoding):
        n = 0
        try:
            for n, line in enumerate(codecs.getreader(encoding)(stream), 1):
                yield n, line, None
        except UnicodeDecodeError as e:
            raise InputError(f"line {n + 1}: not {encoding} text ({e.reason}); try --encoding") from None
        return
    for n, raw in enumerate(stream, 1):
        try:
            yield n, raw.decode(encoding), None
        except UnicodeDecodeError as e:
            yield n, None, f"not {encoding} text ({e.reason} at byte {e.start}); try --encoding"


def jsonl_records(stream: IO[bytes], field: str, encoding: str) -> Iterator[Record]:
    """Stream JSON Lines, one :class:`Record` per non-blank line, without reading ahead."""
    for n, line, error in _lines(stream, encoding):
        if error:
            yield Record(n, error=error)
            continue
        assert line is not None
        if not line.strip():
            continue  # blank lines hold no record
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield Record(n, error=f"invalid JSON ({e.msg} at column {e.colno})")
            continue
        yield _check_field(n, obj, field)


def csv_records(stream: IO[bytes], field: str, encoding: str, columns: list[str]) -> Iterator[Record]:
    """Stream CSV rows (the header first, into ``columns``); ``line`` is where a row starts."""

    def lines() -> Iterator[str]:
        for n, line, error in _lines(stream, encoding):
            if line is None:  # a CSV record may span lines: a bad one spoils the rest
                raise InputError(f"line {n}: {error}")
            yield line

    reader = csv.reader(lines())
    try:
        header = next(reader, None)
        if header is None:
            return
        if field not in header:
            raise InputError(f"line 1: no column {field!r} (columns: {', '.join(header)}); choose one with --column")
        columns.extend(header)
        start = reader.line_num + 1
        for row in reader:
            if len(row) != len(header):
                yield Record(start, error=f"{len(row)} fields, the header has {len(header)}")
            else:
                yield Record(start, dict(zip(header, row, strict=True)), row[header.index(field)])
            start = reader.line_num + 1
    except csv.Error as e:
        raise InputError(f"line {reader.line_num}: CSV error ({e})") from None


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

        texts = self._record_texts() if self.records else self._document_texts()
        try:
            results = restore_many(texts, self.args.jobs, self.args.batch_size, restorer, on_error="yield")
            with contextlib.closing(results):
                for res in results:
                    self._drain()
                    job = self.pending.popleft()
                    assert isinstance(job, Pending)
                    if isinstance(res, RestoreError):
                        self.fail(job.where, f"could not restore it: {res.kind}: {res.message}")
                    else:
                        self.n_docs += 1
                        self.n_words += res.stats.get("words", 0)
                        self.n_edits += len(res.edits)
                        job.done(res)
                        self.bar.update()
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
                if backup_state(inp.path, a.backup_suffix) == "differs":
                    self.fail(inp.name, _BACKUP_EXISTS.format(_backup_path(inp.path, a.backup_suffix)))
                    continue
            try:
                text = read_document(inp, a.encoding)
            except InputError as e:
                self.fail(inp.name, str(e))
                continue
            self.pending.append(Pending(inp.name, partial(self._emit_document, inp, dest)))
            yield text, document_options(text, inp.name if inp.path else None, a.doc_format, a.fix_encoding)

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
            return backup_state(inp.path, self.args.backup_suffix) == "differs"
        return dest is not None and dest.exists()

    def _emit_document(self, inp: Input, dest: Path | None, res: Restoration) -> None:
        a = self.args
        if a.command == "score":
            self._score(inp.name, res)
            return
        if a.in_place:
            if res.text != res.original:
                assert inp.path is not None
                self._write_later(
                    inp.name,
                    partial(_replace_with_backup, inp.path, a.backup_suffix, res.text.encode(a.encoding), a.fsync),
                )
            return
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
            except InputError as e:
                self.fail(where, str(e))
            except OSError as e:
                self.fail(where, f"cannot write: {e.strerror or e}")

    # -- records (JSON Lines, CSV)
    def _record_texts(self) -> Iterator[str]:
        a = self.args
        for inp in self.inputs:
            dest = self._dest(inp)
            if a.resume and self._already_done(inp, dest):
                self.n_resumed += 1
                continue
            try:
                sink = self._open_sink(inp, dest)
            except InputError as e:
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
            try:
                with contextlib.nullcontext(stream) if inp.path is None else stream:
                    if a.csv:
                        records = csv_records(stream, a.field, a.encoding, sink.columns)
                    else:
                        records = jsonl_records(stream, a.field, a.encoding)
                    for rec in records:
                        if rec.error is not None:
                            self.fail(f"{inp.name}:{rec.line}", rec.error)
                            continue
                        if not sink.started:
                            sink.start()
                        assert rec.text is not None and rec.fields is not None
                        self.pending.append(Pending(f"{inp.name}:{rec.line}", partial(sink.put, rec)))
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

    def _open_sink(self, inp: Input, dest: Path | None) -> RecordSink:
        a = self.args
        if a.command == "score":
            return RecordSink(self, inp, None)
        out: AtomicFile | None = None
        backup: Path | None = None
        if a.in_place:
            assert inp.path is not None
            state = backup_state(inp.path, a.backup_suffix)
            if state == "differs":
                raise InputError(_BACKUP_EXISTS.format(_backup_path(inp.path, a.backup_suffix)))
            backup = _backup_path(inp.path, a.backup_suffix) if state == "none" else None
            out = AtomicFile(inp.path, mode=inp.path.stat().st_mode & 0o7777, fsync=a.fsync)
        elif dest is not None:
            out = AtomicFile(dest, fsync=a.fsync)
        if out is not None:
            self.live.add(out)
        return RecordSink(self, inp, out, backup)

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


class RecordSink:
    """Where the restored records of one input file go: stdout or an atomic file."""

    def __init__(self, run: Run, inp: Input, out: AtomicFile | None, backup: Path | None = None):
        self.run, self.inp, self.out, self.backup = run, inp, out, backup
        self.columns: list[str] = []  # CSV header, filled by the reader
        self.started = False
        self.broken = False
        self.writer: csv.writer | None = None  # type: ignore[valid-type]
        a = run.args
        self.restored_field = f"{a.field}{RESTORED_SUFFIX}"

    def _emit(self, text: str) -> None:
        data = text.encode(self.run.args.encoding)
        if self.out is not None:
            self.out.write(data)
        else:
            _stdout_bytes(data)

    def start(self) -> None:
        """Write the CSV header (once per output; on stdout, once for all files alike)."""
        self.started = True
        if self.run.args.command == "score" or not self.run.args.csv:
            return
        header = [*self.columns, self.restored_field, EDITS_FIELD, SCORE_FIELD]
        self.writer = csv.writer(self, lineterminator="\n")
        if self.out is None:
            seen = self.run.stdout_columns
            if seen is not None:
                if seen != header:
                    raise InputError("its columns differ from the first CSV file's; write them apart with -o")
                return
            self.run.stdout_columns = header
        self.writer.writerow(header)

    def write(self, text: str) -> None:
        """Text out (``csv.writer`` writes its rows through this)."""
        self._emit(text)

    def put(self, rec: Record, res: Restoration) -> None:
        """Called in input order with each record's result."""
        run = self.run
        assert rec.fields is not None
        if run.args.command == "score":
            run._score(f"{self.inp.name}:{rec.line}", res, rec.fields)
            return
        if self.broken:
            return
        edits = [e.to_dict() for e in res.edits]
        score = round(res.spin_score, 4)
        if run.args.csv:
            assert self.writer is not None
            row = [rec.fields[c] for c in self.columns]
            self.writer.writerow([*row, res.text, json.dumps(edits, ensure_ascii=False), score])
        else:
            obj = {**rec.fields, self.restored_field: res.text, EDITS_FIELD: edits, SCORE_FIELD: score}
            self.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def close(self) -> None:
        """All of this file's records are written: publish the output (or drop it)."""
        if self.out is None:
            return
        self.run.live.discard(self.out)
        if self.broken:
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


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _tsv_cell(v: object) -> str:
    return str(v).replace("\t", " ").replace("\n", " ")


_BACKUP_EXISTS = "its backup {} exists already and differs from it; move it away, or pass --resume to skip done files"


def _backup_path(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def backup_state(path: Path, suffix: str) -> str:
    """``"none"``: no backup; ``"same"``: a backup identical to the file (a run was
    stopped between backing up and replacing); ``"differs"``: the file was replaced."""
    backup = _backup_path(path, suffix)
    if not backup.exists():
        return "none"
    return "same" if filecmp.cmp(path, backup, shallow=False) else "differs"


def _replace_with_backup(path: Path, suffix: str, data: bytes, fsync: bool) -> None:
    """``--in-place``: keep a byte-identical backup first, then swap in the new text.
    Both steps are atomic, so an interruption never loses the original."""
    state = backup_state(path, suffix)
    if state == "differs":
        raise InputError(_BACKUP_EXISTS.format(_backup_path(path, suffix)))
    if state == "none":
        copy_atomic(path, _backup_path(path, suffix), fsync=fsync)
    write_atomic(path, data, mode=path.stat().st_mode & 0o7777, fsync=fsync)


def _render(res: Restoration, a: argparse.Namespace, name: str, to_terminal: bool) -> str:
    """What ``fix`` prints for one document: the text, or a diff of it."""
    if not a.diff:
        return res.text
    if a.diff_format == "json":
        return json.dumps({"document": name, **res.to_dict()}, ensure_ascii=False) + "\n"
    if a.diff_format == "html":
        return res.diff("html")
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

    options: dict = {"extra_tables": tuple(args.table or ()), "protect": tuple(args.protect or ())}
    if args.min_confidence is not None:
        options["min_confidence"] = args.min_confidence
    if args.scorer is not None:
        options["scorer"] = args.scorer
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
    inputs, missing = discover(args.paths, args.glob, out_dir, args.backup_suffix if args.in_place else None)
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
    run = Run(args, inputs)
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
    )

    try:
        from . import review
    except ModuleNotFoundError as e:  # review.py not there (yet): only its commands are missing
        if e.name != f"{__package__}.review":
            raise
        review = None
    if review is not None and hasattr(review, "register"):
        review.register(sub)
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
