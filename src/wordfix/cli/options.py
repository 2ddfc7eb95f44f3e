"""Options shared by the ``wordfix`` commands.

Every documented field of :class:`wordfix.Config` is an option of every command that
restores (``fix``, ``score``, ``review``, ``apply``), generated from the dataclass:
``min_confidence`` becomes ``--min-confidence P`` (the type from the default, the help
from the Config docstring), a boolean ``--name``/``--no-name``, a tuple a repeatable
option. Left out, an option keeps Config's default. A few keep their historical
spelling: ``--table`` (``extra_tables``, also ``--extra-tables``) and, in ``score``,
``--input-format`` (its ``--format`` is the output's).

``format`` and ``fix_encoding`` are chosen per document on the command line (by file
extension and content, :func:`wordfix.markup.document_options`) unless given.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import MISSING, dataclass, fields

from ..config import FORMATS, SCORERS, Config
from ..files import display_path

EXIT_STATUS = """exit status: 0 all documents done, 1 some failed (each is reported on stderr,
and counted in the summary), 2 usage error, 130 interrupted."""
PER_DOCUMENT = ("format", "fix_encoding")  # chosen per document unless given (see markup.document_options)
TABLE_FIELDS = ("tables", "extra_tables")
_FLAGS = {"extra_tables": ("--table", "--extra-tables")}  # historical spellings first
_DESTS = {"format": "doc_format"}  # Run and the review commands read these names
_CHOICES = {"scorer": SCORERS, "format": FORMATS}
_METAVARS = {"tables": "FILE", "extra_tables": "FILE", "protect": "PHRASE", "weak_tables": "TABLE"}
_DEFAULT_NOTES = {
    "format": "auto: by file extension, else by content; with --jsonl/--csv: text",
    "fix_encoding": "on for HTML; otherwise in text judged spun",
    "tables": "the bundled tables",
}


class UsageError(Exception):
    """Options that do not make sense together, or a value Config refuses (exit 2)."""


@dataclass(frozen=True)
class ConfigOption:
    """How one Config field appears on the command line."""

    field: str
    flags: tuple[str, ...]
    dest: str
    kind: str  # "bool", "tuple", "int", "float" or "str"
    help: str
    choices: tuple[str, ...] | None = None


def config_docs() -> dict[str, str]:
    """Each field's entry in the Config docstring (``name: text``, continued on more
    indented lines), as one line of text without reST markup."""
    docs: dict[str, list[str]] = {}
    names = {f.name for f in fields(Config)}
    current = None
    for line in (Config.__doc__ or "").splitlines():
        m = re.match(r"^    (\w+):\s+(.*)$", line)
        if m and m.group(1) in names:
            current = m.group(1)
            docs[current] = [m.group(2).strip()]
        elif current is not None and line.startswith("     ") and line.strip():
            docs[current].append(line.strip())
        else:
            current = None
    return {k: re.sub(r"``([^`]*)``", r"\1", " ".join(v)) for k, v in docs.items()}


def _kind(f) -> str:
    t = str(f.type)
    if t.startswith("tuple"):
        return "tuple"
    if t.startswith("bool"):  # also "bool | None": None is the default's own meaning
        return "bool"
    default = f.default if f.default is not MISSING else None
    return type(default).__name__ if isinstance(default, (bool, int, float, str)) else "str"


def config_options(format_flag: str = "--format") -> list[ConfigOption]:
    """The command-line options of the documented Config fields, in Config's order."""
    docs = config_docs()
    out = []
    for f in fields(Config):
        if f.name not in docs:
            continue
        flags = _FLAGS.get(f.name, ("--" + f.name.replace("_", "-"),))
        if f.name == "format":
            flags = (format_flag,)
        kind = _kind(f)
        note = _DEFAULT_NOTES.get(f.name)
        if note is None:
            d = f.default
            note = ("on" if d else "off") if kind == "bool" else ("none" if d == () else str(d))
        doc = docs[f.name]
        if f.name in _DEFAULT_NOTES:  # the command line's default is not Config's: say only the former
            doc = doc.replace(" (default)", "")
        help_text = f"{doc} (default: {note})".replace("%", "%%")
        if kind == "tuple":
            help_text = help_text[:-1] + "; repeatable)"
        out.append(ConfigOption(f.name, flags, _DESTS.get(f.name, f.name), kind, help_text, _CHOICES.get(f.name)))
    return out


