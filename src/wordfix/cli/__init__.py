"""The ``wordfix`` command (also ``python -m wordfix``): one module per command.

``wordfix fix PATH...``   restore files, directories (recursively) or ``-`` (stdin):
                          to stdout, to a mirrored tree (``-o DIR``), or in place
                          with a backup (``--in-place --backup-suffix .orig``).  fix.py
``wordfix score PATH...`` one spin score per document, as TSV or JSON.            score.py
``wordfix review FILE``   the proposed edits on an HTML page or in the terminal.  review.py
``wordfix apply FILE``    apply a review's accepted edits.                        apply.py
``wordfix learn PAIRS``   learn a spinner's table from spun/original pairs.       learn.py

Shared: options.py (the options of every command that restores, generated from
:class:`wordfix.Config`), inputs.py (input discovery, JSONL/CSV record streaming),
run.py (one ``fix``/``score`` run: restoring in order, writing, reporting), output.py
(what is written), document.py (reading and writing one document for review/apply).

With ``--jsonl``/``--csv`` every line (row) is a document: the text is read from
``--field``/``--column`` and the record is written back with three more fields,
``<field>_restored``, ``wordfix_edits`` and ``wordfix_spin_score``.

Every file written appears complete or not at all (temp file in the same directory,
fsync, ``os.replace``: see ``files.py``); an interrupted run leaves no partial outputs and
``--resume`` finishes it (record files written with ``-o`` go on from their last
checkpoint). Documents longer than ``run.STREAM_BYTES`` are streamed through the chunker.
Exit codes: 0 ok, 1 some documents failed (each is reported on stderr and counted in
the summary), 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence

from .. import __version__
from ..files import TMP_MARK, AtomicFile, write_atomic
from . import apply, fix, learn, review, score
from .inputs import Input, InputError, Record, csv_records, decode, discover, jsonl_records, read_document
from .run import RecordSink, Run, run_command

__all__ = [
    "TMP_MARK",
    "AtomicFile",
    "Input",
    "InputError",
    "Record",
    "RecordSink",
    "Run",
    "build_parser",
    "csv_records",
    "decode",
    "discover",
    "jsonl_records",
    "main",
    "read_document",
    "run_command",
    "write_atomic",
]

COMMANDS = (fix, score, review, apply, learn)  # each module's register(subparsers) adds its command


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="wordfix", description="Restore spun text and explain every edit.")
    ap.add_argument("--version", action="version", version=f"wordfix {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
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
