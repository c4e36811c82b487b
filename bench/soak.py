"""Soak: `warmonitor watch` against a local feed server of good, slow, huge and hostile items, with the
dashboard under load, for `--minutes` (30 by default) or `--seconds`.

Prints one table, asserts nothing (tests/test_soak.py runs it briefly and checks its structural figures).

The feed server (`http.server`, a thread of this process, 127.0.0.1 only) serves two feeds: `/feed/main.xml`
(RSS 2.0), which grows at every request (a few new items, sometimes none and then a 304 to a conditional
request, now and then an XML entity bomb in place of the feed), and `/feed/mirror.atom` (Atom), which
carries some of main's good articles again under second URLs. Both keep showing their last items, so each
poll sees old items again; some old articles come back under a new guid and a `?ref=` link, and some as
an update (new text, a canonical link to the original: a second version). The first items of main are a
tour of every kind, the slow ones last; then the kinds follow a seeded weighted draw (`--skip` leaves kinds
out). Kinds with two variants alternate them (the first of a kind is the even one). The kinds:

    good              HTML around a generated article (generate_articles.generate_texts, or real towns)
    mirror / repost   a good article's exact page again under a second URL (mirror feed / new guid)
    update            a good article's text plus a paragraph, canonical link to the original's URL
    slow-wait         headers at once, the body after --slow-seconds (over the fetcher's 20 s read timeout)
    slow-trickle      headers, then one byte every 2 s for --trickle-seconds (over its 120 s total limit)
    huge-declared     Content-Length 60 MB (the fetcher's cap is 5 MB), the bytes sent while it reads
    huge-undeclared   60 MB without a length, to the end of the connection
    binary            random bytes as text/html
    broken-html       an article in unclosed, misnested, truncated markup
    nul-surrogate     an article with NUL bytes, &#0;, &#xD800;, and CESU-encoded surrogate bytes
    invalid-utf8      declared UTF-8, with Latin-1 bytes (many: refused; or a few: replaced)
    gzip-bomb         Content-Encoding gzip, 256 MiB of zeros in about 256 KB
    redirect-loop     a -> b -> a, or a chain longer than the fetcher's redirect limit
    redirect-private  a redirect to 169.254.169.254, 10/8, 192.168/16 or [::1] (the guard must refuse)
    absurd-figures    an article claiming 9,000,000,000,000,000,000 killed and the like
    comma-run         an article followed by 300 KB of comma-joined words without a space (once a run, in
                      the tour: the extractor spends minutes on one and stores ~1 GB of facts from it)
    entity-bomb       (the main feed itself, now and then) a billion-laughs DTD

`watch` (`--every 5s --allow-network 127.0.0.0/8`) and `serve` run as processes of their own on a fresh
SQLite file in a temp folder; `--concurrency` asyncio clients (api_load's) send a mix of /api/facts,
/api/aggregates and /api/places for the whole run; the private memory (RssAnon) of both processes is
sampled every `--sample-every` seconds. At the end the load stops, watch gets SIGTERM (the feed server
then answers 404 at once and drops its slow answers), serve is stopped, and the database is read.

    python bench/soak.py                  # 30 minutes
    python bench/soak.py --seconds 60     # a short run
    python bench/soak.py --minutes 5 --concurrency 8 --keep /tmp/soak   # keep the db and logs
"""
from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import html
import http.server
import json
import os
import platform
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_load  # noqa: E402
from generate_articles import generate_texts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FETCH_TIMEOUT_S, FETCH_TOTAL_S, FETCH_MAX_BYTES = 20.0, 120.0, 5_000_000  # warmonitor.fetch.FetchConfig defaults
HUGE_BYTES = 60_000_000
BOMB_BYTES = 256 * 2**20
COMMA_RUN_BYTES = 300_000
START = dt.date(2025, 1, 1)  # publication dates: over 2025, where api_load's date windows fall
FEED_WINDOW = 25  # items a feed shows (the newest)
TOUR_PER_POLL = 6  # tour items added at each of the first requests of the main feed
STOP_GRACE_S = 40.0  # how long watch may take to stop after SIGTERM before it is killed

GOOD, MIRROR, REPOST, UPDATE = "good", "mirror", "repost", "update"
SLOW_WAIT, SLOW_TRICKLE, HUGE_DECLARED, HUGE_UNDECLARED = "slow-wait", "slow-trickle", "huge-declared", "huge-undeclared"
HOSTILE = ("binary", "broken-html", "nul-surrogate", "invalid-utf8", "gzip-bomb", "redirect-loop", "redirect-private",
           "absurd-figures", "comma-run")
ENTITY_BOMB = "entity-bomb"  # a feed answer, not a page
PAGE_KINDS = (GOOD, REPOST, UPDATE, MIRROR, SLOW_WAIT, SLOW_TRICKLE, HUGE_DECLARED, HUGE_UNDECLARED, *HOSTILE)
# the tour: every kind once, slow last (the watcher waits on them); then the seeded draw
# (comma-run before them too: extracting it takes minutes, see the report)
TOUR = (GOOD, "absurd-figures", "redirect-private", GOOD, "binary", "nul-surrogate", "invalid-utf8", "gzip-bomb",
        "redirect-loop", HUGE_DECLARED, "broken-html", REPOST, HUGE_UNDECLARED, UPDATE, "invalid-utf8", "absurd-figures",
        "redirect-loop", "comma-run", SLOW_WAIT, SLOW_TRICKLE)
