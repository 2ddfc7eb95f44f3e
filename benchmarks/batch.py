"""Batch throughput: words/s of ``wordfix.restore_many`` with 1 and 2 processes.

    python benchmarks/batch.py              # ~2 MB corpus, prints a table
    python benchmarks/batch.py --mb 0.5 --json results.json

The corpus mixes spun documents (the seed article, its sentences reshuffled per copy
so that no two copies are alike) with clean prose (Debian's Python documentation
sources, when installed: ``apt-get install python3.11-doc``; else the seed's
reconstructed original, reshuffled the same way). Each configuration runs in a
fresh interpreter, so caches warmed by one run cannot speed up the next, and its
time includes starting workers and loading resources, as a real run's does.

Peak memory per worker is the largest ``ru_maxrss`` among the pool's worker
processes (``RUSAGE_CHILDREN`` after the pool has exited); with one process it is
the process itself. Forked workers share the parent's loaded resources
copy-on-write, and RSS counts those shared pages in every process that maps them,
so the sum over processes overstates the physical memory used. "CPU s" adds up the
CPU time of the parent and all workers: when it is much lower than processes x
seconds, other work on the machine took the cores.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEED_CANDIDATES = [
    SHARED / "seed_spun_article.txt",
    Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt",
]
CLEAN_GLOBS = ["/usr/share/doc/python3*/html/_sources/**/*.txt"]
DOC_CHARS = 8000  # clean files are cut into documents of about this size
SPUN_SHARE = 0.3  # share of the corpus (by characters) that is spun
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PARA = re.compile(r"\n\s*\n")


def _first(paths: list[Path]) -> Path:
    for p in paths:
        if p.exists():
            return p
    sys.exit(f"benchmark: none of {', '.join(map(str, paths))} exists")


def _reshuffle(text: str, rng: random.Random) -> str:
    """A new document from the same sentences: paragraphs kept, sentences shuffled."""
    paras = [p for p in _PARA.split(text) if p.strip()]
    out = []
    for p in paras:
        sents = _SENTENCE.split(p.strip())
        rng.shuffle(sents)
        out.append(" ".join(sents))
    rng.shuffle(out)
    return "\n\n".join(out) + "\n"


def _clean_documents() -> list[str]:
    docs: list[str] = []
    files = sorted({f for g in CLEAN_GLOBS for f in glob.glob(g, recursive=True)})
    for f in files:
        text = Path(f).read_text(encoding="utf-8", errors="replace")
        piece: list[str] = []
        size = 0
        for para in _PARA.split(text):
            piece.append(para)
            size += len(para)
            if size >= DOC_CHARS:
                docs.append("\n\n".join(piece))
                piece, size = [], 0
        if piece and size > 200:
            docs.append("\n\n".join(piece))
    return docs


def build_corpus(megabytes: float, seed: int = 0) -> tuple[list[str], int]:
    """Documents totalling about ``megabytes`` of text; returns them and how many are spun."""
    rng = random.Random(seed)
    spun_src = _first(SEED_CANDIDATES).read_text(encoding="utf-8")
    clean = _clean_documents()
    if not clean:
        original = SHARED / "seed_original_reconstructed.txt"
        base = original.read_text(encoding="utf-8") if original.exists() else spun_src
        clean = [_reshuffle(base, rng) for _ in range(50)]
    rng.shuffle(clean)
    target = int(megabytes * 1_000_000)
    docs: list[str] = []
    spun_chars = total = n_spun = 0
    ci = 0
    while total < target:
        if spun_chars < SPUN_SHARE * (total + 1):
            d = _reshuffle(spun_src, rng)
            spun_chars += len(d)
            n_spun += 1
        else:
            d = clean[ci % len(clean)]
            ci += 1
        docs.append(d)
        total += len(d)
    return docs, n_spun


def _measure(corpus_file: str, n_process: int, batch_size: int) -> dict:
    """One configuration, in this (fresh) interpreter."""
    import wordfix

    docs = json.loads(Path(corpus_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    words = edits = 0
    first = None
    for r in wordfix.restore_many(docs, n_process=n_process, batch_size=batch_size):
        if first is None:
            first = time.perf_counter() - t0
        words += r.stats.get("words", 0)
        edits += len(r.edits)
    seconds = time.perf_counter() - t0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    self_peak, child_peak = me.ru_maxrss * scale, children.ru_maxrss * scale
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    return {
        "n_process": n_process,
        "documents": len(docs),
        "words": words,
        "edits": edits,
        "seconds": round(seconds, 2),
        "first_result_s": round(first or 0.0, 2),
        "cpu_s": round(cpu, 1),
        "words_per_s": round(words / seconds, 1),
        "peak_rss_worker_mb": round((self_peak if n_process == 1 else child_peak) / 2**20, 1),
        "peak_rss_parent_mb": round(self_peak / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=2.0, help="corpus size in MB of text (default 2)")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="configurations (default 1 2)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--json", metavar="FILE", help="also write the results here")
    ap.add_argument("--measure", metavar="CORPUS", help=argparse.SUPPRESS)  # internal: one configuration
    ap.add_argument("--n", type=int, default=1, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.measure:
        print(json.dumps(_measure(a.measure, a.n, a.batch_size)))
        return 0

    docs, n_spun = build_corpus(a.mb)
    chars = sum(map(len, docs))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.json"
        corpus.write_text(json.dumps(docs), encoding="utf-8")
        print(f"corpus: {len(docs)} documents ({n_spun} spun), {chars / 1e6:.2f} MB", file=sys.stderr)
        results = []
        for n in a.processes:
            print(f"running with {n} process(es)...", file=sys.stderr)
            cmd = [sys.executable, __file__, "--measure", str(corpus), "--n", str(n), "--batch-size", str(a.batch_size)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = results[0]["words_per_s"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\ncorpus: {len(docs)} documents ({n_spun} spun), {chars / 1e6:.2f} MB, {results[0]['words']:,} words; "
        f"{os.cpu_count()} CPUs, load average {load} (other work on the machine skews the figures)"
    )
    print(
        f"{'processes':>9}  {'seconds':>8}  {'CPU s':>6}  {'words/s':>9}  {'speed-up':>8}  {'first (s)':>9}  "
        f"{'peak RSS per worker':>19}  {'parent peak':>11}"
    )
    for r in results:
        speedup = r["words_per_s"] / base
        print(
            f"{r['n_process']:>9}  {r['seconds']:>8.1f}  {r['cpu_s']:>6.1f}  {r['words_per_s']:>9,.0f}  "
            f"{speedup:>7.2f}x  {r['first_result_s']:>9.1f}  {r['peak_rss_worker_mb']:>16.0f} MB  "
            f"{r['peak_rss_parent_mb']:>8.0f} MB"
        )
    if a.json:
        summary = {"corpus_mb": round(chars / 1e6, 2), "load_average": os.getloadavg(), "results": results}
        Path(a.json).write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
