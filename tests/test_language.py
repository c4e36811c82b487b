"""Articles not in English are skipped with one line naming their language, never mined with English
rules (issue 12, item 7). Texts invented for the tests, each a short report as wires write them."""
from __future__ import annotations

import json

import pytest
from test_cli import run

from warmonitor.model import Article, ArticleResult, ReadError
from warmonitor.nlp.language import LanguageCheck
from warmonitor.pipeline import Pipeline

FOREIGN = {
    "fr": ("French", "Au moins douze civils ont été tués mardi dans une frappe aérienne sur le marché de la ville, "
                     "ont indiqué les secouristes. Les blessés ont été transportés vers l'hôpital le plus proche."),
    "es": ("Spanish", "Al menos doce civiles murieron el martes en un bombardeo contra el mercado de la ciudad, "
                      "según los equipos de rescate. Los heridos fueron trasladados al hospital más cercano."),
    "pt": ("Portuguese", "Pelo menos doze civis morreram na terça-feira num bombardeamento contra o mercado da "
                         "cidade, segundo as equipas de socorro. Os feridos foram levados para o hospital."),
    "ar": ("Arabic", "قتل ما لا يقل عن اثني عشر مدنيا يوم الثلاثاء في غارة جوية على سوق المدينة، بحسب فرق "
                     "الإنقاذ. ونقل الجرحى إلى أقرب مستشفى في المنطقة."),
}
ENGLISH = [
    "At least twelve civilians were killed on Tuesday in an air strike on the town market, rescuers said. "
    "The wounded were taken to the nearest hospital.",
    # garbled machine translation is still English
    "Idlib. The regime forces is bombed of the village Tuesday kills twelve civilian and the wounded "
    "transported to hospital of the near town, he said the civil defence of the area.",
    # a list of names and figures: few function words, classified as English
    "KHARKIV, Ukraine - Casualties: Oleksandr Petrenko, 34; Iryna Kovalenko, 61; Mykola Shevchenko, 17; "
    "Halyna Bondarenko, 45. Kharkiv regional administration. Updated Tuesday 14:32.",
]


@pytest.fixture(scope="module")
def check() -> LanguageCheck:
    return LanguageCheck()


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_reports_in_other_languages_are_recognised(check, code):
    name, text = FOREIGN[code]
    assert check.foreign(text) == (code, name)


@pytest.mark.parametrize("text", ENGLISH)
def test_english_reports_are_english(check, text):
    assert check.foreign(text) is None


def test_too_short_to_judge_is_read_as_english(check):
    assert check.foreign("Frappe aérienne sur le marché de la ville") is None  # 8 words


def test_the_pipeline_skips_a_foreign_article_with_one_line_and_goes_on(pipeline):
    articles = [Article(id="fr-1", text=FOREIGN["fr"][1], published="2025-03-04"),
                Article(id="en-1", text=ENGLISH[0], published="2025-03-04")]
    skipped, done = pipeline.extract_many(articles)
    assert isinstance(skipped, ReadError)
    assert skipped.message == ("fr-1: the article is in French (fr), not English; warmonitor reads English only, "
                               "so it was skipped")
    assert isinstance(done, ArticleResult) and done.article.id == "en-1"
    assert [f.fields["count"].best for f in done.facts if f.type == "casualty"] == [12]


def test_english_only_can_be_switched_off():
    result = next(iter(Pipeline(english_only=False).extract_many([Article(id="es-1", text=FOREIGN["es"][1])])))
    assert isinstance(result, ArticleResult)


def test_extract_and_ingest_report_the_language_and_store_nothing_of_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ar-1.txt").write_text(FOREIGN["ar"][1], encoding="utf-8")
    (folder / "en-1.txt").write_text(ENGLISH[0], encoding="utf-8")
    proc = run("extract", str(folder), "-f", "jsonl", "--no-progress")
    assert "ar-1.txt: the article is in Arabic (ar), not English" in proc.stderr
    assert {json.loads(line)["article"] for line in proc.stdout.splitlines()} == {"en-1"}
    db = f"sqlite:///{tmp_path / 'w.db'}"
    proc = run("ingest", str(folder), "--db", db, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "the article is in Arabic (ar)" in proc.stderr + proc.stdout
    proc = run("facts", "--db", db, "-f", "jsonl")
    assert {json.loads(line)["article"] for line in proc.stdout.splitlines()} == {"en-1"}
