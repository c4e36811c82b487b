"""What an evaluation found, kept as raw tallies until it is printed.

Tallies (not ratios) are stored so that reports can be merged or inspected without rounding loss; the
ratios and their three-decimal rounding are computed only in `to_dict`/`to_text`, whose keys, rounding
and lines are those of the reference scorer, so figures can be compared with published ones verbatim.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TypeScore", "FieldTally", "SummaryTally", "Report"]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class TypeScore:
    """Matches for one fact type: true positives, spurious predictions, missed gold facts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        p, r = self.precision, self.recall
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


@dataclass
class FieldTally:
    """How often one field (e.g. `casualty.victims`) was right on matched pairs."""

    correct: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        return self.correct + self.wrong

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)


@dataclass
class SummaryTally:
    """For one summary field: exact agreements, agreements within 10 %, and articles judged."""

    exact: int = 0
    within10: int = 0
    n: int = 0

    def to_dict(self) -> dict:
        return {"exact": round(_ratio(self.exact, self.n), 3), "within10": round(_ratio(self.within10, self.n), 3),
                "n": self.n}


@dataclass
class Report:
    """The outcome of `score`: per-type matching, per-field accuracy, summary agreement and errors.

    `errors` holds one human-readable line per missed fact, wrong field, spurious record and wrong
    summary field, in the order the reference scorer's `--show-errors` prints them.
    """

    types: dict[str, TypeScore] = field(default_factory=dict)
    fields: dict[str, FieldTally] = field(default_factory=dict)
    summary: dict[str, SummaryTally] = field(default_factory=dict)
    articles: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def overall(self) -> TypeScore:
        """All types pooled (micro-averaged), so frequent types weigh more."""
        return TypeScore(tp=sum(s.tp for s in self.types.values()), fp=sum(s.fp for s in self.types.values()),
                         fn=sum(s.fn for s in self.types.values()))

    @property
    def field_accuracy(self) -> float:
        """Correct field judgements over all field judgements, pooled across fields."""
        correct = sum(t.correct for t in self.fields.values())
        return correct / max(1, sum(t.total for t in self.fields.values()))

    def type_score(self, fact_type: str) -> TypeScore:
        """The tally for a type, created on first use (types appear only once something is counted)."""
        return self.types.setdefault(fact_type, TypeScore())

    def field_tally(self, name: str) -> FieldTally:
        return self.fields.setdefault(name, FieldTally())

    def summary_tally(self, name: str) -> SummaryTally:
        return self.summary.setdefault(name, SummaryTally())

    def to_dict(self) -> dict:
        """The reference scorer's `--json` object: same keys, sorted the same way, rounded to 3 places."""
        return {
            "types": {t: self.types[t].to_dict() for t in sorted(self.types)},
            "all": self.overall.to_dict(),
            "fields": {f: round(self.fields[f].accuracy, 3) for f in sorted(self.fields)},
            "field_accuracy": round(self.field_accuracy, 3),
            "summary": {f: self.summary[f].to_dict() for f in sorted(self.summary)},
            "articles": self.articles,
        }

    def to_text(self) -> str:
        """The reference scorer's plain report, line for line (no trailing newline)."""
        data = self.to_dict()
        lines = [f"{t:13} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
                 f"(tp {r['tp']} fp {r['fp']} fn {r['fn']})" for t, r in data["types"].items()]
        lines += [f"  {f:28} {v:.3f}" for f, v in data["fields"].items()]
        lines += [f"  summary.{f:20} exact {v['exact']:.3f}  within 10% {v['within10']:.3f}  (n {v['n']})"
                  for f, v in data["summary"].items()]
        a = data["all"]
        lines.append(f"all: F1 {a['f1']:.3f} (P {a['precision']:.3f} R {a['recall']:.3f}); "
                     f"field accuracy {data['field_accuracy']:.3f} over {data['articles']} articles")
        return "\n".join(lines)
