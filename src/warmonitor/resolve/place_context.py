"""How the places of one text settle each other: the namesake meant is the one near the text's other
places, and a small town far from all of them is a local name the gazetteer lacks.

`PlaceFinder.find` (resolve/places.py) calls `cohere` on its (mention, info) pairs once every name is
read: reports name places near each other ("Springfield" with "Xenia" is Ohio's; "Tripoli" with
"Zgharta" is Lebanon's), and a town of 5,000 people in England is not what a story about Tennessee
means by "Whitehaven". Nothing here reads text; it only compares places and distances.
"""
from __future__ import annotations

from dataclasses import replace

from .gazetteer import distance_km

TOWN_KINDS = frozenset(["city", "curated", "feature"])
NEAR_KM = 100.0  # a namesake this close to a town the article names without doubt is the one it means
PART_SUFFIXES = frozenset(["neighbourhood", "neighborhood", "quarter"])  # a part of a town, not a town
STRAY_KM = 300.0  # a small town abroad this close to another place of the story may be the one it means


def cohere(gazetteer, found: list, country: str | None, region: str | None) -> None:
    """Namesakes settled by the article's other places: a town whose namesakes lie far apart
    ("Springfield", "Tripoli", "Florence", "Alexandria") is read as the one within NEAR_KM of a town
    the same text names without doubt (one namesake, or "Springfield, Ill."), or inside a first-level
    division or country it names ("Ohio", "Akkar", "Syria"), before size decides: reports name places
    near each other.
    A town far larger than each of its namesakes (Dayton, Ohio) counts as named without doubt."""
    if len(found) < 2:
        return
    points, areas, ambiguous = [], set(), []
    divisions: dict[str, int] = {}  # the first-level divisions of the towns named without doubt
    for n, (mention, info) in enumerate(found):
        place = mention.place
        if place.kind == "admin1" and place.admin1:
            areas.add((place.country, place.admin1))
            continue
        if place.kind == "country" and place.country:
            areas.add((place.country, None))  # "Syria": its Damascus, in a story filed from Washington
            continue
        if place.kind not in TOWN_KINDS or place.lat is None:
            continue
        if info.get("explicit"):
            points.append((n, place.lat, place.lon))
            continue
        far = [p for p, _ in info["cands"] if p.kind in TOWN_KINDS and p.lat is not None
               and distance_km(place.lat, place.lon, p.lat, p.lon) > NEAR_KM]
        population = place.population or 0
        if not far or population >= 100_000 and all(population >= 10 * (p.population or 0) for p in far):
            points.append((n, place.lat, place.lon))
            if place.country == country and place.admin1:
                divisions[place.admin1] = divisions.get(place.admin1, 0) + 1
        else:
            ambiguous.append(n)
    for n in ambiguous if points or areas else ():
        mention, info = found[n]
        ctx = info["ctx"]
        towns = [(p, b) for p, b in info["cands"] if p.kind in TOWN_KINDS and p.lat is not None]
        # nearest evidence first: a town named near it, a division named, a country named (not the
        # story's own, which says nothing about which of its namesakes is meant)
        tiers = ([c for c in towns if any(k != n and distance_km(c[0].lat, c[0].lon, lat, lon) <= NEAR_KM
                                          for k, lat, lon in points)],
                 [c for c in towns if (c[0].country, c[0].admin1) in areas],
                 [c for c in towns if (c[0].country, None) in areas and c[0].country != ctx])
        near = next((tier for tier in tiers if tier), [])
        if not near or any(p == mention.place for p, _ in near):
            continue
        place = gazetteer.best(near, ctx, None, region if ctx == country else None)
        if place is None or (ctx and place.country != ctx and mention.place.country == ctx):
            continue
        found[n] = (replace(mention, place=place), info)
    if country:
        inferred = None
        if region is None and divisions:
            ranked = sorted(divisions.values(), reverse=True)
            inferred = max(divisions, key=divisions.get) if len(ranked) == 1 or ranked[0] > ranked[1] else None
        found[:] = [pair for n, pair in enumerate(found)
                    if not stray(n, pair, found, country, region, inferred)]

def stray(n: int, pair, found, country: str, region: str | None, inferred: str | None = None) -> bool:
    """A small town outside the story's area that nothing else in the text points to: in a story
    about one country (or one of its divisions), "Whitehaven" or "Side" (in "the South Side") found
    only in another country, or "Smithfield" only in another state, is a local name the gazetteer
    lacks, not that town; it is kept when its country or division is named, when it is given with
    its region ("Akcakale, Turkey"), when it lies within STRAY_KM of another place the text names,
    or when it is a city of a million, or of 100,000 after a place preposition ("in Gaziantep").
    A neighbourhood ("the Austin neighborhood") must lie near the story's other places whatever its size.
    `region`: the division the story names or is filed from; `inferred`: the one its towns named
    without doubt lie in, which only rules out a namesake (a name the gazetteer holds far apart too)."""
    mention, info = pair
    place = mention.place
    part = info.get("suffix") in PART_SUFFIXES
    if place.kind not in TOWN_KINDS or info.get("explicit") or place.lat is None:
        return False
    if part and place.country == country and not any(
            k != n and o.place.kind in TOWN_KINDS and o.place.lat is not None for k, (o, _) in enumerate(found)):
        return False  # a quarter of the story's country, and no town named that it should lie in
    population = place.population or 0
    if place.country == country and not part:
        if population >= 100_000:
            return False
        if region is None:
            namesakes = any(distance_km(place.lat, place.lon, p.lat, p.lon) > NEAR_KM
                            for p, _ in info["cands"] if p.kind in TOWN_KINDS and p.lat is not None)
            if inferred is None or not namesakes:
                return False
            region = inferred
        if place.admin1 == region:
            return False
    if not part and (population >= 1_000_000 or population >= 100_000 and info.get("evidence")):
        return False  # a city of its own ("fled to Gaziantep"), not a bare word ("Metro police")
    for k, (other, _) in enumerate(found):
        o = other.place
        if k == n:
            continue
        if o.kind == "country" and o.country == place.country and not part:
            return False
        if o.kind == "admin1" and (o.country, o.admin1) == (place.country, place.admin1):
            return False
        if part and o.lat is not None and o.kind in TOWN_KINDS \
                and distance_km(place.lat, place.lon, o.lat, o.lon) <= NEAR_KM:
            return False
        if part:
            continue
        reach = STRAY_KM if place.country != country else NEAR_KM
        if o.lat is not None and o.kind != "country" and distance_km(place.lat, place.lon, o.lat, o.lon) <= reach:
            return False
    return True

