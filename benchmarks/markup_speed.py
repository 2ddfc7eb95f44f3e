"""HTML and Markdown input next to plain text: speed, and whether the edits are the same.

    python benchmarks/markup_speed.py [--repeat 3] [--copies 4]

1. Words/s of ``Restorer.restore`` on the same prose as plain text, as an HTML page
   (head, script, nav, one ``<p>`` per paragraph, inline ``<em>``/links/code) and as
   Markdown (heading, links, emphasis, code spans, a code block, escapes), for a spun
   text (the seed article) and clean text (``benchmarks/texts``). Target: markup at
   least half the plain-text rate.
2. Same edits: every spun paragraph of ``../shared/data/real-pairs/*.json`` (read at
   run time relative to the project root; skipped when absent) restored as plain text
   and wrapped in HTML and Markdown, inline markup on every 5th word. Reports how many
   of the plain-text edits the markup forms make identically (same words, same
   replacement, same order), how many they drop (a phrase cut by inline markup cannot
   be one edit) and how many they make that plain text does not.
3. Mojibake: share of SpinBot paragraphs (``../shared/data/spinbot/dev.jsonl.gz``)
   that the ftfy pass repairs, and the cost of the pass.
4. Clean web pages: edits made on the Python documentation's HTML (Debian
   ``python3.11-doc``; skipped when absent), with ftfy and spintax on. Target: none.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
import time
from collections import Counter
from pathlib import Path

from speed import best_of  # benchmarks/ is the script's folder, first on sys.path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "data"


MD_ESCAPE = set("\\`*_[]<>#|!&")


def md_escape(s: str) -> str:
    return "".join("\\" + ch if ch in MD_ESCAPE else ch for ch in s)


def _marked(paras: list[str], every: int, avoid, wrap, escape) -> list[str]:
    """Each paragraph's words escaped, every ``every``-th word wrapped in inline markup
    (or, with ``avoid`` = the plain text's edits, every such word no edit touches)."""
    out, pos = [], 0
    for k, p in enumerate(paras):
        words, at = [], pos
        for i, w in enumerate(p.split(" ")):
            e = escape(w)
            hit = avoid is not None and any(a < at + len(w) and at < b for a, b in avoid)
            if i % every == every - 1 and w and not hit:
                e = wrap(e, k, i)
            words.append(e)
            at += len(w) + 1
        out.append(" ".join(words))
        pos += len(p) + 2
    return out


def as_html(paras: list[str], every: int = 5, avoid=None, chrome: bool = True) -> str:
    """An HTML page; ``chrome`` adds a title, navigation and a footer (prose of their own)."""

    def wrap(e, k, i):
        return (f"<em>{e}</em>", f'<a href="https://example.org/{k}/{i}?a=1&amp;b=2">{e}</a>')[i % 2]

    out = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8">']
    out.append("<title>Article</title>\n" if chrome else "\n")
    out.append("<script>var s = 'area unit'; if (a < b) { go(); }</script>\n<style>p { margin: 0 }</style>\n")
    out.append('</head><body>\n<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>\n' if chrome else "<body>")
    out.append("<article>\n")
    for p in _marked(paras, every, avoid, wrap, lambda w: html.escape(w, quote=False)):
        out.append("<p>" + p + "</p>\n")
    out.append("</article>\n<footer><code>v1.0</code> Example Ltd</footer>\n" if chrome else "</article>")
    out.append("</body></html>\n")
    return "".join(out)


def as_markdown(paras: list[str], every: int = 5, avoid=None) -> str:
    def wrap(e, k, i):
        return (f"*{e}*", f"[{e}](https://example.org/{k}/{i})")[i % 2]

    out = []
    for k, p in enumerate(_marked(paras, every, avoid, wrap, md_escape)):
        out.append(p)
        if k % 5 == 4:
            out.append("```python\nx = 'area unit'\n```")
    return "\n\n".join(out) + "\n"


def unescape(s: str, fmt: str) -> str:
    if fmt == "html":
        return html.unescape(s)
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in MD_ESCAPE:
            i += 1
        out.append(s[i])
        i += 1
    return "".join(out)


def speed(r, name: str, paras: list[str], repeat: int) -> None:
    """Best of ``repeat`` rounds, each timing the three forms one after the other, so
    that load from other processes falls on all three alike."""
    plain = "\n\n".join(paras)
    words = r.restore(plain).stats["words"]
    forms = (("text", plain), ("html", as_html(paras)), ("markdown", as_markdown(paras)))
    best = {fmt: float("inf") for fmt, _ in forms}
    for fmt, doc in forms:
        r.restore(doc, fmt)  # warm
    for _ in range(repeat):
        for fmt, doc in forms:
            best[fmt] = min(best[fmt], best_of(lambda doc=doc, fmt=fmt: r.restore(doc, fmt), 1))
    for fmt, doc in forms:
        rate = words / best[fmt]
        print(f"| {name} | {fmt} | {len(doc):,} | {words:,} | {rate:,.0f} | {best['text'] / best[fmt]:.2f} |")


def same_edits(r) -> None:
    files = sorted((SHARED / "real-pairs").glob("*.json"))
    if not files:
        print("\n(same-edits check skipped: ../shared/data/real-pairs not found)")
        return
    print("\nSame edits as plain text, real spun paragraphs (../shared/data/real-pairs), inline markup either")
    print('on every 5th word that no plain-text edit touches ("beside edits") or on every 5th word ("anywhere"):\n')
    print("| document | plain edits | form | markup | identical | dropped | other |")
    print("|---|---:|---|---|---:|---:|---:|")
    totals: Counter = Counter()
    for f in files:
        paras = [" ".join(p["spun"].split()) for p in json.loads(f.read_text(encoding="utf-8")) if p.get("spun")]
        plain = r.restore("\n\n".join(paras))
        want = [(e.before, e.after) for e in plain.edits]
        spans = [(e.start, e.end) for e in plain.edits]
        for where, avoid in (("beside edits", spans), ("anywhere", None)):
            forms = (("html", as_html(paras, avoid=avoid, chrome=False)), ("markdown", as_markdown(paras, avoid=avoid)))
            for fmt, doc in forms:
                res = r.restore(doc, fmt)
                got = [(unescape(e.before, fmt), unescape(e.after, fmt)) for e in res.edits]
                same = _common(want, got)
                dropped = res.stats.get("dropped_edits", 0)
                other = len(got) - same
                for k, v in (("want", len(want)), ("same", same), ("dropped", dropped), ("other", other)):
                    totals[fmt, where, k] += v
                print(f"| {f.stem} | {len(want)} | {fmt} | {where} | {same} | {dropped} | {other} |")
    for where in ("beside edits", "anywhere"):
        for fmt in ("html", "markdown"):
            t = {k: totals[fmt, where, k] for k in ("want", "same", "dropped", "other")}
            share = t["same"] / (t["want"] or 1)
            row = f"| **all** | {t['want']} | {fmt} | {where} | {t['same']} ({share:.1%}) | {t['dropped']} |"
            print(f"{row} {t['other']} |")


def _common(a: list, b: list) -> int:
    """Length of the longest common subsequence: edits made alike, in the same order."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def mojibake(r, limit: int = 200) -> None:
    path = SHARED / "spinbot" / "dev.jsonl.gz"
    if not path.exists():
        print("\n(mojibake check skipped: ../shared/data/spinbot not found)")
        return
    from wordfix.encoding import encoding_edits

    paras = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            for pair in json.loads(line)["pairs"]:
                paras.extend(x for x in pair if isinstance(x, str))
    t = time.perf_counter()
    hit = sum(bool(encoding_edits(p)) for p in paras)
    secs = time.perf_counter() - t
    words = sum(len(p.split()) for p in paras)
    print(f"\nSpinBot dev (first {limit} documents): {hit:,} of {len(paras):,} paragraphs repaired by the ftfy pass")
    print(f"({hit / len(paras):.1%}); the pass alone runs at {words / secs:,.0f} words/s.")


def clean_html(r, limit: int) -> None:
    """False edits on real clean web pages: the Python documentation's HTML (Debian
    ``python3.11-doc``), every edit source counted, ftfy on as ``wordfix fix`` has it."""
    import glob

    files = sorted(glob.glob("/usr/share/doc/python3.11/html/**/*.html", recursive=True))[:limit]
    if not files:
        print("\n(clean-HTML check skipped: apt-get install python3.11-doc)")
        return
    words = 0
    edits: Counter = Counter()
    t = time.perf_counter()
    for f in files:
        doc = Path(f).read_text(encoding="utf-8")
        res = r.restore(doc, "html", fix_encoding=True)
        words += res.stats.get("words", 0)
        edits.update(e.source.split(":")[0] for e in res.edits)
    secs = time.perf_counter() - t
    n = sum(edits.values())
    print(f"\nClean HTML (Python documentation, {len(files)} pages, {words:,} prose words): {n} edits")
    print(f"({n / words * 1e4:.2f} per 10,000 words) {dict(edits)}; {words / secs:,.0f} words/s.")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7, help="rounds of timing (the best counts)")
    ap.add_argument("--copies", type=int, default=4, help="copies of the seed article in the spun text")
    ap.add_argument("--pages", type=int, default=100000, help="at most this many clean HTML pages")
    args = ap.parse_args()

    import wordfix

    r = wordfix.Restorer().warm_up()
    seed = (ROOT / "examples" / "seed_spun_article.txt").read_text(encoding="utf-8")
    spun = [" ".join(p.split()) for p in seed.split("\n\n") if p.strip()] * args.copies
    clean = [
        " ".join(p.split())
        for f in sorted((HERE / "texts").glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    print("| text | input | characters | prose words | words/s | of plain |")
    print("|---|---|---:|---:|---:|---:|")
    speed(r, "spun (seed article)", spun, args.repeat)
    speed(r, "clean (benchmarks/texts)", clean, args.repeat)
    same_edits(r)
    mojibake(r)
    clean_html(r, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
