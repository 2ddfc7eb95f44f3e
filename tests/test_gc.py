"""The garbage collector around restoring (issue 14): paused while a text is restored or
detected, back on afterwards (also after an error, and only if it was on), and nothing
of the host's is frozen by loading the tables."""

from __future__ import annotations

import gc
import threading

import pytest

import wordfix
from wordfix.restorer import Restorer

SPUN = "They area unit Associate in Nursing example, and it is a similar story."


@pytest.fixture
def restorer() -> Restorer:
    return Restorer(beam=5)  # its own index load below


def test_loading_the_tables_freezes_nothing(restorer):
    before = gc.get_freeze_count()
    _ = restorer.index
    assert gc.get_freeze_count() == before


def test_paused_while_restoring_and_on_again_after(restorer, monkeypatch):
    seen = []
    inner = Restorer._restore

    def spy(self, text):
        seen.append(gc.isenabled())
        return inner(self, text)

    monkeypatch.setattr(Restorer, "_restore", spy)
    assert gc.isenabled()
    restorer.restore(SPUN)
    assert seen == [False] and gc.isenabled()


def test_on_again_after_an_error_and_left_off_if_it_was_off(restorer, monkeypatch):
    def boom(self, text):
        raise RuntimeError("boom")

    monkeypatch.setattr(Restorer, "_restore", boom)
    with pytest.raises(RuntimeError):
        restorer.restore(SPUN)
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(RuntimeError):
            restorer.restore(SPUN)
        assert not gc.isenabled()  # the host's choice is kept
    finally:
        gc.enable()


def test_threads_restoring_together_end_with_gc_on():
    errors = []

    def work():
        try:
            for _ in range(3):
                wordfix.restore(SPUN)
                wordfix.detect(SPUN)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and gc.isenabled()
