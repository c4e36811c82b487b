"""Score warmonitor's fact records against gold files (FORMAT.md, "Matching").

    from warmonitor.evaluate import load_gold, score
    report = score(load_gold(Path("gold/")), records)
    print(report.to_text())

Incidents (linking) are scored by `warmonitor.evaluate.incidents` against incident gold
(`incidents.gold.json`, format `warmonitor-incidents/1`): `score_incidents(load_incident_gold(folder), records)`.

The figures equal those of the project's reference scorer (`../shared/eval/score.py`) on the same
input, so analysts can score against their own gold folders and compare with published numbers.
"""
from .incidents import IncidentReport, load_incident_gold, score_incidents
from .report import FieldTally, Report, SummaryTally, TypeScore
from .scoring import load_gold, score

__all__ = ["load_gold", "score", "load_incident_gold", "score_incidents", "IncidentReport", "Report", "TypeScore", "FieldTally", "SummaryTally", "read_records"]


def read_records(path):
    """Fact records from a JSON Lines file (blank lines skipped), as `warmonitor extract` writes them."""
    import json
    from pathlib import Path

    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
