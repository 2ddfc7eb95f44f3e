#!/usr/bin/env python3
"""Build data/synonym_maps/signatures.json: how often clean prose writes each artifact.

An artifact row of the curated table ("area unit" for "are", "Associate in Nursing" for
"an") is a wording people rarely write where its original belongs; some of them people
never write at all. This script counts, for every artifact row, how often its spun form
occurs (case-insensitive, as whole words, either apostrophe) in clean English prose:

- the original side of the SpinBot corpus's train split (English Wikipedia articles,
  ``../shared/data/spinbot/train.jsonl.gz``; never the dev split);
- the Python 3.11 documentation (Debian ``python3.11-doc``, reST sources);
- the Debian Reference (Debian ``debian-reference-en``, HTML with its tags removed).

Only the counts are written. A form that occurs nowhere in these millions of words is the
spinner's *signature*: where the language model also prefers the original in its place,
the spin evidence counts it for more (``Config.signature_gain``), so that a pasted
paragraph with one or two of them is judged spun. Forms people do write ("the foremost",
"we tend to", "wont to", "ne'er") get nothing extra.

    python scripts/build_signatures.py            # writes data/synonym_maps/signatures.json
    python scripts/build_signatures.py --check    # rebuild and compare (about a minute)
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from wordfix import tables

ROOT = Path(__file__).resolve().parents[1]
SPINBOT_TRAIN = ROOT.parent / "shared" / "data" / "spinbot" / "train.jsonl.gz"
PYDOC = Path("/usr/share/doc/python3.11/html/_sources")
DEBREF = Path("/usr/share/debian-reference")
OUT = tables.data_dir() / "signatures.json"
CURATED = tables.data_dir() / "curated.tsv"
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’]\w+)?")


def sources() -> Iterator[tuple[str, Iterator[str]]]:
    """(name, its texts) for each clean corpus; exits with a message when one is missing."""
    missing = [str(p) for p in (SPINBOT_TRAIN, PYDOC, DEBREF) if not p.exists()]
    if missing:
        sys.exit(
            "build_signatures: missing " + ", ".join(missing) + " (the SpinBot corpus in ../shared/data; "
            "Debian python3.11-doc and debian-reference-en)"
        )

    def wikipedia() -> Iterator[str]:
        with gzip.open(SPINBOT_TRAIN, "rt", encoding="utf-8") as f:
            for line in f:
                yield "\n".join(o for o, _ in json.loads(line)["pairs"])

    def pydoc() -> Iterator[str]:
        for p in sorted(PYDOC.rglob("*.rst.txt")):
            yield p.read_text(encoding="utf-8", errors="replace")

    def debref() -> Iterator[str]:
        for p in sorted(DEBREF.glob("*.en.html")):
            yield html.unescape(_TAG.sub(" ", p.read_text(encoding="utf-8", errors="replace")))

    yield "English Wikipedia (SpinBot corpus, train split, original side)", wikipedia()
    yield "Python 3.11 documentation (Debian python3.11-doc)", pydoc()
    yield "Debian Reference (Debian debian-reference-en)", debref()


def artifact_forms() -> dict[str, re.Pattern[str]]:
    """Each artifact row's spun form as the runtime keys it (its normalized words joined by
    spaces), with a pattern for the form as the table writes it."""
    out: dict[str, re.Pattern[str]] = {}
    rows = [r for r in tables.load_table(CURATED) if r.relation == "artifact"]
    by_line = {r.line: r for r in rows}
    for lineno, line in enumerate(CURATED.read_text(encoding="utf-8").splitlines(), 1):
        r = by_line.get(lineno)
        if r is None:
            continue
        form = line.split("\t")[0]
        body = r"\s+".join(re.escape(w).replace("'", "['’]") for w in form.split())
        out[" ".join(r.spun)] = re.compile(r"(?<![\w'’-])" + body + r"(?![\w'’-])", re.IGNORECASE)
    return out


def build() -> dict:
    forms = artifact_forms()
    counts = dict.fromkeys(forms, 0)
    corpora = []
    for name, texts in sources():
        words = 0
        for text in texts:
            words += len(_WORD.findall(text))
            low = text.lower()
            for key, pattern in forms.items():
                if key.split()[0].split("'")[0] in low:  # cheap pre-filter on the first word
                    counts[key] += len(pattern.findall(text))
        corpora.append({"corpus": name, "words": words})
    return {
        "about": "occurrences of each curated artifact's spun form in clean English prose "
        "(built by scripts/build_signatures.py; counts only, no text)",
        "corpora": corpora,
        "words": sum(c["words"] for c in corpora),
        "counts": dict(sorted(counts.items())),
    }


def dumps(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="rebuild and compare with the committed file")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    d = build()
    text = dumps(d)
    if args.check:
        same = args.out.read_text(encoding="utf-8") == text
        print(f"{args.out.name}: {'identical' if same else 'DIFFERS'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    never = [k for k, n in d["counts"].items() if n == 0]
    print(f"wrote {args.out}: {len(d['counts'])} artifact forms over {d['words']:,} words; {len(never)} never occur")
    return 0


if __name__ == "__main__":
    sys.exit(main())
