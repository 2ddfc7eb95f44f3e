"""Never lose a user's data: in-place writes, backups, temp files, links (issue 13, items 1-6).

Every writer (fix --in-place, apply -o FILE, review --interactive -o FILE) goes through
``wordfix.files``; these tests drive the real commands in this process.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordfix import cli, files
from wordfix.batch import restorer_for
from wordfix.review import decisions_document

TAIL = (
    " We ne'er ascertain those that conjointly square measure obsessed with it, however the sole metric"
    " within the finish that basically counts is revenue."
)
SPUN = "They area unit Associate in Nursing example, and it is a similar story." + TAIL + "\n"


def restored(text: str) -> str:
    return restorer_for().restore(text).text


def test_the_sample_is_restored():
    assert restored(SPUN) != SPUN  # the tests below depend on it


# -- 1. one file named several times is processed once ------------------------------------
def test_the_same_file_named_many_times_is_restored_once_and_its_backup_is_the_original(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    (tmp_path / "link.txt").symlink_to(f)
    names = [str(f)] * 6 + [str(tmp_path / "." / "a.txt"), str(tmp_path / "link.txt")]
    for _ in range(5):  # the race was intermittent: repeat it
        f.write_text(SPUN)
        files.backup_path(f, ".orig").unlink(missing_ok=True)
        assert cli.main(["fix", *names, "--in-place", "--backup-suffix", ".orig", "-q"]) == 0
        assert (tmp_path / "a.txt.orig").read_text() == SPUN
        assert f.read_text() == restored(SPUN)
    err = capsys.readouterr().err
    assert "processed once" in err


def test_a_backup_named_as_an_input_is_not_restored_in_place(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    backup = tmp_path / "a.txt.orig"
    backup.write_text(SPUN)  # a stopped run's backup: identical to the file
    assert cli.main(["fix", str(f), str(backup), "--in-place", "--backup-suffix", ".orig", "-q"]) == 0
    assert backup.read_text() == SPUN and f.read_text() == restored(SPUN)
    assert not (tmp_path / "a.txt.orig.orig").exists()
    assert "skipped, a backup" in capsys.readouterr().err


def test_discover_dedupes_by_file_not_by_name(tmp_path):
    (tmp_path / "d").mkdir()
    f = tmp_path / "d" / "x.txt"
    f.write_text("hello")
    notes: list[str] = []
    inputs, missing = cli.discover(
        [str(f), str(tmp_path / "d"), str(tmp_path / "d" / ".." / "d" / "x.txt")], "*", notes=notes
    )
    assert [i.path for i in inputs] == [f] and not missing
    assert len(notes) == 2


# -- 2. temp files have an owner; clean-up never removes a live run's ---------------------
def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_temp_clean_up_spares_live_runs_and_removes_dead_ones(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = files.AtomicFile(out / "live.txt")  # this process: alive, and it holds the lock
    live.write(b"being written")
    dead = out / f".gone.txt.{_dead_pid()}.abcd{files.TMP_MARK}"
    dead.write_bytes(b"left by a killed run")
    foreign = out / f".x.txt.zzzz{files.TMP_MARK}"  # names no owner: not ours to judge
    foreign.write_bytes(b"?")
    assert files.remove_stale_temps(out) == 1
    assert live.tmp.exists() and not dead.exists() and foreign.exists()
    live.commit()
    assert (out / "live.txt").read_bytes() == b"being written"


def test_a_second_resumed_run_does_not_delete_a_running_runs_temp_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    code = (
        "import sys, time; from pathlib import Path; from wordfix.files import AtomicFile\n"
        "f = AtomicFile(Path(sys.argv[1]) / 'big.jsonl'); f.write(b'x'); print(f.tmp, flush=True); time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    other = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        tmp = Path(other.stdout.readline().strip())
        assert tmp.exists()
        src = tmp_path / "other.jsonl"
        src.write_text(json.dumps({"text": SPUN}) + "\n")
        assert cli.main(["fix", "--jsonl", str(src), "-o", str(out), "--resume", "-q"]) == 0
        assert tmp.exists(), "the live run's temp file was removed"
    finally:
        other.kill()
        other.wait()
    files.remove_stale_temps(out)  # now its owner is gone: it is stale
    assert not tmp.exists()


# -- 3. --in-place with records keeps every record, in order ------------------------------
def test_in_place_jsonl_keeps_failed_records_blank_lines_and_order(tmp_path):
    lines = []
    for i in range(18):
        kind = i % 6
        if kind == 0:
            lines.append("{not json")
        elif kind == 1:
            lines.append(json.dumps({"id": i, "body": "no text field"}))
        elif kind == 2:
            lines.append(json.dumps({"id": i, "text": 42}))
        elif kind == 3:
            lines.append("")
        else:
            lines.append(json.dumps({"id": i, "text": SPUN}))
    src = tmp_path / "d.jsonl"
    data = "\n".join(lines) + "\n"
    src.write_text(data)
    assert cli.main(["fix", "--jsonl", str(src), "--in-place", "--backup-suffix", ".orig", "-q"]) == 1
    assert (tmp_path / "d.jsonl.orig").read_text() == data
    out = src.read_text().split("\n")[:-1]
    assert len(out) == len(lines)
    for before, after in zip(lines, out, strict=True):
        if '"text": "They' in before:
            obj = json.loads(after)
            assert set(obj) == {"id", "text"} and obj["text"] == restored(SPUN)
        else:
            assert after == before  # failed records and blank lines: byte for byte


def test_in_place_csv_keeps_the_header_failed_rows_and_adds_no_columns(tmp_path):
    src = tmp_path / "d.csv"
    rows = ["id,text\r\n", f'1,"{SPUN}"\r\n', "2\r\n", '3,"clean, untouched"\r\n', f'4,"{SPUN}"\r\n']
    src.write_text("".join(rows), newline="")
    assert cli.main(["fix", "--csv", str(src), "--in-place", "--backup-suffix", ".orig", "-q"]) == 1
    out = src.read_bytes().decode()
    parts = out.split("\r\n")
    assert parts[0] == "id,text" and parts[2] == "2" and parts[3] == '3,"clean, untouched"'
    import csv

    got = list(csv.reader(io.StringIO(out)))
    assert got[1] == ["1", restored(SPUN)] and got[4] == ["4", restored(SPUN)]


# -- 4. CSV: huge fields are fine; a bad row is one bad row ---------------------------------
def test_csv_field_over_128_kib_and_a_bad_row_do_not_cost_the_good_rows(tmp_path, capsys):
    big = ("The committee met on Tuesday to discuss the budget. " * 2700).strip()
    assert len(big) > 128 * 1024
    src = tmp_path / "d.csv"
    src.write_text(f'id,text\n1,"{SPUN}"\n2,"{big}"\n3,"bad"x\n4,"{SPUN}"\n')
    out = tmp_path / "out"
    assert cli.main(["fix", "--csv", str(src), "-o", str(out), "-q"]) == 1
    import csv

    rows = list(csv.DictReader(io.StringIO((out / "d.csv").read_text())))
    assert [r["id"] for r in rows] == ["1", "2", "4"]
    assert rows[1]["text_restored"] == big
    assert f"{src}:5" in capsys.readouterr().err


# -- 5. links, owner, read-only files --------------------------------------------------------
def test_in_place_edits_through_a_symlink_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(SPUN)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert cli.main(["fix", str(link), "--in-place", "--backup-suffix", ".orig", "-q"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == restored(SPUN)
    assert (tmp_path / "real.txt.orig").read_text() == SPUN


def test_in_place_refuses_hard_linked_files(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    os.link(f, tmp_path / "b.txt")
    assert cli.main(["fix", str(f), "--in-place", "--backup-suffix", ".orig", "-q"]) == 1
    assert "hard links" in capsys.readouterr().err
    assert f.read_text() == SPUN and (tmp_path / "b.txt").read_text() == SPUN
    assert not (tmp_path / "a.txt.orig").exists()


def test_in_place_refuses_read_only_files_unless_forced(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    f.chmod(0o444)
    assert cli.main(["fix", str(f), "--in-place", "--backup-suffix", ".orig", "-q"]) == 1
    assert "read-only" in capsys.readouterr().err and f.read_text() == SPUN
    assert cli.main(["fix", str(f), "--in-place", "--backup-suffix", ".orig", "--force", "-q"]) == 0
    assert f.read_text() == restored(SPUN) and stat.S_IMODE(f.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root")
def test_in_place_keeps_the_owner(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    os.chown(f, 12345, 23456)
    assert cli.main(["fix", str(f), "--in-place", "--backup-suffix", ".orig", "-q"]) == 0
    st = f.stat()
    assert (st.st_uid, st.st_gid) == (12345, 23456) and f.read_text() == restored(SPUN)


# -- 6. apply and review follow the rule of fix --in-place -----------------------------------
def _decisions(tmp_path: Path, text: str) -> Path:
    r = restorer_for().restore(text)
    doc = decisions_document(r, [])
    for e in doc["edits"]:
        e["decision"] = "accept"
    d = tmp_path / "d.json"
    d.write_text(json.dumps(doc))
    return d


def test_apply_over_its_input_needs_a_backup_suffix(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    d = _decisions(tmp_path, SPUN)
    assert cli.main(["apply", str(f), "-d", str(d), "-o", str(f)]) == 2
    assert "--backup-suffix" in capsys.readouterr().err and f.read_text() == SPUN
    assert cli.main(["apply", str(f), "-d", str(d), "-o", str(f), "--backup-suffix", ".orig"]) == 0
    assert (tmp_path / "a.txt.orig").read_text() == SPUN and f.read_text() == restored(SPUN)


def test_review_interactive_over_its_input_needs_a_backup_suffix(tmp_path, monkeypatch, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a\n"))
    assert cli.main(["review", str(f), "--interactive", "-o", str(f)]) == 2
    assert f.read_text() == SPUN
    monkeypatch.setattr(sys, "stdin", io.StringIO("a\n"))
    assert cli.main(["review", str(f), "--interactive", "-o", str(f), "--backup-suffix", ".bak"]) == 0
    assert (tmp_path / "a.txt.bak").read_text() == SPUN and f.read_text() == restored(SPUN)
    capsys.readouterr()


def test_replace_with_backup_never_overwrites_a_different_backup(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("new")
    files.backup_path(f, ".orig").write_text("the only original")
    with pytest.raises(files.RefusedWrite):
        files.replace_with_backup(f, ".orig", b"x")
    assert f.read_text() == "new" and (tmp_path / "a.txt.orig").read_text() == "the only original"


def test_atomic_file_never_shows_a_partial_file(tmp_path):
    dest = tmp_path / "x.txt"
    dest.write_text("old")
    with pytest.raises(KeyboardInterrupt), files.AtomicFile(dest) as f:
        f.write(b"half")
        raise KeyboardInterrupt
    assert dest.read_text() == "old" and not list(tmp_path.glob(f"*{files.TMP_MARK}"))
    time.sleep(0)


# -- hypothesis over file trees: in place, every original survives -------------------------
CONTENTS = {
    "spun": SPUN.encode(),
    "clean": b"The committee met on Tuesday.\n",
    "empty": b"",
    "binary": b"\x00\x01\x02",
    "latin1": "caf\xe9 area unit\n".encode("latin-1"),
}
entries = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "sub/c", "sub/d", "sub/deep/e"]),
        st.sampled_from([*CONTENTS, "symlink", "hardlink"]),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda e: e[0],
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries)
def test_fuzz_in_place_over_file_trees_never_loses_an_original(tmp_path_factory, tree):
    root = tmp_path_factory.mktemp("tree")
    made: dict[Path, bytes] = {}
    for name, kind in tree:
        p = root / (name + ".txt")
        p.parent.mkdir(parents=True, exist_ok=True)
        if kind in CONTENTS:
            p.write_bytes(CONTENTS[kind])
            made[p] = CONTENTS[kind]
        elif made:
            first = next(iter(made))
            (p.symlink_to(first) if kind == "symlink" else os.link(first, p))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    err = io.StringIO()
    sys_err, sys.stderr = sys.stderr, err
    try:
        code = cli.main(["fix", str(root), "--in-place", "--backup-suffix", ".orig", "-q"])
    finally:
        sys.stderr = sys_err
    assert code in (0, 1)
    for p, data in before.items():
        if p.is_symlink():
            continue
        now = p.read_bytes()
        backup = files.backup_path(p, ".orig")
        if now != data:  # replaced: only with a byte-identical backup beside it
            assert backup.read_bytes() == data
            assert now == restored(data.decode()).encode()
        else:
            assert not backup.exists() or backup.read_bytes() == data
    assert not list(root.rglob(f"*{files.TMP_MARK}"))
