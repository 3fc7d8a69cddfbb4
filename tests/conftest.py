"""Shared fixtures. Factories live in tests/factories.py.

With REQUIRE_SERVICES=1 (as CI sets it) the run stops at once, as a failure, unless PostgreSQL,
Redis and Debian's chromium are all there: nothing that needs them is silently skipped.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import redis
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
# A fast hasher keeps sign-up tests quick (every test uses it: see _fast_and_isolated).
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEST_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "layout": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": None},
}


def _missing_services() -> list[str]:
    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    else:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at REDIS_URL does not answer ({exc})")
    if not shutil.which(CHROMIUM):
        missing.append(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return missing


SLOW = ("e2e", "real_worker", "slow")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules with slow tests (browser, real worker, or marked `slow`) first, each module's
    tests together and in order. pytest-django then sorts the tests (a stable sort) into those in
    a transaction, the transactional ones and those without the database, so this order holds
    within each. Under xdist's work stealing (`make test`) the workers then end on quick tests and
    finish together, rather than one waiting while the other runs a long test it took last."""
    slow_modules = {item.path for item in items if any(item.get_closest_marker(name) for name in SLOW)}
    items.sort(key=lambda item: item.path not in slow_modules)  # a stable sort keeps the order within


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        missing = _missing_services()
        if missing:
            pytest.exit("REQUIRE_SERVICES=1 but: " + "; ".join(missing), returncode=3)


@pytest.fixture(scope="session", autouse=True)
def _flush_with_delete() -> Iterator[None]:
    """After each transactional test (browser, real-worker, migration tests), pytest-django
    empties every table with Django's `flush`: on PostgreSQL one TRUNCATE of them all, which
    makes new files for every table and index and takes about 0.4 s. The tables then hold a few
    rows, and DELETE empties them in milliseconds. Foreign keys are checked at the commit (Django
    makes them DEFERRABLE INITIALLY DEFERRED), so the order of the tables does not matter."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings) -> None:
    # A fast hasher keeps sign-up tests quick; a private cache keeps allauth's rate limits
    # from leaking between tests (and off a shared Redis).
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    settings.CACHES = TEST_CACHES
    from django.core.cache import caches

    for alias in TEST_CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _emails_sent_in_process(request):
    """Outside the real-worker tests (marked `real_worker`), a queued delivery is sent at once in
    the test process (Celery's eager mode), so `mailoutbox` shows it after commit."""
    from config.celery_app import app

    eager = "real_worker" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def library(request, db):
    """The shipped exercise library, loaded as `make run` loads it: for this test, or once for
    the module when the module asks for `library_for_the_module`."""
    if "library_for_the_module" in request.fixturenames:
        return request.getfixturevalue("library_for_the_module")
    from routines.library_load import library_load

    return library_load()


@contextlib.contextmanager
def rows_for_the_module(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: what it writes is seen by each test of the module, and undone
    after the module's last test. It writes in a transaction that is rolled back then; each test
    runs in a savepoint inside it (pytest-django's `db`), so what a test writes is still undone
    after that test. Settings are the tests' own (_fast_and_isolated, _emails_sent_in_process).

    Only for modules without transactional tests (`transaction=True`, `live_server`): their
    flush would wait for this transaction's locks.
    """
    from django.db import transaction
    from django.test import override_settings

    from config.celery_app import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS, CACHES=TEST_CACHES),
            transaction.atomic(),
        ):
            yield
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture(scope="module")
def library_for_the_module(django_db_setup, django_db_blocker):
    """The library loaded once for every test of a module that asks for it (`pytestmark =
    pytest.mark.usefixtures("library_for_the_module")`): loading takes about a second, and the
    modules that need it have a dozen tests or more. See rows_for_the_module."""
    from routines.library_load import library_load

    with rows_for_the_module(django_db_blocker):
        yield library_load()


def session_logged(
    user,
    day: date,
    *,
    minutes=10,
    before=6,
    after=4,
    pain=0,
    exercises=(),
    at=time(8, 0),
    routine=None,
    **flags,
):
    """A session logged through the app's service, on `day` at `at` in the user's time zone."""
    from progress.services import ExerciseLogEntry, session_log_record

    started = datetime.combine(day, at, tzinfo=user.zone).astimezone(UTC)
    session, _ = session_log_record(
        user=user,
        routine=routine,
        client_token=None,
        started_at=started,
        finished_at=started + timedelta(minutes=minutes),
        tightness_before=before,
        tightness_after=after,
        pain=pain,
        exercises=[ExerciseLogEntry(e.pk, 30, 1, False) for e in exercises],
        **flags,
    )
    return session


@pytest.fixture
def log_session():
    """log_session(user, day, minutes=10, before=6, after=4, exercises=[...], at=time(8)), local times."""
    return session_logged


# --- A Redis of the test's own, to stop and start ---------------------------------------------


class RedisProcess:
    """A redis-server on a spare port. `stop()` saves what it holds and exits (clients then get
    "connection refused"), `start()` brings it back with the same data, as after a restart."""

    def __init__(self, directory) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    str(self.directory),
                ),
                *("--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = clock.monotonic() + 10
        while True:
            try:
                with redis.Redis.from_url(self.url, socket_connect_timeout=0.2) as client:
                    client.ping()
                return
            except redis.ConnectionError:
                if clock.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {self.port}")
                clock.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            with redis.Redis.from_url(self.url) as client:
                client.shutdown(save=True)
        except redis.ConnectionError:
            pass  # it closes the connection as it exits
        self.process.wait(timeout=10)
        self.process = None


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def default_cache(settings):
    """default_cache(config): this test's default cache, returned. The tests' other caches stay
    (the layout's: every page renders through it)."""

    def use(config: dict):
        from django.core.cache import caches

        settings.CACHES = {**TEST_CACHES, "default": config}
        return caches["default"]

    return use


@pytest.fixture
def resilient_cache_on_spare_redis(spare_redis, default_cache):
    """resilient_cache_on_spare_redis(**options): production's cache (config.cache) as the
    default, on spare_redis, with short timeouts; returned."""

    def use(**options):
        return default_cache(
            {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": spare_redis.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options},
            }
        )

    return use


@pytest.fixture
def spare_redis(tmp_path):
    """A real Redis the test can stop and start (not the shared one at REDIS_URL)."""
    if not os.path.exists(REDIS_SERVER):
        pytest.fail("These tests need redis-server (apt-get install -y redis-server).")
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    server.stop()
