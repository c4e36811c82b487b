"""The dateline that opens a wire or local story, and the place it names.

"KHARKIV, Ukraine (Reuters) —", "GAZA CITY —", "EL FASHER, Sudan, March 3 (AP) —", "SPRINGFIELD, Ill.
—", "Mosul, Iraq:", "KABUL, Afghanistan (Nov. 20, 2011)": the town the story was filed from, often
with its region or country, sometimes a date and an agency. Reports open this way in every conflict
and in local news alike, and the dateline is the one place an article states for all of its events:
`DatelineReader.read(text, gazetteer)` finds it in the opening lines and resolves the town *inside*
the region it names (a Springfield in Illinois, a Kharkiv in Ukraine), which the bare name cannot
decide. The extractor uses it as the default place of the facts that name none, and its country as
the article's country when the place finder chooses between towns of one name.

Recognition is deliberately strict (the dateline opens a line of the first few, is followed by a
dash, a colon or an agency in brackets, and the town is written in capitals or followed by its
region), because an ordinary opening sentence ("Gunmen killed four ...") must never become a place.
Region abbreviations ("Ill.", "N.S.W.", "Ont.") are data (`data/words/region_abbreviations.toml`)
and are read only right after a dateline town.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from ..data_files import DataFileError, load_word_table, load_words
from .gazetteer import Gazetteer, Place, normalize

# the town: capitals ("EL FASHER", "N'DJAMENA", "PORT-AU-PRINCE") or title case ("Mosul", "Deir ez-Zor")
_TOWN = r"(?P<town>[A-Z][A-Za-z'’.\-]*(?:[ \t]+(?:[A-Z][A-Za-z'’.\-]*|[a-z]{1,3}-[A-Z][A-Za-z'’\-]*|al|el|de|du|des|la|le|ez|az|es)){0,4})"
# the region or country after a comma: "Ukraine", "Ill.", "N.S.W.", "South Sudan", "IL", "Democratic Republic
# of Congo", "Bosnia and Herzegovina"
_REGION = r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.'’]*(?:[ \t]+(?:(?:of|the|and)[ \t]+){0,2}[A-Z][A-Za-z.'’]*){0,3}))?"
_MONTHS = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|January|February|March|April|May|June"
           r"|July|August|September|October|November|December")
# a date after the region: ", March 3", ", Nov. 20, 2011", ", 3 March"
_DATE = (rf"(?:,[ \t]*(?P<date>(?:(?:{_MONTHS})[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+(?:{_MONTHS}))(?:,?[ \t]+(?:19|20)\d\d)?))?")
# "(Reuters)", "(AP)", "(Nov. 20, 2011)", "(AFP/Xinhua)"
_BRACKET = r"(?:[ \t]*\((?P<bracket>[^()\n]{1,40})\))?"
_END = r"[ \t]*(?P<end>—|–|--|-|:|\n|$)"
_DATELINE = re.compile(rf"(?m)^[ \t]*{_TOWN}{_REGION}{_DATE}{_BRACKET}{_END}")
# "(Nov. 20, 2011)": a bracket holding a date rather than an agency
_BRACKET_DATE = re.compile(rf"(?:{_MONTHS})[ \t]+\d{{1,2}}\b|\b\d{{1,2}}[ \t]+(?:{_MONTHS})")
_OPENING_CHARS = 600  # datelines open the story: a headline and a byline may come before
_OPENING_LINES = 6


@dataclass(frozen=True, slots=True)
class Dateline:
    """A story's dateline: character offsets of the whole dateline and of its town, the town and region
    as written, the date as written (or None), and what the region names."""

    start: int
    end: int
    town_start: int
    town_end: int
    town: str
    region: str | None
    date_text: str | None  # "March 3", "Nov. 20, 2011": the day of filing, as written
    country: str | None  # ISO code the region names (or the town's own, once resolved)
    admin1: str | None  # the first-level division the region names
    place: Place | None  # the town in the gazetteer, within the region when one is named

    def record(self) -> dict:
        """The dateline's town as a fact's place, marked `from_dateline`: the gazetteer's reading when it
        knows the town, else the name as written with the region's division and country."""
        name = self.town
        if self.place is not None:
            record = self.place.to_record(1 if self.place.kind in ("city", "curated", "feature") else 3, None, name)
            record.update(name=name, toponym=self.place.name, gazetteer_name=self.place.name)
        else:
            record = {"name": name, "geonameid": None, "admin1": self.admin1, "country": self.country, "lat": None,
                      "lon": None, "precision": None, "toponym": name, "qualifier": None}
        record["from_dateline"] = True
        return record


def _town_name(written: str) -> str:
    """"EL FASHER" -> "El Fasher", "PORT-AU-PRINCE" -> "Port-Au-Prince"; title case is kept as written."""
    if not written.isupper():
        return written
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), written.lower())


