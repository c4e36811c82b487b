"""The Python API for analysts: `warmonitor.extract`, `warmonitor.open(...).facts(...)`, DataFrames, and an
`import warmonitor` that loads nothing heavy. Article texts are invented for the tests.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import warmonitor
from warmonitor.export.flat import FLAT_FIELDS
from warmonitor.store import StoreError

TEXT = ("Shelling killed six civilians and injured 11 in Ariha on Tuesday, rescuers said.\r\n"
        "About 2,000 families fled from the town to Atmeh, a camp manager said.\r\n")
OTHER = "An airstrike killed four people in Kharkiv on Monday, the regional governor said."


def cli_jsonl(*args: str) -> list[dict]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "warmonitor", "extract", "--format", "jsonl", *args],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_extract_gives_the_records_the_command_writes(tmp_path):
    path = tmp_path / "ariha.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    records = warmonitor.extract(TEXT, published="2024-03-05", outlet="Example", id="ariha")
    assert records == cli_jsonl("--published", "2024-03-05", "--outlet", "Example", str(path))
    assert [r["type"] for r in records][-1] == "summary" and {"casualty", "displacement"} <= {r["type"] for r in records}


def test_a_pipeline_is_reused_and_gives_the_same_records(pipeline):
    first = warmonitor.extract(OTHER, published="2024-03-05", pipeline=pipeline)
    assert first == warmonitor.extract(OTHER, published="5 March 2024", pipeline=pipeline)
    assert {r["article"] for r in first} == {"article"}
    assert [r["date"] for r in first if r["type"] == "casualty"] == ["2024-03-04"]
    assert warmonitor.extract(OTHER, id="k1", pipeline=pipeline)[0]["article"] == "k1"


@pytest.mark.parametrize("text, published, error", [("  \n", None, ValueError), (OTHER, "soon", ValueError),
                                                     (b"bytes", None, TypeError)])
def test_extract_refuses_what_it_cannot_read(text, published, error, pipeline):
    with pytest.raises(error) as info:
        warmonitor.extract(text, published=published, pipeline=pipeline)
    assert "\n" not in str(info.value)


def test_extract_stays_the_function_once_the_fact_modules_are_loaded(pipeline):
    import warmonitor.extract.casualty  # noqa: F401 - the subpackage that shares the name
    from warmonitor.api import extract

    warmonitor.extract(OTHER, pipeline=pipeline)
    assert warmonitor.extract is extract
    assert sys.modules["warmonitor.extract"].__name__ == "warmonitor.extract"


def test_import_warmonitor_loads_nothing_heavy():
    heavy = ["spacy", "sqlalchemy", "pandas", "numpy", "fastapi", "httpx", "typer"]
    code = f"import sys, warmonitor; print([m for m in {heavy!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
    assert {"extract", "open", "Pipeline", "Database"} <= set(dir(warmonitor))
    with pytest.raises(AttributeError):
        warmonitor.no_such_thing  # noqa: B018


@pytest.fixture
def db(tmp_path, pipeline):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ariha.txt").write_text(TEXT, encoding="utf-8")
    (folder / "kharkiv.txt").write_text(OTHER, encoding="utf-8")
    with warmonitor.open(f"sqlite:///{tmp_path / 'facts.db'}") as opened:
        summary = opened.ingest(folder, published="2024-03-05", pipeline=pipeline)
        assert (summary.read, summary.new, summary.skipped) == (2, 2, [])
        yield opened


def test_facts_take_the_filters_of_the_command(db):
    everything = db.facts()
    assert {r["article"] for r in everything} == {"ariha", "kharkiv"}
    assert all(r["type"] != "summary" for r in everything)
    casualties = db.facts(type="casualty")
    assert casualties and {r["type"] for r in casualties} == {"casualty"}
    assert {r["article"] for r in db.facts(country="UA")} == {"kharkiv"}
    assert {r["article"] for r in db.facts(admin1="Idlib", type=["casualty", "displacement"])} == {"ariha"}
    assert db.facts(since="2024-04-01") == [] and len(db.facts(limit=2)) == 2
    with pytest.raises(ValueError):
        db.facts(since="yesterday")


def test_facts_as_a_frame(db):
    pandas = pytest.importorskip("pandas")
    frame = db.facts(as_frame=True)
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == FLAT_FIELDS
    assert len(frame) == len(db.facts())
    killed = frame[(frame["type"] == "casualty") & (frame["outcome"] == "killed")]
    assert sorted(killed["count"]) == [4, 6]
    assert {"SY", "UA"} <= set(frame["country"])
    empty = db.facts(since="2030-01-01", as_frame=True)
    assert len(empty) == 0 and list(empty.columns) == FLAT_FIELDS


def test_a_frame_without_pandas_says_which_extra_to_install(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'warmonitor\[pandas\]'") as info:
        db.facts(as_frame=True)
    assert "\n" not in str(info.value)


def test_open_names_a_database_it_cannot_open(tmp_path):
    with pytest.raises(StoreError):
        warmonitor.open(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.db'}")
