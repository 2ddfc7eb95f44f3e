"""``wordfix fix PATH...``: restore files, directories (recursively) or ``-`` (stdin):
to stdout, to a mirrored tree (``-o DIR``), or in place with a backup
(``--in-place --backup-suffix .orig``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import EXIT_STATUS, add_batch_options
from .output import DIFF_SUFFIXES, EDITS_FIELD, RESTORED_SUFFIX, SCORE_FIELD
from .run import run_command

FIX_EPILOG = f"""With --jsonl or --csv, each record is written back with three more fields:
  <field>{RESTORED_SUFFIX:<13} the restored text (e.g. text{RESTORED_SUFFIX})
  {EDITS_FIELD:<20} the edits, as in Restoration.to_dict() (a JSON string in CSV)
  {SCORE_FIELD:<20} 0 clean .. 1 heavily spun
Outputs appear complete or not at all; after an interruption, --resume finishes.

{EXIT_STATUS}"""


def register(sub) -> None:
    fx = sub.add_parser(
        "fix",
        help="restore documents: to stdout, to a directory, or in place",
        description="Restore documents. Writes to stdout unless -o or --in-place is given; "
        "never writes over an input otherwise.",
        epilog=FIX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_batch_options(fx)
    fx.add_argument(
        "--batch-prior",
        action="store_true",
        help="judge each document against the share of spun documents the input itself shows "
        "(estimated on its first 200 documents; with --resume, on those still to do) instead of "
        "--spin-prior: for a corpus that is mostly spun; never below the configured priors",
    )
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
    fx.set_defaults(func=run_command, parser=fx)
