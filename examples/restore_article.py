"""Restore the bundled spun article and show what changed.

    python examples/restore_article.py [FILE]

Prints the repaired text, then the word-level diff ([-spun-]{+restored+}), then one
line per edit with its confidence and the table row that proposed it.
"""

import sys
from pathlib import Path

import wordfix

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("seed_spun_article.txt")
text = path.read_text(encoding="utf-8")
r = wordfix.restore(text)

print("=== restored text ===")
print(r.text)
print("=== diff ===")
print(r.diff("inline"))
print(f"=== {len(r.edits)} edits; spin score {r.spin_score:.2f}: {r.spin_reason} ===")
for e in r.edits:
    print(f"{e.start:>6}  {e.before!r} -> {e.after!r}  confidence {e.confidence:.2f}  {e.source}")
