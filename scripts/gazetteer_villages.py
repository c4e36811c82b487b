"""Village-level rows for the gazetteer index, from shared/geodata/villages/ (see its README.md).

Used by build_gazetteer.py: GeoNames' lists stop at towns of 15,000 people (500 in the Middle East),
while conflict news names villages, communities, districts and townships. This adds, next to
GeoNames and only from files whose licence lets derived data ship with attribution:

- Syria: the 7,580 OCHA communities (ADM4 p-codes; OCHA COD, CC BY-IGO 3.0), Open-Syria's
  governorates, districts and subdistricts with their aliases and p-codes (CC BY 4.0), and UCDP GED's
  news spellings ("Kafr Nabl town"; CC BY 4.0) as further names of the nearest community of the same
  governorate;
- Afghanistan: districts and villages (abubaker47, MIT);
- Myanmar: townships (kyawthura-gg, MIT; data from MIMU) as second-level rows;
- Ukraine: settlements (OCHA COD names, CC BY-IGO, via DRC's infoportal, ISC), whose point is the
  centroid of their hromada: feature code PPLZ, which the place record reports with precision 2.

A place GeoNames already has (same name key, same country, close by) is not added twice: it gets the
p-code and the other spellings. A village name never takes a name the news uses for something bigger
elsewhere: names of countries, of first-level divisions and of cities of 50,000+ people in other
countries are left out, and so are names made only of common English words (a capitalised "Band"
or "Chat" is a word before it is a village), month, weekday and feast names ("Ramadan";
data/words/not_village_names.toml, via `gazetteer.not_village_keys`) and names under four letters. MIMU's Myanmar village lists carry no stated licence and
are not shipped. Output depends only on the inputs (rows are sorted).
"""
from __future__ import annotations

import csv
import difflib
import math
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from warmonitor.resolve.gazetteer import (COARSE_POINT_CODE, distance_km, index_keys, index_line, normalize,
                                          not_village_keys)

SOURCE = ("OCHA COD Syria communities (CC BY-IGO 3.0); Open-Syria data-geography (CC BY 4.0); "
          "UCDP GED 19.1 (CC BY 4.0); abubaker47 Afghanistan villages (MIT); kyawthura-gg Myanmar townships "
          "(MIT, MIMU); OCHA COD Ukraine settlements via DRC infoportal (CC BY-IGO, ISC)")
MERGE_KM = 8.0  # a village this close to a GeoNames place of the same name is that place
SKELETON_KM = 2.0  # ... and this close, one whose name has the same consonants (Kafr Nobol / Kafranbel)
MERGE_KM_COARSE = 30.0  # Ukraine's settlements sit at their hromada's centroid
UCDP_KM = 5.0  # a UCDP spelling names the nearest community within this distance whose name it resembles
UCDP_LIKENESS = 0.6  # difflib ratio of the two names' consonants (Kafr Nabl / Kafranbel: 1.0)
RESERVED_POPULATION = 50_000  # cities abroad whose names a village may not take
NEWS_SUFFIXES = ("town", "village", "city", "suburb")  # UCDP's "Kafr Nabl town"
COARSE_CODE = COARSE_POINT_CODE


def skeleton(key: str) -> str:
    """A name key's consonants, run together: "kafr nobol", "kafr nabl" and "kafranbal" are all "kfrnbl"
    (w and v count as vowels: Khowst / Khost, Vardak / Wardak).
    Too lossy to look names up by, but two places this close whose names share it are one place
    written by two transliterations."""
    return "".join(c for c in key if c.isalpha() and c not in "aeiouywv")


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def latin(name: str) -> bool:
    return bool(name) and all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def clean(name: str) -> str:
    """A source name as a display name: no tabs or bars, lower-case transliterations capitalised."""
    name = " ".join(name.replace("|", " ").split())
    return name.title() if name.islower() else name


class Grid:
    """Points in 0.1-degree cells, for nearest-neighbour searches over tens of thousands of villages."""

    CELL = 0.1

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = defaultdict(list)

    def add(self, lat: float, lon: float, item) -> None:
        self.cells[(math.floor(lat / self.CELL), math.floor(lon / self.CELL))].append((lat, lon, item))

    def near(self, lat: float, lon: float, km: float, accept=lambda item: True):
        """(distance, item) of the nearest accepted item within km, or None."""
        best = None
        la, lo = math.floor(lat / self.CELL), math.floor(lon / self.CELL)
        reach = int(km / (111.0 * self.CELL * max(0.2, math.cos(math.radians(lat))))) + 1
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                for plat, plon, item in self.cells.get((la + dy, lo + dx), ()):
                    d = distance_km(lat, lon, plat, plon)
                    if d <= km and (best is None or d < best[0]) and accept(item):
                        best = (d, item)
        return best


