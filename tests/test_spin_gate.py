"""The spin gate: assume_spun, edits withheld in the open, wordfix.detect, and the two spinner families."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import wordfix
from wordfix import apply_edits

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "seed_spun_article.txt").read_text(encoding="utf-8")
# The first lines of the real spun post (47 words): short, yet spun enough to restore on their own.
FIVE_LINES = "\n".join(SEED.split("\n")[:8])
# One sentence of it says too little: judged below the gate, and none of its swaps is one of
# the spinner's phrase-table habits that would judge it spun after all (habit_confidence).
SHORT = "Ultimately future growth are often compromised by the demand for short-run revenue."
NEGATIVE = json.loads((ROOT / "tests" / "test-cases" / "negative.json").read_text(encoding="utf-8"))
# A paragraph in SpinBot's manner, written for this test (not from the SpinBot corpus).
SPINBOT_LIKE = (
    "Amid his rule, the more youthful sibling of the ruler utilized the old castle as his home. "
    "He was likewise the child of a well known creator, and he composed numerous books about the "
    "historical backdrop of the nation. Subsequent to his demise, his dad distributed a collection "
    "of his letters, which incorporated a few sonnets about the war."
)

# A paragraph written for these tests, clean but for one signature of the seed's spinner
# ("square measure" for "are") among 70 words: the 3-gram model alone reads it as clean.
ONE_SIGNATURE = (
    "Every spring the town council publishes a report on the state of the parks, the roads and the "
    "public library. The figures for visitor numbers square measure collected by volunteers at each "
    "entrance, who count the people passing through during one busy weekend. The report also lists "
    "the repairs planned for the coming year and the money set aside for them, so residents can see "
    "where their taxes go."
)


@pytest.fixture(scope="module")
def restorer() -> wordfix.Restorer:
    return wordfix.Restorer()


def test_five_spun_lines_are_restored_by_default(restorer):
    """The pasted paragraph of the issue: an article before a plural ("a similar interests",
    "a similar goals") and "ne'er" are the spinner's signature even in 47 words."""
    r = restorer.restore(FIVE_LINES)
    assert r.spin_score >= restorer.config.min_spin and not r.withheld
    for fixed in ("the same interests", "the same goals", "never become", "sales and marketing groups"):
        assert fixed in r.text
    assert "a similar" not in r.text and len(r.edits) >= 6


def test_short_spun_text_below_the_gate_says_what_it_withheld(restorer):
    r = restorer.restore(SHORT)
    assert r.spin_score < r.spin_threshold == restorer.config.min_spin
    assert r.text == SHORT and not r.edits
    assert len(r.withheld) >= 2
    assert apply_edits(SHORT, r.withheld) != SHORT
    assert "withheld" in r.hint and f"{r.spin_score:.2f}" in r.hint and "--assume-spun" in r.hint
    assert json.loads(r.to_json())["withheld"] == [e.to_dict() for e in r.withheld]


# A paragraph of the real spun post that the gate judges clean (spin about 0.5): its
# "a lot of powerful" is the spinner's "a lot of" for "more", a phrase row the language model
# restores at 0.995 even here. That sure edit judges the paragraph spun after all.
BELOW_GATE = next(p for p in SEED.split("\n") if p.startswith("If you have ever"))
# Another (30 words): no sure edit, but two phrase-table habits at 0.9 or more ("along" for
# "together", "price effectiveness" for "cost effectiveness").
TWO_HABITS = next(p for p in SEED.split("\n") if p.startswith("The goal is to form"))


def test_a_sure_phrase_edit_is_made_below_the_gate(restorer):
    c = restorer.config
    # only the sure edit (promotion off): the rest is withheld
    only = wordfix.Restorer(promoted_min_confidence=1.5).restore(BELOW_GATE)
    assert only.spin_score < c.min_spin and only.withheld
    assert [(e.before, e.after) for e in only.edits] == [("a lot of", "more")]
    (e,) = only.edits
    assert e.confidence >= c.sure_confidence and e.source.startswith("curated.tsv:")
    assert "a richer and more powerful sound" in only.text
    assert "looks clean" in only.hint and "1 sure edit made" in only.hint and "withheld" in only.hint
    # with sure edits and habits off, the same edit is only withheld
    off = wordfix.Restorer(sure_confidence=1.5, habit_confidence=1.5).restore(BELOW_GATE)
    assert off.text == BELOW_GATE and not off.edits
    assert (e.start, e.after) in [(w.start, w.after) for w in off.withheld]
    assert len(off.withheld) == len(only.withheld) + 1
    # nor in a text longer than sure_max_words (its 43 words here)
    long = wordfix.Restorer(sure_max_words=40).restore(BELOW_GATE)
    assert long.text == BELOW_GATE and len(long.withheld) == len(off.withheld)


