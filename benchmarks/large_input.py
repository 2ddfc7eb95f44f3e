"""Time and peak memory on large and hostile inputs (issue 13, items 19, 20, 22).

    python benchmarks/large_input.py [--sizes 5,50] [--jobs 1] [--skip-library] [--write FILE]

Each measurement runs in a fresh process, which reports its own peak RSS
(``ru_maxrss``), so the figures do not mix:

- ``startup``: import wordfix and restore a first text (the compiled-table cache warm).
- ``punctuation``: ``restore("!?.,;:-" * 150_000)``, one 1 MB run with no spaces (was
  61 s when the tokenizer was quadratic on such runs).
- ``fix N MB``: ``wordfix fix big.txt -o out/`` on an N MB file of the seed article and
  clean prose in turn; the CLI streams long files through the chunker, so peak memory
  should not grow with N.
- ``library 10 MB``: ``restore`` of a 10 MB string, then ``.diff()`` and ``.to_json()``
  (the library holds the whole text, its edits and their alternatives in memory).

Prints a Markdown table (and writes it to ``--write``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "examples" / "seed_spun_article.txt"
CLEAN = (
    "The committee met on Tuesday to discuss the budget for next year. It heard from the treasurer, who said "
    "that the accounts were in order, and from two members who asked about the cost of the new roof.\n\n"
)

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
kind, arg = sys.argv[1], sys.argv[2]
out = {}
if kind == "startup":
    import wordfix
    wordfix.restore("It's Associate in Nursing in progress method.")
elif kind == "punctuation":
    import wordfix
    wordfix.restore("warm up")
    t0 = time.perf_counter()
    wordfix.restore("!?.,;:-" * 150_000)
elif kind == "fix":
    from wordfix import cli
    from wordfix.batch import restorer_for
    restorer_for()
    t0 = time.perf_counter()
    out["status"] = cli.main(json.loads(arg))
elif kind == "library":
    import wordfix
    text = open(arg, encoding="utf-8").read()
    wordfix.restore("warm up")
    t0 = time.perf_counter()
    r = wordfix.restore(text)
    out["restore_s"] = time.perf_counter() - t0
    out["restore_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    r.diff("unified"); r.to_json()
out["seconds"] = time.perf_counter() - t0
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(kind: str, arg: str = "") -> dict:
    p = subprocess.run([sys.executable, "-c", CHILD, kind, arg], capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def big_text(mb: float) -> str:
    seed = SEED.read_text(encoding="utf-8").strip() + "\n\n"
    unit = seed + CLEAN * 8
    n = int(mb * 1024 * 1024 / len(unit.encode())) + 1
    return unit * n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,50", help="file sizes in MB for the fix runs (comma-separated)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--library-mb", type=float, default=10.0)
    ap.add_argument("--skip-library", action="store_true")
    ap.add_argument("--write", type=Path, help="also write the table to this file")
    a = ap.parse_args()
    rows = [("measurement", "seconds", "peak RSS (MB)", "notes")]
    child("startup")  # the cache warm
    s = child("startup")
    rows.append(("import + first restore", f"{s['seconds']:.2f}", f"{s['rss_mb']:.0f}", "warm table cache"))
    p = child("punctuation")
    rows.append(("restore 1 MB of punctuation, no spaces", f"{p['seconds']:.2f}", f"{p['rss_mb']:.0f}", ""))
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (float(x) for x in a.sizes.split(",")):
            src = Path(tmp) / f"big-{mb:g}.txt"
            src.write_text(big_text(mb), encoding="utf-8")
            out = Path(tmp) / f"out-{mb:g}"
            argv = ["fix", str(src), "-o", str(out), "-q", "--jobs", str(a.jobs)]
            f = child("fix", json.dumps(argv))
            words = len(src.read_text(encoding="utf-8").split())
            rows.append(
                (
                    f"wordfix fix, {mb:g} MB file (--jobs {a.jobs})",
                    f"{f['seconds']:.1f}",
                    f"{f['rss_mb']:.0f}",
                    f"{words / f['seconds']:,.0f} words/s; exit {f['status']}",
                )
            )
            src.unlink()
        if not a.skip_library:
            src = Path(tmp) / "lib.txt"
            src.write_text(big_text(a.library_mb), encoding="utf-8")
            lib = child("library", str(src))
            rows.append(
                (
                    f"restore() of a {a.library_mb:g} MB string",
                    f"{lib['restore_s']:.1f}",
                    f"{lib['restore_rss_mb']:.0f}",
                    "library: whole text in memory",
                )
            )
            rows.append(
                ("... then .diff() and .to_json()", f"{lib['seconds']:.1f}", f"{lib['rss_mb']:.0f}", "cumulative")
            )
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("---" for _ in rows[0]) + "|")
    table = "\n".join(lines) + "\n"
    stamp = time.strftime("%Y-%m-%d")
    print(table)
    if a.write:
        a.write.write_text(f"# Large inputs ({stamp}, `python benchmarks/large_input.py --sizes {a.sizes}`)\n\n{table}")


if __name__ == "__main__":
    main()