WEIGHTS = {GOOD: 40, REPOST: 3, UPDATE: 3, SLOW_WAIT: 1, SLOW_TRICKLE: 0.3, HUGE_DECLARED: 1, HUGE_UNDECLARED: 1,
           "binary": 1, "broken-html": 2, "nul-surrogate": 2, "invalid-utf8": 2, "gzip-bomb": 1, "redirect-loop": 1,
           "redirect-private": 1, "absurd-figures": 2, "comma-run": 0}
# comma-run: in the tour only (once a run) while one costs minutes of extraction and ~1 GB of database
PRIVATE_TARGETS = ("http://169.254.169.254/latest/meta-data/", "http://10.20.30.40/news/item",
                   "http://192.168.1.1/article", "http://[::1]:8080/article")
ABSURD = ("At least 9,000,000,000,000,000,000 people were killed in the fighting, the ministry said.",
          "Some 45,000,000,000,000 residents fled their homes over the weekend, according to officials.",
          "A spokesman said 10^30 civilians were wounded and 1e300 children were displaced.",
          "Nine hundred quadrillion soldiers were killed, a monitoring group claimed.",
          "The toll rose to 18446744073709551617 dead on Tuesday, the health directorate said.",
          "More than -5,000 people were killed and 3.5e12 people were displaced.")
COMMA_WORDS = ("killed", "12", "people", "fled", "camp", "wounded", "1,200", "children", "strike", "town", "army",
               "displaced", "three", "hundred", "hospital", "shelling", "thousand", "according", "to")


# -- the feed world -------------------------------------------------------------------------------

@dataclass
class Item:
    n: int
    kind: str
    path: str  # the link's path (and query), on the feed server
    guid: str
    title: str
    published: dt.date
    original: int | None = None  # repost / update / mirror: the good item it copies
    variant: int = 0  # how many items of its kind came before it: picks the kind's variant (even, odd)


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    feed_requests: Counter = field(default_factory=Counter)  # main / mirror / 304 / entity-bomb / stopping
    page_requests: Counter = field(default_factory=Counter)  # by kind, every request (redirect hops too)
    served: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # kind -> items requested
    unknown_paths: int = 0
    last_page: tuple[str, int, float] | None = None  # the kind and number of the page asked for last, and when
    handler_errors: Counter = field(default_factory=Counter)

    def add(self, counter: str, key: str, n: int = 1) -> None:
        with self.lock:
            getattr(self, counter)[key] += n


