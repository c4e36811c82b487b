"""Deterministic synthetic wire-style conflict/humanitarian articles for benchmarks.

Every sentence here is assembled from templates written for this benchmark; place, actor and person
names are mostly invented (built from syllables), so the texts resemble no real report. The same
`seed` always gives the same texts (only `random.Random(seed)` is used, no global state).

    from generate_articles import generate_texts
    texts = generate_texts(2000, words=700, seed=1)

Run as a script to print one sample article: `python bench/generate_articles.py --seed 3`.
"""
from __future__ import annotations

import argparse
import random

# ---------------------------------------------------------------------------------------------------
# Vocabulary (invented)

_SYL_A = ["Kar", "Bel", "Tam", "Zor", "Mar", "Sal", "Dun", "Har", "Vel", "Ost", "Nab", "Ral", "Qas", "Ben",
          "Lor", "Kef", "Mir", "Tor", "Yal", "Gor", "Asa", "Ido", "Umb", "Fen", "Sob", "Rus", "Hel", "Dra"]
_SYL_B = ["a", "e", "i", "o", "u", "ar", "en", "ir", "ol", "an", "ek", "im"]
_SYL_C = ["bad", "nek", "ruk", "ville", "grad", "pur", "kala", "dara", "sk", "tan", "ouma", "iya", "mar",
          "shan", "ovo", "ine", "ouf", "abad", "lin", "dje", "kot", "eni"]

_COUNTRIES = ["Veloria", "Kastan", "North Durova", "the Republic of Almar", "Sarokia", "Temberi", "Ostravia",
              "Qasmeen", "Lorundi", "Belkhar", "Yalamba", "Morrow Coast"]
_REGION_KIND = ["province", "region", "district", "governorate", "state", "oblast", "prefecture"]
_COMPASS = ["northern", "southern", "eastern", "western", "central", "north-eastern", "south-western"]

_FIRST = ["Amina", "Yusuf", "Olena", "Ibrahim", "Marta", "Daniel", "Fatou", "Hassan", "Leila", "Piotr",
          "Grace", "Samir", "Nadia", "Kofi", "Irina", "Tariq", "Esther", "Mohamed", "Sofia", "Abdi",
          "Halima", "Viktor", "Rania", "Joseph", "Mariam", "Oumar", "Anya", "Karim", "Lucia", "Bashir"]
_LAST = ["Haddad", "Koval", "Diallo", "Mensah", "Rahimi", "Okafor", "Petrenko", "Nasser", "Traore", "Abebe",
         "Mahmoud", "Sokolov", "Kamara", "Farah", "Osei", "Benali", "Novak", "Idris", "Mwangi", "Qureshi",
         "Saleh", "Bondar", "Toure", "Yilmaz", "Hakimi", "Lungu", "Barzani", "Ortega", "Achebe", "Karimov"]

_ARMED_GROUPS = ["the {adj} Liberation Front", "the {adj} Popular Army", "the {adj} Defence Brigades",
                 "the {adj} Patriotic Movement", "the Movement for {place}", "the {adj} Resistance Council",
                 "the {place} Self-Defence Forces", "the {adj} National Guard"]
_GROUP_ADJ = ["Northern", "Eastern", "Southern", "Western", "United", "Free", "Revolutionary", "Highland",
              "Coastal", "Democratic", "Islamic", "People's", "Republican"]
_GENERIC_FORCES = ["government forces", "the army", "rebel fighters", "militiamen", "gunmen", "government troops",
                   "paramilitary forces", "armed men", "separatist fighters", "security forces", "insurgents",
                   "pro-government militias", "the air force", "soldiers"]

_AGENCIES = ["the UN refugee agency", "the UN humanitarian office", "the International Organization for Migration",
             "the World Health Organization", "the local health ministry", "the Red Crescent", "the Red Cross",
             "a local monitoring group", "the regional civil defence service", "a coalition of aid groups",
             "the UN children's agency", "the World Food Programme", "the ministry of health",
             "the provincial health directorate", "a network of local volunteers", "a human rights observatory"]
