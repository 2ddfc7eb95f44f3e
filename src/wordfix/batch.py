"""Restore many texts, on one core or all of them: :func:`restore_many`.

Shaped like spaCy's ``nlp.pipe(texts, batch_size=, n_process=)``: results come back
in input order, and with ``n_process > 1`` a process pool does the work. Each worker
builds its :class:`~wordfix.Restorer` once (in the pool initializer, from the
picklable :class:`~wordfix.Config`; a loaded Restorer is never pickled) and then
receives *chunks* of texts, so the cost of loading tables and the language model is
paid once per process, not once per text. Only a few chunks are in flight at a time,
so memory stays flat however long the input iterator is.

A text that cannot be restored does not end the run silently: with
``on_error="raise"`` (the default) the first failure is raised as a
:class:`RestoreError` naming the text's index; with ``on_error="yield"`` the
:class:`RestoreError` is yielded in the failed text's place and the run goes on, so
output stays aligned with input (``isinstance(r, RestoreError)`` tells them apart).
"""

from __future__ import annotations

import collections
import itertools
import math
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal

from .config import Config
from .restoration import Detection, Restoration
from .restorer import Restorer

OnError = Literal["raise", "yield"]
DEFAULT_BATCH_SIZE = 16  # texts per task sent to a worker
MAX_BATCH_CHARS = 32_000  # a task is cut early at this many characters (about a second of work)
IN_FLIGHT_PER_PROCESS = 4  # tasks in flight per worker: slack for uneven tasks; each is <= ~32k chars


# -- the batch prior (empirical Bayes) -------------------------------------------------
# Its tuned numbers are Config's: prior_sample (documents read ahead), max_spun_share (the
# estimate never exceeds it: each text still needs its own evidence, a likelihood ratio of 80
# for the gate's 0.9; the clean negative cases' legitimate artifacts, "ne'er" in a quoted
# ballad, "conjointly" in an award citation, read 33-60, and at a share of 0.3 they were
# edited) and prior_pseudo_documents (the configured priors count as this many documents).


@dataclass(frozen=True)
class BatchPrior:
    """The share of spun documents in a batch, estimated from the batch itself.

    A single page is judged against the configured prior (``Config.spin_prior``, 0.006:
    spun text is rare), so a short spun page with little evidence is left alone. In a
    corpus of scraped articles most of which are spun, that prior is wrong, and the
    corpus says so: ``estimate_prior`` fits the share of each spinner family by
    expectation-maximisation over the documents' likelihood ratios (each document's
    evidence is counted once, with its posterior under the current shares), starting
    from and smoothed towards the configured priors. The estimate only ever raises the
    priors (a clean corpus is restored exactly as without it) and stops at
    ``Config.max_spun_share``.
    """

    spin_prior: float  # the thesaurus family's share
    learned_spin_prior: float  # the learned channel's (SpinBot) share
    documents: int  # how many documents the estimate read
    spun: int  # how many of them look spun at the estimated shares (posterior >= 0.5)

    @property
    def share(self) -> float:
        return self.spin_prior + self.learned_spin_prior

    def apply(self, config: Config) -> Config:
        """``config`` with the estimated priors."""
        return config.with_options(spin_prior=self.spin_prior, learned_spin_prior=self.learned_spin_prior)

    def __str__(self) -> str:
        return (
            f"batch prior: {self.share:.3f} of documents spun (thesaurus family {self.spin_prior:.3f}, "
            f"learned channel {self.learned_spin_prior:.3f}; {self.spun} of {self.documents} read look spun)"
        )


def estimate_prior(
    log_lrs: Iterable[tuple[float | None, float | None]], config: Config | None = None, iterations: int = 100
) -> BatchPrior:
    """The batch prior from each document's log likelihood ratios against clean
    (``Detection.log_lrs``: thesaurus family, learned channel; None = no evidence)."""
    c = config or Config()
    base = (c.spin_prior, c.learned_spin_prior)
    pseudo, most = c.prior_pseudo_documents, c.max_spun_share
    docs = [tuple(-math.inf if x is None else x for x in d) for d in log_lrs]
    pi = list(base)
    post: list[tuple[float, float]] = []
    for _ in range(iterations):
        post = [_posteriors(d, pi) for d in docs]
        new = [(sum(p[k] for p in post) + pseudo * base[k]) / (len(docs) + pseudo) for k in (0, 1)]
        new = [max(b, x) for b, x in zip(base, new, strict=True)]
        total = new[0] + new[1]
        if total > most:  # shrink what the batch added, never below the configured priors
            room = max(0.0, most - base[0] - base[1]) / (total - base[0] - base[1])
            new = [b + (x - b) * room for b, x in zip(base, new, strict=True)]
        done = max(abs(a - b) for a, b in zip(new, pi, strict=True)) < 1e-6
        pi = new
        if done:
            break
    post = [_posteriors(d, pi) for d in docs]
    return BatchPrior(round(pi[0], 6), round(pi[1], 6), len(docs), sum(a + b >= 0.5 for a, b in post))


