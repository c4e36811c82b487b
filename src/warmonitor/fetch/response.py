"""What a fetch gives: a complete `Response`, or a `FetchError` saying in one line why there is none.

A module of their own because the client makes them and the page and feed readers take them: with the
types in `client.py`, the client and its readers imported each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from warmonitor.model import ReadError


class FetchError(ReadError):
    """A URL that could not be fetched or read; `message` is one line naming the URL.

    A `ReadError` (with `source` the URL) so that code handling reader errors handles these too.
    """

    def __init__(self, url: str, message: str) -> None:
        super().__init__(source=url, message=" ".join(message.split()))

    @property
    def url(self) -> str:
        return self.source


@dataclass
class Response:
    """A complete, size-checked response. `not_modified` is the marker for a 304 (content empty)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    not_modified: bool = False

    @property
    def content_type(self) -> str | None:
        """The media type, lower case, without parameters (`text/html`), or None when not sent."""
        value = self.headers.get("content-type", "").split(";")[0].strip().lower()
        return value or None

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip().strip("\"'"):
                return value.strip().strip("\"'")
        return None
