"""The gazetteer: place names to coordinates, from the index shipped in `warmonitor/data/gazetteer/`.

The index (built by `scripts/build_gazetteer.py` from GeoNames) holds every country, first- and
second-level division and every place of GeoNames' cities15000 plus the 500+ places of Syria, Turkey,
Iraq, Lebanon, Jordan, Israel and Palestine, each with its Latin-script alternate names and their
normalised keys. `data/places_curated.jsonl` adds places the news names that GeoNames' lists lack
(camps, crossings, highways, frontline villages) and extra names of indexed places. Users may add a
full GeoNames country dump (`warmonitor gazetteer import XX.zip`, see `gazetteer_import`); such
indexes live in `default_user_dir()` and load with the shipped one.

Names are compared by `normalize()`, which folds the spelling variants of transliterated names:
"Ma'arrat al-Nu'man", "Maarat al-Numan" and "Maaret al-Nouman" give one key; its word lists are
data (see `NameKeys`). `Gazetteer()` reads no index until its first lookup; nothing is loaded at
import time.
"""
from __future__ import annotations

import gzip
import math
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable

from ..data_files import DataFileError, check_entry, data_path, load_jsonl, load_word_table, load_words

INDEX_MAGIC = "#warmonitor-gazetteer"
INDEX_FORMAT = "2"  # 2 added the trailing pcode column; format 1 files (older user imports) still load
READ_FORMATS = ("1", "2")
# Bump when normalize() changes: an index built with another version is re-keyed from its names on load.
NORMALIZER_VERSION = "6"
COLUMNS = ("geonameid", "kind", "feature_code", "country", "admin1", "admin_code", "lat", "lon", "population",
           "name", "alternatenames", "keys", "pcode")
KINDS = ("country", "admin1", "admin2", "city", "curated", "feature", "village")
# Feature code of a settlement whose point is that of the community around it, not its own (Ukraine's
# settlements sit at their hromada's centroid): its place record says precision 2, "somewhere near".
COARSE_POINT_CODE = "PPLZ"

# --- normalisation -----------------------------------------------------------------------------

_TABLE = {ord(c): None for c in "'’‘`´ʻʼʽʿʾ\"“”′″ˈ"}
_TABLE.update({ord(c): " " for c in "-‐‑‒–—―/\\_.,;:()[]{}&+!?*#|~@<>="})
_TABLE.update({ord(k): v for k, v in {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
                                      "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l", "ə": "e"}.items()})
_TABLE = MappingProxyType(_TABLE)
_DOUBLE = re.compile(r"(.)\1+")
_DIPHTHONG = re.compile(r"[ae][iy]")
_SHAYKH = re.compile(r"^(?:sh|ch)(?:(?:ai|e)kh|aik$)")


def _first(match: re.Match) -> str:
    return match.group(1)


def _fold_chars(word: str) -> str:
    """Generic transliteration folds: ou->u, ee->i, oo->u, ay/ai/ei/ey->ai, doubled letters once, a final
    h after a vowel dropped, a final -et as -at (Taybet/Taybat), Sheikh/Shaykh/Cheikh as "shaykh"."""
    if "ou" in word:
        word = word.replace("ou", "u")
    if "ee" in word:
        word = word.replace("ee", "i")
    if "oo" in word:
        word = word.replace("oo", "u")
    if _DOUBLE.search(word):
        word = _DOUBLE.sub(_first, word)
    if _DIPHTHONG.search(word):
        word = _DOUBLE.sub(_first, _DIPHTHONG.sub("ai", word))
    if len(word) > 3 and word[-1] == "h" and word[-2] in "aeiouy":
        word = word[:-1]
    if len(word) > 4 and word.endswith("et"):
        word = word[:-2] + "at"
    if word[:1] in "sc" and word[1:2] == "h":
        word = _SHAYKH.sub("shaykh", word)
    return word


