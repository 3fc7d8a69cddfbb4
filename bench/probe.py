"""The Django side of `--profile`: look inside one dispatcher batch (then undo it), or inside the
first view of a page after a change.

Run by bench/run.py with the bench's environment, after bench/seed.py has seeded the scenario:

    python bench/probe.py queries {reminders,summaries} SIZE [SIZE …]
    python bench/probe.py profile {reminders,summaries} SIZE
    python bench/probe.py page {dashboard,roster} USER_ID BARE_MS FLOOR_MS

`queries` runs one batch of each SIZE (EMAIL_DISPATCH_BATCH set to it) and counts its SQL
queries with CaptureQueriesContext; the last line of stdout is a JSON object {SIZE: queries}.
`profile` runs one batch under cProfile and prints where its time goes, by cumulative time.
Each batch runs in a transaction that is rolled back: no delivery is written, nothing is enqueued
(on_commit never fires) and the people stay due for the worker.
`page` computes what a first view of the page computes (the dashboard's figures and rendering
without the cache, the roster through its cache under a key no one has used), in this process: its
time (best of PAGE_RUNS), its queries and the time spent in their execute (the round trip and
PostgreSQL's work), the time of rendering alone with every figure already computed (the
dashboard), and, under cProfile, the share of each part; against BARE_MS and FLOOR_MS, the bare
view's and the logged-in floor page's p50 over HTTP in the same run.
"""

import cProfile
import io
import itertools
import json
import os
import pstats
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def batch_function(kind: str):
    from notifications import dispatch

    return {
        "reminders": dispatch._reminders_dispatch_batch,
        "summaries": dispatch._weekly_emails_dispatch_batch,
    }[kind]


def one_batch(kind: str, size: int, wrap) -> tuple[int, float]:
    """Run one batch of `size` inside `wrap` (a context manager factory), rolled back; returns
    how many rows it claimed and its wall time in seconds."""
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from notifications.dispatch import DispatchReport

    dispatch_batch = batch_function(kind)
    with override_settings(EMAIL_DISPATCH_BATCH=size), transaction.atomic():
        now = timezone.now()
        started = time.perf_counter()
        with wrap():
            claimed = dispatch_batch(now, DispatchReport())
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return claimed, elapsed


def queries(kind: str, sizes: list[int]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size in sizes:
        context = CaptureQueriesContext(connection)
        claimed, _ = one_batch(kind, size, lambda context=context: context)
        if claimed != size:
            raise SystemExit(f"A batch of {size} claimed {claimed}: not enough people due.")
        counts[size] = len(context.captured_queries)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for query in context.captured_queries:
                print(f"[{size}] {query['time']}s {query['sql'][:200]}", file=sys.stderr)
    return counts


def profile(kind: str, size: int) -> None:
    from contextlib import contextmanager, nullcontext

    profiler = cProfile.Profile()

    @contextmanager
    def profiled():
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()

    one_batch(kind, size, nullcontext)  # a first batch: imports, connection, caches
    claimed, elapsed = one_batch(kind, size, profiled)
    print(f"One {kind} batch of {claimed} under cProfile: {elapsed * 1000:.0f} ms")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
        print(out.getvalue())


PAGE_RUNS = 50


def best_ms(function, runs: int = PAGE_RUNS) -> float:
    """The least wall time of `runs` calls, in ms: the cost with the least interference."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def first_views(page: str, user_id: int):
    """(the first view's work as one call, its outermost function, and the rendering alone or None).
    The dashboard: its figures computed and rendered, as dashboard_stats_cached does on a miss.
    The roster: roster_page_cached with a trainer's version no one has used (in memory only), so
    each call misses the cache as the first view after a change does."""
    from importlib import import_module

    from django.conf import settings
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from accounts.models import User

    user = User.objects.get(pk=user_id)
    request = RequestFactory().get("/")
    request.user = user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    if page == "dashboard":
        from progress.dashboard import dashboard_context
        from progress.selectors import local_today

        today = local_today(user)
        context = dashboard_context(request, user, today)

        def dashboard_first_view():
            return render_to_string(
                "progress/dashboard.html#stats", dashboard_context(request, user, today), request
            )

        return (
            dashboard_first_view,
            dashboard_context,
            lambda: render_to_string("progress/dashboard.html#stats", context, request),
        )

    from django.http import QueryDict

    from coaching.forms import roster_filter_values
    from coaching.roster import roster_page_cached

    flag, sort = roster_filter_values(QueryDict())  # the page as it opens
    # Versions no run has used (an earlier probe on the same Redis stored the ones after the
    # trainer's own), never saved.
    versions = itertools.count(time.time_ns())

    def roster_first_view():
        user.dashboard_version = next(versions)
        return roster_page_cached(request, user, flag=flag, sort=sort, page_number=1)

    return roster_first_view, roster_page_cached, None


def page_profile(page: str, user_id: int, bare_ms: float, floor_ms: float) -> None:
    from django.db import connection

    first_view, outermost, render = first_views(page, user_id)
    first_view()  # imports, templates, the connection
    executes: list[float] = []  # each query's execute: its round trip and PostgreSQL's work

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executes.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        first_view()
    total = best_ms(first_view)
    print(f"  In one process, the {page}'s first view after a change (best of {PAGE_RUNS}): {total:.1f} ms")
    print(f"    In one run: {len(executes)} queries, {sum(executes) * 1000:.1f} ms in their execute")
    print(  # a best time added to a p50: a low estimate, beside the uncached p50 measured above
        f"    The logged-in floor ({floor_ms:.2f} ms at p50 over HTTP) plus this work, at best: "
        f"≈ {(floor_ms + total) / bare_ms:.1f}× the bare view ({bare_ms:.2f} ms)"
    )
    if render is not None:
        rendered = best_ms(render)
        print(
            f"    Rendering alone, every figure already computed: {rendered:.1f} ms; with the floor, "
            f"{(floor_ms + rendered) / bare_ms:.1f}× the bare view"
        )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        first_view()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.calc_callees()
    top = next(key for key in stats.stats if key[2] == outermost.__name__ and key[0].endswith(".py"))
    whole = stats.stats[top][3]
    print(
        f"    Under cProfile, {outermost.__name__}'s parts (share of its time, profiler's overhead included):"
    )
    callees = sorted(stats.all_callees[top].items(), key=lambda item: -item[1][3])
    for (filename, _, name), (_, _, _, cumulative) in callees[:12]:
        print(f"      {100 * cumulative / whole:4.0f} %  {Path(filename).stem}.{name}")


def main(argv: list[str]) -> int:
    usage = (
        "usage: python bench/probe.py {queries,profile} {reminders,summaries} SIZE [SIZE …]\n"
        "       python bench/probe.py page {dashboard,roster} USER_ID BARE_MS FLOOR_MS"
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) == 5 and argv[0] == "page" and argv[1] in {"dashboard", "roster"}:
        django.setup()
        page_profile(argv[1], int(argv[2]), float(argv[3]), float(argv[4]))
        return 0
    if len(argv) < 3 or argv[0] not in {"queries", "profile"} or argv[1] not in {"reminders", "summaries"}:
        print(usage, file=sys.stderr)
        return 2
    django.setup()
    sizes = [int(size) for size in argv[2:]]
    if argv[0] == "profile":
        profile(argv[1], sizes[0])
    else:
        print(json.dumps(queries(argv[1], sizes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
