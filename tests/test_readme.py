"""The README's Python examples run as doctests (one session, in order), so the README cannot
drift from the code."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
EXAMPLES = [b for b in BLOCKS if b.lstrip().startswith(">>>")]


def test_readme_examples(monkeypatch):
    assert len(EXAMPLES) >= 3
    monkeypatch.chdir(ROOT)  # examples open files relative to the project
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    session: dict = {}
    for n, block in enumerate(EXAMPLES, 1):
        test = parser.get_doctest(block, session, f"README example {n}", "README.md", 0)
        test.globs = session  # one namespace, as a reader typing them in would have
        runner.run(test, clear_globs=False)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10 and result.failed == 0, "a README example failed (see the output above)"


def test_readme_table_of_tables_counts_the_rows():
    """The README's list of bundled tables gives each one's row count: it must be the count."""
    from wordfix.tables import load_table

    listed = re.findall(r"^\| `([\w.]+\.tsv)` \| ([\d,]+) \|", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    bundled = sorted(p.name for p in (ROOT / "data" / "synonym_maps").glob("*.tsv"))
    assert sorted(name for name, _ in listed) == bundled
    for name, rows in listed:
        assert len(load_table(ROOT / "data" / "synonym_maps" / name)) == int(rows.replace(",", "")), name
