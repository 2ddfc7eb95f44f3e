"""Every row of curated.tsv carries an example (its ``example`` column): a sentence as an
author would write it, with the row's original in [brackets]. From it come two texts:

- the clean sentence (brackets dropped) must come back from ``wordfix.restore`` byte for
  byte, with no edit;
- the spun sentence (the original replaced by the row's spun phrase) must make the row
  fire: ``Restorer.candidates`` gives a span over exactly the spun phrase with the row's
  original among its options;
- with ``assume_spun=True`` the spun sentence must be restored to the clean one.

The examples were written first and the outcomes recorded after: rows whose example does
not pass yet are listed in test-cases/curated-examples-known-failures.json with what
happens now, and the test checks they still fail exactly that way (a row that starts
passing, or fails differently, fails the suite until the list is updated). Update the
list, and print the counts, with::

    PYTHONPATH=src python tests/test_curated_examples.py [--update]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import wordfix
from wordfix.restorer import default_restorer
from wordfix.tables import data_dir, example_sentences, load_table

TABLE = data_dir() / "curated.tsv"
FAILURES = Path(__file__).parent / "test-cases" / "curated-examples-known-failures.json"


def _examples() -> list[dict]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    out = []
    for row in load_table(TABLE):
        spun = lines[row.line - 1].split("\t")[0].strip()  # as written (Row.spun is normalized)
        clean, spun_text, start, end = example_sentences(row.example, spun, row.original) if row.example else ("",) * 4
        out.append(
            {
                "row": row.source,
                "key": f"{spun} -> {row.original}",
                "original": row.original,
                "example": row.example,
                "clean": clean,
                "spun": spun_text,
                "start": start,
                "end": end,
            }
        )
    return out


EXAMPLES = _examples()
IDS = [e["key"] for e in EXAMPLES]


def _failures() -> dict[tuple[str, str], dict]:
    data = json.loads(FAILURES.read_text(encoding="utf-8"))
    return {(f["check"], f["key"]): f for f in data["failures"]}


def restorer() -> wordfix.Restorer:
    """The Restorer ``wordfix.restore`` uses (default options), shared with the other tests."""
    return default_restorer()


def fires(ex: dict) -> str:
    """'yes', or how the row fails to fire in its spun example."""
    spans = [s for s in restorer().candidates(ex["spun"]) if (s[0], s[1]) == (ex["start"], ex["end"])]
    if not spans:
        return "no span over the spun phrase"
    if not any(o.casefold() == ex["original"].casefold() for s in spans for o in s[3]):
        return "a span over the spun phrase without the original among its options"
    return "yes"


def restored(ex: dict) -> str:
    return wordfix.restore(ex["spun"], assume_spun=True).text


def test_every_curated_row_has_an_example():
    assert len(EXAMPLES) >= 180
    assert [e["row"] for e in EXAMPLES if not e["example"]] == []
    assert len({e["clean"] for e in EXAMPLES}) == len(EXAMPLES), "each row has its own sentence"


@pytest.mark.parametrize("ex", EXAMPLES, ids=IDS)
def test_clean_example_unchanged(ex):
    r = wordfix.restore(ex["clean"])
    assert (r.text, r.edits) == (ex["clean"], ())


def test_clean_examples_together_unchanged():
    text = "\n\n".join(e["clean"] for e in EXAMPLES)
    r = wordfix.restore(text)
    assert r.text == text, [(e.before, e.after) for e in r.edits]


@pytest.mark.parametrize("ex", EXAMPLES, ids=IDS)
def test_row_fires_in_its_spun_example(ex):
    known = _failures().get(("candidates", ex["key"]))
    got = fires(ex)
    if known is None:
        assert got == "yes", f"{ex['row']}: {got} in {ex['spun']!r}"
    else:
        assert known["spun"] == ex["spun"], "the example changed: rerun this file with --update"
        assert got == known["currently"], f"known failure changed (now: {got}); rerun this file with --update"


@pytest.mark.parametrize("ex", EXAMPLES, ids=IDS)
def test_spun_example_restored_with_assume_spun(ex):
    known = _failures().get(("assume_spun", ex["key"]))
    got = restored(ex)
    if known is None:
        assert got == ex["clean"]
    else:
        assert known["spun"] == ex["spun"], "the example changed: rerun this file with --update"
        assert got == known["currently"], "known failure changed: rerun this file with --update"


def test_known_failures_name_curated_rows():
    keys = {e["key"] for e in EXAMPLES}
    assert [k for _, k in _failures() if k not in keys] == []


def main(argv: list[str]) -> int:
    """Print how the examples fare; with --update, rewrite the known-failures list."""
    failures = []
    counts = {"clean": 0, "fires": 0, "assume_spun": 0, "span": 0, "default": 0}
    for ex in EXAMPLES:
        r = restorer().restore(ex["clean"])
        counts["clean"] += (r.text, r.edits) == (ex["clean"], ())
        got = fires(ex)
        counts["fires"] += got == "yes"
        if got != "yes":
            failures.append(
                {"check": "candidates", "key": ex["key"], "row": ex["row"], "spun": ex["spun"], "currently": got}
            )
        res = wordfix.restore(ex["spun"], assume_spun=True)
        span = any(
            (e.start, e.end, e.after.casefold()) == (ex["start"], ex["end"], ex["original"].casefold())
            for e in res.edits
        )
        counts["span"] += span
        counts["assume_spun"] += res.text == ex["clean"]
        if res.text != ex["clean"]:
            failures.append(
                {
                    "check": "assume_spun",
                    "key": ex["key"],
                    "row": ex["row"],
                    "spun": ex["spun"],
                    "expected": ex["clean"],
                    "currently": res.text,
                    "span_restored": span,
                }
            )
        counts["default"] += restorer().restore(ex["spun"]).text == ex["clean"]
    doc = "\n\n".join(e["spun"] for e in EXAMPLES)
    together = restorer().restore(doc).text.split("\n\n")
    counts["default_together"] = sum(t == e["clean"] for t, e in zip(together, EXAMPLES, strict=True))
    n = len(EXAMPLES)
    print(
        f"{n} examples: clean unchanged {counts['clean']}; row fires {counts['fires']}; "
        f"restored with assume_spun {counts['assume_spun']} (the span itself {counts['span']}); "
        f"restored by default {counts['default']} one by one, {counts['default_together']} as one document"
    )
    if "--update" in argv:
        notes = {k: f["note"] for k, f in _failures().items() if "note" in f} if FAILURES.exists() else {}
        for f in failures:  # a note (why it fails) is kept while the failure stays
            if (f["check"], f["key"]) in notes:
                f["note"] = notes[(f["check"], f["key"])]
        data = {
            "comment": (
                "curated rows whose example (curated.tsv's example column) does not pass yet, with what "
                "happens now; written by tests/test_curated_examples.py --update, checked by its tests"
            ),
            "failures": failures,
        }
        FAILURES.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(failures)} failures to {FAILURES.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
