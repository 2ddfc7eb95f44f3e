"""The one immutable object that holds every option of a Restorer."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

SCORERS = ("ngram", "neural")
FORMATS = ("text", "html", "markdown", "auto")


@dataclass(frozen=True)
class Config:
    """Options for restoring text. Defaults favour leaving text alone when unsure.

    scorer:          "ngram" (fast 3-gram model, default) or "neural" (SmolLM2-135M
                     rescoring of the uncertain spans; needs ``wordfix[neural]``).
    tables:          table files to use instead of the bundled ones (None = bundled).
    extra_tables:    table files added to them (a user's own rows).
    protect:         words or phrases that are never edited (case-insensitive).
    min_confidence:  an edit is made only if its posterior is at least this.
    spin_prior:      prior probability that a document is spun by the thesaurus family
                     (the seed article's spinner: every table but learned rows). Set on
                     clean text: the largest that edits nothing in the held-out corpora,
                     their paragraphs alone or whole, nor in the negative cases, with a
                     margin of 3 below the first that does (0.02: 4 false edits in 238k
                     words alone, 6 whole). A batch can estimate its own (``batch_prior``).
    learned_spin_prior: prior probability that it is spun by the spinner whose channel
                     was learned from real pairs (SpinBot, ``spinbot.tsv``). Its rows
                     are ordinary English words, so it needs more evidence (set on the
                     SpinBot dev split: no clean Wikipedia article or paragraph edited).
    min_spin:        nothing is edited in a document whose posterior probability of
                     being spun is below this (clean text passes through untouched);
                     the edits it holds back are listed in ``Restoration.withheld``.
    assume_spun:     the user knows the text is spun: skip the min_spin gate (the spin
                     rate is still estimated, from 0.001 up (evidence.ASSUMED_GRID), so a
                     clean text gets a low rate, and min_confidence still applies).
    detect_threshold: ``wordfix.detect`` calls a text spun at this posterior (0.5: the
                     likelier answer; the editing gate min_spin is stricter). Measured on
                     SpinBot dev paragraphs against their originals: precision 1.00, recall
                     0.91, F1 0.95 (at 0.9: recall 0.85, F1 0.92).
    length_bonus:    log-probability credit per word of a hypothesis, against the
                     language model's preference for fewer words (as the word
                     insertion penalty of speech recognisers).
    type_evidence:   let the other occurrences of a word type in the document count
                     (the spinner maps a word the same way each time).
    neural_weight:   weight of the neural model's log probabilities (scorer="neural").
    max_candidates:  ceiling on the originals kept per span and spinner family after the
                     relative cut (within candidates.CUT_FACTOR of the best prior x LM).
    lm_weight:       weight of language-model log probabilities against the channel.
    beam:            hypotheses kept per position when decoding a region jointly.
    chunk_chars:     long texts are processed in pieces of about this size, cut at
                     paragraph breaks (the spin rate is estimated per piece).
    format:          "text" (default), "html", "markdown" or "auto" (by content): in
                     HTML and Markdown only the prose is read and edited (markup.py).
    fix_encoding:    repair mojibake with ftfy first, each repair an edit of source
                     "ftfy: ..." (encoding.py).
    spintax:         resolve leaked spinner groups "{a|b|c}" to the alternative the
                     model prefers, as edits of source "spintax" (spintax.py).
    """

    scorer: str = "ngram"
    tables: tuple[str, ...] | None = None
    extra_tables: tuple[str, ...] = ()
    protect: tuple[str, ...] = ()
    min_confidence: float = 0.5
    spin_prior: float = 0.006
    learned_spin_prior: float = 1e-3
    min_spin: float = 0.9
    assume_spun: bool = False
    detect_threshold: float = 0.5
    length_bonus: float = 0.0
    type_evidence: bool = True
    neural_weight: float = 0.7
    max_candidates: int = 40
    lm_weight: float = 0.5
    beam: int = 4
    chunk_chars: int = 100_000
    format: str = "text"
    fix_encoding: bool = False
    spintax: bool = True

    def __post_init__(self):
        if self.scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {', '.join(SCORERS)}, not {self.scorer!r}")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be between 0 and 1")
        if not 0.0 <= self.min_spin <= 1.0:
            raise ValueError("min_spin must be between 0 and 1")
        if not (0.0 < self.spin_prior < 1.0 and 0.0 < self.learned_spin_prior < 1.0):
            raise ValueError("spin_prior and learned_spin_prior must be strictly between 0 and 1")
        if self.spin_prior + self.learned_spin_prior >= 1.0:
            raise ValueError("spin_prior + learned_spin_prior must be below 1")
        if self.max_candidates < 1 or self.beam < 1 or self.chunk_chars < 1000:
            raise ValueError("max_candidates and beam must be >= 1, chunk_chars >= 1000")
        for name in ("extra_tables", "protect"):
            v = getattr(self, name)
            if isinstance(v, (str, os.PathLike)):
                v = (v,)
            object.__setattr__(self, name, tuple(str(x) for x in v))
        if self.tables is not None:
            t = (self.tables,) if isinstance(self.tables, (str, os.PathLike)) else self.tables
            object.__setattr__(self, "tables", tuple(str(x) for x in t))

    def with_options(self, **changes) -> Config:
        """A copy with some options changed."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)
