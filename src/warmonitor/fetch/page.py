"""A fetched HTML page made into an Article, through the same trafilatura code as local HTML files.

Decoding, kept simple: the first of these that decodes the bytes without error wins: a byte-order
mark, the charset of the Content-Type header, the charset of a `<meta>` tag, UTF-8. When none does,
the page is decoded as UTF-8 with U+FFFD in place of the bad bytes if they are rare (at most 1% of
the characters: a stray byte should not cost an article), and is refused with a one-line error
naming the first bad byte otherwise. No encoding is ever guessed.
"""
from __future__ import annotations

import codecs
from urllib.parse import urljoin

from warmonitor.fetch.response import FetchError, Response
from warmonitor.model import Article, ReadError
from warmonitor.read.common import Options, binary_problem, build_article
from warmonitor.read.html import declared_charset, extract

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Sent for anything by some servers: read as HTML only when the bytes look like it.
VAGUE_TYPES = frozenset({"application/octet-stream", "text/plain", "binary/octet-stream"})
REPLACED_SHARE = 0.01
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def _candidates(response: Response) -> list[str]:
    data = response.content
    out = [codec for bom, codec in _BOMS if data.startswith(bom)][:1]
    for charset in (response.charset, declared_charset(data), "utf-8"):
        if not charset:
            continue
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            continue
        name = "utf-8-sig" if name == "utf-8" else name
        if name not in out:
            out.append(name)
    return out


def decode_page(response: Response) -> str | FetchError:
    """The page's text (see the module docstring for the rules), newlines made `\\n`."""
    url, data = response.url, response.content
    text = None
    for codec in _candidates(response):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > REPLACED_SHARE * max(len(text), 1):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                where = f"byte 0x{data[exc.start:exc.start + 1].hex().upper()} at offset {exc.start}"
            else:  # pragma: no cover - the replacing decode found bad bytes
                where = "unknown byte"
            declared = response.charset or declared_charset(data) or "UTF-8"
            return FetchError(url, f"{url}: the page is not valid {declared} ({where}) and has too many "
                                   "bad bytes to read; the site sends garbled text, try again later")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def to_article(response: Response) -> Article | ReadError:
    """The Article on a fetched page: text, title, date, canonical url and language by trafilatura.

    The id and `source` are the URL asked for; `url` is the page's canonical URL, else the address the
    redirects ended at. Anything that is not an HTML page gives a one-line FetchError naming the URL.
    """
    url, data = response.url, response.content
    kind = response.content_type
    if kind not in HTML_TYPES and not ((kind is None or kind in VAGUE_TYPES) and looks_like_html(data)):
        what = f"a {kind} document" if kind else "a document of unknown type"
        return FetchError(url, f"{url}: is {what}, not an HTML page; give the address of the article page")
    if not data.strip():
        return FetchError(url, f"{url}: the page is empty; check the address or try again later")
    if binary_problem(url, data) and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FetchError(url, f"{url}: the page is binary data, not HTML text; check the address")
    html = decode_page(response)
    if isinstance(html, FetchError):
        return html
    try:
        found = extract(html)
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        return FetchError(url, f"{url}: could not parse the HTML ({exc.__class__.__name__}); "
                               "the page may be broken, try again later")
    if found is None:
        return FetchError(url, f"{url}: no article text found on the page; check that the address is the "
                               "article itself (not a login, cookie or index page)")
    text = found.pop("text")
    found["url"] = urljoin(response.final_url, found["url"]) if found.get("url") else response.final_url
    return build_article(url, text, url, Options(), found)
