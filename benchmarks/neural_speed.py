"""Speed, memory and single-swap accuracy of the neural scorer (SmolLM2-135M).

    python benchmarks/neural_speed.py [--threads 2] [--data DIR] [--skip-cold] [--show-errors]

Prints:
* load time cold (GGUF -> float32 -> safetensors cache, in a throwaway cache
  directory) and warm (from the cache), each in a fresh process, with its peak RSS;
* texts/s of :meth:`NeuralLM.score` at batch sizes 1, 8 and 32 on real sentences,
  and swaps/s of :meth:`NeuralLM.score_continuations` (two options per swap);
* single-swap accuracy on pairs built from the seed article: its hand-reconstructed
  original and its spun version are aligned word by word, and for each substitution
  the original sentence is compared with the same sentence carrying that one spun
  wording. "Accuracy" is the share of pairs where the model gives the original the
  higher log-probability (a tie counts as a miss). The pocketsphinx 3-gram is
  measured on the same pairs, as lower-case words without punctuation.

Machine load matters a lot: torch's OpenMP threads spin-wait, so with another busy
process on a 2-core machine two threads can run several times slower than one. The
load average is printed next to the speeds.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wordfix.neural import NeuralLM, _import_backend, default_cache_dir

ROOT = Path(__file__).resolve().parents[1]


sys.stdout.reconfigure(line_buffering=True)  # show progress when piped

SPUN_FILE = "seed_spun_article.txt"
ORIGINAL_FILE = "seed_original_reconstructed.txt"
OOV_LOGP = -17.0  # this baseline's own floor for a word outside the 3-gram vocabulary (wordfix's: Config.oov_logp)


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def find_data(arg: str | None) -> Path:
    """The folder with the seed article: --data, $WORDFIX_SHARED_DATA, or ../shared/data beside the project."""
    candidates = [arg, os.environ.get("WORDFIX_SHARED_DATA"), ROOT.parent / "shared" / "data"]
    for c in candidates:
        if c and (Path(c) / SPUN_FILE).is_file():
            return Path(c)
    raise SystemExit(f"cannot find {SPUN_FILE}; pass --data DIR")


# -- pairs from the seed article ---------------------------------------------------
def _key(token: str) -> str:
    return re.sub(r"[^\w']", "", token.lower())


def _read_bodies(data: Path) -> tuple[list[str], str]:
    """Original paragraphs (comments dropped, {a|b} kept) and the spun article's body."""
    orig = [ln.strip() for ln in (data / ORIGINAL_FILE).read_text().splitlines() if not ln.startswith("#")]
    paragraphs = [p for p in orig if p]
    spun = (data / SPUN_FILE).read_text()
    start = spun.index("It's frustrating")
    end = spun.find("No comments:")
    return paragraphs, spun[start : end if end > 0 else None]


def _resolve_choices(paragraphs: list[str], spun_keys: list[str]) -> list[str]:
    """Replace each {a|b} by the alternative that aligns best with the spun text, so
    that an uncertain spot of the reconstruction is not counted as a substitution."""
    out = []
    for par in paragraphs:
        while (m := re.search(r"\{([^{}]*)\}", par)) is not None:
            best, best_ratio = "", -1.0
            for opt in m.group(1).split("|"):
                trial = par[: m.start()] + opt + par[m.end() :]
                trial = re.sub(r"\{([^{}|]*)\|?[^{}]*\}", r"\1", trial)
                ratio = difflib.SequenceMatcher(
                    None, [_key(t) for t in trial.split()], spun_keys, autojunk=False
                ).ratio()
                if ratio > best_ratio:
                    best, best_ratio = opt, ratio
            par = par[: m.start()] + best + par[m.end() :]
        out.append(par)
    return out


