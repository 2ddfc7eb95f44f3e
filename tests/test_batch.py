"""wordfix.restore_many: order, parallel results, per-text errors, lazy bounded input."""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path

import pytest

import wordfix
from wordfix.batch import (
    IN_FLIGHT_PER_PROCESS,
    RestoreError,
    resolve_processes,
    restore_many,
    restorer_for,
)

SPUN = [
    "They area unit Associate in Nursing example of spun text.",
    "It is a similar story, and that they area unit tired.",
    "Plain sentence number {i} with nothing to repair.",
    "We have a similar goals and a similar interests, number {i}.",
]


def corpus(n: int) -> list[str]:
    return [SPUN[i % len(SPUN)].format(i=i) for i in range(n)]


@pytest.fixture(scope="module")
def restorer() -> wordfix.Restorer:
    # Loaded once in this process; forked pool workers inherit it.
    return restorer_for()


def test_in_process_results_match_restore_in_input_order(restorer):
    texts = corpus(12)
    out = list(wordfix.restore_many(texts, batch_size=5))
    assert [r.original for r in out] == texts
    assert [r.text for r in out] == [restorer.restore(t).text for t in texts]
    assert out[0].text != texts[0], "the spun example must be repaired"


def test_two_processes_give_the_same_results_in_order(restorer):
    texts = corpus(30)
    out = list(wordfix.restore_many(texts, n_process=2, batch_size=3))
    assert [r.original for r in out] == texts
    assert [r.text for r in out] == [restorer.restore(t).text for t in texts]
    assert [r.spin_score for r in out] == [restorer.restore(t).spin_score for t in texts]


@pytest.mark.parametrize("n_process", [1, 2])
def test_given_restorers_options_are_used(n_process):
    r = wordfix.Restorer(protect=("area unit",))
    texts = ["They area unit Associate in Nursing example."] * 3
    out = list(wordfix.restore_many(texts, n_process=n_process, batch_size=1, restorer=r))
    assert [o.text for o in out] == [r.restore(t).text for t in texts]
    assert all("area unit" in o.text for o in out)  # protected
    assert "area unit" not in restorer_for().restore(texts[0]).text  # which default options would change


@pytest.mark.parametrize("n_process", [1, 2])
def test_failures_are_yielded_in_place(restorer, n_process):
    texts = ["They area unit here.", b"bytes are refused", "a similar thing", None, "fine"]
    out = list(wordfix.restore_many(texts, n_process=n_process, batch_size=2, on_error="yield"))
    assert len(out) == len(texts)
    assert isinstance(out[1], RestoreError) and out[1].index == 1 and out[1].kind == "TypeError"
    assert "decode it first" in out[1].message
    assert isinstance(out[3], RestoreError) and out[3].index == 3
    for i in (0, 2, 4):
        assert isinstance(out[i], wordfix.Restoration)
        assert out[i].text == restorer.restore(texts[i]).text


@pytest.mark.parametrize("n_process", [1, 2])
def test_failures_raise_by_default_naming_the_text(n_process):
    with pytest.raises(RestoreError, match=r"text #2: TypeError"):
        list(wordfix.restore_many(["ok", "fine", 42, "more"], n_process=n_process, batch_size=1))


def test_restore_error_pickles_with_its_details():
    try:
        wordfix.restore(b"x")
    except TypeError as e:
        err = RestoreError.from_exception(7, e)
    back = pickle.loads(pickle.dumps(err))
    assert (back.index, back.kind, back.message) == (7, "TypeError", err.message)
    assert "Traceback" in back.details
    assert str(back) == str(err)


def test_input_is_read_lazily_in_process(restorer):
    pulled = itertools.count()
    texts = (f"Text {next(pulled)} area unit fine." for _ in itertools.count())  # endless
    results = wordfix.restore_many(texts, batch_size=4)
    first = [next(results) for _ in range(3)]
    results.close()
    assert len(first) == 3
    assert next(pulled) <= 4  # one batch read, not the endless input


def test_in_flight_work_is_bounded_with_processes(restorer):
    pulled = itertools.count()
    texts = (f"Text {next(pulled)} area unit fine." for _ in itertools.count())
    results = wordfix.restore_many(texts, n_process=2, batch_size=3)
    for _ in range(5):
        assert isinstance(next(results), wordfix.Restoration)
    read = next(pulled)
    results.close()  # stops the workers; must not hang
    window = 2 * IN_FLIGHT_PER_PROCESS * 3
    assert read <= window + 2 * 3, f"read {read} texts ahead of 5 results"


