"""The incident scorer (`warmonitor.evaluate.incidents`) on tiny hand-made gold and predictions, with
every expected figure worked out by hand in the comments, so a change to a definition shows up here
rather than as an unexplained move of a linking score. Where the evaluation's reference scorer
(`../shared/eval/score_incidents.py`) is present, both must give the same figures on the same input.
"""
from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.evaluate.incidents import (
    load_incident_gold,
    place_correct,
    read_incident_records,
    score_incidents,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score_incidents.py"
IDLIB = {"names": ["Ariha"], "admin1": "Idlib", "country": "SY", "lat": 35.8137, "lon": 36.6096, "tolerance_km": 10}


def gold(id_: str, articles: list[str], *, killed: int | None = 1, injured: int | None = None,
         date: str = "2025-03-04", place: dict | None = None) -> dict:
    return {"id": id_, "articles": articles, "date": date, "place": place or IDLIB, "killed": killed,
            "injured": injured}


def pred(articles: list[str], **fields) -> dict:
    return {"type": "incident", "id": "p-" + "-".join(articles), "articles": articles, **fields}


# Gold: G1 = {a, b, c}, G2 = {d, e}, G3 = {f}.
GOLD = [gold("G1", ["a", "b", "c"]), gold("G2", ["d", "e"]), gold("G3", ["f"])]


def test_clustering_b_cubed_and_pairwise():
    # Predicted: P1 = {a, b}, P2 = {c, d, e}; f in no incident (alone).
    c = score_incidents(GOLD, [pred(["a", "b"]), pred(["c", "d", "e"])]).clustering
    # B-cubed precision: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3, f 1/1 -> 14/3 / 6 = 7/9
    # B-cubed recall:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2, f 1/1 -> 14/3 / 6 = 7/9
    assert c["b3_precision"] == pytest.approx(7 / 9)
    assert c["b3_recall"] == pytest.approx(7 / 9)
    assert c["b3_f1"] == pytest.approx(7 / 9)
    # Links: gold ab ac bc de = 4; predicted ab cd ce de = 4; both ab de = 2.
    assert (c["gold_links"], c["predicted_links"], c["correct_links"]) == (4, 4, 2)
    assert (c["link_precision"], c["link_recall"], c["link_f1"]) == (0.5, 0.5, 0.5)
    assert c["articles_placed"] == pytest.approx(5 / 6)


def test_first_listing_wins():
    """An incident listing every article, put last, changes nothing; put first, it takes them all."""
    base = [pred(["a", "b"]), pred(["c", "d", "e"])]
    everything = pred(["a", "b", "c", "d", "e", "f"])
    last = score_incidents(GOLD, [*base, everything]).clustering
    assert last["b3_precision"] == pytest.approx(7 / 9) and last["link_precision"] == 0.5
    assert last["articles_placed"] == 1.0  # f is now placed, alone: same figures
    first = score_incidents(GOLD, [everything, *base]).clustering
    # precision a,b,c 3/6, d,e 2/6, f 1/6 -> 14/6 / 6 = 7/18; recall 1; links 4 of 15.
    assert first["b3_precision"] == pytest.approx(7 / 18) and first["b3_recall"] == 1.0
    assert first["link_precision"] == pytest.approx(4 / 15) and first["link_recall"] == 1.0


def test_linking_nothing_scores_zero_links_and_full_b_cubed_precision():
    c = score_incidents(GOLD, [pred([x]) for x in "abcdef"]).clustering
    assert (c["link_precision"], c["link_recall"], c["link_f1"]) == (0.0, 0.0, 0.0)
    assert c["b3_precision"] == 1.0
    # recall a,b,c 1/3, d,e 1/2, f 1 -> 3 / 6
    assert c["b3_recall"] == pytest.approx(0.5)
    # Nothing to link and nothing linked: vacuously perfect.
    alone = score_incidents([gold("G", ["a"])], []).clustering
    assert (alone["link_precision"], alone["link_recall"]) == (1.0, 1.0)


def test_matching_jaccard_ties_and_unknown_articles():
    golds = [gold("G1", ["a", "b"]), gold("G2", ["c", "d", "e"])]
    # For G1, P1 and P2 share one article each; P1 holds one gold article (x, y are unknown), P2 two:
    # the smaller wins, Jaccard |{a}| / |{a, b}| = 0.5, just enough. G2 shares c with P2 only:
    # 1 / |{c, d, e, b}| = 0.25, no match.
    report = score_incidents(golds, [pred(["a", "x", "y"]), pred(["b", "c"])])
    i = report.incidents
    assert report.unknown_article_ids == 2
    assert i["matched"] == 1 and i["recall"] == 0.5
    assert i["precision"] == 0.5  # one of the two predicted incidents with gold articles is a match
    assert i["f1"] == pytest.approx(0.5)
    assert any(line.startswith("G2: no predicted incident") for line in report.errors)


def test_figures_date_and_place_on_every_gold_incident():
    golds = [gold("G1", ["a"], killed=12, injured=30), gold("G2", ["b"], killed=4, injured=None),
             gold("G3", ["c"], killed=0, injured=0), gold("G4", ["d"], killed=2)]
    preds = [
        pred(["a"], killed={"low": 10, "best": 12, "high": 12}, injured=30, date="2025-03-04",
             place={"name": "Arīḩā", "lat": 35.82, "lon": 36.60}),
        pred(["b"], killed={"low": 3, "best": 5, "high": 5}, injured=None,
             period={"start": "2025-03-01", "end": "2025-03-05"}, place={"name": "Ariha", "admin1": "Idlib"}),
        pred(["c"], killed=None, injured={"best": None}, date="2025-03-05", place=None),
        # G4 unmatched: everything counts as wrong
    ]
    i = score_incidents(golds, preds).incidents
    # killed: G1 right (best 12), G2 wrong (5), G3 wrong (null is not 0), G4 unmatched -> 1/4
    assert i["killed_exact"] == 0.25
    # injured: G1 right, G2 right (both null), G3 wrong (null is not 0), G4 unmatched -> 2/4
    assert i["injured_exact"] == 0.5
    # date: G1 the day, G2 a period holding it (not the day), G3 a day off -> 2/4; exact day 1/4
    assert (i["date_correct"], i["date_exact_day"]) == (0.5, 0.25)
    # place: G1 within 10 km, G2 no point but the gold name (folded), G3 none -> 2/4
    assert i["place_correct"] == 0.5


@pytest.mark.parametrize(("predicted", "right"), [
    ({"name": "Nowhere", "lat": 35.85, "lon": 36.62}, True),   # about 4 km: the point decides
    ({"name": "Ariha", "lat": 35.93, "lon": 36.63}, False),     # 13 km, beyond tolerance, name or not
    ({"name": "ariha", "admin1": "IDLIB"}, True),                # no point: the name, folded
    ({"name": "Ariha", "admin1": "West Bank"}, False),           # an admin1 that contradicts the gold one
    ({"name": "Sarmin", "admin1": "Idlib"}, False),              # gold gives names: admin1 alone is not enough
    (None, False),
])
def test_place_rules(predicted, right):
    assert place_correct(IDLIB, predicted) is right


def test_place_by_admin1_when_gold_names_none():
    region = {"names": [], "admin1": "Idlib", "lat": None, "lon": None}
    assert place_correct(region, {"name": "Idlib", "admin1": None})
    assert place_correct(region, {"name": "Sarmin", "admin1": "idlib"})
    assert not place_correct(region, {"name": "Sarmin", "admin1": None})


def test_aggregates_count_each_incident_once():
    sarmin = {**IDLIB, "names": ["Sarmin"], "lat": 35.904, "lon": 36.725}
    shan = {"names": ["Kyaukme"], "admin1": "Shan", "country": "MM", "lat": 22.54, "lon": 97.03, "tolerance_km": 15}
    golds = [gold("G1", ["a"], killed=12), gold("G2", ["b"], killed=2),
             gold("G3", ["c"], killed=5, place=sarmin), gold("G4", ["d"], killed=3, place=shan)]
    # The linker merged G1 and G2 and double counted: two incidents in Idlib, 12 + 9 killed.
    preds = [pred(["a", "b"], killed={"best": 12}, date="2025-03-04", place={"name": "Ariha", "admin1": "Idlib"}),
             pred(["c"], killed={"best": 9}, date="2025-03-04", place={"name": "Sarmin", "admin1": "Idlib"}),
             pred(["d"], killed={"best": 3}, date="2025-10-05", place={"name": "Kyaukme", "admin1": "Shan"})]
    a = score_incidents(golds, preds).aggregates
    # (Idlib, 2025) is the only group with two or more gold incidents (Shan has one): gold 3 incidents,
    # 19 killed; predicted 2 and 21.
    state = a["state_year"]
    assert state["groups"] == 1
    assert (state["incidents_exact"], state["killed_exact"]) == (0.0, 0.0)
    assert state["incidents_mape"] == pytest.approx(1 / 3)
    assert state["killed_mape"] == pytest.approx(2 / 19)
    # (Idlib, Ariha, 2025): gold 2 incidents, 14 killed; predicted 1 incident, 12 killed.
    town = a["city_year"]
    assert town["groups"] == 1
    assert town["incidents_mape"] == pytest.approx(0.5)
    assert town["killed_mape"] == pytest.approx(2 / 14)


def test_article_in_two_gold_incidents_belongs_to_the_first_for_clustering():
    """A report of two incidents is listed under both; gold read as predictions is then perfect."""
    golds = [gold("G1", ["a", "both"]), gold("G2", ["b", "both"])]
    report = score_incidents(golds, [pred(["a", "both"]), pred(["b", "both"])])
    assert report.clustering["b3_f1"] == 1.0 and report.clustering["link_f1"] == 1.0
    assert report.incidents["recall"] == 1.0 and report.incidents["precision"] == 1.0


def test_other_records_are_ignored(tmp_path):
    fact = {"type": "casualty", "article": "a", "count": {"best": 3}}
    only = score_incidents(GOLD, [fact, pred(["a", "b"])])
    assert only.predicted_incidents == 1
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(fact) + "\n\n" + json.dumps(pred(["a"])) + "\n", encoding="utf-8")
    assert [r["articles"] for r in read_incident_records(path)] == [["a"]]