class World:
    """The items, their pages and the feeds, all deterministic in `seed` (given the order of requests)."""

    def __init__(self, seed: int, words: int, slow_s: float, trickle_s: float, skip: tuple[str, ...] = ()) -> None:
        self.r = random.Random(seed)
        self.seed, self.words, self.slow_s, self.trickle_s = seed, words, slow_s, trickle_s
        self.lock = threading.Lock()
        self.items: list[Item] = []
        self.by_path: dict[str, Item] = {}
        self.mirror: list[Item] = []
        self.kinds: Counter = Counter()
        self.good: list[Item] = []
        self.tour = [k for k in TOUR if k not in skip]
        self.weights = {k: w for k, w in WEIGHTS.items() if k not in skip}
        self.main_etag = ""
        self.mirror_upto = 0
        self.stopping = threading.Event()
        self.stats = Stats()
        self._texts: dict[int, str] = {}
        self._bomb: bytes | None = None
        self.base = ""  # http://127.0.0.1:PORT, set once the server listens

    # items

    def _add(self, kind: str) -> Item:
        n = len(self.items) + len(self.mirror)
        published = START + dt.timedelta(days=self.r.randrange(365))
        original = None
        if kind in (REPOST, UPDATE):
            if not self.good:
                kind = GOOD
            else:
                original = self.r.choice(self.good[-40:]).n
        if kind == REPOST:
            path = f"/article/{original}.html?ref=repost{n}"
        elif kind == UPDATE:
            path = f"/article/{original}-update-{n}.html"
        elif kind.startswith("redirect"):
            path = f"/r/{kind}/{n}/0"
        else:
            path = f"/article/{n}.html" if kind == GOOD else f"/x/{kind}/{n}.html"
        item = Item(n, kind, path, f"soak-{n}", f"Item {n}", published, original, self.kinds[kind])
        self.kinds[kind] += 1
        self.items.append(item)
        self.by_path[path] = item
        if kind == GOOD:
            self.good.append(item)
        return item

    def _next_kind(self) -> str:
        if self.tour:
            return self.tour.pop(0)
        kinds = list(self.weights)
        return self.r.choices(kinds, [self.weights[k] for k in kinds])[0]

    def grow_main(self) -> bool:
        """A main-feed request's growth: True when the feed changed."""
        if self.tour:
            for _ in range(min(TOUR_PER_POLL, len(self.tour))):
                self._add(self._next_kind())
            return True
        if self.r.random() < 0.15:
            return False
        for _ in range(self.r.randint(2, 4)):
            self._add(self._next_kind())
        return True

    def grow_mirror(self) -> None:
        for item in self.good[self.mirror_upto:]:
            if self.r.random() < 0.5:
                n = len(self.items) + len(self.mirror)
                path = f"/mirror/{n}.html"
                copy = Item(n, MIRROR, path, f"mirror-{n}", item.title, item.published, item.n, self.kinds[MIRROR])
                self.kinds[MIRROR] += 1
                self.mirror.append(copy)
                self.by_path[path] = copy
        self.mirror_upto = len(self.good)

    def text(self, n: int) -> str:
        """The generated article text of item `n` (its own seed: the same whenever it is asked for)."""
        if n not in self._texts:
            self._texts[n] = generate_texts(1, self.words, seed=self.seed * 1_000_003 + n)[0]
        return self._texts[n]

    # feeds

    def main_feed(self, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            first = not self.stats.feed_requests[ENTITY_BOMB]
            if first or (not self.tour and self.r.random() < 0.06):
                # an entity bomb in place of the feed: the first answer, then now and then (nothing grows)
                self.stats.add("feed_requests", ENTITY_BOMB)
                self.main_etag = ""  # the next request gets the whole feed again
                return 200, {"Content-Type": "application/rss+xml"}, entity_bomb()
            if self.grow_main():
                self.main_etag = f'"main-{len(self.items)}"'
            if if_none_match and if_none_match == self.main_etag:
                self.stats.add("feed_requests", "304")
                return 304, {"ETag": self.main_etag}, b""
            items = self.items[-FEED_WINDOW:]
            if len(self.items) > FEED_WINDOW and self.r.random() < 0.3:
                # an old item again under another guid, the same link: the watcher knows the link
                old = self.r.choice(self.items[:-FEED_WINDOW])
                items = [*items, Item(old.n, old.kind, old.path, f"{old.guid}-again", old.title, old.published)]
            body = rss(self.base, items)
            return 200, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": self.main_etag}, body

    def mirror_feed(self) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.grow_mirror()
            return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, atom(self.base, self.mirror[-FEED_WINDOW:])

    # pages

    def article_html(self, item: Item, text: str, canonical: str | None = None) -> bytes:
        return page_html(item.title, text, item.published, canonical).encode("utf-8")

    def good_page(self, n: int) -> bytes:
        item = self.items_by_n(n)
        return self.article_html(item, self.text(n))

    def items_by_n(self, n: int) -> Item:
        for item in self.items:
            if item.n == n:
                return item
        raise KeyError(n)

    def gzip_bomb(self) -> bytes:
        if self._bomb is None:
            zipper = zlib.compressobj(9, zlib.DEFLATED, 31)
            head = b"<!doctype html><html><head><title>bomb</title></head><body><p>"
            parts = [zipper.compress(head)]
            zeros = bytes(2**20)
            for _ in range(BOMB_BYTES // len(zeros)):
                parts.append(zipper.compress(zeros))
            parts.append(zipper.flush())
            self._bomb = b"".join(parts)
        return self._bomb


def rss(base: str, items: list[Item]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel><title>Soak Wire</title>',
           f"<link>{base}/</link><description>invented items for the soak benchmark</description>"]
    for item in items:  # oldest first: the watcher takes them in this order (the tour's, slow last)
        date = email.utils.format_datetime(dt.datetime.combine(item.published, dt.time(9, 30), dt.timezone.utc))
        out.append(f"<item><title>{html.escape(item.title)}</title><link>{html.escape(base + item.path)}</link>"
                   f'<guid isPermaLink="false">{item.guid}</guid><pubDate>{date}</pubDate>'
                   f"<description>Item {item.n} of the soak feed</description></item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def atom(base: str, items: list[Item]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f'<title>Soak Mirror</title><id>{base}/feed/mirror.atom</id><updated>2025-12-31T00:00:00Z</updated>']
    for item in items:
        out.append(f'<entry><title>{html.escape(item.title)}</title><link rel="alternate" '
                   f'href="{html.escape(base + item.path)}"/><id>urn:soak:{item.guid}</id>'
                   f"<updated>{item.published.isoformat()}T10:00:00Z</updated></entry>")
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def entity_bomb() -> bytes:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = f"&lol{i - 1};" if i > 1 else "&lol;"
        lines.append(f'<!ENTITY lol{i} "{prev * 10}">')
    lines += ["]>", '<rss version="2.0"><channel><title>&lol9;</title>',
              "<item><title>&lol9;</title><link>http://127.0.0.1/bomb</link></item></channel></rss>"]
    return "\n".join(lines).encode()


def page_html(title: str, text: str, published: dt.date, canonical: str | None = None) -> str:
    headline, _, body = text.partition("\n\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in body.split("\n\n") if p.strip())
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline or title)}'
            f"</title>{link}<meta property=\"article:published_time\" content=\"{published.isoformat()}\"></head>"
            f"<body><header><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav></header>"
            f"<article><h1>{html.escape(headline or title)}</h1><p class=\"byline\">By the Soak Desk, "
            f"{published.isoformat()}</p>\n{paragraphs}</article><footer>Soak bench, invented text</footer>"
            f"</body></html>")


# -- the feed server ------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "SoakFeed/1"
    world: World  # set on the subclass

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the handler's name
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.world.stats.add("handler_errors", "client went away")
            self.close_connection = True

    def route(self) -> None:
        world, path = self.world, self.path
        if world.stopping.is_set():
            world.stats.add("feed_requests", "stopping")
            return self.send(404, {"Content-Type": "text/plain"}, b"the soak is over\n")
        if path == "/feed/main.xml":
            world.stats.add("feed_requests", "main")
            return self.send(*world.main_feed(self.headers.get("If-None-Match")))
        if path == "/feed/mirror.atom":
            world.stats.add("feed_requests", "mirror")
            return self.send(*world.mirror_feed())
        if path.startswith("/r/"):
            return self.redirect(path)
        item = world.by_path.get(path)
        if item is None:
            world.stats.unknown_paths += 1
            return self.send(404, {"Content-Type": "text/plain"}, b"not here\n")
        self.count(item)
        getattr(self, "page_" + item.kind.replace("-", "_"))(item)

    def count(self, item: Item) -> None:
        stats = self.world.stats
        with stats.lock:
            stats.page_requests[item.kind] += 1
            stats.served[item.kind].add(item.n)
            stats.last_page = (item.kind, item.n, time.monotonic())

    def redirect(self, path: str) -> None:
        parts = path.split("/")  # "", "r", kind, n, hop
        try:
            kind, n, hop = parts[2], int(parts[3]), int(parts[4])
        except (IndexError, ValueError):
            return self.send(404, {}, b"")
        item = self.world.by_path.get(f"/r/{kind}/{n}/0")
        if item is None:
            return self.send(404, {}, b"")
        self.count(item)
        if kind == "redirect-private":
            target = PRIVATE_TARGETS[item.variant % len(PRIVATE_TARGETS)]
        elif item.variant % 2:  # a chain longer than the fetcher's limit of 5
            target = f"/r/{kind}/{n}/{hop + 1}" if hop < 12 else "/article/none.html"
        else:  # a loop
            target = f"/r/{kind}/{n}/{1 - hop if hop in (0, 1) else 0}"
        self.send(302 if hop % 2 == 0 else 301, {"Location": target, "Content-Type": "text/html"}, b"moved\n")

    # the kinds of page

    def page_good(self, item: Item) -> None:
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, self.world.good_page(item.n))

    def page_repost(self, item: Item) -> None:
        self.page_good(self.world.items_by_n(item.original))

    def page_mirror(self, item: Item) -> None:
        original = self.world.items_by_n(item.original)
        canonical = self.world.base + original.path if item.variant % 2 else None
        body = self.world.article_html(original, self.world.text(original.n), canonical)
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, body)

    def page_update(self, item: Item) -> None:
        original = self.world.items_by_n(item.original)
        text = self.world.text(original.n) + (f"\nUpdate: the toll rose to {20 + item.n % 50} dead on Friday, "
                                              f"the local health ministry said (update {item.n}).\n")
        self.send(200, {"Content-Type": "text/html; charset=utf-8"},
                  self.world.article_html(original, text, self.world.base + original.path))

    def page_slow_wait(self, item: Item) -> None:
        body = self.world.article_html(item, self.world.text(item.n))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        if not self.world.stopping.wait(self.world.slow_s):
            self.wfile.write(body)

    def page_slow_trickle(self, item: Item) -> None:
        body = self.world.article_html(item, self.world.text(item.n))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        deadline = time.monotonic() + self.world.trickle_s
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if time.monotonic() > deadline or self.world.stopping.wait(2.0):
                break
        self.close_connection = True

    def stream(self, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = (b"<!doctype html><html><body>" + b"<p>more words about nothing at all</p>\n" * 1700)[:65536]
        sent = 0
        while sent < HUGE_BYTES and not self.world.stopping.is_set():
            piece = chunk[:HUGE_BYTES - sent]
            self.wfile.write(piece)
            sent += len(piece)
        self.close_connection = True

    def page_huge_declared(self, item: Item) -> None:
        self.stream(declared=True)

    def page_huge_undeclared(self, item: Item) -> None:
        self.stream(declared=False)

    def page_binary(self, item: Item) -> None:
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, random.Random(item.n).randbytes(200_000))

    def page_broken_html(self, item: Item) -> None:
        r = random.Random(item.n)
        paragraphs = self.world.text(item.n).split("\n\n")
        junk = ["<div><p>", "<table><td>", "</span></div>", "<b><i>", "</p></table>", "<p class='x\">", "<!-- ",
                "<script>var x = '</p>", "<![CDATA[", "<a href=\"javascript:", "&#;", "&bogus", "<<<>>>", "</html>"]
        if item.variant % 2:  # badly broken
            body = "<html><head><title>Broken " + str(item.n) + "<body><article>"
            for p in paragraphs:
                body += r.choice(junk) + html.escape(p) + r.choice(junk)
        else:  # readable: unclosed paragraphs, misnested inline tags, no </body>
            body = "<html><head><title>Broken " + str(item.n) + "</title><body><div><article><h1>Broken"
            for p in paragraphs:
                body += "<p><b><i>" + html.escape(p) + "</b></i>" + r.choice(("", "</span>", "<br>", "</div>"))
        body = body[: int(len(body) * 0.9)]  # truncated mid-way, mid-tag perhaps
        self.send(200, {"Content-Type": "text/html"}, body.encode("utf-8"))

    def page_nul_surrogate(self, item: Item) -> None:
        text = self.world.text(item.n)
        poisoned = []
        for i, s in enumerate(text.split(". ")):
            raw_nul = "\x00" if item.variant % 2 and i % 3 == 0 else ""  # odd: raw NUL bytes (binary to the fetcher)
            poisoned.append(s + raw_nul + (" &#0; &#xD800;" if i % 4 == 0 else "") + (" &#xDFFF;x" if i % 5 == 0 else "")
                            + (" nul&#x0;here" if i % 6 == 0 else ""))
        page = page_html(item.title, ". ".join(poisoned), item.published).replace("&amp;#", "&#").encode("utf-8")
        page = page.replace(b"</article>", b"<p>tail \xed\xa0\x80 lone \xed\xbf\xbf end</p></article>")
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, page)

    def page_invalid_utf8(self, item: Item) -> None:
        page = page_html(item.title, self.world.text(item.n), item.published)
        head, sep, body = page.partition("<article>")
        if item.variant % 2:  # many bad bytes (the article in Latin-1, declared UTF-8): refused
            data = (head + sep).encode("utf-8") + body.replace("e", "\u00e9").replace("a", "\u00e0").encode("latin-1")
        else:  # a few: replaced
            data = page.encode("utf-8").replace(b"</article>", b"<p>caf\xe9 \xff\xfe stray bytes</p></article>")
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, data)

    def page_gzip_bomb(self, item: Item) -> None:
        self.send(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                  self.world.gzip_bomb())

    def page_absurd_figures(self, item: Item) -> None:
        text = self.world.text(item.n)
        head, _, rest = text.partition("\n\n")
        absurd = ABSURD if item.variant % 2 else [a for a in ABSURD if "18446744073709551617" not in a]  # over 2**64 or not
        text = head + "\n\n" + " ".join(absurd) + "\n\n" + rest
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, self.world.article_html(item, text))

    def page_comma_run(self, item: Item) -> None:
        r = random.Random(item.n)
        words, size = [], 0
        while size < COMMA_RUN_BYTES:
            w = r.choice(COMMA_WORDS)
            words.append(w)
            size += len(w) + 1
        page = page_html(item.title, self.world.text(item.n), item.published)
        page = page.replace("</article>", "<p>" + ",".join(words) + "</p></article>")
        self.send(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("utf-8"))


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - the base class's signature
        kind = sys.exc_info()[0]
        Handler.world.stats.add("handler_errors", kind.__name__ if kind else "?")


