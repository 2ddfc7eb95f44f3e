"""The compiled-table cache cannot run code and does not grow without bound; table
files are checked line by line (issue 13, items 14 and 22).
"""

from __future__ import annotations

import os
import pickle

from wordfix.batch import restorer_for


# -- 14. table check names the right line -------------------------------------------------------
def test_tables_check_names_the_line_of_a_bad_byte_and_accepts_a_bom(tmp_path, capsys):
    from wordfix import tables

    head = b"spun\toriginal\trelation\tweight\tpos\tcontext\tsource\n"
    t = tmp_path / "t.tsv"
    t.write_bytes(head + b"area unit\tare\tartifact\t0.5\t\t\t\nbad\xff\tx\tuser\t1\t\t\t\n")
    assert tables.main(["check", str(t)]) == 1
    assert "t.tsv:3:" in capsys.readouterr().err
    t.write_bytes(b"\xef\xbb\xbf" + head + b"area unit\tare\tartifact\t0.5\t\t\t\n")
    assert tables.main(["check", str(t)]) == 0


# -- 22. the cache cannot run code and is pruned ---------------------------------------------------
class _Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned-by-pickle",))


def test_planted_cache_files_run_nothing_and_old_entries_are_pruned(tmp_path, monkeypatch):
    from wordfix import cache, tables

    monkeypatch.setenv("WORDFIX_CACHE", str(tmp_path / "c"))
    monkeypatch.chdir(tmp_path)
    d = cache.cache_dir()
    d.mkdir(parents=True)
    t = tmp_path / "mine.tsv"
    t.write_text("spun\toriginal\trelation\tweight\tpos\tcontext\tsource\nfoo bar\tbaz\tuser\t1\t\t\t\n")
    for i in range(6):
        (d / f"index-old{i}.pickle").write_bytes(pickle.dumps(_Boom()))
        (d / f"index-old{i}.json").write_text("{}")  # what the JSON versions wrote
        p = d / f"index-old{i}.bin"
        p.write_bytes(pickle.dumps(_Boom()))
        os.utime(p, (1_000_000 + i, 1_000_000 + i))
    idx = tables.load_index([t])  # builds, writes a blob file, prunes
    assert idx.get(("foo", "bar"))[0].original == "baz"
    assert not (tmp_path / "pwned-by-pickle").exists()
    left = sorted(p.name for p in d.iterdir())
    assert not any(n.endswith((".pickle", ".json")) for n in left)
    assert len([n for n in left if n.startswith("index-")]) == cache.KEEP, left
    assert "index-old5.bin" in left and "index-old3.bin" not in left  # the most recently used are kept
    again = tables.load_index([t])  # from the cache
    assert again.get(("foo", "bar"))[0].source == idx.get(("foo", "bar"))[0].source


def test_the_cached_index_round_trips():
    from wordfix import cache
    from wordfix.tables import TableIndex

    idx = restorer_for().index
    back = TableIndex.from_parts(cache.unpack_blobs(cache.pack_blobs(idx.to_parts())))
    assert back.by_key == idx.by_key and back.prefixes == idx.prefixes
    assert back.analyses == idx.analyses and back.inflections == idx.inflections
    for key in list(idx.by_key)[:: max(1, len(idx.by_key) // 500)]:
        assert back.get(key) == idx.get(key)


def test_a_corrupt_cache_entry_is_rebuilt(tmp_path, monkeypatch):
    from wordfix import cache

    monkeypatch.setenv("WORDFIX_CACHE", str(tmp_path))
    (cache.cache_dir()).mkdir(parents=True)
    (cache.cache_dir() / "thing-1.bin").write_bytes(cache.pack_blobs({"format": 0}))

    def decode(d):
        if d.get("format") != 1:
            raise ValueError
        return d["v"]

    def encode(v):
        return {"format": 1, "v": v}

    assert cache.cached_blobs("thing-1.bin", lambda: 42, encode, decode) == 42
    assert cache.cached_blobs("thing-1.bin", lambda: 0, encode, decode) == 42


def test_the_cached_web_unigrams_round_trip(tmp_path, monkeypatch):
    from wordfix import cache
    from wordfix.language_model import web_unigrams

    monkeypatch.setenv("WORDFIX_CACHE", str(tmp_path))
    built = web_unigrams()  # builds and stores
    assert [p.suffix for p in cache.cache_dir().iterdir()] == [".bin"]
    loaded = web_unigrams()  # from the cache
    assert loaded == built and len(loaded) > 100_000


def test_a_truncated_or_foreign_blob_file_is_rebuilt(tmp_path, monkeypatch):
    from wordfix import cache, tables

    monkeypatch.setenv("WORDFIX_CACHE", str(tmp_path / "c"))
    t = tmp_path / "mine.tsv"
    t.write_text("spun\toriginal\trelation\tweight\tpos\tcontext\tsource\nfoo bar\tbaz\tuser\t1\t\t\t\n")
    tables.load_index([t])
    (entry,) = cache.cache_dir().glob("index-*.bin")
    whole = entry.read_bytes()
    for planted in (whole[:-3], whole + b"x", b"{}", whole.replace(b'"bytes"', b'"pickle"', 1)):
        entry.write_bytes(planted)
        assert tables.load_index([t]).get(("foo", "bar"))[0].original == "baz"
        assert entry.read_bytes() == whole  # rebuilt and stored again
