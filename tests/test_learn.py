"""wordfix.learn and `wordfix learn`: substitution rules from spun/original pairs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wordfix
from wordfix import learn
from wordfix.tables import load_table

ROOT = Path(__file__).resolve().parents[1]
SPINBOT = ROOT.parent / "shared" / "data" / "spinbot" / "train.jsonl.gz"
SPINBOT_SAMPLE = ROOT / "tests" / "tables" / "spinbot-every-40.tsv"  # scripts/build_spinbot_table.py --every 40

# Pairs written for these tests, in the manner of the two spinner families.
ORIGINALS = [
    "She was the younger brother of the king and wrote a letter about an old war.",
    "During the war the army used an old fort near the river.",
    "The team released an album during the summer and began a long tour.",
    "During his reign the younger brother used the old palace as an office.",
    "The brother of the king began to write an account of the battle.",
]
SPUN = [
    "She was the more youthful sibling of the ruler and composed a letter about Associate in Nursing old war.",
    "Amid the war the army utilized Associate in Nursing old fort near the river.",
    "The group discharged Associate in Nursing collection amid the mid year and started a long visit.",
    "Amid his rule the more youthful sibling utilized the old castle as Associate in Nursing office.",
    "The sibling of the ruler started to compose Associate in Nursing record of the fight.",
]


def table(**kw):
    return learn.from_pairs(list(zip(SPUN, ORIGINALS, strict=True)), **kw)


def rules(t):
    return {(r.spun, r.original, r.pos): (k, n, w) for r, k, n, w in t.rows}


def test_phrase_swaps_come_out_whole():
    got = rules(table(min_count=2))
    assert ("associate in nursing", "an", "") in got  # five times "an", as one phrase
    assert ("amid", "during", "") in got
    assert ("sibling", "brother", "") in got
    assert ("more youthful", "younger", "") in got  # split off "more youthful sibling" <- "younger brother"


def test_weights_follow_how_often_the_original_is_rewritten():
    pairs = [("The kids played outside.", "The children played outside.")] * 49
    pairs += [("The children sang.", "The children sang.")]
    pairs += [("The dog ran quickly home.", "The dog ran fast home.")]
    pairs += [("The dog ran fast home.", "The dog ran fast home.")] * 49
    got = rules(learn.from_pairs(pairs, min_count=1))
    k1, n1, w1 = got[("kids", "children", "")]
    k2, n2, w2 = got[("quickly", "fast", "")]
    assert (k1, n1) == (49, 50) and (k2, n2) == (1, 50)
    assert w1 > 5 * w2  # 49 in 50 against 1 in 50 (the first is capped at 1)


def test_counts_are_kept_in_the_source_column(tmp_path):
    t = table(min_count=2)
    path = tmp_path / "learned.tsv"
    t.write(path)
    rows = load_table(path)  # the project's own validator reads it
    row = next(r for r in rows if r.spun == ("amid",) and r.original == "during")
    assert row.relation == "learned"
    assert row.note == "learned: 3 of 3 occurrences; 5 documents"
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)  # an ordinary file, not a private temp file


def test_min_count_and_max_phrase_prune():
    loose = rules(table(min_count=1, max_phrase=4))
    strict = rules(table(min_count=3, max_phrase=1))
    assert len(strict) < len(loose)
    assert all(k >= 3 and len(spun.split()) == 1 for (spun, _, _), (k, _, _) in strict.items() if not _)
    assert ("associate in nursing", "an", "") not in strict  # three units: longer than max_phrase=1


def test_inserted_words_are_learned_with_the_word_they_precede():
    """SpinBot writes "at the point when" for "when": words with nothing on the original's
    side become a rule with the neighbour they lean on, which a decoder can undo."""
    pairs = [
        ("At the point when he came back, the city was vacant.", "When he returned, the city was empty."),
        ("He left at the point when the war started.", "He left when the war began."),
        ("They sang at the point when the sun set.", "They sang when the sun set."),
        ("We ate. At the point when it rained, we went in.", "We ate. When it rained, we went in."),
    ]
    got = rules(learn.from_pairs(pairs, min_count=2))
    k, n, _ = got[("at the point when", "when", "")]
    assert (k, n) == (4, 4)
    assert not any(original == "" for (_, original, _) in got)
    assert learn.blocks("the cat sat down", "the cat sat")[1] == [(("sat", "down"), ("sat",))]  # none after it


def test_inflection_generalises_only_with_two_forms():
    pairs = [
        ("The guards executed the thief.", "The guards killed the thief."),
        ("They are executing the plan.", "They are killing the plan."),
        ("He sat on the seat.", "He sat on the chair."),
    ] * 2
    got = rules(learn.from_pairs(pairs, min_count=2))
    assert ("execute", "kill", "verb") in got
    assert not any(pos for (spun, _, pos) in got if spun == "seat")


def test_learned_table_restores_text(tmp_path):
    path = tmp_path / "learned.tsv"
    table(min_count=2).write(path)
    r = wordfix.Restorer(tables=[str(path)], min_spin=0.0, spin_prior=0.5)
    res = r.restore("Amid the war the army composed a letter to the ruler.")
    assert "During the war" in res.text
    assert any(e.source.startswith("learned.tsv:") and "(learned)" in e.source for e in res.edits)


def test_read_pairs_formats_and_bad_records(tmp_path):
    jl = tmp_path / "pairs.jsonl"
    jl.write_text(
        json.dumps({"spun": SPUN[0], "original": ORIGINALS[0]})
        + "\nnot json\n"
        + json.dumps({"spun": 3, "original": "x"})
        + "\n",
        encoding="utf-8",
    )
    skipped: list[str] = []
    got = list(learn.read_pairs([str(jl)], skipped=skipped))
    assert [g[:2] for g in got] == [(SPUN[0], ORIGINALS[0])]
    assert [s.split(":")[1] for s in skipped] == ["2", "3"]
    with pytest.raises(learn.LearnError, match=r"pairs.jsonl:2: not JSON"):
        list(learn.read_pairs([str(jl)], on_error="raise"))
    js = tmp_path / "pairs.json"
    js.write_text(json.dumps([{"s": a, "o": b} for a, b in zip(SPUN, ORIGINALS, strict=True)]), encoding="utf-8")
    assert len(list(learn.read_pairs([str(js)], spun_field="s", original_field="o"))) == 5
    sb = tmp_path / "spinbot.jsonl"
    sb.write_text(json.dumps({"id": "7", "pairs": [[o, s] for s, o in zip(SPUN, ORIGINALS, strict=True)]}) + "\n")
    got = list(learn.read_pairs([str(sb)]))
    assert got[0] == (SPUN[0], ORIGINALS[0], "7") and len(got) == 5
    a, b = tmp_path / "spun.txt", tmp_path / "orig.txt"
    a.write_text("\n".join(SPUN) + "\n", encoding="utf-8")
    b.write_text("\n".join(ORIGINALS) + "\n", encoding="utf-8")
    assert len(list(learn.read_pairs([str(a), str(b)], fmt="parallel"))) == 5


def _wordfix(*args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "wordfix", *args], capture_output=True, text=True, env=env, **kw)


def test_cli_learn_writes_a_table_and_reports(tmp_path):
    a, b = tmp_path / "spun.txt", tmp_path / "orig.txt"
    a.write_text("\n".join(SPUN) + "\n", encoding="utf-8")
    b.write_text("\n".join(ORIGINALS) + "\n", encoding="utf-8")
    out = tmp_path / "t.tsv"
    p = _wordfix("learn", str(a), str(b), "--format", "parallel", "-o", str(out), "--min-count", "2")
    assert p.returncode == 0, p.stderr
    assert "most frequent rules" in p.stderr and "associate in nursing <- an" in p.stderr
    assert any(r.original == "during" for r in load_table(out))
    fixed = _wordfix("fix", "--table", str(out), "-", input="Amid the war the army composed a letter. " * 3)
    assert fixed.returncode == 0, fixed.stderr


def test_cli_learn_bad_records(tmp_path):
    jl = tmp_path / "bad.jsonl"
    jl.write_text('{"spun": "a b", "original": "a c"}\n{"spun": \n', encoding="utf-8")
    out = tmp_path / "t.tsv"
    p = _wordfix("learn", str(jl), "-o", str(out), "--min-count", "1")
    assert p.returncode == 0 and f"skipped {jl}:2: not JSON" in p.stderr
    p = _wordfix("learn", str(jl), "-o", str(tmp_path / "u.tsv"), "--on-error", "raise")
    assert p.returncode == 1 and f"{jl}:2" in p.stderr and not (tmp_path / "u.tsv").exists()
    p = _wordfix("learn", str(tmp_path / "missing.jsonl"), "-o", str(out))
    assert p.returncode == 2 and "Traceback" not in p.stderr


@pytest.mark.skipif(not SPINBOT.exists(), reason="the shared SpinBot corpus is not beside the project")
def test_spinbot_table_build_rebuilds_identically():
    """The bundled SpinBot table's build on every 40th training article, byte for byte
    against the committed result (the full build takes six minutes: run
    ``scripts/build_spinbot_table.py --check`` for it)."""
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build_spinbot_table.py"),
        "--every",
        "40",
        "--out",
        str(SPINBOT_SAMPLE),
    ]
    p = subprocess.run([*cmd, "--check", "--jobs", "2"], capture_output=True, text=True)
    assert p.returncode == 0 and "identical" in p.stderr, p.stderr[-2000:]
    # what the full build keeps, the sample's counts bear out: the same rows head both
    full = {(r.original, r.spun) for r in load_table(ROOT / "data" / "synonym_maps" / "spinbot.tsv")}
    sample = load_table(SPINBOT_SAMPLE)
    assert len(sample) > 5000
    frequent = sorted(sample, key=lambda r: -r.weight)[:500]
    assert sum((r.original, r.spun) in full for r in frequent) >= 0.95 * len(frequent)


@pytest.mark.skipif(not SPINBOT.exists(), reason="the shared SpinBot corpus is not beside the project")
def test_comma_counts_rebuild_identically():
    """data/synonym_maps/commas.json is what scripts/build_commas.py counts in the SpinBot
    corpus's clean side (train split), byte for byte."""
    p = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_commas.py"), "--check"], capture_output=True, text=True
    )
    assert p.returncode == 0 and "identical" in p.stderr, p.stderr[-2000:]
