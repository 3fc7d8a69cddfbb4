"""The Django side of the email scenarios: look inside one dispatcher batch, then undo it.

Run by bench/run.py with the bench's environment, after bench/seed.py has made people due:

    python bench/probe.py queries {reminders,summaries} SIZE [SIZE …]
    python bench/probe.py profile {reminders,summaries} SIZE

`queries` runs one batch of each SIZE (EMAIL_DISPATCH_BATCH set to it) and counts its SQL
queries with CaptureQueriesContext; the last line of stdout is a JSON object {SIZE: queries}.
`profile` runs one batch under cProfile and prints where its time goes, by cumulative time.
Each batch runs in a transaction that is rolled back: no delivery is written, nothing is enqueued
(on_commit never fires) and the people stay due for the worker.
"""

import cProfile
import io
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


def main(argv: list[str]) -> int:
    usage = "usage: python bench/probe.py {queries,profile} {reminders,summaries} SIZE [SIZE …]"
    if len(argv) < 3 or argv[0] not in {"queries", "profile"} or argv[1] not in {"reminders", "summaries"}:
        print(usage, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    sizes = [int(size) for size in argv[2:]]
    if argv[0] == "profile":
        profile(argv[1], sizes[0])
    else:
        print(json.dumps(queries(argv[1], sizes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