def test_process_counts():
    assert resolve_processes(-1) >= 1
    assert resolve_processes(3) == 3
    for bad in (0, -2):
        with pytest.raises(ValueError):
            resolve_processes(bad)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="iterable of texts"):
        list(wordfix.restore_many("one string"))
    with pytest.raises(ValueError):
        list(wordfix.restore_many(["x"], on_error="ignore"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list(wordfix.restore_many(["x"], batch_size=0))


def test_one_restorer_per_process_and_options():
    a = restorer_for(wordfix.Config(min_confidence=0.9))
    assert restorer_for(wordfix.Config(min_confidence=0.9)) is a
    assert restorer_for(wordfix.Config(min_confidence=0.8)) is not a


def test_empty_input_and_empty_texts():
    assert list(wordfix.restore_many([])) == []
    assert [r.text for r in wordfix.restore_many(["", ""], n_process=2)] == ["", ""]


# -- 12. restore_many when the input fails -----------------------------------------------------
@pytest.mark.parametrize("procs", [1, 2])
def test_restore_many_yields_finished_results_before_the_inputs_error(procs):
    def gen():
        for i in range(50):
            yield f"Text number {i}."
        raise OSError("the input broke")

    got = []
    with pytest.raises(OSError, match="the input broke"):
        for r in restore_many(gen(), n_process=procs, on_error="yield"):
            got.append(r)
    assert len(got) == 50 and not any(isinstance(r, RestoreError) for r in got)
    assert [r.original for r in got] == [f"Text number {i}." for i in range(50)]


# -- the batch prior ---------------------------------------------------------------------------
SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"
NEGATIVE = Path(__file__).resolve().parent / "test-cases" / "negative.json"


def seed_paragraphs() -> list[str]:
    """The seed article's body, paragraph by paragraph: short real spun texts."""
    raw = SEED.read_text(encoding="utf-8")
    body = raw[raw.index("It's frustrating") : raw.index("No comments")]
    return [p.strip() for p in body.split("\n\n") if len(p.split()) >= 5]


def test_estimate_prior_rises_with_a_spun_corpus_and_never_falls():
    from wordfix.batch import estimate_prior

    c = wordfix.Config()
    clean = estimate_prior([(-2.0, -1.5)] * 300, c)
    assert (clean.spin_prior, clean.learned_spin_prior) == (c.spin_prior, c.learned_spin_prior)
    assert clean.spun == 0 and clean.documents == 300
    # 60 of 100 documents with strong thesaurus-family evidence: the share found (0.6) is capped
    mixed = estimate_prior([(8.0, -1.0)] * 60 + [(-2.0, None)] * 40, c)
    assert mixed.spin_prior == pytest.approx(c.max_spun_share, abs=0.01) and mixed.spun == 60
    lower = estimate_prior([(8.0, -1.0)] * 60 + [(-2.0, None)] * 40, c.with_options(max_spun_share=0.05))
    assert lower.spin_prior == pytest.approx(0.05, abs=0.01)
    few = estimate_prior([(8.0, -1.0)] * 5 + [(-2.0, -2.0)] * 95, c)
    assert 0.03 < few.spin_prior < 0.07 and few.learned_spin_prior == pytest.approx(c.learned_spin_prior, rel=0.5)
    assert "5 of 100 read look spun" in str(few)


def test_batch_prior_restores_short_spun_pages_and_leaves_clean_ones_alone():
    import json

    paras = seed_paragraphs()
    negatives = [c["original"] for c in json.loads(NEGATIVE.read_text(encoding="utf-8"))]
    # below the gate only the sure edits: what the batch prior adds is then plain to see
    # (a short text judged spun by its sure edits is restored alone as well: test_spin_gate.py)
    config = wordfix.Config(promoted_min_confidence=1.5)
    alone = list(restore_many(paras + negatives, config=config))
    seen = []
    pooled = list(restore_many(paras + negatives, config=config, batch_prior=True, on_prior=seen.append))
    assert len(seen) == 1 and seen[0].documents == len(paras) + len(negatives)
    assert seen[0].spin_prior > wordfix.Config().spin_prior
    n_alone = sum(len(r.edits) for r in alone[: len(paras)])
    n_pooled = sum(len(r.edits) for r in pooled[: len(paras)])
    assert n_pooled > n_alone, (n_alone, n_pooled)
    assert [r.text for r in pooled[len(paras) :]] == negatives  # clean pages stay byte for byte
    # the same with two processes: same estimate, same results
    seen2 = []
    two = list(restore_many(paras + negatives, n_process=2, config=config, batch_prior=True, on_prior=seen2.append))
    assert seen2 == seen and [r.text for r in two] == [r.text for r in pooled]


@pytest.mark.parametrize("n_process", [1, 2])
def test_detect_many_is_detect_for_each_text_in_order(restorer, n_process):
    from wordfix.batch import detect_many

    texts = corpus(9) + [None]  # a bad item is a RestoreError in its place, as in restore_many
    out = list(detect_many(texts, n_process, batch_size=4, restorer=restorer, on_error="yield"))
    assert [d.to_dict() for d in out[:-1]] == [restorer.detect(t).to_dict() for t in texts[:-1]]
    assert isinstance(out[-1], RestoreError) and out[-1].index == 9
    with pytest.raises(TypeError, match="detect_many takes an iterable"):
        detect_many("one text")


def test_fix_batch_prior_reports_the_estimate(tmp_path, capsys):
    from wordfix.cli import main

    src = tmp_path / "pages"
    src.mkdir()
    for i, p in enumerate(seed_paragraphs()):
        (src / f"p{i:02d}.txt").write_text(p + "\n", encoding="utf-8")
    only_sure = ["--promoted-min-confidence", "1.5"]  # below the gate only the sure edits (as above)
    assert main(["fix", str(src), "-o", str(tmp_path / "alone"), *only_sure]) == 0
    alone = capsys.readouterr().err.strip().splitlines()[-1]
    assert main(["fix", str(src), "-o", str(tmp_path / "pooled"), "--batch-prior", *only_sure]) == 0
    pooled = capsys.readouterr().err.strip().splitlines()[-1]
    assert "batch prior" not in alone and "batch prior: 0.100 of documents spun" in pooled

    def edits(line: str) -> int:
        return int(line.split(" edits")[0].rsplit(" ", 1)[1].replace(",", ""))

    assert edits(pooled) > edits(alone)