_TITLES = ["spokesman", "spokeswoman", "the regional governor", "a senior official", "the head of the local council",
           "a doctor", "a nurse", "the hospital director", "a resident", "a shopkeeper", "a teacher",
           "the country director", "an emergency coordinator", "a military spokesman", "the mayor", "a farmer"]

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WHEN = ["on {day}", "late on {day}", "early on {day}", "overnight", "on {day} morning", "over the weekend",
         "in the past 24 hours", "since {day}", "this week", "last week", "on {day} evening"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

_VICTIMS = ["civilians", "people", "children", "women", "villagers", "soldiers", "fighters", "residents",
            "aid workers", "police officers", "students", "patients", "farmers", "worshippers", "passengers"]
_WEAPONS = ["an air strike", "a drone strike", "shelling", "a car bomb", "rocket fire", "artillery fire",
            "a suicide bombing", "a missile strike", "an ambush", "a raid", "a roadside bomb", "mortar fire"]
_FACILITIES = ["hospital", "clinic", "school", "health centre", "maternity ward", "primary school",
               "university", "field hospital", "water station", "market", "mosque", "church", "camp for displaced people"]


def _words(n: int) -> str:
    """English words for 0 <= n < 1000."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    return _ONES[hundreds] + " hundred" + (" and " + _words(rest) if rest else "")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _tidy(sentence: str) -> str:
    """Drop the doubled punctuation a trailing appositive comma leaves ("Name, a nurse,." -> "Name, a nurse.")."""
    return sentence.replace(",.", ".").replace(",,", ",")


class _Writer:
    """Builds one article; all randomness goes through `self.r`."""

    def __init__(self, r: random.Random):
        self.r = r
        self.country = r.choice(_COUNTRIES)
        self.region = f"{self.town()} {r.choice(_REGION_KIND)}"
        self.towns = [self.town() for _ in range(r.randint(3, 6))]
        adj = r.choice(_GROUP_ADJ)
        self.group = r.choice(_ARMED_GROUPS).format(adj=adj, place=self.towns[0])
        self.group_short = "".join(w[0] for w in self.group.split()[1:] if w[0].isupper()) or "the group"
        self.people = [self.person() for _ in range(r.randint(3, 6))]
        self.day = r.choice(_WEEKDAYS)

    # --- pieces -------------------------------------------------------------------------------------
    def town(self) -> str:
        r = self.r
        name = r.choice(_SYL_A) + r.choice(_SYL_B) + r.choice(_SYL_C)
        if r.random() < 0.15:
            name = r.choice(["Al-", "Ban ", "Port ", "New ", "Upper ", "Kafr "]) + name
        return name

    def person(self) -> tuple[str, str]:
        return f"{self.r.choice(_FIRST)} {self.r.choice(_LAST)}", self.r.choice(_TITLES)

    def place(self) -> str:
        return self.r.choice(self.towns)

    def when(self) -> str:
        return self.r.choice(_WHEN).format(day=self.r.choice(_WEEKDAYS))

    def actor(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.35:
            return self.group
        if x < 0.45 and self.group_short != "the group":
            return "the " + self.group_short
        return r.choice(_GENERIC_FORCES)

    def source(self) -> str:
        r = self.r
        if r.random() < 0.5:
            return r.choice(_AGENCIES)
        name, title = r.choice(self.people)
        return f"{title} {name}" if not title.startswith(("a ", "an ", "the ")) else f"{name}, {title},"

    def count(self, lo: int = 2, hi: int = 300) -> str:
        r = self.r
        n = r.randint(lo, hi)
        style = r.random()
        if style < 0.15 and n < 100:
            num = _words(n)
        elif style < 0.2:
            num = r.choice(["dozens of", "scores of", "hundreds of", "a dozen", "several"])
            return num
        elif style < 0.25:
            return f"between {n} and {n + r.randint(3, 40)}"
        else:
            num = f"{n:,}"
        hedge = r.choice(["", "", "at least ", "more than ", "about ", "nearly ", "up to ", "some ", "over "])
        return hedge + num

    def big(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.3:
            return f"{r.randint(11, 990) / 10:g} million"
        if x < 0.55:
            return f"{r.randint(2, 950)},000"
        if x < 0.7:
            return f"{_words(r.randint(2, 99))} thousand"
        return f"{r.randint(1000, 999_999):,}"

    def date(self) -> str:
        r = self.r
        return f"{r.randint(1, 28)} {r.choice(_MONTHS)} {r.randint(2015, 2025)}"

    # --- sentences ----------------------------------------------------------------------------------
    def casualty(self) -> str:
        r = self.r
        c, v, a, p, w, s = self.count(), r.choice(_VICTIMS), self.actor(), self.place(), self.when(), self.source()
        return r.choice([
            f"{_cap(a)} killed {c} {v} in {p} {w}, according to {s}.",
            f"{c.capitalize()} {v} were killed and {self.count(1, 90)} wounded in {r.choice(_WEAPONS)} on {p} {w}, {s} said.",
            f"The death toll from {r.choice(_WEAPONS)} in {p} rose to {c} {w}, {s} said.",
            f"According to {s}, {c} {v} died {w} when {r.choice(_WEAPONS)} hit a residential area of {p}.",
            f"At least {r.randint(2, 80)} {v} were injured and {r.randint(1, 30)} others remain missing after fighting near {p}.",
            f"{_cap(s)} said {c} {v} had been killed {w}, among them {self.count(1, 20)} children.",
            f"Fighters from {self.group} abducted {c} {v} from a village outside {p} {w}, residents said.",
            f"Security forces detained {c} people in {p} after protests {w}, {s} reported.",
            f"Since the fighting began, {self.big()} people have been killed in {self.country}, according to {s}.",
        ])

    def displacement(self) -> str:
        r = self.r
        c, p, s, w = self.big(), self.place(), self.source(), self.when()
        return r.choice([
            f"More than {c} people have fled their homes in {self.region} since the offensive began, {s} said.",
            f"{_cap(s)} said {self.count(200, 90_000)} people had been displaced from {p} and nearby villages {w}.",
            f"About {r.randint(2, 900)} families arrived at a camp outside {self.place()} {w} after fleeing {p}.",
            f"The fighting has forced {c} residents to flee, many of them to neighbouring {r.choice(_COUNTRIES)}.",
            f"An estimated {c} people are now internally displaced across {self.country}, according to {s}.",
            f"Some {c} refugees have crossed the border since {self.date()}, {s} said in a statement.",
            f"Aid groups said {c} people returned to {p} {w} but found their houses destroyed.",
        ])

    def attack(self) -> str:
        r = self.r
        f, p, a, w = r.choice(_FACILITIES), self.place(), self.actor(), self.when()
        return r.choice([
            f"{r.choice(_WEAPONS).capitalize()} hit the main {f} in {p} {w}, killing {self.count(1, 40)} people, {self.source()} said.",
            f"The {f} in {p} was shelled {w} and has stopped admitting patients, staff said.",
            f"{_cap(a)} attacked a {f} on the outskirts of {p} {w}, {self.source()} said.",
            f"A {f} sheltering displaced families in {p} was struck {w}, the {r.choice(['third', 'second', 'fourth', 'latest'])} such attack this month.",
            f"Witnesses said gunmen set fire to a {f} in {p} and looted its stores {w}.",
            f"{_cap(self.source())} condemned the strike on the {f}, calling it a violation of international law.",
        ])

    def control(self) -> str:
        r = self.r
        a, p, w = self.actor(), self.place(), self.when()
        a = _cap(a)
        return r.choice([
            f"{a} said {w} they had captured {p} after days of heavy fighting.",
            f"{a} seized control of the town of {p} {w}, {self.source()} said.",
            f"{a} withdrew from {p} {w}, leaving the town in the hands of {self.actor()}.",
            f"{a} retook the road linking {p} and {self.place()} {w}, the military said.",
            f"The town of {p} fell to {self.actor()} {w} after a three-day siege.",
            f"{a} claimed to have recaptured {r.choice(['two', 'three', 'several', 'four'])} villages south of {p}.",
        ])

    def population(self) -> str:
        r = self.r
        p = self.place()
        return r.choice([
            f"{p}, a town of about {self.big()} people, lies {r.randint(5, 240)} kilometres from the capital.",
            f"Before the war, {p} had a population of some {self.big()}.",
            f"The {self.region}, home to roughly {self.big()} people, has been cut off from aid for weeks.",
            f"{p} had {self.big()} inhabitants according to a census taken in {r.randint(1998, 2020)}.",
            f"Nearly half of the {self.big()} residents of {p} depend on food aid, {self.source()} said.",
        ])

    def quote(self) -> str:
        r = self.r
        name, title = r.choice(self.people)
        who = f"{name}, {title}" if title.startswith(("a ", "an ", "the ")) else f"{title} {name}"
        last = name.split()[-1]
        speech = r.choice([
            "We have no fuel, no medicine and no way to take the wounded out",
            "The shelling did not stop for the whole night",
            "We buried our neighbours this morning and we do not know who will be next",
            "Our teams cannot reach the people who need us most",
            "The road is closed and the trucks are waiting at the checkpoint",
            "Nobody warned us before the strike",
            "We are asking every side to respect the ceasefire and let civilians leave",
            "There are children sleeping in the corridors of the hospital",
            "We lost everything, the house, the animals and the harvest",
            "Our forces are advancing and the enemy is retreating",
            "The figures we have are certainly lower than the real toll",
            "We will not leave until our town is safe again",
        ])
        return r.choice([
            f"\"{speech},\" said {who}.",
            f"\"{speech},\" {last} told reporters by telephone from {self.place()}.",
            f"{_cap(who)} said: \"{speech}.\"",
            f"\"{speech},\" {last} said, adding that {r.choice(['more help was needed', 'talks had failed', 'the situation was getting worse', 'many families were trapped'])}.",
        ])

    def background(self) -> str:
        r = self.r
        return r.choice([
            f"The conflict in {self.country} began in {r.randint(2011, 2023)} and has drawn in several regional powers.",
            f"Talks brokered by {r.choice(_COUNTRIES)} collapsed in {r.choice(_MONTHS)} without agreement on a truce.",
            f"{_cap(r.choice(_AGENCIES))} has appealed for {r.randint(50, 900)} million dollars to fund its operations this year.",
            f"Telephone and internet connections in {self.region} have been cut for much of the past month.",
            f"Prices of flour and fuel in {self.place()} have doubled since {r.choice(_MONTHS)}, traders said.",
            "The claims could not be independently verified because journalists have limited access to the area.",
            f"{_cap(self.group)} has not commented on the reports.",
            f"A curfew remains in place in {self.place()} from dusk until dawn.",
            f"Diplomats said a new round of talks could open in {r.choice(_MONTHS)} in a neutral capital.",
            f"Rainy season flooding has made several roads into {self.region} impassable for aid convoys.",
        ])

    def headline(self) -> str:
        r = self.r
        return r.choice([
            f"Fighting in {self.place()} kills {self.count(3, 90)} as {self.group_short} pushes south",
            f"Thousands flee {self.region} as clashes spread",
            f"Strike on {r.choice(_FACILITIES)} in {self.place()} draws condemnation",
            f"{_cap(self.country)}: aid groups warn of hunger in besieged {self.place()}",
            f"Rebels claim capture of {self.place()} after week of clashes",
        ])

    def article(self, words: int) -> str:
        r = self.r
        kinds = [self.casualty, self.displacement, self.attack, self.control, self.population, self.quote,
                 self.background]
        weights = [5, 3, 2, 2, 1, 3, 3]
        dateline = f"{self.place().upper()}, {self.country} ({r.choice(['Wire', 'Agencies', 'Staff report'])}) -- "
        paragraphs: list[str] = []
        n = 0
        first = True
        while n < words:
            sentences = [_tidy(f()) for f in r.choices(kinds, weights, k=r.randint(1, 3))]
            para = " ".join(sentences)
            if first:
                para, first = dateline + _tidy(self.casualty()) + " " + para, False
            paragraphs.append(para)
            n += len(para.split())
        return self.headline() + "\n\n" + "\n\n".join(paragraphs) + "\n"


def generate_texts(n: int, words: int = 700, seed: int = 0) -> list[str]:
    """`n` article texts of about `words` whitespace-separated words each (a little over), deterministic in `seed`."""
    r = random.Random(seed)
    return [_Writer(r).article(words) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--words", type=int, default=700)
    args = ap.parse_args()
    print(generate_texts(1, args.words, args.seed)[0])


if __name__ == "__main__":
    main()
