"""The monitor commands end to end: ingest and watch over feeds served on 127.0.0.1, then query.

Bad feeds (an XML bomb, a malformed feed, a page that is not HTML) give one line each and the run goes
on; running again stores nothing twice.
"""
from __future__ import annotations

import json

from http_fixtures import LocalServer
from typer.testing import CliRunner

from warmonitor.cli import app
from warmonitor.store import Store


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_ingest_feed_then_again_stores_nothing_twice(tmp_path):
    db = f"sqlite:///{tmp_path / 'mon.db'}"
    with LocalServer() as server:
        first = run("ingest", "--db", db, "--allow-network", "127.0.0.0/8", "--feed", server.url("/rss.xml"), server.url("/bomb.xml"),
                    server.url("/malformed.xml"))
        assert first.exit_code == 0, first.output
        counts = Store(db).counts()
        assert counts["articles"] == 3
        lines = [line for line in first.output.splitlines() if "bomb.xml" in line]
        assert len(lines) == 1 and "Traceback" not in first.output
        assert any("malformed.xml" in line for line in first.output.splitlines())
        assert "new 3" in first.output

        again = run("ingest", "--db", db, "--allow-network", "127.0.0.1", "--feed", server.url("/rss.xml"))
        assert again.exit_code == 0, again.output
        assert "new 0" in again.output and "unchanged 3" in again.output
        assert Store(db).counts() == counts


def test_watch_once_from_a_feed_list_keeps_going(tmp_path):
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    with LocalServer() as server:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text("# feeds to watch\n" + "\n".join(server.url(p) for p in ("/bomb.xml", "/atom.xml", "/malformed.xml")),
                         encoding="utf-8")
        result = run("watch", "--db", db, "--from", str(feeds), "--once", env={"WARMONITOR_ALLOW_NETWORKS": "10.0.0.0/8 127.0.0.0/8"})
        assert result.exit_code == 0, result.output
        stored = Store(db).counts()["articles"]
        assert stored == 3
        assert "stored " in result.output  # a log line per stored article
        assert "Traceback" not in result.output


def test_ingest_and_watch_refuse_loopback_unless_allowed(tmp_path):
    """SSRF: a feed or page on a local address is refused by default, one line naming the option."""
    db = f"sqlite:///{tmp_path / 'ssrf.db'}"
    with LocalServer() as server:
        ingest = run("ingest", "--db", db, server.url("/page/1"), server.url("/rss.xml"))
        watch = run("watch", "--db", db, "--once", server.url("/rss.xml"), env={"WARMONITOR_ALLOW_NETWORKS": ""})
        other = run("ingest", "--db", db, "--allow-network", "10.0.0.0/8", server.url("/page/1"))
        assert server.hits == {}  # nothing was even requested
    assert ingest.exit_code == 1 and watch.exit_code == 0 and other.exit_code == 1
    for result, urls in ((ingest, ("/page/1", "/rss.xml")), (watch, ("/rss.xml",)), (other, ("/page/1",))):
        lines = [line for line in result.output.splitlines() if line.startswith("warmonitor:") and "loopback" in line]
        assert len(lines) == len(urls) and "Traceback" not in result.output, result.output
        for line, path in zip(lines, urls):
            assert server.url(path) in line and "--allow-network" in line
    assert Store(db).counts()["articles"] == 0


def test_a_bad_allowed_network_is_one_line_and_exit_2(tmp_path):
    for args, env in ((["--allow-network", "10.0.0.0/33"], None), ([], {"WARMONITOR_ALLOW_NETWORKS": "intranet"})):
        for command in (["ingest", "http://a.example/"], ["watch", "--once", "http://a.example/feed"]):
            result = run(*command, "--db", f"sqlite:///{tmp_path / 'x.db'}", *args, env=env)
            assert result.exit_code == 2, result.output
            assert result.output.count("\n") == 1 and "CIDR" in result.output and "--allow-network" in result.output


def test_facts_query_formats(tmp_path):
    db = f"sqlite:///{tmp_path / 'q.db'}"
    article = tmp_path / "a.txt"
    article.write_text("Shelling killed 9 civilians in Maarat al-Numan on Monday, the Syrian Observatory for "
                       "Human Rights said.\n", encoding="utf-8")
    assert run("ingest", "--db", db, "--published", "2024-03-05", str(article)).exit_code == 0
    jsonl = run("facts", "--db", db, "--type", "casualty", "-f", "jsonl")
    records = [json.loads(line) for line in jsonl.output.splitlines() if line.startswith("{")]
    assert [r["count"]["best"] for r in records] == [9]
    assert records[0]["date"] == "2024-03-04"
    csv_out = run("facts", "--db", db, "--admin1", "Idlib", "-f", "csv")
    assert csv_out.output.splitlines()[0].startswith("article,type,count")
    assert len(csv_out.output.splitlines()) == 2
    assert run("facts", "--db", db, "--admin1", "Aleppo", "-f", "csv").output.count("\n") == 1  # header only
    bad = run("facts", "--db", db, "--since", "yesterday")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
