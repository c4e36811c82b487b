"""What an incident's reports say together (`IncidentState`), kept up to date as reports join it: what
`evidence.score` compares a new report with. Its core (the day(s) and place(s) most of its independent
reports give) is what a report is compared with for day and place, so that one weak link cannot let an
incident spread by chaining (link/linker.py explains why).
"""
from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import defaultdict

import numpy as np

from .evidence import Mention, count_range, km, place_keys, place_point

_ARC_KM = 6371.0 * math.pi / 180  # km per degree of latitude on evidence.km's sphere


class IncidentState:
    """What an incident's reports say together, kept up to date as reports join it."""

    def __init__(self, incident_id: str, order: int):
        self.id = incident_id
        self.order = order
        self.members: list[Mention] = []
        self.days: list[tuple[int, int]] = []
        self._covered: list[int] = []  # the days `days` cover, sorted, each once: `day_gap` bisects it
        self.explicit_day = False
        self.towns: set = set()
        self.areas: set = set()
        self.points: list = []
        self._points: set = set()
        self._by_lat: list = []  # `points` sorted by latitude: `distance_km` looks only at those near
        self.kinds: set = set()
        self.figures: dict[str, list] = defaultdict(list)
        # outcome -> the distinct ranges (count_range) of its figures: `score` compares with each once
        self.ranges: dict[str, dict] = defaultdict(dict)
        self.admin1: set = set()  # the first-level divisions among `areas` ("a:" keys)
        self.causes: set = set()
        self.perpetrators: set = set()
        self.targets: set = set()
        self.held: set = set()
        self.names: set = set()
        self.lead: set = set()
        self.entities: list = []
        self._hashes = None  # hash values of the non-empty signatures in `entities`, one row each
        self.sources: set = set()  # article keys (copies of any of them link strongly)
        self.anchored = False
        self.eventful = False
        # the core: the day(s) and place(s) most of its reports give. A new report is compared with the
        # core, not with the union of every report's days and places, so that one weak link cannot let
        # an incident spread by chaining (a report of the next town joins, then one of the town after)
        self._day_votes: dict[bool, dict[int, int]] = {True: {}, False: {}}  # explicit? -> day -> votes
        self._day_top = {True: 0, False: 0}
        self._core_days: dict[bool, set] = {True: set(), False: set()}
        self._place_votes: dict[str, int] = {}
        self._place_top = 0
        self.core_towns: set = set()
        self._point_of: dict[str, tuple] = {}
        self.core_points: list = []
        self._core_covered: list[int] = []

    def _vote(self, m: Mention) -> None:
        """Count `m`'s day and places toward the core (a copy of a text already here gives no vote:
        it is not an independent report)."""
        if m.copy_of is not None and m.copy_of in self.sources:
            return
        if m.day is not None:
            votes, kind = self._day_votes[m.explicit_day], m.explicit_day
            for d in range(m.day[0], m.day[1] + 1):
                votes[d] = votes.get(d, 0) + 1
                if votes[d] > self._day_top[kind]:
                    self._day_top[kind], self._core_days[kind] = votes[d], {d}
                elif votes[d] == self._day_top[kind]:
                    self._core_days[kind].add(d)
            self._core_covered = sorted(self._core_days[True] or self._core_days[False])
        for p in m.places:
            towns, _ = place_keys(p)
            point = place_point(p)
            for key in towns:
                if point:
                    self._point_of.setdefault(key, point)
                n = self._place_votes.get(key, 0) + 1
                self._place_votes[key] = n
                if n > self._place_top:
                    self._place_top, self.core_towns = n, {key}
                elif n == self._place_top:
                    self.core_towns.add(key)
        self.core_points = sorted({self._point_of[k] for k in self.core_towns if k in self._point_of})

    def add(self, m: Mention, max_compared: int, max_lead: int = 300) -> None:
        self._vote(m)
        self.members.append(m)
        if m.day is not None:
            self.days.append(m.day)
            for d in range(m.day[0], m.day[1] + 1):
                at = bisect_left(self._covered, d)
                if at == len(self._covered) or self._covered[at] != d:
                    self._covered.insert(at, d)
        self.explicit_day |= m.explicit_day
        self.towns |= m.towns
        self.areas |= m.areas
        self.admin1 |= {a for a in m.areas if a.startswith("a:")}
        new_points = [p for p in m.points if p not in self._points]
        self.points += new_points
        for p in new_points:
            self._points.add(p)
            insort(self._by_lat, p)
        if not m.eventless:
            self.kinds.add(m.kind)
            self.eventful = True
        for out, count in m.figures.items():
            self.figures[out].append(count)
            self.ranges[out][m.ranges[out] if out in m.ranges else count_range(count)] = None
        self.causes |= m.causes
        self.perpetrators |= m.perpetrators
        self.targets |= m.targets
        self.held |= m.held
        self.names |= m.names
        if len(self.lead) < max_lead:
            self.lead |= m.lead
        if len(self.entities) < max_compared and m.entities is not None:
            self.entities.append(m.entities)
            if m.hashes is not None:
                row = m.hashes.reshape(1, -1)
                self._hashes = row if self._hashes is None else np.vstack((self._hashes, row))
        self.sources.add(m.article)
        self.anchored |= m.anchored

    def day_gap(self, day: tuple[int, int] | None) -> int | None:
        """Days between `day` (a range) and the nearest of the incident's days (0: they overlap). The
        gap to a range is the gap to its nearest day, so the covered days are searched by bisection:
        an incident that many reports joined costs no more to compare than a small one."""
        if day is None or not self._covered:
            return None
        at = bisect_left(self._covered, day[0])
        gaps = []
        if at < len(self._covered):
            gaps.append(max(0, self._covered[at] - day[1]))
        if at:
            gaps.append(day[0] - self._covered[at - 1])
        return min(gaps)

    def core_gap(self, day: tuple[int, int] | None) -> int | None:
        """Days between `day` (a range) and the nearest core day (0: they overlap); None without either."""
        if day is None or not self._core_covered:
            return None
        return min(0 if day[0] <= d <= day[1] else min(abs(d - day[0]), abs(d - day[1]))
                   for d in self._core_covered)

    @property
    def core_explicit(self) -> bool:
        """Whether the core day is one a fact states (else it comes from publication days)."""
        return bool(self._core_days[True])

    def core_distance(self, points: list) -> float | None:
        """The shortest distance between `points` and the core places (None when either has none)."""
        if not points or not self.core_points:
            return None
        return min(km(a, b) for a in points for b in self.core_points)

    def similarity(self, hashes) -> float:
        """The highest estimated Jaccard similarity of a mention's entity signature (its hash values,
        `Mention.hashes`) to the incident's: what `copies.similarity` gives against each, computed in
        one array comparison (0.0 when either side has none)."""
        if hashes is None or self._hashes is None or self._hashes.shape[1] != len(hashes):
            return 0.0
        return float(np.count_nonzero(self._hashes == hashes, axis=1).max()) / float(len(hashes))

    def distance_km(self, points: list) -> float | None:
        """The shortest distance between `points` and the incident's. Only the incident's points whose
        latitude alone puts them no farther than the best so far are measured (a great-circle distance
        is at least the arc between the two latitudes), nearest latitude first: the same minimum as
        measuring all, at a few measurements for an incident of many places."""
        if not points or not self._by_lat:
            return None
        if len(self._by_lat) <= 8:
            return min(km(a, b) for a in points for b in self._by_lat)
        best = math.inf
        for a in points:
            at = bisect_left(self._by_lat, a)
            lo, hi = at - 1, at
            while lo >= 0 or hi < len(self._by_lat):
                up = self._by_lat[hi][0] - a[0] if hi < len(self._by_lat) else math.inf
                down = a[0] - self._by_lat[lo][0] if lo >= 0 else math.inf
                if up <= down:
                    b, hi, arc = self._by_lat[hi], hi + 1, up
                else:
                    b, lo, arc = self._by_lat[lo], lo - 1, down
                if _ARC_KM * arc - 0.001 > best:  # 1 m of slack for rounding: no closer point is left
                    break
                best = min(best, km(a, b))
        return best
