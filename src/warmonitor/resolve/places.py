"""Place mentions in a range of tokens, resolved against the gazetteer.

`PlaceFinder(gazetteer).find(view, start, end, country)` reads the tokens of a `TokenView` from
`start` to `end` and returns each place named there as a `PlaceMention`: the tokens it spans (with
its qualifier: "western Aleppo", "near Saraqib", "south of Idlib"), the `Place` it resolves to, the
ACLED geo-precision (1 the town itself, 2 part of a region or near a town, 3 only the region or
country) and the text as written.

Recognition: at each capitalised token (or "al-"/"el-" before one) the longest run of tokens whose
normalised text is a gazetteer key wins, the gazetteer's dict standing in for a PhraseMatcher. Then:

- "X province/governorate/oblast/state/region" prefers the first-level division, "X district/county"
  the second (precision 3); "X countryside", "rural X", "the countryside of X" are precision 2;
  "Idlib and Hama provinces" gives both provinces;
- a direction before the name ("western Aleppo", "northwestern Syria") or "N of" ("south of Idlib",
  "10 km north of Raqqa") and "near/outside/around/close to/the outskirts of X" keep the qualifier and
  give precision 2 for a town, 3 for a region or country; "the town of" between them is skipped;
- "X, Lebanon", "X, Virginia", "X, Va.", "X district, Uruzgan province" resolve X inside that region
  (and name the region); an abbreviated or worded region with no X inside it leaves X unresolved
  rather than a namesake elsewhere; otherwise `country` (the article's) and size decide, and then
  the text's places settle each other (`place_context.cohere`: the namesake near the other places,
  small towns far from all of them dropped);
- "the Idlib town of Saraqib", "a Kherson village", "a small Florida town": X is the region;
- not places: lower-case words ("hama", "aleppo soap"), names next to other capitalised words that
  the gazetteer does not know ("Al Jazeera", "Aleppo Media Center", "Ahmad Hama"), a name after a
  title ("Mr Hama") or before a speech verb ("Hama said"), month and weekday names, direction words
  alone, short all-capital words other than known abbreviations (US, UK, UAE, DRC), a road name
  without "the" or a road word (M4 rifle), a name before a capitalised street word ("Main Street",
  "Victoria Road": a street, not the town), and common English words that are also towns ("Of",
  "Mark", "Police", "Nice") unless a place preposition comes before them (and the town is in the
  article's country when one is given), a street ("Mill Road"), and a small town abroad after a
  capitalised direction ("the South Side"). A headline's sentence is read as title case on its own.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..data_files import DataFileError, load_toml, load_words
from .datelines import region_abbreviations
from .gazetteer import Gazetteer, Place, normalize
from .place_context import TOWN_KINDS, cohere

NEAR_WORDS = frozenset(["near", "outside", "around", "nearby", "beyond"])
COUNTRYSIDE = frozenset(["countryside", "rural"])


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int  # token indices in the view, qualifier included ("near Saraqib")
    end: int
    place: Place
    precision: int  # ACLED geo-precision: 1 the place itself, 2 part of / near, 3 the region or country only
    qualifier: str | None  # "western", "south of", "near", "countryside", "rural", ...
    text: str  # as written
    key: str | None = None  # the gazetteer key the name matched (its namesakes: `Gazetteer.candidates(key)`)

    def to_record(self) -> dict:
        return self.place.to_record(self.precision, self.qualifier, self.text)


def base_precision(place: Place) -> int:
    if place.kind in ("country", "admin1", "admin2") or place.feature_code in ("RGN", "PCLI"):
        return 3
    if place.feature_code in ("RD", "AREA"):
        return 2
    return 1


def is_cap(text: str) -> bool:
    return text[:1].isupper()


class PlaceFinder:
    """Finds place mentions in token ranges. Holds the place words of data/words/ (prepositions,
    directions, place nouns, connectors; also read by `extract.phrases` through the pipeline's
    resources) and a cache of normalised spans (per finder)."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        self._keys: dict[str, str] = {}

        def words(kind: str, key: str = "words") -> frozenset[str]:
            return frozenset(load_words(kind, key))

        self.admin1_words = words("place_nouns", "first_level_divisions")
        self.admin2_words = words("place_nouns", "second_level_divisions")
        self.compass_points = words("directions", "compass_points")
        self.direction_adjectives = words("directions", "adjectives") | self.compass_points
        # `prepositions` holds every list of place_prepositions.toml, for the phrase readers in `extract`
        prepositions_table = load_toml("words/place_prepositions.toml")
        self.prepositions = {key: words("place_prepositions", key) for key, value in prepositions_table.items()
                             if isinstance(value, list)}
        self.place_prepositions = self.prepositions["words"] | self.prepositions["before_found_places"]
        self.descriptor_nouns = words("place_nouns", "descriptors")
        self.point_suffixes = words("place_nouns", "point_suffixes")
        self.near_suffixes = words("place_nouns", "near_suffixes")
        self.road_words = words("place_nouns", "roads")
        self.street_words = words("place_nouns", "streets")
        self.near_of = words("place_nouns", "before_of")
        self.followers = words("place_nouns", "after_names")
        self.connectors = words("connectors", "arabic_articles") | words("connectors", "inside_place_names")
        self.place_prefixes = words("connectors", "place_prefixes")
        self.inner = (self.connectors | self.point_suffixes | self.near_suffixes | self.admin1_words
                      | self.admin2_words | words("place_nouns", "inside_names"))
        # the place phrase reader of `extract.phrases`: directions it skips, place nouns it takes in
        self.phrase_directions = self.direction_adjectives | words("directions", "also_before_place_phrases")
        self.phrase_nouns = words("place_nouns", "in_place_phrases")
        self.compound_sides = words("hyphen_compounds", "sides")
        self.months_days = words("calendar", "months") | words("calendar", "weekdays")
        self.acronyms = words("place_abbreviations")
        # what a capitalised run in a place phrase may be instead of a place (extract.phrases)
        self.organisation_heads = words("not_place_names", "organisation_heads")
        self.headline_event_words = words("not_place_names", "headline_event_words")
        self.month_words = words("calendar", "months") | words("calendar", "month_abbreviations")
        self.region_abbreviations = region_abbreviations()  # "Ill." -> ("US", "Illinois")
        self.not_places = frozenset(normalize(name) for name in load_words("not_places"))
        # titles and speech verbs live in lexicon.toml, beside the matcher's terms for them
        lexicon = load_toml("lexicon.toml")
        self.titles = self._lexicon_words(lexicon, "titles")
        self.speech_verbs = self._lexicon_words(lexicon, "speech_verbs")

    @staticmethod
    def _lexicon_words(lexicon: dict, key: str) -> frozenset[str]:
        """A word list of lexicon.toml's [place_finder] table (see there why it is not the terms' own)."""
        words = lexicon.get("place_finder", {}).get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(f"lexicon.toml: [place_finder] '{key}' should be a list of non-empty strings")
        return frozenset(words)

    def _key(self, text: str) -> str:
        key = self._keys.get(text)
        if key is None:
            if len(self._keys) > 200_000:
                self._keys.clear()
            key = self._keys[text] = normalize(text)
        return key

    def find(self, view, start: int = 0, end: int | None = None, country: str | None = None,
             region: str | None = None, skip: tuple[int, int] | None = None) -> list[PlaceMention]:
        """The place mentions of tokens start..end; `country` the article's, `region` the first-level
        division within it that the article is filed from (its dateline's), to choose among namesakes.
        `skip`: a token range whose mentions are left out before the mentions settle each other (the
        dateline: where the story was filed, read as a whole elsewhere, is no neighbour of its events)."""
        toks = view.tokens
        end = len(toks) if end is None else min(end, len(toks))
        gaz = self.gazetteer
        max_tokens = min(2 * gaz.max_words + 2, 16)
        sent_starts = set(getattr(view, "sent_starts", ()) or ()) | {start}
        title_lines = self._title_lines(toks, start, end, sent_starts)
        found: list[tuple[PlaceMention, dict]] = []
        last_end = start
        i = start
        while i < end:
            tok = toks[i]
            if not self._can_start(toks, i, end):
                i += 1
                continue
            if i - 2 >= start and toks[i - 1].text == "," and is_cap(toks[i - 2].text):
                abbreviated = self._abbreviation_at(view, i, end)
                if abbreviated is not None:  # "Springfield, Ill.", "Saylorsburg, Pa.": the region, named
                    found.append(abbreviated)
                    last_end = i = abbreviated[0].end
                    continue
            match = self._longest(view, i, min(end, i + max_tokens))
            if match is None:
                i += 1
                continue
            e, key, cands = match
            mention = self._judge(view, i, e, end, key, cands, country, max(last_end, start), sent_starts,
                                  i in title_lines, region)
            if mention is None:
                if e - i == 1 and tok.lower_ in self.direction_adjectives:
                    i += 1  # "Northern" alone is no place; "Northern Idlib" still gives Idlib
                else:
                    i = e
                continue
            found.append(mention)
            last_end = i = mention[0].end
            region_mention = mention[1].get("region_mention")
            if region_mention is not None:  # "Alexandria, Virginia": the division, as the town's region
                found.append((region_mention, {"cands": [], "ctx": region_mention.place.country, "suffix": None,
                                               "name_start": region_mention.start, "kind_q": None}))
                last_end = i = region_mention.end
        if skip is not None:
            found = [(m, info) for m, info in found if m.end <= skip[0] or m.start >= skip[1]]
        self._coordinate(found, toks, country)
        cohere(self.gazetteer, found, country, region)
        return [m for m, _ in found]

    # --- the region named after a town
    def _abbreviation_at(self, view, j: int, hi: int):
        """The (mention, info) of an abbreviated first-level division at token j ("Ill.", "Va.", "N.S.W.",
        "AL" after "Huntsville,"), or None."""
        toks = view.tokens
        for n in (4, 3, 2, 1):
            if j + n > hi:
                continue
            last = toks[j + n - 1]
            raw = view.text[toks[j].idx:last.idx + len(last.text)]
            if " " in raw or "\n" in raw:
                continue
            found = self.region_abbreviations.get(raw)
            e = j + n
            if found is None and e < hi and toks[e].text == "." and not last.whitespace_:
                found, e = self.region_abbreviations.get(raw + "."), e + 1
            if found is None:
                continue
            if e < hi and toks[e].is_alpha and toks[e].text.isupper() and len(toks[e].text) > 1:
                return None  # an all-capital headline ("DAYTON, OH NO"): no abbreviation
            place = self._division(*found)
            if place is None:
                return None
            text = view.text[toks[j].idx:toks[e - 1].idx + len(toks[e - 1].text)]
            return (PlaceMention(j, e, place, 3, None, text),
                    {"cands": [], "ctx": place.country, "suffix": None, "name_start": j, "kind_q": None})
        return None

    def _division(self, country: str, admin1: str) -> Place | None:
        """The gazetteer's first-level division `admin1` of `country`."""
        for place, _ in self.gazetteer.candidates(self._key(admin1)):
            if place.kind == "admin1" and place.country == country and place.admin1 == admin1:
                return place
        return None

    def region_after(self, view, e: int, hi: int):
        """The region a town is placed in by the words after it: ", Lebanon", ", Illinois", ", Ill.".
        (end token, [(country, admin1 or None, Place)], abbreviated) or None; `abbreviated` is True for
        "Ill.", "worded" for a division named with its division word ("Uruzgan province"), else False:
        either says the region is meant, not the next name of a list ("Aleppo, Idlib and Hama")."""
        toks = view.tokens
        if not (e + 1 < hi and toks[e].text == "," and is_cap(toks[e + 1].text)):
            return None
        abbreviated = self._abbreviation_at(view, e + 1, hi)
        if abbreviated is not None:
            mention = abbreviated[0]
            return mention.end, [(mention.place.country, mention.place.admin1, mention.place)], True
        for n in (4, 3, 2, 1):
            if e + 1 + n > hi:
                continue
            span = toks[e + 1:e + 1 + n]
            worded = n > 1 and span[-1].lower_ in self.admin1_words  # ", Uruzgan province"
            if not all(t.is_alpha and (is_cap(t.text) or t.lower_ in self.connectors) for t in span[:n - worded]):
                continue
            last = span[-1]
            key = self._key(view.text[span[0].idx:last.idx + len(last.text)])
            if not key:
                continue
            cands = [p for p, _ in self.gazetteer.candidates(key)]
            countries = [p for p in cands if p.kind == "country"]
            if countries:
                return e + 1 + n, [(countries[0].country, None, countries[0])], False
            divisions = [(p.country, p.admin1, p) for p in cands if p.kind == "admin1" and p.admin1]
            if divisions:
                return e + 1 + n, divisions, "worded" if worded else False
        return None

    # --- recognition
    def _can_start(self, toks, i: int, end: int) -> bool:
        text = toks[i].text
        if is_cap(text) and text[0].isalpha():
            return toks[i].lower_ != "the"  # "The Hague" is found from "Hague": keys drop a leading "the"
        return (toks[i].lower_ in self.place_prefixes and i + 2 < end
                and toks[i + 1].text in ("-", "‑") and is_cap(toks[i + 2].text) and not toks[i].whitespace_)

    def _longest(self, view, i: int, hi: int):
        """The longest name-like run from token i whose normalised text is a key: (end, key, candidates)."""
        toks = view.tokens
        ends = []
        j = i
        while j < hi:
            t = toks[j]
            text = t.text
            if j > i:
                glued = not toks[j - 1].whitespace_
                if text in ("-", "‑", "'", "’") and glued and j + 1 < hi:
                    j += 1
                    continue
                if t.lower_ in ("'s", "’s") and glued and j + 1 < hi and is_cap(toks[j + 1].text):
                    j += 1  # "Lee's Summit", "St. John's Wood": a possessive inside a name
                    continue
                if not (is_cap(text) or t.lower_ in self.inner or t.like_num and glued
                        or toks[j - 1].text in ("-", "‑")):
                    break
                if "\n" in text or t.is_punct:
                    break
            if t.lower_ not in self.connectors or j == i:
                ends.append(j + 1)
            j += 1
        gaz = self.gazetteer
        source = view.text
        first = toks[i].idx
        for e in reversed(ends):
            last = toks[e - 1]
            key = self._key(source[first:last.idx + len(last.text)])
            if not key:
                continue
            cands = gaz.candidates(key)
            if cands:
                return e, key, cands
        return None

    # --- judgement
    def _judge(self, view, i: int, e: int, hi: int, key: str, cands, country, lo: int, sent_starts, title_case,
               region: str | None = None):
        toks = view.tokens
        gaz = self.gazetteer
        first = toks[i]
        single = e - i == 1
        words = [t.lower_ for t in toks[i:e] if t.is_alpha]
        if key in self.not_places or (single and (first.lower_ in self.months_days
                                                  or first.lower_ in self.direction_adjectives)):
            return None
        if first.text[:2].isupper() and not first.text.isupper() and first.is_alpha:
            return None  # "FAMa", "IDPs": an acronym, not a name
        span_text = view.text[first.idx:toks[e - 1].idx + len(toks[e - 1].text)]
        if not any(c.isdigit() for c in span_text) and span_text not in self.acronyms and (
                len(key.replace(" ", "")) < 3 or span_text.isupper() and len(span_text.replace(".", "")) <= 4):
            return None
        prev = toks[i - 1] if i - 1 >= lo else None
        # suffix after the name: province, countryside, city, ...
        prefer = suffix = None
        qualifier = None
        kind_q = None  # "part" (direction), "near", "countryside"
        e2 = e
        last_word = toks[e - 1].lower_
        if e - i > 1 and (last_word in self.admin1_words or last_word in self.admin2_words
                          or last_word in self.point_suffixes or last_word in self.near_suffixes):
            suffix = last_word
        else:
            k = e
            if k < hi and toks[k].lower_ in ("'s", "’s") and k + 1 < hi and toks[k + 1].lower_ in self.near_suffixes:
                k += 1
            if k < hi and (toks[k].lower_ in self.admin1_words or toks[k].lower_ in self.admin2_words
                           or toks[k].lower_ in self.point_suffixes or toks[k].lower_ in self.near_suffixes):
                suffix = toks[k].lower_
                e2 = k + 1
        if suffix in self.admin1_words:
            prefer = "admin1"
        elif suffix in self.admin2_words:
            prefer = "admin2"
        elif suffix in ("countryside", "suburbs", "outskirts", "environs", "surroundings", "area"):
            qualifier, kind_q = suffix, "near"
            prefer = "admin1" if suffix == "countryside" else None
        elif suffix in self.point_suffixes:
            prefer = "city" if suffix in ("city", "town", "village") else None
            if e2 + 1 < hi and toks[e2].lower_ == "of" and is_cap(toks[e2 + 1].text):
                prefer = "admin1"  # "the Idlib town of Saraqib", "the Florida city of Ocala": X is the region
            elif suffix in ("town", "village") and self._indefinite(toks, i, lo):
                prefer = "admin1"  # "a Kherson village", "a small Florida town": a town of the region X
        # what comes before: qualifier, descriptor ("the town of"), preposition
        q_start, q, q_kind, d_prefer, prep = self._before(toks, i, lo)
        if q:
            qualifier, kind_q = (q if not qualifier else f"{q} {qualifier}"), (q_kind if kind_q is None else kind_q)
        prefer = prefer or d_prefer
        if q in COUNTRYSIDE:  # "rural Damascus" may be a name of its own (Rif Dimashq)
            rural = gaz.candidates(self._key("rural " + span_text))
            cands, prefer = (rural, None) if rural else (cands, prefer or "admin1")
        # the ", Lebanon", ", Illinois", ", Ill." after the name: the town inside that region
        ctx, in_region, region_mention, explicit = country, region, None, False
        after = self.region_after(view, e2, hi)
        if after is not None:
            a_end, areas, abbreviated = after
            inside = [(p, b) for p, b in cands if p.kind != "country"
                      and any(p.country == c and (a1 is None or p.admin1 == a1) for c, a1, _ in areas)]
            if areas[0][1] is None:  # a country
                ctx, in_region = areas[0][0], None
                cands, explicit = inside or cands, bool(inside)
            elif inside:
                cands, explicit = inside, True
                ctx, in_region = inside[0][0].country, inside[0][0].admin1
                if abbreviated is not True:  # the abbreviation is found by `find` itself
                    division = next(p for c, a1, p in areas if c == ctx and a1 == in_region)
                    a_start = e2 + 1
                    region_mention = PlaceMention(a_start, a_end, division, 3, None, view.text[
                        toks[a_start].idx:toks[a_end - 1].idx + len(toks[a_end - 1].text)])
            elif abbreviated:
                # "Los Banos, Calif.", "Karjan district, Uruzgan province": a place the gazetteer lacks,
                # not its namesake elsewhere
                return None
        choice = gaz.choose(cands, ctx, prefer, in_region if ctx == country or explicit else None)
        if choice is None:
            return None
        place, bonus = choice
        if prefer == "city" and suffix in ("city", "town") and place.kind in TOWN_KINDS:
            # "Florida City": no Colombian town called Florida, but a town of the state (or of one of
            # the divisions so named: none is chosen when the story's country does not say which)
            divisions = [p for p, b in cands if p.kind == "admin1" and b == 0 and p.country != place.country
                         and (ctx is None or p.country == ctx)]
            if len(divisions) > 1:
                return None
            if divisions:
                place, bonus, prefer = divisions[0], 0.0, "admin1"
        nxt = toks[e2] if e2 < hi else None
        if (q and q_kind == "part" and single and is_cap(toks[q_start].text) and q_start not in sent_starts
                and not title_case and place.kind in TOWN_KINDS and (place.population or 0) < 100_000
                and (ctx is None or place.country != ctx)):
            return None  # "the South Side", "the East End": a quarter's name, not a small town abroad
        evidence = prep or bool(q) or suffix is not None
        at_start = i in sent_starts
        # false friends
        if prev is not None and prev.lower_.rstrip(".") in self.titles:
            return None
        if nxt is not None and nxt.lower_ in self.speech_verbs and not prep:
            return None
        if self.is_street_word(nxt) or (e2 - i > 1 and self.is_street_word(toks[e2 - 1])
                                         and place.feature_code != "RD" and place.kind != "curated"):
            return None  # "Main Street", "Victoria Road", "Mill Road": a street of some town, not the town "Main"
        if (nxt is not None and nxt.text in ("-", "‑") and not toks[e2 - 1].whitespace_ and e2 + 1 < hi
                and toks[e2 + 1].is_alpha and toks[e2 + 1].text.islower()):
            return None  # "US-led", "UK-based", "Gaza-bound": a modifier, not a location
        if not title_case:
            if (prev is not None and prev.is_alpha and is_cap(prev.text)
                    and prev.lower_ not in self.direction_adjectives and prev.lower_ not in self.place_prepositions
                    and prev.lower_ not in NEAR_WORDS
                    and prev.lower_ not in ("the", "and", "or", "rural")
                    and (i - 1 not in sent_starts or not gaz.is_common_word(prev.lower_))):
                return None
            if (nxt is not None and nxt.is_alpha and is_cap(nxt.text) and nxt.lower_ not in self.followers
                    and nxt.lower_ not in self.months_days  # "in Kokomo Wednesday night", "in Hama Monday"
                    and e2 not in sent_starts and place.kind != "country"):
                return None
        if place.feature_code == "RD" and not any(w in self.road_words for w in words) \
                and suffix not in self.road_words \
                and not (prev is not None and prev.lower_ == "the"):
            return None
        if place.kind != "country" and words and all(gaz.is_common_word(w) or w in self.connectors for w in words):
            if not evidence or (at_start and not prep and not suffix):
                return None
            if ctx and place.country != ctx and place.kind not in ("admin1",):
                return None
        if place.kind in ("city", "feature", "admin2") and not self._plausible(place, bonus, ctx, evidence):
            return None
        precision = self._precision(place, kind_q, prefer if suffix else None)
        s = q_start if q else i
        text = view.text[toks[s].idx:toks[e2 - 1].idx + len(toks[e2 - 1].text)]
        return PlaceMention(s, e2, place, precision, qualifier, text, key), {"cands": cands, "ctx": ctx, "suffix": suffix,
                                                                       "name_start": i, "kind_q": kind_q,
                                                                       "explicit": explicit, "evidence": evidence,
                                                                       "region_mention": region_mention}

    @staticmethod
    def _indefinite(toks, i: int, lo: int) -> bool:
        """Whether "a"/"an" comes before token i, past at most two lower-case words ("a small rural")."""
        for j in range(i - 1, max(lo, i - 4) - 1, -1):
            word = toks[j].lower_
            if word in ("a", "an"):
                return True
            if not (toks[j].is_alpha and toks[j].text.islower()):
                return False
        return False

    def is_street_word(self, token) -> bool:
        """A capitalised street word ("Street", "Ave.", "Road"): after a name it makes a street's name."""
        return token is not None and is_cap(token.text) and token.lower_.rstrip(".") in self.street_words

    @staticmethod
    def _plausible(place: Place, bonus: float, ctx: str | None, evidence: bool) -> bool:
        """With the article's country known, a town abroad needs 100,000 people or a place preposition
        before it ("Fano fighters" are no Italians); named by one of its alternate names ("Hema" for
        Hama, "Taliban" for a Turkish town) it needs both, or a million people. Without a country, an
        alternate-name match of a town under 100,000 needs a place preposition."""
        population = place.population or 0
        if ctx:
            if place.country == ctx:
                return True
            if bonus < 0:
                return population >= 1_000_000 or (population >= 100_000 and evidence)
            return population >= 100_000 or evidence
        return bonus >= 0 or population >= 100_000 or evidence

    def _before(self, toks, i: int, lo: int):
        """(start, qualifier, kind, preferred kind, preposition seen) from the words before token i."""
        j = i - 1
        d_prefer = None
        # "the (rebel-held) town of", "the province of", "the countryside of"
        if j - 1 >= lo and toks[j].lower_ == "of" and toks[j - 1].lower_ in self.descriptor_nouns:
            noun = toks[j - 1].lower_
            m = j - 2
            steps = 0
            while m >= lo and steps < 5 and toks[m].lower_ not in ("the", "a", "an") and not toks[m].like_num \
                    and (toks[m].is_alpha or toks[m].text in ("-", "‑")) and toks[m].lower_ not in NEAR_WORDS:
                m -= 1
                steps += 1
            if m >= lo and toks[m].lower_ in ("the", "a", "an"):
                if noun == "countryside":
                    return m, "countryside", "near", "admin1", True
                d_prefer = "admin1" if noun in ("province", "governorate", "state", "oblast", "region") else \
                    "admin2" if noun == "district" else "city" if noun in ("city", "town", "village") else None
                j = m - 1
        if j < lo:
            return i, None, None, d_prefer, False
        t = toks[j]
        w = t.lower_
        if w in ("-", "‑") and j - 1 >= lo and toks[j - 1].lower_ in self.compound_sides:
            return i, None, None, d_prefer, False
        if w in self.direction_adjectives or w in COUNTRYSIDE:
            s = j
            if j - 2 >= lo and toks[j - 1].text in ("-", "‑") and toks[j - 2].lower_ in ("north", "south"):
                s, w = j - 2, toks[j - 2].lower_ + "-" + w
            prep = s - 1 >= lo and toks[s - 1].lower_ in self.place_prepositions
            if s - 1 >= lo and toks[s - 1].lower_ == "the":
                prep = prep or (s - 2 >= lo and toks[s - 2].lower_ in self.place_prepositions)
            return s, w, ("near" if w in COUNTRYSIDE else "part"), d_prefer, prep
        if w in NEAR_WORDS:
            return j, w, "near", d_prefer, True
        if w == "to" and j - 1 >= lo and toks[j - 1].lower_ in ("close", "next"):
            return j - 1, toks[j - 1].lower_ + " to", "near", d_prefer, True
        if w == "of" and j - 1 >= lo:
            k = j - 1
            v = toks[k].lower_
            if v in self.compass_points or v in ("west", "east"):
                s = k
                if k - 2 >= lo and toks[k - 1].text in ("-", "‑") and toks[k - 2].lower_ in ("north", "south"):
                    s, v = k - 2, toks[k - 2].lower_ + "-" + v
                return s, f"{v} of", "near", d_prefer, True
            if v in self.near_of:
                s = k - 1 if k - 1 >= lo and toks[k - 1].lower_ == "the" else k
                return s, f"{v} of", ("part" if v in ("parts", "part") else "near"), d_prefer, True
            return i, None, None, d_prefer, True
        return i, None, None, d_prefer, w in self.place_prepositions

    @staticmethod
    def _precision(place: Place, kind_q: str | None, admin_suffix: str | None) -> int:
        base = base_precision(place)
        if admin_suffix in ("admin1", "admin2") and kind_q is None:
            return 3
        if kind_q == "part":
            return 2 if base < 3 else 3
        if kind_q == "near":
            return 2 if base < 3 or place.kind in ("admin1", "admin2") else 3
        return base

    @classmethod
    def _title_lines(cls, toks, start: int, end: int, sent_starts) -> set[int] | range:
        """The tokens of the range's title-case sentences ("4 Dead In Fort Worth Shooting"): a headline
        capitalises every word, so a capitalised word after a name does not make it another name there.
        The range as a whole when it is one title-case text."""
        if cls._title_case(toks, start, end):
            return range(start, end)
        bounds = sorted(b for b in sent_starts if start < b < end)
        out: set[int] = set()
        for s, e in zip([start, *bounds], [*bounds, end]):
            if e - s >= 4 and cls._title_case(toks, s, e, 3, 0.9):
                out.update(range(s, e))
        return out

    @staticmethod
    def _title_case(toks, start: int, end: int, least: int = 4, share: float = 0.7) -> bool:
        words = [t.text for t in toks[start:end] if t.is_alpha and len(t.text) > 3]
        return len(words) >= least and sum(1 for w in words if is_cap(w)) >= share * len(words)

    def _coordinate(self, found, toks, country) -> None:
        """"Idlib and Hama provinces": the plural suffix of the last name applies to the ones before."""
        for n in range(len(found) - 2, -1, -1):
            mention, info = found[n]
            after, after_info = found[n + 1]
            suffix = after_info["suffix"]
            if suffix not in ("provinces", "governorates", "districts", "states", "regions") \
                    and not after_info.get("coordinated"):
                continue
            gap = [t.lower_ for t in toks[mention.end:after.start]]
            if not gap or any(w not in (",", "and", "&") for w in gap) or info["suffix"] or mention.qualifier:
                continue
            prefer = "admin2" if (suffix or after_info.get("coordinated")) == "districts" else "admin1"
            place = self.gazetteer.best(info["cands"], info["ctx"], prefer)
            if place is not None:
                found[n] = (PlaceMention(mention.start, mention.end, place, 3, None, mention.text, mention.key),
                            {**info, "coordinated": suffix or after_info.get("coordinated")})
