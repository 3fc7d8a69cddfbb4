"""The page scenarios: a page timed over HTTP against the bare Django view, and their report.

Each page is requested alternately with /health/ (which answers "ok" without touching the
database), so that both see the same server, machine and moment; then uncached, as computed
after a change.
"""

import http.client
import http.cookies
import statistics
import time
from dataclasses import dataclass

import psycopg
from environment import Context, goal, probe, seed

BARE_PATH = "/health/"
FLOOR_PATH = "/before-you-start/"  # fixed text in the layout: no queries of its own
FLOOR_LABEL = "/before-you-start/ (logged in)"
HISTORY = "/progress/history/"
WARMUP_REQUESTS = 30  # of each page, before timing: both workers import, connect and fill caches
COLD_REQUESTS = 50


class Client:
    """http.client with keep-alive (gunicorn's sync workers close anyway; it reconnects), keeping
    the cookies the server sets as a browser would: without the CSRF cookie, every page would
    make a new CSRF secret and set it again, which no browser's second view does."""

    def __init__(self, port: int, cookie: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = http.cookies.SimpleCookie(cookie)

    def get(self, path: str) -> tuple[int, bytes]:
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        self.connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = self.connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, response.read()


@dataclass(frozen=True, kw_only=True)
class Page:
    label: str
    path: str
    # What a correct answer contains (beyond status 200), e.g. the logout button of a logged-in page.
    marker: bytes
    cookie: str = ""
    user_id: int | None = None  # whose data changes before each uncached request


def logged_in(label: str, path: str, seeded: dict, *, marker: bytes) -> Page:
    """`path` as the person bench/seed.py logged in (its `cookie` and `user_id`) sees it."""
    return Page(label=label, path=path, cookie=seeded["cookie"], user_id=seeded["user_id"], marker=marker)


# --- Scenarios -----------------------------------------------------------------------------------

# The goals (issue 16): the page at p50 as a multiple of the bare view at p50, cached (a repeat
# view) and uncached (the first view after a change).
DASHBOARD_GOAL_CACHED, DASHBOARD_GOAL_UNCACHED = 3, 10
ROSTER_GOAL_CACHED, ROSTER_GOAL_UNCACHED = 3, 15
ROSTER_GROWTH_GOAL = 1.5  # uncached at 1,000 clients / uncached at 300
HISTORY_GROWTH_GOAL = 1.5  # three years / 90 days: the History page, and the export per session


def dashboard_scenario(context: Context) -> None:
    """The dashboard of a person with three years of daily sessions, cached and uncached; then
    their History page and CSV export against those of a person with 90 days of sessions."""
    data = seed(context.env, "dashboard")
    print(
        f"Dashboard: one person, {data['sessions']:,} sessions and {data['exercise_logs']:,} exercise logs "
        f"since {data['first_day']} (seeded in {data['seed_seconds']} s); "
        f"{context.requests} requests of each page, alternating"
    )
    # The logout button is in the header of every logged-in page: not a login page or redirect.
    page = logged_in("/ (dashboard, logged in)", "/", data, marker=b"/accounts/logout/")
    compare_with_bare(
        context,
        page,
        cold_label="/ uncached (first view after a change)",
        goal_cached=DASHBOARD_GOAL_CACHED,
        goal_uncached=DASHBOARD_GOAL_UNCACHED,
        profile_as="dashboard",
    )
    history_and_export(context, long_cookie=data["cookie"], short_cookie=data["short_cookie"])


def roster_scenario(context: Context) -> None:
    """A trainer's roster of 300 active clients with 90 days of sessions each, cached and
    uncached; then uncached at 1,000 clients."""
    data = seed(context.env, "roster")
    print(
        f"Roster: one trainer, {data['clients']} active clients with an assignment each, "
        f"{data['sessions']:,} sessions of them over 90 days; and one with {data['growth']['clients']:,} "
        f"clients, {data['growth']['sessions']:,} sessions (seeded in {data['seed_seconds']} s); "
        f"{context.requests} requests of each page, alternating"
    )
    # The client count is on the roster only: not the settings page a non-trainer is sent to.
    page = logged_in("/coach/ (roster, logged in)", "/coach/", data, marker=b"300 clients")
    compare_with_bare(
        context,
        page,
        cold_label="/coach/ uncached (after a change)",
        goal_cached=ROSTER_GOAL_CACHED,
        goal_uncached=ROSTER_GOAL_UNCACHED,
        profile_as="roster",
    )
    growth = logged_in("/coach/ 1,000 clients", "/coach/", data["growth"], marker=b"1000 clients")
    times = time_uncached(context, [page, growth], COLD_REQUESTS)  # 300 and 1,000, alternating
    cold, cold_growth = percentile(times[page.label], 50), percentile(times[growth.label], 50)
    print(
        f"  /coach/ uncached at p50, alternating: {cold:.2f} ms at 300 clients, "
        f"{cold_growth:.2f} ms at 1,000 ({COLD_REQUESTS} requests of each)"
    )
    goal(
        "roster uncached at 1,000 clients / at 300, p50",
        cold_growth / cold,
        ROSTER_GROWTH_GOAL,
    )


def compare_with_bare(
    context: Context,
    page: Page,
    *,
    cold_label: str,
    goal_cached: float,
    goal_uncached: float,
    profile_as: str,
) -> None:
    """Time `page` against /health/ request for request, then uncached: with a change to the
    person's data before each request (time_uncached). Reports both against their goals (× the
    bare view at p50). With --profile, then looks inside the
    first view in one process (bench/probe.py page `profile_as`)."""
    bare = Page(label="/health/ (bare Django view)", path=BARE_PATH, marker=b"ok")
    # What any logged-in page costs before its own work: the session, the user, the middleware
    # and the layout, around fixed text. Reported beside the goals, to show what they leave.
    floor = Page(label=FLOOR_LABEL, path=FLOOR_PATH, cookie=page.cookie, marker=b"/accounts/logout/")
    times = time_pages(context.port, [bare, floor, page], context.requests)
    report_comparison(times, bare=bare.label, page=page.label)
    bare_p50 = percentile(times[bare.label], 50)
    floor_ratio = percentile(times[floor.label], 50) / bare_p50
    print(
        f"  A logged-in page of fixed text is {floor_ratio:.1f}× the bare view at p50, which leaves "
        f"{max(goal_cached - floor_ratio, 0):.1f}× of the cached goal for the page's own work."
    )
    goal(f"{page.path} cached, × bare at p50", percentile(times[page.label], 50) / bare_p50, goal_cached)
    cold_times = time_uncached(context, [bare, page], requests=COLD_REQUESTS)
    cold, cold_bare_p50 = cold_times[page.label], percentile(cold_times[bare.label], 50)
    cold_p50 = percentile(cold, 50)
    print(f"  {cold_label:34} {cold_p50:8.2f} {percentile(cold, 90):8.2f}")
    print(
        f"  ({COLD_REQUESTS} uncached requests, each after a change to the person's data, alternating "
        f"with the bare view: {cold_bare_p50:.2f} ms at p50 in those rounds)"
    )
    goal(f"{page.path} uncached, × bare at p50", cold_p50 / cold_bare_p50, goal_uncached)
    if context.profile:
        floor_p50 = percentile(times[floor.label], 50)
        print(
            probe(context.env, "page", profile_as, str(page.user_id), f"{bare_p50:.4f}", f"{floor_p50:.4f}")
        )


def history_and_export(context: Context, *, long_cookie: str, short_cookie: str) -> None:
    """The History page (its first page of sessions) and the sessions CSV, of three years and of 90
    days: neither may grow with the length of the history beyond the page or the stream itself."""
    pages = [
        Page(label=f"{HISTORY} 3 years", path=HISTORY, cookie=long_cookie, marker=b"/accounts/logout/"),
        Page(label=f"{HISTORY} 90 days", path=HISTORY, cookie=short_cookie, marker=b"/accounts/logout/"),
    ]
    times = time_pages(context.port, pages, max(2, context.requests // 3))
    long_p50, short_p50 = (percentile(times[page.label], 50) for page in pages)
    for page in pages:
        values = times[page.label]
        print(f"  {page.label:34} {percentile(values, 50):8.2f} {percentile(values, 90):8.2f}")
    goal("History page, 3 years / 90 days at p50", long_p50 / short_p50, HISTORY_GROWTH_GOAL)
    per_session = []
    for label, cookie in (("3 years", long_cookie), ("90 days", short_cookie)):
        first_byte, total, size, rows = time_export(context.port, cookie)
        per_session.append(total / rows)
        print(
            f"  sessions.csv, {label}: {rows:,} sessions, {size / 1024:,.0f} KiB in {total:,.0f} ms "
            f"({1000 * total / rows:,.0f} µs a session), first byte after {first_byte:.1f} ms"
        )
    ratio = per_session[0] / per_session[1]
    goal("sessions.csv time a session, 3 years / 90 days", ratio, HISTORY_GROWTH_GOAL)


def time_export(port: int, cookie: str, requests: int = 5) -> tuple[float, float, int, int]:
    """The median of `requests` downloads of the sessions CSV: ms to the first byte, ms to the
    last, bytes and data rows."""
    firsts, totals = [], []
    for _ in range(requests):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", "/progress/export/sessions.csv", headers={"Cookie": cookie})
        response = connection.getresponse()
        first = response.read(1)
        firsts.append((time.perf_counter() - started) * 1000)
        body = first + response.read()
        totals.append((time.perf_counter() - started) * 1000)
        connection.close()
        if response.status != 200:
            raise SystemExit(f"/progress/export/sessions.csv answered {response.status}")
    return statistics.median(firsts), statistics.median(totals), len(body), body.count(b"\n") - 1


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


def time_uncached(context: Context, pages: list[Page], requests: int) -> dict[str, list[float]]:
    """Milliseconds of `requests` GETs of each page, interleaved (a, b, a, b, …), each page with a
    person (`user_id`) as computed after a change: before each of its requests, their
    `dashboard_version` goes up, as every write to their sessions, routines, clients or settings
    makes it go up, so that no cache (Redis, or a process's own copy) has the page under its new
    key. A page without a person (the bare view) is timed as it is, in the same rounds: a ratio
    of the two then compares requests made at the same moment of the machine."""
    clients = {page.label: Client(context.port, page.cookie) for page in pages}
    times: dict[str, list[float]] = {page.label: [] for page in pages}
    with psycopg.connect(context.env["DATABASE_URL"], autocommit=True) as connection:
        for _ in range(requests):
            for page in pages:
                if page.user_id is not None:
                    connection.execute(
                        "UPDATE accounts_user SET dashboard_version = dashboard_version + 1 WHERE id = %s",
                        [page.user_id],
                    )
                started = time.perf_counter()
                status, body = clients[page.label].get(page.path)
                times[page.label].append((time.perf_counter() - started) * 1000)
                if status != 200 or page.marker not in body:
                    raise SystemExit(f"{page.path} answered {status}")
    return times


# --- The report --------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report_comparison(times: dict[str, list[float]], bare: str, page: str) -> None:
    rows = [(label, [percentile(values, p) for p in (50, 90, 99)]) for label, values in times.items()]
    print(f"  {'page':34} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for label, (p50, p90, p99) in rows:
        print(f"  {label:34} {p50:8.2f} {p90:8.2f} {p99:8.2f}")
    ratio_p50 = percentile(times[page], 50) / percentile(times[bare], 50)
    ratio_p90 = percentile(times[page], 90) / percentile(times[bare], 90)
    print(f"  {'ratio page / bare':34} {ratio_p50:7.1f}× {ratio_p90:7.1f}×")
