"""wordfix.restore(text, **options) and wordfix.detect(text, **options) reuse one
Restorer per set of options (a bounded, thread-safe LRU), instead of building and
loading one per call (issue 14)."""

from __future__ import annotations

import gc
import threading
import time

import pytest

import wordfix
from wordfix import restorer as restorer_module
from wordfix.restorer import CACHED_RESTORERS, Restorer, cached_restorer, default_restorer

SPUN = (
    "They area unit Associate in Nursing example, and it is a similar story. We ne'er ascertain those that "
    "conjointly square measure obsessed with it, however the sole metric within the finish that basically counts."
)


@pytest.fixture
def used(monkeypatch) -> list[Restorer]:
    """The Restorers wordfix.restore and wordfix.detect ran on, in order."""
    out: list[Restorer] = []
    restore, detect = Restorer.restore, Restorer.detect

    def spy_restore(self, *a, **k):
        out.append(self)
        return restore(self, *a, **k)

    def spy_detect(self, *a, **k):
        out.append(self)
        return detect(self, *a, **k)

    monkeypatch.setattr(Restorer, "restore", spy_restore)
    monkeypatch.setattr(Restorer, "detect", spy_detect)
    return out


def test_the_same_options_reuse_the_restorer_and_other_options_do_not(used):
    a = wordfix.restore(SPUN, min_confidence=0.61, protect=["Acme"])
    b = wordfix.restore(SPUN, min_confidence=0.61, protect=("Acme",))  # the same Config
    c = wordfix.restore(SPUN, min_confidence=0.62, protect=["Acme"])
    assert used[0] is used[1] and used[2] is not used[0]
    assert used[0].config.min_confidence == 0.61 and used[2].config.min_confidence == 0.62
    assert a.text == b.text == Restorer(min_confidence=0.61, protect=["Acme"]).restore(SPUN).text
    assert c.text == Restorer(min_confidence=0.62, protect=["Acme"]).restore(SPUN).text
    used.clear()
    d1, d2 = wordfix.detect(SPUN, min_confidence=0.61, protect=["Acme"]), wordfix.detect(SPUN, detect_threshold=0.7)
    assert used[0] is cached_restorer(min_confidence=0.61, protect=["Acme"]) and used[1] is not used[0]
    assert (d1.threshold, d2.threshold) == (0.5, 0.7)


def test_default_options_are_the_default_restorer(used):
    wordfix.restore(SPUN, min_confidence=wordfix.Config().min_confidence)
    wordfix.detect(SPUN)
    assert used == [default_restorer(), default_restorer()]


def test_the_cache_is_bounded_least_recently_used_first():
    first = cached_restorer(beam=11)
    for k in range(CACHED_RESTORERS - 1):
        cached_restorer(beam=12 + k)
    assert cached_restorer(beam=11) is first  # used again: now the most recent
    cached_restorer(beam=50)
    assert len(restorer_module._cached) == CACHED_RESTORERS
    assert cached_restorer(beam=11) is first
    assert cached_restorer(beam=12) is not cached_restorer(beam=12 + CACHED_RESTORERS)  # beam=12 was dropped


def test_bad_options_still_raise():
    with pytest.raises(TypeError, match="unknown option"):
        wordfix.restore(SPUN, min_confidance=0.5)
    with pytest.raises(ValueError, match="min_confidence"):
        wordfix.detect(SPUN, min_confidence=2)


def test_threads_asking_at_once_get_one_restorer(monkeypatch):
    built = []
    init = Restorer.__init__

    def slow_init(self, *a, **k):
        built.append(self)
        time.sleep(0.01)  # widen the window in which a second thread could build another
        init(self, *a, **k)

    monkeypatch.setattr(Restorer, "__init__", slow_init)
    got: list[Restorer] = []
    threads = [threading.Thread(target=lambda: got.append(cached_restorer(beam=77))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and all(r is got[0] for r in got)


def test_a_second_call_with_options_loads_nothing(used):
    wordfix.restore("warm up", lm_weight=0.55)  # builds and loads the Restorer
    # Each timing starts from a collected heap: after a whole suite the heap is large, and a
    # full collection falling due inside one of the two timed calls (the restore pauses the
    # collector and turns it back on when it ends) decided the comparison, not the reuse.
    gc.collect()
    t0 = time.perf_counter()
    wordfix.restore(SPUN, lm_weight=0.55)
    reused = time.perf_counter() - t0
    assert used[0] is used[1]
    gc.collect()
    t0 = time.perf_counter()
    Restorer(lm_weight=0.55).restore(SPUN)  # what every call with options did before
    fresh = time.perf_counter() - t0
    assert reused < fresh