class Builder:
    """Collects new rows and additions to GeoNames rows; `lines()` gives the new index lines."""

    def __init__(self, cities: dict[int, dict], admin1: dict[str, list[str]], admin2: list[list[str]],
                 countries: dict[str, list[str]], common: frozenset[str]):
        self.cities = cities
        self.admin1 = admin1  # "SY.12" -> admin1CodesASCII row
        self.admin2 = {f[0]: f for f in admin2}
        self.common = common
        self.extra: dict[tuple[str, str], dict] = {}  # ("city", gid) / ("admin1"|"admin2", code) -> pcode, alts
        self.rows: list[dict] = []  # new rows
        self.grids: dict[str, Grid] = defaultdict(Grid)  # country -> GeoNames cities and new rows
        self.any_city: dict[str, Grid] = defaultdict(Grid)  # country -> GeoNames cities, for admin1 votes
        self.reserved: dict[str, set[str]] = defaultdict(set)  # key -> countries whose big names it is
        for iso, names in countries.items():
            for k in index_keys(names):
                self.reserved[k].add("*")  # a country's name: never a village's
        for k in sorted(not_village_keys()):
            self.reserved[k].add("*")  # "during Ramadan", "on Friday", "Al Jazeera": never a village
        for code, f in admin1.items():
            for k in index_keys([f[1], f[2]]):
                self.reserved[k].add(code[:2])
        for c in cities.values():
            self.grids[c["cc"]].add(c["lat"], c["lon"], ("city", c))
            self.any_city[c["cc"]].add(c["lat"], c["lon"], c)
            if c["pop"] >= RESERVED_POPULATION:
                for k in index_keys([c["name"], *c["alts"]]):
                    self.reserved[k].add(c["cc"])
        self.dropped = Counter()
        self.mapped: dict[str, dict] = {}  # country -> the source's division names -> GeoNames admin1 codes

    # --- names
    def usable(self, key: str, cc: str, name: str = "") -> bool:
        """Whether a village of country cc may have this name (its key folded by `normalize`)."""
        if len(key.replace(" ", "")) < 4:
            self.dropped["short"] += 1
            return False
        if any(c != cc for c in self.reserved.get(key, ())):
            self.dropped["name of a bigger place elsewhere"] += 1
            return False
        words = "".join(c if c.isalpha() else " " for c in name.lower()).split() or key.split()
        if all(w in self.common or w == "al" for w in words):
            self.dropped["common word"] += 1
            return False
        return True

    def names(self, names: list[str], cc: str) -> list[str]:
        out = []
        for n in dict.fromkeys(clean(n) for n in names if n and latin(n) and not any(c.isdigit() for c in n)):
            key = normalize(n)
            if key and self.usable(key, cc, n):
                out.append(n)
        return out

    def admin1_vote(self, cc: str, groups: dict[str, list[tuple[float, float]]]) -> dict[str, str]:
        """A source's division code -> GeoNames admin1 code ("AF.10"): the division of the GeoNames towns
        nearest its places, by majority (the sources' division names are spelled their own way)."""
        out = {}
        for group, points in sorted(groups.items()):
            votes = Counter()
            for lat, lon in points:
                hit = self.any_city[cc].near(lat, lon, 100.0)
                if hit:
                    votes[f"{cc}.{hit[1]['a1']}"] += 1
            if votes:
                out[group] = max(sorted(votes), key=lambda c: votes[c])
        return out

    # --- rows
    def add(self, kind: str, fcode: str, cc: str, a1code: str | None, lat: float | None, lon: float | None,
            name: str, alts: list[str], pcode: str | None = None, merge_km: float = MERGE_KM) -> dict | None:
        """A village-level place: merged into a GeoNames place of the same name nearby, else a new row.
        Returns the row (new or merged) or None when its names are all unusable."""
        if lat == 0 and lon == 0:  # a missing point written as 0, 0
            self.dropped["no point"] += 1
            return None
        names = self.names([name, *alts], cc)
        if not names:
            return None
        keys = set(index_keys(names))
        if lat is not None:
            free = (lambda item: not (pcode and self.pcode_of(item)))
            hit = self.grids[cc].near(lat, lon, merge_km, lambda item: bool(keys & self.keys_of(item)) and free(item))
            if hit is None and merge_km:
                skeletons = {skeleton(k) for k in keys} - {""}
                hit = self.grids[cc].near(lat, lon, min(SKELETON_KM, merge_km), lambda item: free(item) and bool(
                    skeletons & {skeleton(k) for k in self.keys_of(item)}))
            if hit:
                return self.merge(hit[1], names, pcode)
        row = {"kind": kind, "fcode": fcode, "cc": cc, "a1": a1code, "lat": lat, "lon": lon, "name": names[0],
               "alts": names[1:], "pcode": pcode, "keys": keys}
        self.rows.append(row)
        if lat is not None:
            self.grids[cc].add(lat, lon, ("row", row))
        return ("row", row)

    def pcode_of(self, item) -> str | None:
        """The p-code a row or GeoNames place already has (two communities are never one place)."""
        what, obj = item
        if what == "city":
            return self.extra.get(("city", str(obj["gid"])), {}).get("pcode")
        return obj["pcode"]

    def keys_of(self, item) -> set[str]:
        what, obj = item
        if "keys" not in obj or not isinstance(obj["keys"], set):
            obj["keys"] = set(index_keys([obj["name"], *obj["alts"]]))
        return obj["keys"]

    def merge(self, item, names: list[str], pcode: str | None):
        what, obj = item
        if what == "city":
            extra = self.extra.setdefault(("city", str(obj["gid"])), {"pcode": None, "alts": []})
            extra["alts"] += names
            extra["pcode"] = extra["pcode"] or pcode
        else:
            obj["alts"] += [n for n in names if n != obj["name"]]
            obj["pcode"] = obj["pcode"] or pcode
        self.keys_of(item).update(index_keys(names))
        return item

    def add_names(self, item, names: list[str]) -> None:
        names = [n for n in self.names(names, item[1]["cc"]) if normalize(n) not in self.keys_of(item)]
        if names:
            self.merge(item, names, None)

    def admin_extra(self, level: str, code: str, pcode: str | None, alts: list[str],
                    point: tuple[float | None, float | None] = (None, None)) -> None:
        """A GeoNames division's p-code, other names, and a point for one GeoNames gives none."""
        extra = self.extra.setdefault((level, code), {"pcode": None, "alts": [], "point": (None, None)})
        extra["pcode"] = extra["pcode"] or pcode
        extra["alts"] += [clean(a) for a in alts if a and latin(a)]
        if extra["point"][0] is None:
            extra["point"] = point

    def lines(self) -> list[str]:
        out = []
        for r in sorted(self.rows, key=lambda r: (r["cc"], r["kind"], r["pcode"] or "", r["name"], r["lat"] or 0)):
            a1 = self.admin1.get(r["a1"] or "")
            out.append(index_line(None, r["kind"], r["fcode"], r["cc"], a1[1] if a1 else None, r["a1"] or r["cc"],
                                  r["lat"], r["lon"], None, r["name"], r["alts"], r["pcode"]))
        return out


