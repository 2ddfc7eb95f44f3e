"""The pipeline's seams (issue 14): the Document stage 1 gives, and the LanguageModel
protocol the scorer depends on."""

from __future__ import annotations

from pathlib import Path

import pytest

import wordfix
from wordfix.document import Document, read
from wordfix.language_model import EOS, LanguageModel, Ngram
from wordfix.score import ContextScorer


class UniformLM:
    """A LanguageModel that is not the n-gram model: every word equally likely, no memo."""

    def __init__(self) -> None:
        self.asked: list[Ngram] = []

    @property
    def cached(self) -> dict[Ngram, float]:
        return {}

    def logp(self, w: str, h1: str, h2: str) -> float:
        self.asked.append((w, h1, h2))
        return -1.0

    def known(self, w: str) -> bool:
        return True


def test_read_gives_a_frozen_document():
    doc = read("One two.\n\nThree four")
    assert isinstance(doc, Document)
    assert [doc.unit(k).text for k in range(len(doc.seq))] == ["One", "two", ".", "Three", "four"]
    assert doc.breaks == {2} and doc.n_words == 4
    assert doc.chars(3, 5) == (10, 20) and doc.text[10:20] == "Three four"
    with pytest.raises(AttributeError):
        doc.text = "x"


def test_the_scorer_reads_any_language_model():
    lm: LanguageModel = UniformLM()
    scorer = ContextScorer(lm, read("One two three."), 0.0)
    state, lp = scorer.emit(scorer.history(1), ("deux",))
    assert state == ("deux", "one") and lp == -1.0
    assert scorer.tail(state, 2) == -2.0  # "three", then the sentence ends
    assert lm.asked[-1] == (EOS, "three", "deux")


# -- the tuned numbers are Config's, and each Restorer uses its own ---------------------
AGREEMENT = "We share a similar goals and plans with them, and a similar interests too."


SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_spun_article.txt"


@pytest.fixture(scope="module")
def default() -> wordfix.Restorer:
    return wordfix.Restorer()


@pytest.fixture(scope="module")
def seed_spun() -> str:
    return SEED.read_text(encoding="utf-8")


def test_the_defaults_are_the_numbers_the_modules_had():
    c = wordfix.Config()
    assert (c.cut_factor, c.agreement_gain, c.max_log_r, c.max_artifact_log_r, c.family_floor) == (
        100.0,
        3.0,
        6.0,
        10.0,
        0.02,
    )
    assert (c.evidence_spans, c.screen_candidates, c.withheld_from) == (800, 10, 0.01)
    assert (c.lower_start, c.upper_start, c.lam_max, c.type_pseudo, c.prune_margin, c.prune_keep) == (
        4.0,
        0.25,
        0.9,
        2.0,
        6.0,
        4,
    )
    assert (c.neural_certain, c.neural_options, c.neural_prefix_words, c.neural_suffix_words) == (0.9, 2, 12, 4)
    assert (c.oov_logp, c.web_offset, c.num_logp) == (-19.0, -2.0, -6.0)
    assert (c.prior_sample, c.max_spun_share, c.prior_pseudo_documents) == (200, 0.1, 2.0)


def test_the_default_numbers_given_explicitly_change_nothing(default, seed_spun):
    explicit = wordfix.Restorer(max_log_r=6.0, agreement_gain=3.0, cut_factor=100.0, oov_logp=-19.0)
    assert explicit.restore(seed_spun) == default.restore(seed_spun)


def test_agreement_gain_is_the_restorers_own(default):
    """Two Restorers differing only in agreement_gain: the article agreement counts in
    one and not in the other, and neither changes what the other does (no shared memo)."""
    without = wordfix.Restorer(agreement_gain=0.0, assume_spun=True)
    spun = wordfix.Restorer(assume_spun=True)
    marked = {s.text: s.agreement for s in spun._spans(AGREEMENT)[1] if s.agreement}
    assert marked == {"a similar": 3.0}
    assert not any(s.agreement for s in without._spans(AGREEMENT)[1])
    a, b, a2 = spun.restore(AGREEMENT), without.restore(AGREEMENT), spun.restore(AGREEMENT)
    assert a == a2
    assert [(e.before, e.after) for e in a.edits] == [("a similar", "the same")] * 2
    assert not b.edits


