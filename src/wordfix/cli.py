"""The ``wordfix`` command (also ``python -m wordfix``).

Subcommands live beside the code they drive: ``fix`` and ``score`` here, ``review``
and ``apply`` in ``review.py`` (registered through ``register(subparsers)``).
Exit codes: 0 ok, 1 some documents failed, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__


def _cmd_fix(args: argparse.Namespace) -> int:
    from .restorer import Restorer

    r = Restorer(extra_tables=tuple(args.table or ()), protect=tuple(args.protect or ()))
    status = 0
    for path in args.files:
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding=args.encoding).read()
        except UnicodeDecodeError as e:
            print(f"wordfix: {path}: not {args.encoding} text ({e.reason}); try --encoding", file=sys.stderr)
            status = 1
            continue
        except OSError as e:
            print(f"wordfix: {path}: {e.strerror}", file=sys.stderr)
            status = 1
            continue
        res = r.restore(text)
        sys.stdout.write(res.diff(args.diff_format) if args.diff else res.text)
    return status


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="wordfix", description="Restore spun text and explain every edit.")
    ap.add_argument("--version", action="version", version=f"wordfix {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fix", help="restore files (or - for stdin) and print the result")
    fx.add_argument("files", nargs="+")
    fx.add_argument("--diff", action="store_true", help="print the diff instead of the text")
    fx.add_argument("--diff-format", default="unified", choices=["unified", "inline", "side-by-side", "json"])
    fx.add_argument("--encoding", default="utf-8")
    fx.add_argument("--table", action="append", help="an extra table file (repeatable)")
    fx.add_argument("--protect", action="append", help="a word or phrase never to edit (repeatable)")
    fx.set_defaults(func=_cmd_fix)
    try:
        from . import review
    except ImportError:
        review = None
    if review is not None and hasattr(review, "register"):
        review.register(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
