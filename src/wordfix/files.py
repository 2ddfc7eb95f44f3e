"""Writing files without ever losing a user's data: the one place ``fix``, ``review`` and
``apply`` write through.

- :class:`AtomicFile` / :func:`write_atomic` / :func:`copy_atomic`: a file appears at its
  destination complete or not at all (temp file in the same directory, fsync,
  ``os.replace``). Each temp file names its owner (``.NAME.<pid>.XXXX.wordfix-tmp``) and
  is locked (``flock``) while it is written, so :func:`remove_stale_temps` removes only
  what a dead run left behind, never a live run's work.
- :func:`replace_target` / :func:`replace_with_backup`: the one rule for writing over an
  existing file (``fix --in-place``, ``apply -o FILE``, ``review -i -o FILE``): a
  byte-identical backup first; through a symbolic link to its target; keeping the mode
  and owner; refusing files with several hard links (replacing would break them) and
  read-only files (unless forced).
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not POSIX: temp files are still owned by pid, just not locked
    fcntl = None  # type: ignore[assignment]

TMP_MARK = ".wordfix-tmp"  # in the names of temp files, so stale ones can be found
_TMP_PID = re.compile(r"\.(\d+)\.[^.]*" + re.escape(TMP_MARK) + "$")

__all__ = [
    "TMP_MARK",
    "RefusedWrite",
    "AtomicFile",
    "write_atomic",
    "copy_atomic",
    "remove_stale_temps",
    "backup_path",
    "backup_state",
    "replace_target",
    "replace_with_backup",
    "same_file",
    "display_path",
    "ResumableFile",
    "read_checkpoint",
    "partial_paths",
]


class RefusedWrite(Exception):
    """Writing would lose or damage data; the message says why and what to do."""


# -- new files -------------------------------------------------------------------------
_UMASK: int | None = None
_UMASK_LOCK = threading.Lock()


def new_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (mkstemp makes 0600 files).
    The umask can only be read by setting it, hence the lock: files are written
    from several threads."""
    global _UMASK
    with _UMASK_LOCK:
        if _UMASK is None:
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
        return 0o666 & ~_UMASK


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


class AtomicFile:
    """A file that appears at ``dest`` complete or not at all.

    Data goes to a hidden, locked temp file in the same directory; :meth:`commit`
    flushes, fsyncs, gives it ``mode`` (and ``owner``, a (uid, gid) pair) and renames
    it over ``dest`` (``os.replace`` is atomic on POSIX); :meth:`discard` removes it.
    Used as a context manager it commits on success and discards on any exception,
    KeyboardInterrupt included.
    """

    def __init__(
        self, dest: Path, *, mode: int | None = None, fsync: bool = True, owner: tuple[int, int] | None = None
    ):
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=TMP_MARK, dir=dest.parent)
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.dest, self.tmp = dest, Path(tmp)
        self.file: IO[bytes] = os.fdopen(fd, "wb")
        self.mode = new_file_mode() if mode is None else mode
        self.owner = owner
        self.fsync = fsync
        self.done = False

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def commit(self) -> None:
        if self.done:
            return
        try:
            self.file.flush()
            if self.fsync:
                os.fsync(self.file.fileno())
            os.chmod(self.tmp, self.mode)
            if self.owner is not None:
                st = os.stat(self.tmp)
                if (st.st_uid, st.st_gid) != self.owner:
                    try:
                        os.chown(self.tmp, *self.owner)
                    except PermissionError:
                        raise RefusedWrite(
                            f"cannot keep its owner (uid {self.owner[0]}, gid {self.owner[1]}): "
                            "run as that user, or copy the file first"
                        ) from None
            os.replace(self.tmp, self.dest)  # still locked: no clean-up can take it meanwhile
            self.done = True
            self.file.close()
        finally:
            if not self.done:
                self.discard()

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)
        with contextlib.suppress(OSError):
            self.file.close()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_atomic(
    dest: Path, data: bytes, *, mode: int | None = None, fsync: bool = True, owner: tuple[int, int] | None = None
) -> None:
    """Write ``data`` to ``dest`` so that no reader ever sees a partial file."""
    with AtomicFile(dest, mode=mode, fsync=fsync, owner=owner) as f:
        f.write(data)


