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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
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


def seed(env: dict[str, str], scenario: str) -> dict:
    """Run bench/seed.py for `scenario`; returns the JSON object it prints last."""
    return json.loads(_run(env, str(ROOT / "bench" / "seed.py"), scenario).strip().splitlines()[-1])


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
    port: int
    requests: int


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


# New scenarios (reminder dispatch throughput, …): a seed in bench/seed.py and a function here
# that prints its own report.
SCENARIOS: dict[str, Callable[[Context], None]] = {"dashboard": dashboard_scenario, "roster": roster_scenario}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests of each page (300)")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS, help="run only these (repeatable)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers ({WORKERS})")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")

    started = time.perf_counter()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = bench_environment(database_url)
    redis_flush(env["REDIS_URL"])
    name = urlsplit(database_url).path.lstrip("/")
    database_recreate(database_url)
    print(f"Database {name}: created afresh; migrating, loading the library")
    manage(env, "migrate", "--no-input")
    manage(env, "load_library")
    manage(env, "collectstatic", "--no-input")  # production's static storage needs the manifest
    with gunicorn(env, args.workers) as port:
        print(f"Ready in {time.perf_counter() - started:.1f} s")
        print(f"gunicorn config.wsgi, {args.workers} sync workers, production settings, port {port}")
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
        for name in args.scenario or SCENARIOS:
            SCENARIOS[name](Context(env=env, port=port, requests=args.requests))
            print()
    print(f"Bench finished in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