def _posteriors(lls: tuple[float, ...], pi: list[float]) -> tuple[float, float]:
    """Posterior of each spun family for one document's log likelihood ratios."""
    logs = [math.log1p(-pi[0] - pi[1]), math.log(pi[0]) + lls[0], math.log(pi[1]) + lls[1]]
    m = max(logs)
    ex = [math.exp(x - m) for x in logs]
    z = sum(ex)
    return ex[1] / z, ex[2] / z


def _evidence(restorer: Restorer, item: object) -> tuple[float | None, float | None]:
    """A document's log likelihood ratios, read from its prose (``(text, options)`` items
    in HTML or Markdown are projected first, as restoring them does)."""
    text, options = (item[0], item[1] if len(item) > 1 else {}) if isinstance(item, tuple) else (item, {})
    if not isinstance(text, str):
        return (None, None)
    try:
        from .markup import prose

        return restorer.detect(prose(text, options.get("format") or restorer.config.format)).log_lrs
    except Exception:  # a text that cannot be read says nothing; restoring it reports the error
        return (None, None)


class RestoreError(Exception):
    """One text could not be restored.

    ``index`` is its position in the input, ``kind`` the original exception's type
    name, ``message`` its message and ``details`` the formatted traceback (from the
    worker process when there was one). Picklable, so it crosses process boundaries.
    """

    def __init__(self, index: int, kind: str, message: str, details: str = ""):
        super().__init__(index, kind, message, details)
        self.index = index
        self.kind = kind
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"text #{self.index}: {self.kind}: {self.message}"

    @classmethod
    def from_exception(cls, index: int, exc: BaseException) -> RestoreError:
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls(index, type(exc).__name__, str(exc), details)


# -- one Restorer per process, keyed by its options ------------------------------------
_restorers: dict[Config, Restorer] = {}
_restorers_lock = threading.Lock()
_builds = 0


def restorer_for(config: Config | None = None) -> Restorer:
    """This process's warmed-up Restorer for ``config``, built on first use.

    Workers (process pools, Dask workers) call this so that resources load once per
    process whatever the number of tasks. A Restorer built in a parent before a
    ``fork`` is inherited by the children, which then load nothing at all.
    """
    global _builds
    config = config or Config()
    with _restorers_lock:
        r = _restorers.get(config)
        if r is None:
            r = _warm(Restorer(config))
            _restorers[config] = r
            _builds += 1
        return r


def _warm(r: Restorer) -> Restorer:
    r.warm_up()
    r.restore("Warm up the tokenizer too.")  # warm_up() leaves spaCy to the first text
    return r


def restorer_cache_info() -> dict[str, int]:
    """How many Restorers this process has built and holds: to check load-once."""
    return {"builds": _builds, "cached": len(_restorers), "pid": os.getpid()}


# -- worker side -----------------------------------------------------------------------
_worker: Restorer | None = None