def test_max_log_r_caps_the_evidence(default, seed_spun):
    capped = wordfix.Restorer(max_log_r=0.5, max_artifact_log_r=0.5)
    r = default.restore(seed_spun)
    low = capped.restore(seed_spun)
    assert r.spin_score > 0.99 and len(r.edits) > 50
    assert low.spin_score < 0.01 and not low.edits  # no span says enough to call it spun
    assert default.restore(seed_spun) == r  # the capped Restorer left the default one alone


def test_cut_factor_is_in_the_shortlist_memo():
    from wordfix.candidates import Candidate, shortlisted

    def cand(text, score):
        return Candidate(text, (text,), 0.1, "synonym", (), score, (text,), (0.1, 0.0))

    lst = [cand("best", -5.0), cand("far", -5.0 - 10.0)]
    assert [c.text for c in shortlisted(lst, 10, 100.0)] == ["best"]
    assert [c.text for c in shortlisted(lst, 10, 1e6)] == ["best", "far"]  # same list, other cut


def test_the_language_model_numbers_give_a_model_of_their_own(default):
    other = wordfix.Restorer(num_logp=-2.0)
    assert other.lm is not default.lm and wordfix.Restorer().lm is default.lm
    assert other.lm.logp("<num>", "in", "") == -2.0 and default.lm.logp("<num>", "in", "") == -6.0


def test_a_tuned_number_config_refuses():
    for bad in ({"cut_factor": 0.5}, {"family_floor": 0.6}, {"lam_max": 1.0}, {"prune_keep": 0}):
        with pytest.raises(ValueError):
            wordfix.Config(**bad)


# The project's own spun paragraph in the seed family's manner ("area unit" for "are",
# "Associate in Nursing" for "an", "within the" for "in the", "once" for "when").
PHRASE_SWAP = (
    "Our new tools area unit simple to use, and it's Associate in Nursing honest answer to a tough drawback. "
    "The program reads every record within the file and then it'll print the results. "
    "Users area unit ready to amend the settings, that area unit kept in a very text file. "
    "Once you run it on an oversized file, you'll wait a moment longer."
)


def added_edits(on: wordfix.Restorer, off: wordfix.Restorer, text: str) -> list:
    """The edits ``on`` makes in ``text`` that ``off`` does not; ``on`` loses none of ``off``'s."""
    a, b = on.restore(text), off.restore(text)
    before = {(e.start, e.after) for e in b.edits}
    assert before <= {(e.start, e.after) for e in a.edits}
    return [e for e in a.edits if (e.start, e.after) not in before]


def test_phrase_rows_weigh_the_language_model_more():
    """ "Once you run it" reads better as "When you run it" to the 3-gram model, clearly but
    not by much: at the weight thesaurus candidates get (lm_weight 0.5) the swap stays, at the
    higher weight of a phrase-table row (phrase_lm_weight 0.8, the default) it is restored.
    Only phrase-table edits are added, none is lost, and a clean text with the same
    sentences does not change. (With habit_rate off: the hand list's own rate restores it at
    either weight.)"""
    full, half = wordfix.Restorer(habit_rate=0.0), wordfix.Restorer(phrase_lm_weight=0.5, habit_rate=0.0)
    added = added_edits(full, half, PHRASE_SWAP)
    assert ("Once", "When") in {(e.before, e.after) for e in added}
    assert all(e.source.startswith(("curated.tsv:", "numbers.tsv:")) for e in added), added
    clean = "Users are ready to change the settings, which are kept in a text file. " + (
        "Once you run it on a large file, you will wait a moment longer."
    )
    assert full.restore(clean).text == clean


def test_an_original_the_document_uses_elsewhere_weighs_more():
    """present_gain: "marketing" occurs in the seed post (its title), so the spinner's
    "promoting" reads as "marketing" in places the context alone leaves undecided; without the
    gain those stay. Only originals that occur in the document are added, none is lost."""
    seed = SEED.read_text(encoding="utf-8")
    on, off = wordfix.Restorer(), wordfix.Restorer(present_gain=0.0)
    assert on.config.present_gain > 0
    added = added_edits(on, off, seed)
    assert sum(e.before == "promoting" and e.after == "marketing" for e in added) >= 3
    words = {w.strip(".,;:!?()\"'").lower() for w in seed.split()}
    assert "marketing" in words
    assert all(e.after.lower() in words for e in added if " " not in e.after), added


