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
    min_confidence:  an edit is made only if its posterior is at least this. 0.45: the decoder's
                     choice is made when it is the most likely reading even if other originals
                     share the rest ("permitting": keep 0.03, "allowing" 0.48, "letting" 0.38).
                     From 0.5 on the real pairs (benchmarks/real.py): the seed family's whole
                     documents 0.653 -> 0.650 (edit precision 84.1% -> 82.6%), the seed
                     0.361 -> 0.337, SpinBot's 40 dev articles 0.454 -> 0.437; clean Wikipedia
                     and held-out prose unchanged, one more false edit in the tune split's 244k
                     words (benchmarks/sure.py; 0.4 and 0.42: whole documents 0.654 / 0.651).
    weak_tables:     tables (file names), or relations of one table ("TABLE (RELATION)", as
                     an edit's source names its row), whose rows offer candidates and count
                     as evidence like any other, but an edit that only their rows offer is
                     made only at weak_min_confidence (a row of another table or relation,
                     a curated one say, vouches for it). Moby's lists are not split by
                     meaning, so the language model chooses among them on its noise (on the
                     seed family's real pairs, 1 of the 12 edits they explained best was
                     right, none of them at 0.9 or more); mythes' generic terms, reversed,
                     fan out: one spun "element" is the generic term of "air", "water",
                     "fire" and a hundred more, and the model picks the hyponym that fits
                     the sentence, not the one that was written (on the real pairs and the
                     seed, 13 of 33 such edits right; 8 of 10 at 0.8 or more;
                     benchmarks/results-real.md).
    weak_min_confidence: the confidence those edits need (at least min_confidence). 0.8:
                     Moby's edits on the real pairs are the same at 0.8 and 0.9 (one, wrong).
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
                     being spun is below this (clean text passes through untouched) but
                     the sure edits (sure_confidence); the edits it holds back are listed
                     in ``Restoration.withheld``.
    sure_confidence: of the edits min_spin holds back, those of a phrase-table row (the
                     spinner's closed-class habits in curated.tsv and numbers.tsv: "the
                     opposite" for "the other", "a lot of" for "more"; not an artifact row,
                     whose legitimate uses the gate is for, nor an original that only drops
                     words of the span) are made at this confidence or more: a pasted
                     paragraph is rarely judged spun as a whole, but such a span says
                     enough on its own. Above 1: none. Set on the seed family's real pairs
                     (at 0.995, 15 such edits on their paragraphs alone, 13 right) against
                     482k words of clean held-out and tune prose (0.99: 3 false edits
                     there; 0.995: 1, "may" → "can" in a 14-word tune paragraph; and 1 in
                     174k words of clean Wikipedia; benchmarks/sure.py, results-sure.md).
    sure_max_words:  sure edits are made in a text (or chunk) of at most this many words:
                     the gate's verdict on a longer one rests on enough evidence (a whole
                     clean tune document had "referred to as" → "called" at 1.00).
    habit_confidence: a short text (sure_max_words) the gate holds back is judged spun
                     after all when it has a sure edit, or edits of two phrase-table rows
                     (two different wordings: clean prose repeats "within the"; as sure
                     edits, no artifact row and no original that only drops words) at
                     this confidence or more: the spinner's closed-class habits say
                     more about a pasted paragraph than a 3-gram model's evidence can.
                     Its other withheld edits are then made at promoted_min_confidence.
                     Above 1: only a sure edit judges a text spun. On the seed family's
                     real pairs, 15 of the 33 paragraphs the gate holds back (but does not
                     find clearly clean, withheld_from) are judged spun so (13 by a sure
                     edit, 6 by two habits), against 2 of 377 clean held-out, tune and
                     Wikipedia paragraphs (each by a sure edit; benchmarks/sure.py).
    promoted_min_confidence: the confidence an edit needs in a text judged spun by its
                     sure edits (habit_confidence; and at least min_confidence); above 1:
                     only the sure edits are made.
                     Its posterior of being spun is still below min_spin, and edits under
                     0.7 there were mostly wrong on the real pairs (benchmarks/sure.py).
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
                     relative cut (within cut_factor of the best prior x LM).
    lm_weight:       weight of language-model log probabilities against the channel.
    phrase_lm_weight: the weight for a candidate of the phrase tables instead (curated.tsv,
                     numbers.tsv: "will" for "can", "may be a" for "is a", "be a part
                     of" for "join"; not where either side is a number in digits).
                     lm_weight is low because a span's best of up to 40 thesaurus
                     candidates wins on the model's noise; a phrase row offers one or two,
                     each a habit seen in real spun pages. On the seed family's real pairs
                     0.8 took whole documents 0.735 -> 0.724 and the seed 0.431 -> 0.421;
                     1.0 repaired a little more (0.720) but edited two of the project's
                     clean pages under assume_spun (benchmarks/results-real.md).
    beam:            hypotheses kept per position when decoding a region jointly.
    chunk_chars:     long texts are processed in pieces of about this size, cut at
                     paragraph breaks (the spin rate is estimated per piece).
    format:          "text" (default), "html", "markdown" or "auto" (by content): in
                     HTML and Markdown only the prose is read and edited (markup.py).
    fix_encoding:    repair mojibake with ftfy first, each repair an edit of source
                     "ftfy: ..." (encoding.py): True in any text, False never, None
                     (default) where the text is judged spun (SpinBot returns every
                     non-ASCII character as mojibake: "Ã©" for "é"); text
                     judged clean keeps its bytes.
    spintax:         resolve leaked spinner groups "{a|b|c}" to the alternative the
                     model prefers, as edits of source "spintax" (spintax.py).

    Tuned numbers. Every number the pipeline was tuned on lives here (the stage
    functions take them as arguments and have no defaults of their own), so
    ``benchmarks/tune.py --grid`` can vary any of them. Changing one changes what
    wordfix restores; the defaults are the measured ones. Not here: the grids the spin
    rate is searched over (evidence.LAMBDA_GRID, 0.10-0.70, and ASSUMED_GRID, from 0.001
    for assume_spun), which are a search space rather than a setting.

    Candidates (candidates.py):
    cut_factor:      relative cut of a span's candidate list: a candidate is kept when its
                     prior x context-free LM score is within this factor of the best of its
                     family (at most max_candidates). On a real-pair set "within 100, at
                     most 40" kept the true original for 85% of the substitutions the
                     pooled sources explain, with a median of 12 candidates.
    agreement_gain:  log factor (nats) for an original that mends "a similar goals" (an
                     article before a plural noun, which a 3-gram model does not notice;
                     3.0: x20).

    Spin evidence (evidence.py):
    max_log_r:       the most (log R) one span can say about the whole document.
    max_artifact_log_r: the most a span an artifact row explains best can say ("area
                     unit" for "are": the seed family's signature). Set on the real pairs'
                     paragraphs against clean paragraphs (benchmarks/results-real.md).
    signature_gain:  what a *signature* says beyond that (log R added, and added to the
                     cap): a span an artifact phrase of several words explains best which
                     occurs nowhere in 15 million words of clean prose
                     (data/synonym_maps/signatures.json: "area unit", "square measure",
                     "Associate in Nursing", "United Nations agency", "in an exceedingly"),
                     where the language model also prefers the original by at least
                     ``signature_min_log_r``. The 3-gram model backs off over such a phrase
                     and underrates how rare it is; one or two of them mark a pasted
                     paragraph as spun. Set on the real pairs' paragraphs restored alone
                     (0.895 -> 0.873 residual) against the clean negative cases (the
                     legitimate "an Associate in Nursing degree" reads 4.2, "area unit" 4.8).
    signature_min_log_r: the log R from which a signature counts for more.
    family_floor:    the less likely spinner family keeps at least this weight; at the
                     floor its candidates are dropped before decoding.
    evidence_spans:  spans judged (an even sample) to estimate the spin of one piece of
                     text: a long clean text is known to be clean long before its end.
    screen_candidates: whether a text is spun at all is judged first on each span's this
                     many best candidates per family: the long lists' many weak
                     candidates add up over a clean text's hundreds of spans (a clean page
                     of WordNet examples read as spun). The priors were set on this screen.
    withheld_from:   below the min_spin gate but at least this likely spun: the edits the
                     gate holds back are listed in ``Restoration.withheld``.

    Decoding (decide.py):
    lower_start:     spin-rate factor of a span that starts a sentence in lower case, in
                     a text whose sentences start with a capital (the spinner swapped it).
    upper_start:     spin-rate factor of a span at a capitalized sentence start (kept).
    lam_max:         ceiling on a span's spin rate after those factors and type evidence.
    type_pseudo:     pseudo-occurrences at the base rate when the other occurrences of a
                     word type vote on its original (type_evidence).
    present_gain:    log-prior credit of a one-word original that the document uses
                     elsewhere (a topic word the spinner left in place somewhere: "marketing"
                     in the title of a post whose "marketing" became "promoting"). On the
                     real pairs, 38% of the true originals a span could plausibly take occur
                     elsewhere in the spun document, 12-13% of the wrong ones: a factor of 3
                     (log 1.1). Decoding only: the gate's evidence does not read it.
    habit_rate:      the spin rate of a candidate of a ``phrase`` row (curated.tsv's
                     closed-class swaps: "will" for "can", "that" for "which", "once" for
                     "when", "a similar" for "the same"; not artifacts, not numbers) in a
                     text the gate itself judges spun, times the position factors
                     (lower_start, upper_start), where it is above the span's rate
                     from λ: the spinner applies its hand list of function-word swaps to almost
                     every occurrence, its thesaurus to a share of the words. On the seed
                     family's real pairs and the seed, 27% of the original words were
                     changed, but "can" 32 of 35 times, "which" 13 of 15, "when" 7 of 9,
                     "the same" 8 of 8, "each" 6 of 6, "also" 8 of 10 (and "of" 7 of 78,
                     "as" 10 of 35: the rows' own weights say how often each swap is
                     the one written; every original of a phrase row: 363 of 585;
                     benchmarks/habits.py). 0.8 took whole documents 0.710 -> 0.701 (edit
                     precision 77.9% -> 77.2%), their paragraphs alone 0.809 -> 0.807,
                     the seed 0.401 -> 0.386; SpinBot and clean text unchanged
                     (benchmarks/results-real.md; 0.6 and 0.9: 0.703 and 0.702). Not
                     below the gate, nor under assume_spun alone, where the rate may be
                     low on purpose. 0: off.
                     The other side of the same habit: a span that reads as an original
                     of the hand list ("can", "which", "when", "the same": a phrase row's
                     original, of a row weighing habit_min_weight or more) was left alone
                     at 1 - habit_rate there, not 1 - λ (decide.channel).
    habit_min_weight: the weight from which a phrase row says the hand list rewrites its
                     original almost always (curated.tsv's weights: 0.3 for a row seen 3+
                     times in real spun pages, or the share of the original's occurrences
                     swapped in the real pairs: "that" -> "which" 4 of 29, 0.14, stays out:
                     the spinner leaves most "that"s alone). On the seed family's real
                     pairs, whole documents 0.699 -> 0.692 (edit precision 81.3% ->
                     81.0%), their paragraphs alone 0.802 -> 0.798, the seed 0.376 ->
                     0.366 (0.2 the same; 0.45: 0.696; every row, 0: 0.695 at 79.4%, with
                     "that" -> "which" 7 right of 17; benchmarks/results-real.md).
    comma_weight:    weight of the comma after a span (decide.punctuation), which the 3-gram
                     model, a speech model, does not read: log P(comma after the candidate's
                     last word) / P(comma after the span's), from the counts of
                     data/synonym_maps/commas.json (English Wikipedia, scripts/build_commas.py),
                     added to the candidate's channel. The spinner leaves punctuation where it
                     was: "However," is not a spun "But,". 0.5, as lm_weight (the comma is one
                     more word the model would read): on the seed family's real pairs whole
                     documents 0.692 -> 0.689 at edit precision 81.0% -> 82.3% (the five
                     "However," -> "But," edits of the real pairs and the seed gone);
                     SpinBot's 10 quick articles 0.464 -> 0.462; clean Wikipedia unchanged
                     (1.0: 0.689 at 82.6%, SpinBot 0.463). 0: off.
    prune_margin:    nats below a span's best option, judged with its neighbours kept,
                     past which a candidate is not decoded jointly.
    prune_keep:      candidates at most per span in joint decoding.

    Neural rescoring (rescore.py, scorer="neural"):
    neural_certain:  a group whose best option the 3-gram model gives at least this
                     posterior is left alone.
    neural_options:  candidates per group given to the neural model (the 3-gram model's best).
    neural_prefix_words: words before a group the neural model reads (this sentence and
                     the one before).
    neural_suffix_words: words after a group it reads (within the sentence).

    The 3-gram model (language_model.py):
    oov_logp:        log P of a word neither the 3-gram model nor the web unigram list
                     knows (rarer than the web list's rarest).
    web_offset:      added to a web unigram log P to put it on the 3-gram scale (median
                     gap -1.0, and no context: -1.0).
    num_logp:        log P of a number in digits (the speech model has none), any context.

    Batch prior (batch.py, ``batch_prior``):
    prior_sample:    documents read ahead to estimate a batch's share of spun documents.
    max_spun_share:  the estimated share never exceeds this: each text still needs its
                     own evidence (the clean negative cases' legitimate artifacts read
                     likelihood ratios of 33-60; at a share of 0.3 they were edited).
    prior_pseudo_documents: the configured priors count as this many documents in the
                     estimate.
    """

    scorer: str = "ngram"
    tables: tuple[str, ...] | None = None
    extra_tables: tuple[str, ...] = ()
    protect: tuple[str, ...] = ()
    min_confidence: float = 0.45
    weak_tables: tuple[str, ...] = ("thesaurus_moby.tsv", "thesaurus_mythes.tsv (generic)")
    weak_min_confidence: float = 0.8
    spin_prior: float = 0.006
    learned_spin_prior: float = 1e-3
    min_spin: float = 0.9
    sure_confidence: float = 0.995
    sure_max_words: int = 150
    habit_confidence: float = 0.9
    promoted_min_confidence: float = 0.7
    assume_spun: bool = False
    detect_threshold: float = 0.5
    length_bonus: float = 0.0
    type_evidence: bool = True
    neural_weight: float = 0.7
    max_candidates: int = 40
    lm_weight: float = 0.5
    phrase_lm_weight: float = 0.8
    beam: int = 4
    chunk_chars: int = 100_000
    format: str = "text"
    fix_encoding: bool | None = None
    spintax: bool = True
    # tuned numbers (documented above, in this order)
    cut_factor: float = 100.0
    agreement_gain: float = 3.0
    max_log_r: float = 6.0
    max_artifact_log_r: float = 10.0
    signature_gain: float = 4.0
    signature_min_log_r: float = 6.0
    family_floor: float = 0.02
    evidence_spans: int = 800
    screen_candidates: int = 10
    withheld_from: float = 0.01
    lower_start: float = 4.0
    upper_start: float = 0.25
    lam_max: float = 0.9
    type_pseudo: float = 2.0
    present_gain: float = 1.0
    habit_rate: float = 0.8
    habit_min_weight: float = 0.3
    comma_weight: float = 0.5
    prune_margin: float = 6.0
    prune_keep: int = 4
    neural_certain: float = 0.9
    neural_options: int = 2
    neural_prefix_words: int = 12
    neural_suffix_words: int = 4
    oov_logp: float = -19.0
    web_offset: float = -2.0
    num_logp: float = -6.0
    prior_sample: int = 200
    max_spun_share: float = 0.1
    prior_pseudo_documents: float = 2.0

    def __post_init__(self):
        if self.scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {', '.join(SCORERS)}, not {self.scorer!r}")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if not (0.0 <= self.min_confidence <= 1.0 and 0.0 <= self.weak_min_confidence <= 1.0):
            raise ValueError("min_confidence and weak_min_confidence must be between 0 and 1")
        if not 0.0 <= self.min_spin <= 1.0:
            raise ValueError("min_spin must be between 0 and 1")
        if self.sure_confidence < 0.5:
            raise ValueError("sure_confidence must be at least 0.5 (above 1: no edit below the spin gate)")
        if self.sure_max_words < 0:
            raise ValueError("sure_max_words must be >= 0")
        if self.habit_confidence < 0.5 or self.promoted_min_confidence < 0.0:
            raise ValueError("habit_confidence must be at least 0.5 and promoted_min_confidence >= 0 (above 1: off)")
        if not (0.0 < self.spin_prior < 1.0 and 0.0 < self.learned_spin_prior < 1.0):
            raise ValueError("spin_prior and learned_spin_prior must be strictly between 0 and 1")
        if self.spin_prior + self.learned_spin_prior >= 1.0:
            raise ValueError("spin_prior + learned_spin_prior must be below 1")
        if self.max_candidates < 1 or self.beam < 1 or self.chunk_chars < 1000:
            raise ValueError("max_candidates and beam must be >= 1, chunk_chars >= 1000")
        if self.cut_factor < 1.0:
            raise ValueError("cut_factor must be at least 1")
        if not 0.0 < self.family_floor < 0.5:
            raise ValueError("family_floor must be between 0 and 0.5")
        if self.lm_weight < 0.0 or self.phrase_lm_weight < 0.0:
            raise ValueError("lm_weight and phrase_lm_weight must be >= 0")
        if not 0.0 < self.lam_max < 1.0:
            raise ValueError("lam_max must be strictly between 0 and 1")
        if not 0.0 <= self.habit_rate < 1.0:
            raise ValueError("habit_rate must be at least 0 and below 1 (0: off)")
        if self.habit_min_weight < 0.0 or self.comma_weight < 0.0:
            raise ValueError("habit_min_weight and comma_weight must be >= 0")
        counts = ("evidence_spans", "screen_candidates", "prune_keep", "neural_options", "prior_sample")
        if min(getattr(self, name) for name in counts) < 1:
            raise ValueError(f"{', '.join(counts)} must be >= 1")
        for name in ("extra_tables", "protect", "weak_tables"):
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
