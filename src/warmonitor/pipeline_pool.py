"""Extraction on every core: worker processes extract, the calling process reads, writes and stores.

`PipelinePool(jobs, **settings)` does what `Pipeline(**settings)` does (`extract_many`,
`extract_repaired`, `extract`, `repairer`) with `jobs` worker processes, each holding its own
`Pipeline` built once from the same settings when it starts (the Pipeline keeps everything it loads
on the instance, so nothing is shared or global). `pipeline_for(jobs, ...)` gives the plain
in-process `Pipeline` for one job, so `--jobs 1` is exactly the single-process path.

Why it is built this way rather than on `ProcessPoolExecutor`:
- A worker that dies (killed, out of memory, a crash in native code) must cost the article it was
  extracting, not the run. An executor marks itself broken and fails every pending task without
  saying which worker held which. Here each worker has its own task queue and its own result pipe, so
  the calling process knows what each one holds: when one dies, the article it was on (its first
  unanswered one) becomes a one-line `ReadError`, the others it held go to the other workers, and a
  new worker takes its place.
- Order and memory: results are yielded in input order from a reorder buffer, and at most `window`
  articles are read and not yet yielded, whatever the input's size (a folder of 100,000 files or a
  stdin stream is read as the workers take it, never whole). Each worker holds at most two chunks of
  `chunk` articles, so it never waits for its next task while the caller works.
- Messages: a task is a chunk of a few articles (one pickle for several); results come back one per
  article as each is done (so a death loses only what was unanswered) through a sending thread in the
  worker: a worker never stops extracting because the caller is busy writing, and the caller never
  blocks on a worker (tasks go through a `multiprocessing.Queue`, whose feeder thread writes them).
  The result carries no copy of the article: the caller puts its own object back.
- Start-up: a worker needs about as long as the calling process to load the language data (one to
  five seconds on the 2-core machine this was measured on, docs/scale.md). A call that reads fewer
  than `start_after` articles before its input ends is extracted in this process (a run of three
  articles, or a test, starts no worker); past that the workers start, all at once, and stay for the
  next call (`reprocess` asks for a batch at a time) until `close()`.
- "spawn" processes, not "fork": the caller may hold threads (the progress bar, the store's writer)
  and database connections that a forked child would copy in an unknown state.
- Ctrl-C: workers ignore SIGINT (it reaches the whole process group); the caller's KeyboardInterrupt
  ends the generator, which terminates them. Any exit other than the input's end does the same.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from multiprocessing.connection import wait
from typing import Any

from .model import Article, ArticleResult, ReadError
from .pipeline import Pipeline, failure

CHUNK = 4  # articles per task: one pickle for several, still a small loss when a worker dies
START_AFTER = 16  # articles read before workers start; fewer: extracted in this process
_STARTS_WITHOUT_READY = 3  # workers (per job) that may die before loading before the run is given up


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def pipeline_for(jobs: int | None = None, **settings: Any) -> Pipeline | PipelinePool:
    """A `Pipeline` (one job: extraction in this process, as ever) or a `PipelinePool` of `jobs`
    workers (None: `default_jobs()`), with the same settings (`Pipeline`'s fields)."""
    jobs = default_jobs() if jobs is None else jobs
    return Pipeline(**settings) if jobs <= 1 else PipelinePool(jobs, **settings)


class PipelinePool:
    """`Pipeline`'s extraction on `jobs` worker processes; results in input order. Use one extraction at a
    time; `close()` (or `with`) stops the workers."""

    def __init__(self, jobs: int, *, chunk: int = CHUNK, window: int | None = None,
                 start_after: int = START_AFTER, **settings: Any) -> None:
        if jobs < 1 or chunk < 1:
            raise ValueError("jobs and chunk must be at least 1")
        self.jobs, self.chunk, self.start_after = jobs, chunk, start_after
        # read-ahead: enough for every worker's two chunks and a full reorder buffer behind a slow article
        self.window = max(window or 4 * jobs * chunk, start_after, 2 * chunk)
        self.settings = settings
        self._local = Pipeline(**settings)  # loads nothing until a short call uses it
        self._workers: list[_Worker] = []
        self._repairer = None
        self._busy = False
        self._failed_starts = 0  # workers that died before loading, since the pool (re)started
        self.workers_started = 0  # for tests and benchmarks: how many worker processes were started

    # --- what Pipeline offers -------------------------------------------------------------------

    @property
    def repairer(self):
        """The text repairer, in this process (ingest repairs to hash the content before extracting)."""
        if self._repairer is None:
            from .clean import TextRepairer

            self._repairer = TextRepairer()
        return self._repairer

    def extract(self, article: Article) -> ArticleResult:
        return self._local.extract(article)

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult | ReadError]:
        """As `Pipeline.extract_many`, on the workers (results in input order)."""
        return self._run(articles, repaired=False)

    def extract_repaired(self, repaired: Iterable[tuple[Article, Any]]) -> Iterator[ArticleResult | ReadError]:
        """As `Pipeline.extract_repaired`, on the workers (results in input order)."""
        return self._run(repaired, repaired=True)

    def close(self) -> None:
        """Stop the workers (a later extraction starts new ones)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        for worker in workers:
            worker.reap()

    def __enter__(self) -> PipelinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the scheduler ----------------------------------------------------------------------------

    def _run(self, items: Iterable[Any], repaired: bool) -> Iterator[ArticleResult | ReadError]:
        items = iter(items)
        if not self._workers:
            head = list(islice(items, self.start_after))
            if len(head) < self.start_after:  # a short input: not worth starting processes for
                local = self._local
                yield from local.extract_repaired(head) if repaired else local.extract_many(head)
                return
            items = chain(head, items)
        if self._busy:
            raise RuntimeError("a PipelinePool runs one extraction at a time")
        self._busy, finished = True, False
        try:
            yield from self._schedule(items, repaired)
            finished = True
        finally:
            self._busy = False
            if not finished:  # interrupted, the input failed, or the caller stopped reading
                self._kill()

    def _schedule(self, items: Iterator[Any], repaired: bool) -> Iterator[ArticleResult | ReadError]:
        if not self._workers:
            self._failed_starts = 0
        self._fill_workers()
        todo: deque[int] = deque()  # sequence numbers read, not yet sent to a worker
        held: dict[int, Any] = {}  # every item read and not yet yielded, by sequence number
        done: dict[int, ArticleResult | ReadError] = {}
        read = yielded = 0
        exhausted = False
        while True:
            while not exhausted and read - yielded < self.window:
                item = next(items, _END)
                if item is _END:
                    exhausted = True
                else:
                    held[read] = item
                    todo.append(read)
                    read += 1
            self._dispatch(todo, held, repaired)
            if yielded in done:
                while yielded in done:
                    result = done.pop(yielded)
                    item = held.pop(yielded)
                    article = item[0] if repaired else item
                    if isinstance(result, ArticleResult):
                        result.article = article
                    elif isinstance(result, Unsendable):
                        result = unsendable(article, result.error)
                    yielded += 1
                    yield result
                continue
            if exhausted and yielded == read:
                return
            self._receive(todo, held, done, repaired)

    def _dispatch(self, todo: deque[int], held: dict[int, Any], repaired: bool) -> None:
        for worker in self._workers:
            while todo and len(worker.pending) < 2 * self.chunk:
                seqs = [todo.popleft() for _ in range(min(self.chunk, len(todo)))]
                worker.send(repaired, [(seq, held[seq]) for seq in seqs])

    def _receive(self, todo: deque[int], held: dict[int, Any], done: dict, repaired: bool) -> None:
        """Wait for results or a worker's end; a dead worker's article in hand becomes a one-line error."""
        by_handle = {}
        for worker in self._workers:
            by_handle[worker.conn] = worker
            by_handle[worker.process.sentinel] = worker
        for handle in wait(list(by_handle)):
            worker = by_handle[handle]
            if worker.dead:
                continue
            worker.read_into(done)
            if worker.process.is_alive() and not worker.dead:
                continue
            worker.dead = True
            worker.read_into(done)  # what it sent before it ended
            unanswered = list(worker.pending)  # in the order it was given them: the first is the one in hand
            if worker.ready and unanswered:
                culprit = unanswered.pop(0)
                article = held[culprit][0] if repaired else held[culprit]
                done[culprit] = died(article, worker.process.exitcode)
            elif not worker.ready:
                self._failed_starts += 1
                if worker.broken or self._failed_starts > _STARTS_WITHOUT_READY * self.jobs:
                    self._kill()
                    raise RuntimeError(f"extraction workers could not start ({worker.broken or 'they died'})")
            todo.extendleft(reversed(unanswered))  # the others it held go to another worker, first
            worker.reap()
            self._workers.remove(worker)
        self._fill_workers()

    def _fill_workers(self) -> None:
        alive = [w for w in self._workers if w.process.is_alive() or w.pending]
        for worker in self._workers:
            if worker not in alive:
                worker.reap()
        self._workers = alive
        while len(self._workers) < self.jobs:
            self._workers.append(_Worker(self.settings))
            self.workers_started += 1

    def _kill(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.process.terminate()
        for worker in workers:
            worker.reap()


_END = object()


class Unsendable:
    """A worker's result that could not be pickled: the caller turns it into the article's one line."""

    def __init__(self, error: str) -> None:
        self.error = error


class TaskQueue(multiprocessing.queues.Queue):
    """A worker's task queue that stays quiet when the worker it feeds has died (the caller knows)."""

    @staticmethod
    def _on_queue_feeder_error(e: Exception, obj: object) -> None:
        pass


