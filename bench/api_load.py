"""API load: concurrent requests over loopback to `/api/facts` (filtered) and `/api/aggregates`, SQLite, 100,000 facts.

Prints figures, asserts nothing. The target (issue): p95 latency under 100 ms, no errors.

The database is filled with generated articles (`generate_facts.py`: real towns, published over a year)
run through the extractor and `Store.save`, and kept in a file for the next run (`--db`; reused when it
holds at least `--facts` facts; building 100,000 facts takes a few minutes). The server is
`warmonitor serve` in a process of its own on 127.0.0.1; `--concurrency` clients, each with its own
keep-alive HTTP connection, send a seeded mix of filtered fact lists and aggregates for `--duration`
seconds (or `--requests` requests), after a warm-up that is not counted.

The clients share the machine's cores with the server, and what they cost shows in the latencies:
`--client asyncio` (default) runs them as coroutines of one event loop in one thread, on raw HTTP/1.1
connections, at a fraction of the cost of `--client httpx` (a thread with an `httpx.Client` each), so
the figures measure the server rather than the clients' queue for the GIL. Both send the same mix.

    python bench/api_load.py                          # 100,000 facts, 8 clients, 20 s, a server process per core
    python bench/api_load.py --workers 1 --low-memory # one server process, lists and sums from SQL alone
    python bench/api_load.py --concurrency 16 --duration 60
    python bench/api_load.py --client httpx           # httpx clients, one thread each
    python bench/api_load.py --requests 2000 --db /tmp/api.db --facts 20000
    python bench/api_load.py --rebuild                # build the database again
    python bench/api_load.py --url http://127.0.0.1:8000 --db served.db   # a server started elsewhere
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_facts import generate_articles  # noqa: E402

TARGET_P95_MS = 100.0
TARGET_ERRORS = 0
REQUEST_TIMEOUT = 30.0  # seconds, per request
CONNECT_GAP = 0.01  # s between the asyncio clients' connects: at once, they all go to one server process
FACTS_PER_ARTICLE = 17  # about, for 330-word articles: how many articles to generate at first
START, DAYS = dt.date(2025, 1, 1), 365
FACT_TYPES = ("casualty", "displacement", "attack", "control", "quote", "population")
SORTS = ("-date", "date", "-count", "count", "-confidence", "confidence", "id", "-id")
WORDS = ("killed", "hospital", "children", "fled", "strike", "shelling", "displaced", "wounded", "camp",
         "according to", "civilians", "market")


# -- the database ----------------------------------------------------------------------------------

def stored_facts(path: Path) -> int:
    """Facts (article summaries aside) in the SQLite file at `path`; 0 when it is missing or not a store."""
    if not path.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM facts WHERE type != 'summary'").fetchone()[0]
    except sqlite3.Error:
        return 0


def build_database(path: Path, facts: int, words: int, seed: int, batch_size: int) -> None:
    """Generated articles through the extractor into a fresh store at `path`, until it holds `facts` facts."""
    from warmonitor.usecases.version import extractor_version
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    store = Store(str(path))
    store.upgrade()
    pipeline, version = Pipeline(), extractor_version()
    have, articles, round_ = 0, 0, 0
    while have < facts:
        n = max(50, math.ceil((facts - have) / FACTS_PER_ARTICLE * 1.03))
        batch = generate_articles(n, words, seed=seed + round_, start=START, days=DAYS, prefix=f"bench-api-r{round_}")
        summary = store.save(pipeline.extract_many(batch), extractor_version=version, batch_size=batch_size)
        have += summary.facts_stored
        articles += summary.new
        round_ += 1
        print(f"  stored {articles:,} articles, {have:,} facts ({time.perf_counter() - t0:.0f} s)", flush=True)
    store.close()
    print(f"built {path}: {articles:,} articles, {have:,} facts in {time.perf_counter() - t0:.1f} s "
          f"({articles / (time.perf_counter() - t0):.1f} articles/s)")


def filter_values(path: Path) -> dict[str, list[str]]:
    """Values to filter on that occur in the database: its most frequent admin1 names and countries."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        def top(column: str, k: int) -> list[str]:
            return [v for (v,) in conn.execute(f"SELECT {column} FROM facts WHERE {column} IS NOT NULL AND type != "
                                               f"'summary' GROUP BY {column} ORDER BY count(*) DESC LIMIT {k}")]
        return {"admin1": top("admin1", 40), "country": top("country", 15)}


