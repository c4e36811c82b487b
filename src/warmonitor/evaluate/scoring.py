"""Pairing predicted fact records with gold facts, and tallying the result into a `Report`.

The rules are FORMAT.md's "Matching" section.  Pairing is greedy and one to one: each gold fact, in
file order with required facts before optional ones, takes the unused prediction of its type whose
evidence covers the most of its words (at least 60 %) and, for counted types, whose count agrees.
Required facts choose first so that an optional restatement of the same figure cannot take the
prediction that the required fact needs.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from .report import Report
from .rules import count_matches, counted_types, fact_field_checks, summary_field_checks
from .text import word_overlap

__all__ = ["load_gold", "score", "evidence_of", "MIN_EVIDENCE_OVERLAP"]

# Share of the gold evidence's words that a prediction's evidence must contain to be the same fact.
MIN_EVIDENCE_OVERLAP = 0.6


def _summary_fact(doc: dict) -> dict | None:
    """The article-level summary of a gold document (the last one, should a file hold several)."""
    found = None
    for fact in doc.get("facts", []):
        if fact.get("type") == "summary":
            found = fact
    return found


def load_gold(gold_dir: Path) -> dict[str, dict]:
    """Read every `*.gold.json` in a folder, keyed by the article id each one names.

    Files are read in name order.  Should two files name the same article, the later one's facts win
    but an earlier summary survives when the later file has none, so that a folder holding a fact file
    and a separate summary file for one article is scored on both.
    """
    golds: dict[str, dict] = {}
    for path in sorted(Path(gold_dir).glob("*.gold.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        earlier = golds.get(doc["article"])
        if earlier is not None and _summary_fact(doc) is None and _summary_fact(earlier) is not None:
            doc = {**doc, "facts": [*doc.get("facts", []), _summary_fact(earlier)]}
        golds[doc["article"]] = doc
    return golds


def evidence_of(record: dict) -> str:
    """The text a record rests on; for a quote, the quoted words count as evidence too.

    A quote's gold evidence is often the quoted words alone, which an extractor may store in `text`
    while its evidence holds the whole sentence.
    """
    ev = record.get("evidence")
    text = ev.get("text", "") if isinstance(ev, dict) else (ev or "")
    if record.get("type") == "quote" and record.get("text"):
        text = f"{text} {record['text']}"
    return text


def _type_key(value: Any) -> str:
    # report keys are strings, as in the scorer's JSON (a record without a type is tallied as "null")
    return value if isinstance(value, str) else json.dumps(value)


def _is_scorable(record: dict, counted: frozenset[str]) -> bool:
    """A counted type's record without a count says nothing checkable and is left out entirely."""
    return not (record.get("type") in counted and not (record.get("count") or {}))


def _best_candidate(gold: dict, candidates: list[dict], taken: set[int], counted: frozenset[str]) -> int | None:
    """Index of the free prediction that best covers the gold evidence, or None below the threshold.

    Ties go to the earlier prediction.
    """
    best_overlap, best_index = 0.0, None
    needs_count = gold["type"] in counted and "count" in gold
    for i, record in enumerate(candidates):
        if i in taken or record.get("type") != gold["type"]:
            continue
        if needs_count and not count_matches(gold["count"], record.get("count")):
            continue
        share = word_overlap(gold["evidence"], evidence_of(record))
        if share >= MIN_EVIDENCE_OVERLAP and share > best_overlap:
            best_overlap, best_index = share, i
    return best_index


def _score_article(article: str, facts: list[dict], records: list[dict], report: Report) -> None:
    counted = counted_types()
    candidates = [r for r in records if _is_scorable(r, counted)]
    taken: set[int] = set()
    for gold in sorted(facts, key=lambda fact: bool(fact.get("optional"))):
        optional = bool(gold.get("optional"))
        index = _best_candidate(gold, candidates, taken, counted)
        if index is None:
            if not optional:
                report.type_score(gold["type"]).fn += 1
                report.errors.append(f"MISSED  {article} {gold['type']}: {gold['evidence'][:90]}")
            continue
        taken.add(index)
        if optional:
            continue  # finding an optional fact is neither rewarded nor, as a spurious record, punished
        report.type_score(gold["type"]).tp += 1
        predicted = candidates[index]
        for name, ok in fact_field_checks(gold, predicted):
            tally = report.field_tally(f"{gold['type']}.{name}")
            if ok:
                tally.correct += 1
            else:
                tally.wrong += 1
                got = json.dumps(predicted.get(name))[:80]
                report.errors.append(
                    f"FIELD   {article} {gold['type']}.{name}: got {got} for: {gold['evidence'][:60]}")
    for i, record in enumerate(candidates):
        if i not in taken:
            report.type_score(_type_key(record.get("type"))).fp += 1
            report.errors.append(f"SPURIOUS {article} {record.get('type')}: {evidence_of(record)[:90]}")


def score(golds: dict[str, dict], records: Iterable[dict]) -> Report:
    """Score fact records against gold documents (as returned by `load_gold`).

    Records of articles without a gold document are ignored, so one extraction run can be scored
    against several gold folders.  A gold document holding only a `summary` is scored on the summary
    alone: its other facts were never labelled, so every record would otherwise look spurious.
    """
    report = Report(articles=len(golds))
    by_article: dict[Any, list[dict]] = defaultdict(list)
    predicted_summaries: dict[Any, dict] = {}
    for record in records:
        if record.get("type") == "summary":
            predicted_summaries[record.get("article")] = record
        elif record.get("article") in golds:
            by_article[record["article"]].append(record)

    gold_summaries: dict[str, dict] = {}
    for article, doc in golds.items():
        facts = [f for f in doc.get("facts", []) if f.get("type") != "summary"]
        summary = _summary_fact(doc)
        if summary is not None:
            gold_summaries[article] = summary
        if not facts and summary is not None:
            continue
        _score_article(article, facts, by_article.get(article, []), report)

    for article, gold in gold_summaries.items():
        for name, exact, close in summary_field_checks(gold, predicted_summaries.get(article)):
            tally = report.summary_tally(name)
            tally.exact += exact
            tally.within10 += close
            tally.n += 1
            if not exact:
                report.errors.append(f"SUMMARY {article} {name}")
    return report
