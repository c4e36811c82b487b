"""Lists of feeds to watch: a text file (one URL a line, `#` comments) or an OPML file (xmlUrl).

OPML is parsed by defusedxml with entity declarations and external references forbidden, so a
hostile list cannot expand entities or read local files.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from warmonitor.model import ReadError
from warmonitor.read.common import decode, load_file

MAX_LIST_BYTES = 5_000_000
_COMMENT = re.compile(r"(^|\s)#.*$")


class FeedListError(ValueError):
    """A feed list that cannot be read; `str(error)` is one line naming the file (and line)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(" ".join(message.split()))
        self.path = path


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _dedupe(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def _from_text(path: str, text: str) -> list[str]:
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        value = _COMMENT.sub("", line).strip()
        if not value:
            continue
        if not is_http_url(value) or any(ch.isspace() for ch in value):
            raise FeedListError(path, f"{path}:{number}: {value[:200]!r} is not an http(s) feed address; "
                                      "write one URL a line, comments after #")
        urls.append(value)
    return _dedupe(urls)


def _from_opml(path: str, data: bytes) -> list[str]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedListError(path, f"{path}: refused to read the OPML: it declares or references XML "
                                  f"entities ({exc.__class__.__name__}); remove the DOCTYPE") from None
    except ParseError as exc:
        raise FeedListError(path, f"{path}: is not well-formed OPML/XML ({exc}); fix it, or give a text "
                                  "file with one feed URL a line") from None
    urls, bad = [], []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag != "outline":
            continue
        value = next((v for k, v in element.attrib.items() if k.lower() == "xmlurl"), None)
        if value is None:
            continue
        value = value.strip()
        (urls if is_http_url(value) else bad).append(value)
    if bad and not urls:
        raise FeedListError(path, f"{path}: no http(s) feed address among the xmlUrl attributes "
                                  f"(first: {bad[0][:200]!r}); fix the OPML")
    return _dedupe(urls)


def read_feed_list(path: str) -> list[str]:
    """The feed URLs in `path`, in order, without duplicates; raises FeedListError on a bad list.

    A file whose first non-blank character is `<` is read as OPML (every `outline` element's
    `xmlUrl`, at any depth), anything else as text: one URL a line, blank lines and everything from
    a `#` at the start of a line or after a space ignored. A text line that is not an http(s) URL is
    an error naming `path:LINE`; an OPML outline whose xmlUrl is not one is skipped.
    """
    data = load_file(path, MAX_LIST_BYTES)
    if isinstance(data, ReadError):
        raise FeedListError(path, data.message)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _from_opml(path, data)
    text = decode(path, path, data)
    if isinstance(text, ReadError):
        raise FeedListError(path, text.message)
    return _from_text(path, text)
