"""``wordfix score PATH...``: one spin score per document, as TSV or JSON, for screening."""

from __future__ import annotations

import argparse

from .options import EXIT_STATUS, add_batch_options
from .run import run_command


def register(sub) -> None:
    sc = sub.add_parser(
        "score",
        help="a spin score per document, for screening",
        description="Print one spin score per document (0 clean .. 1 heavily spun).",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_batch_options(sc, format_flag="--input-format")  # score's --format is its output's
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
        func=run_command,
        parser=sc,
        in_place=False,
        output_dir=None,
        resume=False,
        diff=False,
        fsync=True,
        backup_suffix=None,
        force=False,
    )
