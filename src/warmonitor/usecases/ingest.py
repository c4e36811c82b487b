"""Ingest: files, folders, stdin, web pages and feeds read, the new and changed articles extracted, all stored.

Re-running is safe: an article whose repaired text is stored already, with no metadata that corrects
the stored (store/versions.py), is counted "unchanged" before it is extracted, and its last_seen moves
on. An article that makes a new version is extracted with the stored metadata filling in what its
input lacks, so that its dates resolve against the publication day the new version will have. Each
text is repaired once: the repair that gives the content hash is handed on to extraction
(`Pipeline.extract_repaired`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from warmonitor.model import Article, ArticleResult, ReadError
from warmonitor.pipeline import Pipeline, failure
from warmonitor.read import iter_articles
from warmonitor.store import SaveSummary, Store, StoreError, content_hash
from warmonitor.store.versions import merged
from warmonitor.usecases.version import extractor_version

if TYPE_CHECKING:
    from warmonitor.clean import RepairedText
    from warmonitor.pipeline_pool import PipelinePool
    from warmonitor.fetch import Fetcher
    from warmonitor.link.linker import LinkSettings

FEED_SUFFIXES = (".xml", ".rss", ".atom", "/feed", "/feed/", "/rss", "/rss/", "/atom", "/atom/")

OnResult = Callable[[ArticleResult], None]
OnSkip = Callable[[ReadError], None]


@dataclass
class IngestSummary:
    """What one ingest did. `read` counts the articles read (those found unchanged too); `skipped`
    holds (source, reason) for every input that could not be read, extracted or stored."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    linked: int = 0  # articles linked into incidents in this run
    link_error: str | None = None  # why linking stopped (the articles stay stored, `warmonitor link` links them)

    def add_saved(self, saved: SaveSummary) -> None:
        self.new += saved.new
        self.updated += saved.updated
        self.unchanged += saved.unchanged
        self.facts += saved.facts_stored
        self.skipped.extend(saved.skipped)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def is_feed_url(url: str) -> bool:
    """Whether a URL looks like an RSS or Atom feed rather than a page (`--feed` says so for all)."""
    lowered = url.lower().split("?", 1)[0]
    return lowered.endswith(FEED_SUFFIXES) or "/rss" in lowered or "/feed" in lowered or "atom" in lowered


def url_articles(urls: Sequence[str], fetcher: Fetcher, *, force_feed: bool, seen: set[str]
                 ) -> Iterator[Article | ReadError]:
    """Articles from web pages, then from feeds (each new item's page fetched); errors as FetchErrors."""
    from warmonitor.fetch import watch_once  # with httpx: only for URLs

    feeds = [u for u in urls if force_feed or is_feed_url(u)]
    for url in urls:
        if url not in feeds:
            yield fetcher.page(url)
    if feeds:
        yield from watch_once(fetcher, feeds, seen)


def ingest_inputs(store: Store, inputs: Sequence[str], *, feed: bool = False, batch_size: int = 500,
                  published: str | None = None, outlet: str | None = None,
                  pipeline: Pipeline | PipelinePool | None = None,
                  fetcher: Fetcher | None = None, seen: set[str] | None = None, stdin: BinaryIO | None = None,
                  on_result: OnResult | None = None, on_skip: OnSkip | None = None,
                  allow_networks: Sequence[str] = (), link: bool = True,
                  link_settings: LinkSettings | None = None) -> IngestSummary:
    """Read `inputs` (paths, folders, `-` for `stdin`, page and feed URLs), extract what the store lacks, save it.

    `published`/`outlet` fill in inputs that lack them; `feed` treats every URL as a feed. `fetcher` and
    `seen` (feed entries already fetched) carry over between polls of a watch; `pipeline` saves
    reloading the language data when one process ingests several times; a `PipelinePool`
    (pipeline_pool.py) extracts on several cores, this process still reading, repairing and storing
    each article in input order. `on_skip` hears of each input
    that could not be read or extracted, as it happens; `on_result` of each article extracted, before it
    is stored. The store's own refusals are only in the summary's `skipped`.

    Private, loopback and link-local addresses are not fetched; `allow_networks` (CIDR ranges) lets some
    through when no `fetcher` is given. A bad range is a ValueError, raised before anything is read.

    With `link` (the default) each saved batch is linked into incidents as soon as it is committed
    (usecases/link.py, with `link_settings`), while the next batch is extracted. A crash between the two
    leaves those articles stored and unlinked: the next ingest or `warmonitor link` links them. Linking
    that fails for any other reason than the database stops linking for this run (`link_error` says
    why), never the storing.
    """
    pipeline = pipeline or Pipeline()
    summary = IngestSummary()
    urls = [i for i in inputs if is_url(i)]
    paths = [i for i in inputs if i not in urls]
    if urls and fetcher is None:
        from warmonitor.fetch import Fetcher  # httpx takes a tenth of a second to import: only for URLs

        fetcher = Fetcher(allow_networks=allow_networks)

    def skip(error: ReadError) -> None:
        summary.skipped.append((error.source or "?", error.message))
        if on_skip:
            on_skip(error)

    def articles() -> Iterator[Article | ReadError]:
        yield from iter_articles(paths, published=published, outlet=outlet, stdin=stdin) if paths else ()
        if urls and fetcher is not None:
            yield from url_articles(urls, fetcher, force_feed=feed, seen=seen if seen is not None else set())

    unchanged_hashes: list[str] = []  # content hashes found unchanged: their last_seen moves on after saving

    def to_extract() -> Iterator[tuple[Article, RepairedText]]:
        repairer = pipeline.repairer
        for item in articles():
            if isinstance(item, ReadError):
                skip(item)
                continue
            summary.read += 1
            try:
                repaired = repairer.repair(item.text)
            except Exception as exc:  # a bug must cost one article, never the run
                skip(failure(item, "text repair", exc))
                continue
            hash_ = content_hash(repaired.text)
            prior = store.prior_version(item, hash_)
            if prior.unchanged:
                summary.unchanged += 1
                unchanged_hashes.append(hash_)
                continue
            yield merged(item, prior.previous), repaired

    def extracted() -> Iterator[ArticleResult]:
        for result in pipeline.extract_repaired(to_extract()):
            if isinstance(result, ReadError):
                skip(result)
                continue
            if on_result:
                on_result(result)
            yield result

    def link_saved() -> None:
        if summary.link_error is not None:
            return
        from warmonitor.usecases.link import link_incidents

        try:
            summary.linked += link_incidents(store, settings=link_settings).articles
        except StoreError:
            raise
        except Exception as exc:  # a linking bug costs the incidents of this run, never the stored facts
            summary.link_error = (f"linking failed ({type(exc).__name__}: {exc}); the articles are stored: "
                                  "run `warmonitor link` to link them")

    summary.add_saved(store.save(extracted(), extractor_version=extractor_version(), batch_size=batch_size,
                                 on_saved=link_saved if link else None))
    store.mark_seen(unchanged_hashes)
    return summary
