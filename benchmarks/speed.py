"""Speed of `wordfix.restore` next to the bare spaCy tokenizer, on the same text, in one run.

    python benchmarks/speed.py [--repeat 3] [--sizes 1,4,16]

For a spun text (the seed article, repeated) and a clean text (Python tutorial prose
from Debian's python3.11-doc, or the benchmark's own texts when it is absent), prints
words/second of ``spacy.blank("en")``'s tokenizer and of ``Restorer.restore`` at
growing sizes (to show the cost stays linear), the ratio, the time to import wordfix
and restore a first text in a fresh process (warm disk cache; median of 5), and peak memory.
"""

from __future__ import annotations

import argparse
import glob
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "examples" / "seed_spun_article.txt"


def clean_text() -> str:
    files = sorted(glob.glob("/usr/share/doc/python3.11/html/_sources/tutorial/*.rst.txt"))
    if files:
        paras = []
        for f in files:
            for p in re.split(r"\n\s*\n", Path(f).read_text(encoding="utf-8")):
                if len(p.split()) > 20 and not p.startswith(" ") and "::" not in p and ">>>" not in p:
                    paras.append(p)
        return "\n\n".join(paras)
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((HERE / "texts").glob("*.txt")))


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def first_restore_seconds(runs: int = 5) -> tuple[float, float]:
    """Import wordfix and restore a short text in a new process (resources cached on disk):
    (median, fastest) of ``runs`` processes, since one start on shared cores varies by 0.3 s."""
    code = (
        "import time; t = time.perf_counter(); import wordfix; "
        "wordfix.restore('It is Associate in Nursing example.'); print(time.perf_counter() - t)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # fills the caches
    times = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip())
        for _ in range(runs)
    ]
    return statistics.median(times), min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="1,4,16", help="multiples of the base text")
    a = ap.parse_args()

    import spacy

    import wordfix

    nlp = spacy.blank("en")
    nlp.max_length = 10**9
    r = wordfix.Restorer().warm_up()
    texts = {"spun (seed article)": SEED.read_text(encoding="utf-8"), "clean (Python tutorial)": clean_text()}
    median, fastest = first_restore_seconds()
    print(f"import + first restore in a fresh process: {median:.2f} s (median of 5; fastest {fastest:.2f} s)")
    print()
    print("| text | words | spaCy tokenizer words/s | restore words/s | ratio | restore s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, base in texts.items():
        for k in (int(x) for x in a.sizes.split(",")):
            text = "\n\n".join([base] * k)
            words = len(text.split())
            t_tok = best_of(lambda text=text: nlp.make_doc(text), a.repeat)
            t_res = best_of(lambda text=text: r.restore(text), a.repeat)
            cells = [f"{name} ×{k}", f"{words:,}", f"{words / t_tok:,.0f}", f"{words / t_res:,.0f}"]
            cells += [f"1/{t_res / t_tok:.1f}", f"{t_res:.2f}"]
            print("| " + " | ".join(cells) + " |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"peak memory (this process, tables + model + texts): {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