class DatelineReader:
    """Reads datelines; holds the region abbreviations and the story labels that are no dateline
    ("UPDATE —", "BREAKING --"). Build one and keep it (resources.Resources holds one)."""

    def __init__(self) -> None:
        table = load_word_table("region_abbreviations", "abbreviations")
        for key, value in table.items():
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and v for v in value)):
                raise DataFileError(f"region_abbreviations.toml: '{key}' should be [country code, first-level name]")
        self.abbreviations = MappingProxyType({k: (v[0], v[1]) for k, v in table.items()})
        self.labels = frozenset(normalize(w) for w in load_words("not_places", "labels"))
        self.months = frozenset(w.lower() for w in load_words("calendar", "months"))
        self.weekdays = frozenset(w.lower() for w in load_words("calendar", "weekdays"))

    def find(self, text: str) -> re.Match | None:
        """The dateline's match in the opening lines of `text`, or None."""
        head = text[:_OPENING_CHARS]
        lines = 0
        for m in _DATELINE.finditer(head):
            lines = head.count("\n", 0, m.start())
            if lines > _OPENING_LINES:
                return None
            if self._acceptable(m):
                return m
        return None

    def _acceptable(self, m: re.Match) -> bool:
        town, region, end = m.group("town"), m.group("region"), m.group("end")
        key = normalize(town)
        if not key or key in self.labels or key.split()[0] in self.months | self.weekdays:
            return False
        if len(town.replace(" ", "")) < 3 or len(town.split()) > 4:
            return False
        capitals = town.isupper()
        framed = bool(region or m.group("bracket") or m.group("date"))
        if end in ("\n", ""):
            return framed and (region is not None) and bool(m.group("bracket") or m.group("date") or capitals)
        if end == "-" and not (framed or capitals):
            return False
        if not capitals:
            # title case ("Mosul, Iraq:") needs its region: "Gunmen -" or "Update:" is no dateline
            return region is not None
        return True

    def read(self, text: str, gazetteer: Gazetteer, country: str | None = None) -> Dateline | None:
        """The story's dateline with its town resolved within the region it names (else within `country`,
        the article's), or None when the story opens without one."""
        m = self.find(text or "")
        if m is None:
            return None
        town = _town_name(m.group("town").strip(" .-"))
        region = m.group("region")
        r_country, r_admin1 = self.region(region, gazetteer)
        if region and r_country is None and r_admin1 is None:
            if not (m.group("date") or m.group("bracket")):
                return None  # "HOLD, THE FRONT PAGE -": a comma and words that name no region
            region = None  # "BENI, Democratic Republic of Congo, June 9 (GLW) -": a dateline, its region unread
        place = self.town(town, gazetteer, r_country or country, r_admin1, strict=region is not None)
        if place is not None and place.kind == "country":
            place = None if region else place
        if place is None and region is None and not gazetteer.candidates(normalize(town)):
            # a bare capital dateline the gazetteer does not know: kept only when it looks like a town,
            # not a label ("WATCH —"): at least two words or five letters
            if len(town) < 5:
                return None
        start = m.start("town")
        bracket = m.group("bracket")
        date_text = m.group("date") or (bracket if bracket and _BRACKET_DATE.search(bracket) else None)
        return Dateline(start, m.end("end") if m.group("end") not in ("\n", "") else m.end("end") - len(m.group("end")),
                        start, m.end("town"), town, region, date_text,
                        r_country or (place.country if place else None),
                        r_admin1 or (place.admin1 if place and place.kind != "country" else None), place)

    def region(self, region: str | None, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
        """(country, first-level name) a dateline's region names: an abbreviation of the data file, a
        country, or a first-level division the gazetteer knows."""
        if not region:
            return None, None
        region = region.strip()
        found = self.abbreviations.get(region) or self.abbreviations.get(region.rstrip("."))
        if found:
            return found
        cands = [p for p, _ in gazetteer.candidates(normalize(region))]
        countries = [p for p in cands if p.kind == "country"]
        if countries:
            return countries[0].country, None
        divisions = [p for p in cands if p.kind == "admin1"]
        if len(divisions) == 1:
            return divisions[0].country, divisions[0].admin1
        return None, None

    @staticmethod
    def town(town: str, gazetteer: Gazetteer, country: str | None, admin1: str | None, strict: bool) -> Place | None:
        """The town in the gazetteer: among the entries of the named region (division, then country); with
        a region named, an entry elsewhere is no reading of it (`strict`)."""
        cands = gazetteer.candidates(normalize(town))
        towns = [(p, b) for p, b in cands if p.kind in ("city", "curated", "feature", "admin2", "admin1")]
        if admin1:
            inside = [(p, b) for p, b in towns if p.country == country and p.admin1 == admin1]
            if inside or strict:
                return gazetteer.best(inside, country, "city")
        if country:
            inside = [(p, b) for p, b in towns if p.country == country]
            if inside or strict:
                return gazetteer.best(inside, country, "city")
        return gazetteer.best(towns or cands, country, None)