def copy_atomic(src: Path, dest: Path, *, fsync: bool = True) -> None:
    """Copy ``src`` byte for byte (and its mode) to ``dest``, atomically."""
    with AtomicFile(dest, mode=src.stat().st_mode & 0o7777, fsync=fsync) as out, open(src, "rb") as f:
        shutil.copyfileobj(f, out.file)


def _stale(p: Path) -> bool:
    """True if ``p`` is a temp file whose owner is gone: its pid is not running and
    nobody holds its lock."""
    m = _TMP_PID.search(p.name)
    if m is None or _pid_alive(int(m.group(1))):
        return False  # no owner named (not ours to judge), or the owner runs
    if fcntl is None:
        return True
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_stale_temps(root: Path) -> int:
    """Delete temp files a killed run left under ``root``; returns how many. A temp
    file whose owner still runs (or holds its lock) is left alone."""
    n = 0
    for p in Path(root).rglob(f".*{TMP_MARK}"):
        if _stale(p):
            with contextlib.suppress(OSError):
                p.unlink()
                n += 1
    return n


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed and encoded: bytes of a file name that
    are not UTF-8 (kept by Python as lone surrogates) are shown as ``\\xNN``."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# -- writing over existing files -------------------------------------------------------
def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two paths name one file (through links too); False if either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def backup_path(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def backup_state(path: Path, suffix: str) -> str:
    """``"none"``: no backup; ``"same"``: a backup identical to the file (a run was
    stopped between backing up and replacing); ``"differs"``: the file was replaced."""
    backup = backup_path(path, suffix)
    if not backup.exists():
        return "none"
    return "same" if filecmp.cmp(path, backup, shallow=False) else "differs"


BACKUP_EXISTS = "its backup {} exists already and differs from it; move it away, or pass --resume to skip done files"


def replace_target(path: Path, *, force: bool = False) -> Path:
    """The file to write when replacing ``path``: its target if it is a symbolic link.
    Refuses (RefusedWrite) what cannot be replaced without damage: not a regular file,
    several hard links, or read-only (unless ``force``)."""
    real = Path(os.path.realpath(path))
    try:
        st = real.stat()
    except FileNotFoundError:
        raise RefusedWrite("it does not exist (a dangling link?)") from None
    if not stat.S_ISREG(st.st_mode):
        raise RefusedWrite("not a regular file")
    if st.st_nlink > 1:
        raise RefusedWrite(
            f"it has {st.st_nlink} hard links, and replacing it would break them; "
            "write the result elsewhere (-o) and copy it over yourself"
        )
    if not force and (not st.st_mode & 0o222 or not os.access(real, os.W_OK)):
        raise RefusedWrite("it is read-only; make it writable, or pass --force to replace it anyway")
    return real


def replace_with_backup(
    path: Path, suffix: str, data: bytes, *, fsync: bool = True, force: bool = False, resume_hint: bool = True
) -> Path:
    """Write ``data`` over ``path`` (through a link: over its target) after keeping a
    byte-identical backup ``TARGET+suffix``. Both steps are atomic, so an interruption
    never loses the original; mode and owner are kept. Returns the file written."""
    real = replace_target(path, force=force)
    state = backup_state(real, suffix)
    if state == "differs":
        msg = BACKUP_EXISTS.format(backup_path(real, suffix))
        raise RefusedWrite(msg if resume_hint else msg.split(";")[0] + "; move it away first")
    if state == "none":
        copy_atomic(real, backup_path(real, suffix), fsync=fsync)
    st = real.stat()
    write_atomic(real, data, mode=st.st_mode & 0o7777, fsync=fsync, owner=(st.st_uid, st.st_gid))
    return real


# -- outputs that survive an interruption -----------------------------------------------
PARTIAL_MARK = ".wordfix-partial"
CHECKPOINT_MARK = ".wordfix-checkpoint"


def partial_paths(dest: Path) -> tuple[Path, Path]:
    """The partial output and the checkpoint that belong to ``dest``."""
    return dest.with_name(f".{dest.name}{PARTIAL_MARK}"), dest.with_name(f".{dest.name}{CHECKPOINT_MARK}")


def sha256_prefix(path: Path, n: int) -> str | None:
    """The hex SHA-256 of the first ``n`` bytes of ``path``; None if it is shorter."""
    h = hashlib.sha256()
    left = n
    with open(path, "rb") as f:
        while left > 0:
            block = f.read(min(left, 1 << 20))
            if not block:
                return None
            h.update(block)
            left -= len(block)
    return h.hexdigest()


def read_checkpoint(dest: Path) -> dict | None:
    """The checkpoint of ``dest``'s partial output, if there is one that parses and
    whose partial output still holds the bytes it vouches for (by SHA-256)."""
    partial, ckpt = partial_paths(dest)
    try:
        state = json.loads(ckpt.read_text(encoding="utf-8"))
        n, digest = state["output_bytes"], state["output_sha256"]
        if not isinstance(n, int) or sha256_prefix(partial, n) != digest:
            return None
        return state
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ResumableFile:
    """The output of a long stream of records that survives an interruption.

    Data goes to ``.NAME.wordfix-partial`` beside ``dest`` (locked while written, so a
    second run cannot take it); :meth:`checkpoint` makes what is written so far durable
    (fsync) and records, atomically, how many bytes of it are good (with their
    SHA-256) together with the caller's ``state`` (where the input stands) in
    ``.NAME.wordfix-checkpoint``. :meth:`commit` renames the partial file to ``dest``
    and drops the checkpoint; :meth:`discard` (an interruption) leaves both for
    ``--resume``; :meth:`abandon` removes both. ``resume``: a checkpoint from
    :func:`read_checkpoint` to continue after.
    """

    def __init__(self, dest: Path, *, fsync: bool = True, resume: dict | None = None):
        self.dest = Path(dest)
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.partial, self.ckpt = partial_paths(self.dest)
        fd = os.open(self.partial, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise RefusedWrite("another wordfix run is writing this output now") from None
        self.file: IO[bytes] = os.fdopen(fd, "r+b")
        self.hash = hashlib.sha256()
        self.length = 0
        if resume is not None:
            n = resume["output_bytes"]
            while self.length < n:  # the good part again, into the running hash
                block = self.file.read(min(n - self.length, 1 << 20))
                if not block:
                    break
                self.hash.update(block)
                self.length += len(block)
            if self.hash.hexdigest() != resume["output_sha256"]:
                self.file.close()
                raise RefusedWrite("its partial output changed since the checkpoint; run without --resume")
        self.file.seek(self.length)
        self.file.truncate()
        self.fsync = fsync
        self.mode = new_file_mode()
        self.done = False

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.hash.update(data)
        self.length += len(data)

    def checkpoint(self, state: dict) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())  # always: a checkpoint must never vouch for lost bytes
        doc = {**state, "output_bytes": self.length, "output_sha256": self.hash.hexdigest()}
        write_atomic(self.ckpt, json.dumps(doc).encode("utf-8"), fsync=True)

    def commit(self) -> None:
        if self.done:
            return
        self.file.flush()
        if self.fsync:
            os.fsync(self.file.fileno())
        os.chmod(self.partial, self.mode)
        os.replace(self.partial, self.dest)
        self.done = True
        self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.ckpt)

    def discard(self) -> None:
        """Stop writing, keeping the partial output and its checkpoint (for --resume)."""
        if self.done:
            return
        self.done = True
        with contextlib.suppress(OSError):
            self.file.flush()
        with contextlib.suppress(OSError):
            self.file.close()

    def abandon(self) -> None:
        """Stop writing and remove the partial output and its checkpoint."""
        self.discard()
        for p in (self.partial, self.ckpt):
            with contextlib.suppress(OSError):
                os.unlink(p)
