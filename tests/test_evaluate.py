"""Tests for warmonitor.evaluate: one small hand-made case per matching rule, then equivalence with the
project's reference scorer (../shared/eval/score.py) on synthetic predictions for the shared corpora.

All article and evidence text below is invented for these tests.
"""
from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from warmonitor.evaluate import Report, load_gold, read_records, score
from warmonitor.evaluate.text import fold_name, name_matches, word_overlap

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = SHARED / "eval" / "score.py"

# --------------------------------------------------------------------------------------------------
# helpers for hand-written cases


def gold(article: str, *facts: dict) -> dict[str, dict]:
    return {article: {"article": article, "format": "warmonitor-gold/1", "facts": list(facts)}}


def rec(article: str, type_: str, evidence: str, **fields) -> dict:
    return {"article": article, "type": type_, "evidence": {"text": evidence, "start": 0, "end": len(evidence)},
            "claimed_by": [], "confidence": 0.9, **fields}


def cnt(best=None, low=None, high=None) -> dict:
    return {"low": low, "best": best, "high": high}


FLOOD = "Rising water in the valley forced nine hundred families out of their villages overnight"
SHELLING = "Shelling of the old market in Karvel killed eleven traders and wounded many shoppers"
RAID = "Militia fighters stormed the clinic in the hill town before dawn on Sunday"


def counts(report: Report, type_: str) -> tuple[int, int, int]:
    s = report.types.get(type_)
    return (s.tp, s.fp, s.fn) if s else (0, 0, 0)


# --------------------------------------------------------------------------------------------------
# text rules


def test_fold_and_alias_containment():
    assert fold_name("The U.N.'s  Refugee&nbsp;Agency") == "u n s refugee agency"
    assert fold_name("an observer") == "observer"
    assert name_matches("Syrian government forces near Saraqib", ["Syrian government forces"])
    assert name_matches("THE syrian-government forces", "Syrian government forces")
    assert not name_matches("Syrian", ["Syria"])           # whole words only
    assert not name_matches("Syria", ["Syrian army"])      # a shorter name does not contain the alias
    assert name_matches(["nobody", {"name": "Karvel town"}], ["karvel"])
    assert name_matches({"actor": "Blue Brigade"}, ["blue brigade"])
    assert not name_matches(None, ["x"]) and not name_matches("x", [])


def test_word_overlap_repairs_entities():
    assert word_overlap("don't stop", "don&#39;t STOP") == 1.0
    assert word_overlap("\u201cquoted\u201d", ",quot;quoted,quot;") == 1.0
    assert word_overlap('she said ,quot;no,quot;', 'she said "no"') == 1.0  # no stray "quot" word in gold
    assert word_overlap("it & # 39 ;s over", "it's over") == 1.0
    assert fold_name("Valley,quot;Monitor") == "valley monitor"
    assert word_overlap("", "anything") == 0.0
    assert word_overlap("a a b", "a") == pytest.approx(2 / 3)  # gold repeats count


# --------------------------------------------------------------------------------------------------
# matching


def test_overlap_threshold_sixty_percent():
    words = RAID.split()  # 12 words
    g = gold("a1", {"type": "attack", "evidence": RAID})
    at_threshold = " ".join(words[:8])      # 8/12 = 0.67
    below = " ".join(words[:7])             # 7/12 = 0.58
    assert counts(score(g, [rec("a1", "attack", at_threshold)]), "attack") == (1, 0, 0)
    assert counts(score(g, [rec("a1", "attack", below)]), "attack") == (0, 1, 1)
    exactly = gold("a1", {"type": "attack", "evidence": "one two three four five"})
    assert counts(score(exactly, [rec("a1", "attack", "one two three")]), "attack") == (1, 0, 0)  # 0.6 itself


def test_quote_matches_on_quoted_text():
    said = "we have no more room for anyone"
    g = gold("q", {"type": "quote", "evidence": said, "speaker": ["Lena Ortiz", "Ortiz"]})
    r = rec("q", "quote", "", text=said, speaker="Dr Lena Ortiz")
    report = score(g, [r])
    assert counts(report, "quote") == (1, 0, 0)
    assert report.fields["quote.speaker"].accuracy == 1.0


