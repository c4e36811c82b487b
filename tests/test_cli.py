"""The `warmonitor` command run as a user runs it (a subprocess): output formats, bad inputs in a batch,
--published, stdin, and `eval`. Article texts are invented for the tests.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

MODULE = "warmonitor" if find_spec("warmonitor.__main__") else "warmonitor.cli"

GOOD = ("Shelling killed six civilians and injured 11 in Ariha on Tuesday, rescuers said. "
        "About 2,000 families fled from the town to Atmeh.")
OTHER = "An airstrike killed four people in Sarmin on Monday."


def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", MODULE, *args], input=data if data is not None else b"",
                          capture_output=True, cwd=cwd, env=env, timeout=300)
    proc.stdout = proc.stdout.decode("utf-8")
    proc.stderr = proc.stderr.decode("utf-8")
    return proc


def jsonl(stdout: str) -> list[dict]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def summaries(records: list[dict]) -> list[dict]:
    return [r for r in records if r["type"] == "summary"]


def stderr_lines(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


def walk(node):
    """Every dict inside a JSON document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


# ==================================================================================================
# formats

def test_jsonl_one_summary_per_article(tmp_path, good):
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    proc = run("extract", "--format", "jsonl", str(good), str(tmp_path / "other.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    records = jsonl(proc.stdout)
    assert sorted(s["article"] for s in summaries(records)) == ["good", "other"]
    assert {r["article"] for r in records} == {"good", "other"}
    kinds = {r["type"] for r in records if r["article"] == "good"}
    assert {"casualty", "displacement", "summary"} <= kinds, records
    for rec in records:
        if rec["type"] != "summary":
            assert {"evidence", "claimed_by", "confidence"} <= rec.keys(), rec


def test_jsonl_folder(tmp_path, good):
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    proc = run("extract", "--format", "jsonl", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert sorted(s["article"] for s in summaries(jsonl(proc.stdout))) == ["good", "other"]


def test_json_is_one_document(tmp_path, good):
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    proc = run("extract", "--format", "json", str(good), str(tmp_path / "other.txt"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    found = [d for d in walk(doc) if d.get("type") == "summary"]
    assert len(found) == 2, doc
    assert any(d.get("type") == "casualty" for d in walk(doc))


def test_default_table_mentions_fact_types(good):
    proc = run("extract", str(good))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.lower()
    assert "casualty" in out and "displacement" in out, proc.stdout
    assert "good" in out


def test_output_file(tmp_path, good):
    out = tmp_path / "out.jsonl"
    proc = run("extract", "--format", "jsonl", "-o", str(out), str(good))
    assert proc.returncode == 0, proc.stderr
    assert len(summaries(jsonl(out.read_text(encoding="utf-8")))) == 1


def test_output_file_that_cannot_be_written_is_one_line(tmp_path, good):
    out = tmp_path / "missing-folder" / "out.jsonl"
    proc = run("extract", "--format", "jsonl", "-o", str(out), str(good))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"warmonitor: {out}: cannot write (No such file or directory); give -o a "
                                        "file in a folder that exists and may be written"]


# ==================================================================================================
# bad inputs in a batch: one line each, no traceback, the batch goes on

def make_empty(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    return p


def make_blank(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("  \n\n \t\n", encoding="utf-8")
    return p


def make_binary(tmp_path):
    p = tmp_path / "binary.txt"
    p.write_bytes(bytes(range(256)) * 8)
    return p


def make_latin1(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Des obus ont tu\u00e9 six civils \u00e0 Ariha mardi.".encode("latin-1"))
    return p


def make_bodyless_html(tmp_path):
    p = tmp_path / "nobody.html"
    p.write_text("<!DOCTYPE html><html><head><title>Nothing here</title></head><body></body></html>",
                 encoding="utf-8")
    return p


def make_missing(tmp_path):
    return tmp_path / "missing.txt"


BAD = {
    "empty": make_empty,
    "blank": make_blank,
    "binary": make_binary,
    "invalid-utf8": make_latin1,
    "html-no-body": make_bodyless_html,
    "missing": make_missing,
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_input_one_line_and_batch_goes_on(tmp_path, good, kind):
    bad = BAD[kind](tmp_path)
    proc = run("extract", "--format", "jsonl", str(bad), str(good))
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = stderr_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert bad.name in lines[0], lines
    assert proc.returncode == 0, proc.stderr
    assert [s["article"] for s in summaries(jsonl(proc.stdout))] == ["good"]


def test_malformed_jsonl_line(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n"
                    + '{"id": "b", "text": "unterminated\n'
                    + json.dumps({"id": "c", "text": OTHER}) + "\n", encoding="utf-8")
    proc = run("extract", "--format", "jsonl", str(feed))
    assert "Traceback" not in proc.stderr
    lines = stderr_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert "feed.jsonl" in lines[0] and ":2" in lines[0], lines
    assert proc.returncode == 0
    assert [s["article"] for s in summaries(jsonl(proc.stdout))] == ["a", "c"]


def test_every_bad_input_named_once(tmp_path, good):
    bads = [make(tmp_path) for make in BAD.values()]
    proc = run("extract", "--format", "jsonl", *map(str, bads), str(good))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    lines = stderr_lines(proc)
    assert len(lines) == len(bads), proc.stderr
    for bad in bads:
        assert sum(bad.name in line for line in lines) == 1, (bad.name, lines)
    assert [s["article"] for s in summaries(jsonl(proc.stdout))] == ["good"]


@pytest.mark.parametrize("kinds", [["missing"], ["empty", "binary"], ["invalid-utf8", "html-no-body"]])
def test_nothing_readable_is_an_error(tmp_path, kinds):
    bads = [BAD[k](tmp_path) for k in kinds]
    proc = run("extract", "--format", "jsonl", *map(str, bads))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = stderr_lines(proc)
    for bad in bads:
        assert sum(bad.name in line for line in lines) == 1, (bad.name, lines)
    assert summaries(jsonl(proc.stdout)) == []


# ==================================================================================================
# --published, stdin

def test_published_is_applied(good):
    proc = run("extract", "--format", "json", "--published", "2024-03-05", str(good))
    assert proc.returncode == 0, proc.stderr
    assert "2024-03-05" in proc.stdout
    plain = run("extract", "--format", "json", str(good))
    assert "2024-03-05" not in plain.stdout


def test_bad_published_is_one_line(good):
    proc = run("extract", "--format", "jsonl", "--published", "last Tuesday", str(good))
    assert "Traceback" not in proc.stderr
    lines = stderr_lines(proc)
    assert len(lines) == 1 and "--published" in lines[0], proc.stderr
    assert proc.returncode == 0
    assert len(summaries(jsonl(proc.stdout))) == 1


def test_stdin_text():
    proc = run("extract", "--format", "jsonl", "-", stdin=GOOD)
    assert proc.returncode == 0, proc.stderr
    records = jsonl(proc.stdout)
    assert [s["article"] for s in summaries(records)] == ["stdin"]
    assert any(r["type"] == "casualty" and r["count"]["best"] == 6 for r in records), records


def test_stdin_jsonl():
    feed = json.dumps({"id": "x1", "text": GOOD}) + "\n" + json.dumps({"id": "x2", "text": OTHER}) + "\n"
    proc = run("extract", "--format", "jsonl", "-", stdin=feed)
    assert proc.returncode == 0, proc.stderr
    assert [s["article"] for s in summaries(jsonl(proc.stdout))] == ["x1", "x2"]


def test_empty_stdin_is_an_error():
    proc = run("extract", "--format", "jsonl", "-", stdin="")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert stderr_lines(proc)


# ==================================================================================================
# eval

def make_gold(folder: Path) -> None:
    folder.mkdir()
    (folder / "g1.txt").write_text(OTHER, encoding="utf-8")
    gold = {"article": "g1", "format": "warmonitor-gold/1", "facts": [
        {"type": "casualty", "evidence": "An airstrike killed four people in Sarmin on Monday",
         "outcome": "killed", "count": {"low": 4, "best": 4, "high": 4}},
    ]}
    (folder / "g1.gold.json").write_text(json.dumps(gold), encoding="utf-8")


def test_eval_prints_per_type_scores(tmp_path):
    gold = tmp_path / "gold"
    make_gold(gold)
    ev = "An airstrike killed four people in Sarmin on Monday."
    preds = [
        {"article": "g1", "type": "casualty", "outcome": "killed", "count": {"low": 4, "best": 4, "high": 4},
         "evidence": {"text": ev, "start": 0, "end": len(ev)}, "claimed_by": [], "confidence": 0.9},
        {"article": "g1", "type": "displacement", "count": {"low": 9, "best": 9, "high": 9}, "unit": "people",
         "evidence": {"text": ev, "start": 0, "end": len(ev)}, "claimed_by": [], "confidence": 0.5},
    ]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    proc = run("eval", str(gold), str(pred))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    casualty = [line for line in lines if line.startswith("casualty")]
    assert casualty and "P 1.000" in casualty[0] and "R 1.000" in casualty[0] and "F1 1.000" in casualty[0], lines
    displacement = [line for line in lines if line.startswith("displacement")]
    assert displacement and "P 0.000" in displacement[0], lines

    as_json = run("eval", "--json", str(gold), str(pred))
    report = json.loads(as_json.stdout)
    assert report["types"]["casualty"]["f1"] == 1.0
    assert report["types"]["displacement"]["fp"] == 1


def test_eval_on_extract_output(tmp_path):
    gold = tmp_path / "gold"
    make_gold(gold)
    pred = tmp_path / "pred.jsonl"
    proc = run("extract", "--format", "jsonl", "-o", str(pred), str(gold))
    assert proc.returncode == 0, proc.stderr
    proc = run("eval", str(gold), str(pred))
    assert proc.returncode == 0, proc.stderr
    casualty = [line for line in proc.stdout.splitlines() if line.startswith("casualty")]
    assert casualty and "R 1.000" in casualty[0], proc.stdout


def test_eval_bad_gold_dir(tmp_path):
    proc = run("eval", str(tmp_path / "nope"), str(tmp_path / "pred.jsonl"))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(stderr_lines(proc)) == 1 and "nope" in proc.stderr
