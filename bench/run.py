"""`make bench`: time Unknot's pages against a bare Django view, through gunicorn, in one run.

    .venv/bin/python bench/run.py [--requests N] [--scenario NAME ...]

A clean PostgreSQL database (BENCH_DATABASE_URL, dropped and created again every run), migrated
and loaded with the library; gunicorn with production settings; then for each scenario: seed its
data (bench/seed.py, in Django), warm up, and time N requests to each page, alternating with the
bare view (/health/, which answers "ok" without touching the database) so that both see the same
server, machine and moment. See bench/README.md.

A plain script (no Django in this process): it drives subprocesses and an HTTP client.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/unknot_bench"
WORKERS = 2
WARMUP_REQUESTS = 30  # of each page, before timing: both workers import, connect and fill caches
BARE_PATH = "/health/"


# --- The run's environment -----------------------------------------------------------------------


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_flush(url: str) -> None:
    """The bench database is recreated each run, so ids repeat: start with an empty cache too."""
    import redis

    redis.Redis.from_url(url).flushdb()


def bench_environment(database_url: str) -> dict[str, str]:
    """Production settings, as gunicorn runs in production, with throwaway secrets.

    Every subprocess (migrate, seed, gunicorn) shares it: the session the seed creates is signed
    with this secret key. Production turns on secure cookies; the client sends its Cookie header
    itself, so the Secure flag is no obstacle over plain HTTP. No SSL redirect: there is no TLS.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        EMAIL_URL="smtp://127.0.0.1:2525",  # required by production settings; nothing is sent
        # Production-shaped: Redis is the cache the gunicorn workers share (sessions, dashboard).
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def database_recreate(database_url: str) -> None:
    """Drop and create the bench database, through the server's "postgres" database."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        # The bench drops its database on every run: never one that could hold someone's data.
        raise SystemExit(f"Refusing to drop {name!r}: the bench database's name must contain 'bench'.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict[str, str], *args: str) -> str:
    return _run(env, str(ROOT / "manage.py"), *args)


def seed(env: dict[str, str], scenario: str, *args: str) -> dict:
    """Run bench/seed.py for `scenario`; returns the JSON object it prints last."""
    return json.loads(_run(env, str(ROOT / "bench" / "seed.py"), scenario, *args).strip().splitlines()[-1])


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Failed ({result.returncode}): python {' '.join(args)}")
    return result.stdout


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """gunicorn serving config.wsgi on a free local port; stopped on the way out, error or not."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it also stops its workers
        )
        try:
            _wait_until_up(process, port, log)
            yield port
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # gunicorn stops its workers gracefully
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_until_up(process: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if Client(port).get(BARE_PATH)[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    log.seek(0)
    sys.stderr.write(log.read()[-4000:])
    raise SystemExit("gunicorn did not answer on /health/ (its log is above).")


# --- Timing ------------------------------------------------------------------------------------


class Client:
    """http.client with keep-alive (gunicorn's sync workers close anyway; it reconnects)."""

    def __init__(self, port: int, cookie: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Cookie": cookie} if cookie else {}

    def get(self, path: str) -> tuple[int, bytes]:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, response.read()


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    cookie: str = ""
    # What a correct answer contains (beyond status 200), e.g. the logout button of a logged-in page.
    marker: bytes = b""


def time_pages(port: int, pages: list[Page], requests: int) -> dict[str, list[float]]:
    """Milliseconds of `requests` GETs of each page, interleaved (a, b, a, b, …), after a warm-up.

    Raises SystemExit at the first answer that is not a 200 with the page's marker: a timing of an
    error page or a login redirect would be meaningless.
    """
    clients = {page.label: Client(port, page.cookie) for page in pages}
    times: dict[str, list[float]] = {page.label: [] for page in pages}
    for round_number in range(WARMUP_REQUESTS + requests):
        for page in pages:
            started = time.perf_counter()
            status, body = clients[page.label].get(page.path)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200 or page.marker not in body:
                missing = f" without {page.marker!r}" if status == 200 else ""
                raise SystemExit(f"{page.path} answered {status}{missing}: {body[:300]!r}")
            if round_number >= WARMUP_REQUESTS:
                times[page.label].append(elapsed)
    return times


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report_comparison(times: dict[str, list[float]], bare: str, page: str, goal_p50: float) -> None:
    rows = [(label, [percentile(values, p) for p in (50, 90, 99)]) for label, values in times.items()]
    print(f"  {'page':34} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for label, (p50, p90, p99) in rows:
        print(f"  {label:34} {p50:8.2f} {p90:8.2f} {p99:8.2f}")
    ratio_p50 = percentile(times[page], 50) / percentile(times[bare], 50)
    ratio_p90 = percentile(times[page], 90) / percentile(times[bare], 90)
    print(f"  {'ratio page / bare':34} {ratio_p50:7.1f}× {ratio_p90:7.1f}×")
    verdict = "PASS" if ratio_p50 <= goal_p50 else "FAIL"
    print(f"  Goal: ≤ {goal_p50:g}× the bare view at p50 → {verdict} ({ratio_p50:.1f}×)")


# --- Scenarios -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    env: dict[str, str]
    port: int | None  # None when no scenario run needs the server
    requests: int
    people: int = 100_000
    batch: int | None = None  # EMAIL_DISPATCH_BATCH for the worker; None: the settings' default
    profile: bool = False


def dashboard_scenario(context: Context) -> None:
    """The issue's goal: the dashboard of a person with three years of daily sessions ≤ 5× /health/."""
    data = seed(context.env, "dashboard")
    print(
        f"Dashboard: one person, {data['sessions']:,} sessions and {data['exercise_logs']:,} exercise logs "
        f"since {data['first_day']} (seeded in {data['seed_seconds']} s); "
        f"{context.requests} requests of each page, alternating"
    )
    # The logout button is in the header of every logged-in page: not a login page or redirect.
    page = Page("/ (dashboard, logged in)", "/", cookie=data["cookie"], marker=b"/accounts/logout/")
    compare_with_bare(
        context, page, cold_label="/ uncached (first view after a change)", cache_keys="*dashboard:*"
    )


def roster_scenario(context: Context) -> None:
    """A trainer's roster of 300 active clients with 90 days of sessions each ≤ 5× /health/."""
    data = seed(context.env, "roster")
    print(
        f"Roster: one trainer, {data['clients']} active clients with an assignment each, "
        f"{data['sessions']:,} sessions of them over 90 days (seeded in {data['seed_seconds']} s); "
        f"{context.requests} requests of each page, alternating"
    )
    # The client count is on the roster only: not the settings page a non-trainer is sent to.
    page = Page("/coach/ (roster, logged in)", "/coach/", cookie=data["cookie"], marker=b"300 clients")
    compare_with_bare(context, page, cold_label="/coach/ uncached (after a change)", cache_keys="*roster:*")


COLD_REQUESTS = 30


def compare_with_bare(context: Context, page: "Page", *, cold_label: str, cache_keys: str) -> None:
    """Time `page` against /health/ request for request (goal ≤ 5× at p50), then uncached: with
    the cache entries matching `cache_keys` deleted before each request."""
    bare = Page("/health/ (bare Django view)", BARE_PATH, marker=b"ok")
    times = time_pages(context.port, [bare, page], context.requests)
    report_comparison(times, bare=bare.label, page=page.label, goal_p50=5)
    cold = time_uncached(context, page, requests=COLD_REQUESTS, cache_keys=cache_keys)
    print(f"  {cold_label:34} {percentile(cold, 50):8.2f} {percentile(cold, 90):8.2f}")
    print(f"  ({COLD_REQUESTS} uncached requests, the page's cache entries deleted before each)")


def time_uncached(context: Context, page: Page, requests: int, cache_keys: str) -> list[float]:
    """A page as computed after a change: the cache entries matching `cache_keys` removed first."""
    import redis

    cache = redis.Redis.from_url(context.env["REDIS_URL"])
    client = Client(context.port, page.cookie)
    times = []
    for _ in range(requests):
        for key in cache.scan_iter(cache_keys):
            cache.delete(key)
        started = time.perf_counter()
        status, body = client.get(page.path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200 or page.marker not in body:
            raise SystemExit(f"{page.path} answered {status}")
    return times


# --- Emails: the dispatcher's throughput, in a real Celery worker ------------------------------

# The email scenarios' Redis (broker and cache of their worker): flushed before each size.
DEFAULT_EMAIL_REDIS_URL = "redis://127.0.0.1:6379/9"
DISPATCH_QUEUE = "bench.dispatch"  # what the bench worker consumes: only the dispatch task
SEND_QUEUE = "celery"  # where the send tasks go; nothing consumes it during the bench
PROBE_SIZES = (100, 500)  # batch contents whose queries are counted
RSS_GROWTH_GOAL = 0.10
WORKER_TIMEOUT = 30 * 60
EMAILS_DOMAIN = "emails.bench.unknot.localhost"  # the people bench/seed.py makes due


@dataclass(frozen=True)
class EmailGoal:
    kind: str  # "reminders" or "summaries": bench/seed.py's seed and bench/probe.py's batch
    title: str
    unit: str  # "reminders/s"
    delivery_kind: str  # progress.models.EmailKind
    per_second: int
    due: str  # for the heading: what is due


REMINDERS = EmailGoal(
    "reminders", "Reminders", "reminders/s", "reminder", 2000, "one reminder due 1–30 minutes ago"
)
SUMMARIES = EmailGoal(
    "summaries",
    "Weekly summaries",
    "summaries/s",
    "weekly_summary",
    500,
    "the weekly email due 1–30 minutes ago and 3–4 rated sessions (2–3 exercises each) in two weeks",
)


@dataclass(frozen=True)
class DispatchRun:
    people: int
    seconds: float  # wall time, from sending the task to the worker logging its end
    task_seconds: float  # the task's own run time, as the worker logged it
    deliveries: int  # pending deliveries of the kind, for the bench people
    enqueued: int  # send tasks in SEND_QUEUE
    idle_rss_kib: int  # the worker, ready, before the task
    peak_rss_kib: int  # VmHWM once the task is over

    @property
    def per_second(self) -> float:
        return self.people / self.seconds


def reminders_scenario(context: Context) -> None:
    """Dispatch --people due reminders (default 100,000) in one worker: ≥ 2,000/s, flat memory."""
    emails_scenario(context, REMINDERS)


def summaries_scenario(context: Context) -> None:
    """Build and dispatch --people weekly summaries in one worker: ≥ 500/s, flat memory."""
    emails_scenario(context, SUMMARIES)


def emails_scenario(context: Context, goal: EmailGoal) -> None:
    """At two sizes (a fifth of --people, then --people): seed that many people due (the earlier
    ones deleted), start a Celery worker (solo pool, production settings) on DISPATCH_QUEUE, send
    it dispatch_due_emails_task and wait for the task's end. Every person must end up with one
    pending delivery and one send task in SEND_QUEUE, or the run stops. Before the first size's
    run, bench/probe.py counts one batch's queries at two batch sizes (rolled back)."""
    env = dict(context.env, REDIS_URL=os.environ.get("BENCH_EMAIL_REDIS_URL", DEFAULT_EMAIL_REDIS_URL))
    if context.batch:
        env["EMAIL_DISPATCH_BATCH"] = str(context.batch)
    batch = context.batch or "the default"
    print(
        f"{goal.title}: each person has {goal.due}; one dispatch_due_emails task in a Celery worker "
        f"(solo pool, production settings, EMAIL_DISPATCH_BATCH {batch}), send tasks left in Redis"
    )
    runs, queries = [], {}
    for size in (context.people // 5, context.people):
        data = seed(env, goal.kind, str(size))
        print(
            f"  seeded {size:,} people, {data['sessions']:,} sessions, "
            f"{data['exercise_logs']:,} exercise logs in {data['seed_seconds']} s",
            flush=True,
        )
        if not queries:
            queries = probe_queries(env, goal.kind)
            if context.profile:  # one batch of the worker's size (500: the settings' default)
                batch_size = str(context.batch or PROBE_SIZES[-1])
                probe = str(ROOT / "bench" / "probe.py")
                sys.stdout.write(_run(env, probe, "profile", goal.kind, batch_size))
        runs.append(dispatch_run(env, goal, size))
    report_dispatch(goal, runs, queries)


def probe_queries(env: dict[str, str], kind: str) -> dict[int, int]:
    output = _run(env, str(ROOT / "bench" / "probe.py"), "queries", kind, *map(str, PROBE_SIZES))
    return {int(size): count for size, count in json.loads(output.strip().splitlines()[-1]).items()}


def dispatch_run(env: dict[str, str], goal: EmailGoal, people: int) -> DispatchRun:
    """One dispatch of `people` due people in a fresh worker, with a flushed Redis."""
    import redis
    from celery import Celery

    broker = redis.Redis.from_url(env["REDIS_URL"])
    broker.flushdb()
    sender = Celery("bench", broker=env["REDIS_URL"])
    with celery_worker(env) as worker:
        idle = proc_status_kib(worker.pid, "VmRSS")
        started = time.perf_counter()
        sender.send_task("notifications.dispatch_due_emails", queue=DISPATCH_QUEUE)
        task_seconds = worker.wait_for_task_end(WORKER_TIMEOUT)
        seconds = time.perf_counter() - started
        peak = proc_status_kib(worker.pid, "VmHWM")
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        [deliveries] = connection.execute(
            "SELECT count(*) FROM progress_delivery d JOIN accounts_user u ON u.id = d.user_id "
            "WHERE u.email LIKE %s AND d.kind = %s AND d.status = 'pending'",
            (f"%@{EMAILS_DOMAIN}", goal.delivery_kind),
        ).fetchone()
    run = DispatchRun(
        people=people,
        seconds=seconds,
        task_seconds=task_seconds,
        deliveries=deliveries,
        enqueued=broker.llen(SEND_QUEUE),
        idle_rss_kib=idle,
        peak_rss_kib=peak,
    )
    broker.flushdb()  # counted: a worker on this Redis must never send them
    if run.deliveries != people or run.enqueued != people:
        raise SystemExit(
            f"{goal.title}: {people:,} people due, but {run.deliveries:,} pending deliveries written "
            f"and {run.enqueued:,} send tasks enqueued: the figures would mean nothing."
        )
    return run


def proc_status_kib(pid: int, field: str) -> int:
    """A memory figure of a process from /proc/<pid>/status (VmRSS: now; VmHWM: its peak), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"No {field} in /proc/{pid}/status")


@dataclass
class Worker:
    process: subprocess.Popen
    log: IO[str]

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, found: Callable[[str], bool], what: str, timeout: float) -> str:
        """Wait until a line of the worker's log is `found`; returns it. Polled every 20 ms."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.output().splitlines():
                if found(line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        sys.stderr.write(self.output()[-4000:])
        raise SystemExit(f"The Celery worker did not log {what} (its log is above).")

    def wait_for_task_end(self, timeout: float) -> float:
        """Wait for the dispatch task to end; returns its run time as the worker logged it."""
        line = self.wait_for(
            lambda line: (
                "notifications.dispatch_due_emails[" in line
                and any(end in line for end in (" succeeded in ", " raised ", " failed"))
            ),
            "the dispatch task's end",
            timeout,
        )
        if " succeeded in " not in line:
            sys.stderr.write(self.output()[-4000:])
            raise SystemExit("The dispatch task failed in the worker (its log is above).")
        return float(line.split(" succeeded in ")[1].split("s")[0])


@contextmanager
def celery_worker(env: dict[str, str]) -> Iterator[Worker]:
    """`celery -A config worker --pool=solo` on DISPATCH_QUEUE, ready; stopped on the way out.
    The solo pool runs the task in the worker process itself, whose memory is then measured."""
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                DISPATCH_QUEUE,
                "-n",
                f"bench-dispatch-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=dict(env, LOG_LEVEL="INFO"),  # the task's end is read from the log
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Worker(process, log)
        try:
            worker.wait_for(lambda line: line.endswith(" ready."), "ready", timeout=60)
            yield worker
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # warm shutdown
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def report_dispatch(goal: EmailGoal, runs: list[DispatchRun], queries: dict[int, int]) -> None:
    print(
        f"  {'people':>8} {'seconds':>8} {goal.unit:>13} {'task s':>7} {'deliveries':>10} "
        f"{'enqueued':>9} {'idle RSS MiB':>12} {'peak RSS MiB':>12}"
    )
    for run in runs:
        print(
            f"  {run.people:8,} {run.seconds:8.1f} {run.per_second:13,.0f} {run.task_seconds:7.1f} "
            f"{run.deliveries:10,} {run.enqueued:9,} {run.idle_rss_kib / 1024:12.1f} "
            f"{run.peak_rss_kib / 1024:12.1f}"
        )
    small, large = runs[0], runs[-1]
    rate = large.per_second
    verdict = "PASS" if rate >= goal.per_second else "FAIL"
    print(f"  Goal: ≥ {goal.per_second:,} {goal.unit} at {large.people:,} → {verdict} ({rate:,.0f}/s)")
    growth = large.peak_rss_kib / small.peak_rss_kib - 1
    verdict = "PASS" if growth < RSS_GROWTH_GOAL else "FAIL"
    print(
        f"  Goal: worker peak RSS {small.people:,} → {large.people:,} people grows < "
        f"{RSS_GROWTH_GOAL:.0%} → {verdict} ({growth:+.1%})"
    )
    counts = ", ".join(f"{size} people: {count}" for size, count in queries.items())
    verdict = "PASS" if len(set(queries.values())) == 1 else "FAIL"
    print(f"  Goal: the same queries in every batch → {verdict} ({counts})")


# New scenarios: a seed in bench/seed.py and a function here that prints its own report.
SCENARIOS: dict[str, Callable[[Context], None]] = {
    "dashboard": dashboard_scenario,
    "roster": roster_scenario,
    "reminders": reminders_scenario,
    "summaries": summaries_scenario,
}
# Scenarios that time pages, and so need gunicorn; the others run a Celery worker of their own.
PAGE_SCENARIOS = {"dashboard", "roster"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests of each page (300)")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS, help="run only these (repeatable)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers ({WORKERS})")
    parser.add_argument(
        "--people",
        type=int,
        default=100_000,
        help="email scenarios: people due at the larger size; the smaller is a fifth (100000)",
    )
    parser.add_argument(
        "--batch", type=int, help="email scenarios: the worker's EMAIL_DISPATCH_BATCH (the settings' default)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="email scenarios: also print cProfile of one batch"
    )
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    if args.people < 5 * PROBE_SIZES[-1]:
        parser.error(f"--people must be at least {5 * PROBE_SIZES[-1]:,}")

    started = time.perf_counter()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = bench_environment(database_url)
    redis_flush(env["REDIS_URL"])
    name = urlsplit(database_url).path.lstrip("/")
    database_recreate(database_url)
    print(f"Database {name}: created afresh; migrating, loading the library")
    manage(env, "migrate", "--no-input")
    manage(env, "load_library")
    scenarios = args.scenario or list(SCENARIOS)
    pages = PAGE_SCENARIOS.intersection(scenarios)
    if pages:
        manage(env, "collectstatic", "--no-input")  # production's static storage needs the manifest
    with gunicorn(env, args.workers) if pages else nullcontext() as port:
        print(f"Ready in {time.perf_counter() - started:.1f} s")
        if port:
            print(f"gunicorn config.wsgi, {args.workers} sync workers, production settings, port {port}")
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
        for name in scenarios:
            context = Context(
                env=env,
                port=port,
                requests=args.requests,
                people=args.people,
                batch=args.batch,
                profile=args.profile,
            )
            SCENARIOS[name](context)
            print()
    print(f"Bench finished in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
