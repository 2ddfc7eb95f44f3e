"""The tortured-phrase table built from the Problematic Paper Screener list (issue 3).

The parser and the cleaner run on real query strings and expected phrases of the PPS export
(each test first checks that the string is in the CSV); the committed table is loaded and
checked for the known rows, the protected terms, its provenance and its format.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import build_tortured_table as btt  # scripts/ (pythonpath in pyproject.toml)
import pytest

from wordfix.tables import load_table

ROOT = Path(__file__).resolve().parents[1]


TABLE = ROOT / "data" / "synonym_maps" / "tortured_phrases.tsv"
CSV = btt.DEFAULT_CSV

PROTECTED = (
    "neural network",
    "cloud computing",
    "deep learning",
    "machine learning",
    "artificial intelligence",
    "data mining",
    "feature extraction",
    "surface area",
    "big data",
)


@pytest.fixture(scope="module")
def pps() -> dict[str, tuple[str, int]]:
    """query -> (expected_phrase, num_papers), straight from the source CSV."""
    with open(CSV, encoding="utf-8", newline="") as f:
        return {
            r["tortured_phrase"]: (r["expected_phrase"], int(r["num_papers"].replace(",", "")))
            for r in csv.DictReader(f)
        }


@pytest.fixture(scope="module")
def table():
    return load_table(TABLE)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return TABLE.read_text(encoding="utf-8").splitlines()


def texts(phrases) -> list[str]:
    return [p.text for p in phrases]


# -- the query parser, on real queries -----------------------------------------------------


def test_plain_phrase(pps):
    q = '"information mining"'
    assert pps[q] == ("data mining", 22898)
    (c,) = btt.parse_query(q).clauses
    assert (c.tortured.text, c.tortured.slop, c.require, c.exclude) == ("information mining", None, (), ())


def test_and_makes_context_conditions(pps):
    q = '"surface region" AND "surface area"'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert c.tortured.text == "surface region"
    assert texts(c.require) == ["surface area"]
    q = '"brilliant" AND "keen" AND "savvy" AND "shrewd"'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert (c.tortured.text, texts(c.require)) == ("brilliant", ["keen", "savvy", "shrewd"])


def test_unquoted_terms_and_implicit_and(pps):
    q = '"business knowledge" AND business intelligence'
    assert q in pps
    parsed = btt.parse_query(q)
    (c,) = parsed.clauses
    assert [(p.text, p.quoted) for p in c.require] == [("business", False), ("intelligence", False)]
    assert parsed.constructs["implicit AND"] == 1
    q = '"highlight extraction" NOT specular'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert (texts(c.exclude), c.exclude[0].quoted) == (["specular"], False)


def test_not(pps):
    q = '"magnetic cell separation" NOT "with MACS"'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert (c.tortured.text, c.require, texts(c.exclude)) == ("magnetic cell separation", (), ["with MACS"])


def test_or_inside_a_condition_gives_one_clause_per_alternative(pps):
    q = '"PC helped" AND ("be that as it" OR "on the off chance")'
    assert q in pps
    clauses = btt.parse_query(q).clauses
    assert [(c.tortured.text, texts(c.require)) for c in clauses] == [
        ("PC helped", ["be that as it"]),
        ("PC helped", ["on the off chance"]),
    ]
    q = '"preformation" AND ("rat" OR "mouse" OR "mice") AND ("final destiny" OR "ultimate destiny")'
    assert q in pps
    clauses = btt.parse_query(q).clauses
    assert len(clauses) == 6
    assert {tuple(texts(c.require)) for c in clauses} == {
        (a, d) for a in ("rat", "mouse", "mice") for d in ("final destiny", "ultimate destiny")
    }


def test_or_of_tortured_phrases_and_precedence(pps):
    q = '"affirmed recuperated demise" OR "affirmed recuperated passing"'
    assert q in pps
    assert [c.tortured.text for c in btt.parse_query(q).clauses] == [
        "affirmed recuperated demise",
        "affirmed recuperated passing",
    ]
    q = '"fit record" OR "fit file" AND "fit index"'  # AND binds tighter than OR
    assert q in pps
    clauses = btt.parse_query(q).clauses
    assert [(c.tortured.text, texts(c.require)) for c in clauses] == [
        ("fit record", []),
        ("fit file", ["fit index"]),
    ]


def test_proximity(pps):
    q = '"gatherings clustering"~10'
    assert pps[q][0] == "clustering"
    (c,) = btt.parse_query(q).clauses
    assert (c.tortured.text, c.tortured.slop) == ("gatherings clustering", 10)
    q = '"Chime labs" NOT "CHIMe labs Stanford"~5'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert (c.exclude[0].text, c.exclude[0].slop) == ("CHIMe labs Stanford", 5)
    q = '"created nations" AND "developed countries" AND "created nations developed countries"~100'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert [(p.text, p.slop) for p in c.require] == [
        ("developed countries", None),
        ("created nations developed countries", 100),
    ]


def test_wildcard_and_typo(pps):
    q = '"enhancement calculation" AND optimiz*'
    assert q in pps
    (c,) = btt.parse_query(q).clauses
    assert c.require[0].wildcard and c.require[0].text == "optimiz*"
    q = '"total national production" ADN "GDP"'  # a typo in the list, read as AND
    assert q in pps
    parsed = btt.parse_query(q)
    assert texts(parsed.clauses[0].require) == ["GDP"]
    assert parsed.constructs["ADN (typo for AND)"] == 1


def test_every_query_of_the_list_parses(pps):
    counts = {"AND": 0, "OR": 0, "NOT": 0, "~N proximity": 0}
    for q in pps:
        parsed = btt.parse_query(q)
        assert parsed.clauses and all(c.tortured.text for c in parsed.clauses), q
        for k in counts:
            counts[k] += k in parsed.constructs
    assert counts == {"AND": 555, "OR": 12, "NOT": 22, "~N proximity": 61}


@pytest.mark.parametrize("bad", ['"unterminated', '"a" AND', '~5 "a"', '("a" OR "b"', ""])
def test_malformed_queries_raise(bad):
    with pytest.raises(btt.QueryError):
        btt.parse_query(bad)


# -- cleaning expected_phrase, on real values ----------------------------------------------


@pytest.mark.parametrize(
    "query, originals",
    [
        ('"feedback processing"', ("back propagation",)),  # "back propagation (BP)"
        ('"yield layer" AND neural', ("output layer",)),  # "output layer (in a neural network)"
        ('"issue acknowledgment" AND "fault"', ("fault analysis", "fault diagnosis")),  # "fault analysis/diagnosis"
        ('"renal disappointment"', ("kidney failure",)),  # "renal or kidney failure": same word count
        ('"grasp/slave"', ("master/slave",)),  # a slash the tortured phrase has too stays
        ('"TCP/IP bundle"', ("TCP/IP packet",)),
        ('"single-abandoned virus"~20', ("single-stranded virus",)),  # "single-stranded [virus]"
        ('"palindromic rehashes"', ("palindromic repeats",)),  # not the whole CRISPR name
        ('"DDoS assault"', ("DDoS attack",)),  # "Distributed denial-of-service (DDoS) attack"
        ('"NLP (typical lingo taking care of)"', ("NLP (natural language processing)",)),
        ('"innate heart"', ("congenital heart",)),  # "congenital heart (defects...)"
        ('"social impact UTAUT"~10', ("social influence",)),  # ", see https://..." cut
        ('"redressed straight unit"', ("rectified linear unit",)),  # "rectified linear unit, ReLU"
        ('"Waikoloa, Howdy, USA"', ("Waikoloa, HI, USA",)),  # but not a list's last item
    ],
)
def test_clean_expected(pps, query, originals):
    expected, _ = pps[query]
    tortured = btt.parse_query(query).clauses[0].tortured.text
    got = btt.clean_expected(expected, tortured)
    assert (got.originals, got.drop) == (originals, None), expected


def test_clean_expected_natural_language_processing(pps):
    assert pps['"normal language handling"'][0] == "natural language processing (NLP)"
    assert btt.clean_expected("natural language processing (NLP)", "normal language handling").originals == (
        "natural language processing",
    )
    # the tortured phrase carries the acronym too: it stays
    assert pps['"data technology (IT)"'][0] == "information technology"
    assert pps['"artificial neural system (ANN)"'][0] == "artificial neural network (ANN)"
    got = btt.clean_expected("artificial neural network (ANN)", "artificial neural system (ANN)")
    assert got.originals == ("artificial neural network (ANN)",)


@pytest.mark.parametrize(
    "query, reason",
    [
        ('"Associate in Nursing" AND "area unit"', "commentary"),  # a sentence and a link
        ('"area unit" AND "square measure"', "commentary"),
        ('"mobileular"', "commentary"),  # "Search and replace of cell -> mobile"
        ('"cadence design"', "uncertain"),  # "rythm pattern (?)"
        ('"transformative climate adaptation"', "uncertain"),  # "???"
        ('"hazard ratio (RR)"', "curator_warning"),  # "(please note that the HR does exist)"
        ('"earlier intellect of"', "gap"),  # "prior knowledge of [...]"
        ('"monetary development"', "ambiguous"),  # "economic development/profit growth"
    ],
)
def test_clean_expected_drops(pps, query, reason):
    expected, _ = pps[query]
    tortured = btt.parse_query(query).clauses[0].tortured.text
    got = btt.clean_expected(expected, tortured)
    assert got.originals == () and got.drop == reason, (expected, got)


# -- build_rows without the English-usage evidence (fast) ----------------------------------


def test_build_rows_syntactic_filters(pps):
    queries = [
        '"profound learning" AND "deep learning"',
        '"innovative coronavirus"',  # tortured == expected
        '"profound deep learning"',  # expected contained in the tortured phrase
        '"characterization relapse"~5',  # "classification and regression": a list
        '"exactness, review"',  # "precision, recall": the tortured phrase has the comma too
        '"consistently interspaced"',  # a fragment of the CRISPR name
        '"gatherings clustering"~10',
    ]
    records = [btt.Record(q, *pps[q]) for q in queries]
    result = btt.build_rows(records)
    rows = {(r.spun, r.original, r.context) for r in result.rows}
    assert rows == {
        ("profound learning", "deep learning", "+deep learning"),
        ("exactness, review", "precision, recall", ""),
        ("gatherings", "clustering", "+clustering"),
    }
    reasons = {d.query: d.reason for d in result.dropped}
    assert reasons == {
        '"innovative coronavirus"': "same",
        '"profound deep learning"': "substring",
        '"characterization relapse"~5': "list_mismatch",
        '"consistently interspaced"': "misaligned",
    }


def test_weight_is_monotone_in_papers():
    ws = [btt.weight_for(n) for n in (0, 1, 9, 100, 1000, 10_000, 42_682, 100_000)]
    assert ws == sorted(ws) and len(set(ws)) == len(ws) - 1  # clipped at the top only
    assert ws[0] == 0.3 and ws[-1] == 0.95


# -- the committed table -------------------------------------------------------------------


def test_table_loads_and_is_all_tortured(table):
    assert len(table) > 7000
    assert {r.relation for r in table} == {"tortured"}
    assert all(0.3 <= r.weight <= 0.95 for r in table)
    assert all(r.pos == "" for r in table)
    assert all(re.fullmatch(r"PPS: .+ \(\d[\d,]* papers\)", r.note) for r in table)


@pytest.mark.parametrize(
    "spun, original, context",
    [
        ("counterfeit consciousness", "artificial intelligence", ()),
        ("profound learning", "deep learning", ((True, ("deep", "learning")),)),
        ("information mining", "data mining", ()),
        ("surface region", "surface area", ((True, ("surface", "area")),)),
        ("bosom", "breast", ((True, ("breast",)),)),
        ("magnetic cell separation", "Magnetic-activated cell sorting", ((False, ("with", "macs")),)),
    ],
)
def test_known_rows(pps, table, spun, original, context):
    by_spun = {}
    for r in table:
        by_spun.setdefault(" ".join(r.spun), []).append(r)
    assert any(r.original == original and r.context == context for r in by_spun[spun]), by_spun.get(spun)
    assert any(original.lower() in e.lower() for e, _ in pps.values())


def test_weights_follow_the_paper_counts(table):
    rows = {" ".join(r.spun): r for r in table if not r.context}
    assert rows["information mining"].weight > rows["counterfeit consciousness"].weight
    assert rows["information mining"].weight == btt.weight_for(22_898)


def test_no_row_rewrites_correct_terminology(table):
    spuns = {" ".join(r.spun) for r in table}
    assert not spuns & set(PROTECTED)
    for r in table:  # single common words only with a context condition
        if r.spun in (("bosom",), ("gatherings",), ("brilliant",), ("oblivious",)):
            assert any(must for must, _ in r.context), r


def test_no_commentary_in_originals(table):
    for r in table:
        assert not re.search(r"https?:|\?|\bsee\b|->|paraphrased|\.\.\.|\[|\bi\.e\.|\be\.g\.", r.original), r


def test_dropped_rows_are_absent(table):
    spuns = {" ".join(r.spun) for r in table}
    for s in ("associate in nursing", "area unit", "cadence design", "malignant growth", "in the presence of n2"):
        assert s not in spuns


def test_header_credits_the_source_and_documents_the_weight(lines):
    head = "\n".join(ln for ln in lines if ln.startswith("#"))
    assert "Problematic Paper Screener (Cabanac, Labbé, Magazinov), CC BY 4.0" in head
    assert "hahuyhoang411/tortured-phrase data/tortured.csv" in head
    assert "weight = 0.3 + 0.65 * ln(1 + num_papers) / ln(1 + 42682)" in head
    assert re.search(r"#   uncertain: \d+", head)


def test_rows_are_sorted(lines):
    data = [ln.split("\t") for ln in lines if not ln.startswith("#")][1:]
    keys = [(f[0].lower(), f[1].lower(), f[5], f[6]) for f in data]
    assert keys == sorted(keys)


def test_committed_table_is_what_the_script_builds(tmp_path, pps):
    """A full rebuild (about five seconds): the committed table must be up to date."""
    pytest.importorskip("wordsegment")
    pytest.importorskip("pocketsphinx")
    if not btt.WORDNET_DIR.exists():
        pytest.skip("Debian's wordnet-base is not installed")
    out, report = tmp_path / "t.tsv", tmp_path / "r.md"
    assert btt.main(["--csv", str(CSV), "--out", str(out), "--report", str(report)]) == 0
    assert out.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")