def test_type_must_agree():
    g = gold("a1", {"type": "attack", "evidence": RAID})
    assert counts(score(g, [rec("a1", "control", RAID)]), "attack") == (0, 0, 1)


def test_count_within_low_high():
    g = gold("d", {"type": "displacement", "evidence": FLOOD, "count": cnt(900, 850, 950)})
    for best, matched in ((900, True), (850, True), (950, True), (951, False), (90, False)):
        report = score(g, [rec("d", "displacement", FLOOD, count=cnt(best))])
        assert counts(report, "displacement") == ((1, 0, 0) if matched else (0, 1, 1)), best
    # "up to" written with only `high` still claims that number
    assert counts(score(g, [rec("d", "displacement", FLOOD, count=cnt(high=920))]), "displacement") == (1, 0, 0)
    # `high` stands in for a missing best before `low` does
    low_high = rec("d", "displacement", FLOOD, count=cnt(low=800, high=920))
    assert counts(score(g, [low_high]), "displacement") == (1, 0, 0)
    # the gold best always matches, even where the gold bounds exclude it ("more than 40")
    more_than = gold("d", {"type": "displacement", "evidence": FLOOD, "count": cnt(40, low=41)})
    assert counts(score(more_than, [rec("d", "displacement", FLOOD, count=cnt(40))]), "displacement") == (1, 0, 0)
    # a gold count without bounds needs the exact best
    exact = gold("d", {"type": "displacement", "evidence": FLOOD, "count": cnt(900)})
    assert counts(score(exact, [rec("d", "displacement", FLOOD, count=cnt(901))]), "displacement") == (0, 1, 1)


def test_counted_record_without_count_is_not_scored():
    g = gold("d", {"type": "displacement", "evidence": FLOOD, "count": cnt(900)})
    report = score(g, [rec("d", "displacement", FLOOD, count=None), rec("d", "displacement", FLOOD, count={})])
    assert counts(report, "displacement") == (0, 0, 1)


def test_optional_fact_counts_neither_way():
    g = gold("c", {"type": "casualty", "evidence": SHELLING, "count": cnt(11), "optional": True})
    assert counts(score(g, [rec("c", "casualty", SHELLING, count=cnt(11))]), "casualty") == (0, 0, 0)
    assert counts(score(g, []), "casualty") == (0, 0, 0)
    assert score(g, []).types == {}


def test_required_fact_chooses_before_optional():
    optional = {"type": "casualty", "evidence": SHELLING, "count": cnt(11), "optional": True}
    required = {"type": "casualty", "evidence": SHELLING + " yesterday", "count": cnt(11), "outcome": "killed"}
    g = gold("c", optional, required)  # the optional fact comes first in the file
    report = score(g, [rec("c", "casualty", SHELLING + " yesterday", count=cnt(11), outcome="killed")])
    assert counts(report, "casualty") == (1, 0, 0)


def test_one_to_one_matching():
    g = gold("c", {"type": "casualty", "evidence": SHELLING, "count": cnt(11)},
             {"type": "casualty", "evidence": SHELLING, "count": cnt(11)})
    assert counts(score(g, [rec("c", "casualty", SHELLING, count=cnt(11))]), "casualty") == (1, 0, 1)
    one = gold("c", {"type": "casualty", "evidence": SHELLING, "count": cnt(11), "outcome": "killed"})
    partial = " ".join(SHELLING.split()[:10])
    preds = [rec("c", "casualty", partial, count=cnt(11), outcome="injured"),
             rec("c", "casualty", SHELLING, count=cnt(11), outcome="killed")]
    report = score(one, preds)
    assert counts(report, "casualty") == (1, 1, 0)
    assert report.fields["casualty.outcome"].accuracy == 1.0  # the better-covering record was taken


def test_records_of_other_articles_are_ignored():
    g = gold("c", {"type": "casualty", "evidence": SHELLING, "count": cnt(11)})
    report = score(g, [rec("elsewhere", "casualty", SHELLING, count=cnt(11))])
    assert counts(report, "casualty") == (0, 0, 1) and report.articles == 1


# --------------------------------------------------------------------------------------------------
# fields on matched pairs


