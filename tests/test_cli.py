"""The ``wordfix`` command on real files: outputs, failures, interruption, exit codes.

Fast cases call ``cli.main([...])`` in this process (resources load once); the ones
about processes, signals and stdin run ``python -m wordfix`` as a subprocess.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wordfix
from wordfix import Config, cli
from wordfix.batch import restorer_for

# One spun sentence is not evidence enough for wordfix to touch a document (it leaves text
# alone unless it is clearly spun), so every spun sample carries this spun tail too.
TAIL = (
    " We ne'er ascertain those that conjointly square measure obsessed with it, however the sole metric"
    " within the finish that basically counts is revenue."
)
SPUN = "They area unit Associate in Nursing example, and it is a similar story." + TAIL + "\n"
CLEAN = "The committee met on Tuesday to discuss the budget for next year.\n"
CMD = [sys.executable, "-m", "wordfix"]
TMP_MARK = cli.TMP_MARK


def restored(text: str) -> str:
    return restorer_for().restore(text).text


def run(*args: str | Path, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*CMD, *map(str, args)], input=stdin, capture_output=True, timeout=timeout)


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if TMP_MARK in p.name]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """in/a.txt (spun), in/sub/b.txt (clean), in/sub/deeper/c.txt (spun), in/empty.txt."""
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text(SPUN)
    (root / "sub" / "b.txt").write_text(CLEAN)
    (root / "sub" / "deeper" / "c.txt").write_text(SPUN.upper())
    (root / "empty.txt").write_text("")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- fix: outputs --------------------------------------------------------------------------
def test_fix_prints_restored_text(tree, capsys):
    assert cli.main(["fix", str(tree / "a.txt")]) == 0
    out, err = capsys.readouterr()
    assert out == restored(SPUN)
    assert "are" in out and "area unit" not in out
    assert "1 document restored" in err and "words/s" in err


def test_stdin_dash_through_the_real_command():
    p = run("fix", "-", stdin=SPUN.encode())
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == restored(SPUN)
    assert b"\r" not in p.stderr, "no progress bar when stderr is not a terminal"


def test_output_dir_mirrors_the_tree_and_leaves_inputs_alone(tree, tmp_path, capsys):
    before = snapshot(tree)
    out = tmp_path / "out"
    assert cli.main(["fix", str(tree), "-o", str(out), "-q"]) == 0
    assert snapshot(tree) == before
    assert sorted(snapshot(out)) == sorted(before)
    for rel, data in before.items():
        assert (out / rel).read_text() == restored(data.decode()), rel
    assert (out / "empty.txt").read_bytes() == b""
    assert capsys.readouterr().err == ""  # --quiet: no summary
    assert temp_files(out) == []


def test_output_dir_never_replaces_an_input(tree, capsys):
    before = snapshot(tree)
    with pytest.raises(SystemExit) as e:
        cli.main(["fix", str(tree), "-o", str(tree)])
    assert e.value.code == 2
    assert "refusing to write over the input" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_output_dir_inside_the_input_is_not_read_back(tree, capsys):
    out = tree / "fixed"
    assert cli.main(["fix", str(tree), "-o", str(out), "-q"]) == 0
    assert cli.main(["fix", str(tree), "-o", str(out), "-q"]) == 0  # again: fixed/ is skipped
    assert not (out / "fixed").exists()
    assert (out / "a.txt").read_text() == restored(SPUN)


def test_diff_instead_of_text(tree, capsys):
    assert cli.main(["fix", str(tree / "a.txt"), "--diff", "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---") and "-They area unit" in out and "+" + restored(SPUN).splitlines()[0] in out
    assert cli.main(["fix", str(tree / "a.txt"), str(tree / "sub"), "--diff", "--diff-format", "json", "-q"]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["document"] for d in docs] == [
        str(tree / "a.txt"),
        str(tree / "sub" / "b.txt"),
        str(tree / "sub" / "deeper" / "c.txt"),
    ]
    assert docs[0]["text"] == restored(SPUN) and docs[0]["edits"]


def test_encoding_errors_name_the_file_and_encoding_works(tmp_path, capsys):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(f"Café: they area unit open.{TAIL}\n".encode("latin-1"))
    assert cli.main(["fix", str(latin)]) == 1
    err = capsys.readouterr().err
    assert str(latin) in err and "--encoding" in err and "not utf-8 text" in err
    out_dir = tmp_path / "out"
    assert cli.main(["fix", str(latin), "--encoding", "latin-1", "-o", str(out_dir), "-q"]) == 0
    data = (out_dir / "latin.txt").read_bytes()
    assert data.decode("latin-1") == restored(f"Café: they area unit open.{TAIL}\n")  # written back as latin-1


def test_empty_and_binary_files(tree, tmp_path, capsys):
    (tree / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    out = tmp_path / "out"
    assert cli.main(["fix", str(tree), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{tree / 'image.png'}: binary file" in err
    assert "1 failed" in err and "4 documents restored" in err
    assert not (out / "image.png").exists()
    assert (out / "empty.txt").read_bytes() == b"" and (out / "a.txt").read_text() == restored(SPUN)


def test_missing_input_is_a_failure_not_a_crash(tree, capsys):
    assert cli.main(["fix", str(tree / "a.txt"), str(tree / "nope.txt"), "-q"]) == 1
    out, err = capsys.readouterr()
    assert out == restored(SPUN)
    assert "nope.txt: no such file or directory" in err


# -- fix --in-place --------------------------------------------------------------------------
def test_in_place_needs_a_backup_suffix(tree, capsys):
    before = snapshot(tree)
    with pytest.raises(SystemExit) as e:
        cli.main(["fix", "--in-place", str(tree / "a.txt")])
    assert e.value.code == 2
    assert "--backup-suffix" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_in_place_keeps_a_byte_identical_backup(tmp_path, capsys):
    f = tmp_path / "doc.txt"
    original = f"Naïve line one: they area unit Associate in Nursing example.{TAIL}\r\nLine two.\r\n".encode()
    f.write_bytes(original)
    os.chmod(f, 0o640)
    assert cli.main(["fix", "--in-place", "--backup-suffix", ".orig", str(f), "-q"]) == 0
    backup = tmp_path / "doc.txt.orig"
    assert backup.read_bytes() == original
    assert f.read_bytes() == restored(original.decode()).encode() != original
    assert b"\r\n" in f.read_bytes(), "line endings kept"
    assert f.stat().st_mode & 0o777 == 0o640, "permissions kept"
    assert temp_files(tmp_path) == []
    # Again: the backup exists and differs, so the file is not touched twice ...
    assert cli.main(["fix", "--in-place", "--backup-suffix", ".orig", str(f)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert backup.read_bytes() == original
    # ... unless --resume says to skip done files.
    assert cli.main(["fix", "--in-place", "--backup-suffix", ".orig", "--resume", str(f)]) == 0
    assert "1 already done" in capsys.readouterr().err


def test_in_place_on_a_directory_skips_backups(tree, capsys):
    args = ["fix", "--in-place", "--backup-suffix", ".bak", str(tree), "-q"]
    assert cli.main(args) == 0
    assert (tree / "a.txt.bak").read_text() == SPUN
    assert not (tree / "sub" / "b.txt.bak").exists(), "unchanged files need no backup"
    assert cli.main([*args, "--resume"]) == 0
    assert not list(tree.rglob("*.bak.bak"))


# -- records -----------------------------------------------------------------------------
def bad_jsonl(path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "text": SPUN}).encode(),
        b"{not json",
        json.dumps({"id": 3}).encode(),
        json.dumps({"id": 4, "text": 5}).encode(),
        b'{"id": 5, "text": "caf\xe9"}',  # not UTF-8
        b"",
        json.dumps({"id": 7, "text": CLEAN}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_jsonl_skips_and_reports_bad_lines(tmp_path):
    src = tmp_path / "docs.jsonl"
    bad_jsonl(src)
    p = run("fix", "--jsonl", "--field", "text", src)
    assert p.returncode == 1
    records = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == [1, 7]
    assert records[0]["text"] == SPUN and records[0]["text_restored"] == restored(SPUN)
    assert records[0]["wordfix_edits"] and {"start", "end", "before", "after"} <= set(records[0]["wordfix_edits"][0])
    assert 0.0 <= records[1]["wordfix_spin_score"] <= 1.0
    err = p.stderr.decode()
    for line, why in [
        (2, "invalid JSON"),
        (3, "no field 'text'"),
        (4, "field 'text' is int, not a string"),
        (5, "not utf-8"),
    ]:
        assert f"{src}:{line}: {why}" in err
    assert "2 documents restored" in err and "4 failed" in err


def test_jsonl_fail_policy_stops_and_publishes_nothing(tmp_path):
    src = tmp_path / "docs.jsonl"
    bad_jsonl(src)
    out = tmp_path / "out"
    p = run("fix", "--jsonl", src, "-o", out, "--on-error", "fail")
    assert p.returncode == 1
    assert f"{src}:2: invalid JSON".encode() in p.stderr and b"--on-error fail" in p.stderr
    assert f"{src}:3".encode() not in p.stderr
    assert not (out / "docs.jsonl").exists() and temp_files(tmp_path) == []


def test_jsonl_to_output_dir_and_score(tmp_path, capsys):
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in enumerate([SPUN, CLEAN, SPUN])))
    out = tmp_path / "out"
    assert cli.main(["fix", "--jsonl", "--field", "body", str(src), "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in (out / "docs.jsonl").read_text().splitlines()]
    assert [r["body_restored"] for r in rows] == [restored(SPUN), restored(CLEAN), restored(SPUN)]
    args = ["score", "--jsonl", "--field", "body", "--id-field", "id", "--format", "jsonl", str(src), "-q"]
    assert cli.main(args) == 0
    scores = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [s["document"] for s in scores] == ["0", "1", "2"]


def test_csv_column(tmp_path, capsys):
    src = tmp_path / "docs.csv"
    one = "They area unit Associate in Nursing example, here." + TAIL
    two = "two\nlines: they area unit Associate in Nursing apple" + TAIL
    src.write_text(f'id,text\n1,"{one}"\n2,"{two}"\n3\n')
    assert cli.main(["fix", "--csv", "--column", "text", str(src), "-q"]) == 1
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["text_restored"] == restored(one) != one
    assert rows[1]["text_restored"] == restored(two) != two
    assert json.loads(rows[0]["wordfix_edits"])[0]["before"] == "area unit"
    assert float(rows[0]["wordfix_spin_score"]) > 0
    assert f"{src}:5: 1 fields, the header has 2" in err  # row 3 starts on line 5


# -- score --------------------------------------------------------------------------------
def test_score_sorts_filters_and_formats(tree, capsys):
    assert cli.main(["score", str(tree), "--sort", "score", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["document", "spin_score", "spun", "rate", "words", "reason"]
    rows = [line.split("\t") for line in lines[1:]]
    scores = [float(r[1]) for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) == 4
    spun = {str(tree / "a.txt"), str(tree / "sub" / "deeper" / "c.txt")}
    assert {r[0] for r in rows[:2]} == spun
    assert cli.main(["score", str(tree), "--min-score", "0.5", "--format", "json", "-q"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert {d["document"] for d in docs} == spun and all(d["spin_score"] >= 0.5 for d in docs)


def test_score_is_detect_on_the_bundled_spun_example_and_a_clean_text(tmp_path, capsys):
    seed = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN * 3 + "The minutes were approved without changes, and the chair thanked the members.\n")
    assert cli.main(["score", str(seed), str(clean), "-q"]) == 0
    header, *rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    got = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    for path, spun in ((seed, "yes"), (clean, "no")):
        row, det = got[str(path)], wordfix.detect(path.read_text())
        assert row["spin_score"] == str(round(det.probability, 4)) and row["spun"] == spun == (
            "yes" if det.spun else "no"
        )
        assert row["rate"] == str(round(det.rate, 4)) and row["words"] == str(det.words) and row["reason"] == det.reason
    assert float(got[str(seed)]["spin_score"]) > 0.9 > 0.1 > float(got[str(clean)]["spin_score"])
    # the threshold is Config.detect_threshold: above the seed's probability nothing is called spun
    assert cli.main(["score", str(seed), "--format", "jsonl", "--detect-threshold", "1.0", "-q"]) == 0
    rec = json.loads(capsys.readouterr().out)
    det = wordfix.detect(seed.read_text(), detect_threshold=1.0)
    assert rec["spun"] is det.spun and rec["evidence"][0]["original"] == det.evidence[0].original
    assert [e["spun"] for e in rec["evidence"]] == [e.spun for e in det.evidence]


# -- processes, interruption, scale ------------------------------------------------------------
def test_two_jobs_write_the_same_outputs(tree, tmp_path):
    p = run("fix", "-j", "2", tree, "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    for rel, data in snapshot(tree).items():
        assert (tmp_path / "out" / rel).read_text() == restored(data.decode())


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """240 distinct spun documents and what each must become (a run of a few seconds)."""
    root = tmp_path_factory.mktemp("many") / "in"
    root.mkdir()
    seed = (Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt").read_text()
    sentences = [s.strip() for s in seed.replace("\n", " ").split(". ") if len(s.split()) > 4]
    expected = {}
    for i in range(240):
        text = f"Document {i}. " + ". ".join(sentences[(i + k * 5) % len(sentences)] for k in range(8)) + ".\n"
        (root / f"doc{i:03d}.txt").write_text(text)
        expected[f"doc{i:03d}.txt"] = restored(text)
    return root, expected


def start_and_stop(src: Path, out: Path, sig: int, *options: str) -> tuple[int, int]:
    """Start a run into ``out``, send ``sig`` to it once a few outputs exist, check that
    no process of it (pool workers included) outlives it; (exit code, outputs)."""
    proc = subprocess.Popen(
        [*CMD, "fix", str(src), "-o", str(out), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # as from an interactive shell: a test run started in the background inherits an
        # ignored SIGINT, and Python then never raises KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("doc*.txt")) >= 5:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    if sig != signal.SIGKILL:  # (a killed parent cannot stop its workers; they exit when their pipe closes)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("worker processes outlived the interrupted run")
    return proc.returncode, sum(1 for _ in out.glob("doc*.txt"))


def check_complete(out: Path, expected: dict[str, str]) -> None:
    for p in out.glob("doc*.txt"):
        assert p.read_text() == expected[p.name], f"{p.name} is partial or wrong"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupt_leaves_no_partial_outputs_and_resume_finishes(many, tmp_path, jobs):
    src, expected = many
    out = tmp_path / "out"
    code, written = start_and_stop(src, out, signal.SIGINT, "--jobs", jobs)
    assert code == 130
    assert 0 < written < len(expected)
    check_complete(out, expected)
    assert temp_files(out) == [], "temp files are removed on interrupt"
    p = run("fix", src, "-o", out, "--resume", "--jobs", jobs)
    assert p.returncode == 0, p.stderr
    assert f"{written} already done".encode() in p.stderr
    assert sorted(q.name for q in out.iterdir()) == sorted(expected)
    check_complete(out, expected)


def test_kill_leaves_only_complete_outputs_and_resume_cleans_up(many, tmp_path):
    src, expected = many
    out = tmp_path / "out"
    code, written = start_and_stop(src, out, signal.SIGKILL)
    assert code == -signal.SIGKILL and written < len(expected)
    check_complete(out, expected)  # whatever has its final name is whole
    p = run("fix", src, "-o", out, "--resume", "-q")
    assert p.returncode == 0, p.stderr
    assert sorted(q.name for q in out.iterdir()) == sorted(expected)  # stale temp files gone
    check_complete(out, expected)


@pytest.mark.slow
def test_ten_thousand_small_files(tmp_path):
    src = tmp_path / "in"
    for d in range(10):
        (src / f"d{d}").mkdir(parents=True)
        for i in range(1000):
            (src / f"d{d}" / f"{i}.txt").write_text(f"File {i}: they area unit Associate in Nursing example.{TAIL}\n")
    out = tmp_path / "out"
    started = time.monotonic()
    p = run("fix", src, "-o", out, timeout=300)
    elapsed = time.monotonic() - started
    assert p.returncode == 0, p.stderr[-2000:]
    assert b"10,000 documents restored" in p.stderr
    files = list(out.rglob("*.txt"))
    assert len(files) == 10_000
    original = (src / "d7" / "123.txt").read_text()
    assert (out / "d7" / "123.txt").read_text() == restored(original) != original
    assert elapsed < 120, f"10,000 small files took {elapsed:.0f} s"


# -- exit codes, options, progress ----------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["fix"],
        ["fix", "x.txt", "--no-such-option"],
        ["fix", "x.txt", "--jobs", "-5"],
        ["fix", "x.txt", "--min-confidence", "2"],
        ["fix", "-", "-o", "out"],
        ["fix", "x.txt", "--backup-suffix", ".orig"],
        ["fix", "x.txt", "--resume"],
        ["fix", "x.txt", "--jsonl", "--diff"],
        ["fix", "x.txt", "--table", "no-such-table.tsv"],
    ],
)
def test_usage_errors_exit_2(args, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text(SPUN)
    with pytest.raises(SystemExit) as e:
        cli.main(args)
    assert e.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_exit_codes_of_the_real_command(tree):
    assert run("fix", tree / "a.txt").returncode == 0
    assert run("fix", tree / "a.txt", tree / "missing.txt").returncode == 1
    assert run("fix", "--in-place", tree / "a.txt").returncode == 2


def test_shared_options_reach_the_restorer(tree, tmp_path, capsys):
    table = tmp_path / "mine.tsv"
    table.write_text(
        "spun\toriginal\trelation\tweight\tpos\tcontext\tsource\n"
        "committee meeting\tboard meeting\tuser\t1.0\t\t\tmine\n"
    )
    assert cli.main(["fix", str(tree / "a.txt"), "--protect", "area unit", "-q"]) == 0
    assert "area unit" in capsys.readouterr().out
    assert cli.main(["fix", str(tree / "a.txt"), "--table", str(table), "--min-confidence", "0.99", "-q"]) == 0
    assert (
        capsys.readouterr().out
        == restorer_for(Config(extra_tables=(str(table),), min_confidence=0.99)).restore(SPUN).text
    )


def test_progress_only_when_asked_or_on_a_terminal(tree, capsys):
    assert cli.main(["fix", str(tree), "-o", str(tree.parent / "o1")]) == 0
    assert "doc/s" not in capsys.readouterr().err
    assert cli.main(["fix", str(tree), "-o", str(tree.parent / "o2"), "--progress"]) == 0
    assert "doc/s" in capsys.readouterr().err


def test_review_commands_stay_registered():
    names = set(cli.build_parser()._subparsers._group_actions[0].choices)
    assert {"fix", "score"} <= names
    if importlib.util.find_spec("wordfix.review") is not None:
        assert "review" in names
