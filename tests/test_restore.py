"""The public API of restore(): what comes back, offsets, types, odd input."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from rebuild import rebuilt

import wordfix
from wordfix import Restoration, Restorer

SPUN = (
    "It's frustrating to ascertain once 2 those that have a similar interests ne'er become a handful. "
    "It's Associate in Nursing in progress method."
)


@pytest.fixture(scope="module")
def r() -> Restoration:
    return wordfix.restore(SPUN)


def test_issue_example_is_repaired(r):
    assert "Associate in Nursing" not in r.text
    assert "ne'er" not in r.text
    assert "never" in r.text and "an ongoing process" in r.text
    assert str(r) == r.text
    assert r.spin_score > 0.9 and r.spin_reason


def test_edits_explain_and_reproduce_the_text(r):
    assert len(r.edits) >= 4
    for e in r.edits:
        assert SPUN[e.start : e.end] == e.before
        assert e.before != e.after
        assert 0.0 <= e.confidence <= 1.0
        assert ".tsv:" in e.source
        texts = [a.text for a in e.alternatives]
        assert e.before in texts and e.after in texts
        assert abs(sum(a.probability for a in e.alternatives) - 1.0) < 0.02
    assert rebuilt(SPUN, r.edits) == r.text
    assert r.apply(range(len(r.edits))) == r.text
    assert r.apply([]) == SPUN


def test_partial_acceptance(r):
    first = r.edits[0]
    out = r.apply([0])
    assert out == SPUN[: first.start] + first.after + SPUN[first.end :]


def test_diff_formats(r):
    inline = r.diff("inline")
    assert "[-Associate in Nursing-]{+an+}" in inline
    assert r.diff().startswith("--- ")
    d = json.loads(r.diff("json"))
    assert d["schema"] == "wordfix.restoration/1" and d["text"] == r.text
    assert len(d["edits"]) == len(r.edits)
    assert "|" in r.diff("side-by-side")
    with pytest.raises(ValueError):
        r.diff("nonsense")


def test_case_is_reapplied():
    text = (
        "Associate in Nursing apple a day keeps the doctor away. They bought Associate in Nursing old house by the sea."
    )
    seed = (Path(__file__).parents[1] / "examples" / "seed_spun_article.txt").read_text(encoding="utf-8")
    out = wordfix.restore(text + "\n\n" + seed).text
    assert out.startswith("An apple")
    assert "an old house" in out


def test_bytes_are_refused_with_advice():
    with pytest.raises(TypeError, match="decode"):
        wordfix.restore(SPUN.encode())


@pytest.mark.parametrize("bad", [None, 42, ["text"], {"text": "x"}])
def test_non_text_is_refused(bad):
    with pytest.raises(TypeError, match="str"):
        wordfix.restore(bad)


def test_empty_text():
    r = wordfix.restore("")
    assert r.text == "" and r.edits == () and r.spin_score == 0.0


def test_whitespace_only_passes_through():
    for t in [" ", "\n\n\t ", "\r\n"]:
        assert wordfix.restore(t).text == t


def test_long_text_works_and_offsets_hold():
    block = SPUN + "\n\n"
    text = block * 300  # ~75k characters, several chunks with a small chunk size
    r = Restorer(chunk_chars=5_000).restore(text)
    assert rebuilt(text, r.edits) == r.text
    assert r.text.count("ongoing process") == 300
    assert all(text[e.start : e.end] == e.before for e in r.edits)


@pytest.mark.slow
def test_ten_megabytes(tmp_path):
    # clean filler: must pass through untouched, within reasonable time and memory
    para = "The committee met on Tuesday to discuss the budget for next year and agreed on most items.\n\n"
    text = para * (10_000_000 // len(para) + 1)
    r = wordfix.restore(text)
    assert len(text) > 10_000_000
    assert r.text == text


def test_config_is_immutable_and_validated():
    c = wordfix.Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.min_confidence = 0.1  # type: ignore[misc]
    with pytest.raises(ValueError):
        wordfix.Config(scorer="magic")
    with pytest.raises(TypeError):
        Restorer(no_such_option=1)
    assert Restorer(min_confidence=0.9).config.min_confidence == 0.9


def test_min_confidence_keeps_exactly_the_surer_edits(r):
    """min_confidence filters the edits by their posterior, nothing else: the edits at 0.9 and
    at 1.0 are those of the default run at or above it (some, and not all of them)."""
    for threshold in (0.9, 1.0):
        strict = Restorer(min_confidence=threshold).restore(SPUN)
        expected = [e for e in r.edits if e.confidence >= threshold]
        assert 0 < len(expected) < len(r.edits)
        assert [(e.start, e.after) for e in strict.edits] == [(e.start, e.after) for e in expected]
