"""The day of an incident when its reports give different days (link/records.py `build`): the day most
independent reports give, a night and the small hours after it read as one night, a follow-up's day
never the incident's.

Every report here is made up for these tests: mentions are built by hand, as the linker would give them.
"""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.link.evidence import Mention, TollCues
from warmonitor.link.records import build


@pytest.fixture(scope="module")
def cues() -> TollCues:
    return TollCues.load()


def mention(article: str, day: str, phrase: str, published: str) -> Mention:
    """One report of a strike that killed four, dated `day` by the time phrase `phrase`."""
    record = {"type": "casualty", "outcome": "killed", "victims": "civilians", "date": day, "period": None,
              "period_text": phrase, "count": {"low": 4, "best": 4, "high": 4},
              "evidence": {"text": f"A drone strike killed four civilians in Marib {phrase}.", "start": 0, "end": 40}}
    d = date.fromisoformat(day).toordinal()
    return Mention(article=article, outlet=article.split("-")[0], published=published, facts=[0], records=[record],
                   kind="casualty", day=(d, d), explicit_day=True, figures={"killed": record["count"]})


def incident_day(members: list[Mention], cues: TollCues, source_of=lambda a: a) -> str | None:
    return build("inc-test", members, source_of, cues)["date"]


def test_the_day_most_independent_reports_give(cues):
    """Two reprints of one wire story (one source) do not outvote two independent reports."""
    members = [mention("wire-1", "2024-03-09", "on Saturday", "2024-03-09"),
               mention("reprint-1", "2024-03-09", "on Saturday", "2024-03-10"),
               mention("reprint-2", "2024-03-09", "on Saturday", "2024-03-10"),
               mention("local-1", "2024-03-10", "on Sunday", "2024-03-10"),
               mention("radio-1", "2024-03-10", "on Sunday", "2024-03-11")]
    wire = {"wire-1": "wire", "reprint-1": "wire", "reprint-2": "wire"}
    assert incident_day(members, cues, lambda a: wire.get(a, a)) == "2024-03-10"
    # one report of the strike and one of the arrest four days later: a tie goes to the earlier day
    members = [mention("arrest-1", "2024-03-12", "on Tuesday", "2024-03-12"),
               mention("strike-1", "2024-03-08", "on Friday", "2024-03-08")]
    assert incident_day(members, cues) == "2024-03-08"


def test_friday_night_and_early_saturday_are_one_night(cues):
    """"Friday night" in one report and "early Saturday" in another: an event after midnight, Saturday's."""
    members = [mention("a-1", "2024-03-08", "late on Friday night", "2024-03-09"),
               mention("b-1", "2024-03-09", "in the early hours of Saturday", "2024-03-09")]
    assert incident_day(members, cues) == "2024-03-09"
    # without a night and the small hours after it, the tie stays with the earlier day
    members = [mention("a-1", "2024-03-08", "on Friday evening", "2024-03-09"),
               mention("b-1", "2024-03-09", "on Saturday", "2024-03-09")]
    assert incident_day(members, cues) == "2024-03-08"
