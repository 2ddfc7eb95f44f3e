"""`wordfix review` (page and terminal) and `wordfix apply`, without a browser."""

from __future__ import annotations

import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import wordfix
from wordfix import Alternative, Edit, Restoration, apply_edits
from wordfix.cli import main
from wordfix.review import (
    ACCEPT,
    REJECT,
    Decision,
    DecisionsError,
    alternative_text,
    apply_decisions,
    apply_review,
    build_page,
    decisions_document,
    interactive_review,
    page_data,
    proposals,
    script_json,
    text_sha256,
)

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"
ANSI = "\x1b["


@pytest.fixture(scope="module")
def spun_text() -> str:
    """Two paragraphs of the seed article: spun marketing prose with many edits."""
    return SEED.read_text(encoding="utf-8")[:1300]


@pytest.fixture(scope="module")
def restored(spun_text: str) -> Restoration:
    r = wordfix.restore(spun_text)
    assert len(r.edits) >= 8
    return r


def spun(original: str, changes: list[tuple[str, str, float]]) -> Restoration:
    """A hand-made Restoration: an edit for the next occurrence of each spun phrase."""
    edits, pos = [], 0
    for before, after, conf in changes:
        start = original.index(before, pos)
        alts = (Alternative(after.lower(), conf, "curated.tsv:7 (phrase)"), Alternative(before, 1 - conf, "keep"))
        edits.append(Edit(start, start + len(before), before, after, conf, "curated.tsv:7 (phrase)", alts))
        pos = start + len(before)
    return Restoration(original, apply_edits(original, edits), tuple(edits), 0.9, "hand-made")


