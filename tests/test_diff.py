"""The diff formats (unified, inline, side-by-side, json, html) on a real restoration of
real spun text, checked by reading each format back, not by comparing with a snapshot."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

import wordfix
from wordfix import Alternative, Edit, Restoration, apply_edits, cli
from wordfix.diff import FORMATS, WordChange, render, word_change

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SPUN = (
    "They area unit Associate in Nursing example, and it is a similar story. We ne'er ascertain those that "
    "conjointly square measure obsessed with it, however the sole metric within the finish that basically "
    "counts is revenue.\n"
)


@pytest.fixture(scope="module")
def restored() -> Restoration:
    """The first paragraphs of the seed article (spun marketing prose), restored."""
    text = SEED.read_text(encoding="utf-8")[:1700]
    r = wordfix.restore(text)
    assert len(r.edits) >= 10, "the seed's first paragraphs should be recognised as spun"
    return r


def hand_made(original: str, changes: list[tuple[str, str]], conf: float = 0.9) -> Restoration:
    """A Restoration with an edit for the first occurrence (after the previous one) of
    each spun phrase: for deterministic checks that do not depend on the restorer."""
    edits, pos = [], 0
    for before, after in changes:
        start = original.index(before, pos)
        alts = (Alternative(after.lower(), conf, "curated.tsv:1 (phrase)"), Alternative(before, 1 - conf, "keep"))
        edits.append(Edit(start, start + len(before), before, after, conf, "curated.tsv:1 (phrase)", alts))
        pos = start + len(before)
    return Restoration(original, apply_edits(original, edits), tuple(edits))


def apply_unified(original: str, patch: str) -> str:
    """Apply a unified diff (as ``patch`` would) to check that it says what changed."""
    src = original.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    lines = patch.splitlines(keepends=True)
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ ")
    for previous, line in zip([""] + lines[2:], lines[2:], strict=False):
        if line.startswith("@@"):
            start = int(re.match(r"@@ -(\d+)", line).group(1)) - 1
            out.extend(src[pos:start])
            pos = start
        elif line.startswith("\\"):  # "\ No newline at end of file": about the line before it
            if previous[0] in " +":
                out[-1] = out[-1].rstrip("\n")
        elif line[0] in " -":
            assert src[pos].rstrip("\n") == line[1:].rstrip("\n"), "context or removed line does not match"
            pos += 1
            if line[0] == " ":
                out.append(src[pos - 1])
        elif line[0] == "+":
            out.append(line[1:] if line.endswith("\n") else line[1:] + "\n")
    out.extend(src[pos:])
    return "".join(out)


def test_unified_diff_patches_the_spun_text_into_the_restored_one(restored: Restoration) -> None:
    patch = restored.diff("unified")
    assert patch.startswith("--- a/text\n+++ b/text\n@@ ")
    assert apply_unified(restored.original, patch) == restored.text
    removed = [line[1:] for line in patch.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert any(e.before in line for e in restored.edits for line in removed)


def test_unified_diff_in_colour_is_the_same_diff_with_ansi_codes(restored: Restoration) -> None:
    coloured = render(restored, "unified", color=True)
    assert "\x1b[31m-" in coloured and "\x1b[32m+" in coloured and "\x1b[36m@@" in coloured
    assert ANSI.sub("", coloured) == render(restored, "unified")


def test_unified_diff_marks_a_missing_final_newline() -> None:
    r = hand_made("They area unit ready", [("area unit", "are")])
    patch = r.diff("unified")
    assert patch.endswith("+They are ready\n\\ No newline at end of file\n")
    assert apply_unified(r.original, patch) == r.text


def test_inline_diff_reads_back_as_both_texts(restored: Restoration) -> None:
    shown = restored.diff("inline")
    old = re.sub(r"\{\+.*?\+\}", "", re.sub(r"\[-(.*?)-\]", r"\1", shown, flags=re.S), flags=re.S)
    new = re.sub(r"\[-.*?-\]", "", re.sub(r"\{\+(.*?)\+\}", r"\1", shown, flags=re.S), flags=re.S)
    assert old == restored.original
    assert new == restored.text
    assert len(re.findall(r"\[-|\{\+", shown)) >= len(restored.edits)


def test_inline_diff_marks_only_the_words_that_changed() -> None:
    r = hand_made(
        "Alignment is that the largest chance, and it all comes right down to Associate in Nursing issue.",
        [("is that the", "is the"), ("right down to", "down to"), ("Associate in Nursing", "an")],
    )
    assert r.diff("inline") == (
        "Alignment is [-that -]the largest chance, and it all comes [-right -]down to "
        "[-Associate in Nursing-]{+an+} issue."
    )
    assert word_change("within the finish", "in the end") == WordChange("", "within the finish", "in the end", "")
    assert word_change("is that the", "is the") == WordChange("is ", "that ", "", "the")


def test_inline_diff_shows_an_insertion_alone() -> None:
    r = Restoration("a b", "a new b", (Edit(2, 2, "", "new ", 0.9, "t"),))
    assert r.diff("inline") == "a {+new +}b"


def test_side_by_side_shows_the_changed_lines_word_for_word(restored: Restoration) -> None:
    width = 90
    shown = restored.diff("side-by-side", width=width)
    rows = shown.splitlines()
    assert rows[0].split() == ["spun", "|", "restored"]
    assert all(len(row) <= width for row in rows), "a row is wider than asked"
    start, sep = rows[0].index("spun"), rows[0].index(" | ")
    orig_lines, new_lines = restored.original.splitlines(), restored.text.splitlines()
    blocks: list[tuple[int, list[str], list[str]]] = []
    for row in rows[2:]:
        if not row:
            continue
        number, left, right = row[:start].strip(), row[start:sep].rstrip(), row[sep + 3 :]
        if number:
            blocks.append((int(number), [], []))
        blocks[-1][1].append(left)
        blocks[-1][2].append(right)
    changed = sorted({restored.original.count("\n", 0, e.start) + 1 for e in restored.edits})
    assert [b[0] for b in blocks] == changed, "only (and all) the lines with edits are shown"
    for number, left, right in blocks:  # same text, wrapped (whitespace aside)
        assert "".join("".join(left).split()) == "".join(orig_lines[number - 1].split())
        assert "".join("".join(right).split()) == "".join(new_lines[number - 1].split())


def test_side_by_side_keeps_the_two_columns_in_step() -> None:
    changes = [("area unit", "are"), ("obsessed", "concerned"), ("one another", "each other")]
    text = "whereas each departments area unit extremely obsessed with one another, they'll even have completely "
    r = hand_made(text + "different motivations and metrics " * 4, changes)
    header, _, *rows = r.diff("side-by-side", width=60).splitlines()
    start, sep = header.index("spun"), header.index(" | ")
    assert len(rows) > 4, "the line should wrap"
    for row in rows:
        left, right = row[start:sep], row[sep + 3 :]
        changed = " | " in row
        assert changed == any(before in left for before, _ in changes)
        for before, after in changes:  # each change sits in one row, on both sides
            assert (before in left) == (after in right)
            left, right = left.replace(before, ""), right.replace(after, "")
        assert left.split() == right.split(), "the unchanged words of a row differ between the columns"


def test_side_by_side_colours_only_the_changes(restored: Restoration) -> None:
    coloured = render(restored, "side-by-side", color=True)
    plain = render(restored, "side-by-side")
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_json_diff_follows_the_documented_schema(restored: Restoration) -> None:
    out = restored.diff("json")
    assert out.endswith("}\n")
    d = json.loads(out)
    assert list(d) == ["schema", "text", "spin_score", "spin_reason", "edits", "spin_threshold", "withheld"]
    assert d["schema"] == "wordfix.restoration/1"
    assert d["text"] == restored.text
    for e, x in zip(restored.edits, d["edits"], strict=True):
        assert list(x) == ["start", "end", "before", "after", "confidence", "source", "alternatives"]
        assert restored.original[x["start"] : x["end"]] == x["before"] == e.before
        assert all(set(a) == {"text", "probability", "source"} for a in x["alternatives"])
    edits = [Edit(x["start"], x["end"], x["before"], x["after"], x["confidence"], x["source"]) for x in d["edits"]]
    assert apply_edits(restored.original, edits) == restored.text


def test_html_fragment_escapes_and_marks_every_edit() -> None:
    r = hand_made(
        "<b>They</b> area unit Associate in Nursing & co", [("area unit", "are"), ("Associate in Nursing", "an")]
    )
    out = r.diff("html")
    assert out.startswith("&lt;b&gt;They&lt;/b&gt; ")
    assert out.count("<del>") == out.count("<ins>") == 2
    assert '<span class="wordfix-edit" data-edit="1" title="0.90 curated.tsv:1 (phrase)"><del>Associate' in out


def test_nothing_to_show_when_nothing_changed() -> None:
    r = Restoration("clean text\n", "clean text\n")
    assert r.diff("unified") == "" and r.diff("side-by-side") == ""
    assert r.diff("inline") == "clean text\n"
    assert json.loads(r.diff("json"))["edits"] == []


def test_unknown_format_names_the_known_ones(restored: Restoration) -> None:
    with pytest.raises(ValueError, match="unified, inline, side-by-side, json, html"):
        restored.diff("word")
    assert FORMATS == ("unified", "inline", "side-by-side", "json", "html")


# -- 16. diffs that tools and browsers can read --------------------------------------------------
def test_unified_diff_applies_with_git_apply(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("spun.txt").write_text(SPUN)
    assert cli.main(["fix", "spun.txt", "--diff", "-q"]) == 0
    Path("p.diff").write_text(capsys.readouterr().out)
    p = subprocess.run(["git", "apply", "p.diff"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert Path("spun.txt").read_text() == wordfix.restore(SPUN).text != SPUN


def test_side_by_side_counts_display_cells():
    from wordfix.diff import cells, side_by_side

    assert cells("e\u0301") == 1 and cells("日本") == 4 and cells("🙂") == 2
    text = "日本語のテキスト 🙂🙂 e\u0301e\u0301 " * 3 + SPUN
    r = wordfix.restore(text)
    assert r.edits
    width = 60
    for row in side_by_side(r, width=width).splitlines()[2:]:
        if " | " in row:
            left = row.split(" | ")[0]
            assert cells(left) <= width // 2 + 3, row


def test_to_json_built_edit_by_edit_is_the_json_of_to_dict(restored: Restoration) -> None:
    assert restored.to_json() == json.dumps(restored.to_dict(), ensure_ascii=False)
    assert json.loads(restored.to_json(indent=2)) == restored.to_dict()
    e = restored.edits[0].to_dict()
    assert list(e) == ["start", "end", "before", "after", "confidence", "source", "alternatives"]
    assert e["alternatives"][0].keys() == {"text", "probability", "source"}
