"""From an `ArticleResult` to table rows: content hash, canonical URL, ISO dates, the columns of a record.

No number makes a row fail: an integer cell that a 64-bit column cannot hold is NULL, a count column holds
only plausible counts (`model.is_plausible_count`; the record keeps the figure as given, the sums and
sorts of the dashboard leave it out), and a record with an integer JSON cannot carry in 64 bits is
stored with null in its place (`json_text`). `refused_figures` names what was left out, for the store
to say so. One bad figure thus costs its cell, never the article or the batch."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson

from ..model import is_plausible_count

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


def record_actor_types(record: dict[str, Any]) -> dict[str, str | None]:
    """The type of every name the record files in its actors and claimants columns (as `joined` writes
    it), from the record's `actor_types`, which extraction writes for the names `data/actors.jsonl`
    knows. None for the others, and for every name of a record stored before the field existed."""
    types = record.get("actor_types")
    if not isinstance(types, dict):
        types = {}
    claimed = record.get("claimed_by")
    out: dict[str, str | None] = {}
    for name in [*record_actors(record), *(claimed if isinstance(claimed, list) else [])]:
        if isinstance(name, str) and name.strip():
            found = types.get(name)
            key = name.strip().replace(";", ",")
            if out.get(key) is None:
                out[key] = found if isinstance(found, str) else None
    return out


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


# The facts-table columns `fact_values` fills, in order (article_id is added by the store).
FACT_COLUMNS = ("type", "count_low", "count_best", "count_high", "qualifier", "outcome", "victims", "date",
                "period_start", "period_end", "place_name", "place_geonameid", "admin1", "country", "lat", "lon",
                "actors", "claimants", "confidence", "rule", "extractor_version", "evidence_start",
                "evidence_end", "record")
# Columns the store derives from a record and its article's publication day (`fact_derived`).
DERIVED_COLUMNS = ("day", "day_start", "span_days", "search_text")
# What the store writes: the article's row id first, then the record's columns, its key, the derived ones.
STORED_COLUMNS = ("article_id", *FACT_COLUMNS, "fact_key", *DERIVED_COLUMNS)


def fact_values(record: dict[str, Any], extractor_version: str) -> tuple:
    """The `FACT_COLUMNS` cells of one record (docs/format.md), ready for the database driver: dates as ISO
    text, the record as JSON text.

    Built as a plain tuple because storing is measured against extraction (bench/ingest_speed.py): a
    dict per fact plus SQLAlchemy's per-value processing cost more than the database's own insert.
    """
    count = record.get("count")
    if not isinstance(count, dict):
        count = {}
    period = record.get("period")
    if not isinstance(period, dict):
        period = {}
    evidence = record.get("evidence")
    if not isinstance(evidence, dict):
        evidence = {}
    place = record_place(record) or {}
    return (
        str(record.get("type")), count_cell(count.get("low")), count_cell(count.get("best")), count_cell(count.get("high")),
        _str(count.get("qualifier")), _str(record.get("outcome")), _str(record.get("victims")),
        iso_day(record.get("date")), iso_day(period.get("start")), iso_day(period.get("end")),
        _str(place.get("name")), _int(place.get("geonameid")), _str(place.get("admin1")), _str(place.get("country")),
        _float(place.get("lat")), _float(place.get("lon")),
        joined(record_actors(record)), joined(record.get("claimed_by") or []),
        _float(record.get("confidence")), _str(record.get("rule")), extractor_version,
        _int(evidence.get("start")), _int(evidence.get("end")), json_text(record),
    )


def fact_keys(records: list[dict[str, Any]]) -> list[str]:
    """A key per record of one article that names the same fact when the article is extracted again:
    the article, type, evidence span and the fields that tell facts of one sentence apart (outcome,
    victims, speaker), plus a running number for exact repeats. Reviews hang on it, so they survive
    `reprocess`; an extractor change that moves a fact's evidence orphans its review (kept, shown)."""
    seen: dict[str, int] = {}
    keys = []
    for record in records:
        evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
        base = "|".join(str(part) for part in (
            record.get("article"), record.get("type"), evidence.get("start"), evidence.get("end"),
            record.get("outcome"), record.get("victims"), record.get("speaker")))
        seen[base] = seen.get(base, 0) + 1
        keys.append(hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()[:32])
    return keys