class _Page(HTMLParser):
    """Collects what the tests look for in a page: scripts, edit spans, outside links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.edits: list[dict] = []
        self.links: list[str] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "script":
            self._in_script = a
            self.scripts.append((a, ""))
        if tag == "span" and "edit" in (a.get("class") or "").split():
            self.edits.append(a)
        for key in ("src", "href", "action"):
            if a.get(key):
                self.links.append(a[key])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(page: str) -> tuple[_Page, dict]:
    p = _Page()
    p.feed(page)
    data = [text for attrs, text in p.scripts if attrs.get("id") == "wordfix-data"]
    assert len(data) == 1 and dict(p.scripts[0][0]) == {"type": "application/json", "id": "wordfix-data"}
    return p, json.loads(data[0])


# -- the page ---------------------------------------------------------------------------------


def test_page_is_self_contained_and_carries_every_edit(restored: Restoration) -> None:
    page = build_page(restored, name="seed.txt")
    p, data = parse(page)
    assert p.links == [], "the page must not load anything"
    assert not re.search(r"https?://|<link|@import|url\(", page)
    assert len(p.edits) == len(restored.edits) == len(data["edits"])
    assert [int(a["data-k"]) for a in p.edits] == list(range(len(restored.edits)))
    assert data["input"] == {
        "name": "seed.txt",
        "sha256": text_sha256(restored.original),
        "chars": len(restored.original),
    }
    first = data["edits"][0]
    e = restored.edits[first["index"]]
    assert (first["before"], first["after"], first["confidence"], first["source"]) == (
        e.before,
        e.after,
        e.confidence,
        e.source,
    )
    probs = [a["probability"] for a in first["alternatives"]]
    assert probs == sorted(probs, reverse=True) and len(probs) == len(e.alternatives)


def test_page_segments_rebuild_the_input_even_beyond_the_bmp() -> None:
    text = "🙂 They area unit 🙂 Associate in Nursing example, 𝔞 similar ones.\r\nSecond line."
    r = spun(text, [("area unit", "are", 0.99), ("Associate in Nursing", "an", 0.95), ("similar", "same", 0.6)])
    data = page_data(r)
    rebuilt = data["segments"][0] + "".join(
        e["before"] + s for e, s in zip(data["edits"], data["segments"][1:], strict=True)
    )
    assert rebuilt == text
    assert [e["start"] for e in data["edits"]] == [e.start for e in r.edits]  # code points, as Python counts


def test_script_json_cannot_close_the_script_block() -> None:
    nasty = "</script><script>alert(1)</script><!-- & \u2028 -->"
    r = spun(nasty + " They area unit here.", [("area unit", "are", 0.9)])
    page = build_page(r, name="</script>.txt", title="<b>x</b>")
    assert page.count("</script>") == 2  # the JSON block and the program, nothing from the text
    assert "<!--" not in page.split('id="wordfix-data">', 1)[1].split("</script>", 1)[0]
    _, data = parse(page)
    assert data["segments"][0].startswith(nasty)
    assert json.loads(script_json({"s": nasty})) == {"s": nasty}
    assert "<title>&lt;b&gt;x&lt;/b&gt; – wordfix review</title>" in page


def test_alternatives_take_the_case_of_the_proposal() -> None:
    e = Edit(0, 9, "a similar", "The same", 0.9, "t", ())
    assert alternative_text(e, "the same", "t") == "The same"
    assert alternative_text(e, "an identical", "t2") == "An identical"
    assert alternative_text(e, "a similar", "keep") == "a similar"
    loud = Edit(0, 9, "AREA UNIT", "ARE", 0.9, "t", ())
    assert alternative_text(loud, "be", "t2") == "BE"


def test_review_command_writes_the_page(tmp_path: Path, spun_text: str) -> None:
    src = tmp_path / "article.txt"
    src.write_text(spun_text, encoding="utf-8")
    out = tmp_path / "review.html"
    assert main(["review", str(src), "-o", str(out)]) == 0
    p, data = parse(out.read_text(encoding="utf-8"))
    assert data["input"]["sha256"] == text_sha256(spun_text) and data["stem"] == "article"
    assert len(p.edits) >= 8


# -- decisions and apply --------------------------------------------------------------------


def test_withheld_edits_are_on_the_page_and_start_rejected(spun_text: str) -> None:
    """A gate stricter than any posterior holds every edit back: the page still shows them,
    rejected by the gate, and an editor's accepted ones apply (issue: nothing withheld in silence)."""
    r = wordfix.Restorer(min_spin=1.0).restore(spun_text)
    assert r.edits == () and len(r.withheld) >= 8 and r.text == spun_text
    page = build_page(r, name="seed.txt")
    p, data = parse(page)
    assert len(p.edits) == len(r.withheld) == len(data["edits"])
    assert {a["data-state"] for a in p.edits} == {"reject"} and all(e["withheld"] for e in data["edits"])
    assert "looks clean" in page and f"{len(r.withheld)} possible edits start rejected" in page
    doc = json.loads(json.dumps(decisions_document(r, [], name="seed.txt")))
    assert {e["decision"] for e in doc["edits"]} == {REJECT} and {e["by"] for e in doc["edits"]} == {"spin gate"}
    assert apply_decisions(spun_text, doc, r).text == spun_text  # rejected: nothing applied
    doc["edits"][2]["decision"] = ACCEPT
    w = r.withheld[2]
    expected = spun_text[: w.start] + w.after + spun_text[w.end :]
    assert apply_decisions(spun_text, doc, r).text == expected
    assert proposals(r) == r.withheld


def test_terminal_review_marks_withheld_edits(spun_text: str) -> None:
    r = wordfix.Restorer(min_spin=1.0).restore(spun_text)
    decisions, shown = run_terminal("y\n" + "n\n" * (len(r.withheld) - 1), r)
    assert len(decisions) == len(r.withheld) and shown.count("withheld by the spin gate") == len(r.withheld)
    first = min(range(len(r.withheld)), key=lambda i: r.withheld[i].start)
    assert [d.index for d in decisions if d.decision == ACCEPT] == [first]


def _decide(r: Restoration, accept: set[int], **custom: str) -> list[Decision]:
    return [
        Decision(i, e, ACCEPT if i in accept else REJECT, custom.get(f"e{i}"), "hand") for i, e in enumerate(r.edits)
    ]


def test_decisions_round_trip_through_apply(restored: Restoration) -> None:
    accept = set(range(0, len(restored.edits), 2))
    doc = decisions_document(restored, _decide(restored, accept, e0="beholding"), name="seed.txt")
    doc = json.loads(json.dumps(doc))  # what a file holds
    assert doc["schema"] == "wordfix.decisions/1"
    assert doc["summary"] == {"accepted": len(accept), "rejected": len(restored.edits) - len(accept),
                              "undecided": 0, "total": len(restored.edits)}  # fmt: skip
    assert doc["edits"][0]["after"] == "beholding" and doc["edits"][0]["proposed"] == restored.edits[0].after
    result = apply_decisions(restored.original, doc)
    custom = [e if i else Edit(e.start, e.end, e.before, "beholding", 1, "") for i, e in enumerate(restored.edits)]
    assert result.text == apply_edits(restored.original, [custom[i] for i in accept])
    assert (result.accepted, result.rejected, result.undecided) == (len(accept), len(restored.edits) - len(accept), 0)