class NameKeys:
    """How `normalize` folds place names: the Arabic articles (data/words/connectors.toml), the spelling
    variants (place_name_variants.toml) and the division words dropped at either end of a name
    (place_nouns.toml). The index stores keys made with them, so NORMALIZER_VERSION moves with those
    files."""

    def __init__(self) -> None:
        self.articles = frozenset(load_words("connectors", "arabic_articles"))
        variants = load_word_table("place_name_variants", "variants")
        for key, spellings in variants.items():
            if not isinstance(spellings, list) or not all(isinstance(w, str) and w for w in spellings):
                raise DataFileError(f"place_name_variants.toml: '{key}' should be a list of spellings")
        # Word variants folded to one spelling (after the generic folds). Values may hold two words.
        self.word_map = MappingProxyType({_fold_chars(v): k for k, vs in variants.items() for v in vs})
        self.strip_first = frozenset(load_words("place_nouns", "dropped_before_names"))
        self.strip_last = frozenset(load_words("place_nouns", "dropped_after_names"))

    def fold_word(self, word: str) -> str:
        """One lower-case, diacritic-free word to its folded spelling."""
        word = _fold_chars(word)
        return self.word_map.get(word, word)

    def normalize(self, name: str) -> str:
        """The lookup key of a place name: lower case, no diacritics or apostrophes, hyphens as spaces,
        articles (al-, el-, ad-, ash-, ...) as "al", transliteration variants folded (Sheikh/Shaykh,
        Deir/Dayr, Jabal/Jebel/Mount, ez-Zor/Ezzor/az Zawr), "X Mountain" as "jabal X", a leading
        "the" and a trailing "governorate"/"province"/"district"/"region" dropped."""
        text = name.lower().translate(_TABLE)
        if not text.isascii():  # diacritics off; letters of other scripts go too (the index is Latin-script)
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        words = text.split()
        if not words:
            return ""
        last = len(words) - 1
        out = []
        for i, word in enumerate(words):
            if i < last and word in self.articles:
                out.append("al")
            elif word.isalpha():
                out.append(self.fold_word(word))
            else:
                out.append(word)
        if len(out) > 1 and out[0] == "the":
            out.pop(0)
        if len(out) > 2 and out[0] in self.strip_first and out[1] == "of":
            del out[:2]
        elif len(out) > 1 and out[0] in self.strip_first:
            out.pop(0)
        if len(out) > 1 and out[-1] in self.strip_last:
            out.pop()
        key = " ".join(out)
        if len(out) > 1 and out[-1] == "jabal":
            key = "jabal " + key[:-6]
        return key


@cache
def default_name_keys() -> NameKeys:
    """The folds `normalize` uses: built on first use, never at import, and shared by the process since
    they depend on no setting and never change (index keys must not differ between pipelines)."""
    return NameKeys()


def fold_word(word: str) -> str:
    """One lower-case, diacritic-free word to its folded spelling."""
    return default_name_keys().fold_word(word)


def normalize(name: str) -> str:
    """The lookup key of a place name (see `NameKeys.normalize`)."""
    return default_name_keys().normalize(name)


def not_village_keys() -> frozenset[str]:
    """Name keys no row of the village-level lists may have (scripts/gazetteer_villages.py leaves such
    villages out): words the news uses for something else, the months and feasts of
    data/words/not_village_names.toml, the calendar's months and weekdays and the not_places names."""
    words = [*load_words("not_village_names", "names"), *load_words("calendar", "months"),
             *load_words("calendar", "weekdays"), *load_words("not_places")]
    return frozenset(index_keys(words))


def article_variant(key: str) -> str:
    """The key with its leading article removed, or added: "al bab" <-> "bab"."""
    return key[3:] if key.startswith("al ") else "al " + key