def died(article: Article, exitcode: int | None) -> ReadError:
    """The one line for an article whose worker process ended while extracting it."""
    how = f"exit status {exitcode}"
    if exitcode is not None and exitcode < 0:
        try:
            how = f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    where = article.source or article.id
    return ReadError(where, f"{where}: extraction failed (its worker process ended: {how}); the article was "
                            "skipped, please report it with the input attached")


def unsendable(article: Article, error: str) -> ReadError:
    where = article.source or article.id
    return ReadError(where, f"{where}: extraction failed (its result could not be sent back: {error}); the article "
                            "was skipped, please report it with the input attached")


class _Worker:
    """One worker process, its task queue, its result pipe and the sequence numbers it holds."""

    def __init__(self, settings: dict[str, Any]) -> None:
        context = multiprocessing.get_context("spawn")
        self.tasks = TaskQueue(ctx=context)
        self.tasks.cancel_join_thread()  # a dead worker's unread tasks must not hold up exit
        self.conn, child_conn = context.Pipe(duplex=False)
        self.process = context.Process(target=work, args=(settings, self.tasks, child_conn), daemon=True,
                                       name="warmonitor-extract")
        self.pending: dict[int, None] = {}  # sequence numbers given and not answered, in the order given
        self.ready = self.dead = False
        self.broken: str | None = None
        with sigint_ignored():  # inherited through exec: a Ctrl-C while it imports prints nothing
            self.process.start()
        child_conn.close()

    def send(self, repaired: bool, batch: list[tuple[int, Any]]) -> None:
        self.pending.update((seq, None) for seq, _ in batch)
        self.tasks.put((repaired, batch))

    def read_into(self, done: dict) -> None:
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "result":
                    _, seq, result = message
                    self.pending.pop(seq, None)
                    done[seq] = result
                elif message[0] == "unsendable":
                    self.pending.pop(message[1], None)
                    done[message[1]] = Unsendable(message[2])
                elif message[0] == "ready":
                    self.ready = True
                elif message[0] == "broken":
                    self.broken = message[1]
        except (EOFError, OSError):  # it ended; a half-written message is lost with it
            self.dead = True

    def stop(self) -> None:
        try:
            self.tasks.put(None)
        except (OSError, ValueError):
            self.process.terminate()

    def reap(self) -> None:
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.conn.close()


