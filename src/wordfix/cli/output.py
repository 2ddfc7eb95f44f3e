"""What the ``wordfix`` commands write: the fields added to records, documents and
diffs as ``fix`` prints them, JSON Lines and CSV rows, bytes and text to stdout."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..restoration import Restoration

EDITS_FIELD = "wordfix_edits"
SCORE_FIELD = "wordfix_spin_score"
RESTORED_SUFFIX = "_restored"  # the restored text goes to "<field>_restored"
DIFF_SUFFIXES = {"unified": ".diff", "inline": ".diff", "side-by-side": ".diff", "json": ".json", "html": ".html"}


# csv.writer quotes a field holding a character of its line terminator: with "\r\n" both CR
# and LF in a field are quoted (with "\n", a lone CR would be written bare and break the row).
_CSV_END = "\r\n"


def _csv_row_end(row: str, end: str) -> str:
    return row[: -len(_CSV_END)] + end if row.endswith(_CSV_END) else row


# Characters JSON may hold raw that a line splitter (Python's str.splitlines, JavaScript)
# takes for a line break: escaped, so that one record stays one line for every reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _json_line(obj: object, encoding: str, end: str = "\n") -> bytes:
    """One JSON Lines record as bytes: strict JSON (no NaN), text as it is where the
    encoding can hold it, and ``\\u`` escapes where it cannot (lone surrogates) and for
    the characters a line splitter would break the record at (U+0085, U+2028, U+2029)."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False).translate(_LINE_BREAKS)
    try:
        return (text + end).encode(encoding)
    except UnicodeEncodeError:
        return (json.dumps(obj, ensure_ascii=True, allow_nan=False) + end).encode(encoding)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _tsv_cell(v: object) -> str:
    return str(v).replace("\t", " ").replace("\n", " ")


def render(res: Restoration, a: argparse.Namespace, name: str, to_terminal: bool) -> str:
    """What ``fix`` prints for one document: the text, or a diff of it."""
    if not a.diff:
        return res.text
    if a.diff_format == "json":
        return json.dumps({"document": name, **res.to_dict()}, ensure_ascii=False) + "\n"
    if a.diff_format == "html":
        from ..diff import html_document

        return html_document(res, name)
    if a.diff_format == "unified":
        return res.diff("unified", name=name, color=to_terminal)
    width = shutil.get_terminal_size().columns if to_terminal else 100
    if a.diff_format == "inline":
        body = res.diff("inline", color=to_terminal)
    else:
        body = res.diff(a.diff_format, width=width)
    header = f"==> {name} <==\n" if len(a.paths) > 1 or Path(a.paths[0]).is_dir() else ""
    return header + body + ("" if body.endswith("\n") else "\n")


def _stdout_bytes(data: bytes) -> None:
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        sys.stdout.flush()
        buf.write(data)


def _stdout_text(text: str) -> None:
    sys.stdout.write(text)