def test_a_sure_edit_judges_a_short_text_spun(restorer):
    """By default the sure edit judges the paragraph spun: its other withheld edits at
    promoted_min_confidence are made as well, each a repair of the real post."""
    c = restorer.config
    r = restorer.restore(BELOW_GATE)
    assert r.spin_score < c.min_spin and r.stats["promoted"] == 1
    assert "judged spun" in r.spin_reason
    assert len(r.edits) >= 3 and all(e.confidence >= c.promoted_min_confidence for e in r.edits)
    for fixed in ("you have ever heard", "with a guitar", "you have a richer and more powerful sound"):
        assert fixed in r.text
    assert not any(e.confidence >= c.promoted_min_confidence for e in r.withheld)


def test_two_habits_judge_a_short_text_spun(restorer):
    c = restorer.config
    r = restorer.restore(TWO_HABITS)
    assert r.spin_score < c.min_spin and r.stats.get("promoted") == 1
    assert not any(e.confidence >= c.sure_confidence for e in r.edits)
    made = {(e.before, e.after) for e in r.edits}
    assert made >= {("along", "together"), ("price effectiveness", "cost effectiveness")}
    assert "judged spun" in r.hint and "withheld" in r.hint
    # one habit is not enough: with the threshold above the second one's confidence
    second = sorted(e.confidence for e in r.edits)[-1]
    one = wordfix.Restorer(habit_confidence=second + 1e-6).restore(TWO_HABITS)
    assert one.text == TWO_HABITS and not one.edits and "looks clean" in one.hint


def test_one_habit_twice_is_one_habit(restorer):
    """Clean technical prose repeats a wording ("within the" twice, each restored to "in the"
    at 0.95 or more): two occurrences of one habit do not judge a text spun."""
    text = (
        "Any key within the section may be overridden from the command line; the value within the section is then"
        " ignored."
    )
    r = restorer.restore(text)
    held = [e for e in r.withheld if e.confidence >= restorer.config.habit_confidence]
    assert len(held) == 2 and {e.before for e in held} == {"within the"}
    assert r.text == text and not r.edits and not r.stats.get("promoted")


def test_a_clean_short_text_with_one_phrase_habit_is_left_alone(restorer):
    """A legitimate use of a phrase row ("a similar approach") is one habit at most: the
    negative cases stay byte for byte (test_cases.py), this one among them."""
    text = "We took a similar approach in the second study, and the results were much the same."
    r = restorer.restore(text)
    assert r.text == text and not r.edits


@pytest.mark.parametrize(
    "before, after, drops",
    [
        ("is often", "is", True),
        ("this is often", "this is", True),
        ("a lot of", "more", False),
        ("the opposite", "the other", False),
        ("is", "is", False),
        ("and therefore the", "and the", True),
    ],
)
def test_a_sure_edit_never_only_drops_words(before, after, drops):
    from wordfix.restorer import _only_drops

    assert _only_drops(before.split(), after.split()) is drops


def test_sure_confidence_is_checked():
    with pytest.raises(ValueError, match="sure_confidence"):
        wordfix.Restorer(sure_confidence=0.2)
    with pytest.raises(ValueError, match="habit_confidence"):
        wordfix.Restorer(habit_confidence=0.3)
    with pytest.raises(ValueError, match="promoted_min_confidence"):
        wordfix.Restorer(promoted_min_confidence=-0.1)


def test_assume_spun_restores_what_was_withheld(restorer):
    held = restorer.restore(SHORT).withheld
    r = wordfix.Restorer(assume_spun=True).restore(SHORT)
    assert r.spin_threshold == 0.0 and not r.withheld
    assert [(e.start, e.after) for e in r.edits] == [(e.start, e.after) for e in held]
    assert r.text == "Ultimately future growth can be compromised by the demand for short-term revenue."
    assert all(e.confidence >= wordfix.Config().min_confidence for e in r.edits)  # min_confidence still applies


