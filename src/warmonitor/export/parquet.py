"""Parquet files of facts and incidents, for analysts: DuckDB, pandas and R read them directly.

The columns are those of the CSV exports (`flat.FLAT_FIELDS`, `incident_rows.FLAT_FIELDS`) with real
types (counts as integers, coordinates and confidence as floats), plus `record`: the whole record as
JSON (docs/format.md), so that nothing the flat columns leave out is lost. Rows are written in
batches as they come, so an export's memory does not grow with its size. pyarrow is an optional
extra (`pip install 'warmonitor[parquet]'`): it is large, and only this export needs it.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .flat import FLAT_FIELDS as FACT_FIELDS
from .flat import flat_record
from .incident_rows import FLAT_FIELDS as INCIDENT_FIELDS
from .incident_rows import flat_incident

BATCH_ROWS = 5_000
FACT_INTEGERS = ("count", "count_low", "count_high")
FACT_FLOATS = ("confidence",)
INCIDENT_INTEGERS = tuple(f for f in INCIDENT_FIELDS if f.endswith(("_low", "_best", "_high"))) + (
    "geonameid", "precision", "sources", "independent_sources")
INCIDENT_FLOATS = ("lat", "lon")


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed; the message says how to install it."""


def write_fact_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Fact records (docs/format.md) as a Parquet file at `path`; returns how many rows were written."""
    return _write(records, path, (*FACT_FIELDS, "count_low", "count_high"), FACT_INTEGERS, FACT_FLOATS, _fact_row)


def fact_table(records: list[dict[str, Any]], extra: dict[str, list[int]]):
    """Fact records as one pyarrow Table with `write_fact_parquet`'s columns, then the int64 columns
    `extra` (one value per record): the partitioned facts of a cluster run (usecases/cluster_files.py)."""
    pa = _pyarrow()[0]
    fields = (*FACT_FIELDS, "count_low", "count_high")
    schema = pa.schema([(name, _kind(pa, name, FACT_INTEGERS, FACT_FLOATS)) for name in fields]
                       + [("record", pa.string())] + [(name, pa.int64()) for name in extra])
    columns: dict[str, list] = {name: [] for name in schema.names}
    for record in records:
        row = _fact_row(record)
        for name in fields:
            columns[name].append(_typed(row.get(name), name, FACT_INTEGERS, FACT_FLOATS))
        columns["record"].append(json.dumps(record, ensure_ascii=False))
    columns.update(extra)
    return pa.table(columns, schema=schema)


def write_incident_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Incident records (docs/format.md) as a Parquet file at `path`; returns how many rows were written."""
    return _write(records, path, INCIDENT_FIELDS, INCIDENT_INTEGERS, INCIDENT_FLOATS, flat_incident)


def _fact_row(record: dict[str, Any]) -> dict[str, Any]:
    count = record.get("count") if isinstance(record.get("count"), dict) else {}
    return {**flat_record(record), "count_low": count.get("low"), "count_high": count.get("high")}


def _write(records: Iterable[dict[str, Any]], path: Path, fields: tuple[str, ...] | list[str],
           integers: tuple[str, ...], floats: tuple[str, ...], flatten: Callable[[dict], dict]) -> int:
    pa, pq = _pyarrow()
    schema = pa.schema([(name, _kind(pa, name, integers, floats)) for name in fields] + [("record", pa.string())])
    columns: dict[str, list] = {name: [] for name in schema.names}
    written = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for record in records:
            row = flatten(record)
            for name in fields:
                columns[name].append(_typed(row.get(name), name, integers, floats))
            columns["record"].append(json.dumps(record, ensure_ascii=False))
            written += 1
            if len(columns["record"]) >= BATCH_ROWS:
                writer.write_table(pa.table(columns, schema=schema))
                columns = {name: [] for name in schema.names}
        if columns["record"] or written == 0:
            writer.write_table(pa.table(columns, schema=schema))
    return written


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParquetUnavailable("Parquet needs pyarrow: pip install 'warmonitor[parquet]'") from exc
    return pa, pq


def _kind(pa, name: str, integers: tuple[str, ...], floats: tuple[str, ...]):
    return pa.int64() if name in integers else pa.float64() if name in floats else pa.string()


def _typed(value: Any, name: str, integers: tuple[str, ...], floats: tuple[str, ...]) -> Any:
    if value is None or value == "":
        return None
    if name in integers:
        return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if name in floats:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return str(value)
