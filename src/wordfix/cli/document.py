"""What the single-document commands (``review``, ``apply``) share: reading FILE,
usage checks, and writing the result through :mod:`wordfix.files` (atomic; a backup
first when the output is the input file, as ``fix --in-place`` does)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..files import RefusedWrite, display_path, replace_with_backup, same_file, write_atomic
from .options import UsageError, config_from_args


def add_overwrite_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backup-suffix",
        metavar="SUFFIX",
        help="when -o is the input file: keep the original as FILE+SUFFIX first (required then, as in fix --in-place)",
    )
    p.add_argument("--force", action="store_true", help="with --backup-suffix: replace a read-only input too")


def error(message: str) -> int:
    """Report a failure of the run (exit code 1)."""
    print(f"wordfix: {message}", file=sys.stderr)
    return 1


def usage(message: str) -> int:
    """Report a wrong combination of options (exit code 2, as argparse does)."""
    print(f"wordfix: {message}", file=sys.stderr)
    return 2


def read_text(path: str, encoding: str = "utf-8") -> str:
    """A file's text exactly as it is (no newline translation), or stdin for ``-``."""
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding=encoding, newline="") as f:
        return f.read()


def write_text(path: str | None, text: str, encoding: str = "utf-8") -> None:
    """Write to ``path`` atomically (a temporary file renamed over it), or to stdout.
    A file that exists keeps its mode."""
    data = text.encode(encoding)
    if path is None or path == "-":
        sys.stdout.flush()
        buf = getattr(sys.stdout, "buffer", None)
        if buf is None:
            sys.stdout.write(text)
        else:
            buf.write(data)
        sys.stdout.flush()
        return
    target = Path(path)
    write_atomic(target, data, mode=_file_mode(target))


def _file_mode(target: Path) -> int | None:
    """The mode a file written in place of ``target`` should have: the old file's, or
    (None) what ``open`` would give a new one."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


def write_result(args: argparse.Namespace, text: str) -> int | None:
    """Write the reviewed or applied text to ``args.output``: the one rule of ``fix
    --in-place`` when that is the input file (a backup first, ``--backup-suffix``
    required). Returns an exit code on failure, None when written."""
    out = args.output
    if out and out != "-" and args.file != "-" and same_file(out, args.file):
        try:
            replace_with_backup(
                Path(out), args.backup_suffix, text.encode(args.encoding), force=args.force, resume_hint=False
            )
        except RefusedWrite as e:
            return error(f"{display_path(out)}: not replaced: {e}; nothing was written")
        return None
    write_text(out, text, args.encoding)
    return None


def check_output(args: argparse.Namespace, writes_text: bool) -> int | None:
    """Usage checks shared by review and apply: a known --encoding; writing over the
    input needs a backup."""
    import codecs

    try:
        codecs.lookup(args.encoding)
    except LookupError:
        return usage(f"--encoding {args.encoding!r}: no such encoding (e.g. utf-8, latin-1, cp1252, utf-16)")
    out = args.output
    over_input = writes_text and out and out != "-" and args.file != "-" and same_file(out, args.file)
    if over_input and not args.backup_suffix:
        return usage(
            f"-o {display_path(out)} is the input file: pass --backup-suffix SUFFIX (e.g. .orig) to keep the "
            "original, as fix --in-place does (wordfix never overwrites a file without keeping the original)"
        )
    if args.backup_suffix and not over_input:
        return usage("--backup-suffix only makes sense when -o names the input file")
    if args.backup_suffix and "/" in args.backup_suffix:
        return usage("--backup-suffix must not contain '/'")
    return None


def restorer_of(args: argparse.Namespace):
    """The Restorer for the command's Config options (``format`` and ``fix_encoding``
    are per document), or an exit code (2) for a bad option or table."""
    from ..errors import TableError
    from ..restorer import Restorer

    try:
        r = Restorer(config_from_args(args, per_document=True))
    except UsageError as e:
        return usage(str(e))
    try:
        r.warm_up()
    except TableError as e:
        return usage(str(e))
    return r


def read_or_fail(path: str, encoding: str) -> str | None:
    try:
        return read_text(path, encoding)
    except LookupError:
        error(f"--encoding {encoding!r}: no such encoding")
    except UnicodeDecodeError as e:
        error(f"{display_path(path)}: not {encoding} text ({e.reason}); try --encoding")
    except OSError as e:
        error(f"{display_path(path)}: {e.strerror}")
    return None
