"""Extraction on several worker processes (`PipelinePool`, `--jobs`): the same records in the same order as
one job, the same one-line errors, memory bounded by a window of articles, a killed worker costing the
article it held and not the run, and workers gone when a run stops early. Article texts are invented for
the tests. Nothing here is timed.
"""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from warmonitor.model import Article, ReadError
from warmonitor.pipeline import Pipeline
from warmonitor.pipeline_pool import PipelinePool, pipeline_for

from test_cli import run, stderr_lines

PLACES = ["Ariha", "Sarmin", "Kharkiv", "Bakhmut", "Marib", "Taiz", "El Fasher", "Kandahar", "Lashkar Gah",
          "Myitkyina", "Rafah", "Idlib", "Hodeidah", "Kherson", "Nyala", "Sittwe", "Kunduz", "Deir ez-Zor"]
WHAT = ["Shelling killed {n} civilians and wounded {m} in {place} on Tuesday, rescuers said.",
        "An airstrike on a market in {place} killed {n} people, including {m} children, a local official said.",
        "At least {n} soldiers died when a roadside bomb hit their convoy near {place} on Sunday.",
        "Fighting around {place} forced {n} families to flee their homes this week, aid workers said.",
        "Gunmen attacked a checkpoint in {place}, killing {n} police officers and injuring {m}, the ministry said."]


def invented(count: int, long: bool = False) -> list[Article]:
    """`count` short reports written for these tests, each different."""
    articles = []
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        text = " ".join(WHAT[(i + k) % len(WHAT)].format(n=3 + i + k, m=2 + (i * 7 + k) % 9, place=place)
                        for k in range(8 if long else 2))
        articles.append(Article(id=f"report-{i:02d}", text=text, published="2024-05-0" + str(1 + i % 9),
                                source=f"report-{i:02d}.txt"))
    return articles


def outcome(result) -> object:
    return result.message if isinstance(result, ReadError) else result.records()


@pytest.fixture(scope="module")
def one_job() -> Pipeline:
    return Pipeline(max_article_chars=1500)


def test_two_workers_give_one_jobs_records_in_input_order(one_job):
    articles = invented(22)
    expected = [outcome(r) for r in one_job.extract_many(articles)]
    with PipelinePool(2, chunk=2, start_after=4, max_article_chars=1500) as pool:
        results = list(pool.extract_many(articles))
        assert pool.workers_started == 2
    assert [outcome(r) for r in results] == expected
    assert [r.article for r in results] == articles
    assert all(r.article is a for r, a in zip(results, articles))  # the caller's own objects, as with one job


def test_bad_articles_among_good_ones_give_the_same_lines(one_job):
    articles = invented(18)
    articles[3] = Article(id="too-long", text="Shelling killed two people in Taiz. " * 60, source="too-long.txt")
    articles[9] = Article(id="french", source="french.txt", text=(
        "Des bombardements ont tué six civils et blessé onze personnes mardi dans la ville, selon les secouristes. "
        "Environ deux mille familles ont fui la ville vers le nord, ont indiqué les organisations humanitaires."))
    expected = [outcome(r) for r in one_job.extract_many(articles)]
    with PipelinePool(2, chunk=3, start_after=4, max_article_chars=1500) as pool:
        got = [outcome(r) for r in pool.extract_many(articles)]
    errors = [o for o in got if isinstance(o, str)]
    assert errors == [o for o in expected if isinstance(o, str)]
    assert errors[0].startswith("too-long.txt: 2,160 characters is more than the 1,500-character limit")
    assert errors[1].startswith("french.txt: the article is in French (fr)")
    assert sorted(map(str, got)) == sorted(map(str, expected))
    assert [o for o in got if not isinstance(o, str)] == [o for o in expected if not isinstance(o, str)]


def test_an_article_over_its_time_budget_gives_the_same_line_as_with_one_job():
    articles = invented(6)
    budget = 1e-9  # over before extraction starts, on any machine
    expected = [outcome(r) for r in Pipeline(time_budget=budget).extract_many(articles)]
    with PipelinePool(2, chunk=2, start_after=4, time_budget=budget) as pool:
        got = [outcome(r) for r in pool.extract_many(articles)]
        assert pool.workers_started == 2
    assert got == expected
    assert got[0] == ("report-00.txt: skipped after 1e-09 s of extraction (the time budget of one article); "
                      "split it into smaller articles or raise --article-timeout")


def test_the_window_bounds_how_far_the_input_is_read_ahead():
    articles = invented(40)
    consumed = written = 0
    furthest = 0

    def source():
        nonlocal consumed
        for article in articles:
            consumed += 1
            yield article

    with PipelinePool(2, chunk=2, window=6, start_after=4) as pool:
        for _ in pool.extract_many(source()):
            furthest = max(furthest, consumed - written)
            written += 1
    assert written == 40
    assert furthest <= pool.window + pool.chunk
    assert pool.window == 6


