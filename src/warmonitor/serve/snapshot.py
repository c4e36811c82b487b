"""The facts' filter and sort columns held in memory as arrays, so that lists, totals and aggregates
cost a few milliseconds whatever the filters.

Why: a dashboard asks for many different filter sets (every window, place and sort), so kept answers
rarely repeat, and in SQL each new one scans and sorts thousands of index entries, counts them again
for the total, and groups them by article for the sums (20-100 ms each at 100,000 facts, see
docs/api.md, Speed). The same work over numpy arrays is a few boolean passes. Only the page's records
are then read from the database.

The snapshot answers exactly what `store.query.fact_conditions` and the SQL of `api_facts`/`api_stats`
answer (a test compares both on random filter sets, on SQLite and PostgreSQL); names are folded with
Python's `lower()`, which folds all of Unicode where SQLite's `lower()` folds ASCII only. It belongs to
one facts version (`store.review.facts_version`): after any write the app answers from SQL until it has
built a new one in the background (`serve.state.AppState.snapshot`). Memory: the arrays and the folded
evidence take about 40 MB at 100,000 facts; a server process holds about 1 KB a fact in all.

Sums are int64 and cannot wrap: as in `api_stats`, only figures up to `model.MAX_PLAUSIBLE_COUNT` are
added (rows stored before the bound may hold more), so a cell's sum is at most its facts x 9e9, below
2**63 for up to a billion facts. count_best is held as float64 for sorting and NaN (NULL); a figure
under the bound is exact in it (below 2**53).
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from ..model import MAX_PLAUSIBLE_COUNT
from ..store.fact_filters import fact_tests
from ..store.schema import FactRow

COLUMNS = ("id", "article_id", "type", "outcome", "count_best", "confidence", "review_state", "day", "day_start",
           "span_days", "place_name", "place_geonameid", "admin1", "country", "actors", "claimants", "victims",
           "search_text")
CATEGORICAL = ("type", "outcome", "review_state", "place_name", "admin1", "country", "actors", "claimants",
               "victims")
NUMERIC = ("id", "article_id", "count_best", "confidence", "day", "day_start", "span_days", "place_geonameid")
SORT_KEYS = MappingProxyType({"date": "day", "count": "count_best", "confidence": "confidence", "id": "id"})
MAX_SPAN_DAYS = 31  # tolls over longer spans stay out of timelines (api_stats)
Q_CACHE = 128
KEPT_MASK_VALUES, KEPT_MASKS = 16, 64  # masks kept for columns of at most 16 distinct values


class Categorical:
    """A text column as integer codes into its distinct values: a test on the values is a lookup table."""

    def __init__(self, chunks: Iterable[Sequence[str | None]]):
        index: dict[str | None, int] = {}
        codes = [np.fromiter((index.setdefault(v, len(index)) for v in chunk), dtype=np.int32, count=len(chunk))
                 for chunk in chunks]
        self.codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
        self.values: list[str | None] = list(index)
        self._index = index
        self._folded: dict[str, list[int]] | None = None
        self._names: dict[str, list[int]] | None = None
        self._masks: dict[tuple[int, ...], np.ndarray] = {}

    def where(self, test: Callable[[str], bool]) -> np.ndarray:
        """Rows whose value is not NULL and passes `test`."""
        table = np.fromiter((v is not None and test(v) for v in self.values), dtype=bool, count=len(self.values))
        return table[self.codes]

    def rows(self, codes: Sequence[int]) -> np.ndarray:
        """Rows whose code is one of `codes`. Read-only: masks of few-valued columns (type, review state)
        are kept and shared between requests."""
        wanted = tuple(sorted(set(codes)))
        found = self._masks.get(wanted)
        if found is None:
            if not wanted:
                found = np.zeros(self.codes.size, dtype=bool)
            elif len(wanted) == 1:
                found = self.codes == wanted[0]
            else:
                table = np.zeros(len(self.values), dtype=bool)
                table[list(wanted)] = True
                found = table[self.codes]
            found.flags.writeable = False
            if len(self.values) <= KEPT_MASK_VALUES and len(self._masks) < KEPT_MASKS:
                self._masks[wanted] = found
        return found

    def equal(self, *values: str) -> np.ndarray:
        """Rows whose value is one of `values`."""
        return self.rows([self._index[v] for v in set(values) if v in self._index])

    def equal_folded(self, folded: str) -> np.ndarray:
        """Rows whose value, lower-cased, is `folded` (the index of folded values is built on first use)."""
        if self._folded is None:
            index: dict[str, list[int]] = {}
            for code, value in enumerate(self.values):
                if value is not None:
                    index.setdefault(value.lower(), []).append(code)
            self._folded = index
        return self.rows(self._folded.get(folded, []))

    def has_name(self, name: str) -> np.ndarray:
        """Rows whose ";"-joined names, folded, hold `name` (`store.query.has_name`)."""
        needle = name.strip().lower()
        if ";" in needle:  # a needle spanning several names: the substring test itself
            joined = ";" + needle + ";"
            return self.where(lambda v: joined in ";" + v.lower() + ";")
        if self._names is None:
            index: dict[str, list[int]] = {}
            for code, value in enumerate(self.values):
                if value is not None:
                    for part in set(value.lower().split(";")):
                        index.setdefault(part, []).append(code)
            self._names = index
        return self.rows(self._names.get(needle, []))

    def is_null(self) -> np.ndarray:
        return self.rows([self._index[None]] if None in self._index else [])


class FactSnapshot:
    """One facts version's columns. Build with `FactSnapshot.load(session)`."""

    def __init__(self, chunks: Iterable[Sequence[Sequence[Any]]]):
        """`chunks`: lists of rows (values in `COLUMNS` order). Taken a chunk at a time, so that only the
        arrays and the distinct names stay: all rows as Python objects at once would take several times
        the memory the snapshot keeps."""
        parts: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        texts: list[bytes] = []
        for chunk in chunks:
            if not chunk:
                continue
            for name, values in zip(COLUMNS, zip(*chunk)):
                if name == "search_text":
                    texts.extend((t or "").encode("utf-8") for t in values)  # one byte a letter, mostly
                elif name in CATEGORICAL:
                    parts[name].append(values)
                elif name in ("day", "day_start"):
                    parts[name].append(np.array([_iso(d) for d in values], dtype="datetime64[D]"))
                elif name in ("id", "article_id"):
                    parts[name].append(np.array(values, dtype=np.int64))
                else:
                    parts[name].append(_numbers(values))
        self.size = len(texts)
        self.text = {name: Categorical(parts.pop(name)) for name in CATEGORICAL}
        joined = {name: _joined(chunks, name) for name, chunks in parts.items() if name != "search_text"}
        self.id, self.article_id = joined["id"], joined["article_id"]
        self.count_best, self.confidence = joined["count_best"], joined["confidence"]
        self.span_days, self.place_geonameid = joined["span_days"], joined["place_geonameid"]
        self.day, self.day_start = joined["day"], joined["day_start"]
        # One string with a NUL between facts (filters refuse control characters, so no word spans two facts).
        self._search = b"\x00".join(texts)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        self._starts = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64) if texts else np.zeros(0, dtype=np.int64)
        self._lock = threading.Lock()
        self._orders: dict[str, np.ndarray] = {}
        self._words: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def load(cls, session: Session, chunk_size: int = 20_000) -> FactSnapshot:
        # The driver's own rows: SQLAlchemy's per-value processing (dates on SQLite) would take longer than the rest.
        sql = f"SELECT {', '.join(COLUMNS)} FROM {FactRow.__tablename__} ORDER BY id"
        result = session.connection().exec_driver_sql(sql)
        return cls(iter(lambda: result.fetchmany(chunk_size), []))

    # -- filters ----------------------------------------------------------------------------------

    def mask(self, **values: Any) -> np.ndarray:
        """The rows that pass every filter given a value (`store.fact_filters.FACT_FILTERS`), over the arrays."""
        keep = np.ones(self.size, dtype=bool)
        for rows in fact_tests(ArrayTests(self), values):
            keep &= rows
        return keep

    def containing(self, word: str) -> np.ndarray:
        """Rows whose folded evidence contains `word` (kept for the next request with the same word)."""
        with self._lock:
            found = self._words.get(word)
            if found is not None:
                self._words.move_to_end(word)
                return found
        found = np.zeros(self.size, dtype=bool)
        if word and self.size:
            # Each match runs on to the end of its fact: one match per fact, even for "a" or "to".
            pattern = re.compile(re.escape(word.encode("utf-8")) + b"[^\x00]*")
            at = np.fromiter((m.start() for m in pattern.finditer(self._search)), dtype=np.int64)
            found[np.searchsorted(self._starts, at, side="right") - 1] = True
        found.flags.writeable = False  # shared by the requests that search for the same word
        with self._lock:
            self._words[word] = found
            while len(self._words) > Q_CACHE:
                self._words.popitem(last=False)
        return found

    # -- lists ------------------------------------------------------------------------------------

    def page(self, keep: np.ndarray, sort: str, offset: int, limit: int) -> list[int]:
        """Fact ids of one page, in `api_facts` order: the sort key with NULLs last, then id."""
        order = self._order(sort)
        chosen = order[keep[order]]
        return [int(i) for i in self.id[chosen[offset:offset + limit]]]

    def _order(self, sort: str) -> np.ndarray:
        with self._lock:
            found = self._orders.get(sort)
        if found is not None:
            return found
        name = SORT_KEYS[sort.lstrip("-")]
        if name == "id":
            values, missing = self.id, np.zeros(self.size, dtype=bool)
        elif name == "day":
            values, missing = self.day.astype(np.int64), np.isnat(self.day)
        else:
            values = self.count_best if name == "count_best" else self.confidence
            missing = np.isnan(values)
        filled = np.where(missing, 0, values)
        if sort.startswith("-"):
            found = np.lexsort((-self.id, -filled, missing))
        else:
            found = np.lexsort((self.id, filled, missing))
        with self._lock:
            self._orders[sort] = found
        return found

    # -- aggregates -------------------------------------------------------------------------------

    def aggregate(self, keep: np.ndarray, measure: str, interval: str, by: str) -> list[tuple[str, str | None, int, int]]:
        """(period, group, value, facts) rows as `api_stats.aggregate_rows` selects them: per article, period
        and group the largest figure and the number of facts; then summed over articles. Periods ascend."""
        types, outcomes = self.text["type"], self.text["outcome"]
        if measure == "displaced":
            keep = keep & types.equal("displacement")
        else:
            keep = keep & types.equal("casualty") & outcomes.equal(measure)
        keep &= (self.count_best <= MAX_PLAUSIBLE_COUNT) & ~np.isnat(self.day)  # NaN (NULL) fails it too
        keep &= np.isnan(self.span_days) | (self.span_days <= MAX_SPAN_DAYS)
        rows = np.flatnonzero(keep)
        if not rows.size:
            return []
        period = _bucket(self.day[rows], interval)
        if by == "none":
            group_codes, group_values = np.zeros(rows.size, dtype=np.int64), ["all"]
        else:
            column = self.text[{"admin1": "admin1", "country": "country", "perpetrator": "actors",
                                "victims": "victims"}[by]]
            group_codes, group_values = column.codes[rows].astype(np.int64), column.values
        period_days = period.astype(np.int64)
        first = int(period_days.min())
        periods, groups = int(period_days.max()) - first + 1, len(group_values)
        cell = (period_days - first) * groups + group_codes  # one number per (period, group)
        articles = self.article_id[rows]
        if int(articles.max()) < np.iinfo(np.int64).max // (periods * groups):
            key = articles * (periods * groups) + cell
            order = np.argsort(key)  # any order among equal keys will do: max and count follow
            sorted_key = key[order]
            starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        else:  # article ids too large to share one number with the cell
            order = np.lexsort((cell, articles))
            a, c = articles[order], cell[order]
            starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (c[1:] != c[:-1])])
        # Per (article, period, group): the largest value and the number of facts; then summed per cell.
        best = np.maximum.reduceat(self.count_best[rows][order], starts).astype(np.int64)
        facts = np.diff(np.r_[starts, order.size])
        cells, which = np.unique(cell[order][starts], return_inverse=True)
        sums = np.zeros(cells.size, dtype=np.int64)  # exact integers (bincount would add in float64)
        np.add.at(sums, which, best)
        counts = np.bincount(which, weights=facts)
        days = np.datetime_as_string((cells // groups + first).astype("datetime64[D]")).tolist()
        names = [group_values[code] for code in (cells % groups).tolist()]
        return list(zip(days, names, sums.tolist(), counts.astype(np.int64).tolist()))


class ArrayTests:
    """`store.fact_filters.FactTests` over one snapshot's arrays, each test a row mask, answering what
    `store.query.SqlTests` answers: NULLs (None, NaN, NaT) never pass, names are folded."""

    def __init__(self, snapshot: FactSnapshot):
        self.snapshot = snapshot

    def _numbers(self, column: str) -> np.ndarray:
        if column not in NUMERIC:
            raise ValueError(f"{column}: not a numeric or date column of the arrays")
        return getattr(self.snapshot, column)

    def equal(self, column: str, value: Any) -> np.ndarray:
        if column in CATEGORICAL:
            return self.snapshot.text[column].equal(value)
        return self._numbers(column) == value

    def not_equal(self, column: str, value: Any) -> np.ndarray:
        if column in CATEGORICAL:
            names = self.snapshot.text[column]
            return ~(names.equal(value) | names.is_null())
        numbers = self._numbers(column)
        return (numbers != value) & ~_missing(numbers)

    def one_of(self, column: str, values: Sequence[Any], *, or_null: bool = False) -> np.ndarray:
        names = self.snapshot.text[column]
        chosen = names.equal(*values)
        return chosen | names.is_null() if or_null else chosen

    def equal_folded(self, column: str, folded: str) -> np.ndarray:
        return self.snapshot.text[column].equal_folded(folded)

    def has_name(self, column: str, name: str) -> np.ndarray:
        return self.snapshot.text[column].has_name(name)

    def at_least(self, column: str, value: Any) -> np.ndarray:
        return self._numbers(column) >= _comparable(value)  # NaN and NaT compare False: they drop out

    def at_most(self, column: str, value: Any) -> np.ndarray:
        return self._numbers(column) <= _comparable(value)

    def contains(self, column: str, word: str) -> np.ndarray:
        if column != "search_text":
            raise ValueError(f"{column}: only search_text is held for text search")
        return self.snapshot.containing(word)


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return np.datetime64(value.isoformat(), "D")
    return float(value)


def _missing(values: np.ndarray) -> np.ndarray:
    return np.isnat(values) if values.dtype.kind == "M" else np.isnan(values.astype(np.float64))


def _joined(chunks: list[np.ndarray], name: str) -> np.ndarray:
    if chunks:
        return np.concatenate(chunks)
    return np.zeros(0, dtype={"id": np.int64, "article_id": np.int64, "day": "datetime64[D]",
                              "day_start": "datetime64[D]"}.get(name, np.float64))


def _numbers(values: Sequence[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


def _bucket(days: np.ndarray, interval: str) -> np.ndarray:
    """The first day of each day's day, week (Monday) or month (`api_stats.bucket`)."""
    if interval == "day":
        return days
    if interval == "month":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    number = days.astype(np.int64)  # 1970-01-01 was a Thursday: Monday is three days further on
    return (number - (number + 3) % 7).astype("datetime64[D]")
