"""The table format: validation messages, user tables, protected terms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import wordfix
from wordfix.tables import TableError, bundled_tables, example_sentences, load_table, main, parse_table
from wordfix.tokenize import word_keys

HEADER = "spun\toriginal\trelation\tweight\tpos\tcontext\tsource\n"


def write(tmp_path, body: str, name="user.tsv"):
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "line, message",
    [
        ("area unit\tare\tartifact\n", "expected 7 tab-separated fields"),
        ("area unit\tare\tcosmic\t0.5\t\t\tx\n", "unknown relation 'cosmic'"),
        ("area unit\tare\tartifact\tlots\t\t\tx\n", "weight 'lots' is not a number"),
        ("area unit\tare\tartifact\t1.5\t\t\tx\n", "must be in (0, 1]"),
        ("area unit\tare\tartifact\t0.5\tpronoun\t\tx\n", "pos 'pronoun'"),
        ("\tare\tartifact\t0.5\t\t\tx\n", "must not be empty"),
        ("are\tare\tartifact\t0.5\t\t\tx\n", "the same phrase"),
        ("area unit\tare\tartifact\t0.5\t\tpresent\tx\n", "context item 'present'"),
    ],
)
def test_malformed_rows_name_file_and_line(tmp_path, line, message):
    p = write(tmp_path, "# a comment\n" + line)
    with pytest.raises(TableError) as exc:
        load_table(p)
    assert str(exc.value).startswith("user.tsv:3: ")
    assert message in str(exc.value)


EXAMPLE_HEADER = HEADER.rstrip("\n") + "\texample\n"


@pytest.mark.parametrize(
    "example, message",
    [
        ("The rooms are small.", "must mark the original once, in [square brackets]"),
        ("[Are] they [are]?", "must mark the original once"),
        ("The rooms ]are[ small.", "must mark the original once"),
        ("The rooms [were] small.", "example marks 'were', not the original 'are'"),
        ("The rooms [ are] small.", "example marks ' are', not the original 'are'"),
        ("[are]", "is only the original"),
    ],
)
def test_malformed_examples_name_file_and_line(tmp_path, example, message):
    p = tmp_path / "user.tsv"
    p.write_text(EXAMPLE_HEADER + f"area unit\tare\tartifact\t0.5\t\t\tx\t{example}\n", encoding="utf-8")
    with pytest.raises(TableError) as exc:
        load_table(p)
    assert str(exc.value).startswith("user.tsv:2: ")
    assert message in str(exc.value)


def test_example_column_is_optional_per_table_and_per_row():
    rows = parse_table(
        [
            EXAMPLE_HEADER,
            "area unit\tare\tartifact\t0.5\t\t\tx\tThe rooms [are] small.\n",
            "a similar\tthe same\tphrase\t0.5\t\t\tx\t\n",
        ],
        "t",
    )
    assert [r.example for r in rows] == ["The rooms [are] small.", ""]
    assert parse_table([HEADER, "area unit\tare\tartifact\t0.5\t\t\tx\n"], "t")[0].example == ""
    with pytest.raises(TableError, match="t:2: expected 8 tab-separated fields, got 7"):
        parse_table([EXAMPLE_HEADER, "area unit\tare\tartifact\t0.5\t\t\tx\n"], "t")
    with pytest.raises(TableError, match="t:2: expected 7 tab-separated fields, got 8"):
        parse_table([HEADER, "area unit\tare\tartifact\t0.5\t\t\tx\tThe rooms [are] small.\n"], "t")


def test_example_sentences():
    assert example_sentences("The rooms [are] small.", "area unit", "are") == (
        "The rooms are small.",
        "The rooms area unit small.",
        10,
        19,
    )
    assert example_sentences("[The same] goes for you.", "a similar", "the same")[1] == "A similar goes for you."
    assert example_sentences("The [Euclidean] norm.", "geometrician", "Euclidean")[1] == "The geometrician norm."
    assert (
        example_sentences("Give it [an] hour.", "Associate in Nursing", "an")[1] == "Give it Associate in Nursing hour."
    )


def test_example_must_meet_the_rows_context():
    row = "bosom\tbreast\ttortured\t0.5\t\t+malignant growth;-poetry\tx\t"
    ok = parse_table([EXAMPLE_HEADER, row + "Screening finds [breast] malignant growth early.\n"], "t")
    assert ok[0].example
    with pytest.raises(TableError, match="t:2: the spun example must contain 'malignant growth'"):
        parse_table([EXAMPLE_HEADER, row + "Screening finds [breast] cancer early.\n"], "t")
    with pytest.raises(TableError, match="t:2: the spun example must not contain 'poetry'"):
        parse_table([EXAMPLE_HEADER, row + "In poetry, [breast] malignant growth is rare.\n"], "t")


def test_missing_header(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("area unit\tare\tartifact\t0.5\t\t\tx\n")
    with pytest.raises(TableError, match="t.tsv:1: expected the header"):
        load_table(p)


def test_not_utf8(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_bytes(HEADER.encode() + b"caf\xe9\tcoffee\tuser\t0.5\t\t\tx\n")
    with pytest.raises(TableError, match="not UTF-8"):
        load_table(p)


def test_restorer_reports_bad_extra_table(tmp_path):
    p = write(tmp_path, "x\ty\tuser\tzero\t\t\t\n")
    with pytest.raises(TableError, match="user.tsv:2"):
        wordfix.Restorer(extra_tables=[str(p)]).restore("some text")


def test_bundled_tables_are_valid():
    paths = bundled_tables()
    assert {p.name for p in paths} >= {"curated.tsv", "thesaurus_mythes.tsv"}
    rows = load_table([p for p in paths if p.name == "curated.tsv"][0])
    assert len(rows) >= 80
    assert all(r.source for r in rows)
    assert main(["check"]) == 0


def test_context_conditions_parse():
    rows = parse_table([HEADER, "bosom\tbreast\ttortured\t0.5\t\t+breast cancer;-poetry\tx\n"], "t")
    assert rows[0].context == ((True, ("breast", "cancer")), (False, ("poetry",)))


SPUN_DOC = (
    "Our widgetry area unit extremely popular. It's Associate in Nursing in progress method. "
    "The 2 teams will have conflicting views on the sole metric within the finish that basically counts."
)


def test_user_table_adds_a_swap(tmp_path):
    p = write(tmp_path, "widgetry\tgadgets\tuser\t0.9\t\t\tmy own row\n")
    r = wordfix.Restorer(extra_tables=[str(p)]).restore(SPUN_DOC)
    assert "Our gadgets are" in r.text
    e = next(e for e in r.edits if e.after == "gadgets")
    assert e.source == "user.tsv:2 (user)"


def test_protected_terms_are_never_edited():
    plain = wordfix.Restorer().restore(SPUN_DOC)
    assert any(e.before == "Associate in Nursing" for e in plain.edits)
    r = wordfix.Restorer(protect=["Associate in Nursing", "within"]).restore(SPUN_DOC)
    assert "Associate in Nursing" in r.text
    assert not any("within" in e.before.lower() for e in r.edits)


def _row_at(source: str) -> dict:
    """The line of a bundled table file an edit's source names ("curated.tsv:18 (artifact)")."""
    m = re.fullmatch(r"(?P<table>[\w.-]+\.tsv):(?P<line>\d+) \((?P<relation>\w+)\)", source)
    assert m, f"source {source!r} names no table row"
    path = next(p for p in bundled_tables() if Path(p).name == m["table"])
    with open(path, encoding="utf-8") as f:
        line = next(x for i, x in enumerate(f, 1) if i == int(m["line"]))
    spun, original, relation, _, pos, *_ = line.rstrip("\n").split("\t")
    return {"spun": word_keys(spun), "original": original, "relation": relation, "pos": pos}


