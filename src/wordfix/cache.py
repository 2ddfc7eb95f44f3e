"""The on-disk cache of compiled resources (tables, web unigrams, the neural model).

Everything here only speeds up the next start: if the cache cannot be read or written,
wordfix builds what it needs in memory and carries on.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """``$WORDFIX_CACHE/wordfix``, else ``$XDG_CACHE_HOME/wordfix``, else ``~/.cache/wordfix``."""
    base = os.environ.get("WORDFIX_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wordfix"


def cached_pickle(name: str, build: Callable[[], T], check: Callable[[object], bool] = lambda _: True) -> T:
    """Load ``name`` from the cache if a readable copy passes ``check``; otherwise
    ``build()`` it and store it atomically (temporary file, then rename), so concurrent
    processes never read a half-written file."""
    path = cache_dir() / name
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
        if check(value):
            return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