@pytest.mark.parametrize("case", NEGATIVE, ids=[c["label"] for c in NEGATIVE])
def test_assume_spun_leaves_clean_text_nearly_alone(case):
    """--assume-spun on clean text still changes only what the model clearly prefers: never a
    protected legitimate use, and at most a few edits per sentence."""
    text = case["original"]
    r = wordfix.Restorer(assume_spun=True).restore(text)
    assert len(r.edits) <= max(1, len(text.split()) // 12), [(e.before, e.after) for e in r.edits]


CLEAN_TEXTS = sorted((Path(__file__).resolve().parent.parent / "benchmarks" / "texts").glob("*.txt"))


def test_assume_spun_estimates_a_clean_texts_low_rate_and_leaves_it_alone():
    """The user's word that a text is spun skips the gate, not the rate: a clean page's
    estimated spin rate falls below the detection grid's 0.10, so only what the model
    clearly prefers could change, and on the project's clean benchmark pages
    (24 pages, 11,000 words of nine registers) nothing does (27 edits at a rate of 0.10)."""
    assert len(CLEAN_TEXTS) >= 20
    r = wordfix.Restorer(assume_spun=True)
    for p in CLEAN_TEXTS:
        text = p.read_text(encoding="utf-8")
        assert r.restore(text).edits == (), p.name


def test_clean_text_withholds_nothing_when_nothing_looks_spun(restorer):
    clean = next(c["original"] for c in NEGATIVE if c["label"] == "python docs prose")
    r = restorer.restore(clean)
    assert r.text == clean and not r.edits and not r.withheld and r.hint == ""


def test_detect_gives_a_probability_and_its_evidence(restorer):
    d = restorer.detect(SEED)
    assert d.spun and d.probability >= 0.99 and d.words > 400
    assert d.evidence and d.evidence[0].log_ratio >= d.evidence[-1].log_ratio > 0
    for e in d.evidence:
        assert SEED[e.start : e.end] == e.spun or SEED[e.start : e.end].lower() == e.spun.lower()
    assert d.probability == pytest.approx(restorer.restore(SEED).spin_score)
    clean = wordfix.detect(next(c["original"] for c in NEGATIVE if c["label"] == "clean business blog"))
    assert not clean.spun and clean.probability < 0.5
    assert json.dumps(clean.to_dict())


def test_the_two_families_are_told_apart(restorer):
    seed = restorer.detect(SEED)
    spinbot = restorer.detect(SPINBOT_LIKE)
    assert seed.learned_share < 0.1 < 0.9 < spinbot.learned_share
    r = restorer.restore(SPINBOT_LIKE)
    assert r.edits and all("spinbot.tsv:" in e.source for e in r.edits)
    assert "During his reign" in r.text or "during his reign" in r.text.lower()
    s = restorer.restore(SEED)
    assert not any("spinbot.tsv:" in e.source for e in s.edits)


def test_cli_hint_and_assume_spun(tmp_path):
    p = tmp_path / "short.txt"
    p.write_text(SHORT, encoding="utf-8")
    env = {"PYTHONPATH": str(ROOT / "src")}
    run = [sys.executable, "-m", "wordfix", "fix", str(p)]
    plain = subprocess.run(run, capture_output=True, text=True, env=env)
    assert plain.returncode == 0 and plain.stdout == SHORT
    assert "possible edits withheld; use --assume-spun" in plain.stderr
    forced = subprocess.run([*run, "--assume-spun"], capture_output=True, text=True, env=env)
    assert forced.returncode == 0 and "can be compromised" in forced.stdout and "withheld" not in forced.stderr
    bad = subprocess.run([*run, "--min-spin", "2"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "min_spin" in bad.stderr


def test_one_signature_marks_a_paragraph_spun(restorer):
    """A phrase clean prose never writes, where the language model prefers the original,
    counts for more than the model's own likelihood ratio: the paragraph is restored."""
    r = restorer.restore(ONE_SIGNATURE)
    assert [(e.before, e.after) for e in r.edits] == [("square measure", "are")]
    assert r.spin_score >= restorer.config.min_spin and not r.withheld
    plain = wordfix.Restorer(signature_gain=0.0).restore(ONE_SIGNATURE)  # the model's ratio alone
    assert plain.spin_score < plain.spin_threshold and not plain.edits
    assert [(e.before, e.after) for e in plain.withheld] == [("square measure", "are")]
    clean = ONE_SIGNATURE.replace("square measure", "are")
    assert restorer.restore(clean).text == clean and restorer.detect(clean).probability < 0.5


def test_signatures_are_the_phrases_clean_prose_never_writes():
    """signatures.json counts every curated artifact (rebuild it with
    scripts/build_signatures.py when the curated table's artifacts change); only phrases
    of several words that occur nowhere in it are signatures."""
    from wordfix.evidence import signatures
    from wordfix.tables import data_dir, load_table

    counts = json.loads((data_dir() / "signatures.json").read_text(encoding="utf-8"))["counts"]
    artifacts = {" ".join(r.spun) for r in load_table(data_dir() / "curated.tsv") if r.relation == "artifact"}
    assert set(counts) == artifacts
    sig = signatures()
    assert {("area", "unit"), ("square", "measure"), ("associate", "in", "nursing")} <= sig
    assert ("we", "tend", "to") not in sig and counts["we tend to"] > 0  # people write it
    assert ("ne'er",) not in sig and counts["ne'er"] == 0  # a word, if a rare one
    assert all(counts[" ".join(k)] == 0 and len(k) > 1 for k in sig)


@pytest.mark.parametrize("content", [None, "{not json", '{"counts": ["area unit"]}', '{"other": {}}'])
def test_a_broken_signatures_file_is_a_clear_error(tmp_path, monkeypatch, content):
    """A missing or damaged signatures.json is a broken install: said so, with the file,
    not a silent change in how pasted paragraphs are judged."""
    from wordfix import evidence, tables
    from wordfix.errors import TableError

    if content is not None:
        (tmp_path / "signatures.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(tables, "data_dir", lambda: tmp_path)
    evidence.signatures.cache_clear()
    try:
        with pytest.raises(TableError, match=r"signatures\.json:1: .*reinstall wordfix"):
            evidence.signatures()
    finally:
        monkeypatch.undo()
        evidence.signatures.cache_clear()
    assert ("area", "unit") in evidence.signatures()