def _f(value: str) -> float | None:
    try:
        return round(float(value), 5) if value not in ("", None) else None
    except ValueError:
        return None


def syria(b: Builder, d: Path) -> None:
    admin = read_csv(d / "sy_admin123_opensyria.csv")
    by_gid1 = {f[3]: code for code, f in b.admin1.items() if code.startswith("SY.")}
    by_gid2 = {f[3]: code for code, f in b.admin2.items() if code.startswith("SY.")}
    gov: dict[str, str] = {}  # SY07 -> SY.12
    gov_keys: dict[str, str] = {}  # governorate name key -> SY.12
    for r in admin:
        alts = [a for a in r["aliases"].split("|") if a]
        if r["level"] == "governorate":
            code = by_gid1.get(r["geonameid"]) or next(
                (c for c, f in b.admin1.items() if c.startswith("SY.") and normalize(f[1]) in
                 set(index_keys([r["name_en"], *alts]))), None)
            if code:
                gov[r["pcode"]] = code
                b.admin_extra("admin1", code, r["pcode"], [r["name_en"], *alts])
                for k in index_keys([r["name_en"], *alts, b.admin1[code][1]]):
                    gov_keys[k] = code
        elif r["level"] == "district" and r["geonameid"] in by_gid2:
            b.admin_extra("admin2", by_gid2[r["geonameid"]], r["pcode"], [r["name_en"], *alts],
                          (_f(r["lat"]), _f(r["lon"])))
    communities = read_csv(d / "sy_communities_ocha_adm4_20210113.csv")
    by_adm3: dict[str, list] = defaultdict(list)
    for r in communities:
        lat, lon = _f(r["lat"]), _f(r["lon"])
        # "Madaya (Heish)": OCHA tells namesakes apart by their subdistrict; the news writes "Madaya"
        base = r["name_en"].split("(")[0].strip()
        item = b.add("village", "PPL", "SY", gov.get(r["ADM1_PCODE"]), lat, lon, base or r["name_en"],
                     [r["name_en"], r["ref_name"], r["ADM4_EN"]], r["pcode"])
        if item:
            by_adm3[r["ADM3_PCODE"]].append(item)
    for r in admin:  # a subdistrict's other names are its seat's (it is named after it)
        if r["level"] != "subdistrict":
            continue
        key = normalize(r["name_en"])
        seat = next((it for it in by_adm3.get(r["pcode"], ()) if key in b.keys_of(it)), None)
        if seat:
            b.add_names(seat, [a for a in r["aliases"].split("|") if "district" not in a.lower()])
    for r in read_csv(d / "sy_ucdp_ged191_locations.csv"):
        words = r["where_coordinates"].split()
        if len(words) < 2 or words[-1] not in NEWS_SUFFIXES or any(c.isdigit() for c in r["where_coordinates"]):
            continue
        name = " ".join(words[:-1])
        code = gov_keys.get(normalize(r["adm_1"]))
        lat, lon = _f(r["latitude"]), _f(r["longitude"])
        if code is None or lat is None:
            continue
        a1 = code.split(".")[1]

        shape = skeleton(normalize(name))

        def same_gov(item, code=code, a1=a1, shape=shape):
            what, obj = item
            return obj["a1"] == (a1 if what == "city" else code) and any(
                difflib.SequenceMatcher(None, shape, skeleton(k)).ratio() >= UCDP_LIKENESS for k in b.keys_of(item))

        hit = b.grids["SY"].near(lat, lon, UCDP_KM, same_gov)
        if hit:
            b.add_names(hit[1], [name])


