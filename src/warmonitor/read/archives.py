"""Archives cut into partitions: the units of work a cluster extracts (`warmonitor ingest --dask`).

A `.jsonl`/`.jsonl.gz` shard is one partition, a Parquet file one per `rows` rows (read/parquet.py), and
the other files of a folder (`.txt`, `.html`) go in partitions of `files` files, in the order a folder is
read (read/__init__.py: names sorted, hidden entries and links out of the folder left out), so that the
partitions, taken in order, give the articles in the order `warmonitor ingest` reads them.

A partition's id is a digest of what it reads: the paths, each file's size and modification time, and
the row slice. It names the partition's output files and its line in the manifest (usecases/cluster.py):
a re-run over the same files finds the same ids and skips what is done, and a file changed since is a
new partition.
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from warmonitor.model import Article, ReadError
from warmonitor.read import iter_articles, reader_for
from warmonitor.read.common import Options, normalise_date
from warmonitor.read.parquet import SUFFIX as PARQUET, parquet_row_count, read_parquet

SHARDS = (".jsonl", ".jsonl.gz", PARQUET)  # files that are partitions of their own


@dataclass(frozen=True)
class Partition:
    """One unit of work: files read in order (`paths`), or rows `rows` (start, stop) of one Parquet file."""

    id: str
    paths: tuple[str, ...]
    rows: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        """What the partition holds, for messages: a file, a file's rows, or the first file and how many."""
        if self.rows is not None:
            return f"{self.paths[0]} rows {self.rows[0] + 1}-{self.rows[1]}"
        if len(self.paths) == 1:
            return self.paths[0]
        return f"{self.paths[0]} and {len(self.paths) - 1} more files"


def partition_inputs(inputs: list[str], *, files: int = 200, rows: int = 50_000,
                     leave_out: str | None = None) -> list[Partition]:
    """The partitions of `inputs` (files and folders), in input order. A path that cannot be read is a
    partition of its own: reading it gives its one-line error, as `ingest` would. Files under the folder
    `leave_out` (a cluster run's output folder inside an input folder) are not read."""
    if files < 1 or rows < 1:
        raise ValueError("partitions need at least one file and one row each")
    out: list[Partition] = []
    for path in inputs:
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            is_dir = False
        if not is_dir:
            out += _file_partitions([path], rows)
            continue
        group: list[str] = []
        skip = {os.path.realpath(leave_out)} if leave_out else set()
        for found in _folder_files(path, os.path.realpath(path), skip):
            if found.lower().endswith(SHARDS):
                if group:
                    out.append(_partition(group))
                    group = []
                out += _file_partitions([found], rows)
            else:
                group.append(found)
                if len(group) >= files:
                    out.append(_partition(group))
                    group = []
        if group:
            out.append(_partition(group))
    return out


def read_partition(partition: Partition, *, published: str | None = None, outlet: str | None = None
                   ) -> Iterator[Article | ReadError]:
    """The articles of one partition, as `iter_articles` gives them (errors as one-line `ReadError`s).
    `published` (checked by the caller) and `outlet` fill in articles that lack them."""
    if partition.rows is None:
        yield from iter_articles(list(partition.paths), published=published, outlet=outlet)
        return
    path = partition.paths[0]
    opts = Options(published=normalise_date(published) if published else None, outlet=(outlet or "").strip() or None)
    try:
        yield from read_parquet(path, opts, partition.rows)
    except Exception as exc:  # noqa: BLE001 - a last safety net, as iter_articles has
        yield ReadError(path, f"{path}: could not be read ({type(exc).__name__}: {exc}); check the file")


def _file_partitions(paths: list[str], rows: int) -> list[Partition]:
    path = paths[0]
    if not path.lower().endswith(PARQUET):
        return [_partition(paths)]
    try:
        total = parquet_row_count(path)
    except Exception:  # unreadable, or no pyarrow: one partition, whose reading names the problem
        return [_partition(paths)]
    return [_partition(paths, (start, min(start + rows, total))) for start in range(0, total, rows)] or [
        _partition(paths)]


def _partition(paths: list[str], rows: tuple[int, int] | None = None) -> Partition:
    digest = hashlib.sha256()
    for path in paths:
        try:
            info = os.stat(path)
            seen = f"{info.st_size}:{info.st_mtime_ns}"
        except (OSError, ValueError):
            seen = "missing"
        digest.update(f"{os.path.abspath(path)}\0{seen}\0".encode("utf-8", "surrogateescape"))
    digest.update(repr(rows).encode())
    return Partition(digest.hexdigest()[:20], tuple(paths), rows)


def _folder_files(folder: str, root: str, seen: set[str]) -> Iterator[str]:
    """The readable files under `folder` in the order `iter_articles` reads them; a link out of `root` and
    an unreadable folder are left to `iter_articles`, which names them (they come as their own paths)."""
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted((entry for entry in scan if not entry.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        yield folder
        return
    for entry in entries:
        if entry.is_symlink() and os.path.commonpath([root, os.path.realpath(entry.path)]) != root:
            continue  # ingest names it as not followed; the cluster leaves it out the same way, unread
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _folder_files(entry.path, root, seen)
        elif reader_for(entry.name) is not None:
            yield entry.path
