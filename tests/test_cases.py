"""Real and constructed cases kept as data (ftfy style), one test per case.

- in-the-wild.json: sentences of the real 2016 spun blog post with their
  reconstructed original; ``fixed`` may give alternatives as {a|b}.
- synthetic.json: constructed spun sentences with the original they came from.
- negative.json: clean text that must come back byte for byte.
- known-failures.json: cases wordfix does not restore yet (expected to fail; a
  case that starts passing fails the suite so it gets moved).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wordfix
from wordfix.evaluate import expansions

CASES = Path(__file__).parent / "test-cases"


def load(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def restored_as_expected(case: dict) -> tuple[bool, str]:
    out = wordfix.restore(case["original"]).text
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


@pytest.mark.parametrize("case", load("known-failures.json"), ids=lambda c: c["label"])
def test_known_failures_still_fail(case):
    ok, out = restored_as_expected(case)
    if ok:
        pytest.fail(f"known failure now passes, move it to {case.get('moved_from', 'its file')}: {case['label']}")
