"""/health/ready/: 200 when PostgreSQL, the cache, the broker and the background processes are
all there; 503 naming what is not. /health/ stays the liveness check that touches nothing."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.urls import reverse

from notifications.heartbeats import DISPATCHER, WORKER, heartbeat_record
from notifications.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]
READY = reverse("health_ready")

# The checks read from threads of their own, which see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def ready(client):
    """The readiness answer, asked from a thread of its own: a browser test run earlier by the same
    pytest-xdist worker leaves Playwright's event loop on this thread, and the checks run through
    async_to_sync, which refuses a thread with a running loop (as no server thread has)."""

    def ask():
        try:
            return client.get(READY, HTTP_ACCEPT="application/json")
        finally:
            connections.close_all()  # this thread's own connections, not the test's

    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(ask).result()
    return response.status_code, response.json()


def failing(report: dict) -> dict:
    return {check: status for check, status in report.items() if status != "OK"}


def test_ready_when_the_database_cache_broker_and_background_processes_are_there(client, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL  # the shared test Redis
    heartbeat_record(DISPATCHER)
    heartbeat_record(WORKER)

    status, report = ready(client)

    assert (status, failing(report)) == (200, {})
    assert sorted(report) == [
        "Broker(Redis)",
        "Cache(alias='default')",
        "Database(alias='default')",
        "Heartbeats()",
    ]


def test_not_ready_when_beat_or_the_workers_stopped_saying_which(client, settings):
    heartbeat_record(DISPATCHER)
    heartbeat_record(WORKER)
    Heartbeat.objects.filter(name=WORKER).update(
        beat_at=Heartbeat.objects.get(name=WORKER).beat_at - timedelta(minutes=4)
    )

    status, report = ready(client)

    assert status == 503
    [(check, error)] = failing(report).items()
    assert check == "Heartbeats()"
    assert "no send worker has taken work" in error
    assert "dispatcher" not in error

    Heartbeat.objects.all().delete()
    error = failing(ready(client)[1])["Heartbeats()"]
    assert "the dispatcher has not run (check beat and the dispatch worker)" in error


def test_not_ready_when_redis_is_down_naming_the_cache_and_the_broker(
    client, settings, spare_redis, resilient_cache_on_spare_redis
):
    heartbeat_record(DISPATCHER)
    heartbeat_record(WORKER)
    settings.CELERY_BROKER_URL = spare_redis.url
    resilient_cache_on_spare_redis()
    assert ready(client)[0] == 200

    spare_redis.stop()
    status, report = ready(client)

    assert status == 503
    assert sorted(check.split("(")[0] for check in failing(report)) == ["Broker", "Cache"]
    # The liveness check does not care: it touches nothing.
    assert client.get(reverse("health")).status_code == 200


def test_the_containers_check_fails_naming_the_database_when_postgresql_is_unreachable():
    """What docker-compose runs in the worker, dispatcher and beat containers."""
    db = connection.settings_dict
    unreachable = f"postgres://{db['USER']}@127.0.0.1:1/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "health_check", "health_ready", "--no-http"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": unreachable},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    [database] = [line for line in result.stdout.splitlines() if line.startswith("Database(")]
    assert "Unavailable" in database
