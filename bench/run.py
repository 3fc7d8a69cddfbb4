"""`make bench`: time Unknot's pages against a bare Django view, through gunicorn, in one run.

    .venv/bin/python bench/run.py [--requests N] [--scenario NAME ...]

A clean PostgreSQL database (BENCH_DATABASE_URL, dropped and created again every run), migrated
and loaded with the library; gunicorn with production settings; then for each scenario: seed its
data (bench/seed.py, in Django), warm up, and time N requests to each page, alternating with the
bare view (/health/, which answers "ok" without touching the database) so that both see the same
server, machine and moment. See bench/README.md.

A plain script (no Django in this process): it drives subprocesses and an HTTP client.
"""

# The run's parts, each a sibling module (importable because Python puts this script's folder
# first on sys.path): environment.py (settings, database, the Django subprocesses), processes.py
# (gunicorn, the Celery worker), pages.py (the page scenarios), dispatcher.py (the email ones).

import argparse
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from urllib.parse import urlsplit

from dispatcher import PROBE_SIZES, reminders_scenario, summaries_scenario
from environment import (
    DEFAULT_DATABASE_URL,
    GOALS,
    Context,
    bench_environment,
    database_recreate,
    manage,
    redis_flush,
)
from pages import dashboard_scenario, roster_scenario
from processes import gunicorn
from sends import sends_scenario

WORKERS = 2


# New scenarios: a seed in bench/seed.py and a function that prints its own report, beside its kind
# (pages.py, dispatcher.py), registered here.
SCENARIOS: dict[str, Callable[[Context], None]] = {
    "dashboard": dashboard_scenario,
    "roster": roster_scenario,
    "reminders": reminders_scenario,
    "summaries": summaries_scenario,
    "sends": sends_scenario,
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
        "--profile",
        action="store_true",
        help="email scenarios: also print cProfile of one batch; pages: look inside the first view",
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
    print("Goals:")
    for what, figure, limit, passed in GOALS:
        print(f"  {'PASS' if passed else 'FAIL'}  {what}: {figure:.2f} (goal {limit:g})")
    print(f"Bench finished in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