def start_feed_server(world: World) -> tuple[FeedServer, threading.Thread]:
    handler = type("SoakHandler", (Handler,), {"world": world})
    Handler.world = world
    server = FeedServer(("127.0.0.1", 0), handler)
    world.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="feed-server",
                              daemon=True)
    thread.start()
    return server, thread


# -- processes, memory, load ----------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """This process's environment, with this checkout's src/ first on PYTHONPATH."""
    env = dict(os.environ)
    src = str(ROOT / "src")
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in parts:
        env["PYTHONPATH"] = os.pathsep.join([src, *parts])
    env.pop("WARMONITOR_ALLOW_NETWORKS", None)
    return env


def rss_anon(pid: int) -> float | None:
    """Private resident memory (RssAnon) of `pid` and its children, MiB; None when it is gone."""
    found = api_load.server_memory(pid)
    return sum(found) / 2**20 if found else None


@dataclass
class Samples:
    t: list[float] = field(default_factory=list)
    watch: list[float | None] = field(default_factory=list)
    serve: list[float | None] = field(default_factory=list)


def sample_memory(samples: Samples, watch_pid: int, serve_pid: int, every: float, t0: float,
                  stop: threading.Event) -> None:
    while True:
        samples.t.append(time.monotonic() - t0)
        samples.watch.append(rss_anon(watch_pid))
        samples.serve.append(rss_anon(serve_pid))
        if stop.wait(every):
            return


