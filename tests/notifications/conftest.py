"""Fixtures for sending through a real Celery worker to a real SMTP server (test_delivery_worker.py).

`smtp_server` is an aiosmtpd server in the test process that records what it accepts and can be
told to refuse or hold messages; `worker` starts Celery worker processes that read and write the
test database and send to that server.
"""

import asyncio
import contextlib
import email
import email.policy
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.db.models import F
from kombu import Exchange, Queue

from config.celery_app import app
from notifications.models import Delivery

ROOT = Path(__file__).resolve().parents[2]


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 20, what: str | Callable[[], str] = "the condition"
) -> None:
    """Poll until `condition()` is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout}s waiting for {what() if callable(what) else what}.")
        time.sleep(0.02)


def outbox_clock_advance(delta: timedelta) -> None:
    """As if `delta` went by on the database's clock, which the outbox compares leases and
    backoffs with (time-machine cannot move it): every time the outbox stored moves back."""
    Delivery.objects.update(
        lease_until=F("lease_until") - delta, retry_at=F("retry_at") - delta, due_at=F("due_at") - delta
    )


# --- The SMTP server ------------------------------------------------------------------------


class SMTPRecorder:
    """aiosmtpd handler: records each accepted message; refuses or holds messages on request.

    A held message waits inside `handle_DATA`, before the server answers "250", so it has not been
    accepted. If the client's connection drops meanwhile, aiosmtpd cancels the handler: the message
    is never recorded, and its recipients are listed in `dropped`.
    """

    def __init__(self) -> None:
        self.port = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.messages: list[EmailMessage] = []
        self.refusals: list[str] = []  # the envelope recipient of each refused attempt
        self.dropped: list[str] = []
        self.peers: list[tuple] = []  # the client's address of each accepted message: one per connection
        self.refusal_reply = "451 4.3.0 Mailbox busy, try again later"
        self._refuse_next = 0
        self._hold_after: int | None = None
        self._holding: list[str] = []
        self._released = asyncio.Event()
        # Called in the server's thread just before it answers "250" to a message.
        self.on_accept: Callable[[], None] | None = None
        self.accepted_at: list[float] = []  # time.time() of each "250"

    # What the test sees.

    @property
    def recipients(self) -> Counter:
        return Counter(message["To"] for message in self.messages)

    @property
    def holding(self) -> list[str]:
        """Recipients of the messages held right now."""
        return list(self._holding)

    def wait_for_messages(self, count: int, *, timeout: float = 20) -> list[EmailMessage]:
        wait_until(
            lambda: len(self.messages) >= count,
            timeout=timeout,
            what=lambda: f"{count} messages (received {len(self.messages)})",
        )
        return self.messages

    # What the test asks of the server.

    def refuse_next(self, attempts: int) -> None:
        self._refuse_next = attempts

    def hold_after(self, accepted: int) -> None:
        """Accept `accepted` messages in all, then hold every later one until `release()`."""
        self._released = asyncio.Event()
        self._hold_after = accepted

    def release(self) -> None:
        self._hold_after = None
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._released.set)  # asyncio's events are not thread-safe

    # aiosmtpd's hook, run in the server's thread.

    async def handle_DATA(self, server, session, envelope) -> str:
        recipient = ", ".join(envelope.rcpt_tos)
        if self._refuse_next > 0:
            self._refuse_next -= 1
            self.refusals.append(recipient)
            return self.refusal_reply
        if self._hold_after is not None and len(self.messages) >= self._hold_after:
            self._holding.append(recipient)
            try:
                await self._released.wait()
            except asyncio.CancelledError:
                self.dropped.append(recipient)
                raise
            finally:
                self._holding.remove(recipient)
        # The modern policy unfolds long headers (List-Unsubscribe) as a mail client reads them.
        self.peers.append(session.peer)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        if self.on_accept is not None:
            self.on_accept()
        self.accepted_at.append(time.time())
        return "250 2.0.0 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(caplog) -> Iterator[SMTPRecorder]:
    caplog.set_level(logging.WARNING, logger="mail.log")  # aiosmtpd logs every command at INFO
    recorder = SMTPRecorder()
    recorder.port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    recorder.loop = controller.loop
    yield recorder
    recorder.release()
    controller.stop()


# --- A database connection that the test can cut ------------------------------------------


class TCPProxy:
    """Forwards TCP connections to `target`; `cut()` drops every open connection and refuses new
    ones (as a network partition or a database restart does), `restore()` lets them through again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.cut_count = 0
        self.refused = 0  # connections refused while cut
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            self.up.clear()
            self.cut_count += 1
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def database_proxy() -> Iterator[TCPProxy]:
    """A cuttable path to the test database; `database_url_through(proxy)` is the worker's URL."""
    db = connection.settings_dict
    proxy = TCPProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    yield proxy
    proxy.close()


