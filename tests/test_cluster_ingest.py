"""`warmonitor ingest --dask` (issue 13, "A cluster"): an archive (a folder, a .jsonl.gz shard, a Parquet
file) extracted on a LocalCluster of two worker processes stores exactly what a single-process ingest
stores; a worker killed mid-run loses and duplicates nothing; a re-run resumes from the manifest.

One LocalCluster serves the whole module (each worker loads the language data once, in its plugin)."""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from typer.testing import CliRunner

from warmonitor.cli import app
from warmonitor.read import iter_articles
from warmonitor.store import Store
from warmonitor.store.schema import FactRow
from warmonitor.usecases.ingest import ingest_inputs

distributed = pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from warmonitor.usecases.cluster import TASK_PREFIX, cluster_ingest  # noqa: E402  (needs dask)

# Written for this test: (id, published, text). The folder's files are named by id.
FOLDER = [
    ("kh-0112", "2026-01-12", "Two civilians were killed and five wounded when shelling hit a market in Kharkiv "
                              "on Monday, regional officials said."),
    ("id-0203", "2026-02-03", "An air strike on a village near Idlib killed seven people, including three "
                              "children, the civil defence said on Tuesday."),
    ("fa-0220", "2026-02-20", "Fighting in El Fasher forced 3,000 families to flee their homes this week, the "
                              "United Nations said."),
    ("sa-0306", "2026-03-06", "A drone attack in Sagaing killed four villagers on Friday, local residents said."),
    ("be-0315", "2026-03-15", "Gunmen killed 12 people in an attack on a displacement camp near Beni, the army "
                              "said on Sunday."),
]
SHARD = [  # a new version of a folder article (same id, its toll risen), then articles of its own
    ("kh-0112", "2026-01-12", "Three civilians were killed and five wounded when shelling hit a market in "
                              "Kharkiv on Monday, regional officials said, raising the toll."),
    ("ho-0225", "2026-02-25", "Clashes near Hodeidah killed nine fighters on Wednesday, a military source said."),
    ("kh-0304", "2026-03-04", "A missile strike on Kharkiv wounded 14 people on Wednesday, the mayor said."),
]
PARQUET = [  # the second row repeats a folder article's text under another id; the third has no text
    ("gz-0203", "2026-02-03", "Israeli strikes on Khan Younis killed 18 people on Monday, the health ministry said."),
    ("copy-sa", "2026-03-06", FOLDER[3][2]),
    ("empty", "2026-03-07", ""),
    ("ku-0128", "2026-01-28", "Russian shelling of Kupiansk killed a man and wounded two women, the governor said."),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("archive")
    folder = root / "reports"
    folder.mkdir()
    for key, day, body in FOLDER:
        (folder / f"{key}.txt").write_text(body, encoding="utf-8")
        (folder / f"{key}.meta.json").write_text(json.dumps({"published": day, "outlet": "Wire"}), encoding="utf-8")
    with gzip.open(root / "shard.jsonl.gz", "wt", encoding="utf-8") as handle:
        for key, day, body in SHARD:
            handle.write(json.dumps({"id": key, "published": day, "text": body}) + "\n")
    pq.write_table(pa.table({"id": [r[0] for r in PARQUET], "published": [r[1] for r in PARQUET],
                             "text": [r[2] for r in PARQUET]}), root / "articles.parquet", row_group_size=2)
    return [str(folder), str(root / "shard.jsonl.gz"), str(root / "articles.parquet")]


@pytest.fixture(scope="module")
def client():
    """One LocalCluster of two worker processes, one thread each, for the whole module."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the kill plugin below, on the workers
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.fixture(scope="module")
def reference(archive, tmp_path_factory):
    """What a single-process `warmonitor ingest` of the archive stores (SQLite)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('single') / 'single.db'}"
    with Store(url) as store:
        store.upgrade()
        ingest_inputs(store, archive)
    return snapshot(url)


def snapshot(url: str) -> dict[str, list]:
    """Every stored row that a user or the server sees, without row ids and times, comparable across backends."""
    facts = [c.name for c in FactRow.__table__.columns if c.name not in ("id", "article_id")]
    queries = {
        "articles": "SELECT article_key, content_hash, canonical_url, outlet, title, published, language, text, "
                    "version, is_current, source FROM articles",
        "facts": f"SELECT a.article_key, {', '.join('f.' + c for c in facts)} FROM facts f "
                 "JOIN articles a ON a.id = f.article_id",
        "places": "SELECT * FROM places",
        "actors": "SELECT * FROM actors",
        "incidents": "SELECT i.incident_id, a.article_key FROM incident_articles i JOIN articles a ON a.id = i.article_id",
    }
    with Store(url, create=False) as store, store.engine.connect() as connection:
        found = {name: [tuple(_plain(v) for v in row) for row in connection.execute(sql(query))]
                 for name, query in queries.items()}
    groups: dict = {}
    for incident, key in found.pop("incidents"):
        groups.setdefault(incident, set()).add(key)
    found["incidents"] = sorted(sorted(keys) for keys in groups.values())
    return {name: sorted(rows, key=repr) for name, rows in found.items()}


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def run_cluster(client, url: str, inputs: list[str], out: Path):
    with Store(url) as store:
        store.upgrade()
        return cluster_ingest(store, inputs, client=client, out=out, files_per_partition=2, rows_per_partition=2)


