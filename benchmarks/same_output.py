"""Dump what wordfix restores on a fixed set of texts, to check that a speed-up changes nothing.

    python benchmarks/same_output.py OUT.json               # write the dump
    python benchmarks/same_output.py OUT.json --compare REF.json

Texts: the seed article, benchmarks/texts/*.txt (clean), the clean text speed.py times,
the real-pair documents (../shared/data/real-pairs, spun and original side, whole and per
paragraph) and 10 SpinBot dev articles (spun and original side, whole). For each text it
records r.text, the spin score and every edit and withheld edit (start, end, after, rounded
confidence, source, alternatives).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SHARED = HERE.parent.parent / "shared" / "data"


def texts() -> dict[str, str]:
    out = {"seed": (HERE.parent / "examples" / "seed_spun_article.txt").read_text(encoding="utf-8")}
    for p in sorted((HERE / "texts").glob("*.txt")):
        out[f"texts/{p.name}"] = p.read_text(encoding="utf-8")
    import speed

    out["speed-clean"] = speed.clean_text()
    for p in sorted((SHARED / "real-pairs").glob("*.json")):
        recs = json.loads(p.read_text(encoding="utf-8"))
        for side in ("spun", "original"):
            out[f"real/{p.stem}/{side}"] = "\n\n".join(r[side] for r in recs)
            for i, r in enumerate(recs[:12]):
                out[f"real/{p.stem}/{side}/{i}"] = r[side]
    path = SHARED / "spinbot" / "dev.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            recs = [json.loads(line) for line in f]
        recs.sort(key=lambda r: int(r["id"]))
        step = max(1, len(recs) // 10)
        for r in recs[::step][:10]:
            pairs = r["pairs"][1:]
            out[f"spinbot/{r['id']}/spun"] = "\n\n".join(s for _, s in pairs)
            out[f"spinbot/{r['id']}/original"] = "\n\n".join(o for o, _ in pairs)
    return out


def edit_record(e) -> list:
    alts = [[a.text, round(a.probability, 4), a.source] for a in e.alternatives]
    return [e.start, e.end, e.after, round(e.confidence, 4), e.source, alts]


def dump() -> dict:
    import wordfix

    r = wordfix.Restorer().warm_up()
    out = {}
    for name, text in texts().items():
        res = r.restore(text)
        out[name] = {
            "text": res.text,
            "spin": round(res.spin_score, 6),
            "edits": [edit_record(e) for e in res.edits],
            "withheld": [edit_record(e) for e in res.withheld],
        }
    return out


def compare(new: dict, ref: dict) -> int:
    bad = 0
    for name in sorted(set(new) | set(ref)):
        a, b = new.get(name), ref.get(name)
        if a == b:
            continue
        bad += 1
        print(f"DIFFERENT: {name}")
        if a is None or b is None:
            continue
        for key in ("spin", "edits", "withheld"):
            if a[key] != b[key]:
                if key == "spin":
                    print(f"  spin {b[key]} -> {a[key]}")
                    continue
                sa, sb = {json.dumps(x) for x in a[key]}, {json.dumps(x) for x in b[key]}
                for x in sorted(sb - sa):
                    print(f"  - {key} {x}")
                for x in sorted(sa - sb):
                    print(f"  + {key} {x}")
    print(f"{len(new)} texts, {bad} different")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--compare")
    a = ap.parse_args()
    t = time.perf_counter()
    new = dump()
    Path(a.out).write_text(json.dumps(new, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(new)} texts in {time.perf_counter() - t:.1f} s -> {a.out}")
    if a.compare:
        return compare(new, json.loads(Path(a.compare).read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
