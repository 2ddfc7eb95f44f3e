"""The on-disk cache of compiled resources (tables, web unigrams, the neural model).

Everything here only speeds up the next start: if the cache cannot be read or written,
wordfix builds what it needs in memory and carries on.

Cached values are stored as a JSON header followed by raw byte and text blobs (``*.bin``,
:func:`cached_blobs`: the compiled tables' arrays and long word lists load about 0.2 s
faster that way than parsed from JSON and base64), never as pickles: a file planted in
the cache directory can at worst hold wrong data (which fails its check and is rebuilt),
never run code. Each entry is named ``<kind>-<content hash>.bin``; when a new entry is
written, older entries of the same kind beyond the :data:`KEEP` most recently used are
deleted, and so are the entries older versions of wordfix wrote (:data:`LEGACY`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
KEEP = 3  # entries of one kind kept (several table sets in use at once must not thrash)
# what earlier versions wrote and this one never reads again: pickles (wordfix <= 0.1), and
# the compiled tables and web unigrams as JSON (now blob files)
LEGACY = ("index-*.pickle", "web-unigrams-*.pickle", "index-*.json", "web-unigrams-*.json")
BLOB_MAGIC = b"wordfix blobs 1\n"  # first bytes of a .bin entry, then an 8-byte header length


def cache_dir() -> Path:
    """``$WORDFIX_CACHE/wordfix``, else ``$XDG_CACHE_HOME/wordfix``, else ``~/.cache/wordfix``."""
    base = os.environ.get("WORDFIX_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wordfix"


def cached_blobs(
    name: str,
    build: Callable[[], T],
    encode: Callable[[T], dict[str, object]],
    decode: Callable[[dict[str, object]], T],
) -> T:
    """Load ``name`` (``<kind>-<key>.bin``) from the cache and ``decode`` it; if it is
    missing or does not decode (ValueError, KeyError, TypeError...), ``build()`` the
    value and store ``encode(value)`` atomically (temporary file, then rename), so
    concurrent processes never read a half-written file. Then prune old entries.

    ``encode`` turns the value into a dict whose values are JSON data, ``bytes`` or
    ``str``: the bytes and strings are stored raw after a JSON header (``pack_blobs``),
    so loading them parses nothing; ``decode`` gets the same dict back."""
    return _cached(name, build, lambda value: pack_blobs(encode(value)), lambda raw: decode(unpack_blobs(raw)))


def pack_blobs(fields: dict[str, object]) -> bytes:
    """``BLOB_MAGIC``, the header's length (8 bytes, little-endian), the header (JSON: the
    other fields, and the name, kind and length of each blob), then the blobs."""
    meta: dict[str, object] = {}
    blobs: list[list] = []
    parts: list[bytes] = []
    for k, v in fields.items():
        if isinstance(v, (bytes, bytearray)):
            parts.append(bytes(v))
            blobs.append([k, "bytes", len(parts[-1])])
        elif isinstance(v, str):
            parts.append(v.encode("utf-8"))
            blobs.append([k, "str", len(parts[-1])])
        else:
            meta[k] = v
    header = json.dumps({"meta": meta, "blobs": blobs}, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return b"".join([BLOB_MAGIC, len(header).to_bytes(8, "little"), header, *parts])


def unpack_blobs(raw: bytes) -> dict[str, object]:
    """The fields :func:`pack_blobs` stored; ValueError on anything else."""
    m = len(BLOB_MAGIC)
    if raw[:m] != BLOB_MAGIC or len(raw) < m + 8:
        raise ValueError("not a wordfix blob file")
    n = int.from_bytes(raw[m : m + 8], "little")
    header = json.loads(raw[m + 8 : m + 8 + n])
    out = dict(header["meta"])
    view, pos = memoryview(raw), m + 8 + n
    for k, kind, length in header["blobs"]:
        if not isinstance(length, int) or length < 0 or pos + length > len(raw):
            raise ValueError("a blob runs past the end of the file")
        chunk = view[pos : pos + length]
        if kind == "bytes":
            out[k] = bytes(chunk)
        elif kind == "str":
            out[k] = str(chunk, "utf-8")
        else:
            raise ValueError(f"unknown blob kind {kind!r}")
        pos += length
    if pos != len(raw):
        raise ValueError("bytes after the last blob")
    return out


def _cached(name: str, build: Callable[[], T], to_bytes: Callable[[T], bytes], from_bytes: Callable[[bytes], T]) -> T:
    path = cache_dir() / name
    try:
        with open(path, "rb") as f:
            raw = f.read()
        value = from_bytes(raw)
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by pruning
        return value
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        pass
    value = build()
    try:
        from .files import write_atomic

        data = to_bytes(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, fsync=False)  # a cache: atomic, not durable
    except (OSError, ValueError):
        pass
    else:
        prune(path.parent, name.split("-", 1)[0] + "-", keep=path)
    return value


def prune(directory: Path, prefix: str, keep: Path | None = None, n: int = KEEP) -> list[Path]:
    """Delete entries ``<prefix>*.bin`` beyond the ``n`` most recently used (``keep`` is
    never deleted) and every legacy entry; returns what was deleted."""
    gone: list[Path] = []
    try:
        legacy = {p for pattern in LEGACY for p in directory.glob(pattern)} - {keep}
        found = [p for p in directory.glob(f"{prefix}*.bin") if p not in legacy]
        entries = sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return gone
    old = [p for p in entries if p != keep][max(0, n - 1) :] + sorted(legacy)
    for p in old:
        with contextlib.suppress(OSError):
            p.unlink()
            gone.append(p)
    return gone