def _field(gold_fact: dict, **pred_fields) -> bool:
    g = gold("f", gold_fact)
    type_ = gold_fact["type"]
    report = score(g, [rec("f", type_, gold_fact["evidence"], **pred_fields)])
    assert counts(report, type_)[0] == 1
    (tally,) = report.fields.values()
    return tally.correct == 1


def test_scalar_alias_fields():
    fact = {"type": "control", "evidence": RAID, "actor": ["Blue Brigade", "Blue Brigades"]}
    assert _field(fact, actor="the Blue Brigade's northern wing")
    assert not _field(fact, actor="Red Brigade")
    assert not _field(fact)
    claimed = {"type": "attack", "evidence": RAID, "claimed_by": ["Valley Monitor", "VMHR"]}
    assert _field(claimed, claimed_by=["Reuters", "The Valley-Monitor"])
    assert not _field(claimed, claimed_by=["V.M.H.R."])  # punctuation splits letters into words
    assert not _field(claimed, claimed_by=[])


def test_perpetrator_groups_all_required():
    fact = {"type": "attack", "evidence": RAID, "perpetrators": [["Blue Brigade", "Blues"], ["Hill Militia"]]}
    assert _field(fact, perpetrators=["Hill Militia", "the Blues"])
    assert not _field(fact, perpetrators=["Blue Brigade"])
    assert not _field(fact, perpetrators=None)


def test_perpetrator_share_tolerance():
    fact = {"type": "casualty", "evidence": SHELLING, "count": cnt(11), "perpetrator_share": 0.9}
    assert _field(fact, count=cnt(11), perpetrator_share=0.904)
    assert _field(fact, count=cnt(11), perpetrator_share=0.90495)
    assert not _field(fact, count=cnt(11), perpetrator_share=0.91)
    assert not _field(fact, count=cnt(11))


def test_place_by_name_and_by_distance():
    place = {"names": ["Karvel", "Karvel district"], "lat": 35.0, "lon": 36.0}
    fact = {"type": "attack", "evidence": RAID, "place": place}
    assert _field(fact, place={"name": "Karvel", "lat": None, "lon": None})
    assert _field(fact, place="Karvel district")
    assert _field(fact, place={"name": "Qarvil", "lat": 35.3, "lon": 36.0})        # about 33 km
    assert not _field(fact, place={"name": "Qarvil", "lat": 35.6, "lon": 36.0})    # about 67 km
    wide = {"type": "attack", "evidence": RAID, "place": {**place, "tolerance_km": 100}}
    assert _field(wide, place={"name": "Qarvil", "lat": 35.6, "lon": 36.0})
    no_point = {"type": "attack", "evidence": RAID, "place": {"names": ["Karvel"]}}
    assert not _field(no_point, place={"name": "Qarvil", "lat": 35.0, "lon": 36.0})


def test_displacement_place_found_as_origin_or_destination():
    fact = {"type": "displacement", "evidence": FLOOD, "count": cnt(900), "place": {"names": ["Lower Valley"]}}
    assert _field(fact, count=cnt(900), origin={"name": "Lower Valley"}, destination={"name": "Camp 4"})
    assert not _field(fact, count=cnt(900), destination={"name": "Camp 4"})
    optional_place = {**fact, "place": {"names": ["Lower Valley"], "optional": True}, "unit": "families"}
    assert _field(optional_place, count=cnt(900), unit="Families")  # an optional place is not judged


def test_period_tolerance():
    fact = {"type": "displacement", "evidence": FLOOD, "count": cnt(900),
            "period": {"start": "2021-03-01", "end": "2021-03-10"}}
    assert _field(fact, count=cnt(900), period={"start": "2021-03-02", "end": "2021-03-09"})
    assert not _field(fact, count=cnt(900), period={"start": "2021-03-03", "end": "2021-03-10"})
    assert not _field(fact, count=cnt(900), period={"start": "2021-03-01"})
    wide = {**fact, "period": {**fact["period"], "start_tolerance_days": 30}}
    assert _field(wide, count=cnt(900), period={"start": "2021-02-05", "end": "2021-03-10"})
    one_day = {**fact, "period": {"start": "2021-03-10", "end": "2021-03-10"}}
    assert _field(one_day, count=cnt(900), date="2021-03-11")  # a date stands for a one-day period


