"""The output folder of a cluster ingest (`warmonitor ingest --dask ... --out FOLDER`), and loading it.

    facts/filed_country=SY/filed_month=2026-01/part-ID.parquet
                                    the facts of partition ID filed there (export/parquet.py's columns,
                                    plus article_seq and record_seq: their order)
    articles/part-ID.parquet        the partition's articles to store (repaired text, metadata)
    extracted/ID.json               written last: the partition is extracted, its files listed
    manifest.jsonl                  one line per partition loaded into a database

The facts are partitioned by the country and month they are filed under (the place's country, the
fact's day as the store derives it), so DuckDB, pandas or Spark read one country's year without the rest;
the keys are named `filed_country` and `filed_month` because the files' own `country` column (the
place's, empty when there is none) would clash with a partition key of the same name.
Every file is written under a temporary name and renamed: a worker killed mid-write leaves no file that
looks finished, and a retry of the partition writes the same names again (it first removes what an
earlier try left). Loading goes through `Store.save`, so articles, versions and facts end up as
`warmonitor ingest` stores them (COPY on PostgreSQL, one executemany on SQLite: store/bulk.py); it is
idempotent, since content already stored is "unchanged". The manifest line is written after the load
commits: a crash between the two loads the partition again on the next run, which changes nothing.
"""
from __future__ import annotations

import glob
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warmonitor.model import Article, ArticleResult
from warmonitor.store.rows import fact_derived, record_place

ARTICLE_FIELDS = ("id", "title", "published", "outlet", "url", "language", "source")
UNKNOWN = "unknown"  # the partition value of a fact with no country or no day
# The repaired text, under another name than an article input's `text`: the output folder read as an
# archive by mistake gives one line per file (no "text" column), never the articles a second time.
TEXT = "repaired_text"


@dataclass
class LoadedResult:
    """An extracted article read back from the output folder: what `Store.save` needs of an `ArticleResult`."""

    article: Article
    text: str
    stored_records: list[dict[str, Any]]

    def records(self) -> list[dict[str, Any]]:
        return self.stored_records


def filed_under(record: dict[str, Any], published: str | None) -> tuple[str, str]:
    """(country, month) a fact is filed under: its place's country code, the month of the day the store
    files it on (its date, else its period, else the article's publication day); "unknown" for either."""
    place = record_place(record) or {}
    country = place.get("country") if isinstance(place.get("country"), str) and place.get("country") else UNKNOWN
    day = fact_derived(record, published)[0]
    return _safe(country), day[:7] if day else UNKNOWN


def write_partition(out: Path, partition_id: str, results: list[ArticleResult]) -> list[str]:
    """The partition's articles and facts as Parquet files under `out`; returns their paths (relative)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warmonitor.export.parquet import fact_table

    remove_partition(out, partition_id)
    written = []
    articles = {name: [] for name in ("seq", *ARTICLE_FIELDS, TEXT)}
    groups: dict[tuple[str, str], tuple[list, list, list]] = {}
    for seq, result in enumerate(results):
        article = result.article
        articles["seq"].append(seq)
        for name in ARTICLE_FIELDS:
            articles[name].append(getattr(article, name) or None)
        articles[TEXT].append(result.text)
        for number, record in enumerate(result.records()):
            records, article_seq, record_seq = groups.setdefault(filed_under(record, article.published), ([], [], []))
            records.append(record)
            article_seq.append(seq)
            record_seq.append(number)
    for (country, month), (records, article_seq, record_seq) in sorted(groups.items()):
        name = f"facts/filed_country={country}/filed_month={month}/part-{partition_id}.parquet"
        _atomic(out / name, lambda path: pq.write_table(
            fact_table(records, {"article_seq": article_seq, "record_seq": record_seq}), path))
        written.append(name)
    schema = pa.schema([("seq", pa.int64()), *((name, pa.string()) for name in (*ARTICLE_FIELDS, TEXT))])
    name = f"articles/part-{partition_id}.parquet"
    _atomic(out / name, lambda path: pq.write_table(pa.table(articles, schema=schema), path))
    written.append(name)
    return written


def remove_partition(out: Path, partition_id: str) -> None:
    """What an earlier try of the partition left (its marker first: the files are no longer vouched for)."""
    for path in [out / "extracted" / f"{partition_id}.json",
                 *map(Path, glob.glob(str(out / "facts" / "*" / "*" / f"part-{partition_id}.parquet"))),
                 out / "articles" / f"part-{partition_id}.parquet"]:
        path.unlink(missing_ok=True)


def write_marker(out: Path, partition_id: str, marker: dict[str, Any]) -> None:
    _atomic(out / "extracted" / f"{partition_id}.json",
            lambda path: Path(path).write_text(json.dumps(marker, ensure_ascii=False), encoding="utf-8"))


def read_marker(out: Path, partition_id: str) -> dict[str, Any] | None:
    """The partition's extracted marker, or None when it is not extracted (or its files are gone)."""
    try:
        marker = json.loads((out / "extracted" / f"{partition_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all((out / name).is_file() for name in marker.get("files", [])):
        return None
    return marker


def loaded_results(out: Path, marker: dict[str, Any]) -> Iterator[LoadedResult]:
    """The partition's articles with their records, in the order they were read."""
    import pyarrow.parquet as pq

    by_article: dict[int, list[tuple[int, dict]]] = {}
    names = marker["files"]
    for name in names:
        if not name.startswith("facts/"):
            continue
        table = pq.read_table(out / name, columns=["record", "article_seq", "record_seq"])
        columns = table.to_pydict()
        for record, seq, number in zip(columns["record"], columns["article_seq"], columns["record_seq"]):
            by_article.setdefault(seq, []).append((number, json.loads(record)))
    articles = pq.read_table(out / next(n for n in names if n.startswith("articles/"))).to_pylist()
    for row in sorted(articles, key=lambda r: r["seq"]):
        records = [record for _, record in sorted(by_article.pop(row["seq"], []), key=lambda pair: pair[0])]
        article = Article(text="", **{name: row[name] for name in ARTICLE_FIELDS if name != "source"},
                          source=row["source"] or "")
        yield LoadedResult(article, row[TEXT], records)


def manifest_entries(out: Path, database: str) -> dict[str, dict[str, Any]]:
    """Partitions loaded into `database` (a masked URL) by earlier runs: id -> its manifest line."""
    done: dict[str, dict[str, Any]] = {}
    try:
        lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return done
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: that partition is loaded again (which changes nothing)
        if isinstance(entry, dict) and entry.get("db") == database and isinstance(entry.get("partition"), str):
            done[entry["partition"]] = entry
    return done


def append_manifest(out: Path, entry: dict[str, Any]) -> None:
    with open(out / "manifest.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(str(temporary))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _safe(value: str) -> str:
    """A partition value fit for a folder name (a country code always is; odd input must not escape)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)
    return cleaned or UNKNOWN