def afghanistan(b: Builder, d: Path) -> None:
    pd = read_csv(d / "af_provinces_districts_abubaker47.csv")
    villages = read_csv(d / "af_villages_abubaker47.csv")
    af1 = {}
    for c, f in sorted(b.admin1.items()):
        if c.startswith("AF."):
            for k in index_keys([f[1], f[2]]):
                af1[k] = af1[skeleton(k)] = c
    points: dict[str, list] = defaultdict(list)
    for r in pd:
        if r["level"] == "district" and _f(r["lat"]) is not None:
            points[r["province"]].append((_f(r["lat"]), _f(r["lon"])))
    vote = b.admin1_vote("AF", points)
    def province(name: str) -> str | None:  # "Maydan Wardak": one of its words may be the GeoNames name
        for key in (normalize(name), *normalize(name).split()):
            code = af1.get(key) or af1.get(skeleton(key))
            if code:
                return code
        return vote.get(name)

    prov = {p: province(p) for p in sorted({r["province"] for r in pd} | {r["Province"] for r in villages})}
    b.mapped["AF"] = prov
    a2 = defaultdict(list)
    for code, f in b.admin2.items():
        if code.startswith("AF."):
            a2[code.rsplit(".", 1)[0]].append(f)
    for r in pd:
        a1 = prov.get(r["province"])
        if r["level"] != "district" or a1 is None:
            continue
        key = normalize(r["name"])
        known = next((f for f in a2[a1] if key in index_keys([f[1], f[2]])), None) or next(
            (f for f in a2[a1] if skeleton(key) in {skeleton(k) for k in index_keys([f[1], f[2]])}), None)
        if known:
            b.admin_extra("admin2", known[0], None, [r["name"]], (_f(r["lat"]), _f(r["lon"])))
        else:
            b.add("admin2", "ADM2", "AF", a1, _f(r["lat"]), _f(r["lon"]), r["name"], [], None, merge_km=0.0)
    for r in villages:
        name = r["Village Name"].split("(")[0].strip()
        b.add("village", "PPL", "AF", prov.get(r["Province"]), _f(r["Latitude"]), _f(r["Longitude"]), name, [])