def test_undecided_edits_are_not_applied(restored: Restoration) -> None:
    doc = decisions_document(restored, [Decision(1, restored.edits[1], ACCEPT)])
    result = apply_decisions(restored.original, doc)
    assert result.text == restored.apply([1])
    assert result.undecided == len(restored.edits) - 1


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda d, t: d.update(schema="wordfix.restoration/1"), "not a wordfix decisions file"),
        (lambda d, t: d["input"].update(sha256=text_sha256(t + " ")), "not the one that was reviewed"),
        (lambda d, t: d["input"].pop("sha256"), "does not name its input"),
        (lambda d, t: d["edits"][0].update(before="something else"), "expects 'something else'"),
        (lambda d, t: d["edits"][0].update(start=10**6, end=10**6 + 1), "outside the text"),
        (lambda d, t: d["edits"][1].update(decision="maybe"), "decision 'maybe'"),
        (lambda d, t: d["edits"][1].update(index=0), "edit 0 is listed twice"),
        (lambda d, t: d["edits"][1].pop("after"), "are required"),
        (
            lambda d, t: d["edits"][1].update(
                start=d["edits"][0]["start"], end=d["edits"][0]["end"], before=d["edits"][0]["before"]
            ),
            "overlap",
        ),  # fmt: skip
    ],
)
def test_apply_refuses_decisions_that_do_not_fit(restored: Restoration, tamper, message: str) -> None:
    doc = json.loads(json.dumps(decisions_document(restored, _decide(restored, set(range(len(restored.edits)))))))
    tamper(doc, restored.original)
    with pytest.raises(DecisionsError, match=re.escape(message)):
        apply_decisions(restored.original, doc)