def stored_values(records: list[dict[str, Any]], extractor_version: str, published: Any) -> list[tuple]:
    """The `STORED_COLUMNS` cells (after article_id) of one article's records."""
    return [(*fact_values(record, extractor_version), key, *fact_derived(record, published))
            for record, key in zip(records, fact_keys(records))]


def fact_derived(record: dict[str, Any], published: Any) -> tuple[str | None, str | None, int | None, str | None]:
    """`DERIVED_COLUMNS`: the day a fact is filed under (its date, else its period's end, else its start,
    else the article's publication day), the day its span starts, how many days its period spans (0 for
    a date, None when undated) and its evidence in lower case.

    Stored rather than computed in queries so that date filters, sorting, timelines and text search read
    one indexed or plain column of `facts` without joining articles (bench/api_load.py)."""
    period = record.get("period") if isinstance(record.get("period"), dict) else {}
    evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
    text = evidence.get("text")
    search = text.lower() if isinstance(text, str) else None
    date = iso_day(record.get("date"))
    if date:
        return date, date, 0, search
    start, end = iso_day(period.get("start")), iso_day(period.get("end"))
    if start and end:
        return end, start, max(0, (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days), search
    if start or end:
        return end or start, start or end, None, search
    day = iso_day(published)
    return day, day, None, search


def fact_row(record: dict[str, Any], extractor_version: str) -> dict[str, Any]:
    """The facts-table columns of one record by name (dates as `datetime.date`, the record as a dict)."""
    row = dict(zip(FACT_COLUMNS, fact_values(record, extractor_version)))
    for key in ("date", "period_start", "period_end"):
        row[key] = iso_date(row[key])
    row["record"] = record
    return row


def json_text(value: Any) -> str:
    """JSON text, key order kept, non-ASCII as is (orjson: a tenth of the stdlib encoder's time here).
    An integer beyond 64 bits becomes null: orjson refuses to write it and reads it back as an inexact
    float, so it could be neither stored nor served (the store reports it, `refused_figures`)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except orjson.JSONEncodeError:
        return orjson.dumps(_within_64_bits(value), option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def _within_64_bits(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _within_64_bits(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_within_64_bits(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= UINT64_MAX:
        return None
    return value


def count_cell(value: Any) -> int | None:
    """A count column's cell: the number when it is a plausible count, else NULL, so that no stored figure
    can make a sum of counts overflow (a SQLite SUM over 64 bits is an error, a numpy int64 sum wraps)."""
    number = _int(value)
    return number if number is not None and is_plausible_count(number) else None


def refused_figures(record: dict[str, Any]) -> list[str]:
    """The count values of a record that its count columns leave out (`count_cell`), as "best=9000...";
    empty for every record the extractors make."""
    count = record.get("count")
    if not isinstance(count, dict):
        return []
    return [f"{key}={str(count[key])[:40]}" for key in ("low", "best", "high")
            if count.get(key) is not None and count_cell(count[key]) is None]


def iso_day(value: Any) -> str | None:
    """`iso_date` as "YYYY-MM-DD" text."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    day = iso_date(value)
    return day.isoformat() if day else None


def place_row(place: dict[str, Any]) -> dict[str, Any]:
    name = place.get("gazetteer_name") or place.get("name")
    return {"geonameid": _int(place.get("geonameid")), "name": _str(name), "admin1": _str(place.get("admin1")),
            "country": _str(place.get("country")), "lat": _float(place.get("lat")), "lon": _float(place.get("lon"))}


INT64_MIN, INT64_MAX, UINT64_MAX = -2**63, 2**63 - 1, 2**64 - 1  # what BigInteger columns and orjson hold


def _int(value: Any) -> int | None:
    """An integer cell, or None: also for a number a 64-bit column cannot hold (the row is kept)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 19:
        value = int(value.strip())
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else None
    return None


def _float(value: Any) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer beyond a float's range (over 300 digits)
        return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
