"""Watching feeds: one round over the feeds (`watch_once`), rounds on a schedule (`run_every`).

Stopping is the caller's: it installs SIGINT/SIGTERM handlers that set a `threading.Event` and
passes the event in; `run_every` waits in short steps, so it stops within `step_s` of the event.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from types import MappingProxyType

from warmonitor.fetch.client import Fetcher
from warmonitor.fetch.response import FetchError
from warmonitor.model import Article, ReadError
from warmonitor.read.common import normalise_date

_UNITS = MappingProxyType({"": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
          "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
          "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
          "d": 86400, "day": 86400, "days": 86400})
_PART = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*")


def parse_interval(text: str) -> float:
    """Seconds in an interval such as `90`, `30s`, `10m`, `2h`, `1d` or `1h30m`; raises ValueError.

    `parse_interval("10m") == 600`. The ValueError's message is one line meant for a user.
    """
    value = (text or "").strip().lower() if isinstance(text, str) else ""
    problem = ValueError(f"interval {text!r} is not a positive duration; give e.g. 30s, 10m, 2h or 1h30m")
    total, pos = 0.0, 0
    while pos < len(value):
        match = _PART.match(value, pos)
        if not match or match[2] not in _UNITS:
            raise problem
        total += float(match[1]) * _UNITS[match[2]]
        pos = match.end()
    if total <= 0:
        raise problem
    return total


def _as_fetch_error(item: ReadError, url: str) -> FetchError:
    return item if isinstance(item, FetchError) else FetchError(url, item.message)


def watch_once(fetcher: Fetcher, feeds: Iterable[str], seen: set[str]) -> Iterator[Article | FetchError]:
    """One round: each feed fetched (conditionally), each new entry's page fetched and yielded.

    An entry is new when neither its id nor its link is in `seen`; both are added to `seen` once its
    page has been tried, whether or not it could be read (a broken page is reported once, not every
    round). The Article's id is the entry's id (guid), else its link; `outlet` is the feed's title;
    `published` is the entry's date, else the page's; `title` the page's, else the entry's. A feed or
    a page that fails gives a FetchError and the round goes on. `seen` only grows: a caller running
    for weeks may persist it and prune it.
    """
    for feed_url in feeds:
        result = fetcher.feed(feed_url)
        if isinstance(result, FetchError):
            yield result
            continue
        if result.not_modified:
            continue
        for item in result.entries:
            if item.id in seen or item.link in seen:
                continue
            page = fetcher.page(item.link)
            seen.update((item.id, item.link))
            if isinstance(page, ReadError):
                yield _as_fetch_error(page, item.link)
                continue
            yield replace(page, id=item.id, outlet=result.title or page.outlet,
                          published=normalise_date(item.published) or page.published,
                          title=page.title or item.title)


def run_every(interval_s: float, fn: Callable[[], object], stop_event: threading.Event, *,
              step_s: float = 0.2, max_runs: int | None = None) -> int:
    """Call `fn` now and then every `interval_s` seconds until `stop_event` is set; the number of calls.

    The interval is measured from the start of one call to the start of the next (a call longer than
    the interval is followed at once by the next). Waiting is done in steps of at most `step_s`, so a
    signal handler that sets `stop_event` stops the loop promptly; a call in progress is not
    interrupted. `max_runs` bounds the calls (tests). Exceptions from `fn` propagate.
    """
    runs = 0
    while not stop_event.is_set():
        started = time.monotonic()
        fn()
        runs += 1
        if max_runs is not None and runs >= max_runs:
            break
        deadline = started + interval_s
        while not stop_event.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            stop_event.wait(min(step_s, left))
    return runs
