"""Hostile text given to the restorer: str subclasses, lone surrogates, CR-only line
ends, names, long space-less runs (issue 13, items 7, 8, 15, 19). Timings are ratios on
modest sizes; the large-input figures are in benchmarks/large_input.py.
"""

from __future__ import annotations

import time

import pytest
from hostile import FAST, SPUN, restored
from hypothesis import given
from hypothesis import strategies as st
from rebuild import rebuilt

import wordfix
from wordfix.batch import restorer_for
from wordfix.tokenize import tokenize


# -- 7. str subclasses ----------------------------------------------------------------------
def test_str_subclasses_are_restored_as_str():
    class T(str):
        pass

    r = wordfix.restore(T(SPUN))
    assert r.text == restored(SPUN) and type(r.original) is str


# -- 8. lone surrogates ------------------------------------------------------------------------
@FAST
@given(st.lists(st.integers(0, len(SPUN)), min_size=1, max_size=4), st.sampled_from(["\ud800", "\udfff", "\udc80"]))
def test_lone_surrogates_are_restored_around(positions, sur):
    text = SPUN
    for p in sorted(positions, reverse=True):
        text = text[:p] + sur + text[p:]
    r = restorer_for().restore(text)
    assert r.original == text
    assert r.text.count(sur) == text.count(sur)  # kept, never edited
    assert all(sur not in e.before for e in r.edits)
    assert rebuilt(text, list(r.edits)) == r.text


# -- 15. CR line ends; names -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["Associate in Nursing\narea unit\n" * 3, SPUN + "\nSecond line with area unit here.\n\nAnd more.\n"]
)
def test_cr_only_line_ends_are_line_breaks(text):
    lf = restorer_for().restore(text)
    cr = restorer_for().restore(text.replace("\n", "\r"))
    assert cr.text == lf.text.replace("\n", "\r")
    crlf = restorer_for().restore(text.replace("\n", "\r\n"))
    assert crlf.text == lf.text.replace("\n", "\r\n")


def test_a_capitalised_artifact_inside_a_name_is_left_alone():
    r = restorer_for().restore(
        SPUN + "The United Nations agency UNICEF helps. I met Sam, United Nations agency lives here.\n"
    )
    assert "The United Nations agency UNICEF" in r.text
    assert "Sam, who lives" in r.text


# -- 19. long space-less runs are linear ------------------------------------------------------------
@FAST
@given(st.text(alphabet="ab!?.,;:- \n'", min_size=0, max_size=2000))
def test_tokenize_covers_text_with_long_runs_exactly(text):
    text = text + "!" * 700 + text
    units = tokenize(text)
    assert "".join(u.text for u in units) == text
    assert all(text[u.start : u.end] == u.text for u in units)


def test_restoring_punctuation_runs_is_linear():
    def seconds(n: int) -> float:
        s = "!?.,;:-" * n
        best = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            restorer_for().restore(s)
            best = min(best, time.perf_counter() - t)
        return best

    seconds(200)
    small, large = seconds(1_000), seconds(8_000)
    assert large / small < 20, (small, large)  # 8x the input: ~8x linear, ~64x quadratic