def test_every_edit_names_a_real_row_that_produces_it():
    """Each edit's source is a row of a bundled table whose spun side is what was replaced
    (as written or inflected) and whose original gives the replacement, on real spun text
    (the seed article) and on a paragraph in SpinBot's manner."""
    from wordfix.morphology import TAGS, inflect_phrase

    seed = (Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt").read_text(encoding="utf-8")
    spinbot_like = (
        "Amid his rule, the more youthful sibling of the ruler utilized the old castle as his home. "
        "He was likewise the child of a well known creator, and he composed numerous books."
    )
    restorer = wordfix.Restorer()
    checked = 0
    for text in (seed, spinbot_like):
        for e in restorer.restore(text).edits:
            if e.source in ("article agreement", "spintax") or e.source.startswith("ftfy"):
                continue
            row = _row_at(e.source)
            assert e.source.endswith(f"({row['relation']})")
            forms = {row["original"].lower()}
            if row["pos"] in TAGS:
                forms |= {
                    inflect_phrase(row["original"], row["pos"], t, restorer.index.inflections).lower()
                    for t in TAGS[row["pos"]]
                }
            after = e.after.lower()
            # a/an before the replacement follows the word after it ("an outsized" -> "a large")
            assert after in forms or re.sub(r"^an? ", "", after) in {re.sub(r"^an? ", "", f) for f in forms}, (e, row)
            spun = word_keys(e.before)
            assert len(spun) == len(row["spun"]), (e, row)
            for w, k in zip(spun, row["spun"], strict=True):  # as written, or an inflection of the row's lemma
                assert w == k or k in {lemma for lemma, _, _ in restorer.index.analyses.get(w, ())}, (e, row)
            checked += 1
    assert checked >= 60