def database_url_through(proxy: TCPProxy) -> str:
    return worker_database_url(host="127.0.0.1", port=proxy.port)


# --- The worker -----------------------------------------------------------------------------


def worker_database_url(*, host: str | None = None, port: int | None = None) -> str:
    """The database pytest-django created for this run, as the worker's DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = host or db["HOST"] or "127.0.0.1"
    port = port or db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def services_check() -> None:
    """These tests need what production runs on: fail (never skip) without it."""
    if connection.vendor != "postgresql":
        pytest.fail("Real-worker tests need PostgreSQL: set DATABASE_URL (e.g. postgres://…).")
    if not settings.REDIS_URL:
        pytest.fail("Real-worker tests need Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
    try:
        with redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3) as client:
            client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Real-worker tests need Redis, and REDIS_URL does not answer: {error}")


def broker_forget(queue: str) -> None:
    """Leave nothing of a test's queue in Redis: the queue, its messages, and the messages a killed
    worker had taken (kombu would put those back on the queue an hour later)."""
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        entity = Queue(queue, Exchange(queue), queue, channel=channel)
        entity.declare()  # known to this connection, so that deleting it removes its binding
        entity.delete()
        unacked, unacked_index = channel.unacked_key, channel.unacked_index_key
    with redis.Redis.from_url(settings.REDIS_URL) as client:
        for tag, raw in client.hgetall(unacked).items():
            _message, exchange, routing_key = json.loads(raw)
            if queue in (exchange, routing_key):
                client.hdel(unacked, tag)
                client.zrem(unacked_index, tag)


@pytest.fixture
def worker(smtp_server, monkeypatch, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    """`worker()` starts a Celery worker process, as production runs it, that has answered a ping.

    Workers send to `smtp_server`, and consume a queue of this test's own, where the test process
    sends its deliveries: no message of another test (or another run) reaches them. Both processes
    share the outbox settings, since the sweeper runs here and the send task there.
    """
    services_check()
    from notifications.tasks import delivery_send_task

    queue = f"test-deliveries-{uuid4().hex[:12]}"
    monkeypatch.setattr(delivery_send_task, "queue", queue, raising=False)
    monkeypatch.setattr(delivery_send_task, "_exec_options", None)  # Celery caches the routing
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "DATABASE_CONN_MAX_AGE": "60",  # as in production: one connection, not one per task
        "EMAIL_LEASE_SECONDS": str(settings.EMAIL_LEASE_SECONDS),
        "EMAIL_RETRY_BASE_SECONDS": str(settings.EMAIL_RETRY_BASE_SECONDS),
        "EMAIL_MAX_ATTEMPTS": str(settings.EMAIL_MAX_ATTEMPTS),
        "EMAIL_SEND_CHUNK": str(settings.EMAIL_SEND_CHUNK),
    }
    processes: list[subprocess.Popen] = []

    def start(*, database_url: str | None = None) -> subprocess.Popen:
        name = f"{queue}-{len(processes) + 1}@test"
        log = tmp_path / f"worker-{len(processes) + 1}.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    "--loglevel=WARNING",
                    f"--hostname={name}",
                    f"--queues={queue}",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env={**env, "DATABASE_URL": database_url or env["DATABASE_URL"]},
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        processes.append(process)
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[name], timeout=0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"The worker did not start:\n{log.read_text()}")
        return process

    yield start
    # No graceful shutdown (it takes a second or more): what a worker had taken goes with the queue.
    for process in processes:
        process.kill()
        process.wait()
    broker_forget(queue)