def test_the_spinner_applies_its_hand_list_at_its_own_rate():
    """habit_rate: in a text the gate judges spun, a candidate of a ``phrase`` row (the
    spinner's function-word list: "might" for "may") is weighed at the list's own rate, not
    the text's thesaurus rate. On the seed post that restores "might" -> "may" (its
    reconstruction, sentence 26); only phrase-row edits are added, none is lost. (The other
    side of the habit, the spans that read as a hand-list original, is off in both here: see
    the next test.)"""
    seed = SEED.read_text(encoding="utf-8")
    on, off = wordfix.Restorer(habit_min_weight=2.0), wordfix.Restorer(habit_rate=0.0)
    assert on.config.habit_rate > 0
    added = added_edits(on, off, seed)
    assert ("might", "may") in {(e.before, e.after) for e in added}
    assert all(e.source.startswith("curated.tsv:") and e.source.endswith("(phrase)") for e in added), added


def test_a_word_the_hand_list_rewrites_was_rarely_left_alone():
    """habit_min_weight: in a text the gate judges spun, a span that reads as an original of the
    hand list ("will" is the original of "are going to", "can" of "will") was left alone at
    1 - habit_rate, not 1 - λ. On the seed post that restores "will" -> "can" twice, as its
    reconstruction has them ("the two groups can have conflicting views", "Marketing and
    sales can work together"); nothing is lost, and every edit added is at such a span."""
    from wordfix.tokenize import word_keys

    seed = SEED.read_text(encoding="utf-8")
    # both at min_confidence 0.5: below it, a neighbour whose posterior the keep side shifts
    # can cross the threshold ("have to" -> "need to" at 0.451), which is not what this shows
    on, off = wordfix.Restorer(min_confidence=0.5), wordfix.Restorer(habit_min_weight=2.0, min_confidence=0.5)
    assert {("can",), ("will",), ("which",), ("the", "same")} <= on.habit_originals
    assert not off.habit_originals
    assert not any(any(ch.isdigit() for ch in " ".join(k)) for k in on.habit_originals)  # numbers.tsv's are not
    added = added_edits(on, off, seed)
    assert [(e.before, e.after) for e in added].count(("will", "can")) == 2, added
    assert all(word_keys(e.before) in on.habit_originals for e in added), added


def test_the_comma_after_a_span_counts():
    """comma_weight: the 3-gram model reads no punctuation, but the spinner leaves it where it
    was, and prose puts a comma after "however" far more often than after "but". Without the
    comma's evidence the seed post's "However, once you mix the tools" (its reconstruction:
    "However, when you combine") is edited to "But,"; with it, that edit goes, and nothing else
    changes."""
    from wordfix.decide import comma_counts

    counts, overall = comma_counts()
    assert counts["however"][0] / counts["however"][1] > 0.5 > 20 * counts["but"][0] / counts["but"][1]
    assert 0.01 < overall < 0.2
    seed = SEED.read_text(encoding="utf-8")
    on, off = wordfix.Restorer(), wordfix.Restorer(comma_weight=0.0)
    assert on.config.comma_weight > 0
    lost = added_edits(off, on, seed)  # also asserts that the comma adds no edit of its own
    assert [(e.before, e.after, seed[e.end]) for e in lost] == [("However", "But", ",")]


