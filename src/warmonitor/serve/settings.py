"""How one app is set up (`ServeSettings`), and the same settings carried through the environment to worker
processes, which build their own app (`app.app_from_environment`)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass
class ServeSettings:
    """`public_read`: anyone may read (else reading needs a login or token); `secure_cookies`: mark the
    session cookie Secure (behind HTTPS); `max_body_bytes`: the largest request body accepted (a review or
    a login is a few KB; a 500 MB login once took 1.5 GB of memory to be refused)."""

    db: str | None = None
    public_read: bool = True
    secure_cookies: bool = False
    title: str = "warmonitor"
    snapshot: bool = True  # lists, totals and sums from in-memory arrays (serve/snapshot.py); False: SQL alone
    max_body_bytes: int = 1024 * 1024


ENVIRONMENT = MappingProxyType({"db": "WARMONITOR_DB", "public_read": "WARMONITOR_PUBLIC_READ",
               "secure_cookies": "WARMONITOR_SECURE_COOKIES", "snapshot": "WARMONITOR_SERVE_SNAPSHOT",
               "max_body_bytes": "WARMONITOR_MAX_BODY_BYTES"})


def settings_to_environment(settings: ServeSettings) -> dict[str, str]:
    """The settings as environment variables, for server worker processes (`app_from_environment`)."""
    return {ENVIRONMENT["db"]: settings.db or "", ENVIRONMENT["public_read"]: "1" if settings.public_read else "0",
            ENVIRONMENT["secure_cookies"]: "1" if settings.secure_cookies else "0",
            ENVIRONMENT["snapshot"]: "1" if settings.snapshot else "0",
            ENVIRONMENT["max_body_bytes"]: str(settings.max_body_bytes)}


def settings_from_environment(environment: Mapping[str, str]) -> ServeSettings:
    """The settings `settings_to_environment` wrote; a variable not set keeps its default."""
    return ServeSettings(db=environment.get(ENVIRONMENT["db"]) or None,
                         public_read=environment.get(ENVIRONMENT["public_read"], "1") != "0",
                         secure_cookies=environment.get(ENVIRONMENT["secure_cookies"], "0") == "1",
                         snapshot=environment.get(ENVIRONMENT["snapshot"], "1") != "0",
                         max_body_bytes=int(environment.get(ENVIRONMENT["max_body_bytes"])
                                            or ServeSettings.max_body_bytes))
