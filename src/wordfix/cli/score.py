"""``wordfix score PATH...``: one spin score per document, as TSV or JSON, for screening.

Each document (or record) is judged with :func:`wordfix.detect` (tokenize, match,
candidates, the document's spin estimate; nothing is restored): ``spin_score`` is the
calibrated posterior probability that it is spinner output, ``spun`` whether it reaches
``Config.detect_threshold`` (``--detect-threshold``), ``rate`` the estimated share of
words the spinner replaced; JSON adds the strongest evidence spans.
"""

from __future__ import annotations

import argparse
import json

from .options import EXIT_STATUS, add_batch_options
from .output import _stdout_text, _tsv_cell
from .run import run_command

COLUMNS = ("document", "spin_score", "spun", "rate", "words", "reason")  # the TSV's; JSON adds "evidence"


class ScoreReport:
    """The rows of one ``score`` run: printed as they come (``--sort none``), or at the end."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rows: list[dict] = []
        self.header_done = False
        self.n_spun = 0

    def add(self, where: str, det, fields: dict | None = None) -> None:
        """One document's :class:`~wordfix.Detection` (``fields``: its record's, for ``--id-field``)."""
        a = self.args
        self.n_spun += det.spun
        if a.min_score is not None and det.probability < a.min_score:
            return
        doc = where
        if fields is not None and a.id_field and a.id_field in fields:
            doc = str(fields[a.id_field])
        row = {
            "document": doc,
            "spin_score": round(det.probability, 4),
            "spun": det.spun,
            "rate": round(det.rate, 4),
            "words": det.words,
            "reason": det.reason,
        }
        if a.format != "tsv":
            # the spun words, the original they read better as, and how much (offsets are left out:
            # in HTML and Markdown they would count in the prose, not in the file)
            row["evidence"] = [{"spun": e.spun, "original": e.original, "log_ratio": e.log_ratio} for e in det.evidence]
        if a.sort == "none" and a.format != "json":
            self._print(row)
        else:
            self.rows.append(row)

    def _print(self, row: dict) -> None:
        if self.args.format == "tsv":
            if not self.header_done:
                self.header_done = True
                if self.args.header:
                    _stdout_text("\t".join(COLUMNS) + "\n")
            cells = (("yes" if v else "no") if isinstance(v, bool) else v for v in (row[c] for c in COLUMNS))
            _stdout_text("\t".join(_tsv_cell(v) for v in cells) + "\n")
        else:
            _stdout_text(json.dumps(row, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """The run is over: the sorted rows, or the JSON array."""
        a = self.args
        rows = self.rows
        if a.sort == "score":
            rows.sort(key=lambda r: (-r["spin_score"], r["document"]))
        elif a.sort == "document":
            rows.sort(key=lambda r: r["document"])
        if a.format == "json":
            _stdout_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            for r in rows:
                self._print(r)


def register(sub) -> None:
    sc = sub.add_parser(
        "score",
        help="a spin score per document, for screening",
        description="Print one spin score per document: the calibrated probability that it is spinner "
        "output (wordfix.detect; nothing is restored), and whether it reaches --detect-threshold.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_batch_options(sc, format_flag="--input-format")  # score's --format is its output's
    o = sc.add_argument_group("output")
    o.add_argument(
        "--format",
        choices=["tsv", "json", "jsonl"],
        default="tsv",
        help="tsv (default, columns document, spin_score, spun, rate, words, reason), "
        "jsonl (an object a line) or json (one array; both add the evidence spans)",
    )
    o.add_argument("--min-score", type=float, metavar="S", help="only documents whose spin_score is at least S")
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
        report=ScoreReport,
    )
