"""Fetching pages and feeds from the web: `Fetcher` (bounded, polite, retrying, conditional GETs),
feed parsing with an XML-bomb check, feed lists (text or OPML) and a watch loop.

Only public addresses are connected to unless a range is allowed (`fetch.guard`, `fetch.transport`).
Network, HTTP and content problems never raise: they come back as a `FetchError` (a `ReadError`
whose `source` is the URL) with a one-line message naming the URL and saying what to do.
"""
from __future__ import annotations

from warmonitor.fetch.client import FetchConfig, Fetcher
from warmonitor.fetch.feedlist import FeedListError, read_feed_list
from warmonitor.fetch.feeds import FeedItem, FeedResult, parse_feed, xml_problem
from warmonitor.fetch.response import FetchError, Response
from warmonitor.fetch.watch import parse_interval, run_every, watch_once

__all__ = ["FeedItem", "FeedListError", "FeedResult", "FetchConfig", "FetchError", "Fetcher", "Response",
           "parse_feed", "parse_interval", "read_feed_list", "run_every", "watch_once", "xml_problem"]
