"""``wordfix apply FILE --decisions D.json``: apply exactly the accepted edits of a
review to FILE, after checking that FILE is the text that was reviewed (and that the
same options propose the same edits)."""

from __future__ import annotations

import argparse
import json
import sys

from ..files import display_path
from ..review import DecisionsError, apply_decisions
from .document import add_overwrite_options, check_output, error, read_or_fail, restorer_of, write_result
from .options import add_config_options


def register(subparsers) -> None:
    ap = subparsers.add_parser(
        "apply",
        help="apply the accepted edits of a decisions JSON to FILE",
        description="Apply exactly the accepted edits of DECISIONS (from the review page or review --interactive) "
        "to FILE. Refuses, writing nothing, if FILE is not the reviewed text or an edit does not fit it.",
    )
    ap.add_argument("file", metavar="FILE", help="the text that was reviewed")
    ap.add_argument("--decisions", "-d", required=True, metavar="JSON", help="the decisions JSON")
    ap.add_argument("-o", "--output", metavar="OUT", help="where to write the result (default: stdout)")
    ap.add_argument("--encoding", default="utf-8")
    add_overwrite_options(ap)
    add_config_options(ap, title="restoring, as for the review (the fields of wordfix.Config)")
    ap.set_defaults(func=_cmd_apply)


def _cmd_apply(args: argparse.Namespace) -> int:
    status = check_output(args, writes_text=True)
    if status is not None:
        return status
    restorer = restorer_of(args)  # a bad --table is a usage error: before anything is read
    if isinstance(restorer, int):
        return restorer
    text = read_or_fail(args.file, args.encoding)
    if text is None:
        return 1
    try:
        with open(args.decisions, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        return error(f"{display_path(args.decisions)}: {e.strerror}")
    except (ValueError, UnicodeDecodeError) as e:
        return error(f"{display_path(args.decisions)}: not a JSON file ({e}); nothing was written")
    except RecursionError:
        return error(
            f"{display_path(args.decisions)}: not a decisions file (JSON nested too deeply); nothing was written"
        )
    try:
        from ..markup import document_options

        options = document_options(text, None if args.file == "-" else args.file, args.doc_format, args.fix_encoding)
        result = apply_decisions(text, doc, restorer.restore(text, **options))
    except DecisionsError as e:
        return error(
            f"refusing to apply {display_path(args.decisions)} to {display_path(args.file)}: {e}; nothing was written"
        )
    try:
        status = write_result(args, result.text)
    except OSError as e:
        return error(f"{display_path(args.output)}: {e.strerror}")
    if status is not None:
        return status
    print(
        f"wordfix: applied {result.accepted} accepted edits ({result.rejected} rejected, "
        f"{result.undecided} undecided left as they were)",
        file=sys.stderr,
    )
    return 0
