"""Facts and incidents as Parquet (issue 13): typed columns an analyst's DuckDB or pandas reads directly,
each whole record beside them, and one-line errors when a file or pyarrow is missing."""
from __future__ import annotations

import builtins
import json

import pytest
from test_cli_incidents import ALL, ingest, listed, run, write_articles

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def stored(db_url, tmp_path) -> str:
    ingest(db_url, write_articles(tmp_path / "in", ALL))
    return db_url


def test_facts_as_parquet_hold_typed_columns_and_every_record(stored, tmp_path):
    out = tmp_path / "facts.parquet"
    result = run("facts", "--db", stored, "-f", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    expected = [json.loads(line) for line in run("facts", "--db", stored, "-f", "jsonl").stdout.splitlines()]
    assert [json.loads(r) for r in table.column("record").to_pylist()] == expected
    assert str(table.schema.field("count").type) == "int64"
    assert str(table.schema.field("confidence").type) == "double"
    rows = table.to_pylist()
    killed = [(r["place"], r["count"], r["count_low"]) for r in rows if r["outcome"] == "killed"]
    assert ("Kafr Nabl", 6, 6) in killed, killed


def test_incidents_as_parquet_match_the_json_lines(stored, tmp_path):
    out = tmp_path / "incidents.parquet"
    result = run("incidents", "--db", stored, "-f", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    records = listed(stored)
    assert table.column("id").to_pylist() == [r["id"] for r in records]
    assert [json.loads(r) for r in table.column("record").to_pylist()] == records
    assert str(table.schema.field("killed_best").type) == "int64"
    assert str(table.schema.field("lat").type) == "double"
    by_id = {r["id"]: r for r in table.to_pylist()}
    for record in records:
        assert by_id[record["id"]]["killed_best"] == (record.get("killed") or {}).get("best")


def test_parquet_needs_a_file(stored):
    result = run("facts", "--db", stored, "-f", "parquet")
    assert result.exit_code == 2
    assert "-f parquet writes a file: give it with -o FILE.parquet" in result.output


def test_parquet_without_pyarrow_says_how_to_get_it(stored, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = run("incidents", "--db", stored, "-f", "parquet", "-o", str(tmp_path / "i.parquet"))
    assert result.exit_code == 2
    assert "Parquet needs pyarrow: pip install 'warmonitor[parquet]'" in result.output
