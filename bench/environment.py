"""The bench run's environment: its database and cache, the settings every subprocess shares, the
Django commands run in them (manage.py, bench/seed.py, bench/probe.py), and what a scenario is given.

No Django in this process: the Django side runs in those subprocesses, with the run's settings.
"""

import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/unknot_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


@dataclass(frozen=True)
class Context:
    """What each scenario is given: the run's environment, the server's port and the options."""

    env: dict[str, str]
    port: int | None  # None when no scenario run needs the server
    requests: int
    people: int = 100_000
    batch: int | None = None  # EMAIL_DISPATCH_BATCH for the worker; None: the settings' default
    profile: bool = False


# Every goal of the run, as (what, figure, limit, passed), in the order measured: each scenario
# prints its own as it goes, and run.py prints them all again at the end.
GOALS: list[tuple[str, float, float, bool]] = []


def goal(what: str, figure: float, limit: float, *, at_least: bool = False) -> bool:
    """Print one goal's verdict and keep it for the summary: `figure` ≤ `limit` (≥ with `at_least`)."""
    passed = figure >= limit if at_least else figure <= limit
    GOALS.append((what, figure, limit, passed))
    verdict = "PASS" if passed else "FAIL"
    print(f"  Goal: {what} {'≥' if at_least else '≤'} {limit:g} → {verdict} ({figure:.2f})")
    return passed


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
        DEFAULT_FROM_EMAIL="Unknot bench <bench@unknot.localhost>",  # required too
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


def probe(env: dict[str, str], *args: str) -> str:
    """Run bench/probe.py (one rolled-back dispatcher batch, or a page's first view, looked
    inside); returns its stdout."""
    return _run(env, str(ROOT / "bench" / "probe.py"), *args)


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Failed ({result.returncode}): python {' '.join(args)}")
    return result.stdout