def test_the_archive_is_read_as_ingest_reads_it(archive):
    """The Parquet rows are articles like JSON Lines lines: STEM-ROW ids where none is given, path:ROW sources."""
    items = list(iter_articles([archive[2]]))
    assert [getattr(i, "id", None) for i in items] == ["gz-0203", "copy-sa", None, "ku-0128"]
    assert items[2].message == (f"{archive[2]}:3: no article text (the \"text\" column is empty); add the text "
                                "or remove the row")
    assert items[3].source == f"{archive[2]}:4" and items[3].published == "2026-01-28"


def test_a_cluster_ingest_stores_what_a_single_process_ingest_stores(client, archive, reference, db_url, tmp_path):
    out = tmp_path / "out"
    summary = run_cluster(client, db_url, archive, out)
    assert snapshot(db_url) == reference
    # 10 rows: 5 files, kh-0112's second version (the first kept, not current), 2 + 2 more; copy-sa is unchanged
    assert len(reference["articles"]) == 10 and sum(1 for row in reference["articles"] if not row[9]) == 1
    # folder: 5 files in 3 partitions of 2; the shard: 1; the Parquet file's 4 rows: 2
    assert (summary.partitions, summary.partitions_extracted, summary.partitions_loaded) == (6, 6, 6)
    assert (summary.read, summary.new, summary.updated, summary.unchanged) == (11, 9, 1, 1)
    assert summary.skipped == [(f"{archive[2]}:3", f"{archive[2]}:3: no article text (the \"text\" column is "
                                                   "empty); add the text or remove the row")]
    facts = pq.read_table(out / "facts", partitioning="hive").to_pydict()
    assert sorted(set(facts["filed_country"])) == ["CD", "MM", "PS", "SD", "SY", "UA", "YE"]
    assert {(c, m) for c, m in zip(facts["filed_country"], facts["filed_month"])} >= {("UA", "2026-01"), ("SY", "2026-02")}


class KillOnce(distributed.WorkerPlugin):
    """Ends its worker's process (as a crash or an out-of-memory kill would) the first time one of
    warmonitor's extract tasks has finished on it, across all workers and restarts (a flag file says so),
    after removing the extracted markers: the retry finds a partition's Parquet files written and its
    marker missing, as when a worker dies while writing them, and its result never reached the client."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "memory" or not str(key).startswith(TASK_PREFIX):
            return
        try:
            os.close(os.open(os.path.join(self.folder, "killed"), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        for marker in Path(self.folder, "out", "extracted").glob("*.json"):
            marker.unlink()
        os._exit(1)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(client, archive, reference, tmp_path):
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    client.register_plugin(KillOnce(str(tmp_path)), name="kill-once")
    try:
        summary = run_cluster(client, url, archive, tmp_path / "out")
    finally:
        client.unregister_worker_plugin("kill-once")
    assert (tmp_path / "killed").exists()  # the kill happened
    assert snapshot(url) == reference
    assert (summary.partitions_loaded, summary.new, summary.updated, len(summary.skipped)) == (6, 9, 1, 1)
    client.wait_for_workers(2, timeout=120)


def test_a_rerun_resumes_from_the_manifest(client, archive, reference, tmp_path):
    url, out = f"sqlite:///{tmp_path / 'resumed.db'}", tmp_path / "out"
    run_cluster(client, url, archive, out)
    again = run_cluster(client, url, archive, out)
    assert (again.partitions_done_before, again.partitions_extracted, again.partitions_loaded, again.read) == (6, 0, 0, 0)
    # a crash after the last two loads committed, before their manifest lines, with one's marker gone too
    manifest = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "manifest.jsonl").write_text("\n".join(manifest[:-2]) + "\n", encoding="utf-8")
    (out / "extracted" / f"{json.loads(manifest[-1])['partition']}.json").unlink()
    resumed = run_cluster(client, url, archive, out)
    assert (resumed.partitions_done_before, resumed.partitions_extracted, resumed.partitions_loaded) == (4, 1, 2)
    assert (resumed.new, resumed.updated) == (0, 0)  # loaded again: nothing stored twice
    assert snapshot(url) == reference


def test_without_dask_the_option_is_one_line(archive, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "w.db"), "--dask", "local:2",
                                      "--out", str(tmp_path / "out"), archive[1]])
    assert result.exit_code == 2
    assert result.output == "warmonitor: --dask needs dask.distributed: pip install 'warmonitor[dask]'\n"


def test_standard_input_and_urls_are_refused_with_dask(tmp_path):
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "w.db"), "--dask", "local:1",
                                      "https://example.org/feed"])
    assert result.exit_code == 2
    assert result.output == ("warmonitor: https://example.org/feed: --dask reads files and folders (shards, "
                             "Parquet), not standard input or URLs; ingest those without --dask\n")


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path):
    from warmonitor.read.archives import partition_inputs

    (tmp_path / "report.txt").write_text(FOLDER[0][2], encoding="utf-8")
    (tmp_path / "out" / "earlier").mkdir(parents=True)
    (tmp_path / "out" / "earlier" / "report.txt").write_text(FOLDER[1][2], encoding="utf-8")
    found = partition_inputs([str(tmp_path)], leave_out=str(tmp_path / "out"))
    assert [p.paths for p in found] == [(str(tmp_path / "report.txt"),)]
