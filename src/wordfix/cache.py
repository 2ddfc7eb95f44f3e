"""The on-disk cache of compiled resources (tables, web unigrams, the neural model).

Everything here only speeds up the next start: if the cache cannot be read or written,
wordfix builds what it needs in memory and carries on.

Cached values are stored as plain JSON (``*.json``), never as pickles: a file planted in
the cache directory can at worst hold wrong data (which fails its check and is rebuilt),
never run code. Each entry is named ``<kind>-<content hash>.json``; when a new entry is
written, older entries of the same kind beyond the :data:`KEEP` most recently used are
deleted, and so are the pickles older versions of wordfix wrote.
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
LEGACY = ("index-*.pickle", "web-unigrams-*.pickle")  # what wordfix <= 0.1 wrote; never read again


def cache_dir() -> Path:
    """``$WORDFIX_CACHE/wordfix``, else ``$XDG_CACHE_HOME/wordfix``, else ``~/.cache/wordfix``."""
    base = os.environ.get("WORDFIX_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wordfix"


def cached_json(
    name: str,
    build: Callable[[], T],
    encode: Callable[[T], object],
    decode: Callable[[object], T],
) -> T:
    """Load ``name`` (``<kind>-<key>.json``) from the cache and ``decode`` it; if it is
    missing or does not decode (ValueError, KeyError, TypeError...), ``build()`` the
    value and store ``encode(value)`` atomically (temporary file, then rename), so
    concurrent processes never read a half-written file. Then prune old entries."""
    path = cache_dir() / name
    try:
        with open(path, "rb") as f:
            raw = f.read()
        value = decode(json.loads(raw))
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by pruning
        return value
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        pass
    value = build()
    try:
        from .files import write_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        write_atomic(path, data.encode("utf-8"), fsync=False)  # a cache: atomic, not durable
    except (OSError, ValueError):
        pass
    else:
        prune(path.parent, name.split("-", 1)[0] + "-", keep=path)
    return value


def prune(directory: Path, prefix: str, keep: Path | None = None, n: int = KEEP) -> list[Path]:
    """Delete entries ``<prefix>*.json`` beyond the ``n`` most recently used (``keep``
    is never deleted) and every legacy pickle; returns what was deleted."""
    gone: list[Path] = []
    try:
        entries = sorted(directory.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return gone
    old = [p for p in entries if p != keep][max(0, n - 1) :]
    for pattern in LEGACY:
        old.extend(directory.glob(pattern))
    for p in old:
        with contextlib.suppress(OSError):
            p.unlink()
            gone.append(p)
    return gone
