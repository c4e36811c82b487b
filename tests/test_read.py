"""The reading stage: formats, metadata, flags, folders, stdin, and every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from warmonitor.model import Article, ReadError
from warmonitor.read import iter_articles, normalise_date

BODY = ("At least 12 civilians were killed on Tuesday when an airstrike hit a market in the town, "
        "a monitoring group said. Rescue workers searched the rubble for survivors into the night.")
HTML = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Airstrike hits market | Example News</title>
<link rel="canonical" href="https://news.example.org/2020/02/18/airstrike">
<meta property="article:published_time" content="2020-02-18T10:00:00Z">
</head><body><nav><a href="/">Home</a></nav><article><h1>Airstrike hits market</h1>
<p>{BODY}</p><p>The attack was the third on the market this month, residents said.</p>
</article><footer>Copyright</footer></body></html>"""


def read(*paths, **kwargs) -> list[Article | ReadError]:
    return list(iter_articles([str(p) for p in paths], **kwargs))


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


def only_error(items, name: str) -> ReadError:
    """The single item is a ReadError whose message is one line that names the input."""
    assert len(items) == 1, items
    err = items[0]
    assert isinstance(err, ReadError), err
    assert "\n" not in err.message and "\r" not in err.message
    assert name in err.message
    return err


def write_meta(path: Path, **fields) -> None:
    path.write_text(json.dumps(fields), encoding="utf-8")


# --- plain text ---------------------------------------------------------------------------------

def test_text_file_defaults(tmp_path):
    (tmp_path / "idlib.txt").write_text(BODY, encoding="utf-8")
    [art] = read(tmp_path / "idlib.txt")
    assert isinstance(art, Article)
    assert art.id == "idlib" and art.text == BODY and art.source == str(tmp_path / "idlib.txt")
    assert art.published is None and art.outlet is None and art.title is None


