"""The rule ids of tolls told in steps, and how a report's figure reads them (a light module: the
linker imports it without the language models).

Reports tell a toll in steps: "eleven were killed in the blast, and another four died in hospital"
(`casualty.more`, extract/later_deaths.adds_more), "three were wounded; one later died"
(`casualty.later-died`, `casualty.later-died.fewer-wounded`, extract/later_deaths.later_deaths).
The article summary (extract/summary.py) and an incident's per-report figure
(link/records.report_figure) read these the same way.
"""
from __future__ import annotations

LATER_DIED = "casualty.later-died"  # the death toll after later deaths of the wounded
FEWER_WOUNDED = "casualty.later-died.fewer-wounded"  # the wounded left after them
MORE = "casualty.more"  # a count added to a toll told before


def running_totals(items: list[tuple]) -> int | None:
    """The least a toll is after additions: `items` are (value, rule, part, sentence) of one outcome's
    figures in text order; a `casualty.more` figure adds to the whole figure told last before it in
    its own sentence ("eleven were killed in the blast, and another four died in hospital": 15).
    Another sentence's "another N" most often counts another place or another event of a daily
    report ("30 were killed in Aleppo ... Another 39 died in Idlib"), which the article's main event
    and its incident do not hold. None when nothing was added to a figure."""
    best, last, where = None, None, None
    for value, rule, part, sentence in items:
        if rule == MORE and last is not None and sentence == where:
            last += value
            best = max(best or 0, last)
        elif not part:
            last, where = value, sentence
    return best
