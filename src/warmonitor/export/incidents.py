"""Writers for incident records: JSON Lines, a flat CSV, ACLED's layout, UCDP GED-style, HXL-tagged CSV
and GeoJSON.

One function, `write_incidents`, serves `warmonitor incidents -f ...`, the HTTP API and Python callers,
so that every way out of warmonitor writes the same columns. Every format streams: records are
written as they come, so an export of a large store never holds it in memory. Every CSV-like format
escapes cells that a spreadsheet would run as a formula (`flat.spreadsheet_cell`): place names,
actor names and outlet names come from articles, which anyone can write. The column mappings are
documented in docs/export.md; `incident_rows` builds the rows.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO, TextIO

from .flat import spreadsheet_cell
from .incident_rows import (ACLED_FIELDS, FLAT_FIELDS, GED_FIELDS, ExportMapping, acled_row, flat_incident,
                            ged_row)

INCIDENT_FORMATS = ("jsonl", "csv", "acled", "ged", "hxl", "geojson")

# HXL hashtags of the flat columns (the HXL export's second row), in FLAT_FIELDS order. Standard
# hashtags where HXL has one (#date, #loc, #adm1, #geo, #affected, #org, #meta, #status,
# #description); #event+... for the incident itself.
HXL_TAGS = {
    "id": "#event+id", "kind": "#event+type", "date": "#date+occurred", "period_start": "#date+start",
    "period_end": "#date+end", "period_precision": "#date+precision", "place": "#loc+name",
    "geonameid": "#loc+code", "admin1": "#adm1+name", "admin2": "#adm2+name", "country": "#country+code",
    "lat": "#geo+lat", "lon": "#geo+lon", "precision": "#geo+precision",
    "killed_low": "#affected+killed+min", "killed_best": "#affected+killed", "killed_high": "#affected+killed+max",
    "injured_low": "#affected+injured+min", "injured_best": "#affected+injured",
    "injured_high": "#affected+injured+max", "detained_low": "#affected+detained+min",
    "detained_best": "#affected+detained", "detained_high": "#affected+detained+max",
    "displaced_low": "#affected+displaced+min", "displaced_best": "#affected+displaced",
    "displaced_high": "#affected+displaced+max", "victims": "#affected+type",
    "perpetrators": "#org+name+perpetrator", "targets": "#loc+type+target", "causes": "#event+cause",
    "status": "#status+corroboration", "sources": "#meta+source+num",
    "independent_sources": "#meta+source+independent+num", "outlets": "#meta+source",
    "articles": "#meta+id+article", "contradictions": "#status+disputed", "notes": "#description",
}


def write_incidents(records: Iterable[dict[str, Any]], fmt: str, out: TextIO | BinaryIO, *,
                    actor_types: Mapping[str, str] | None = None) -> int:
    """Write incident records (docs/format.md) to `out` in `fmt`, one of INCIDENT_FORMATS; return how many.

    `out` may be a text stream (sys.stdout, open(path, "w", newline="")) or a binary one (a file opened
    "wb", a BytesIO, a response body): bytes are UTF-8. `actor_types` (canonical name -> actors.jsonl
    type) overrides the shipped actor list for ACLED's inter codes and territory sub-types; a record's
    own `actor_types` wins over both. Raises ValueError for an unknown format, before writing anything.
    """
    if fmt not in INCIDENT_FORMATS:
        raise ValueError(f"unknown incident format {fmt!r}; use one of: {', '.join(INCIDENT_FORMATS)}")
    text, wrapper = _text_stream(out)
    try:
        if fmt == "jsonl":
            return _write_jsonl(records, text)
        if fmt == "geojson":
            return _write_geojson(records, text)
        if fmt in ("acled", "ged"):
            mapping = ExportMapping.load(actor_types)
            build = acled_row if fmt == "acled" else ged_row
            fields = ACLED_FIELDS if fmt == "acled" else GED_FIELDS
            return _write_csv(records, text, fields, lambda r: build(r, mapping.for_record(r)))
        return _write_csv(records, text, FLAT_FIELDS, flat_incident,
                          tags=[HXL_TAGS[f] for f in FLAT_FIELDS] if fmt == "hxl" else None)
    finally:
        text.flush()
        if wrapper is not None:
            wrapper.detach()  # leave the caller's binary stream open


def _text_stream(out: TextIO | BinaryIO) -> tuple[TextIO, io.TextIOWrapper | None]:
    """A text view of `out`: itself when it takes str, else a UTF-8 wrapper that the writer detaches."""
    if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
        return out, None  # type: ignore[return-value]
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)  # type: ignore[arg-type]
    return wrapper, wrapper


def _write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Records unchanged, one a line: the form the scorer and other tools read."""
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(records: Iterable[dict[str, Any]], out: TextIO, fields: tuple[str, ...],
               build: Callable[[dict[str, Any]], dict[str, Any]], tags: list[str] | None = None) -> int:
    writer = csv.writer(out)
    writer.writerow(fields)
    if tags is not None:
        writer.writerow(tags)
    n = 0
    for record in records:
        row = build(record)
        writer.writerow([spreadsheet_cell(row[name]) for name in fields])
        n += 1
    return n


def _write_geojson(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A FeatureCollection of Points, one Feature per incident with the flat columns as properties. As in
    the facts' GeoJSON export, an incident without coordinates keeps its Feature with a null geometry,
    so the file holds every incident and a map shows those it can place."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for record in records:
        row = flat_incident(record)
        lat, lon = row["lat"], row["lon"]
        located = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
        feature = {"type": "Feature", "id": row["id"],
                   "geometry": {"type": "Point", "coordinates": [lon, lat]} if located else None,
                   "properties": row}
        out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
