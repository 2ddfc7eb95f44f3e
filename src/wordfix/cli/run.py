"""One run of ``wordfix fix`` or ``wordfix score``: the documents and records read
lazily (:mod:`.inputs`), restored in order with :func:`wordfix.restore_many`, each
result written as it arrives and every file through :mod:`wordfix.files` (complete or
not at all; backups before anything is replaced), failures reported and counted.
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
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..config import Config
from ..files import (
    BACKUP_EXISTS,
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
    sha256_prefix,
    write_atomic,
)
from ..markup import document_options, prose
from .inputs import (
    _UTF8_BOM,
    Input,
    InputError,
    Record,
    _wide,
    _wide_message,
    csv_records,
    discover,
    jsonl_records,
    read_document,
    wide_bom,
)
from .options import UsageError, config_from_args
from .output import (
    _CSV_END,
    DIFF_SUFFIXES,
    EDITS_FIELD,
    RESTORED_SUFFIX,
    SCORE_FIELD,
    _csv_row_end,
    _json_line,
    _n,
    _stdout_bytes,
    render,
)

if TYPE_CHECKING:
    from ..restoration import Restoration

WRITER_THREADS = 8  # files written (and fsynced) concurrently: fsync latency dominates small files


class _Abort(Exception):
    """``--on-error fail`` met a failure: stop the run (it has been reported already)."""


# -- the run ----------------------------------------------------------------------------
@dataclass
class Pending:
    """A document sent to be restored, and what to do with its result."""

    where: str  # file or file:line, for messages
    done: Callable[[Any], None]  # given the Restoration (fix) or Detection (score)
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

    def update(self, n: float = 1) -> None:
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
        self.live: set[AtomicFile | ResumableFile] = set()  # uncommitted outputs, discarded if the run stops
        self.writes: collections.deque[tuple[str, Future]] = collections.deque()
        self.writer: ThreadPoolExecutor | None = None
        self.stdout_columns: list[str] | None = None
        self.report = args.report(args) if getattr(args, "report", None) else None  # score: its table
        self.n_docs = self.n_words = self.n_edits = self.n_failed = self.n_resumed = 0
        self.prior = None  # the batch prior restore_many estimated (--batch-prior)
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
        if self.report is not None:
            parts = [f"{_n(self.n_docs, 'document')} scored", _n(self.n_words, "word"), f"{self.report.n_spun:,} spun"]
        else:
            parts = [f"{_n(self.n_docs, 'document')} restored", _n(self.n_words, "word"), _n(self.n_edits, "edit")]
        parts.append(f"{self.n_failed:,} failed")
        if self.n_resumed:
            parts.append(f"{self.n_resumed:,} already done")
        line = f"wordfix: {', '.join(parts)}; {seconds:.1f} s, {rate:,.0f} words/s"
        return line + (f"; {self.prior}" if self.prior is not None else "")

    def _batch_prior(self, prior) -> None:
        """restore_many's report of the batch prior: kept for the summary line."""
        self.prior = prior

    # -- driving
    def execute(self, restorer) -> int:
        from ..batch import RestoreError, detect_many, restore_many
        from ..restoration import Detection

        self.config = restorer.config
        self.chunk_chars = restorer.config.chunk_chars
        texts = self._record_texts() if self.records else self._document_texts()
        a = self.args
        try:
            results: Any  # score judges (Detections), fix restores (Restorations)
            if self.report is not None:
                results = detect_many(texts, a.jobs, a.batch_size, restorer, on_error="yield")  # type: ignore[arg-type]
            else:
                batch_prior = bool(getattr(a, "batch_prior", False))
                results = restore_many(
                    texts,  # type: ignore[arg-type]  # (text, options) pairs are items too
                    a.jobs,
                    a.batch_size,
                    restorer,
                    on_error="yield",
                    batch_prior=batch_prior,
                    on_prior=self._batch_prior,
                )
            with contextlib.closing(results):
                for res in results:
                    self._drain()
                    job = self.pending.popleft()
                    assert isinstance(job, Pending)
                    if isinstance(res, RestoreError):
                        if job.failed is not None:
                            job.failed()
                        self.fail(job.where, f"could not restore it: {res.kind}: {res.message}")
                    elif isinstance(res, Detection):
                        self.n_docs += job.document
                        self.n_words += res.words
                        job.done(res)
                        self.bar.update(job.progress)
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
            if self.report is not None:
                self.report.flush()
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
    def _document_texts(self) -> Iterator[str | tuple[str, dict]]:
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
                    self.fail(inp.name, BACKUP_EXISTS.format(display_path(backup_path(target, a.backup_suffix))))
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
            options = document_options(text, inp.name if inp.path else None, a.doc_format, a.fix_encoding)
            yield prose(text, options["format"]) if self.report is not None else (text, options)

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
        from ..restorer import chunk_end

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
        if self.report is not None:
            self.report.add(inp.name, res)
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
        out = render(res, a, inp.name, to_terminal=dest is None and sys.stdout.isatty())
        if dest is None:
            _stdout_bytes(out.encode(a.encoding))
        else:
            self._write_later(inp.name, partial(write_atomic, dest, out.encode(a.encoding), fsync=a.fsync))

    def _write_later(self, where: str, write: Callable[[], object]) -> None:
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
                        yield rec.text if self.report is None else prose(rec.text, self.config.format)
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
        opts = [__version__, a.field, a.encoding, a.csv, repr(self.config)]
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
                raise InputError(BACKUP_EXISTS.format(display_path(backup_path(target, a.backup_suffix))))
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

    def __init__(
        self, run: Run, inp: Input, out: AtomicFile | ResumableFile | None, backup: Path | None = None, in_place=False
    ):
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
        names = [*self.columns, *self.added]
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
                if seen != names:
                    raise InputError("its columns differ from the first CSV file's; write them apart with -o")
                return
            self.run.stdout_columns = names
        self.writer.writerow(names)

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
        if run.report is not None:
            run.report.add(where, res, rec.fields)
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


# -- the command: fix and score ----------------------------------------------------------
def _config(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Config:
    """The run's Config, from the options (a usage error exits 2)."""
    try:
        return config_from_args(args, per_document=not (args.jsonl or args.csv))
    except UsageError as e:
        parser.error(str(e))


def check_usage(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
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


def check_outputs(inputs: list[Input], args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
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


def run_command(args: argparse.Namespace) -> int:
    """``fix`` and ``score``: find the inputs, load resources once, run, summarize."""
    parser: argparse.ArgumentParser = args.parser
    check_usage(args, parser)
    config = _config(args, parser)
    out_dir = args.output_dir if args.command == "fix" else None
    notes: list[str] = []
    inputs, missing = discover(args.paths, args.glob, out_dir, args.backup_suffix if args.in_place else None, notes)
    check_outputs(inputs, args, parser)
    if out_dir is not None and args.resume and out_dir.is_dir():
        remove_stale_temps(out_dir)

    from ..batch import restorer_for
    from ..errors import TableError

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
