"""Crash safety: an ingest killed with SIGKILL mid-run loses nothing committed, and a re-run ends
with exactly the articles and facts a clean run stores, with no duplicates."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate_articles import generate_texts  # noqa: E402

from warmonitor.store import Store  # noqa: E402

ARTICLES = 120


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i, text in enumerate(generate_texts(ARTICLES, 250, seed=7)):
        (folder / f"art-{i:04d}.txt").write_text(text, encoding="utf-8")


def ingest(folder: Path, url: str) -> subprocess.Popen:
    env = dict(os.environ, WARMONITOR_DB=url)
    return subprocess.Popen([sys.executable, "-m", "warmonitor", "ingest", str(folder), "--batch-size", "10",
                             "--no-progress"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def snapshot(url: str) -> tuple[dict, list]:
    store = Store(url)
    records = store.facts()
    keys = sorted({r["article"] for r in records})
    facts = sorted((r["article"], r["type"], r["evidence"]["start"], r["rule"]) for r in records)
    return store.counts(), keys, facts


def test_sigkill_mid_ingest_then_rerun(tmp_path, db_url):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    process = ingest(corpus, db_url)
    store = Store(db_url)
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and process.poll() is None:
        try:
            stored = store.counts()["articles"]
        except Exception:  # the schema may not exist yet
            stored = 0
        if stored >= 10:
            process.send_signal(signal.SIGKILL)
            killed_at = stored
            break
        time.sleep(0.05)
    process.wait(timeout=30)
    if killed_at is None:
        pytest.fail("ingest finished before it could be killed; raise ARTICLES")
    assert killed_at < ARTICLES, "the kill should land mid-run"
    after_kill = Store(db_url).counts()["articles"]
    assert 10 <= after_kill < ARTICLES  # committed batches survived, the rest is missing

    rerun = ingest(corpus, db_url)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    counts, keys, facts = snapshot(db_url)
    assert counts["articles"] == ARTICLES
    assert len(keys) == ARTICLES

    # exactly what a clean in-process extraction of the same files finds, each fact once
    from warmonitor.pipeline import Pipeline
    from warmonitor.read import iter_articles

    expected = sorted((f["article"], f["type"], f["evidence"]["start"], f["rule"])
                      for result in Pipeline().extract_many(iter_articles([str(corpus)]))
                      for f in result.records() if f["type"] != "summary")
    assert facts == expected
    assert counts["facts"] == len(expected)