class sigint_ignored:
    """SIGINT ignored while a worker is started (on the main thread only: elsewhere it cannot be set)."""

    def __enter__(self) -> None:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def work(settings: dict[str, Any], tasks, conn) -> None:
    """A worker's life: build the Pipeline, say so, then extract each task's articles one by one, each
    result sent as soon as it is made (by a thread, so that extraction goes on while the pipe is full)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def send_all() -> None:
        while (message := outbox.get()) is not None:
            try:
                conn.send(message)
            except OSError:  # the caller is gone
                return
            except Exception as exc:  # a result that cannot be pickled: one line for its article, never a hang
                conn.send(("unsendable", message[1], f"{type(exc).__name__}: {exc}"))

    sender = threading.Thread(target=send_all, name="warmonitor-results", daemon=True)
    sender.start()
    try:
        pipeline = Pipeline(**settings)
        pipeline.resources  # noqa: B018 - load the language data now, before the first task
    except Exception as exc:
        outbox.put(("broken", f"{type(exc).__name__}: {exc}"))
        outbox.put(None)
        sender.join()
        return
    outbox.put(("ready",))
    while (task := tasks.get()) is not None:
        repaired, batch = task
        for seq, item in batch:
            result = extract_one(pipeline, item, repaired)
            if isinstance(result, ArticleResult):
                result.article = None  # the caller has it
            outbox.put(("result", seq, result))
    outbox.put(None)
    sender.join()


def extract_one(pipeline: Pipeline, item: Any, repaired: bool) -> ArticleResult | ReadError:
    try:
        results = pipeline.extract_repaired([item]) if repaired else pipeline.extract_many([item])
        return next(iter(results))
    except Exception as exc:  # a bug must cost one article, never the worker
        return failure(item[0] if repaired else item, "extraction", exc)
