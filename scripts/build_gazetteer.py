"""Build warmonitor's shipped gazetteer index from GeoNames (and Natural Earth) files.

    python scripts/build_gazetteer.py GEODATA_DIR [--out src/warmonitor/data/gazetteer] [--optional-mimu DIR]

GEODATA_DIR holds geonames/{countryInfo.txt, admin1CodesASCII.txt, admin2Codes.txt, cities15000.zip,
cities500_middle_east.tsv} and naturalearth/ne_50m_admin_0_countries.geojson (see the project's
shared/geodata/README.md). Writes places.tsv.gz (one row per place, with its Latin-script alternate
names and normalised lookup keys) and common_words.txt.gz (frequent English words, from
spacy-lookups-data's lexeme probabilities, which the place finder treats with care). The output
depends only on the inputs: running it twice gives byte-identical files.

Rows: every country (countryInfo; a representative point of its largest Natural Earth polygon, else
its capital), every first- and second-level division (admin1CodesASCII, admin2Codes; these carry no
coordinates: each gets those of its most populous place in the city files; a district with no place
coded to it gets those of the place it is named after, in the same province, else none), and every
place of cities15000 and cities500_middle_east (the latter has no feature code: PPL); then the
village-level lists of GEODATA_DIR/villages (gazetteer_villages.py): p-codes and other names for
GeoNames rows, new rows for the rest. --optional-mimu writes MIMU's Myanmar lists, which state no
licence, to a separate user index instead of the shipped one.
Needs only the standard library, warmonitor and what warmonitor depends on.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

from warmonitor.resolve.gazetteer import index_keys, index_line, normalize, write_index

import gazetteer_villages  # scripts/ is on sys.path when this file runs as a script

COMMON_WORD_LOGPROB = -12.0  # spaCy lexeme log probability above which a word counts as common English
# Other names of countries, as the news writes them (GeoNames' countryInfo has one name per country).
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "US", "U.S.", "U.S.A."], "GB": ["UK", "U.K.", "Britain",
    "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"], "AE": ["UAE", "U.A.E."],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa", "Congo Kinshasa", "Congo"], "CG": ["Congo-Brazzaville", "Congo"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories", "Occupied Palestinian Territory",
           "Palestinian territories", "occupied Palestinian territory"],
    "SY": ["Syrian Arab Republic"], "IR": ["Islamic Republic of Iran", "Persia"], "RU": ["Russian Federation"],
    "KR": ["Republic of Korea"], "KP": ["DPRK"], "MM": ["Burma"], "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "CZ": ["Czech Republic"], "TR": ["Türkiye", "Turkiye"], "MK": ["Macedonia"], "SZ": ["Swaziland"],
    "LA": ["Lao PDR"], "VN": ["Viet Nam"], "TL": ["East Timor", "Timor-Leste"], "CV": ["Cape Verde"],
    "GM": ["The Gambia"], "BS": ["The Bahamas"], "SA": ["KSA", "Saudi"], "VA": ["Holy See"],
    "MD": ["Moldova"], "LY": ["Libya"], "NL": ["Holland"], "SS": ["Republic of South Sudan"],
}


def is_latin(name: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def good_alt(name: str) -> bool:
    """A Latin-script alternate name worth indexing: not a code (KAC), not a lower-case transliteration
    (hmh, adlb), no digits, not too short or long."""
    return (2 < len(name) <= 80 and is_latin(name) and any(c.isupper() for c in name)
            and not any(c.isdigit() for c in name) and not (name.isupper() and len(name) <= 4)
            and "|" not in name and "\t" not in name)


def tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]


def read_cities(geo: Path) -> dict[int, dict]:
    """cities15000 and cities500_middle_east, merged by geonameid (the former wins, names are united)."""
    cities: dict[int, dict] = {}
    with zipfile.ZipFile(geo / "cities15000.zip") as z:
        text = z.read("cities15000.txt").decode("utf-8")
    for f in (line.split("\t") for line in text.splitlines() if line):
        if len(f) != 19:
            raise SystemExit(f"cities15000.txt: a row with {len(f)} columns: {f[:2]}")
        cities[int(f[0])] = {"name": f[1], "alts": [f[2], *f[3].split(",")], "lat": float(f[4]), "lon": float(f[5]),
                             "fcode": f[7] or "PPL", "cc": f[8], "a1": f[10], "a2": f[11], "pop": int(f[14] or 0)}
    with open(geo / "cities500_middle_east.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            gid = int(row["geonameid"])
            alts = row["alternatenames"].split(",") if row["alternatenames"] else []
            if gid in cities:
                cities[gid]["alts"] += alts
                continue
            cities[gid] = {"name": row["name"], "alts": alts, "lat": float(row["latitude"]),
                           "lon": float(row["longitude"]), "fcode": "PPL", "cc": row["country_code"],
                           "a1": row["admin1_code"], "a2": "", "pop": int(row["population"] or 0)}
    return cities


def ring_area_centroid(ring: list) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-12:
        return 0.0, sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def inside(ring: list, x: float, y: float) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def natural_earth(geo: Path) -> dict[str, dict]:
    """ISO2 -> {"point": (lat, lon) or None, "names": [...]}: the centroid of the largest polygon when it
    falls inside it, and the English names."""
    data = json.loads((geo / "naturalearth" / "ne_50m_admin_0_countries.geojson").read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        p = feature["properties"]
        iso = p.get("ISO_A2") if p.get("ISO_A2") not in (None, "-99") else p.get("WB_A2")
        if not iso or iso == "-99":
            continue
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        best = max((ring_area_centroid(poly[0]) + (poly[0],) for poly in polygons), key=lambda t: t[0])
        point = (round(best[2], 4), round(best[1], 4)) if inside(best[3], best[1], best[2]) else None
        names = [p.get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN")]
        out[iso] = {"point": point, "names": [n for n in names if n and is_latin(n)]}
    return out


def city_keys(city: dict) -> set[str]:
    if "keys" not in city:
        city["keys"] = set(index_keys([city["name"], *city["alts"]]))
    return city["keys"]


def most_populous(cities: list[dict]) -> dict | None:
    return max(cities, key=lambda c: (c["pop"], c["fcode"].startswith("PPLA"), -c["gid"]), default=None)


def build_lines(geo_dir: Path, common: frozenset[str] = frozenset(), optional_out: Path | None = None):
    geo = geo_dir / "geonames"
    cities = read_cities(geo)
    for gid, c in cities.items():
        c["gid"] = gid
    by_a1: dict[str, list[dict]] = {}
    by_a2: dict[str, list[dict]] = {}
    by_cc: dict[str, list[dict]] = {}
    for c in cities.values():
        by_cc.setdefault(c["cc"], []).append(c)
        by_a1.setdefault(f"{c['cc']}.{c['a1']}", []).append(c)
        if c["a2"]:
            by_a2.setdefault(f"{c['cc']}.{c['a1']}.{c['a2']}", []).append(c)
    admin1 = {f[0]: f for f in tsv(geo / "admin1CodesASCII.txt")}
    ne = natural_earth(geo_dir)
    admin2 = sorted(tsv(geo / "admin2Codes.txt"), key=lambda f: f[0])
    countries = {f[0]: [f[4], *COUNTRY_ALIASES.get(f[0], []), *ne.get(f[0], {"names": []})["names"]]
                 for f in tsv(geo / "countryInfo.txt")}
    villages, village_lines = gazetteer_villages.build(geo_dir / "villages", cities, admin1, admin2, countries,
                                                       common)
    extra = villages.extra
    if optional_out is not None:  # MIMU's lists: no stated licence, so a user index, never the shipped one
        mimu = gazetteer_villages.Builder(cities, admin1, admin2, countries, common)
        gazetteer_villages.myanmar_mimu(mimu, geo_dir / "villages" / "MM")
        optional_out.mkdir(parents=True, exist_ok=True)
        n = write_index(optional_out / "MM-mimu.tsv.gz", mimu.lines(), "source=" + gazetteer_villages.MIMU_SOURCE)
        print(f"{n} MIMU places -> {optional_out / 'MM-mimu.tsv.gz'} (not shipped)", file=sys.stderr)
    print(gazetteer_villages.summary(villages), file=sys.stderr)
    lines = []
    for f in sorted(tsv(geo / "countryInfo.txt"), key=lambda f: f[0]):
        iso, name, capital, gid = f[0], f[4], f[5], f[16]
        info = ne.get(iso, {"point": None, "names": []})
        point = info["point"]
        if point is None:
            cap = most_populous([c for c in by_cc.get(iso, []) if c["name"] == capital or c["fcode"] == "PPLC"])
            point = (cap["lat"], cap["lon"]) if cap else (None, None)
        names = [n for n in [*info["names"], *COUNTRY_ALIASES.get(iso, [])] if n != name]
        lines.append(index_line(gid, "country", "PCLI", iso, None, iso, point[0], point[1],
                                int(f[7] or 0) or None, name, names))
    for code, f in sorted(admin1.items()):
        seat = most_populous(by_a1.get(code, []))
        more = extra.get(("admin1", code), {})
        lines.append(index_line(f[3], "admin1", "ADM1", code[:2], f[1], code, seat and seat["lat"],
                                seat and seat["lon"], None, f[1], [f[2], *more.get("alts", [])], more.get("pcode")))
    for f in admin2:
        code = f[0]
        a1 = code.rsplit(".", 1)[0]
        seat = most_populous(by_a2.get(code, []))
        if seat is None:  # named after its seat: "Maarrat al-Nu'man District"
            key = normalize(f[1])
            seat = most_populous([c for c in by_a1.get(a1, []) if key in city_keys(c)])
        a1_name = admin1[a1][1] if a1 in admin1 else None
        more = extra.get(("admin2", code), {})
        point = (seat["lat"], seat["lon"]) if seat else more.get("point", (None, None))
        lines.append(index_line(f[3], "admin2", "ADM2", code[:2], a1_name, code, point[0], point[1], None, f[1],
                                [f[2], *more.get("alts", [])], more.get("pcode")))
    for gid in sorted(cities):
        c = cities[gid]
        code = f"{c['cc']}.{c['a1']}"
        more = extra.get(("city", str(gid)), {})
        alts = [a for a in c["alts"] if a != c["name"] and good_alt(a)] + more.get("alts", [])
        lines.append(index_line(gid, "city", c["fcode"], c["cc"], admin1[code][1] if code in admin1 else None,
                                code, c["lat"], c["lon"], c["pop"], c["name"], alts, more.get("pcode")))
    return lines + village_lines


def common_words() -> list[str]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        probs = json.load(f)
    return sorted(w for w, p in probs.items() if p > COMMON_WORD_LOGPROB and w.isalpha() and w.islower())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geodata", type=Path, help="folder with geonames/ and naturalearth/")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "warmonitor"
                        / "data" / "gazetteer")
    parser.add_argument("--optional-mimu", type=Path, metavar="DIR", help="also write MIMU's Myanmar towns and "
                        "villages (no stated licence: not shipped) as DIR/MM-mimu.tsv.gz, a user index; DIR is "
                        "usually the gazetteer's user folder (~/.local/share/warmonitor/gazetteer)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    words = common_words()
    lines = build_lines(args.geodata, frozenset(words), args.optional_mimu)
    n = write_index(args.out / "places.tsv.gz", lines, "source=GeoNames (geonames.org, CC BY 4.0); Natural Earth; "
                    + gazetteer_villages.SOURCE)
    with open(args.out / "common_words.txt.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                                               filename="") as gz:
        gz.write(("\n".join(words) + "\n").encode("utf-8"))
    size = sum(p.stat().st_size for p in args.out.glob("*.gz"))
    print(f"{n} places, {len(words)} common words -> {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
