"""ruff (in the test extra, configured in pyproject.toml) finds nothing in the code the
project ships and runs: a lint finding fails the suite, so CI runs the linter too."""

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

