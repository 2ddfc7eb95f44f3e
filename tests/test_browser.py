"""The review page in a real browser: Debian's Chromium, headless, driven by Playwright.

Skipped when Playwright (``pip install playwright``) or ``/usr/bin/chromium`` (Debian
package ``chromium``) is missing. Playwright's own browser download is not used.
Screenshots, when taken, go to pytest's tmp_path only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import wordfix
from wordfix import Alternative, Edit, Restoration, apply_edits
from wordfix.cli import main
from wordfix.review import build_page

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page that fails the test on a JavaScript error or any request that
    leaves the file (the page must work offline, from file://)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "request", lambda req: outside.append(req.url) if not req.url.startswith(("file:", "blob:", "data:")) else None
    )
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert outside == [], f"the page tried to load {outside}"


def open_page(pg, path: Path) -> None:
    pg.goto(path.as_uri())
    pg.wait_for_selector("html[data-ready]", timeout=10_000)


def counts(pg) -> dict:
    return pg.evaluate("() => window.wordfixReview.counts()")


def test_keyboard_review_exports_what_apply_gives(page, tmp_path: Path) -> None:
    src = tmp_path / "article.txt"
    src.write_text(SEED.read_text(encoding="utf-8")[:1300], encoding="utf-8")
    html_path = tmp_path / "review.html"
    assert main(["review", str(src), "-o", str(html_path)]) == 0
    open_page(page, html_path)
    n = page.locator("#doc .edit").count()
    assert n >= 8
    assert page.text_content("#n-undecided") == str(n)

    page.keyboard.press("j")  # first edit: focused, its details shown
    tip = page.locator("#tip")
    assert tip.is_visible() and page.evaluate("() => document.activeElement.dataset.k") == "0"
    first = json.loads(page.text_content("#wordfix-data"))["edits"][0]
    assert first["source"] in tip.text_content() and "confidence" in tip.text_content()
    assert tip.locator("tr").count() == len(first["alternatives"]) + 1  # header + one row each
    best = tip.locator("tr").nth(1).text_content()
    assert first["alternatives"][0]["apply"] in best and "%" in best

    rejected = 2
    for k in range(n):  # a / r decide and move on to the next edit
        page.keyboard.press("r" if k == rejected else "a")
    assert counts(page) == {"accept": n - 1, "reject": 1, "undecided": 0}
    assert page.text_content("#n-accept") == str(n - 1) and page.text_content("#n-reject") == "1"
    assert page.get_attribute(f'.edit[data-k="{rejected}"]', "data-state") == "reject"

    with page.expect_download() as dl:
        page.click("#export-text-btn")
    exported = Path(dl.value.path()).read_text(encoding="utf-8")
    assert dl.value.suggested_filename == "article.restored.txt"
    assert exported == page.input_value("#export-text")
    with page.expect_download() as dl:
        page.click("#export-decisions-btn")
    decisions = tmp_path / "decisions.json"
    dl.value.save_as(decisions)
    assert decisions.read_text(encoding="utf-8") == page.input_value("#export-decisions")
    page.screenshot(path=str(tmp_path / "review.png"))

    doc = json.loads(decisions.read_text(encoding="utf-8"))
    assert doc["summary"] == {"accepted": n - 1, "rejected": 1, "undecided": 0, "total": n}
    assert [x["decision"] for x in doc["edits"]].count("reject") == 1
    out = tmp_path / "applied.txt"
    assert main(["apply", str(src), "--decisions", str(decisions), "-o", str(out)]) == 0
    applied = out.read_text(encoding="utf-8")
    assert applied == exported
    r = wordfix.restore(src.read_text(encoding="utf-8"))
    assert applied == r.apply(i for i in range(n) if i != doc["edits"][rejected]["index"])
    assert applied != r.text and applied != r.original


def test_hover_slider_undo_and_alternatives(page, tmp_path: Path) -> None:
    r = synthetic(3)  # 9 edits with confidences 0.99, 0.97, 0.6 ...
    path = tmp_path / "small.html"
    path.write_text(build_page(r, name="small.txt"), encoding="utf-8")
    open_page(page, path)
    page.hover('.edit[data-k="2"]')
    assert page.is_visible("#tip") and "Edit 3 of 9" in page.text_content("#tip")
    assert "60.0%" in page.text_content("#tip") and "keep as is" in page.text_content("#tip")

    page.click('.edit[data-k="0"]')
    page.keyboard.press("r")  # by hand: the slider must leave it alone
    set_threshold(page, 0.95)
    assert counts(page) == {"accept": 5, "reject": 4, "undecided": 0}
    assert page.get_attribute('.edit[data-k="0"]', "data-state") == "reject"
    assert "0.95" in page.text_content("#threshold-value")
    page.keyboard.press("z")  # undo the slider move as one step
    assert counts(page) == {"accept": 0, "reject": 1, "undecided": 8}

    page.click('.edit[data-k="2"]')
    page.keyboard.press("2")  # the second alternative of a 60% edit: keep = reject
    assert page.get_attribute('.edit[data-k="2"]', "data-state") == "reject"
    page.keyboard.press("1")
    assert page.get_attribute('.edit[data-k="2"]', "data-state") == "accept"
    page.once("dialog", lambda d: d.accept("an identical"))
    page.keyboard.press("e")
    assert page.text_content('.edit[data-k="2"] ins') == "an identical"
    text = page.evaluate("() => window.wordfixReview.acceptedText()")
    assert text == r.original.replace("a similar", "an identical", 1)


def set_threshold(pg, value: float) -> None:
    pg.eval_on_selector(
        "#threshold",
        """(el, v) => { el.value = String(v);
                        el.dispatchEvent(new Event("input", {bubbles: true}));
                        el.dispatchEvent(new Event("change", {bubbles: true})); }""",
        value,
    )


SENTENCE = "They area unit Associate in Nursing example of a similar kind, and 🙂 none area unit cheap.\n"


def synthetic(repeats: int) -> Restoration:
    """Real spinner artefacts repeated: three edits a sentence (plus an emoji, which
    JavaScript counts as two units and Python as one)."""
    changes = [("area unit", "are", 0.99), ("Associate in Nursing", "an", 0.97), ("a similar", "the same", 0.6)]
    edits = []
    for k in range(repeats):
        base, pos = k * len(SENTENCE), 0
        for before, after, conf in changes:
            start = SENTENCE.index(before, pos)
            alts = (Alternative(after, conf, "curated.tsv:7 (phrase)"), Alternative(before, 1 - conf, "keep"))
            edits.append(Edit(base + start, base + start + len(before), before, after, conf, "curated.tsv:7", alts))
            pos = start + len(before)
    original = SENTENCE * repeats
    return Restoration(original, apply_edits(original, edits), tuple(edits), 1.0, "synthetic")


def test_two_thousand_edits_load_and_respond_fast(page, tmp_path: Path) -> None:
    r = synthetic(700)
    assert len(r.edits) == 2100
    path = tmp_path / "big.html"
    path.write_text(build_page(r, name="big.txt"), encoding="utf-8")
    began = time.perf_counter()
    open_page(page, path)
    load = time.perf_counter() - began
    assert load < 5, f"the page took {load:.1f} s to load"

    page.evaluate("() => { document.querySelector('.edit[data-k=\"1000\"]').probe = 42; }")
    page.click('.edit[data-k="1500"]')
    ms = page.evaluate(
        """() => { const t0 = performance.now();
                   document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key: "a", bubbles: true}));
                   document.body.getBoundingClientRect();  // include the layout it causes
                   return performance.now() - t0; }"""
    )
    assert ms < 50, f"a keypress took {ms:.0f} ms"
    assert page.get_attribute('.edit[data-k="1500"]', "data-state") == "accept"
    assert page.evaluate("() => document.activeElement.dataset.k") == "1501"
    page.keyboard.press("r")
    assert page.get_attribute('.edit[data-k="1501"]', "data-state") == "reject"

    began = time.perf_counter()
    set_threshold(page, 0.9)
    slider = time.perf_counter() - began
    assert slider < 1, f"the slider took {slider:.2f} s over 2,100 edits"
    assert counts(page) == {"accept": 1399, "reject": 701, "undecided": 0}  # 1501 stays rejected by hand
    assert page.evaluate("() => document.querySelector('.edit[data-k=\"1000\"]').probe") == 42, (
        "the document was rebuilt: the page must update only the edits that change"
    )
    accepted = [i for i, e in enumerate(r.edits) if (e.confidence >= 0.9 and i != 1501) or i == 1500]
    assert page.evaluate("() => window.wordfixReview.acceptedText()") == r.apply(accepted)


def test_withheld_edits_start_rejected_and_can_be_accepted(page, tmp_path: Path) -> None:
    """A text the gate judged clean: its possible edits are shown rejected by the gate;
    accepting one by hand exports a decisions file that apply follows."""
    from wordfix.review import apply_decisions, build_page

    text = SEED.read_text(encoding="utf-8")[:1300]
    r = wordfix.Restorer(min_spin=1.0).restore(text)
    n = len(r.withheld)
    assert r.edits == () and n >= 8
    html_path = tmp_path / "review.html"
    html_path.write_text(build_page(r, name="article.txt"), encoding="utf-8")
    open_page(page, html_path)
    assert counts(page) == {"accept": 0, "reject": n, "undecided": 0}
    assert page.text_content("#n-reject") == str(n) and page.text_content("#n-undecided") == "0"
    page.keyboard.press("j")
    assert "spin gate" in page.locator("#tip").text_content()
    page.keyboard.press("a")
    assert counts(page) == {"accept": 1, "reject": n - 1, "undecided": 0}
    page.click("#export-decisions-btn")
    doc = json.loads(page.input_value("#export-decisions"))
    first = min(range(n), key=lambda i: r.withheld[i].start)
    assert [x["index"] for x in doc["edits"] if x["decision"] == "accept"] == [first]
    e = r.withheld[first]
    assert apply_decisions(text, doc, r).text == text[: e.start] + e.after + text[e.end :]