def test_gold_of_another_format_is_refused(tmp_path):
    (tmp_path / "incidents.gold.json").write_text(json.dumps({"format": "other/1", "incidents": []}))
    with pytest.raises(ValueError, match="warmonitor-incidents/1"):
        load_incident_gold(tmp_path)


def test_eval_incidents_command(tmp_path):
    (tmp_path / "incidents.gold.json").write_text(json.dumps({"format": "warmonitor-incidents/1", "incidents": GOLD}))
    preds = tmp_path / "pred.jsonl"
    preds.write_text("".join(json.dumps(p) + "\n" for p in (pred(["a", "b"]), pred(["c", "d", "e"]))))
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "warmonitor", "eval-incidents", str(tmp_path), str(preds), "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["clustering"]["link_f1"] == 0.5 and data["incidents"]["matched"] == 2
    text = subprocess.run([sys.executable, "-m", "warmonitor", "eval-incidents", str(tmp_path), str(preds)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "pairwise links           0.500   0.500  0.500" in text.stdout
    bad = subprocess.run([sys.executable, "-m", "warmonitor", "eval-incidents", str(tmp_path / "none"), str(preds)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "cannot read incident gold" in bad.stderr


# --------------------------------------------------------------------------------- reference scorer

def _reference():
    if not REFERENCE.is_file():
        pytest.skip(f"reference scorer not found at {REFERENCE}")
    spec = importlib.util.spec_from_file_location("reference_score_incidents", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _synthetic(seed: int) -> tuple[list[dict], list[dict]]:
    """Gold incidents over 12-30 articles (each listed once) and a noisy prediction of them: some split,
    some merged, figures and places sometimes off, unknown articles, periods instead of days."""
    rng = random.Random(seed)
    towns = [("Ariha", "Idlib", 35.81, 36.61), ("Sarmin", "Idlib", 35.90, 36.73), ("Taiz", "Taizz", 13.58, 44.02),
             ("Dnipro", "Dnipropetrovsk", 48.47, 35.04)]
    articles = [f"art{i}" for i in range(rng.randint(12, 30))]
    rng.shuffle(articles)
    golds, start = [], 0
    while start < len(articles):
        size = rng.choice([1, 1, 2, 3, 4])
        town, admin, lat, lon = rng.choice(towns)
        golds.append({"id": f"g{len(golds)}", "articles": articles[start:start + size],
                      "date": f"2025-0{rng.randint(1, 2)}-1{rng.randint(0, 3)}",
                      "place": {"names": [town], "admin1": admin, "country": None, "lat": lat, "lon": lon,
                                "tolerance_km": 10},
                      "killed": rng.randint(0, 5), "injured": rng.choice([None, 0, 1, 3])})
        start += size
    preds, pending = [], []
    for g in golds:
        members = list(g["articles"])
        if len(members) > 1 and rng.random() < 0.3:
            cut = rng.randint(1, len(members) - 1)
            preds.append(_noisy(rng, g, members[cut:]))
            members = members[:cut]
        pending += members
        if rng.random() < 0.6:
            if rng.random() < 0.2:
                pending.append(f"unknown{rng.randint(0, 9)}")
            preds.append(_noisy(rng, g, pending))
            pending = []
    if pending:
        preds.append(_noisy(rng, golds[-1], pending))
    rng.shuffle(preds)
    return golds, preds


def _noisy(rng: random.Random, g: dict, articles: list[str]) -> dict:
    p = g["place"]
    out = {"type": "incident", "articles": list(articles),
           "killed": rng.choice([g["killed"], g["killed"] + 1, None, {"low": 0, "best": g["killed"], "high": 9}]),
           "injured": rng.choice([g["injured"], None, {"best": 2}]),
           "place": rng.choice([{"name": p["names"][0], "admin1": p["admin1"], "lat": p["lat"], "lon": p["lon"]},
                                {"name": p["names"][0], "admin1": p["admin1"]},
                                {"name": "Elsewhere", "admin1": p["admin1"], "lat": p["lat"] + 1, "lon": p["lon"]},
                                None])}
    if rng.random() < 0.3:
        out["period"] = {"start": g["date"][:8] + "01", "end": g["date"][:8] + "28"}
    else:
        out["date"] = rng.choice([g["date"], "2025-02-27", None])
    return out


HAND_MADE = [
    (GOLD, [pred(["a", "b"]), pred(["c", "d", "e"])]),
    (GOLD, [pred(["a", "b", "c", "d", "e", "f"]), pred(["a", "b"])]),
    ([gold("G1", ["a", "b"]), gold("G2", ["c", "d", "e"])], [pred(["a", "x", "y"]), pred(["b", "c"])]),
    (GOLD, []),
]


@pytest.mark.parametrize("case", [*range(len(HAND_MADE)), *(f"seed{s}" for s in range(12))])
def test_same_figures_as_the_reference_scorer(case):
    reference = _reference()
    golds, preds = HAND_MADE[case] if isinstance(case, int) else _synthetic(int(case[4:]))
    ours = _flat(score_incidents(golds, preds).to_dict())
    theirs = _flat(reference.score(golds, preds))
    assert ours.keys() == theirs.keys()
    assert ours == pytest.approx(theirs), (ours, theirs)


def _flat(tree: dict, prefix: str = "") -> dict:
    """Nested figures as one level, "clustering.b3_f1": ..., so they can be compared approximately."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def test_eval_incidents_names_an_unreadable_predictions_file(tmp_path):
    (tmp_path / "incidents.gold.json").write_text(json.dumps({"format": "warmonitor-incidents/1", "incidents": GOLD}))
    missing = tmp_path / "missing.jsonl"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "warmonitor", "eval-incidents", str(tmp_path), str(missing)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"warmonitor: {missing}: cannot read incident records ([Errno 2] No such file")
    assert "Traceback" not in proc.stderr
