"""The page scenarios: a page timed over HTTP against the bare Django view, and their report.

Each page is requested alternately with /health/ (which answers "ok" without touching the
database), so that both see the same server, machine and moment; then uncached, as computed
after a change.
"""

import http.client
import statistics
import time
from dataclasses import dataclass

from environment import Context, seed

BARE_PATH = "/health/"
WARMUP_REQUESTS = 30  # of each page, before timing: both workers import, connect and fill caches
COLD_REQUESTS = 30


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


# --- Scenarios -----------------------------------------------------------------------------------


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


def compare_with_bare(context: Context, page: Page, *, cold_label: str, cache_keys: str) -> None:
    """Time `page` against /health/ request for request (goal ≤ 5× at p50), then uncached: with
    the cache entries matching `cache_keys` deleted before each request."""
    bare = Page("/health/ (bare Django view)", BARE_PATH, marker=b"ok")
    times = time_pages(context.port, [bare, page], context.requests)
    report_comparison(times, bare=bare.label, page=page.label, goal_p50=5)
    cold = time_uncached(context, page, requests=COLD_REQUESTS, cache_keys=cache_keys)
    print(f"  {cold_label:34} {percentile(cold, 50):8.2f} {percentile(cold, 90):8.2f}")
    print(f"  ({COLD_REQUESTS} uncached requests, the page's cache entries deleted before each)")


# --- Timing ------------------------------------------------------------------------------------


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


# --- The report --------------------------------------------------------------------------------


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