def slope_per_10min(ts: list[float], values: list[float]) -> float:
    """Least-squares slope of `values` over `ts` (s), in MiB per 10 minutes; nan with fewer than 3 points."""
    if len(ts) < 3:
        return float("nan")
    mt, mv = sum(ts) / len(ts), sum(values) / len(values)
    var = sum((t - mt) ** 2 for t in ts)
    if var == 0:
        return float("nan")
    return sum((t - mt) * (v - mv) for t, v in zip(ts, values)) / var * 600


class LoadRecorder:
    """Latency per endpoint and errors by status (or exception), for api_load's asyncio clients."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.samples: list[str] = []

    def add(self, endpoint: str, tags: list[str], seconds: float, error: str | None) -> None:
        with self.lock:
            self.latency[endpoint].append(seconds)
            if error is not None:
                match = re.match(r"HTTP (\d{3})", error)
                self.errors[match[1] if match else error.split(":", 1)[0]] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{endpoint}: {error[:300]}")


def places_request(r: random.Random, values: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[str]]:
    params: list[tuple[str, str]] = []
    if r.random() < 0.4:
        params.append(("type", r.choice(api_load.FACT_TYPES)))
    if r.random() < 0.3 and values.get("country"):
        params.append(("country", r.choice(values["country"])))
    if r.random() < 0.4:
        params += list(zip(("since", "until"), api_load.window(r)))
    return params, ["places"]


def run_clients(base: str, concurrency: int, values: dict[str, list[str]], seed: int, recorder: LoadRecorder,
                stop: threading.Event, deadline: float) -> None:
    def mix(index: int) -> Iterator[api_load.Request]:
        r = random.Random(seed * 1000 + index)
        while not stop.is_set() and time.monotonic() < deadline:
            x = r.random()
            if x < 0.45:
                yield "/api/facts", *api_load.facts_request(r, values)
            elif x < 0.75:
                yield "/api/aggregates", *api_load.aggregates_request(r, values)
            else:
                yield "/api/places", *places_request(r, values)

    api_load.asyncio_clients(base, concurrency, mix, recorder.add)


def refresh_values(db: Path, values: dict[str, list[str]]) -> None:
    try:
        found = api_load.filter_values(db)
    except sqlite3.Error:
        return
    values.update(found)


def stop_process(proc: subprocess.Popen, grace: float) -> tuple[float, bool]:
    """SIGTERM, then SIGKILL after `grace` seconds: (seconds it took, whether it had to be killed)."""
    t0 = time.monotonic()
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            return time.monotonic() - t0, True
    return time.monotonic() - t0, False


# -- the database after the run -------------------------------------------------------------------

SURROGATE = re.compile("[\ud800-\udfff]")


def read_db(db: Path, world: World) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.text_factory = lambda b: b.decode("utf-8", errors="surrogateescape")
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    out: dict = {}
    out["versions"] = q("SELECT count(*) FROM articles")[0][0]
    out["articles"] = q("SELECT count(*) FROM articles WHERE is_current")[0][0]
    out["facts"] = q("SELECT count(*) FROM facts WHERE type != 'summary'")[0][0]
    out["dup_keys"] = len(q("SELECT article_key FROM articles WHERE is_current GROUP BY article_key HAVING count(*) > 1"))
    out["dup_hashes"] = len(q("SELECT content_hash FROM articles WHERE is_current GROUP BY content_hash "
                              "HAVING count(*) > 1"))
    out["dup_urls"] = len(q("SELECT canonical_url FROM articles WHERE is_current AND canonical_url IS NOT NULL "
                            "GROUP BY canonical_url HAVING count(*) > 1"))
    # a sentence may hold several facts of one type (16 children and 170 fighters killed): shown, not a duplicate
    out["shared_evidence"] = len(q("SELECT article_id FROM facts GROUP BY article_id, evidence_start, evidence_end, "
                                   "type HAVING count(*) > 1"))
    records: Counter = Counter()
    for article_id, record in q("SELECT article_id, record FROM facts"):
        fact = json.loads(record)
        fact.pop("id", None)
        records[(article_id, json.dumps(fact, sort_keys=True))] += 1
    out["dup_facts"] = sum(1 for n in records.values() if n > 1)
    out["facts_of_old_versions"] = q("SELECT count(*) FROM facts JOIN articles ON articles.id = facts.article_id "
                                     "WHERE NOT articles.is_current")[0][0]
    rows = q("SELECT id, source, article_key, text FROM articles WHERE is_current")
    openings: Counter = Counter()
    stored_kind: Counter = Counter()
    out["nul_texts"] = out["surrogate_texts"] = out["replacement_texts"] = 0
    out["longest_text"] = 0
    for _id, source, key, text in rows:
        openings[" ".join(text.split())[:400]] += 1
        out["nul_texts"] += "\x00" in text
        out["surrogate_texts"] += bool(SURROGATE.search(text))
        out["replacement_texts"] += "\ufffd" in text
        out["longest_text"] = max(out["longest_text"], len(text))
        path = urllib.parse.urlsplit(source or key or "")
        item = world.by_path.get(path.path + (f"?{path.query}" if path.query else ""))
        stored_kind[item.kind if item else "?"] += 1
    out["dup_texts"] = sum(1 for c in openings.values() if c > 1)
    out["stored_kind"] = stored_kind
    best = q("SELECT max(count_best), max(count_high), min(count_low) FROM facts WHERE type != 'summary'")[0]
    out["max_count"] = max((v for v in best[:2] if v is not None), default=None)
    out["min_count"] = best[2]
    out["counts_over_1e9"] = q("SELECT count(*) FROM facts WHERE count_best > 1000000000 OR count_high > 1000000000")[0][0]
    out["nul_facts"] = q("SELECT count(*) FROM facts WHERE instr(CAST(record AS BLOB), X'00') > 0 "
                         "OR record LIKE '%\\u0000%'")[0][0]
    conn.close()
    out["duplicates"] = out["dup_keys"] + out["dup_hashes"] + out["dup_urls"] + out["dup_facts"] + out["dup_texts"]
    return out


# -- the run --------------------------------------------------------------------------------------

TRACEBACK = "Traceback (most recent call last)"
EXCEPTION_LINE = re.compile(r"(?m)^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b.*$")  # a traceback's last line


def run(seconds: float, *, seed: int = 1, every: str = "5s", concurrency: int = 4, sample_every: float = 5.0,
        words: int = 330, slow_seconds: float = FETCH_TIMEOUT_S + 5, trickle_seconds: float = FETCH_TOTAL_S + 10,
        workdir: Path | None = None, quiet: bool = False, tour_grace: float = 0.0,
        stop_grace: float = STOP_GRACE_S, skip: tuple[str, ...] = ()) -> dict:
    """One soak of `seconds` seconds (after watch and serve are up): the figures as a dict (see `report`).

    `tour_grace`: up to this many seconds more while some hostile kind has not been asked for yet (a
    short run on a slow machine still sees every kind)."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    from warmonitor.store import Store

    own_dir = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="warmonitor-soak-")) if own_dir else workdir
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "soak.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(str(db))
    store.upgrade()
    store.close()

    world = World(seed, words, slow_seconds, trickle_seconds, skip)
    t_bomb = time.perf_counter()
    world.gzip_bomb()
    say(f"gzip bomb ready: {len(world.gzip_bomb()):,} bytes for {BOMB_BYTES:,} ({time.perf_counter() - t_bomb:.1f} s)")
    feed_server, feed_thread = start_feed_server(world)
    feeds = [f"{world.base}/feed/main.xml", f"{world.base}/feed/mirror.atom"]
    env = child_env()
    watch_log = folder / "watch.log"
    serve_log = folder / "serve.log"
    load_before = os.getloadavg()
    watch_out = open(watch_log, "wb")
    watch = subprocess.Popen([sys.executable, "-m", "warmonitor", "watch", *feeds, "--every", every, "--db", str(db),
                              "--allow-network", "127.0.0.0/8"], stdout=watch_out, stderr=subprocess.STDOUT, env=env)
    port = api_load.free_port()
    saved_env = dict(os.environ)
    os.environ.update(env)  # api_load.start_server passes the environment on
    try:
        serve = api_load.start_server(db, port, serve_log, workers=1)  # sys.exit when it does not come up
    except BaseException:
        stop_process(watch, 10)
        watch_out.close()
        feed_server.shutdown()
        feed_server.server_close()
        raise
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    base = f"http://127.0.0.1:{port}"
    say(f"feed server {world.base}; watch pid {watch.pid}; serve {base} pid {serve.pid}; db {db}")

    t0 = time.monotonic()
    deadline = t0 + seconds
    samples, stop_sampling = Samples(), threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(samples, watch.pid, serve.pid, sample_every, t0,
                                                           stop_sampling), daemon=True)
    sampler.start()
    values: dict[str, list[str]] = {"admin1": [], "country": []}
    recorder, stop_load = LoadRecorder(), threading.Event()
    loader = threading.Thread(target=run_clients, args=(base, concurrency, values, seed, recorder, stop_load,
                                                        deadline + tour_grace), daemon=True)
    loader.start()
    watch_died = None
    next_refresh, next_progress = t0 + 10, t0 + 60
    toured = lambda: all(world.stats.served.get(k) for k in HOSTILE if k not in skip)  # noqa: E731
    try:
        while True:
            now = time.monotonic()
            if now >= deadline and (toured() or now >= deadline + tour_grace):
                break
            time.sleep(1.0 if now >= deadline else min(1.0, deadline - now))
            if watch.poll() is not None:
                watch_died = watch.returncode
                say(f"watch ended early (exit {watch_died})")
                break
            now = time.monotonic()
            if now >= next_refresh:
                refresh_values(db, values)
                next_refresh = now + 20
            if now >= next_progress:
                served = sum(len(s) for s in world.stats.served.values())
                say(f"  {now - t0:5.0f} s: {world.stats.feed_requests['main']} polls, {served} pages served, "
                    f"{sum(len(v) for v in recorder.latency.values())} API requests")
                next_progress = now + 60
    finally:
        wall = time.monotonic() - t0
        stop_load.set()
        loader.join(api_load.REQUEST_TIMEOUT + 5)
        world.stopping.set()  # pages answer 404 at once, slow answers end
        watch_stop_s, watch_killed = stop_process(watch, stop_grace)
        watch_out.close()
        stop_sampling.set()
        sampler.join(10)
        api_load.stop_server(serve)
        feed_server.shutdown()
        feed_server.server_close()
        feed_thread.join(10)
    load_after = os.getloadavg()
    last = world.stats.last_page

    watch_text = watch_log.read_text(errors="replace")
    serve_text = serve_log.read_text(errors="replace")
    figures = read_db(db, world)
    stats = world.stats
    lines = watch_text.splitlines()
    private = [line for line in lines if any(t.split("/")[2] in line for t in PRIVATE_TARGETS)]
    result = {
        "seconds": wall, "polls": stats.feed_requests["main"], "feed_requests": dict(stats.feed_requests),
        "served": {k: len(v) for k, v in stats.served.items()}, "page_requests": dict(stats.page_requests),
        "in_feed": Counter(i.kind for i in world.items + world.mirror),
        "watch_summaries": sum(1 for line in lines if line.startswith("read ")),
        "watch_tracebacks": watch_text.count(TRACEBACK), "serve_tracebacks": serve_text.count(TRACEBACK),
        "serve_exceptions": Counter(m[0][:160] for m in EXCEPTION_LINE.finditer(serve_text)),
        "watch_exceptions": Counter(m[0][:160] for m in EXCEPTION_LINE.finditer(watch_text)),
        "watch_traceback_lines": [line for line in lines if TRACEBACK in line or line.startswith("  File ")][:10],
        "watch_lines": len(lines), "watch_poll_failed": sum(1 for line in lines if "poll failed" in line),
        "private_refused": sum(1 for line in private if "refused" in line or "not fetched" in line),
        "private_lines": len(private),
        "watch_exit": watch_died, "watch_stop_s": watch_stop_s, "watch_killed": watch_killed,
        "memory": samples, "requests": {k: len(v) for k, v in recorder.latency.items()},
        "latency": sorted(x for v in recorder.latency.values() for x in v), "latency_by": recorder.latency,
        "api_errors": dict(recorder.errors), "api_error_samples": recorder.samples,
        "handler_errors": dict(stats.handler_errors), "load": (load_before, load_after),
        "folder": folder, "watch_log": watch_log, **figures,
        "last_page": f"{last[0]} #{last[1]}, asked for {last[2] - t0:.0f} s into the run" if last else "none",
    }
    result["api_5xx"] = sum(n for status, n in recorder.errors.items() if status.startswith("5"))
    if own_dir:
        result["cleanup"] = folder
    return result


