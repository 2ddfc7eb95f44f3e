"""``wordfix review FILE``: restore FILE and let an editor accept or reject each edit,
on a self-contained HTML page (default) or in the terminal (``--interactive``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import __version__
from ..files import display_path, same_file
from ..review import ACCEPT, apply_review, build_page, decisions_document, interactive_review, proposals
from .document import (
    add_overwrite_options,
    check_output,
    error,
    read_or_fail,
    restorer_of,
    usage,
    write_result,
    write_text,
)
from .options import add_config_options


def register(subparsers) -> None:
    rv = subparsers.add_parser(
        "review",
        help="review the proposed edits: an HTML page, or --interactive in the terminal",
        description="Restore FILE and let an editor accept or reject each edit: write a self-contained HTML "
        "review page (default), or ask edit by edit in the terminal (--interactive).",
    )
    rv.add_argument("file", metavar="FILE", help="the text to restore and review (- for stdin, page only)")
    rv.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="where to write the page (or, with --interactive, the reviewed text); default: stdout",
    )
    rv.add_argument("--interactive", "-i", action="store_true", help="review in the terminal, like git add -p")
    rv.add_argument("--decisions-out", metavar="JSON", help="with --interactive: also write the decisions JSON here")
    rv.add_argument("--title", help="the page's title (default: the file name)")
    rv.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colours in --interactive mode (auto: when the prompts go to a terminal and NO_COLOR is unset)",
    )
    rv.add_argument("--encoding", default="utf-8")
    add_overwrite_options(rv)
    add_config_options(rv)
    rv.set_defaults(func=_cmd_review)


def _cmd_review(args: argparse.Namespace) -> int:
    if args.interactive and args.file == "-":
        return usage("review --interactive reads its answers from stdin, so FILE cannot be -")
    if args.decisions_out and not args.interactive:
        return usage("--decisions-out goes with --interactive (the page exports its own decisions)")
    if not args.interactive and not args.output and sys.stdout.isatty():
        return usage("the review page is HTML: write it to a file with -o review.html (or redirect stdout)")
    status = check_output(args, writes_text=args.interactive)
    if status is None and not args.interactive and args.output and same_file(args.output, args.file):
        status = usage(f"-o {display_path(args.output)} is the input file: write the review page elsewhere")
    if status is not None:
        return status
    text = read_or_fail(args.file, args.encoding)
    if text is None:
        return 1
    from ..markup import document_options

    restorer = restorer_of(args)
    if isinstance(restorer, int):
        return restorer
    options = document_options(text, None if args.file == "-" else args.file, args.doc_format, args.fix_encoding)
    r = restorer.restore(text, **options)
    name = "stdin" if args.file == "-" else display_path(Path(args.file).name)
    try:
        if not args.interactive:
            write_text(args.output, build_page(r, name=name, title=args.title))
            return 0
        # The prompts go where the result does not: stdout when the result goes to a file.
        ui = sys.stdout if args.output and args.output != "-" else sys.stderr
        color = args.color == "always" or (args.color == "auto" and ui.isatty() and not os.environ.get("NO_COLOR"))
        if not proposals(r):
            ui.write("No edits to review.\n")
        elif r.withheld:
            ui.write(f"wordfix: {r.hint.split('; use')[0]}; they are shown too, marked withheld.\n")
        decisions = interactive_review(r, sys.stdin, ui, color=color)
        accepted = sum(d.decision == ACCEPT for d in decisions)
        if proposals(r):
            ui.write(f"Accepted {accepted} of {len(decisions)} edits.\n")
        ui.flush()
        if args.decisions_out:
            doc = decisions_document(r, decisions, name=name, tool=f"wordfix {__version__} review --interactive")
            write_text(args.decisions_out, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return write_result(args, apply_review(r, decisions)) or 0
    except OSError as e:
        return error(f"{display_path(e.filename or args.output)}: {e.strerror}")