# -- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log_path: Path, workers: int = 1, low_memory: bool = False) -> subprocess.Popen:
    import httpx

    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "warmonitor", "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), *(["--low-memory"] if low_memory else [])],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/me", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    tail = log_path.read_text(errors="replace")[-2000:]
    sys.exit(f"api_load: the server did not answer /api/me on port {port} within 60 s:\n{tail}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def wait_for_memory(base: str, timeout: float = 180) -> float | None:
    """Until fact lists come from the server's in-memory arrays (`X-Facts-Source: memory`, ten answers in a
    row, so that every worker has them): the seconds it took, or None if they never did."""
    import httpx

    start = time.perf_counter()
    in_a_row = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.perf_counter() - start < timeout:
            if client.get("/api/facts", params={"per_page": 1}).headers.get("x-facts-source") == "memory":
                in_a_row += 1
                if in_a_row >= 10:
                    return time.perf_counter() - start
            else:
                in_a_row = 0
                time.sleep(0.2)
    return None


def server_memory(pid: int) -> list[int]:
    """Private resident memory (RssAnon, bytes) of the server process and its workers; Linux only."""
    found = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("RssAnon:"):
                found.append(int(line.split()[1]) * 1024)
        pending += [int(c) for c in children]
    return found


# -- the requests ----------------------------------------------------------------------------------

def window(r: random.Random) -> tuple[str, str]:
    length = r.choice((7, 30, 90))
    since = START + dt.timedelta(days=r.randrange(DAYS - length))
    return since.isoformat(), (since + dt.timedelta(days=length - 1)).isoformat()


def facts_request(r: random.Random, values: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """A filtered fact list: query parameters and the features that describe it (for the breakdown)."""
    params: list[tuple[str, str]] = []
    tags: list[str] = []
    if r.random() < 0.4:
        for t in r.sample(FACT_TYPES, r.choice((1, 1, 2))):
            params.append(("type", t))
        tags.append("type")
    if r.random() < 0.25 and values["admin1"]:
        params.append(("admin1", r.choice(values["admin1"])))
        tags.append("admin1")
    elif r.random() < 0.25 and values["country"]:
        params.append(("country", r.choice(values["country"])))
        tags.append("country")
    if r.random() < 0.4:
        since, until = window(r)
        params += [("since", since), ("until", until)]
        tags.append("since/until")
    if r.random() < 0.15:
        params.append(("q", r.choice(WORDS)))
        tags.append("q")
    if not tags:
        tags.append("no filter")
    sort = r.choice(SORTS)
    page = r.randint(1, 5)
    params += [("sort", sort), ("page", str(page)), ("per_page", "50")]
    tags += [f"sort={sort}", f"page={page}"]
    return params, tags


def aggregates_request(r: random.Random, values: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[str]]:
    measure, interval, by = r.choice(("killed", "displaced")), r.choice(("week", "month")), r.choice(("admin1", "none"))
    params = [("measure", measure), ("interval", interval), ("by", by)]
    tags = [f"measure={measure}", f"interval={interval}", f"by={by}"]
    filtered = False
    if r.random() < 0.3 and values["country"]:
        params.append(("country", r.choice(values["country"])))
        tags.append("country")
        filtered = True
    elif r.random() < 0.2 and values["admin1"]:
        params.append(("admin1", r.choice(values["admin1"])))
        tags.append("admin1")
        filtered = True
    if r.random() < 0.35:
        since, until = window(r)
        params += [("since", since), ("until", until)]
        tags.append("since/until")
        filtered = True
    if not filtered:
        tags.append("no filter")
    return params, tags


Request = tuple[str, list[tuple[str, str]], list[str]]  # endpoint, query parameters, features
Mix = Callable[[int], Iterator[Request]]  # a client's requests, by its index


class Recorder:
    """Latencies (seconds) and errors per endpoint, and per feature of the request for the breakdown."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.by_tag: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []

    def add(self, endpoint: str, tags: list[str], seconds: float, error: str | None) -> None:
        with self.lock:
            self.latency[endpoint].append(seconds)
            for tag in tags:
                self.by_tag[(endpoint, tag)].append(seconds)
            if error is not None:
                self.errors[endpoint] += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{endpoint}: {error}")


def httpx_clients(base: str, concurrency: int, mix: Mix, record: Callable[..., None]) -> None:
    """`concurrency` threads, each with an `httpx.Client` (one connection)."""
    import httpx

    def worker(index: int) -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
            for endpoint, params, tags in mix(index):
                error = None
                t0 = time.perf_counter()
                try:
                    response = client.get(endpoint, params=params)
                    response.read()
                    if response.status_code != 200:
                        error = f"HTTP {response.status_code} {response.text[:200]} for {params}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc} for {params}"
                record(endpoint, tags, time.perf_counter() - t0, error)

    threads = [threading.Thread(target=worker, args=(i,), name=f"load-{i}") for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


async def http_get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
                   target: str) -> tuple[int, bytes, bool]:
    """One GET on a keep-alive connection: status, body, whether the connection can be used again."""
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in lines if h)}
    keep = status_line.startswith("HTTP/1.1 ") and headers.get("connection", "").lower() != "close"
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while size := int((await reader.readline()).split(b";")[0], 16):
            body += (await reader.readexactly(size + 2))[:-2]  # the chunk and its CRLF
        while await reader.readline() not in (b"\r\n", b""):  # trailers, up to the empty line
            pass
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:  # no length: the body runs to the end of the connection
        body, keep = await reader.read(), False
    return int(status_line.split(" ", 2)[1]), body, keep


def asyncio_clients(base: str, concurrency: int, mix: Mix, record: Callable[..., None]) -> None:
    """`concurrency` coroutines in one thread's event loop, each with one HTTP/1.1 keep-alive connection."""
    url = urllib.parse.urlsplit(base)

    async def client(index: int) -> None:
        await asyncio.sleep(index * CONNECT_GAP)
        conn = None
        for endpoint, params, tags in mix(index):
            target = f"{url.path.rstrip('/')}{endpoint}?{urllib.parse.urlencode(params)}"
            error, keep, t0 = None, False, time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.wait_for(asyncio.open_connection(url.hostname, url.port or 80),
                                                  REQUEST_TIMEOUT)
                    t0 = time.perf_counter()  # the time to connect is not the request's
                status, body, keep = await asyncio.wait_for(http_get(*conn, url.netloc, target), REQUEST_TIMEOUT)
                if status != 200:
                    error = f"HTTP {status} {body[:200].decode(errors='replace')} for {params}"
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as exc:
                error = f"{type(exc).__name__}: {exc} for {params}"  # OSError includes TimeoutError
            seconds = time.perf_counter() - t0
            if not keep and conn is not None:  # reconnect for the next request
                conn[1].close()
                conn = None
            record(endpoint, tags, seconds, error)
        if conn is not None:
            conn[1].close()

    async def all_clients() -> None:
        await asyncio.gather(*(client(i) for i in range(concurrency)))

    asyncio.run(all_clients())


def run_load(base: str, values: dict[str, list[str]], *, client: str, concurrency: int, duration: float | None,
             requests: int | None, aggregate_share: float, seed: int, recorder: Recorder | None) -> float:
    """Send the mix from `concurrency` clients; returns the wall time. `recorder` None: a warm-up."""
    remaining = [requests]
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + duration if duration is not None else None

    def take() -> bool:
        if deadline is not None and time.perf_counter() >= deadline:
            return False
        if remaining[0] is None:
            return True
        with lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
            return True

    def mix(index: int) -> Iterator[Request]:
        """A client's seeded requests, while the budget lasts: the same for either client."""
        r = random.Random(seed * 1000 + index)
        while take():
            if r.random() < aggregate_share:
                yield "/api/aggregates", *aggregates_request(r, values)
            else:
                yield "/api/facts", *facts_request(r, values)

    record = recorder.add if recorder is not None else lambda *_: None  # nothing recorded in the warm-up
    clients = asyncio_clients if client == "asyncio" else httpx_clients
    clients(base, concurrency, mix, record)
    return time.perf_counter() - start


# -- the report ------------------------------------------------------------------------------------

def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def report(recorder: Recorder, wall: float, breakdown: bool) -> None:
    print(f"{'endpoint':<16} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7}  verdict (p95 < {TARGET_P95_MS:.0f} ms, errors {TARGET_ERRORS})")
    endpoints = sorted(recorder.latency)
    for endpoint in endpoints:
        values = sorted(recorder.latency[endpoint])
        errors = recorder.errors.get(endpoint, 0)
        p95 = percentile(values, 95)
        ok = p95 < TARGET_P95_MS / 1000 and errors <= TARGET_ERRORS
        print(f"{endpoint:<16} {len(values):>8} {errors:>6} {len(values) / wall:>7.1f} "
              f"{percentile(values, 50) * 1000:>7.1f} {p95 * 1000:>7.1f} {percentile(values, 99) * 1000:>7.1f} "
              f"{values[-1] * 1000:>7.1f}  {'reached' if ok else 'NOT reached'}")
    total = sum(len(v) for v in recorder.latency.values())
    print(f"{'all':<16} {total:>8} {sum(recorder.errors.values()):>6} {total / wall:>7.1f}")
    for sample in recorder.error_samples:
        print(f"  error: {sample}")
    if breakdown:
        print("by request feature (a request counts under each of its features):")
        for endpoint in endpoints:
            rows = []
            for (ep, tag), values in recorder.by_tag.items():
                if ep == endpoint:
                    values = sorted(values)
                    rows.append((percentile(values, 95), tag, len(values), percentile(values, 50)))
            print(f"  {endpoint}")
            for p95, tag, n, p50 in sorted(rows, reverse=True):
                print(f"    {tag:<22} n={n:<6} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=100_000, help="facts the database holds at least")
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file, built when missing or smaller than --facts (default: in the temp dir)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it is there")
    parser.add_argument("--words", type=int, default=330, help="words per generated article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--client", choices=("asyncio", "httpx"), default="asyncio",
                        help="load client: one thread's asyncio event loop with raw HTTP/1.1 connections (light), "
                             "or a thread with an httpx.Client per connection")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                        help="server processes (warmonitor serve --workers; default: one per core, at most 4)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (unless --requests)")
    parser.add_argument("--requests", type=int, default=None, help="send this many requests instead of --duration")
    parser.add_argument("--warmup", type=int, default=40, help="requests sent first and not counted")
    parser.add_argument("--aggregate-share", type=float, default=0.4, help="share of requests to /api/aggregates")
    parser.add_argument("--no-breakdown", action="store_true", help="omit the latency per request feature")
    parser.add_argument("--low-memory", action="store_true",
                        help="serve with --low-memory: lists and sums from SQL alone, no in-memory arrays")
    parser.add_argument("--url", default=None,
                        help="load a server already running there (e.g. http://127.0.0.1:8000) instead of starting "
                             "one; --db still gives the filter values, and should be the database it serves")
    args = parser.parse_args()

    db = args.db or Path(tempfile.gettempdir()) / f"warmonitor-api-load-s{args.seed}.db"
    have = stored_facts(db)
    if args.url:
        if not have:
            sys.exit(f"api_load: --url needs --db: the database that server serves ({db} holds no facts)")
        print(f"filter values from {db} ({have:,} facts)")
    elif args.rebuild or have < args.facts:
        print(f"building {db}: {args.facts:,} facts from generated articles of ~{args.words} words "
              f"(found {have:,})", flush=True)
        build_database(db, args.facts, args.words, args.seed, args.batch_size)
        have = stored_facts(db)
    else:
        print(f"reusing {db} ({have:,} facts; --rebuild to build it again)")
    values = filter_values(db)

    load_before = os.getloadavg()
    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    print(f"database: {have:,} facts, {db.stat().st_size / 2**20:.0f} MiB; {len(values['admin1'])} admin1 and "
          f"{len(values['country'])} country values in the mix")

    server, log_path = None, None
    if args.url:
        base = args.url.rstrip("/")
        print(f"server: {base} (already running)")
    else:
        port = free_port()
        log_path = Path(tempfile.gettempdir()) / f"warmonitor-api-load-{port}.log"
        t0 = time.perf_counter()
        server = start_server(db, port, log_path, args.workers, args.low_memory)
        print(f"server: warmonitor serve --workers {args.workers}{' --low-memory' if args.low_memory else ''} on 127.0.0.1:{port} (pid {server.pid}), up in {time.perf_counter() - t0:.1f} s")
        base = f"http://127.0.0.1:{port}"
    try:
        if not args.low_memory:
            ready = wait_for_memory(base)
            print(f"facts held in memory by the server after {ready:.1f} s" if ready is not None else
                  "the server's answers never came from memory (older server or --low-memory?)", flush=True)
        run_load(base, values, client=args.client, concurrency=min(args.concurrency, max(1, args.warmup)),
                 duration=None, requests=args.warmup, aggregate_share=args.aggregate_share, seed=args.seed + 10_000,
                 recorder=None)
        how = f"{args.requests} requests" if args.requests else f"{args.duration:g} s"
        kind = "asyncio, one thread" if args.client == "asyncio" else f"httpx, {args.concurrency} threads"
        print(f"load: {args.concurrency} concurrent clients ({kind}), {how}, {args.aggregate_share:.0%} "
              f"aggregates, {args.warmup} warm-up requests not counted", flush=True)
        recorder, cpu = Recorder(), time.process_time()
        wall = run_load(base, values, client=args.client, concurrency=args.concurrency,
                        duration=None if args.requests else args.duration, requests=args.requests,
                        aggregate_share=args.aggregate_share, seed=args.seed, recorder=recorder)
        cpu = time.process_time() - cpu
        if server is not None:
            rss = server_memory(server.pid)
            print(f"server memory (RssAnon, MiB per process): {', '.join(f'{m / 2**20:.0f}' for m in rss) or 'n/a'}")
    finally:
        if server is not None:
            stop_server(server)
    load_after = os.getloadavg()
    report(recorder, wall, not args.no_breakdown)
    total = sum(len(v) for v in recorder.latency.values())
    print(f"wall {wall:.1f} s; client CPU {cpu:.1f} s ({cpu / max(1, total) * 1000:.2f} ms a request); "
          f"load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if log_path is not None:
        log_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
