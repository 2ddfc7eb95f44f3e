"""ruff and mypy (in the test extra, configured in pyproject.toml) find nothing in the code
the project ships and runs: a lint or type finding fails the suite, so CI runs both."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("src", "tests", "benchmarks", "scripts")


def ruff(*args: str) -> subprocess.CompletedProcess:
    pytest.importorskip("ruff", reason="ruff is in the test extra: pip install -e '.[test]'")
    from ruff.__main__ import find_ruff_bin

    return subprocess.run([find_ruff_bin(), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    p = ruff("check", "--no-cache", "--output-format", "concise", *PATHS)
    assert p.returncode == 0, f"ruff check {' '.join(PATHS)}:\n{p.stdout}{p.stderr}"


def test_ruff_would_report_a_finding(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")  # F401, unused import
    p = ruff("check", "--no-cache", "--output-format", "concise", "--config", str(ROOT / "pyproject.toml"), str(bad))
    assert p.returncode == 1 and "F401" in p.stdout, p.stdout + p.stderr


@pytest.mark.slow
def test_mypy_finds_nothing():
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    import sys

    p = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0 and "Success" in p.stdout, f"mypy:\n{p.stdout}{p.stderr}"


def test_mypy_would_report_an_error(tmp_path):
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    import sys

    bad = tmp_path / "bad.py"
    bad.write_text("x: int = 'text'\n")
    p = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", str(bad)], capture_output=True, text=True)
    assert p.returncode == 1 and "Incompatible types" in p.stdout, p.stdout + p.stderr


def test_no_path_of_a_particular_machine():
    """Paths come from the project root, the package or the user; never a machine's own
    directories (Debian system paths such as /usr/share/... are fine)."""
    import re

    pattern = re.compile("/" + "(?:work|home|tmp)/")
    files = [ROOT / "README.md"] + [
        p for d in PATHS for p in sorted((ROOT / d).rglob("*")) if p.suffix in (".py", ".sh", ".md", ".toml", ".txt")
    ]
    found = []
    for p in files:
        for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "\n".join(found)