def _mem(values: list[float | None], ts: list[float], warmup: float) -> str:
    points = [(t, v) for t, v in zip(ts, values) if v is not None]
    if not points:
        return "n/a"
    vs = [v for _, v in points]
    steady = [(t, v) for t, v in points if t >= warmup] or points
    slope = slope_per_10min([t for t, _ in steady], [v for _, v in steady])
    return (f"{vs[0]:.0f} / {vs[len(vs) // 2]:.0f} / {vs[-1]:.0f} / {max(vs):.0f} MiB; slope {slope:+.1f} MiB per "
            f"10 min (after {warmup:.0f} s, {len(steady)} samples)")


def report(res: dict) -> str:
    pct = api_load.percentile
    lat = res["latency"]
    mem: Samples = res["memory"]
    warmup = min(120.0, res["seconds"] * 0.2)
    rows = [
        ("duration", f"{res['seconds']:.0f} s"),
        ("polls (main feed requests)", f"{res['polls']} ({res['watch_summaries']} poll summaries from watch)"),
        ("feed answers", ", ".join(f"{k} {v}" for k, v in sorted(res["feed_requests"].items()))),
    ]
    for kind in (*PAGE_KINDS, ):
        rows.append((f"  {kind}", f"in feed {res['in_feed'].get(kind, 0)}, served {res['served'].get(kind, 0)} "
                                  f"({res['page_requests'].get(kind, 0)} requests), "
                                  f"stored {res['stored_kind'].get(kind, 0)}"))
    if res["stored_kind"].get("?"):
        rows.append(("  stored, not from the feed server", str(res["stored_kind"]["?"])))
    rows += [
        ("private redirects refused", f"{res['private_refused']} of {res['private_lines']} watch lines naming them"),
        ("articles stored (current)", str(res["articles"])),
        ("versions (all article rows)", str(res["versions"])),
        ("facts stored", str(res["facts"])),
        ("duplicates", f"{res['duplicates']} (current rows sharing a key {res['dup_keys']}, a content hash "
                       f"{res['dup_hashes']}, a canonical URL {res['dup_urls']}, an opening {res['dup_texts']}; "
                       f"identical facts of one article {res['dup_facts']}); groups of facts sharing article, evidence "
                       f"and type (several facts in one sentence, not duplicates): {res['shared_evidence']}"),
        ("facts of old versions", str(res["facts_of_old_versions"])),
        ("garbage stored", f"texts with NUL {res['nul_texts']}, lone surrogates {res['surrogate_texts']}, "
                           f"U+FFFD {res['replacement_texts']}; fact records with NUL {res['nul_facts']}; "
                           f"longest text {res['longest_text']:,} chars"),
        ("counts", f"max {res['max_count']}, min {res['min_count']}, facts over 1e9: {res['counts_over_1e9']}"),
        ("watch memory (RssAnon) start/mid/end/max", _mem(mem.watch, mem.t, warmup)),
        ("serve memory (RssAnon) start/mid/end/max", _mem(mem.serve, mem.t, warmup)),
        ("API requests", ", ".join(f"{k} {v}" for k, v in sorted(res["requests"].items())) + f"; all {len(lat)}"),
        ("API errors", ", ".join(f"{k}: {v}" for k, v in sorted(res["api_errors"].items())) or "none"),
        ("latency p50 / p95 / p99 (all)", f"{pct(lat, 50) * 1000:.1f} / {pct(lat, 95) * 1000:.1f} / "
                                          f"{pct(lat, 99) * 1000:.1f} ms" if lat else "n/a"),
    ]
    for endpoint, values in sorted(res["latency_by"].items()):
        values = sorted(values)
        rows.append((f"  {endpoint}", f"{pct(values, 50) * 1000:.1f} / {pct(values, 95) * 1000:.1f} / "
                                      f"{pct(values, 99) * 1000:.1f} ms"))
    rows += [
        ("tracebacks (watch / serve)", f"{res['watch_tracebacks']} / {res['serve_tracebacks']}"),
        ("watch lines, polls failed", f"{res['watch_lines']}, {res['watch_poll_failed']}"),
        ("watch stop", f"{res['watch_stop_s']:.1f} s after SIGTERM" + (", killed" if res["watch_killed"] else "")
         + (f"; ended early with exit {res['watch_exit']}" if res["watch_exit"] is not None else "")
         + f"; the last page it asked for: {res['last_page']}"),
        ("feed server", "client went away / handler errors: " + (", ".join(f"{k} {v}" for k, v in
                                                                          res["handler_errors"].items()) or "none")),
        ("load average before / after", " / ".join(f"{a[0]:.2f} {a[1]:.2f} {a[2]:.2f}" for a in res["load"])),
    ]
    width = max(len(k) for k, _ in rows)
    text = "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
    for line in res["watch_traceback_lines"]:
        text += f"\n  watch: {line}"
    for who in ("watch", "serve"):
        for line, n in res[f"{who}_exceptions"].most_common(5):
            text += f"\n  {who} raised {n} x: {line}"
    for sample in res["api_error_samples"]:
        text += f"\n  API error: {sample}"
    return text


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=None, help="run this many seconds instead of --minutes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--every", default="5s", help="watch --every")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent API clients")
    parser.add_argument("--sample-every", type=float, default=None, help="seconds between memory samples "
                                                                        "(default: 5, or 2 for runs under 5 min)")
    parser.add_argument("--words", type=int, default=330, help="words per generated article")
    parser.add_argument("--slow-seconds", type=float, default=FETCH_TIMEOUT_S + 5,
                        help="slow-wait: seconds before the body (over the fetcher's 20 s read timeout)")
    parser.add_argument("--trickle-seconds", type=float, default=FETCH_TOTAL_S + 10,
                        help="slow-trickle: seconds of one byte every 2 s (over the fetcher's 120 s total limit)")
    parser.add_argument("--skip", default="", help="kinds of page left out, comma-separated (e.g. comma-run,slow-trickle: "
                                                   "the watcher spends minutes on each)")
    parser.add_argument("--keep", type=Path, default=None, help="folder for the database and logs, kept")
    args = parser.parse_args(argv)
    unknown = [k for k in args.skip.split(",") if k and k not in PAGE_KINDS]
    if unknown:
        parser.error(f"--skip: unknown kinds {', '.join(unknown)}; the kinds: {', '.join(PAGE_KINDS)}")
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    sample_every = args.sample_every or (2.0 if seconds < 300 else 5.0)
    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"soak: {seconds:.0f} s, watch --every {args.every}, {args.concurrency} API clients, seed {args.seed}"
          + (f", without {args.skip}" if args.skip else ""),
          flush=True)
    res = run(seconds, seed=args.seed, every=args.every, concurrency=args.concurrency, sample_every=sample_every,
              words=args.words, slow_seconds=args.slow_seconds, trickle_seconds=args.trickle_seconds,
              workdir=args.keep, skip=tuple(k for k in args.skip.split(",") if k))
    print(report(res))
    if "cleanup" in res:
        import shutil

        shutil.rmtree(res["cleanup"], ignore_errors=True)
    else:
        print(f"kept: {res['folder']} (soak.db, watch.log, serve.log)")
    return res


if __name__ == "__main__":
    main()
