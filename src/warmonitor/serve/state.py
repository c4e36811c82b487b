"""`AppState`: what one app holds on `app.state.wm` — the store, the settings, the facts' arrays, kept
answers and, loaded on first use, the gazetteer for place corrections.

On the app, never in a module, so that several apps (tests, workers) run side by side.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from sqlalchemy.orm import Session

from ..resolve.gazetteer import Gazetteer
from ..store import Store
from ..store.engine import one_line
from ..store.review import facts_version
from .login_limits import LoginLimits, PasswordGate
from .settings import ServeSettings
from .snapshot import FactSnapshot

log = logging.getLogger(__name__)


class AppState:
    """What one app holds: the store and, loaded on first use, the facts' arrays and the gazetteer."""

    CACHE_SIZE = 256
    REBUILD_PAUSE = 3.0

    def __init__(self, settings: ServeSettings, store: Store):
        self.settings = settings
        self.store = store
        self._gazetteer: Gazetteer | None = None
        self._lock = threading.Lock()
        self._answers: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._snapshot_lock = threading.Lock()
        self._snapshot: tuple[int, FactSnapshot] | None = None
        self._builder: threading.Thread | None = None
        self._next_build = 0.0  # time.monotonic() from which a background build may start
        self.limit_logins(LoginLimits())

    def limit_logins(self, limits: LoginLimits) -> None:
        """The failed-login limits and the bound on password hashing (`login_limits`), per app."""
        self.login_limits = limits
        self.password_gate = PasswordGate(limits.hash_slots, limits.hash_wait_s)

    def snapshot(self, session: Session) -> FactSnapshot | None:
        """The facts' arrays of the current facts version, or None: answer from SQL (the same answers,
        tests/test_serve_snapshot.py) while new arrays are built in the background after a write, or
        always when the settings say so. Building takes about 1.5 s at 100,000 facts: a request that
        waited for it would be the slowest one of the day."""
        if not self.settings.snapshot:
            return None
        version = facts_version(session)
        with self._snapshot_lock:
            if self._snapshot is not None and self._snapshot[0] == version:
                return self._snapshot[1]
            self._snapshot = None  # out of date: its memory can go before the next one is built
            idle = self._builder is None or not self._builder.is_alive()
            if idle and time.monotonic() >= self._next_build:
                self._start_builder()
        return None

    def _start_builder(self) -> None:  # with _snapshot_lock held
        self._builder = threading.Thread(target=self.build_snapshot, name="warmonitor-arrays", daemon=True)
        self._builder.start()

    def build_snapshot(self) -> None:
        """Build the arrays for the current facts version, in this thread. The next build in the background
        waits `REBUILD_PAUSE` times as long as this one took: while a long ingest writes batch after batch,
        rebuilding takes at most a quarter of a core, and SQL answers in between."""
        began = time.monotonic()
        try:
            with Session(self.store.engine) as session:
                version = facts_version(session)  # read before the rows: a write in between costs a rebuild
                built = FactSnapshot.load(session)
        except Exception as exc:  # the requests go on from SQL; the next one tries again
            log.warning("warmonitor: could not hold the facts in memory: %s", one_line(exc))
            return
        finally:
            ended = time.monotonic()
            self._next_build = ended + self.REBUILD_PAUSE * (ended - began)
        with self._snapshot_lock:
            if self._snapshot is None or self._snapshot[0] < version:
                self._snapshot = (version, built)

    def start(self) -> None:
        """At startup: build the arrays before the first requests need them."""
        if self.settings.snapshot:
            with self._snapshot_lock:
                self._start_builder()

    def stop(self) -> None:
        builder = self._builder
        if builder is not None:
            builder.join(timeout=60)

    def cached(self, key: Any, session: Session, compute: Callable[[], Any]) -> Any:
        """`compute()`'s answer, kept until the stored facts or reviews change (`store.review.facts_version`):
        aggregates and the map scan every fact, and most requests repeat a few views."""
        version = facts_version(session)
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None and hit[0] == version:
                self._answers.move_to_end(key)
                return hit[1]
        answer = compute()
        with self._lock:
            self._answers[key] = (version, answer)
            while len(self._answers) > self.CACHE_SIZE:
                self._answers.popitem(last=False)
        return answer

    def gazetteer(self) -> Gazetteer:
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = Gazetteer()
            return self._gazetteer

    def find_place(self, name: str) -> dict[str, Any] | None:
        """The place record for a name an analyst typed as a correction (`store.review.normalise_changes`),
        or None when the gazetteer has no coordinates for it."""
        return named_place(self.gazetteer(), name)


# A name typed alone says nothing of "near" or "part of": its precision is the kind of place it names.
# Not `resolve.places.base_precision`, which gives districts, curated regions, areas and roads other
# values; corrections keep the precisions they have always had.
CORRECTION_PRECISION = MappingProxyType({"country": 3, "admin1": 3, "admin2": 2})


def named_place(gazetteer: Gazetteer, name: str) -> dict[str, Any] | None:
    """The gazetteer's likeliest place for `name` as a place record, named like the extractor's
    (`gazetteer_name`), or None when it has no coordinates."""
    place = gazetteer.resolve(name)
    if place is None or place.lat is None:
        return None
    record = place.to_record(CORRECTION_PRECISION.get(place.kind, 1), text=name)
    record["gazetteer_name"] = place.name
    return record
