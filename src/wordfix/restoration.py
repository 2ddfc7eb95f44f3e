"""What `restore` returns: the repaired text, each edit explained, and the diff (stage 6)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Alternative:
    """A wording the decoder weighed for a span, with its posterior probability."""

    text: str
    probability: float
    source: str  # table row, or "keep" for leaving the span as it is


@dataclass(frozen=True, slots=True)
class Edit:
    """One change: ``input[start:end]`` (``before``) was replaced by ``after``."""

    start: int
    end: int
    before: str
    after: str
    confidence: float  # posterior probability of ``after`` against the alternatives
    source: str  # the table row that proposed it, "table:line (relation)"
    alternatives: tuple[Alternative, ...] = ()

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "confidence": self.confidence,
            "source": self.source,
            "alternatives": [
                {"text": a.text, "probability": a.probability, "source": a.source} for a in self.alternatives
            ],
        }


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to the text they were made for.

    Raises ValueError if an edit does not fit the text (its ``before`` differs from
    the text at its offsets) or two edits overlap.
    """
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos:
            raise ValueError(f"edits overlap at offset {e.start}")
        if not (0 <= e.start <= e.end <= len(text)) or text[e.start : e.end] != e.before:
            raise ValueError(f"edit {e.before!r} -> {e.after!r} does not match the text at {e.start}:{e.end}")
        out.append(text[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Restoration:
    """The result of restoring one text. ``str(r)`` is the repaired text."""

    original: str
    text: str
    edits: tuple[Edit, ...] = ()
    spin_score: float = 0.0  # 0 clean .. 1 heavily spun
    spin_reason: str = ""
    stats: dict = field(default_factory=dict, compare=False)
    withheld: tuple[Edit, ...] = ()  # edits the spin gate held back (the text looked clean)
    spin_threshold: float = 0.0  # the gate: below this spin score only sure edits are made (0: assume_spun)

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.edits)

    def apply(self, accepted: Iterable[int | Edit]) -> str:
        """The input with only the accepted edits (by index into ``edits`` or by value)."""
        chosen = [self.edits[a] if isinstance(a, int) else a for a in accepted]
        return apply_edits(self.original, chosen)

    def diff(self, fmt: str = "unified", **options) -> str:
        """Render the changes: ``unified`` (line diff), ``inline`` ([-old-]{+new+}),
        ``side-by-side``, ``json`` (stable schema) or ``html`` (a fragment)."""
        from . import diff as _diff

        return _diff.render(self, fmt, **options)

    def to_dict(self) -> dict:
        """A JSON-ready dict: schema ``wordfix.restoration/1``."""
        return {**self._head(), "edits": [e.to_dict() for e in self.edits], **self._tail()}

    def to_json(self, **kw) -> str:
        """``to_dict()`` as JSON. Without options it is built edit by edit, so that a
        long text's edits are never all held as dicts at once."""
        if kw:
            return json.dumps(self.to_dict(), ensure_ascii=False, **kw)
        head = self._head()
        edits = ", ".join(json.dumps(e.to_dict(), ensure_ascii=False) for e in self.edits)
        tail = json.dumps(self._tail(), ensure_ascii=False)[1:]
        return json.dumps(head, ensure_ascii=False)[:-1] + f', "edits": [{edits}], ' + tail

    def _head(self) -> dict:
        return {
            "schema": "wordfix.restoration/1",
            "text": self.text,
            "spin_score": round(self.spin_score, 4),
            "spin_reason": self.spin_reason,
        }

    def _tail(self) -> dict:
        return {"spin_threshold": self.spin_threshold, "withheld": [e.to_dict() for e in self.withheld]}

    @property
    def hint(self) -> str:
        """One line for a user when the gate held edits back, else ''."""
        if not self.withheld:
            return ""
        n = len(self.withheld)
        made = len(self.edits)
        if self.stats.get("promoted"):  # judged spun by its phrase-table edits (Config.habit_confidence)
            verdict, kind = "judged spun by the spinner's habits in it", ""
        else:  # below the gate, the edits made are the sure ones (Config.sure_confidence)
            verdict, kind = "looks clean", "sure "
        done = f"{made} {kind}edit{'s' if made != 1 else ''} made, " if made else ""
        return (
            f"{verdict} (spin {self.spin_score:.2f} < {self.spin_threshold:.2f}): {done}"
            f"{n} possible edit{'s' if n != 1 else ''} withheld; use --assume-spun (Restorer(assume_spun=True))"
        )


@dataclass(frozen=True, slots=True)
class SpanEvidence:
    """One span that speaks for spinning: ``text[start:end]`` reads ``log_ratio`` (natural log)
    better as ``original``."""

    start: int
    end: int
    spun: str
    original: str
    log_ratio: float


@dataclass(frozen=True)
class Detection:
    """What :func:`wordfix.detect` says about a text."""

    probability: float  # posterior probability that the text is spinner output
    rate: float  # estimated share of words the spinner replaced
    learned_share: float  # weight of the learned (SpinBot) channel against the thesaurus family
    words: int
    evidence: tuple[SpanEvidence, ...]  # the strongest spans, strongest first
    reason: str
    threshold: float  # at or above it the text is called spun (Config.detect_threshold)
    # log likelihood ratio against clean of each spinner family (thesaurus family, learned
    # channel), summed over the text's pieces; None where no table row of the family matched
    log_lrs: tuple[float | None, float | None] = (None, None)

    @property
    def spun(self) -> bool:
        return self.probability >= self.threshold

    def to_dict(self) -> dict:
        d = asdict(self)
        d["evidence"] = [asdict(e) for e in self.evidence]
        d["spun"] = self.spun
        return d