def build_pairs(data: Path, max_span: int = 4) -> list[tuple[str, str]]:
    """(original sentence, the same sentence with one spun substitution) pairs."""
    paragraphs, spun_body = _read_bodies(data)
    spun_tokens = spun_body.split()
    spun_keys = [_key(t) for t in spun_tokens]
    paragraphs = _resolve_choices(paragraphs, spun_keys)
    tokens: list[str] = []
    sent_of: list[int] = []
    sent = 0
    for par in paragraphs:
        for tok in par.split():
            tokens.append(tok)
            sent_of.append(sent)
            if re.search(r"[.!?][\"')]*$", tok):
                sent += 1
        sent += 1
    keys = [_key(t) for t in tokens]
    pairs: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, keys, spun_keys, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > max_span or j2 - j1 > max_span:
            continue
        s = sent_of[i1]
        if sent_of[i2 - 1] != s:
            continue  # crosses a sentence boundary: a misalignment, not a swap
        members = [k for k, x in enumerate(sent_of) if x == s]
        a, b = members[0], members[-1] + 1
        if i2 - i1 == j2 - j1:  # word for word ("marketing teams" -> "promoting groups"): one swap each
            swaps = [
                (i, i + 1, j, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if keys[i] != spun_keys[j]
            ]
        else:  # a phrase for a phrase ("because" -> "as a result"): one swap
            swaps = [(i1, i2, j1, j2)]
        for si1, si2, sj1, sj2 in swaps:
            repl = list(spun_tokens[sj1:sj2])
            if tokens[si1][:1].isupper() and repl[0][:1].islower():
                repl[0] = repl[0][:1].upper() + repl[0][1:]  # keep the sentence's own capitals
            original = " ".join(tokens[a:b])
            swapped = " ".join(tokens[a:si1] + repl + tokens[si2:b])
            if swapped.lower() != original.lower():
                pairs.append((original, swapped))
    return pairs


# -- the 3-gram baseline -------------------------------------------------------------
class Trigram:
    """pocketsphinx's English 3-gram: log P of lower-case words, no punctuation."""

    def __init__(self) -> None:
        import pocketsphinx

        self.model = pocketsphinx.NGramModel.readfile(pocketsphinx.get_model_path() + "/en-us/en-us.lm.bin")

    def score(self, text: str) -> float:
        words = [w.strip("'") for w in re.findall(r"[a-z0-9']+", text.lower())]
        seq = ["<s>", *[w for w in words if w], "</s>"]
        total = 0.0
        for i in range(1, len(seq)):
            hist = seq[max(0, i - 2) : i][::-1]  # most recent word first
            s = self.model.prob([seq[i], *hist])
            total += OOV_LOGP if s < -100_000_000 else max(OOV_LOGP, s * math.log(1.0001))
        return total


def accuracy(pairs: list[tuple[str, str]], scores: list[tuple[float, float]]) -> tuple[float, int]:
    """Share of pairs where the original scores strictly higher, and the number of ties."""
    wins = sum(1 for a, b in scores if a > b)
    ties = sum(1 for a, b in scores if a == b)
    return wins / len(pairs), ties


def split_swap(original: str, swapped: str) -> tuple[str, str, str, str]:
    """prefix, original span, spun span, suffix of a pair (common ends removed)."""
    i = 0
    while i < min(len(original), len(swapped)) and original[i] == swapped[i]:
        i += 1
    while i > 0 and original[i - 1] != " ":
        i -= 1  # start the span at a word
    j = 0
    while j < min(len(original), len(swapped)) - i and original[-1 - j] == swapped[-1 - j]:
        j += 1
    while j > 0 and original[len(original) - j] not in " ,.;:!?":
        j -= 1  # end it at a word
    return original[:i], original[i : len(original) - j], swapped[i : len(swapped) - j], original[len(original) - j :]


# -- load timing in a fresh process -----------------------------------------------------
def load_only(cache_dir: str, threads: int) -> None:
    t = time.perf_counter()
    lm = NeuralLM(cache_dir=cache_dir, threads=threads).load()
    seconds = time.perf_counter() - t
    lm.score(["A short warm-up sentence."])
    print(json.dumps({"seconds": seconds, "built": lm.built_cache, "rss_mb": peak_rss_mb()}))


def timed_load(cache_dir: Path, threads: int) -> dict:
    cmd = [sys.executable, __file__, "--load-only", str(cache_dir), "--threads", str(threads)]
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    info = json.loads(res.stdout.strip().splitlines()[-1])
    info["process_seconds"] = time.perf_counter() - t
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", help="folder with the seed article files")
    ap.add_argument("--skip-cold", action="store_true", help="do not time a cold load (it writes ~540 MB)")
    ap.add_argument("--show-errors", action="store_true", help="print the pairs each model gets wrong")
    ap.add_argument("--load-only", metavar="CACHE_DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.load_only:
        load_only(args.load_only, args.threads)
        return

    torch, transformers = _import_backend()  # sets OMP_WAIT_POLICY=PASSIVE before torch loads, as the library does
    print(
        f"torch {torch.__version__}, transformers {transformers.__version__}, threads {args.threads}, "
        f"CPUs {os.cpu_count()}, OMP_WAIT_POLICY {os.environ.get('OMP_WAIT_POLICY')}"
    )
    cache = default_cache_dir()
    if not args.skip_cold:
        with tempfile.TemporaryDirectory(prefix="wordfix-cold-") as tmp:
            cold = timed_load(Path(tmp) / "smollm2-135m", args.threads)
        print(
            f"cold load (GGUF -> cache): {cold['seconds']:.1f} s, peak RSS {cold['rss_mb']:.0f} MB "
            f"(process incl. imports {cold['process_seconds']:.1f} s)"
        )
    if not (cache / "config.json").exists():
        NeuralLM(cache_dir=cache, threads=args.threads).load()  # build the real cache once
    warm = timed_load(cache, args.threads)
    print(
        f"warm load (from {cache}): {warm['seconds']:.1f} s, peak RSS {warm['rss_mb']:.0f} MB "
        f"(process incl. imports {warm['process_seconds']:.1f} s)"
    )

    data = find_data(args.data)
    pairs = build_pairs(data)
    sentences = [s for p in pairs for s in p]
    lm = NeuralLM(cache_dir=cache, threads=args.threads).load()
    lm.score(sentences[:8], batch_size=8)  # warm-up
    print(f"\n{len(pairs)} single-swap pairs from {data}; load average {os.getloadavg()[0]:.2f}")
    words = statistics.mean(len(s.split()) for s in sentences)
    for bs in (1, 8, 32):
        sample = sentences[: 64 if bs == 1 else 256]
        t = time.perf_counter()
        lm.score(sample, batch_size=bs)
        dt = time.perf_counter() - t
        print(f"score(), batch {bs:2d}: {len(sample) / dt:6.1f} texts/s  ({words:.0f} words a sentence)")
    t = time.perf_counter()
    neural = lm.score(sentences, batch_size=32)
    dt = time.perf_counter() - t
    neural_pairs = list(zip(neural[::2], neural[1::2], strict=True))
    print(f"pairs through score(), batch 32: {len(pairs) / dt:6.1f} swaps/s")
    t = time.perf_counter()
    cont_pairs = []
    for orig, swapped in pairs:
        prefix, a, b, suffix = split_swap(orig, swapped)
        cont_pairs.append(tuple(lm.score_continuations(prefix, [a, b], suffix)))
    dt = time.perf_counter() - t
    print(f"pairs through score_continuations(): {len(pairs) / dt:6.1f} swaps/s")
    print(f"peak RSS after scoring: {peak_rss_mb():.0f} MB")

    tri = Trigram()
    t = time.perf_counter()
    tri_pairs = [(tri.score(a), tri.score(b)) for a, b in pairs]
    dt = time.perf_counter() - t
    print(f"3-gram: {len(pairs) / dt:,.0f} swaps/s (whole sentences, no memo)")

    print("\nsingle-swap accuracy (original preferred):")
    for name, sc in (
        ("SmolLM2-135M score()", neural_pairs),
        ("SmolLM2-135M score_continuations()", cont_pairs),
        ("pocketsphinx 3-gram", tri_pairs),
    ):
        acc, ties = accuracy(pairs, sc)
        print(f"  {name:36s} {acc:6.1%}  ({round(acc * len(pairs))}/{len(pairs)}, ties {ties})")
    if args.show_errors:
        for name, sc in (("neural", neural_pairs), ("3-gram", tri_pairs)):
            print(f"\n{name} misses:")
            for (o, s), (a, b) in zip(pairs, sc, strict=True):
                if a <= b:
                    _, x, y, _ = split_swap(o, s)
                    print(f"  {x!r} -> {y!r}: {a:.2f} vs {b:.2f}  | {o[:90]}")


if __name__ == "__main__":
    main()
