"""Hostile and careless input: each case reproduces a way one bad item used to stop a batch or
corrupt what is stored, and checks that now only that item is refused, with one line naming it."""
from __future__ import annotations

import csv
import io
import json

import pytest

from warmonitor.model import Article, ReadError
from warmonitor.read import iter_articles
from warmonitor.read.common import storable

GOOD = {"text": "Two people were killed in a strike on the market on Monday, officials said."}


def read_all(path):
    return list(iter_articles([str(path)]))


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_deeply_nested_line_costs_only_that_line(tmp_path):
    feed = write_lines(tmp_path / "feed.jsonl", [json.dumps(GOOD), "[" * 100_000 + "]" * 100_000,
                                                 json.dumps({**GOOD, "id": "after"})])
    items = read_all(feed)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "Article"]
    assert items[1].source == f"{feed}:2"
    assert "nested too deeply" in items[1].message and "\n" not in items[1].message
    assert items[2].id == "after"


def test_a_number_of_thousands_of_digits_costs_only_that_line(tmp_path):
    feed = write_lines(tmp_path / "feed.jsonl", ['{"text": "x", "n": ' + "9" * 5000 + "}",
                                                 json.dumps({**GOOD, "id": "after"})])
    items = read_all(feed)
    assert isinstance(items[0], ReadError) and items[0].source == f"{feed}:1"
    assert "thousands of digits" in items[0].message
    assert isinstance(items[1], Article) and items[1].id == "after"


def test_a_lone_surrogate_is_replaced_and_the_article_kept(tmp_path):
    feed = write_lines(tmp_path / "feed.jsonl", ['{"id": "s", "title": "bad \\udc80 title", '
                                                 '"text": "Three were killed \\ud800 on Monday."}',
                                                 json.dumps({**GOOD, "id": "after"})])
    first, second = read_all(feed)
    assert first.text == "Three were killed \ufffd on Monday."
    assert first.title == "bad \ufffd title"
    first.text.encode("utf-8")  # what every store needs
    assert second.id == "after"


def test_nul_characters_never_reach_the_store(tmp_path):
    feed = write_lines(tmp_path / "feed.jsonl", [json.dumps({"id": "n\u0000ul", "title": "A\u0000B", "outlet": "Wire\u0000",
                                                             "text": "Three\u0000 people were killed."})])
    (article,) = read_all(feed)
    assert (article.id, article.title, article.outlet, article.text) == ("nul", "AB", "Wire", "Three people were killed.")


def test_storable_leaves_ordinary_text_alone():
    text = "Déjà vu in Ma'arrat al-Nu'man — 😀 \t tabs\nand lines"
    assert storable(text) is text
    assert storable("a\x00b\x00") == "ab"
    assert storable("\ud83d") == "\ufffd"


def test_a_folder_walk_does_not_follow_links_out_of_the_folder(tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Four soldiers were killed in the secret file.", encoding="utf-8")
    given = tmp_path / "articles"
    given.mkdir()
    (given / "a.txt").write_text("Two people were killed on Monday.", encoding="utf-8")
    (given / "inside").mkdir()
    (given / "inside" / "b.txt").write_text("Three people were killed on Tuesday.", encoding="utf-8")
    (given / "to-private").symlink_to(outside, target_is_directory=True)
    (given / "to-secret.txt").symlink_to(outside / "secret.txt")
    (given / "also-a.txt").symlink_to(given / "a.txt")  # a link that stays inside is read
    (given / "to-inside").symlink_to(given / "inside", target_is_directory=True)
    items = read_all(given)
    texts = sorted(i.text for i in items if isinstance(i, Article))
    assert texts == ["Three people were killed on Tuesday.", "Two people were killed on Monday.",
                     "Two people were killed on Monday."]
    refused = sorted(i.source for i in items if isinstance(i, ReadError))
    assert refused == [str(given / "to-private"), str(given / "to-secret.txt")]
    assert all("link to outside" in i.message for i in items if isinstance(i, ReadError))


def test_a_link_given_by_name_is_read(tmp_path):
    (tmp_path / "real.txt").write_text("Two people were killed on Monday.", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    (item,) = read_all(tmp_path / "link.txt")
    assert isinstance(item, Article)


# -- the command line ------------------------------------------------------------------------------------

def cli(*args):
    from typer.testing import CliRunner

    from warmonitor.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", [["facts"], ["reprocess"], ["serve", "--port", "1"]])
def test_a_mistyped_database_path_is_reported_not_created(tmp_path, command):
    missing = tmp_path / "warmonitr.db"
    result = cli(*command, "--db", missing)
    assert result.exit_code == 2
    assert f"database sqlite:///{missing} does not exist" in result.output
    assert "warmonitor ingest` creates a database" in result.output
    assert not missing.exists()


def test_csv_cells_an_article_could_turn_into_formulas_are_defused(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("=HYPERLINK(\"http://x.example\") Three people were killed in the town on Monday.\n",
                     encoding="utf-8")
    db = tmp_path / "w.db"
    assert cli("ingest", "--db", db, "--no-progress", story).exit_code == 0
    result = cli("facts", "--db", db, "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["evidence"].startswith("'=HYPERLINK") for r in rows)
    assert rows[0]["count"] == "3"  # numbers are left as they are
