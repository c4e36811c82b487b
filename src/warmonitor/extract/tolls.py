"""The rule ids of tolls told in steps, and how a report's figure reads them (a light module: the
linker imports it without the language models).

Reports tell a toll in steps: "eleven were killed ..., and another four died in a second blast"
(`casualty.more`, extract/later_deaths.adds_more), "three were wounded; one later died"
(`casualty.later-died`, `casualty.later-died.fewer-wounded`, extract/later_deaths.later_deaths).
The article summary (extract/summary.py) and an incident's per-report figure
(link/records.report_figure) read these the same way.
"""
from __future__ import annotations

LATER_DIED = "casualty.later-died"  # the death toll after later deaths of the wounded
FEWER_WOUNDED = "casualty.later-died.fewer-wounded"  # the wounded left after them
MORE = "casualty.more"  # a count added to a toll told before


def running_totals(items: list[tuple[int, str | None, bool]]) -> int | None:
    """The least a toll is after additions: `items` are (value, rule, part) of one outcome's figures
    in text order; each `casualty.more` figure adds to the whole figure told last before it ("eleven
    were killed, and another four died": 15; "fifteen killed ... eleven ... and another four": 15).
    None when nothing was added to a figure."""
    best, last = None, None
    for value, rule, part in items:
        if rule == MORE and last is not None:
            last += value
            best = max(best or 0, last)
        elif rule == MORE or not part:
            last = value
    return best