def myanmar(b: Builder, d: Path) -> None:
    rows = read_csv(d / "mm_townships_kyawthura.csv")
    points = defaultdict(list)
    for r in rows:
        if _f(r["latitude"]) is not None:
            points[r["regionCode"]].append((_f(r["latitude"]), _f(r["longitude"])))
    vote = b.admin1_vote("MM", points)
    b.mapped["MM"] = vote
    for r in rows:  # townships: divisions below the district, named after their town
        b.add("admin2", "ADM3", "MM", vote.get(r["regionCode"]), _f(r["latitude"]), _f(r["longitude"]),
              r["townshipNameEn"], [], r["townshipCode"] or None, merge_km=0.0)


def ukraine(b: Builder, d: Path) -> None:
    rows = read_csv(d / "ua_settlements_hromadas_infoportal.csv")
    hromada = {r["pcode"]: (_f(r["lat"]), _f(r["lon"])) for r in rows if r["level"] == "hromada"}
    points = defaultdict(list)
    for code, (lat, lon) in hromada.items():
        if lat is not None:
            points[code[:4]].append((lat, lon))
    vote = b.admin1_vote("UA", points)
    b.mapped["UA"] = vote
    for r in rows:
        if r["level"] != "settlement":
            continue
        lat, lon = hromada.get(r["parent"], (None, None))
        if lat is None:
            continue
        b.add("village", COARSE_CODE, "UA", vote.get(r["pcode"][:4]), lat, lon, r["name_en"], [], r["pcode"],
              merge_km=MERGE_KM_COARSE)


MIMU_SOURCE = ("MIMU Myanmar towns (p-codes 9.6) and villages of seven regions, via github "
               "nchanko/myanmar_pcode_search and achannaung/Datasets: no licence stated; for the user's own use, "
               "not shipped")


def myanmar_mimu(b: Builder, d: Path) -> None:
    """MIMU's towns and villages (optional: see MIMU_SOURCE), as village rows."""
    towns = read_csv(d / "mm_towns_mimu96.csv")
    villages = read_csv(d / "mm_villages_mimu_7regions.csv")
    points = defaultdict(list)
    for r in towns:
        if _f(r["Latitude"]) is not None:
            points[r["SR_Name_Eng"]].append((_f(r["Latitude"]), _f(r["Longitude"])))
    for r in villages:
        if _f(r["lat"]) is not None:
            points[r["state_region"]].append((_f(r["lat"]), _f(r["lon"])))
    vote = b.admin1_vote("MM", points)
    for r in towns:
        name = r["Town_Name_Eng"].removesuffix(" Town").strip()
        b.add("village", "PPL", "MM", vote.get(r["SR_Name_Eng"]), _f(r["Latitude"]), _f(r["Longitude"]), name, [],
              r["Town_Pcode"] or None)
    for r in villages:
        base = r["village_en"].split("(")[0].strip()
        b.add("village", "PPL", "MM", vote.get(r["state_region"]), _f(r["lat"]), _f(r["lon"]), base,
              [r["village_en"], r["local_name_en"]])


def build(villages_dir: Path, cities, admin1, admin2, countries, common) -> tuple[Builder, list[str]]:
    """The Builder (its `extra` names and p-codes for GeoNames rows) and the new index lines."""
    b = Builder(cities, admin1, admin2, countries, common)
    syria(b, villages_dir / "SY")
    afghanistan(b, villages_dir / "AF")
    myanmar(b, villages_dir / "MM")
    ukraine(b, villages_dir / "UA")
    return b, b.lines()


def summary(b: Builder) -> str:
    kinds = Counter((r["cc"], r["kind"]) for r in b.rows)
    merged = sum(1 for k in b.extra if k[0] == "city")
    return (", ".join(f"{cc} {kind} {n}" for (cc, kind), n in sorted(kinds.items()))
            + f"; {merged} GeoNames places given p-codes/names; dropped names: {dict(b.dropped)}")