def test_apply_command_writes_exactly_the_accepted_edits(tmp_path: Path, restored: Restoration, capsys) -> None:
    src = tmp_path / "in.txt"
    src.write_text(restored.original, encoding="utf-8")
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps(decisions_document(restored, _decide(restored, {0, 3}))), encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["apply", str(src), "--decisions", str(dec), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == restored.apply([0, 3])
    assert "applied 2 accepted edits" in capsys.readouterr().err
    assert main(["apply", str(src), "-d", str(dec)]) == 0
    assert capsys.readouterr().out == restored.apply([0, 3])


def test_apply_command_refuses_a_changed_input_and_writes_nothing(
    tmp_path: Path, restored: Restoration, capsys
) -> None:
    src = tmp_path / "in.txt"
    src.write_text(restored.original.replace("promoting", "marketing", 1), encoding="utf-8")
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps(decisions_document(restored, _decide(restored, {0}))), encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["apply", str(src), "--decisions", str(dec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "refusing to apply" in err and "not the one that was reviewed" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", "in.txt"], "no output, no temporary file"
    dec.write_text("{not json", encoding="utf-8")
    assert main(["apply", str(src), "--decisions", str(dec), "-o", str(out)]) == 1
    assert "not a JSON file" in capsys.readouterr().err and not out.exists()


def test_apply_keeps_crlf_line_ends(tmp_path: Path) -> None:
    text = "They area unit here.\r\nAssociate in Nursing end.\r\n"
    r = spun(text, [("area unit", "are", 0.9), ("Associate in Nursing", "An", 0.9)])
    src = tmp_path / "crlf.txt"
    src.write_bytes(text.encode("utf-8"))
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps(decisions_document(r, _decide(r, {0, 1}))), encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["apply", str(src), "-d", str(dec), "-o", str(out)]) == 0
    assert out.read_bytes() == b"They are here.\r\nAn end.\r\n"
    assert json.loads(dec.read_text())["input"]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()


# -- the terminal review ------------------------------------------------------------------------

SENTENCE = "They area unit Associate in Nursing example of a similar kind, whereas others area unit not."
CHANGES = [("area unit", "are", 0.99), ("Associate in Nursing", "an", 0.97), ("a similar", "the same", 0.7),
           ("whereas", "while", 0.9), ("area unit", "are", 0.98)]  # fmt: skip


def run_terminal(answers: str, r: Restoration | None = None, **kw) -> tuple[list[Decision], str]:
    r = spun(SENTENCE, CHANGES) if r is None else r
    ui = io.StringIO()
    return interactive_review(r, io.StringIO(answers), ui, **kw), ui.getvalue()


def test_terminal_review_follows_the_answers() -> None:
    decisions, shown = run_terminal("y\nn\n?\nx\ne\nthe very same\nq\n")
    assert [d.decision for d in decisions] == [ACCEPT, REJECT, ACCEPT, REJECT, REJECT]
    assert decisions[2].replacement == "the very same" and decisions[2].by == "hand"
    assert [d.by for d in decisions[3:]] == ["hand", "bulk"]
    assert "They [-area unit-]{+are+} Associate in Nursing example" in shown
    assert shown.count("[y,n,a,q,e,?]") == 6  # 4 edits asked, the third again after ? and after x
    assert "e - type your own replacement" in shown and "Unknown answer 'x'" in shown
    assert "alternatives: 'the same' 70.0% · 'a similar' 30.0% (keep)" in shown
    assert ANSI not in shown
    r = spun(SENTENCE, CHANGES)
    assert apply_review(r, decisions) == (
        "They are Associate in Nursing example of the very same kind, whereas others area unit not."
    )


def test_terminal_review_a_accepts_the_rest_and_end_of_input_rejects_it() -> None:
    decisions, _ = run_terminal("n\na\n")
    assert [d.decision for d in decisions] == [REJECT] + [ACCEPT] * 4
    decisions, shown = run_terminal("y\n")
    assert [d.decision for d in decisions] == [ACCEPT] + [REJECT] * 4
    assert "end of input" in shown


def test_terminal_review_empty_replacement_goes_back() -> None:
    decisions, shown = run_terminal("e\n\ny\na\n")
    assert decisions[0].decision == ACCEPT and decisions[0].replacement == "are"
    assert shown.count("(1/5) Accept this edit") == 2


def test_terminal_colours_only_when_asked() -> None:
    _, shown = run_terminal("a\n", color=True)
    assert "\x1b[31m[-area unit-]\x1b[0m\x1b[32m{+are+}\x1b[0m" in shown


def test_review_interactive_command(tmp_path: Path, monkeypatch, capsys) -> None:
    src = tmp_path / "spun.txt"
    src.write_text(SEED.read_text(encoding="utf-8")[:700], encoding="utf-8")
    out, dec = tmp_path / "out.txt", tmp_path / "d.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n" + "y\n" * 200))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    argv = ["review", str(src), "--interactive", "-o", str(out), "--decisions-out", str(dec)]
    assert main(argv) == 0
    shown = capsys.readouterr().out
    assert "Accept this edit [y,n,a,q,e,?]" in shown and ANSI in shown  # a terminal, NO_COLOR unset
    doc = json.loads(dec.read_text(encoding="utf-8"))
    assert doc["edits"][0]["decision"] == REJECT and all(x["decision"] == ACCEPT for x in doc["edits"][1:])
    assert apply_decisions(src.read_text(encoding="utf-8"), doc).text == out.read_text(encoding="utf-8")
    assert doc["edits"][0]["before"] in out.read_text(encoding="utf-8")

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n" * 200))
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(argv) == 0
    assert ANSI not in capsys.readouterr().out


def test_review_interactive_without_output_keeps_stdout_for_the_text(tmp_path: Path, monkeypatch, capsys) -> None:
    src = tmp_path / "spun.txt"
    src.write_text("They area unit Associate in Nursing example.\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n" * 20))
    assert main(["review", str(src), "--interactive"]) == 0
    captured = capsys.readouterr()
    assert "[y,n,a,q,e,?]" in captured.err and "[y,n,a,q,e,?]" not in captured.out
    assert captured.out != src.read_text() and "area unit" not in captured.out


def test_review_refuses_option_mixes(tmp_path: Path, monkeypatch, capsys) -> None:
    assert main(["review", "-", "--interactive"]) == 2
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert main(["review", "-"]) == 2 and "-o review.html" in capsys.readouterr().err  # no HTML on a terminal
    assert main(["review", str(tmp_path / "x.txt"), "--decisions-out", "d.json"]) == 2
    assert main(["review", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "r.html")]) == 1
    assert "missing.txt" in capsys.readouterr().err and not (tmp_path / "r.html").exists()
