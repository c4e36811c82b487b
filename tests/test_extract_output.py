"""`warmonitor extract`'s formats stream: JSON is written an article at a time (the same bytes as one
`json.dump` of the whole document), and the table format lays out tables only for the first screens'
worth of articles, then one line per fact. Article texts are invented for the tests.
"""
from __future__ import annotations

import io
import json

import pytest

from warmonitor.export import article_meta, write_results
from warmonitor.export.table import TABLE_ARTICLES, print_table
from warmonitor.model import Article

TEXTS = ["Shelling killed {n} civilians and wounded {m} in Ariha on Tuesday, rescuers said.",
         "Fighting around Bakhmut forced {n} families to flee this week, aid workers said.",
         "An airstrike on a market in Marib killed {n} people, a local official said."]


@pytest.fixture(scope="module")
def results(pipeline):
    articles = [Article(id=f"report-{i:02d}", title="Report" if i == 11 else None, published="2024-05-02",
                        text=TEXTS[i % 3].format(n=4 + i, m=2 + i)) for i in range(TABLE_ARTICLES + 2)]
    return list(pipeline.extract_many(articles))


def whole_document(results) -> str:
    docs = [{"article": article_meta(r), "text": r.text, "repairs": r.repairs, "facts": r.records()} for r in results]
    return json.dumps({"articles": docs}, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_is_the_same_document_as_before(results, count):
    out = io.StringIO()
    assert write_results(results[:count], "json", out) == count
    assert out.getvalue() == whole_document(results[:count])
    assert len(json.loads(out.getvalue())["articles"]) == count


def test_json_is_written_before_the_next_article_is_extracted(results):
    out = io.StringIO()
    seen = []

    def arriving():
        for result in results[:3]:
            seen.append(out.getvalue().count('"article": {'))
            yield result

    write_results(arriving(), "json", out)
    assert seen == [0, 1, 2]


def test_table_lays_out_the_first_articles_then_writes_one_line_per_fact(results):
    out = io.StringIO()
    write_results(results, "table", out)
    tables = io.StringIO()
    for result in results[:TABLE_ARTICLES]:
        print_table(result, tables)
    head, _, rest = out.getvalue().partition(f"(articles after the first {TABLE_ARTICLES}: one line per fact; "
                                             "-f jsonl gives every field)\n\n")
    assert head == tables.getvalue()
    assert rest.endswith(
        "report-11 — Report (2024-05-02)\n"
        "  attack | market | Marib | local official | 0.65 | (attack.target-near-attack-word)\n"
        "  casualty | killed 15 people | Marib | local official | 0.85 | (casualty.outcome.nearest-trigger)\n"
        "  summary killed 15 (civilians 15); places: Marib\n\n")
    assert rest.startswith("report-10 (2024-05-02)\n")
    assert "┃" not in rest and "│" not in rest  # no table after the first ones