def test_text_with_meta(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    write_meta(tmp_path / "a.meta.json", id="art-1", published="2020-02-18T10:00:00Z", outlet="Al Jazeera",
               url="https://x.org/a", title="UN horrified", language="en", note="ignored")
    [art] = read(tmp_path / "a.txt")
    assert (art.id, art.published, art.outlet, art.url, art.title, art.language) == (
        "art-1", "2020-02-18", "Al Jazeera", "https://x.org/a", "UN horrified", "en")


def test_flags_win_over_meta_and_fill_gaps(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    write_meta(tmp_path / "a.meta.json", published="2020-02-18", outlet="Meta Outlet")
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    a, b = read(tmp_path / "a.txt", tmp_path / "b.txt", published="2021-03-04", outlet="Flag Outlet")
    assert (a.published, a.outlet) == ("2021-03-04", "Flag Outlet")
    assert (b.published, b.outlet) == ("2021-03-04", "Flag Outlet")
    [c] = read(tmp_path / "a.txt", outlet="Flag Outlet")
    assert (c.published, c.outlet) == ("2020-02-18", "Flag Outlet")


def test_bad_published_flag_is_reported_and_ignored(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    write_meta(tmp_path / "a.meta.json", published="2020-02-18")
    err, art = read(tmp_path / "a.txt", published="next tuesday-ish")
    assert isinstance(err, ReadError) and "--published" in err.message and "\n" not in err.message
    assert art.published == "2020-02-18"


def test_utf8_bom_and_crlf(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfFirst line\r\nSecond line\r\n")
    [art] = read(tmp_path / "bom.txt")
    assert art.text == "First line\nSecond line\n"


def test_invalid_meta_gives_error_then_article(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"id": "x", published: }', encoding="utf-8")
    err, art = read(tmp_path / "a.txt")
    assert isinstance(err, ReadError) and "a.meta.json" in err.message and "JSON" in err.message
    assert "\n" not in err.message
    assert isinstance(art, Article) and art.id == "a" and art.text == BODY


def test_meta_not_an_object(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("[1, 2]", encoding="utf-8")
    err, art = read(tmp_path / "a.txt")
    assert "a.meta.json" in err.message and "object" in err.message
    assert art.id == "a"


def test_unparseable_meta_date_is_none(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    write_meta(tmp_path / "a.meta.json", published="sometime in spring")
    [art] = read(tmp_path / "a.txt")
    assert art.published is None


@pytest.mark.parametrize("raw, day", [
    ("2020-02-18", "2020-02-18"),
    ("2020-02-18T10:00:00Z", "2020-02-18"),
    ("2020-02-18 23:59:00+05:00", "2020-02-18"),
    ("2020/2/8", "2020-02-08"),
    ("20200218", "2020-02-18"),
    ("Tue, 18 Feb 2020 10:00:00 GMT", "2020-02-18"),
    ("18 February 2020", "2020-02-18"),
    ("February 18th, 2020", "2020-02-18"),
    ("Feb 18, 2020", "2020-02-18"),
    ("2020-02-30", None),
    ("02/03/2020", None),
    ("yesterday", None),
    ("", None),
    (None, None),
    ([2020], None),
])
def test_normalise_date(raw, day):
    assert normalise_date(raw) == day


# --- HTML ---------------------------------------------------------------------------------------

def test_html_article(tmp_path):
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    [art] = read(tmp_path / "page.html")
    assert isinstance(art, Article), art
    assert art.id == "page"
    assert BODY in art.text and "Copyright" not in art.text and "<p>" not in art.text
    assert art.title and "Airstrike hits market" in art.title
    assert art.published == "2020-02-18"
    assert art.url == "https://news.example.org/2020/02/18/airstrike"
    assert art.language == "en"


def test_htm_with_meta_and_flags(tmp_path):
    (tmp_path / "page.htm").write_text(HTML, encoding="utf-8")
    write_meta(tmp_path / "page.meta.json", title="Meta title", outlet="Meta Outlet", published="2020-02-19")
    [art] = read(tmp_path / "page.htm", outlet="Flag Outlet")
    assert (art.title, art.outlet, art.published) == ("Meta title", "Flag Outlet", "2020-02-19")


def test_html_without_body(tmp_path):
    path = tmp_path / "empty-page.html"
    path.write_text("<html><head><title>Nothing here</title></head><body></body></html>", encoding="utf-8")
    err = only_error(read(path), "empty-page.html")
    assert "no article text" in err.message


def test_html_declared_charset_is_honoured(tmp_path):
    page = HTML.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("market in", "marché in")
    (tmp_path / "latin.html").write_bytes(page.encode("latin-1"))
    [art] = read(tmp_path / "latin.html")
    assert isinstance(art, Article) and "marché" in art.text


# --- JSON Lines ---------------------------------------------------------------------------------

def feed_lines() -> list[str]:
    return [
        json.dumps({"id": "one", "text": BODY, "published": "2020-02-18T10:00:00Z", "outlet": "AJ",
                    "title": "T1", "url": "https://x.org/1", "language": "en"}),
        "",
        "{not json at all",
        json.dumps({"id": 7, "text": "Second article text.", "date": "18 February 2020"}),
        json.dumps({"id": "no-text", "title": "only a title"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Third article, no id."}),
    ]


def test_jsonl_feed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(feed_lines()) + "\n", encoding="utf-8")
    items = read(path)
    assert [type(item).__name__ for item in items] == [
        "Article", "ReadError", "Article", "ReadError", "ReadError", "Article"]
    one, bad, two, notext, notobj, three = items
    assert (one.id, one.published, one.outlet, one.title, one.url, one.language) == (
        "one", "2020-02-18", "AJ", "T1", "https://x.org/1", "en")
    assert one.source == f"{path}:1"
    assert bad.source == f"{path}:3" and f"{path}:3" in bad.message and "JSON" in bad.message
    assert (two.id, two.published) == ("7", "2020-02-18")
    assert notext.source == f"{path}:5" and "text" in notext.message
    assert notobj.source == f"{path}:6"
    assert three.id == "feed-7" and three.text == "Third article, no id."
    for err in (bad, notext, notobj):
        assert "\n" not in err.message and "feed.jsonl" in err.message


def test_jsonl_gz_and_flags(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(feed_lines()))  # no final newline
    items = read(path, outlet="Flag", published="2022-01-01")
    arts = articles(items)
    assert [a.id for a in arts] == ["one", "7", "feed-7"]
    assert all(a.outlet == "Flag" and a.published == "2022-01-01" for a in arts)
    assert len(errors(items)) == 3


def test_jsonl_bad_utf8_line_and_overlong_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "text": "fine"}).encode()
    long = json.dumps({"id": "long", "text": "x" * 500}).encode()
    path.write_bytes(b'{"id": "bad", "text": "caf\xe9"}\n' + long + b"\n" + good + b"\n")
    items = read(path, max_bytes=200)
    assert [type(i).__name__ for i in items] == ["ReadError", "ReadError", "Article"]
    assert "UTF-8" in items[0].message and items[0].source == f"{path}:1"
    assert "limit" in items[1].message and items[1].source == f"{path}:2"
    assert items[2].id == "ok"


def test_jsonl_not_really_jsonl_gives_up(tmp_path):
    path = tmp_path / "table.jsonl"
    path.write_text("".join(f"col{i},value{i}\n" for i in range(1000)), encoding="utf-8")
    items = read(path)
    assert len(items) <= 25
    assert "JSON Lines" in items[-1].message and "table.jsonl" in items[-1].message


def test_jsonl_empty_and_blank(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    only_error(read(tmp_path / "empty.jsonl"), "empty.jsonl")
    (tmp_path / "blank.jsonl").write_text("\n\n  \n", encoding="utf-8")
    only_error(read(tmp_path / "blank.jsonl"), "blank.jsonl")


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "a"}\n' * 100)[:30])
    items = read(path)
    assert isinstance(items[-1], ReadError) and "broken.jsonl.gz" in items[-1].message
    assert all("\n" not in e.message for e in errors(items))


# --- folders ------------------------------------------------------------------------------------

def test_folder_recursion_order_and_skips(tmp_path):
    (tmp_path / "b.txt").write_text("bee", encoding="utf-8")
    (tmp_path / "a.txt").write_text("ay", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"id": "A"}', encoding="utf-8")
    (tmp_path / "a.gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("git", encoding="utf-8")
    sub = tmp_path / "c-sub"
    sub.mkdir()
    (sub / "d.txt").write_text("dee", encoding="utf-8")
    (sub / "feed.jsonl").write_text('{"id": "f1", "text": "eff"}\n', encoding="utf-8")
    (sub / "page.HTML").write_text(HTML, encoding="utf-8")
    items = read(tmp_path)
    assert all(isinstance(i, Article) for i in items), items
    assert [a.id for a in items] == ["A", "b", "d", "f1", "page"]


def test_folder_is_lazy(tmp_path):
    for i in range(50):
        (tmp_path / f"{i:03d}.txt").write_text(f"article {i}", encoding="utf-8")
    stream = iter_articles([str(tmp_path)])
    first = next(stream)
    assert first.id == "000"
    (tmp_path / "049.txt").unlink()  # not read yet: a file that vanishes is reported, not fatal
    rest = list(stream)
    assert len(articles(rest)) == 48
    [gone] = errors(rest)
    assert "049.txt" in gone.message and "no such file" in gone.message


def test_folder_with_bad_files_keeps_going(tmp_path):
    (tmp_path / "a.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("also fine", encoding="utf-8")
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "Article"]
    assert "b.txt" in items[1].message


# --- stdin --------------------------------------------------------------------------------------

def test_stdin_text_bytes():
    [art] = read("-", stdin=io.BytesIO(BODY.encode("utf-8")), outlet="Piped")
    assert (art.id, art.text, art.source, art.outlet) == ("stdin", BODY, "-", "Piped")


def test_stdin_text_str():
    [art] = read("-", stdin=io.StringIO("Hello there.\n"))
    assert art.id == "stdin" and art.text == "Hello there.\n"


@pytest.mark.parametrize("wrap", [lambda s: io.BytesIO(s.encode()), io.StringIO])
def test_stdin_jsonl(wrap):
    data = "\n  \n" + "\n".join(feed_lines()) + "\n"
    items = read("-", stdin=wrap(data))
    arts = articles(items)
    assert [a.id for a in arts] == ["one", "7", "stdin-9"]
    assert [e.source for e in errors(items)] == ["stdin:5", "stdin:7", "stdin:8"]
    assert all("stdin" in e.message and "\n" not in e.message for e in errors(items))


def test_stdin_text_wrapper_uses_buffer():
    wrapper = io.TextIOWrapper(io.BytesIO(b'{"id": "w", "text": "wrapped"}\n'), encoding="utf-8")
    [art] = read("-", stdin=wrapper)
    assert art.id == "w"


@pytest.mark.parametrize("data, word", [
    (b"", "no input"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "UTF-8"),
])
def test_stdin_bad(data, word):
    err = only_error(read("-", stdin=io.BytesIO(data)), "stdin")
    assert word in err.message


def test_stdin_too_big():
    err = only_error(read("-", stdin=io.BytesIO(b"word " * 100), max_bytes=100), "stdin")
    assert "limit" in err.message


# --- bad input ----------------------------------------------------------------------------------

def test_missing_path(tmp_path):
    err = only_error(read(tmp_path / "nope.txt"), "nope.txt")
    assert "no such file" in err.message


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty" in only_error(read(tmp_path / "empty.txt"), "empty.txt").message
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    assert "empty" in only_error(read(tmp_path / "blank.txt"), "blank.txt").message


def test_binary_file_nul(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in only_error(read(tmp_path / "image.txt"), "image.txt").message


def test_binary_file_control_bytes(tmp_path):
    (tmp_path / "blob.html").write_bytes(bytes(range(1, 32)) * 50 + b"some text")
    assert "binary" in only_error(read(tmp_path / "blob.html"), "blob.html").message


def test_utf16_file(tmp_path):
    (tmp_path / "wide.txt").write_bytes("Hello".encode("utf-16"))
    assert "UTF-16" in only_error(read(tmp_path / "wide.txt"), "wide.txt").message


def test_invalid_utf8_with_offset(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf".encode() + b"\xe9 in Damascus")
    err = only_error(read(tmp_path / "latin.txt"), "latin.txt")
    assert "UTF-8" in err.message and "offset 3" in err.message and "0xE9" in err.message


def test_short_latin1_is_invalid_utf8_not_binary(tmp_path):
    (tmp_path / "cafe.txt").write_bytes(b"caf\xe9")
    err = only_error(read(tmp_path / "cafe.txt"), "cafe.txt")
    assert "not valid UTF-8" in err.message and "offset 3" in err.message


def test_random_bytes_are_binary(tmp_path):
    import random
    rng = random.Random(7)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    assert "binary" in only_error(read(tmp_path / "noise.txt"), "noise.txt").message


def test_file_over_max_bytes(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    err = only_error(read(path), "huge.txt")
    assert "limit" in err.message
    (tmp_path / "small.txt").write_text("x" * 101, encoding="utf-8")
    assert "limit" in only_error(read(tmp_path / "small.txt", max_bytes=100), "small.txt").message
    [ok] = read(tmp_path / "small.txt", max_bytes=101)
    assert isinstance(ok, Article)


def test_unknown_extension(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    err = only_error(read(tmp_path / "report.pdf"), "report.pdf")
    assert ".pdf" in err.message and ".txt" in err.message


def test_explicit_meta_file(tmp_path):
    (tmp_path / "a.meta.json").write_text("{}", encoding="utf-8")
    assert "metadata" in only_error(read(tmp_path / "a.meta.json"), "a.meta.json").message


def test_name_with_newline_stays_one_line(tmp_path):
    path = tmp_path / "odd\nname.txt"
    path.write_bytes(b"")
    [err] = read(path)
    assert isinstance(err, ReadError) and "\n" not in err.message


def test_many_inputs_errors_do_not_stop_the_run(tmp_path):
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    items = read(tmp_path / "missing.txt", tmp_path / "good.txt", "-", stdin=io.BytesIO(b"piped"))
    assert [type(i).__name__ for i in items] == ["ReadError", "Article", "Article"]