# --- places ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int | None
    name: str
    kind: str  # country, admin1, admin2, city, curated (data/places_curated.jsonl), feature (user imports),
    # village (the village-level lists: OCHA communities, Afghan villages, Ukrainian settlements)
    feature_code: str  # GeoNames feature code (PPL, PPLA, ADM1, PCLI, CMPRF, RD, ...)
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None  # first-level division's name ("Idlib"); None for a country
    lat: float | None
    lon: float | None
    population: int | None
    note: str | None = None
    pcode: str | None = None  # the humanitarian (OCHA/MIMU) p-code: "C4068" for a Syrian community, "SY07"

    def to_record(self, precision: int, qualifier: str | None = None, text: str | None = None) -> dict[str, Any]:
        """The FORMAT.md place record, plus the qualifier ("western", "near") and the text as written. A
        settlement whose point is its community's centroid (COARSE_POINT_CODE) is at best precision 2."""
        if precision == 1 and self.feature_code == COARSE_POINT_CODE:
            precision = 2
        return {"name": self.name, "geonameid": self.geonameid, "admin1": self.admin1, "country": self.country,
                "lat": self.lat, "lon": self.lon, "precision": precision, "qualifier": qualifier, "text": text,
                "pcode": self.pcode}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# --- index files -------------------------------------------------------------------------------

def index_header(source: str) -> str:
    return f"{INDEX_MAGIC}\t{INDEX_FORMAT}\tnormalizer={NORMALIZER_VERSION}\t{source}\n#" + "\t".join(COLUMNS) + "\n"


def index_line(geonameid: int | str | None, kind: str, feature_code: str, country: str, admin1: str | None,
               admin_code: str, lat: float | None, lon: float | None, population: int | None, name: str,
               alternatenames: Iterable[str], pcode: str | None = None) -> str:
    """One row of an index file; the keys column is computed here with `normalize`."""
    alts = [a for a in dict.fromkeys(alternatenames) if a and a != name]
    for field in [name, admin1 or "", pcode or "", *alts]:
        if "\t" in field or "\n" in field or "|" in field:
            raise ValueError(f"{name!r}: a name holds a tab, newline or '|'")
    keys = index_keys([name, *alts])
    coord = ("" if lat is None else f"{lat:.5f}".rstrip("0").rstrip("."),
             "" if lon is None else f"{lon:.5f}".rstrip("0").rstrip("."))
    return "\t".join([str(geonameid or ""), kind, feature_code, country, admin1 or "", admin_code, *coord,
                      "" if population is None else str(population), name, "|".join(alts), "|".join(keys),
                      pcode or ""]) + "\n"


def index_keys(names: Iterable[str]) -> list[str]:
    return [k for k in dict.fromkeys(normalize(n) for n in names) if k]


def write_index(path: Path, lines: Iterable[str], source: str) -> int:
    """Write an index (gzip'd TSV, reproducible: no timestamp in the gzip header); returns rows written."""
    count = 0
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(index_header(source).encode("utf-8"))
        for line in lines:
            gz.write(line.encode("utf-8"))
            count += 1
    tmp.replace(path)
    return count


