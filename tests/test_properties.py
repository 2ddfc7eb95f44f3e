"""Property tests: any string in, consistent edits out."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rebuild import rebuilt

import wordfix

ARTIFACTS = ["Associate in Nursing", "area unit", "ne'er", "a similar", "United Nations agency", "conjointly", "once"]
WORDS = ["the", "sales", "team", "is", "very", "good", ".", ",", "\n\n", "promoting", "method", "2", "é", "🙂"]


def check(text: str) -> None:
    r = wordfix.restore(text)
    assert r.original == text
    assert rebuilt(text, r.edits) == r.text
    prev = -1
    for e in sorted(r.edits, key=lambda e: e.start):
        assert 0 <= e.start < e.end <= len(text)
        assert e.start >= prev
        assert text[e.start : e.end] == e.before
        prev = e.end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text(text):
    check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ARTIFACTS + WORDS), max_size=40).map(" ".join))
def test_artifact_soup(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("L",)), max_size=200))
def test_text_without_letters_comes_back_identical(text):
    r = wordfix.restore(text)
    assert r.text == text and r.edits == ()
