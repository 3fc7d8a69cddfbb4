"""The Celery wiring `make run` and production rely on, with a real worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--hostname=test-worker@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_pong(timeout: float = 30) -> list:
    """The replies to the first ping the worker answers. A ping sent before the worker listens is
    lost, so it is sent again every 0.2 s; each returns at its first reply (`limit`) rather than
    waiting out its timeout for more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.2, limit=1)
        if replies:
            return replies
    return []


@pytest.fixture
def worker():
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
    process = start_worker({"REDIS_URL": settings.REDIS_URL})
    yield process
    process.kill()  # a warm shutdown takes a second or more, and no test here is about it
    process.wait(timeout=20)


@pytest.mark.slow
def test_a_worker_started_like_make_run_connects_to_redis_and_answers(worker):
    replies = wait_for_pong()

    assert worker.poll() is None, worker.stderr.read()
    assert any(name.startswith("test-worker@") for reply in replies for name in reply)


def test_the_celery_app_reads_django_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_serializer == "json"
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