def test_date_tolerance():
    fact = {"type": "control", "evidence": RAID, "date": "2021-05-02"}
    assert _field(fact, date="2021-05-03T08:00:00")
    assert not _field(fact, date="2021-05-04")
    assert _field(fact, period={"start": "2021-04-01", "end": "2021-05-01"})  # the period's end
    assert not _field(fact, date="last Sunday")


# --------------------------------------------------------------------------------------------------
# summaries


SUMMARY_GOLD = {"type": "summary", "killed": {"civilians": 20, "fighters": 0, "children": 3},
                "admin1": ["Northern Province", "North"], "country": "XK",
                "place": {"names": ["Karvel"], "lat": 35.0, "lon": 36.0},
                "date": "2021-05-02", "perpetrators": [["Blue Brigade"]], "causes": [["shelling", "artillery"]]}


def _summary(pred: dict | None) -> dict:
    g = gold("s", SUMMARY_GOLD)
    records = [] if pred is None else [{"article": "s", "type": "summary", **pred}]
    return score(g, records).to_dict()["summary"]


def test_summary_counts_exact_and_within10():
    got = _summary({"killed": {"civilians": {"best": 21}, "children": 3}})
    assert got["killed.civilians"] == {"exact": 0.0, "within10": 1.0, "n": 1}
    assert got["killed.civilians>0"] == {"exact": 0.0, "within10": 1.0, "n": 1}
    assert got["killed.children"]["exact"] == 1.0
    assert got["killed.fighters"]["exact"] == 1.0   # missing count equals 0
    assert "killed.fighters>0" not in got
    far = _summary({"killed": {"civilians": {"low": 23, "best": None}}})
    assert far["killed.civilians"] == {"exact": 0.0, "within10": 0.0, "n": 1}


def test_summary_places_dates_and_names():
    pred = {"places": [{"name": "Somewhere", "admin1": "North", "country": "xk", "lat": 35.2, "lon": 36.0}],
            "period": {"start": "2021-05-03", "end": "2021-05-09"},
            "perpetrators": ["Blue Brigade fighters"], "causes": ["Artillery"]}
    got = _summary(pred)
    for field in ("admin1", "country", "place", "date", "perpetrators", "causes"):
        assert got[field]["exact"] == 1.0, field
    missing = _summary(None)
    assert all(v["exact"] == 0.0 for k, v in missing.items() if not k.endswith((".fighters",)))
    assert _summary({"places": ["Northern Province"], "date": "2021-05-04"})["admin1"]["exact"] == 1.0
    assert _summary({"date": "2021-05-04"})["date"]["exact"] == 0.0


def test_summary_only_gold_ignores_fact_records():
    g = gold("s", SUMMARY_GOLD)
    report = score(g, [rec("s", "casualty", SHELLING, count=cnt(11))])
    assert report.types == {} and report.summary["killed.civilians"].n == 1
    # a gold file with facts too is scored both ways
    both = gold("s", SUMMARY_GOLD, {"type": "casualty", "evidence": SHELLING, "count": cnt(11)})
    report = score(both, [rec("s", "casualty", SHELLING, count=cnt(11))])
    assert counts(report, "casualty") == (1, 0, 0) and report.summary["killed.civilians"].n == 1


# --------------------------------------------------------------------------------------------------
# report shape and loading