def test_a_short_input_starts_no_worker(one_job):
    articles = invented(3)
    with PipelinePool(2, max_article_chars=1500) as pool:
        results = [outcome(r) for r in pool.extract_many(articles)]
        assert pool.workers_started == 0
    assert results == [outcome(r) for r in one_job.extract_many(articles)]
    assert type(pipeline_for(1)) is Pipeline
    assert type(pipeline_for(2)) is PipelinePool


def test_a_killed_worker_costs_the_article_it_held_and_the_run_goes_on():
    articles = invented(24, long=True)
    expected = [r.records() for r in Pipeline().extract_many(articles)]
    with PipelinePool(2, chunk=1, start_after=4) as pool:
        results, killed = [], None
        for result in pool.extract_many(articles):
            results.append(result)
            if killed is None:  # it holds one or two articles; the one in hand is the first it had not answered
                victim = next(w for w in pool._workers if w.ready and w.pending)
                killed = [articles[seq] for seq in victim.pending]
                os.kill(victim.process.pid, signal.SIGKILL)
        assert pool.workers_started == 3  # a new worker took its place
    errors = [(i, r) for i, r in enumerate(results) if isinstance(r, ReadError)]
    assert len(results) == 24 and len(errors) == 1
    lost, error = errors[0]
    assert articles[lost] in killed
    assert error.message == (f"{articles[lost].source}: extraction failed (its worker process ended: signal SIGKILL); "
                             "the article was skipped, please report it with the input attached")
    assert [r.records() for i, r in enumerate(results) if i != lost] == expected[:lost] + expected[lost + 1:]


def test_a_run_that_stops_early_leaves_no_worker():
    articles = invented(30)

    def failing():
        yield from articles[:20]
        raise OSError("the input went away")

    pool = PipelinePool(2, chunk=2, start_after=4)
    processes = []
    with pytest.raises(OSError, match="went away"):
        for _ in pool.extract_many(failing()):
            processes = processes or [w.process for w in pool._workers]
    assert len(processes) == 2 and not any(p.is_alive() for p in processes)
    assert pool._workers == []
    results = pool.extract_many(articles)  # a reader that stops reading (a closed pipe, Ctrl-C) does the same
    next(results)
    processes = [w.process for w in pool._workers]
    results.close()
    assert len(processes) == 2 and not any(p.is_alive() for p in processes)


# --- the command line ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("jobs")
    for article in invented(20):
        (path / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    (path / "report-07.txt").write_bytes(b"")  # empty: one line, the run goes on
    return path


def test_extract_with_two_jobs_writes_what_one_job_writes(folder):
    one = run("extract", "-f", "jsonl", "--jobs", "1", "--published", "2024-05-02", str(folder))
    two = run("extract", "-f", "jsonl", "--jobs", "2", "--published", "2024-05-02", str(folder))
    assert one.returncode == two.returncode == 0, two.stderr
    assert len([line for line in one.stdout.splitlines() if '"type": "summary"' in line]) == 19
    assert two.stdout == one.stdout
    assert stderr_lines(two) == stderr_lines(one)
    assert len(stderr_lines(one)) == 1 and stderr_lines(one)[0].startswith(
        f"warmonitor: {folder / 'report-07.txt'}: the file is empty")


def test_ingest_with_two_jobs_stores_what_one_job_stores(folder, tmp_path):
    stored = []
    for jobs in ("1", "2"):
        db = f"sqlite:///{tmp_path / f'jobs{jobs}.db'}"
        proc = run("ingest", "--no-progress", "--jobs", jobs, "--published", "2024-05-02", "--db", db, str(folder))
        assert proc.returncode == 0, proc.stderr
        assert stderr_lines(proc)[0].startswith(f"warmonitor: {folder / 'report-07.txt'}: the file is empty")
        facts = run("facts", "-f", "jsonl", "--db", db)
        stored.append(sorted(facts.stdout.splitlines()))
        reprocessed = run("reprocess", "--jobs", jobs, "--db", db)
        assert reprocessed.returncode == 0, reprocessed.stderr
        assert sorted(run("facts", "-f", "jsonl", "--db", db).stdout.splitlines()) == stored[-1]
    assert len(stored[0]) > 40
    assert [json.loads(line) for line in stored[1]] == [json.loads(line) for line in stored[0]]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_ctrl_c_ends_the_command_cleanly_and_leaves_no_worker():
    import subprocess
    import sys

    from test_cli import MODULE

    def children(pid: int) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                pass
        return found

    proc = subprocess.Popen([sys.executable, "-m", MODULE, "extract", "-f", "jsonl", "--jobs", "2", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "NO_COLOR": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for article in invented(40, long=True):  # more than the window; stdin stays open: the command is
            # mid-run, waiting for more
            proc.stdin.write((json.dumps({"id": article.id, "text": article.text}) + "\n").encode())
        proc.stdin.flush()
        assert proc.stdout.readline().startswith(b'{"article": "report-00"')  # results are coming from the pool
        workers = children(proc.pid)
        assert len(workers) >= 2
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        proc.stdin.close()
        assert proc.wait(timeout=120) == 130
        assert b"Traceback" not in proc.stderr.read()
        assert [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"] == []
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
