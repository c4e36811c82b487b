"""RSS and Atom feeds: a safety check on the XML, then feedparser on the bytes.

An XML document that declares entities (the "billion laughs" bomb, or an external entity reaching
for local files) is refused before any parser that might expand them sees it: defusedxml's expat
parser reads the prolog, up to the root element, and raises on any entity declaration; when the
prolog is too broken for expat or names an external DTD (RSS 0.91 does; it is never fetched), a
byte scan for `<!ENTITY` decides instead. Nothing is expanded.
"""
from __future__ import annotations

import calendar
import html
import io
import re
import time
import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from dataclasses import dataclass, field

from warmonitor.fetch.response import FetchError, Response

ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
SCAN_CHUNK = 64 * 1024


@dataclass
class FeedItem:
    """One entry of a feed. `id` is the entry's id (guid), else its link; `published` is ISO 8601."""

    id: str
    link: str
    title: str | None = None
    published: str | None = None
    summary: str | None = None


@dataclass
class FeedResult:
    """The entries of a feed; `not_modified` (entries empty) when the server answered 304."""

    entries: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False
    url: str = ""
    title: str | None = None


class _Stop(Exception):
    """Raised at the root element: the prolog, where entities are declared, has been read."""


class _StopAtRoot(xml.sax.handler.ContentHandler):
    def startElement(self, name, attrs):  # noqa: N802 - the SAX API's name
        raise _Stop

    def startElementNS(self, name, qname, attrs):  # noqa: N802 - the SAX API's name
        raise _Stop


def _wide_views(data: bytes) -> Iterator[bytes]:
    """`data` as UTF-8 when it may be UTF-16/32 (NULs among the first bytes), for the byte scan."""
    if b"\x00" not in data[:4]:
        return
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        yield data[: len(data) - len(data) % 4].decode(codec, errors="replace").encode("utf-8", errors="replace")


def xml_problem(data: bytes) -> str | None:
    """Why `data` must not be parsed (it declares entities, or references external ones), or None."""
    from defusedxml import DefusedXmlException, ExternalReferenceForbidden
    from defusedxml.expatreader import DefusedExpatParser

    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_StopAtRoot())
    try:
        for start in range(0, len(data), SCAN_CHUNK):
            parser.feed(data[start:start + SCAN_CHUNK])
        parser.close()
    except _Stop:
        return None
    except ExternalReferenceForbidden:
        pass  # an external DTD (RSS 0.91's); never fetched, and entities are still caught by the scan
    except DefusedXmlException as exc:
        return f"it declares or references XML entities ({exc.__class__.__name__})"
    except (xml.sax.SAXException, ValueError, LookupError):
        pass  # a broken prolog: let the byte scan decide
    finally:
        try:
            parser.close()
        except Exception:  # noqa: BLE001, S110 - already failed or stopped; nothing to release
            pass
    if ENTITY_DECL.search(data) or any(ENTITY_DECL.search(view) for view in _wide_views(data)):
        return "it declares XML entities (<!ENTITY)"
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", value)).split())
    return text or None


def _published(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            try:
                stamp = calendar.timegm(parsed)
                return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))
            except (OverflowError, ValueError):
                continue
    for key in ("published", "updated", "created"):
        if _text(entry.get(key)):
            return _text(entry.get(key))
    return None


def _link(entry: dict) -> str | None:
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links") or []
                   if isinstance(link, dict) and link.get("rel", "alternate") == "alternate"]
    for link in candidates:
        if isinstance(link, str) and link.strip().lower().startswith(("http://", "https://")):
            return link.strip()
    return None


def parse_feed(response: Response) -> FeedResult | FetchError:
    """The entries of a fetched RSS/Atom document; items without an http(s) link are left out.

    feedparser is lenient: a feed with small XML errors still gives the entries it could read. A
    document that gives no usable entry and is not a well-formed feed gives a one-line FetchError;
    a well-formed feed with no entries gives an empty FeedResult.
    """
    import feedparser  # slow to import; only paid when there is a feed to read

    url, data = response.url, response.content
    problem = xml_problem(data)
    if problem:
        return FetchError(url, f"{url}: refused to parse the feed: {problem}, which could exhaust memory "
                               "or read local files; tell the site owner or drop the feed")
    headers = {"content-location": response.final_url}
    if response.headers.get("content-type"):
        headers["content-type"] = response.headers["content-type"]
    try:
        # A stream, never bytes or str: feedparser would take those for a URL or a local file name.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - a broken feed must not stop the run
        return FetchError(url, f"{url}: could not parse the feed ({exc.__class__.__name__}); "
                               "check that the address is an RSS or Atom feed")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.get("entries") or []:
        link = _link(entry)
        entry_id = (_text(entry.get("id")) or link) if link else None
        if link is None or entry_id in seen:
            continue
        seen.add(entry_id)
        items.append(FeedItem(id=entry_id, link=link, title=_text(entry.get("title")),
                              published=_published(entry), summary=_text(entry.get("summary"))))
    if not items and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        detail = ""
        if isinstance(reason, xml.sax.SAXParseException):
            detail = f" ({reason.getMessage()} at line {reason.getLineNumber()})"
        what = "is not a well-formed RSS or Atom feed" if parsed.get("version") else "is not an RSS or Atom feed"
        return FetchError(url, f"{url}: {what}{detail}; check the feed address")
    title = _text((parsed.get("feed") or {}).get("title"))
    return FeedResult(entries=items, not_modified=False, url=url, title=title)