def test_the_spinner_s_contractions_are_undone_where_the_text_is_spun():
    """contractions.tsv: the seed family's spinner contracts a pronoun and its auxiliary ("that
    is" -> "that's", 16 of 18 times for "is" in the real pairs). In the seed post with a spun
    sentence of ours after it, "that's answerable" is restored to "that is"; the 2016 seed
    post's own "it's" and "that's" (its spinner left its author's contractions as they were)
    are offered the expansion and stay, as does a clean text full of contractions, even
    called spun."""
    from wordfix.tables import bundled_tables

    seed = SEED.read_text(encoding="utf-8")
    text = seed + "\n\nOnce the campaign is over, you'll see that it's the promoting department that's answerable."
    on = wordfix.Restorer()
    off = wordfix.Restorer(tables=[str(p) for p in bundled_tables() if p.name != "contractions.tsv"])
    a, b = on.restore(text), off.restore(text)
    ours = [e for e in a.edits if e.source.startswith("contractions.tsv:")]
    assert [(e.before, e.after) for e in ours] == [("that's", "that is")] and ours[0].start > len(seed), a.edits
    same = [[(e.start, e.after) for e in r.edits if e.end <= len(seed)] for r in (a, b)]
    assert same[0] == same[1]  # the seed post is restored as without the table
    offered = [s for s in on.candidates(seed) if s[2].lower() in ("it's", "that's")]
    assert offered and all(any(o.lower() in ("it is", "that is") for o in s[3]) for s in offered)  # offered, not taken
    clean = (
        "I think it's fine. You'll see that they're right, and we've got time. There's a café nearby; it's open late."
    )
    assert on.restore(clean).text == clean
    assert wordfix.restore(clean, assume_spun=True).text == clean


def test_the_hand_list_rate_needs_the_gate_s_own_verdict(monkeypatch):
    """Under assume_spun alone (a clean text the user calls spun gets a low rate on
    purpose) and below the gate, the decoder gets no habit rate; in a text the gate
    judges spun it gets Config.habit_rate."""
    import inspect

    import wordfix.restorer as restorer_module

    seen: list[float] = []
    real_channel = restorer_module.channel
    signature = inspect.signature(real_channel)

    def spy(*args, **kwargs):
        seen.append(signature.bind(*args, **kwargs).arguments.get("habit_rate", 0.0))
        return real_channel(*args, **kwargs)

    monkeypatch.setattr(restorer_module, "channel", spy)
    clean = (
        "We will meet when the work is done, which may take a while. Each of us can help, and the same goes for you."
    )
    assert wordfix.Restorer(assume_spun=True).restore(clean).text == clean
    assert seen == [0.0]
    seen.clear()
    r = wordfix.Restorer()
    r.restore(SEED.read_text(encoding="utf-8"))
    assert seen and all(x == r.config.habit_rate for x in seen)


def test_an_edit_a_weak_table_explains_best_needs_more_confidence(tmp_path):
    """weak_tables: their rows are candidates like any other, but an edit that only their rows
    offer is made only at weak_min_confidence (Moby's meaning-blind lists and mythes' reversed
    generic terms by default); an entry "TABLE (RELATION)" names one relation of a table."""
    from wordfix.tables import bundled_tables, load_table

    assert wordfix.Config().weak_tables == ("thesaurus_moby.tsv", "thesaurus_mythes.tsv (generic)")
    names = {p.name: p for p in bundled_tables()}
    assert "thesaurus_moby.tsv" in names  # a renamed table would end the rule
    assert any(r.relation == "generic" for r in load_table(names["thesaurus_mythes.tsv"]))
    table = tmp_path / "mine.tsv"
    table.write_text(
        "spun\toriginal\trelation\tweight\tpos\tcontext\tsource\ndrawback\tproblem\tsynonym\t0.5\t\t\tmy row\n",
        encoding="utf-8",
    )
    made = wordfix.Restorer(extra_tables=[table]).restore(PHRASE_SWAP)
    mine = [e for e in made.edits if e.source.startswith("mine.tsv:")]
    assert [(e.before, e.after) for e in mine] == [("drawback", "problem")]
    assert 0.9 <= mine[0].confidence < 0.99
    assert wordfix.Restorer(extra_tables=[table], weak_tables=["mine.tsv"]).restore(PHRASE_SWAP) == made
    weak = wordfix.Restorer(extra_tables=[table], weak_tables=["mine.tsv"], weak_min_confidence=0.99)
    got = weak.restore(PHRASE_SWAP)
    assert got.edits == tuple(e for e in made.edits if e != mine[0])
    assert "tough drawback" in got.text
    by_relation = wordfix.Restorer(extra_tables=[table], weak_tables=["mine.tsv (synonym)"], weak_min_confidence=0.99)
    assert by_relation.restore(PHRASE_SWAP) == got
    other_relation = wordfix.Restorer(
        extra_tables=[table], weak_tables=["mine.tsv (generic)"], weak_min_confidence=0.99
    )
    assert other_relation.restore(PHRASE_SWAP) == made
