"""Issue 10, bounded extraction: pathological articles cost work in proportion to their length.

Speed is measured by bench/pathological.py, never timed here; these tests check the structure that
keeps the work linear (token runs cut before spaCy's tokenizer, sentences capped), the per-article
time budget (an article over it is skipped by name, the batch goes on), and that offsets into the
repaired text stay exact on every shape.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from warmonitor.budget import ArticleTimeout, Deadline
from warmonitor.extract.context import ArticleContext
from warmonitor.model import Article, ReadError
from warmonitor.nlp.runs import MAX_LINK_CHARS, MAX_RUN_CHARS, MAX_TOKEN_CHARS, RunBoundedTokenizer, looks_like_link
from warmonitor.nlp.tokens import MAX_SENTENCE_TOKENS, TokenView
from warmonitor.pipeline import Pipeline

SENTENCE = "Shelling killed 12 civilians in Ariha on Monday, rescuers said. "


def shapes(size: int) -> dict[str, str]:
    """One text of each pathological shape, about `size` characters, with a normal sentence around."""
    words = ",".join(["killed", "12", "people", "in", "Ariha"] * (size // 24))
    depth = size // 2
    return {
        "comma-joined words": SENTENCE + words + " " + SENTENCE,
        "nested parentheses": SENTENCE + "(" * depth + "12 killed" + ")" * depth + " " + SENTENCE,
        "one long word": SENTENCE + "x" * size + "\n" + SENTENCE,
        "no full stop": SENTENCE + "shelling killed 12 civilians in Ariha on Monday, " * (size // 48) + SENTENCE,
        "no punctuation": SENTENCE + "the army shelled the town and " * (size // 30) + SENTENCE,
    }


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(time_budget=None)


@pytest.mark.parametrize("shape", sorted(shapes(10)))
def test_tokens_and_sentences_are_capped_and_offsets_exact(pipeline, shape):
    text = shapes(6000)[shape]
    doc = pipeline.resources.nlp(text)
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert max(len(t.text) for t in doc) <= MAX_RUN_CHARS
    view = TokenView(doc, text)
    bounds = view.sent_starts + [len(view)]
    assert max(b - a for a, b in zip(bounds, bounds[1:])) <= MAX_SENTENCE_TOKENS
    result = pipeline.extract(Article(id=shape, text=text))
    assert result.facts, "the normal sentences around the shape are still read"
    for fact in result.facts:
        assert result.text[fact.evidence.start:fact.evidence.end] == fact.evidence.text


def test_spacy_never_sees_a_long_whitespace_free_run(pipeline):
    """spaCy's affix loop is quadratic in a chunk's length: only short chunks may reach it."""
    seen: list[str] = []
    inner = pipeline.resources.nlp.tokenizer
    assert isinstance(inner, RunBoundedTokenizer)

    class Spy:
        vocab = inner.vocab

        def __call__(self, text):
            seen.append(text)
            return inner.tokenizer(text)

    spy = RunBoundedTokenizer(Spy())
    for text in shapes(20_000).values():
        doc = spy(text)
        assert doc.text == text
        assert all(len(t.text) <= MAX_TOKEN_CHARS for t in doc if len(t.text) > MAX_RUN_CHARS // 2)
    assert seen and all(len(run) <= MAX_RUN_CHARS or looks_like_link(run) for chunk in seen for run in chunk.split())


def test_normal_text_is_tokenized_by_spacy_alone(pipeline):
    text = SENTENCE * 3 + "See https://example.org/a/path?x=1 for more."
    bounded = pipeline.resources.nlp(text)
    plain = pipeline.resources.nlp.tokenizer.tokenizer(text)
    assert [t.text_with_ws for t in bounded] == [t.text_with_ws for t in plain]


def test_a_long_sentence_is_cut_at_a_comma():
    pipeline = Pipeline(time_budget=None, resolve=False)
    text = "shelling killed 12 civilians in Ariha on Monday, " * 100
    view = TokenView(pipeline.resources.nlp(text), text)
    cuts = view.sent_starts[1:]
    assert cuts and all(view.tokens[i - 1].text == "," for i in cuts)


def test_an_article_over_budget_is_skipped_by_name_and_the_batch_goes_on():
    articles = [Article(id=f"a{i}", text=SENTENCE * 50, source=f"in/a{i}.txt") for i in range(3)]
    results = list(Pipeline(time_budget=1e-9).extract_many(articles))
    assert [r.source for r in results] == ["in/a0.txt", "in/a1.txt", "in/a2.txt"]
    assert all(isinstance(r, ReadError) and r.message.startswith(f"{r.source}: skipped after 1e-09 s of extraction")
               for r in results)
    assert all(not isinstance(r, ReadError) for r in Pipeline(time_budget=30).extract_many(articles))


class CountingDeadline(Deadline):
    def __init__(self) -> None:
        super().__init__(None)
        self.checks = 0

    def check(self) -> None:
        self.checks += 1


def test_the_budget_is_checked_inside_the_sentence_loops(pipeline):
    """Checked between stages only, one long stage could run far past the budget."""
    text = SENTENCE * 320
    deadline = CountingDeadline()
    ctx = ArticleContext(pipeline.resources, pipeline.resources.nlp(text), None, text, deadline)
    assert len(ctx.sentences) == 320
    in_context = deadline.checks
    assert in_context >= 320 // 16
    from warmonitor.extract.attack import attack_facts

    attack_facts(ctx)
    assert deadline.checks - in_context >= 320 // 16


def test_a_passed_deadline_raises():
    deadline = Deadline(1e-9, start=0.0)
    with pytest.raises(ArticleTimeout):
        deadline.check()
    Deadline(None).check()
    Deadline(0).check()


def test_cli_article_timeout(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text(SENTENCE * 200, encoding="utf-8")
    env_args = [sys.executable, "-m", "warmonitor", "extract", "--format", "jsonl"]
    proc = subprocess.run([*env_args, "--article-timeout", "0.000001", str(slow)], capture_output=True,
                          text=True, timeout=300)
    assert re.search(r"slow\.txt: skipped after 1e-06 s of extraction", proc.stderr)
    assert proc.stdout == ""


def test_an_article_over_the_size_limit_is_skipped_unread():
    pipeline = Pipeline(max_article_chars=1000)
    articles = [Article(id="big", text=SENTENCE * 20, source="big.txt"), Article(id="ok", text=SENTENCE)]
    first, second = pipeline.extract_many(articles)
    assert isinstance(first, ReadError) and first.message.startswith("big.txt: 1,280 characters is more than the 1,000")
    assert not isinstance(second, ReadError) and second.facts
    fixed = pipeline.resources.repairer.repair(articles[0].text)
    [only] = pipeline.extract_repaired([(articles[0], fixed)])
    assert isinstance(only, ReadError) and "1,000-character limit" in only.message


def test_finding_the_quote_around_a_fact_does_not_scan_every_quote(pipeline):
    """One scan of all quotes per fact made an article of many quotes quadratic."""
    from warmonitor.extract.attribution import quote_around

    text = '"Shelling killed 12 civilians in Ariha," he said. ' * 40
    ctx = ArticleContext(pipeline.resources, pipeline.resources.nlp(text), None, text)
    quotes = ctx.quotes
    assert len(quotes) == 40

    class Unscannable(list):
        def __iter__(self):
            raise AssertionError("quote_around scanned the quote list")

    ctx.quotes = Unscannable(quotes)
    found = [quote_around(ctx, q.start) for q in quotes]
    assert found == quotes
    assert quote_around(ctx, quotes[0].end) is None


def test_the_last_named_speaker_is_found_without_walking_back_through_every_sentence(pipeline):
    """A pronoun with no name before it walked back through every sentence: quadratic in an article
    of many "he said" sentences. Sentence lookups must grow with sentences plus calls."""
    from warmonitor.extract.speech import last_named

    text = "Amina Haddad arrived in Ariha. " + "The town was shelled again, he said. " * 300
    ctx = ArticleContext(pipeline.resources, pipeline.resources.nlp(text), None, text)
    lookups = 0

    class CountingNames(dict):
        def get(self, *args):
            nonlocal lookups
            lookups += 1
            return super().get(*args)

    ctx.names = CountingNames(ctx.names)
    ends = [s.end - 1 for s in ctx.sentences]
    found = [last_named(ctx, end, "person") for end in ends for _ in range(3)]
    assert {getattr(name, "text", None) for name in found[3:]} == {"Amina Haddad"}
    assert lookups <= 3 * len(ctx.sentences) + 3 * len(ends) + 10


def test_a_long_digit_string_stays_one_implausible_number(pipeline):
    """Cut into pieces, "1" and 5,000 zeros would become plausible counts ("0 people were killed")."""
    digits = "1" + "0" * 5000
    doc = pipeline.resources.nlp(digits + " people were killed.")
    assert doc[0].text == digits
    result = pipeline.extract(Article(id="digits", text=digits + " people were killed."))
    assert not [f for f in result.facts if f.type == "casualty" and f.fields.get("outcome") == "killed"]


LINK = "com/story/news/world/2024/05/17/three-injured-in-east-harbour-shooting-after-a-late-night-quarrel/81234567/"


def test_a_long_web_address_is_tokenized_as_spacy_does_and_gives_no_counts(pipeline):
    text = f"Three people were injured in a shooting on Friday, police said. Read more: news.example.{LINK}\n"
    bounded = pipeline.resources.nlp(text)
    plain = pipeline.resources.nlp.tokenizer.tokenizer(text)
    assert len(LINK) > MAX_RUN_CHARS
    assert [t.text_with_ws for t in bounded] == [t.text_with_ws for t in plain]
    counts = [f.fields["count"].best for f in pipeline.extract(Article(id="a", text=text)).facts
              if f.type == "casualty"]
    assert counts == [3]


@pytest.mark.parametrize("run, link", [
    (LINK, True),
    ("https://www.example.org/" + "section/" * 20 + "page.html?id=12", True),
    (",".join(["word"] * 40), False),      # no slash: comma-joined words are cut
    ("(" * 150 + ")" * 150, False),         # brackets: punctuation runs are cut
    ("/" * 200, False),
    ("a/" * (MAX_LINK_CHARS // 2 + 1), False),  # longer than a link may be
])
def test_which_long_runs_read_as_links(run, link):
    assert looks_like_link(run) is link


# A tag list or a table flattened without spaces, as page furniture leaves them: the words of a report
# with none of its grammar. Read as prose, each "3 ... killed" pair became a casualty figure (9,000
# facts from one 300 KB page, many identical).
TAG_RUN = ",".join(["wounded", "three", "hundred", "killed", "camp", "strike", "12", "people", "displaced",
                    "according", "to", "hospital", "shelling", "1,200", "fled"] * 12)


def test_a_cut_run_is_its_own_sentence_and_gives_no_facts(pipeline):
    text = f"Shelling killed 12 civilians in Ariha on Monday, rescuers said. {TAG_RUN} Two children were injured."
    assert len(TAG_RUN) > MAX_RUN_CHARS and not looks_like_link(TAG_RUN)
    doc = pipeline.resources.nlp(text)
    view = TokenView(doc, text)
    (run_start, run_end), = view.cut_runs
    assert "".join(t.text_with_ws for t in doc[run_start:run_end]) == TAG_RUN + " "
    assert run_start in view.sent_starts and run_end in view.sent_starts
    ctx = ArticleContext(pipeline.resources, doc, text=text)
    assert [text[view[s.start].idx:view[s.end - 1].idx + len(view[s.end - 1].text)] for s in ctx.sentences] == [
        "Shelling killed 12 civilians in Ariha on Monday, rescuers said.", "Two children were injured."]
    for found in (ctx.numbers, ctx.hits, ctx.actors, ctx.places):
        assert all(not run_start <= m.start < run_end for mentions in found.values() for m in mentions)
    facts = pipeline.extract(Article(id="tags", text=text)).facts
    assert sorted(f.fields["count"].best for f in facts if f.type == "casualty") == [2, 12]
    assert all(not (text.index(TAG_RUN) <= f.evidence.start < text.index(TAG_RUN) + len(TAG_RUN)) for f in facts)


def test_a_short_comma_joined_run_is_still_read_as_prose(pipeline):
    """Under `MAX_RUN_CHARS`, a lost space ("killed,12 wounded") is a typo in prose, read by spaCy."""
    text = "Shelling on Monday killed three people,wounded twelve others, rescuers said."
    doc = pipeline.resources.nlp(text)
    assert TokenView(doc, text).cut_runs == []
    counts = sorted(f.fields["count"].best for f in pipeline.extract(Article(id="typo", text=text)).facts
                    if f.type == "casualty")
    assert counts == [3, 12]