def _init_worker(config: Config) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it and stops the pool),
    take back the default SIGTERM (a forked worker inherits the parent's handler),
    and load resources once."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker = restorer_for(config)


class _Detect(tuple):
    """An item of :func:`detect_many`: ``(text,)``, judged with ``Restorer.detect``."""


def _restore_each(restorer: Restorer, batch: list[tuple[int, object]]) -> list[Restoration | RestoreError]:
    out: list = []
    for index, text in batch:
        try:
            if isinstance(text, _Detect):
                out.append(restorer.detect(text[0]))
            elif isinstance(text, tuple):  # (text, restore() options)
                out.append(restorer.restore(text[0], **text[1]))
            else:
                out.append(restorer.restore(text))  # type: ignore[arg-type]  # restore() checks the type
        except Exception as e:  # one bad text must not take its chunk down with it
            out.append(RestoreError.from_exception(index, e))
    return out


def _work(batch: list[tuple[int, object]]) -> list[Restoration | RestoreError]:
    assert _worker is not None, "worker used without its initializer"
    return _restore_each(_worker, batch)


# -- parent side -----------------------------------------------------------------------
def resolve_processes(n_process: int) -> int:
    """``n_process`` as a count: -1 means every CPU this process may use."""
    if n_process == -1:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return max(1, os.cpu_count() or 1)
    if n_process < 1:
        raise ValueError(f"n_process must be >= 1 or -1 (all CPUs), not {n_process}")
    return n_process


def _chunks(texts: Iterable[object], batch_size: int, max_chars: int) -> Iterator[list[tuple[int, object]]]:
    """Group (index, text) pairs into lists of at most batch_size texts / max_chars."""
    batch: list[tuple[int, object]] = []
    chars = 0
    try:
        for i, t in enumerate(texts):
            batch.append((i, t))
            chars += (
                len(t) if isinstance(t, str) else len(t[0]) if isinstance(t, tuple) and isinstance(t[0], str) else 0
            )
            if len(batch) >= batch_size or chars >= max_chars:
                yield batch
                batch, chars = [], 0
    except Exception as e:
        # The input itself failed: what it gave before still gets restored, then the error.
        raise _InputFailed(batch, e) from e
    if batch:
        yield batch


class _InputFailed(Exception):
    """The texts iterable raised: ``batch`` holds the texts it gave since the last full
    batch, ``error`` what it raised."""

    def __init__(self, batch: list[tuple[int, object]], error: Exception):
        super().__init__(batch, error)
        self.batch, self.error = batch, error


def _mp_context() -> multiprocessing.context.BaseContext:
    """``fork`` when it is safe (POSIX, no other threads): workers then start at once
    and share what the parent already loaded. Otherwise ``forkserver`` or ``spawn``,
    which re-import the main module: guard scripts with ``if __name__ == "__main__":``."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _emit(results: list[Restoration | RestoreError], on_error: OnError) -> Iterator[Restoration | RestoreError]:
    for r in results:
        if isinstance(r, RestoreError) and on_error == "raise":
            raise r
        yield r


def restore_many(
    texts: Iterable[str],
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restorer: Restorer | None = None,
    *,
    config: Config | None = None,
    on_error: OnError = "raise",
    batch_prior: bool = False,
    on_prior: Callable[[BatchPrior], None] | None = None,
) -> Iterator[Restoration | RestoreError]:
    """Restore every text of an iterable, yielding Restorations in input order.

    ``n_process``: worker processes (1 = in this process, -1 = all CPUs). The
    options come from ``restorer.config`` or ``config`` (defaults if neither is
    given). In-process, ``restorer`` itself is used. Workers get their Restorer
    once each: where workers are forked (Linux), this process loads it (or warms
    ``restorer``) and they inherit it; elsewhere each builds ``Restorer(config)``.
    ``batch_size``: texts per task (a task is also cut at about 32,000 characters, so
    that long documents still spread evenly over the workers).
    An item may also be a pair ``(text, options)``: ``Restorer.restore(text, **options)``
    (``format``, ``fix_encoding``, ``spintax``) for that text alone.
    ``on_error``: ``"raise"`` raises the first :class:`RestoreError` (the run stops);
    ``"yield"`` yields it in the failed text's place and goes on.
    ``batch_prior``: judge each text against the share of spun documents the batch
    itself shows (:class:`BatchPrior`, estimated on its first ``Config.prior_sample`` texts)
    instead of the configured priors; ``on_prior`` is called with the estimate before
    the first result.

    The input is read lazily, at most ``4 * n_process`` tasks ahead of the output,
    so a generator over a huge file is never held in memory. Closing the generator
    early (or Ctrl-C) stops the workers. If ``texts`` itself raises, every text it
    gave before is restored and yielded first (with any number of processes), then
    its exception is raised. Bad arguments raise at once, not on the
    first ``next()``.
    """
    if on_error not in ("raise", "yield"):
        raise ValueError(f"on_error must be 'raise' or 'yield', not {on_error!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, not {batch_size}")
    if restorer is not None and config is not None and restorer.config != config:
        raise ValueError("give restorer or config, not two different ones")
    if isinstance(texts, (str, bytes)):
        raise TypeError("restore_many takes an iterable of texts; for one text use wordfix.restore(text)")
    procs = resolve_processes(n_process)
    cfg = restorer.config if restorer is not None else (config or Config())
    if batch_prior:
        return _with_batch_prior(texts, procs, batch_size, cfg, on_error, restorer, on_prior)
    return _generate(_chunks(texts, batch_size, MAX_BATCH_CHARS), procs, cfg, on_error, restorer)


def _with_batch_prior(
    texts: Iterable[object],
    procs: int,
    batch_size: int,
    cfg: Config,
    on_error: OnError,
    restorer: Restorer | None,
    on_prior: Callable[[BatchPrior], None] | None,
) -> Iterator[Restoration | RestoreError]:
    """Read the first ``cfg.prior_sample`` texts ahead, estimate the batch prior on them, then
    restore every text (those read ahead first) with it."""
    it = iter(texts)
    ahead: list[object] = []
    failed: Exception | None = None
    try:
        ahead.extend(itertools.islice(it, cfg.prior_sample))
    except Exception as e:  # the input broke: what it gave is still restored, then it is raised
        failed = e
    judge = restorer if restorer is not None else restorer_for(cfg)
    prior = estimate_prior((_evidence(judge, t) for t in ahead), cfg)
    if on_prior is not None:
        on_prior(prior)
    new_cfg = prior.apply(cfg)
    new_restorer = restorer_for(new_cfg) if procs == 1 or restorer is not None else None

    def rest() -> Iterator[object]:
        yield from ahead
        if failed is not None:
            raise failed
        yield from it

    yield from _generate(_chunks(rest(), batch_size, MAX_BATCH_CHARS), procs, new_cfg, on_error, new_restorer)


def detect_many(
    texts: Iterable[str],
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restorer: Restorer | None = None,
    *,
    config: Config | None = None,
    on_error: OnError = "raise",
) -> Iterator[Detection | RestoreError]:
    """:func:`wordfix.detect` for every text of an iterable: Detections in input order,
    on one core or many, exactly as :func:`restore_many` (same arguments and errors)."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("detect_many takes an iterable of texts; for one text use wordfix.detect(text)")
    items: Iterable = (_Detect((t,)) for t in texts)
    return restore_many(  # type: ignore[return-value]  # _Detect items come back as Detections
        items, n_process, batch_size, restorer, config=config, on_error=on_error
    )


def _generate(
    chunks: Iterator[list[tuple[int, object]]],
    procs: int,
    cfg: Config,
    on_error: OnError,
    restorer: Restorer | None,
) -> Iterator[Restoration | RestoreError]:
    if procs == 1:
        r = restorer if restorer is not None else restorer_for(cfg)
        try:
            for batch in chunks:
                yield from _emit(_restore_each(r, batch), on_error)
        except _InputFailed as f:
            yield from _emit(_restore_each(r, f.batch), on_error)
            raise f.error from None
        return
    yield from _pooled(chunks, procs, cfg, on_error, restorer)


def _pooled(
    chunks: Iterator[list[tuple[int, object]]],
    procs: int,
    cfg: Config,
    on_error: OnError,
    restorer: Restorer | None = None,
) -> Iterator[Restoration | RestoreError]:
    """Feed chunks to a process pool, keeping a bounded window of tasks in flight."""
    context = _mp_context()
    if context.get_start_method() == "fork":
        # Load here once: forked workers inherit the loaded resources (shared
        # copy-on-write) instead of each spending CPU and memory to load its own.
        if restorer is not None:
            with _restorers_lock:
                if cfg not in _restorers:
                    _restorers[cfg] = _warm(restorer)
        restorer_for(cfg)
    pool = ProcessPoolExecutor(procs, mp_context=context, initializer=_init_worker, initargs=(cfg,))
    window: collections.deque[Future] = collections.deque()
    limit = procs * IN_FLIGHT_PER_PROCESS
    finished = False
    input_error: Exception | None = None
    try:
        try:
            for batch in chunks:
                window.append(pool.submit(_work, batch))
                while len(window) >= limit:
                    yield from _emit(window.popleft().result(), on_error)
        except _InputFailed as f:  # the texts given before the failure are still restored, in order
            if f.batch:
                window.append(pool.submit(_work, f.batch))
            input_error = f.error
        while window:
            yield from _emit(window.popleft().result(), on_error)
        finished = True
        if input_error is not None:
            raise input_error
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # an error, Ctrl-C, or the caller stopped iterating: don't wait for queued work
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued tasks and end the workers now rather than after their current task."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        if p.is_alive():
            p.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
