"""``wordfix learn PAIRS... -o TABLE``: learn a spinner's substitutions from
spun/original pairs into a table (the learning itself is :mod:`wordfix.learn`)."""

from __future__ import annotations

import argparse
import sys

from .. import learn


def main_learn(args) -> int:
    """The ``wordfix learn`` command."""
    skipped: list[str] = []
    try:
        pairs = learn.read_pairs(args.inputs, args.format, args.spun_field, args.original_field, args.on_error, skipped)
        table = learn.from_pairs(
            pairs, min_count=args.min_count, max_phrase=args.max_phrase, label=args.label, progress=True
        )
    except learn.LearnError as e:
        print(f"wordfix learn: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print(f"wordfix learn: {e}", file=sys.stderr)
        return 2
    table.skipped = skipped
    for s in skipped:
        print(f"wordfix learn: skipped {s}", file=sys.stderr)
    if not table.rows:
        print("wordfix learn: no rule reached --min-count; nothing written", file=sys.stderr)
        return 1
    table.write(args.output)
    print(table.report(args.top), file=sys.stderr)
    return 0


def register(sub) -> None:
    """Add ``learn`` to the ``wordfix`` command's subparsers."""
    p = sub.add_parser(
        "learn",
        help="learn a spinner's substitutions from spun/original pairs into a table",
        description=(learn.__doc__ or "").split("\n")[0],
    )
    p.add_argument("inputs", nargs="+", help="files of pairs (- for stdin; .gz read as gzip)")
    p.add_argument("-o", "--output", required=True, help="the table to write (the project's TSV format)")
    p.add_argument("--format", choices=learn.FORMATS, default="auto", help="how the pairs are stored (default: auto)")
    p.add_argument("--spun-field", default="spun", help="field of the spun text in JSON records")
    p.add_argument("--original-field", default="original", help="field of the original text in JSON records")
    p.add_argument("--min-count", type=_positive, default=2, help="rewrites a rule needs (default 2)")
    p.add_argument("--max-phrase", type=_positive, default=4, help="units a side of a rule at most (default 4)")
    p.add_argument("--label", default="", help="what the pairs are, for the table header")
    p.add_argument("--top", type=int, default=20, help="rules to list in the report")
    p.add_argument(
        "--on-error", choices=("skip", "raise"), default="skip", help="a bad record: report and skip it, or stop"
    )
    p.set_defaults(func=main_learn)


def _positive(v: str) -> int:
    try:
        n = int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{v!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n
