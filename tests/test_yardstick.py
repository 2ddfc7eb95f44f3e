"""The benchmarks' candidate-recall yardsticks (benchmarks/yardstick.py) on hand-made spans."""

from __future__ import annotations

from spinner import Substitution  # benchmarks/ (pythonpath in pyproject.toml)
from yardstick import candidate_recall, joint_candidate_recall

SPUN = "The phase on-screen character area unit here."
# "stage actor" was spun word by word into "phase on-screen character"; "are" into "area unit"


def sub(spun: str, original: str, kind: str = "seed") -> Substitution:
    a = SPUN.index(spun)
    return Substitution(a, a + len(spun), spun, original, a, a + len(original), kind)


def span(spun: str, *options: str) -> tuple[int, int, str, list[str]]:
    a = SPUN.index(spun)
    return (a, a + len(spun), spun, list(options))


BLOCK = sub("phase on-screen character", "stage actor")  # the alignment's one differing block
ARE = sub("area unit", "are")


def test_a_block_two_spans_restore_together_counts_only_jointly():
    cands = [span("phase", "stage", "step"), span("on-screen character", "actor", "role"), span("area unit", "are")]
    assert [hit for hit, _, _ in candidate_recall(SPUN, [BLOCK, ARE], cands)] == [False, True]
    assert joint_candidate_recall(SPUN, [BLOCK, ARE], cands) == [True, True]


def test_joint_recall_needs_every_part_of_the_block():
    cands = [span("phase", "step"), span("on-screen character", "actor"), span("area unit", "are")]
    assert joint_candidate_recall(SPUN, [BLOCK, ARE], cands) == [False, True]
    assert joint_candidate_recall(SPUN, [BLOCK, ARE], cands[1:]) == [False, True]


def test_overlapping_spans_are_not_combined():
    # "phase on-screen" and "on-screen character" overlap: one of them, not both
    cands = [span("phase on-screen", "stage"), span("on-screen character", "actor")]
    assert joint_candidate_recall(SPUN, [BLOCK], cands) == [False]
    cands.append(span("phase", "stage"))
    assert joint_candidate_recall(SPUN, [BLOCK], cands) == [True]


def test_order_and_article_fixes_follow_candidate_recall():
    article = Substitution(0, 0, "", "", 0, 0, "article")
    cands = [span("area unit", "are")]
    subs = [ARE, article, BLOCK]  # not sorted, with an a/an fix that neither counts
    assert joint_candidate_recall(SPUN, subs, cands) == [True, False]
    assert len(candidate_recall(SPUN, subs, cands)) == 2


def test_an_edit_wider_than_its_substitution_restores_it_when_the_region_reads_as_the_original():
    from types import SimpleNamespace

    from quality import aligned_substitutions, edit_scores

    spun, original = "Amazon S3 could be a REST service.", "Amazon S3 is a REST service."
    subs = aligned_substitutions(spun, original)
    assert [(s.after, s.before) for s in subs] == [("could be", "is")]
    a = spun.index("could be a")

    def restoration(after: str):
        text = spun[:a] + after + spun[a + len("could be a") :]
        edit = SimpleNamespace(start=a, end=a + len("could be a"), before="could be a", after=after, confidence=0.9)
        return SimpleNamespace(text=text, edits=[edit])

    assert edit_scores(original, subs, restoration("is a")) == ([(0.9, True)], [True])
    assert edit_scores(original, subs, restoration("is the")) == ([(0.9, False)], [False])
    assert edit_scores(original, subs, restoration("was a")) == ([(0.9, False)], [False])


def test_habits_counts_what_the_spinner_left_and_changed():
    """benchmarks/habits.py: an original of a phrase row is kept when every word of it is in an
    unchanged stretch of the alignment, changed otherwise; the total is over all words."""
    from habits import count, habit_originals

    originals = habit_originals()
    assert {("can",), ("which",), ("the", "same")} <= originals  # the table's phrase rows
    assert ("are",) not in originals  # "area unit" is an artifact row, not the hand list
    pairs = [
        ("They will go once it ends, which is a similar plan.", "They can go when it ends, which is the same plan.")
    ]
    counts, kept, changed = count(pairs, {("can",), ("when",), ("which",), ("the", "same")})
    assert counts == {("can",): [0, 1], ("when",): [0, 1], ("which",): [1, 0], ("the", "same"): [0, 1]}
    assert (kept, changed) == (7, 4)  # 11 words; the punctuation does not count
