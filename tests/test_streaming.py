"""Long inputs (issue 13, items 20 and 21). A long document is streamed through the
chunker: the result is the same as restoring the whole text, memory stays bounded
(measured in benchmarks/large_input.py), and a bad byte far into the file writes
nothing. A long record file is written with checkpoints, and --resume continues it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wordfix import Config, cli
from wordfix.batch import restorer_for

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"
CONFIG = Config(chunk_chars=4_000)  # small pieces, so that a short file has several
SPUN = (
    "They area unit Associate in Nursing example, and it is a similar story. We ne'er ascertain those that "
    "conjointly square measure obsessed with it, however the sole metric within the finish that basically counts."
)
CLEAN = "The committee met on Tuesday to discuss the budget for next year, and then it adjourned.\n\n"


@pytest.fixture(scope="module")
def long_text() -> str:
    """About 4 pieces: the spun seed article and clean prose, in turn (paragraph breaks
    where the pieces are cut)."""
    seed = SEED.read_text(encoding="utf-8").strip() + "\n\n"
    text = ""
    while len(text) < 14_000:
        text += seed + CLEAN * 5
    assert len(text) > 3 * CONFIG.chunk_chars
    return text


@pytest.fixture
def streamed(monkeypatch):
    monkeypatch.setattr(cli.run, "STREAM_BYTES", 5_000)  # stream anything longer
    monkeypatch.setattr(cli.run, "STREAM_BLOCK", 1_000)  # and read it in small blocks
    monkeypatch.setattr(cli.run, "_config", lambda args, parser: CONFIG)


def test_a_streamed_document_is_restored_exactly_as_a_whole_one(
    tmp_path, long_text, streamed, capsysbinary, monkeypatch
):
    whole = restorer_for(CONFIG).restore(long_text).text
    assert whole != long_text
    src = tmp_path / "long.txt"
    src.write_text(long_text)
    pieces = []
    original = cli.Run._stream_document

    def counted(self, inp, dest):
        for piece in original(self, inp, dest):
            pieces.append(piece)
            yield piece

    monkeypatch.setattr(cli.Run, "_stream_document", counted)
    out = tmp_path / "out"
    assert cli.main(["fix", str(src), "-o", str(out), "-q"]) == 0
    assert (out / "long.txt").read_text() == whole
    assert len(pieces) >= 4 and "".join(pieces) == long_text  # it was streamed, in pieces
    assert cli.main(["fix", str(src), "-q", "--jobs", "2"]) == 0  # to stdout, pieces in a pool
    assert capsysbinary.readouterr().out.decode() == whole
    assert cli.main(["fix", str(src), "--in-place", "--backup-suffix", ".orig", "-q"]) == 0
    assert src.read_text() == whole and (tmp_path / "long.txt.orig").read_text() == long_text


def test_a_bad_byte_deep_in_a_streamed_file_writes_nothing(tmp_path, long_text, streamed, capsys):
    src = tmp_path / "bad.txt"
    src.write_bytes(long_text.encode() + b"\xff tail\n")
    out = tmp_path / "out"
    assert cli.main(["fix", str(src), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "not utf-8 text" in err and "0 documents restored" in err and "1 failed" in err
    assert not (out / "bad.txt").exists() and not list(out.glob(".*"))


def test_the_summary_counts_a_streamed_document_once(tmp_path, long_text, streamed, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(long_text)
    (tmp_path / "in" / "short.txt").write_text(CLEAN)
    assert cli.main(["fix", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 0
    assert "2 documents restored" in capsys.readouterr().err


# -- 21. --resume continues a record stream where it stopped ---------------------------------
def _records(n: int) -> str:
    lines = []
    for i in range(1, n + 1):
        if i == 10:
            lines.append("{broken")
        elif i % 3 == 0:
            lines.append(json.dumps({"id": i, "text": SPUN}))
        else:
            lines.append(json.dumps({"id": i, "text": f"Plain record number {i}."}))
    return "\n".join(lines) + "\n"


def _interrupted_run(monkeypatch, args: list[str], stop_at: int) -> None:
    """Run ``args`` and press Ctrl-C when the record on line ``stop_at`` is written."""
    put = cli.RecordSink.put

    def stopping(self, rec, res):
        if rec.line >= stop_at:
            raise KeyboardInterrupt
        put(self, rec, res)

    monkeypatch.setattr(cli.RecordSink, "put", stopping)
    assert cli.main(args) == 130
    monkeypatch.setattr(cli.RecordSink, "put", put)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_continues_a_record_file_from_its_checkpoint(tmp_path, monkeypatch, capsys, fmt):
    monkeypatch.setattr(cli.run, "CHECKPOINT_RECORDS", 50)
    src = tmp_path / f"many.{fmt}"
    if fmt == "jsonl":
        src.write_text(_records(600))
    else:
        rows = ["id,text"] + [f'{i},"{SPUN if i % 3 == 0 else f"Plain row {i}."}"' for i in range(1, 600)]
        rows[10] = "10,bad,extra"
        src.write_text("\n".join(rows) + "\n")
    full = tmp_path / "full"
    assert cli.main(["fix", f"--{fmt}", str(src), "-o", str(full), "-q"]) == 1  # one bad record
    out = tmp_path / "out"
    args = ["fix", f"--{fmt}", str(src), "-o", str(out), "-q"]
    _interrupted_run(monkeypatch, args, stop_at=400)
    assert not (out / src.name).exists()
    partial, ckpt = (out / f".{src.name}.wordfix-partial"), (out / f".{src.name}.wordfix-checkpoint")
    assert partial.exists() and ckpt.exists()
    line = json.loads(ckpt.read_text())["line"]
    assert 300 < line <= 400

    written = []
    put = cli.RecordSink.put

    def counting(self, rec, res):
        written.append(rec.line)
        put(self, rec, res)

    monkeypatch.setattr(cli.RecordSink, "put", counting)
    capsys.readouterr()
    assert cli.main([*args, "--resume"]) == 1  # the bad record before the checkpoint still counts
    assert f"resuming at line {line}" in capsys.readouterr().err
    assert min(written) == line  # nothing before the checkpoint was restored again
    assert (out / src.name).read_bytes() == (full / src.name).read_bytes()
    assert not partial.exists() and not ckpt.exists()


def test_resume_starts_over_when_the_input_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli.run, "CHECKPOINT_RECORDS", 20)
    src = tmp_path / "d.jsonl"
    src.write_text(_records(90))
    out = tmp_path / "out"
    args = ["fix", "--jsonl", str(src), "-o", str(out), "-q"]
    _interrupted_run(monkeypatch, args, stop_at=60)
    src.write_text(_records(90).replace("Plain record number 2.", "Plain record number two."))
    capsys.readouterr()
    assert cli.main([*args, "--resume"]) == 1
    assert "starting over" in capsys.readouterr().err
    got = [json.loads(x) for x in (out / "d.jsonl").read_text().splitlines()]
    assert len(got) == 89 and got[1]["text"] == "Plain record number two."