def test_report_dict_and_text():
    g = gold("c", {"type": "casualty", "evidence": SHELLING, "count": cnt(11), "outcome": "killed"},
             {"type": "attack", "evidence": RAID})
    report = score(g, [rec("c", "casualty", SHELLING, count=cnt(11), outcome="wounded"),
                       rec("c", "quote", "nothing like the gold")])
    d = report.to_dict()
    assert list(d) == ["types", "all", "fields", "field_accuracy", "summary", "articles"]
    assert d["types"]["casualty"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert d["all"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert d["fields"] == {"casualty.outcome": 0.0} and d["field_accuracy"] == 0.0
    lines = report.to_text().splitlines()
    assert lines[0] == "attack        P 0.000  R 0.000  F1 0.000  (tp 0 fp 0 fn 1)"
    assert lines[-1] == "all: F1 0.500 (P 0.500 R 0.500); field accuracy 0.000 over 1 articles"
    assert [e.split()[0] for e in report.errors] == ["FIELD", "MISSED", "SPURIOUS"]


def test_load_gold_and_read_records(tmp_path):
    for name, doc in {"b": gold("art-b", {"type": "attack", "evidence": RAID})["art-b"],
                      "a": gold("art-a", SUMMARY_GOLD)["art-a"]}.items():
        (tmp_path / f"{name}.gold.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{}", encoding="utf-8")
    golds = load_gold(tmp_path)
    assert list(golds) == ["art-a", "art-b"]
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps(rec("art-b", "attack", RAID)) + "\n\n", encoding="utf-8")
    assert counts(score(golds, read_records(pred)), "attack") == (1, 0, 0)


# --------------------------------------------------------------------------------------------------
# equivalence with the reference scorer

needs_shared = pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/eval/score.py not present")


def reference(gold_dir: Path, pred_path: Path) -> tuple[dict, list[str] | str, str]:
    """(JSON report, errors text, plain report) as the reference scorer prints them."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*flags: str) -> str:
        out = subprocess.run([sys.executable, str(REFERENCE), str(gold_dir), str(pred_path), *flags],
                             capture_output=True, env=env, check=True, timeout=300).stdout
        return out.decode("utf-8")

    errors_text, json_line = run("--json", "--show-errors").rstrip("\n").rsplit("\n", 1)
    return json.loads(json_line), errors_text, run().rstrip("\n")


def assert_same_as_reference(gold_dir: Path, records: list[dict], tmp_path: Path) -> dict:
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    expected, errors_text, text = reference(gold_dir, pred_path)
    report = score(load_gold(gold_dir), read_records(pred_path))
    assert report.to_dict() == expected
    assert "\n".join(report.errors) == errors_text
    assert report.to_text() == text
    return expected


def _shift(day_text, rng: random.Random):
    try:
        day = date.fromisoformat(str(day_text)[:10])
    except ValueError:
        return day_text
    return (day + timedelta(days=rng.choice([-40, -6, -3, -2, -1, 0, 0, 0, 1, 2, 3]))).isoformat()


def _name(rng: random.Random, aliases):
    """A predicted name for a gold alias list: right, right inside a longer name, wrong, or absent."""
    options = aliases if isinstance(aliases, list) else [aliases]
    roll = rng.random()
    if roll < 0.55 and options:
        return rng.choice(options)
    if roll < 0.7 and options:
        return f"The {str(rng.choice(options)).upper()} in the area"
    if roll < 0.85:
        return "unrelated party"
    return None


def _place(rng: random.Random, gold_place: dict):
    roll = rng.random()
    name = _name(rng, gold_place.get("names", []))
    if roll < 0.3:
        return name
    lat, lon = gold_place.get("lat"), gold_place.get("lon")
    if lat is None or rng.random() < 0.3:
        lat, lon = 35.0 + rng.uniform(-1, 1), 37.0 + rng.uniform(-1, 1)
    else:
        # about 33, 47, 49, 51 or 67 km north or south: on both sides of the default 50 km
        lat, lon = lat + rng.choice([-1, 1]) * rng.choice([0.3, 0.42, 0.44, 0.46, 0.6]), lon
    return {"name": name if roll < 0.7 else "Elsewhere", "lat": lat, "lon": lon, "admin1": None, "country": "SY"}


def _evidence(rng: random.Random, text: str) -> str:
    words = text.split()
    roll = rng.random()
    if roll < 0.45:  # the words of the gold, sometimes with the entity damage of scraped text
        return rng.choice([text, text, text.replace("'", "&#39;"), text.replace('"', ",quot;")])
    if roll < 0.75:  # near the 60 % threshold
        keep = max(1, round(len(words) * rng.choice([0.5, 0.58, 0.6, 0.62, 0.7, 0.9])))
        return " ".join(words[:keep])
    if roll < 0.9:
        return f"Earlier reports said that {text} according to officials."
    return " ".join(rng.sample(words, len(words) // 3))


def _count(rng: random.Random, gold_count: dict | None):
    g = dict(gold_count or {})
    best = g.get("best") if g.get("best") is not None else g.get("high") or g.get("low") or 10
    roll = rng.random()
    if roll < 0.5:
        return {**g}
    if roll < 0.6:
        return {"low": None, "best": None, "high": best}
    if roll < 0.65:
        return {"low": best + 1, "best": None, "high": None}
    if roll < 0.7:
        return {"low": best // 2, "best": None, "high": best}
    if roll < 0.85:
        return {"low": None, "best": best + rng.choice([-1, 1, best]), "high": None}
    return rng.choice([None, {}])


def fact_to_record(rng: random.Random, article: str, fact: dict) -> dict:
    """A prediction derived from a gold fact, with its fields kept, perturbed or dropped at random."""
    out = {"article": article, "type": fact["type"] if rng.random() < 0.93 else "attack",
           "evidence": {"text": _evidence(rng, fact["evidence"]), "start": 0, "end": 1}, "confidence": 0.5}
    if fact["type"] == "quote" and rng.random() < 0.5:
        out["text"], out["evidence"] = fact["evidence"], {"text": "", "start": 0, "end": 0}
    for key, value in fact.items():
        if key in ("type", "evidence", "optional") or rng.random() < 0.1:
            continue
        if key == "count":
            out["count"] = _count(rng, value)
        elif key in ("perpetrators", "targets"):
            groups = [g for g in value if rng.random() < 0.85]
            out[key] = [_name(rng, g) or "someone" for g in groups]
        elif key == "claimed_by":
            out[key] = [n for n in [_name(rng, value)] if n]
        elif key == "perpetrator_share":
            out[key] = round(value + rng.choice([0, 0.003, 0.00495, -0.0055, -0.005, 0.02]), 5)
        elif key in ("place", "origin", "destination"):
            target = key if rng.random() < 0.7 else rng.choice(["place", "origin", "destination"])
            out[target] = _place(rng, value)
        elif key == "period":
            if rng.random() < 0.8:
                out["period"] = {"start": _shift(value.get("start"), rng), "end": _shift(value.get("end"), rng)}
            else:
                out["date"] = _shift(value.get("end"), rng)
        elif key == "date":
            if rng.random() < 0.8:
                out["date"] = _shift(value, rng)
            else:
                out["period"] = {"start": _shift(value, rng), "end": _shift(value, rng)}
        elif isinstance(value, (str, list)):
            out[key] = _name(rng, value)
    return out


def summary_to_record(rng: random.Random, article: str, fact: dict) -> dict:
    """A predicted article summary derived from a gold one, figures and places perturbed at random."""
    out: dict = {"article": article, "type": "summary"}
    for outcome in ("killed", "injured", "detained", "displaced"):
        for category, value in (fact.get(outcome) or {}).items():
            roll = rng.random()
            if roll < 0.15:
                continue
            guess = value if roll < 0.6 else max(0, value + rng.choice([-1, 1, 2, 5, -value]))
            out.setdefault(outcome, {})[category] = {"best": guess} if rng.random() < 0.7 else guess
    places = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        place = _place(rng, fact.get("place") or {"names": ["Idlib", "Aleppo", "Homs"]})
        admin1 = _name(rng, fact.get("admin1", ["Idlib"]))
        if isinstance(place, dict):
            place.update(admin1=admin1, country=rng.choice([fact.get("country"), "Syria", None]))
        places.append(rng.choice([place, admin1]))
    out["places"] = places
    for key in ("perpetrators", "causes"):
        if key in fact or rng.random() < 0.3:
            out[key] = [n for g in fact.get(key, [["nobody"]]) for n in [_name(rng, g)] if n]
    day = _shift(fact["date"], rng) if "date" in fact else f"2016-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    roll = rng.random()
    if roll < 0.45:
        out["date"] = day
    elif roll < 0.9:
        out["period"] = {"start": day, "end": _shift(day, rng)}
    return out


def synthetic_predictions(gold_dir: Path, seed: int, sample: int | None = None) -> list[dict]:
    """Predictions for (a sample of) a gold folder's articles: kept, altered, dropped, duplicated and
    spurious records, plus summaries and records for articles that have no gold file."""
    rng = random.Random(seed)
    golds = load_gold(gold_dir)
    articles = sorted(golds)
    if sample is not None:
        articles = rng.sample(articles, min(sample, len(articles)))
    records: list[dict] = []
    for article in articles:
        facts = golds[article]["facts"]
        for fact in facts:
            if fact["type"] == "summary":
                if rng.random() < 0.9:
                    records.append(summary_to_record(rng, article, fact))
                continue
            if rng.random() < 0.15:
                continue  # missed
            record = fact_to_record(rng, article, fact)
            records.append(record)
            if rng.random() < 0.1:
                records.append(copy.deepcopy(record))  # a duplicate: one of the two is spurious
        for _ in range(rng.choice([0, 0, 1, 2])):
            source = rng.choice(facts) if facts else {}
            text = source.get("evidence") or "Fighting continued in the area on Monday"
            records.append({"article": article, "type": rng.choice(["casualty", "attack", "quote", "control"]),
                            "evidence": {"text": text[: len(text) // 2], "start": 0, "end": 0},
                            "count": {"best": rng.randint(1, 50)}})
    records.append({"article": "no-such-article", "type": "casualty", "evidence": {"text": "x"},
                    "count": {"best": 1}})
    records.append({"article": "no-such-article", "type": "summary", "killed": {"total": 3}})
    rng.shuffle(records)
    return records


CORPORA = [("seed", None, list(range(12))), ("idetect-dev", 80, [0, 1, 2]), ("fakes-dev", 200, [0, 1, 2])]


@needs_shared
@pytest.mark.parametrize("corpus,sample,seed", [(c, n, s) for c, n, seeds in CORPORA for s in seeds])
def test_equivalence_on_shared_corpora(corpus, sample, seed, tmp_path):
    gold_dir = SHARED / "corpus" / corpus
    if not any(gold_dir.glob("*.gold.json")):
        pytest.skip(f"no gold files in {gold_dir}")
    report = assert_same_as_reference(gold_dir, synthetic_predictions(gold_dir, seed, sample), tmp_path)
    assert report["all"]["tp"] or report["summary"]  # the synthetic run exercised something


@needs_shared
def test_equivalence_on_gold_itself_and_empty(tmp_path):
    gold_dir = SHARED / "corpus" / "seed"
    golds = load_gold(gold_dir)
    perfect = [{"article": a, **{k: v for k, v in f.items() if k != "optional"}}
               for a, doc in golds.items() for f in doc["facts"]]
    assert_same_as_reference(gold_dir, perfect, tmp_path)
    assert_same_as_reference(gold_dir, [], tmp_path)


@needs_shared
def test_equivalence_on_hand_written_gold(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    karvel = {"names": ["Karvel"], "lat": 35.0, "lon": 36.0}
    facts = [{"type": "casualty", "evidence": SHELLING, "count": cnt(11), "perpetrator_share": 0.9,
              "place": karvel, "outcome": "killed", "perpetrators": [["Blue Brigade"], ["Hill Militia"]]},
             {"type": "displacement", "evidence": FLOOD, "count": cnt(900, 850, 950), "optional": True,
              "period": {"start": "2021-03-01", "end": "2021-03-10", "start_tolerance_days": 5}},
             {"type": "displacement", "evidence": FLOOD + " last week", "count": cnt(900, 850, 950),
              "unit": "families", "origin": {**karvel, "tolerance_km": 48}, "place": karvel,
              "period": {"start": "2021-03-01", "end": "2021-03-10"}},
             {"type": "control", "evidence": RAID, "date": "2021-05-02", "actor": ["Blue Brigade"],
              "place": {"names": ["Hill town"], "lat": 34.5, "lon": 36.5}}]
    docs = [gold("s", SUMMARY_GOLD)["s"], gold("e")["e"], gold("m", *facts)["m"],
            gold("n", *facts[::-1], {**facts[0], "optional": True})["n"],
            gold("sm", {**SUMMARY_GOLD, "place": {**karvel, "tolerance_km": 30}}, *facts[2:])["sm"]]
    for doc in docs:
        (gold_dir / f"{doc['article']}.gold.json").write_text(json.dumps(doc), encoding="utf-8")
    for seed in range(20):
        records = synthetic_predictions(gold_dir, seed)
        records.append(rec("e", "attack", RAID))
        assert_same_as_reference(gold_dir, records, tmp_path)
