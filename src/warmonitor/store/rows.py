"""From an `ArticleResult` to table rows: content hash, canonical URL, ISO dates, the columns of a record."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a reader rather than name a page.
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ocid|cmpid|smid|at_medium|"
                       r"at_campaign|ref_src|ns_mchannel|ns_source|ns_campaign|ito)$", re.I)
_DEFAULT_PORTS = {"http": "80", "https": "443"}
MAX_URL = 2048  # longer "URLs" are kept out of the canonical_url index (PostgreSQL limits an index entry)


def content_hash(text: str) -> str:
    """The sha256 (hex) that identifies an article's content: of its *repaired* text (`ArticleResult.text`,
    or `pipeline.resources.repairer.repair(raw).text` before extraction)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """`url` with scheme and host lower-cased, default port, fragment, tracking parameters and a trailing
    slash dropped, other parameters sorted; None for an empty value, a non-URL stays as written (stripped)."""
    if not url or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url if len(url) <= MAX_URL else None
    if not parts.scheme or not parts.netloc:
        return url if len(url) <= MAX_URL else None
    scheme = parts.scheme.lower()
    host = parts.netloc.lower()
    if host.rsplit(":", 1)[-1] == _DEFAULT_PORTS.get(scheme):
        host = host.rsplit(":", 1)[0]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    out = urlunsplit((scheme, host, path, query, ""))
    return out if len(out) <= MAX_URL else None


def looks_like_url(value: str) -> bool:
    return "://" in value


def iso_date(value: Any) -> dt.date | None:
    """A date from an ISO string ("2024-03-05", "2024-03-05T10:00Z", "2024-03" -> the 1st, "2024" -> 1 Jan)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) >= 10:
        text, suffix = text[:10], ""
    else:
        suffix = {7: "-01", 4: "-01-01"}.get(len(text), "")
    try:
        return dt.date.fromisoformat(text + suffix)
    except ValueError:
        return None


def joined(names: list[Any]) -> str | None:
    """Names ";"-joined in order, once each (a ";" inside a name becomes ",")."""
    seen = dict.fromkeys(str(n).strip().replace(";", ",") for n in names if isinstance(n, str) and n.strip())
    return ";".join(seen) or None


def record_actors(record: dict[str, Any]) -> list[str]:
    """Who acts in the record: perpetrators, a control actor, a quote's speaker and the speaker's organisation."""
    names: list[str] = []
    perpetrators = record.get("perpetrators")
    if isinstance(perpetrators, list):
        names += [p for p in perpetrators if isinstance(p, str)]
    for key in ("actor", "speaker", "speaker_org"):
        if isinstance(record.get(key), str):
            names.append(record[key])
    return names


def record_place(record: dict[str, Any]) -> dict[str, Any] | None:
    """The place the record is filed under: `place`, else a displacement's `origin`, else its `destination`;
    a summary's first (main) place."""
    if record.get("type") == "summary":
        places = record.get("places")
        candidates = places if isinstance(places, list) else []
    else:
        candidates = [record.get("place"), record.get("origin"), record.get("destination")]
    return next((c for c in candidates if isinstance(c, dict)), None)


def record_places(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every gazetteer place (one with a geonameid) the record names."""
    found = [record.get(k) for k in ("place", "origin", "destination")]
    if isinstance(record.get("places"), list):
        found += record["places"]
    return [p for p in found if isinstance(p, dict) and _int(p.get("geonameid")) is not None]


def fact_row(record: dict[str, Any], extractor_version: str) -> dict[str, Any]:
    """The facts-table columns of one FORMAT.md record (without article_id)."""
    count = record.get("count") if isinstance(record.get("count"), dict) else {}
    period = record.get("period") if isinstance(record.get("period"), dict) else {}
    evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
    place = record_place(record) or {}
    return {
        "type": str(record.get("type")),
        "count_low": _int(count.get("low")),
        "count_best": _int(count.get("best")),
        "count_high": _int(count.get("high")),
        "qualifier": _str(count.get("qualifier")),
        "outcome": _str(record.get("outcome")),
        "victims": _str(record.get("victims")),
        "date": iso_date(record.get("date")),
        "period_start": iso_date(period.get("start")),
        "period_end": iso_date(period.get("end")),
        "place_name": _str(place.get("name")),
        "place_geonameid": _int(place.get("geonameid")),
        "admin1": _str(place.get("admin1")),
        "country": _str(place.get("country")),
        "lat": _float(place.get("lat")),
        "lon": _float(place.get("lon")),
        "actors": joined(record_actors(record)),
        "claimants": joined(record.get("claimed_by") or []),
        "confidence": _float(record.get("confidence")),
        "rule": _str(record.get("rule")),
        "extractor_version": extractor_version,
        "evidence_start": _int(evidence.get("start")),
        "evidence_end": _int(evidence.get("end")),
        "record": record,
    }


def place_row(place: dict[str, Any]) -> dict[str, Any]:
    name = place.get("gazetteer_name") or place.get("name")
    return {"geonameid": _int(place.get("geonameid")), "name": _str(name), "admin1": _str(place.get("admin1")),
            "country": _str(place.get("country")), "lat": _float(place.get("lat")), "lon": _float(place.get("lon"))}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
