"""A database that fails under warmonitor (issue 10): damaged pages, a file that is not a database, a full
disk, a read-only database. Each is named as such in one line saying what to do, the command line exits
with status 2, the API answers 503 with JSON, and a damaged database is written no more.

The failures are real SQLite failures: pages of a real database file overwritten with garbage; a full
disk through SQLite's `max_page_count` (the database may not grow); a read-only database through
`PRAGMA query_only` (the tests run as root, who may write a read-only file; `?mode=ro` would do as
well). Both are set on each new connection, as a connect listener after warmonitor's own pragmas.
The articles are invented for these tests.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from warmonitor.cli import app as cli_app
from warmonitor.model import Article
from warmonitor.serve import ServeSettings, create_app
from warmonitor.store import Store, StoreError
from warmonitor.store import engine as engine_module
from warmonitor.store import store as store_module
from warmonitor.store.errors import DatabaseDamaged, DiskFull, ReadOnlyDatabase

TOWNS = ("Ariha", "Sarmin", "Saraqib", "Binnish", "Taftanaz", "Kafr Nabl")
PAGE = 4096


def article(number: int, town: str, sentences: int = 20) -> Article:
    text = " ".join(f"Shelling killed {number + k + 2} civilians and injured {k + 3} in {town} on Tuesday, "
                    "rescuers said." for k in range(sentences))
    return Article(id=f"{town.lower().replace(' ', '-')}-{number}", text=text, published="2024-03-07",
                   source=f"{town}.txt")


@pytest.fixture(scope="module")
def built(tmp_path_factory, pipeline) -> Path:
    """A database of 30 articles and their facts (about 300 pages), checkpointed into one file."""
    path = tmp_path_factory.mktemp("built") / "w.db"
    with Store(str(path)) as store:
        store.upgrade()
        store.save(pipeline.extract_many([article(i, TOWNS[i % len(TOWNS)]) for i in range(30)]),
                   extractor_version="test")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def db_file(built, tmp_path) -> Path:
    path = tmp_path / "w.db"
    shutil.copy(built, path)
    return path


def page_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA page_count").fetchone()[0]
    finally:
        connection.close()


def overwrite_pages(path: Path, first: int, count: int) -> None:
    """Garbage over pages `first`.. (1-based), as a failing disk or a stray write leaves them."""
    with path.open("r+b") as handle:
        handle.seek((first - 1) * PAGE)
        handle.write(b"\xa5" * PAGE * count)


def damage_middle(path: Path) -> None:
    overwrite_pages(path, page_count(path) // 2, 4)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    connection.close()


def damage_table(path: Path, table: str) -> None:
    """Garbage over the root page of `table`: every statement that reads it finds the damage."""
    connection = sqlite3.connect(path)
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    connection.close()
    overwrite_pages(path, root, 1)


def on_connect(monkeypatch, pragma) -> None:
    """Every SQLite connection warmonitor opens from now on runs `pragma(connection)` after its own."""
    original = engine_module._sqlite_pragmas

    def with_pragma(dbapi_connection, record) -> None:
        original(dbapi_connection, record)
        pragma(dbapi_connection)

    monkeypatch.setattr(engine_module, "_sqlite_pragmas", with_pragma)


def no_growth(connection) -> None:
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count={pages}")


def read_only(connection) -> None:
    connection.execute("PRAGMA query_only=ON")


def cli(*args):
    return CliRunner().invoke(cli_app, [str(a) for a in args])


def one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "unexpected" not in lines[0] and "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def new_articles(tmp_path) -> Path:
    folder = tmp_path / "new"
    folder.mkdir()
    for number in range(6):
        (folder / f"n{number}.txt").write_text(article(100 + number, "Idlib", 30).text, encoding="utf-8")
    return folder


# -- damaged pages ---------------------------------------------------------------------------------------

def test_damaged_pages_are_named_and_the_store_writes_no_more(db_file, pipeline):
    damage_middle(db_file)
    with Store(str(db_file)) as store:
        store.upgrade()  # the schema's pages are whole
        with pytest.raises(DatabaseDamaged) as found:
            store.facts()
        message = str(found.value)
        assert f"database {db_file} is damaged" in message and f"sqlite3 {db_file} .recover" in message
        assert "\n" not in message and store.damage is found.value
        # Adding these articles touches no damaged page and would succeed (it did before the fix).
        with pytest.raises(DatabaseDamaged):
            store.save([pipeline.extract(article(200, "Idlib"))], extractor_version="test")
        for write in (store.upgrade, store.analyze, lambda: store.mark_seen(["0" * 64])):
            with pytest.raises(DatabaseDamaged):
                write()
    connection = sqlite3.connect(db_file)
    assert connection.execute("SELECT count(*) FROM articles WHERE article_key = 'idlib-200'").fetchone() == (0,)


def test_an_error_the_driver_does_not_explain_is_checked_for_damage(db_file, pipeline, monkeypatch):
    """An error that is not SQLite's "malformed" (here a raw driver error, outside SQLAlchemy's wrapping,
    from the fact insert) runs quick_check once: the damage elsewhere in the file is found and named."""
    damage_middle(db_file)

    def failing_insert(connection, *_args) -> None:
        connection.connection.driver_connection.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(store_module, "insert_rows", failing_insert)
    with Store(str(db_file)) as store:
        store.upgrade()
        with pytest.raises(DatabaseDamaged, match="is damaged"):
            store.save([pipeline.extract(article(201, "Idlib"))], extractor_version="test")


def test_a_raw_driver_error_on_a_sound_database_is_a_store_error(db_file, pipeline, monkeypatch):
    def failing_insert(connection, *_args) -> None:
        connection.connection.driver_connection.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(store_module, "insert_rows", failing_insert)
    with Store(str(db_file)) as store:
        store.upgrade()
        with pytest.raises(StoreError, match=f"cannot write to database {db_file}: no such table") as found:
            store.save([pipeline.extract(article(202, "Idlib"))], extractor_version="test")
        assert not isinstance(found.value, DatabaseDamaged) and store.damage is None


@pytest.mark.parametrize(("command", "table"), [("facts", "facts"), ("ingest", "articles")])
def test_cli_names_damaged_pages(db_file, new_articles, command, table):
    damage_table(db_file, table)  # a table the command reads
    args = ["facts"] if command == "facts" else ["ingest", new_articles]
    result = cli(*args, "--db", db_file)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"database {db_file} is damaged" in line and ".recover" in line and "backup" in line


def test_the_installed_command_names_damaged_pages(db_file, new_articles):
    """Through `main`, where an error nothing else catches is "unexpected error, please report"."""
    damage_table(db_file, "articles")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-m", "warmonitor.cli", "ingest", str(new_articles), "--db", str(db_file)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "unexpected" not in done.stderr
    assert f"database {db_file} is damaged" in done.stderr


# -- a file that is not a database -----------------------------------------------------------------------

def test_a_file_that_is_not_a_database_is_refused_on_open(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list: bread, milk\n" * 50, encoding="utf-8")
    with pytest.raises(DatabaseDamaged, match=f"{path} is not a SQLite database"):
        Store(str(path))
    for command in ("facts", "ingest"):
        args = ["facts"] if command == "facts" else ["ingest", tmp_path / "missing.txt"]
        result = cli(*args, "--db", path)
        assert result.exit_code == 2
        assert "is not a SQLite database" in one_line_error(result) and "--db" in result.output
    assert path.read_text(encoding="utf-8").startswith("shopping list")


def test_an_empty_file_is_a_new_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store(str(path)) as store:
        store.upgrade()
        assert store.counts()["articles"] == 0


# -- a full disk -----------------------------------------------------------------------------------------

def test_a_full_disk_is_named(db_file, pipeline, monkeypatch):
    on_connect(monkeypatch, no_growth)
    with Store(str(db_file)) as store:
        store.upgrade()
        with pytest.raises(DiskFull) as found:
            store.save(pipeline.extract_many([article(300 + i, "Idlib", 40) for i in range(6)]),
                       extractor_version="test")
        assert f"cannot write to database {db_file}: its disk is full" in str(found.value)
        assert "free space" in str(found.value) and store.damage is None
        assert store.counts()["articles"] == 30  # the failed batch is rolled back; reading goes on


def test_cli_names_a_full_disk(db_file, new_articles, monkeypatch):
    on_connect(monkeypatch, no_growth)
    result = cli("ingest", new_articles, "--db", db_file)
    assert result.exit_code == 2
    assert "its disk is full" in one_line_error(result) and "free space" in result.output
    assert cli("facts", "--db", db_file, "-f", "jsonl").exit_code == 0


# -- a read-only database --------------------------------------------------------------------------------

def test_a_read_only_database_is_named_and_may_be_read(db_file, pipeline, monkeypatch):
    on_connect(monkeypatch, read_only)
    with Store(str(db_file)) as store:
        store.upgrade()  # at its revision already: nothing to write
        assert len(store.facts(limit=5)) == 5
        with pytest.raises(ReadOnlyDatabase, match=f"cannot write to database {db_file}: it is read-only"):
            store.save([pipeline.extract(article(400, "Idlib"))], extractor_version="test")
        assert store.damage is None


def test_cli_names_a_read_only_database(db_file, new_articles, monkeypatch):
    on_connect(monkeypatch, read_only)
    result = cli("ingest", new_articles, "--db", db_file)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "it is read-only" in line and "folder" in line and "--db" in line
    assert cli("facts", "--db", db_file, "-f", "jsonl").exit_code == 0


def test_a_read_only_uri_opens(db_file):
    """A `file:` URI (`?mode=ro`) names a file like a path does."""
    with Store(f"sqlite:///file:{db_file}?mode=ro&uri=true", create=False) as store:
        assert store.counts()["articles"] == 30


# -- the API ---------------------------------------------------------------------------------------------

def client_for(db_file: Path) -> TestClient:
    store = Store(str(db_file))
    return TestClient(create_app(ServeSettings(db=store.url, snapshot=False), store=store))


def test_api_answers_503_json_for_damaged_pages_and_stays_so(db_file):
    damage_middle(db_file)
    with client_for(db_file) as client:
        answers = [client.get("/api/facts", params={"limit": 500}) for _ in range(2)]
        answers.append(client.get("/api/articles/ariha-0"))
        for answer in answers:
            assert answer.status_code == 503 and answer.headers["content-type"].startswith("application/json")
            assert "damaged" in answer.json()["detail"]
        assert client.app.state.wm.store.damage is not None


def test_api_answers_503_json_when_a_review_cannot_be_written(db_file, monkeypatch):
    from sqlalchemy.orm import Session

    from warmonitor.serve import accounts

    with Store(str(db_file)) as store, Session(store.engine) as session, session.begin():
        accounts.add_user(session, "ana", "correct horse battery", "analyst")
        token = accounts.new_token(session, "ana", "tests")
    on_connect(monkeypatch, read_only)
    with client_for(db_file) as client:
        fact = client.get("/api/facts", params={"limit": 1}).json()["facts"][0]
        answer = client.post(f"/api/facts/{fact['id']}/review", json={"action": "confirm", "reason": "checked"},
                             headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 503 and answer.json() == {"detail": "the database is read-only; "
                                                                         "changes cannot be saved"}


# -- PostgreSQL ------------------------------------------------------------------------------------------

@pytest.fixture
def pg_store(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL case")
    with Store(db_url) as store:
        store.upgrade()
        yield store


def test_an_error_inside_copy_is_a_store_error(pg_store, pipeline):
    """The facts go in through psycopg's COPY, outside SQLAlchemy's wrapping of driver errors."""
    with pg_store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE facts ADD CONSTRAINT few_killed CHECK (count_best < 5)")
    with pytest.raises(StoreError, match=r"cannot write to database postgresql\+psycopg://.*few_killed") as found:
        pg_store.save([pipeline.extract(article(7, "Idlib"))], extractor_version="test")
    assert "\n" not in str(found.value) and pg_store.damage is None
    assert pg_store.counts()["articles"] == 0


def test_a_read_only_postgresql_database_is_named(pg_store, pipeline):
    from sqlalchemy import event

    @event.listens_for(pg_store.engine, "connect")
    def read_only_sessions(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
        dbapi_connection.commit()

    pg_store.engine.dispose()
    with pytest.raises(ReadOnlyDatabase, match="it is read-only"):
        pg_store.save([pipeline.extract(article(8, "Idlib"))], extractor_version="test")


def test_main_names_a_store_error_no_command_caught(monkeypatch, capsys):
    """The last resort in `main` tells the store's errors from bugs: status 2 and the store's line."""
    import warmonitor.cli as cli_package

    def failing_app() -> None:
        raise DiskFull("cannot write to database /data/w.db: its disk is full (database or disk is full); "
                       "free space on that disk and run again")

    monkeypatch.setattr(cli_package, "app", failing_app)
    with pytest.raises(SystemExit) as ended:
        cli_package.main()
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("warmonitor: cannot write to database /data/w.db: its disk is full") and "unexpected" not in err