def add_config_options(p: argparse.ArgumentParser, format_flag: str = "--format", title: str | None = None) -> None:
    """Add an option for each documented Config field to ``p`` (all default to None:
    Config's own default)."""
    g = p.add_argument_group(title or "restoring (the fields of wordfix.Config)")
    for o in config_options(format_flag):
        kw: dict = {"dest": o.dest, "default": None, "help": o.help}
        if o.kind == "bool":
            kw["action"] = argparse.BooleanOptionalAction
        elif o.kind == "tuple":
            kw.update(action="append", metavar=_METAVARS.get(o.field, "VALUE"))
        elif o.choices is not None:
            kw["choices"] = list(o.choices)
        else:
            kw.update(
                type={"int": int, "float": float}.get(o.kind, str), metavar={"int": "N", "float": "X"}.get(o.kind, "S")
            )
        g.add_argument(*o.flags, **kw)


def config_values(args: argparse.Namespace, skip: tuple[str, ...] = ()) -> dict:
    """The Config fields given on the command line, as Config keyword arguments."""
    out = {}
    for o in config_options():
        value = getattr(args, o.dest, None)
        if value is None or o.field in skip:
            continue
        out[o.field] = tuple(value) if o.kind == "tuple" else value
    return out


def check_tables(paths: tuple[str, ...], flag: str) -> None:
    for t in paths:
        if os.path.isdir(t):
            raise UsageError(f"{flag} {display_path(t)}: is a directory; name the table file (a .tsv) instead")
        if not os.path.exists(t):
            raise UsageError(f"{flag} {display_path(t)}: no such table file")


def config_from_args(args: argparse.Namespace, per_document: bool = True) -> Config:
    """The Config of a command's options. ``per_document``: ``format`` and
    ``fix_encoding`` are left to each document (whole files); otherwise (records) they
    are one for all: the given format or text, ftfy on for HTML unless said."""
    values = config_values(args, skip=PER_DOCUMENT)
    check_tables(values.get("extra_tables", ()), "--table")
    check_tables(values.get("tables", ()), "--tables")
    if values.get("scorer") == "neural":
        from ..neural import INSTALL_HINT, missing_backend

        missing = missing_backend()
        if missing:
            raise UsageError(
                f"--scorer neural needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                f"not installed; {INSTALL_HINT}"
            )
    if not per_document:
        fmt = getattr(args, "doc_format", None) or "text"
        fix = getattr(args, "fix_encoding", None)
        values["format"] = fmt
        values["fix_encoding"] = fix if fix is not None else (True if fmt == "html" else None)
    try:
        return Config(**values)
    except ValueError as e:
        raise UsageError(str(e)) from None


def add_batch_options(p: argparse.ArgumentParser, format_flag: str = "--format") -> None:
    """The options of the batch commands (``fix``, ``score``): inputs, restoring, running."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (searched recursively) or - for stdin")
    g = p.add_argument_group("input")
    g.add_argument("--encoding", default="utf-8", help="text encoding of the inputs and outputs (default utf-8)")
    g.add_argument(
        "--glob",
        default="*",
        metavar="PATTERN",
        help="in directories, only files whose name matches (e.g. '*.txt'; default all non-hidden files)",
    )
    fmt = g.add_mutually_exclusive_group()
    fmt.add_argument("--jsonl", action="store_true", help="each input line is a JSON object; restore its --field")
    fmt.add_argument("--csv", action="store_true", help="each input row is a CSV record; restore its --column")
    g.add_argument(
        "--field",
        "--column",
        dest="field",
        default=None,
        metavar="NAME",
        help="the field (JSONL) or column (CSV) holding the text (default: text)",
    )
    g.add_argument(
        "--on-error",
        choices=["skip", "fail"],
        default="skip",
        help="a document or line that cannot be read or restored is reported and skipped (default), "
        "or stops the run (fail); either way the exit code is 1",
    )
    add_config_options(p, format_flag)
    x = p.add_argument_group("running")
    x.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (0 or -1: all CPUs)")
    x.add_argument("--batch-size", type=int, default=16, metavar="N", help="documents sent to a worker at a time")
    x.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only when stderr is a terminal)",
    )
    x.add_argument("-q", "--quiet", action="store_true", help="no summary (errors are still reported)")