def read_index(path: Path) -> tuple[list[str], bool]:
    """The data lines of an index file, and whether their keys were made by this normalizer."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            text = f.read()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read gazetteer index: {exc}") from exc
    lines = text.split("\n")
    head = lines[0].split("\t") if lines else []
    if len(head) < 3 or head[0] != INDEX_MAGIC or head[1] not in READ_FORMATS:
        raise DataFileError(f"{path}: not a warmonitor gazetteer index (format {INDEX_FORMAT})")
    fresh = head[2] == f"normalizer={NORMALIZER_VERSION}"
    rows = [line for line in lines[1:] if line and not line.startswith("#")]
    if head[1] == "1":  # no pcode column: give each row an empty one, so every row has the same columns
        rows = [line + "\t" for line in rows]
    return rows, fresh


def default_user_dir() -> Path:
    """Where `gazetteer import` writes: $WARMONITOR_DATA/gazetteer, else ~/.local/share/warmonitor/gazetteer
    ($XDG_DATA_HOME respected)."""
    env = os.environ.get("WARMONITOR_DATA")
    if env:
        return Path(env).expanduser() / "gazetteer"
    return Path(os.environ.get("XDG_DATA_HOME") or "~/.local/share").expanduser() / "warmonitor" / "gazetteer"


# --- curated places ----------------------------------------------------------------------------

CURATED_CODES = MappingProxyType({"town": "PPL", "village": "PPL", "neighbourhood": "PPLX", "camp": "CMPRF",
                                  "crossing": "PSTB", "road": "RD", "mountain": "MT", "area": "AREA",
                                  "region": "RGN", "airbase": "AIRB", "port": "PRT", "dam": "DAM",
                                  "island": "ISL", "strait": "STRT", "plant": "PS"})
_PLACE_FIELDS = MappingProxyType({"name": str, "lat": (int, float), "lon": (int, float), "country": str, "kind": str,
                                  "source": str})
_ALIAS_FIELDS = MappingProxyType({"alias": list, "of": int, "source": str})


def load_curated(path: Path | None = None) -> tuple[list[tuple[Place, list[str]]], list[tuple[int, list[str]]]]:
    """`places_curated.jsonl`: places (with their other names) and extra names of indexed entries."""
    path = path or data_path("places_curated.jsonl")
    places, aliases = [], []
    for number, row in enumerate(load_jsonl("places_curated.jsonl", path), 1):
        where = f"{path} entry #{number}"
        if "alias" in row:
            check_entry(row, _ALIAS_FIELDS, where)
            aliases.append((row["of"], [str(a) for a in row["alias"]]))
            continue
        check_entry(row, _PLACE_FIELDS, where)
        if row["kind"] not in CURATED_CODES:
            raise DataFileError(f"{where}: kind '{row['kind']}' is not one of {', '.join(CURATED_CODES)}")
        if not (-90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180):
            raise DataFileError(f"{where}: lat/lon out of range")
        if len(row["country"]) != 2 or not row["country"].isupper():
            raise DataFileError(f"{where}: country should be an ISO 3166 alpha-2 code")
        alt = row.get("alt", [])
        if not isinstance(alt, list) or not all(isinstance(a, str) for a in alt):
            raise DataFileError(f"{where}: field 'alt' should be a list of names")
        places.append((Place(None, row["name"], "curated", CURATED_CODES[row["kind"]], row["country"],
                             row.get("admin1"), float(row["lat"]), float(row["lon"]), row.get("population"),
                             row.get("note")), alt))
    return places, aliases


# --- the gazetteer -----------------------------------------------------------------------------

KIND_BASE = MappingProxyType({"country": 7.0, "admin1": 4.0, "admin2": 2.5, "curated": 4.0, "feature": 2.0,
                              "village": 2.0})


class Gazetteer:
    """Name lookups over the shipped index, the curated places and the user's imported dumps.

    `index_path`: the shipped index (default `data/gazetteer/places.tsv.gz`); `user_dir`: imported
    indexes (default `default_user_dir()`, False for none); `curated_path`: the curated file (False for
    none). No index is read until the first lookup; the division words load with the gazetteer."""

    def __init__(self, index_path: Path | None = None, user_dir: Path | bool | None = None,
                 curated_path: Path | bool | None = None):
        self.index_path = index_path or data_path("gazetteer/places.tsv.gz")
        self.user_dir = None if user_dir is False else (
            default_user_dir() if user_dir in (None, True) else Path(user_dir))
        self.curated_path = curated_path
        self._lock = threading.Lock()
        self._rows: list[str] | None = None
        self._index: dict[str, Any] = {}
        self._places: dict[int, Place] = {}
        self._main: dict[int, str] = {}
        self._by_id: dict[int, int] | None = None
        self._common: frozenset[str] = frozenset()
        self.max_words = 1
        self.sources: list[str] = []
        self.admin1_words = frozenset(load_words("place_nouns", "first_level_divisions"))
        self.admin2_words = frozenset(load_words("place_nouns", "second_level_divisions"))

    # loading
    def _ensure(self) -> None:
        if self._rows is None:
            with self._lock:
                if self._rows is None:
                    self._load()

    def _load(self) -> None:
        rows: list[str] = []
        index: dict[str, Any] = {}
        seen: set[str] = set()
        files = [self.index_path]
        if self.user_dir is not None and self.user_dir.is_dir():
            files += sorted(self.user_dir.glob("*.tsv.gz"))
        for n, path in enumerate(files):
            lines, fresh = read_index(path)
            if n == 0 and len(files) > 1:
                seen = {line[:line.index("\t")] for line in lines}
            get = index.get
            for line in lines:  # the hot loop of loading (130,000 rows): _add_keys inlined
                body, _, pcode = line.rpartition("\t")
                head, _, rest = body.rpartition("\t")  # rest = keys
                if n > 0:
                    gid = line[:line.index("\t")]
                    if gid and gid in seen:
                        continue
                    seen.add(gid)
                if not fresh:
                    parts = line.split("\t")
                    rest = "|".join(index_keys([parts[9], *parts[10].split("|")]))
                row = len(rows)
                for key in rest.split("|"):
                    have = get(key)
                    if have is None:
                        if key:
                            index[key] = row
                    elif have.__class__ is int:
                        if have != row:
                            index[key] = [have, row]
                    elif row not in have:
                        have.append(row)
                # keep the fields up to the name, and the p-code after it; drop alternatenames and keys
                head = head[:head.rindex("\t")]
                rows.append(head + "\t" + pcode if pcode else head)
            self.sources.append(str(path))
        self._rows = rows
        self._index = index
        self._load_curated()
        common = self.index_path.with_name("common_words.txt.gz")
        if common.exists():
            with gzip.open(common, "rt", encoding="utf-8") as f:
                self._common = frozenset(f.read().split())
        self.max_words = max((k.count(" ") + 1 for k in index), default=1)

    @staticmethod
    def _add_keys(index: dict[str, Any], row: int, keys: list[str]) -> None:
        for key in keys:
            if not key:
                continue
            have = index.get(key)
            if have is None:
                index[key] = row
            elif isinstance(have, int):
                if have != row:
                    index[key] = [have, row]
            elif row not in have:
                have.append(row)

    def _load_curated(self) -> None:
        if self.curated_path is False:
            return
        places, aliases = load_curated(None if self.curated_path in (None, True) else Path(self.curated_path))
        for place, alt in places:
            row = len(self._rows)
            self._rows.append("")  # curated places live in self._places only
            self._places[row] = place
            self._add_keys(self._index, row, index_keys([place.name, *alt]))
        for geonameid, names in aliases:
            row = self._row_of(geonameid)
            if row is None:
                raise DataFileError(f"{self.curated_path or 'places_curated.jsonl'}: alias 'of' {geonameid} "
                                    "is not in the gazetteer index")
            self._add_keys(self._index, row, index_keys(names))

    def _row_of(self, geonameid: int) -> int | None:
        if self._by_id is None:
            by_id = {}
            for i, line in enumerate(self._rows):
                gid = line[:line.find("\t")]
                if gid:
                    by_id.setdefault(int(gid), i)
            self._by_id = by_id
        return self._by_id.get(geonameid)

    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            f = self._rows[row].split("\t")
            place = Place(int(f[0]) if f[0] else None, f[9], f[1], f[2], f[3], f[4] or None,
                          float(f[6]) if f[6] else None, float(f[7]) if f[7] else None,
                          int(f[8]) if f[8] else None, None, f[10] if len(f) > 10 else None)
            self._places[row] = place
        return place

    # lookups
    def __len__(self) -> int:
        self._ensure()
        return len(self._rows)

    def has_key(self, key: str) -> bool:
        self._ensure()
        return key in self._index

    def is_common_word(self, word: str) -> bool:
        """Whether `word` (lower case) is a frequent English word (spaCy's lexeme probabilities)."""
        self._ensure()
        return word in self._common

    def by_geonameid(self, geonameid: int) -> Place | None:
        self._ensure()
        row = self._row_of(geonameid)
        return None if row is None else self._place(row)

    def candidates(self, key: str) -> list[tuple[Place, float]]:
        """Entries for a normalised key, each with a match bonus: 0 for the entry's own name, -0.5 for one
        of its alternate names (GeoNames' own names are local: "Genève"), 0.5 less again when the key
        matched only with its leading article added or removed ("bab" finds "al bab")."""
        self._ensure()
        out = []
        for k, bonus in ((key, 0.0), (article_variant(key), -0.5)):
            rows = self._index.get(k)
            if rows is None:
                continue
            for row in (rows,) if isinstance(rows, int) else rows:
                place = self._place(row)
                main = self._main.get(row)
                if main is None:
                    main = self._main[row] = normalize(place.name)
                out.append((place, bonus if main == k else bonus - 0.5))
        return out

    def lookup(self, name: str) -> list[Place]:
        """Every entry whose name or alternate name normalises like `name` (or differs from it only by a
        leading article), most populous first."""
        found = list(dict.fromkeys(p for p, _ in self.candidates(normalize(name))))
        return sorted(found, key=lambda p: -(p.population or 0))

    def resolve(self, name: str, country: str | None = None, prefer: str | None = None) -> Place | None:
        """The likeliest entry for `name` (see `score`); "X province" prefers a first-level division
        and "X district" a second-level one unless `prefer` says otherwise."""
        prefer = prefer or admin_preference(name, self.admin1_words, self.admin2_words)
        return self.best(self.candidates(normalize(name)), country, prefer)

    @staticmethod
    def score(place: Place, bonus: float = 0.0, country: str | None = None, prefer: str | None = None,
              region: str | None = None) -> float:
        """Countries first, then places of the article's country, then size (log10 of the population;
        a town of unknown population counts as 1,000 people, a division as a town of 10,000 (province)
        or 300 (district), a village from the village-level lists as one of 100, below any town of
        its country); `prefer` a kind to favour it; names matched as alternate names or without
        their article a little less; entries without coordinates last. `region`: the first-level
        division the article is filed from (its dateline's), whose towns beat namesakes elsewhere in
        the country (a story from Illinois means Illinois' Springfield, whichever is larger); not a
        village's, which stays below the country's towns (a siege town over a namesake hamlet)."""
        if place.kind in ("city", "feature") or (place.kind == "curated" and place.population):
            base = max(3.0, math.log10((place.population or 0) + 1))
            if place.kind == "curated":
                base = max(base, KIND_BASE["curated"]) + 0.5
        else:
            base = KIND_BASE.get(place.kind, 2.0)
            if place.kind == "country" and place.population:
                base += math.log10(place.population) / 100  # "Congo": the larger one
        if country and place.country == country:
            base += 3.0
            if region and place.admin1 == region and place.kind not in ("admin1", "village"):
                base += 2.0
        if prefer and (place.kind == prefer or (prefer == "city" and place.kind in ("curated", "village"))):
            base += 10.0
        if place.lat is None:
            base -= 5.0
        return base + bonus

    def best(self, candidates: list[tuple[Place, float]], country: str | None = None,
             prefer: str | None = None, region: str | None = None) -> Place | None:
        choice = self.choose(candidates, country, prefer, region)
        return None if choice is None else choice[0]

    def choose(self, candidates: list[tuple[Place, float]], country: str | None = None,
               prefer: str | None = None, region: str | None = None) -> tuple[Place, float] | None:
        """The best (place, match bonus) of `candidates`, by `score`. Villages (the village-level lists:
        thousands of small places whose names are those of towns elsewhere) count only within `country`:
        without an article country, or in another one, a village is never the answer; with the article's
        first-level division known (`region`), only that division's villages count (a quarter of
        Damascus is no namesake hamlet on the coast); and a village is no "X district" or "X province"
        (`prefer` a division)."""
        division = prefer in ("admin1", "admin2")
        if any(p.kind == "village" and (division or p.country != country or region and p.admin1 != region)
               for p, _ in candidates):
            candidates = [c for c in candidates if c[0].kind != "village" or not division
                          and c[0].country == country and (not region or c[0].admin1 == region)]
        if not candidates:
            return None
        return max(candidates, key=lambda c: self.score(c[0], c[1], country, prefer, region))


def admin_preference(name: str, admin1_words: frozenset[str], admin2_words: frozenset[str]) -> str | None:
    """"admin1" for "X province/governorate/oblast/region/state", "admin2" for "X district/county"
    (the division words of data/words/place_nouns.toml, as a Gazetteer holds them)."""
    last = name.rsplit(None, 1)[-1].lower() if name.strip() else ""
    return "admin1" if last in admin1_words else "admin2" if last in admin2_words else None
