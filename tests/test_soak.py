"""A short run of the soak benchmark (bench/soak.py): `warmonitor watch` against a local feed server of good,
slow, huge and hostile items, `warmonitor serve` under load on the same database.

Structural checks only, no timing: something is stored, nothing twice, no garbage, no traceback, no 5xx.
About a minute and a half (two processes start, the run, their stop); deselect with `-m "not soak"`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

pytestmark = pytest.mark.soak

NEVER_STORED = ("binary", "gzip-bomb", "huge-declared", "huge-undeclared", "redirect-loop", "redirect-private")


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> dict:
    sys.path.insert(0, str(BENCH))
    try:
        import soak as bench_soak
    finally:
        sys.path.remove(str(BENCH))
    # 40 s of soak, up to 90 s more until every hostile kind has been asked for (a slow machine)
    result = bench_soak.run(40, seed=1, concurrency=2, sample_every=2.0, quiet=True, tour_grace=90, stop_grace=15,
                            workdir=tmp_path_factory.mktemp("soak"))
    print(bench_soak.report(result))
    result["module"] = bench_soak
    return result


def test_articles_and_facts_are_stored(soak: dict) -> None:
    assert soak["articles"] > 0
    assert soak["facts"] > 0
    assert soak["watch_exit"] is None, "watch ended by itself during the run"


def test_nothing_is_stored_twice(soak: dict) -> None:
    assert soak["duplicates"] == 0, {k: soak[k] for k in ("dup_keys", "dup_hashes", "dup_urls", "dup_texts",
                                                          "dup_facts")}
    assert soak["facts_of_old_versions"] == 0


def test_every_hostile_kind_was_served_and_none_stored_garbage(soak: dict) -> None:
    hostile = soak["module"].HOSTILE
    assert [k for k in hostile if not soak["served"].get(k)] == []
    assert soak["feed_requests"].get("entity-bomb", 0) >= 1
    assert {k: soak["stored_kind"].get(k, 0) for k in NEVER_STORED} == dict.fromkeys(NEVER_STORED, 0)
    assert soak["nul_texts"] == 0
    assert soak["surrogate_texts"] == 0
    assert soak["nul_facts"] == 0


def test_private_redirects_are_refused(soak: dict) -> None:
    assert soak["private_lines"] >= 1
    assert soak["private_refused"] == soak["private_lines"]


def test_no_traceback_and_bad_items_are_lines(soak: dict) -> None:
    assert soak["watch_tracebacks"] == 0, soak["watch_traceback_lines"]
    assert soak["serve_tracebacks"] == 0
    assert soak["watch_poll_failed"] == 0


def test_the_api_answered_without_5xx(soak: dict) -> None:
    assert sum(soak["requests"].values()) > 0
    assert soak["api_5xx"] == 0, soak["api_error_samples"]
