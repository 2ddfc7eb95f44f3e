"""Real and constructed cases kept as data (ftfy style), one test per case.

- in-the-wild.json: sentences of the real 2016 spun blog post with their
  reconstructed original; ``fixed`` may give alternatives as {a|b}. They are
  in-sample (``"in_sample": true``): curated rows were fitted to that article, so they
  pin behaviour down; quality on unseen real text is measured by benchmarks/real.py.
- synthetic.json: constructed spun sentences with the original they came from.
- negative.json: clean text that must come back byte for byte.
- known-failures.json: cases wordfix does not restore yet (expected to fail; a
  case that starts passing fails the suite so it gets moved).

A spun case may name a ``context``: a document (path from the repository root) that
contains it. The whole document is restored, as a user would restore the article,
and the case's sentence is read back from the result: how spun a text looks is
judged on the document, not on one sentence.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from yardstick import expansions  # benchmarks/yardstick.py (pythonpath in pyproject.toml)

import wordfix

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "test-cases"


def load(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@cache
def restored_document(path: str) -> wordfix.Restoration:
    return wordfix.restore((ROOT / path).read_text(encoding="utf-8"))


def restore_case(case: dict) -> str:
    """The case's text restored, alone or inside its context document."""
    if "context" not in case:
        return wordfix.restore(case["original"]).text
    r = restored_document(case["context"])
    start = r.original.index(case["original"])
    end = start + len(case["original"])
    inside = [e for e in r.edits if start <= e.start and e.end <= end]
    assert not [e for e in r.edits if e.start < end and e.end > start and e not in inside], "an edit crosses the case"
    return wordfix.apply_edits(
        case["original"], [e.__class__(e.start - start, e.end - start, *_rest(e)) for e in inside]
    )


def _rest(e):
    return e.before, e.after, e.confidence, e.source, e.alternatives


def restored_as_expected(case: dict) -> tuple[bool, str]:
    out = restore_case(case)
    return any(out == exp for exp in expansions(case["fixed"])), out


@pytest.mark.parametrize("case", load("in-the-wild.json") + load("synthetic.json"), ids=lambda c: c["label"])
def test_restores(case):
    ok, out = restored_as_expected(case)
    assert ok, f"\n  got:      {out}\n  expected: {case['fixed']}"


@pytest.mark.parametrize("case", load("negative.json"), ids=lambda c: c["label"])
def test_clean_text_unchanged(case):
    r = wordfix.restore(case["original"])
    assert r.text == case["original"]
    assert r.edits == ()


def test_clean_cases_together_unchanged():
    text = "\n\n".join(c["original"] for c in load("negative.json"))
    assert wordfix.restore(text).text == text


@pytest.mark.parametrize("case", load("known-failures.json"), ids=lambda c: c["label"])
def test_known_failures_still_fail(case):
    ok, out = restored_as_expected(case)
    if ok:
        pytest.fail(f"known failure now passes, move it to {case.get('moved_from', 'its file')}: {case['label']}")
