"""The `sends` scenario: emails from due to accepted by an SMTP server, end to end.

At two sizes (a fifth of --people, then --people), for reminders and then weekly summaries: the
people are seeded due (bench/seed.py, as the dispatcher scenarios seed them), an SMTP sink that
accepts at once runs in a process of its own (bench/sink.py), a Celery worker with SEND_PROCESSES
prefork processes consumes the send tasks, and a second worker (solo) runs one
dispatch_due_emails task, as beat would at the due minute. The clock starts when that task is
sent and stops when the sink has accepted every message.

The limit, measured in the same run against the same sink: Python's smtplib alone sending
BASELINE_MESSAGES messages of the same average size over one reused connection.
"""

import json
import os
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from dispatcher import (
    DEFAULT_EMAIL_REDIS_URL,
    DISPATCH_QUEUE,
    DISPATCH_TASK,
    EMAILS_DOMAIN,
    REMINDERS,
    RSS_GROWTH_GOAL,
    SUMMARIES,
    EmailGoal,
)
from environment import ROOT, Context, seed
from environment import goal as record_goal
from processes import celery_worker, free_port, proc_status_kib, worker_children

SEND_PROCESSES = 2
SEND_QUEUE = "celery"
BASELINE_MESSAGES = 20_000
RATE_GOAL = 0.5  # of smtplib's rate alone
TIMEOUT = 30 * 60
STALL_SECONDS = 120  # no arrival for this long: something is stuck


@dataclass(frozen=True)
class SendRun:
    people: int
    seconds: float  # from sending the dispatch task to the sink's last acceptance
    p50_late: float  # seconds after the dispatch task was sent
    p99_late: float
    peak_rss_kib: int  # the largest VmHWM among the send processes
    average_bytes: int
    smtplib_per_second: float

    @property
    def per_second(self) -> float:
        return self.people / self.seconds


def sends_scenario(context: Context) -> None:
    for goal in (REMINDERS, SUMMARIES):
        env = dict(context.env, REDIS_URL=os.environ.get("BENCH_EMAIL_REDIS_URL", DEFAULT_EMAIL_REDIS_URL))
        print(
            f"Sends, {goal.title.lower()}: due → dispatch → {SEND_PROCESSES} send processes (prefork, "
            f"production settings, chunks of EMAIL_SEND_CHUNK over one connection each) → an SMTP sink"
        )
        runs = []
        for size in (context.people // 5, context.people):
            data = seed(env, goal.kind, str(size))
            print(f"  seeded {size:,} people in {data['seed_seconds']} s", flush=True)
            runs.append(send_run(env, goal, size))
        report(goal, runs)


def send_run(env: dict[str, str], goal: EmailGoal, people: int) -> SendRun:
    import redis
    from celery import Celery

    broker = redis.Redis.from_url(env["REDIS_URL"])
    broker.flushdb()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        status = Path(folder) / "sink"
        sink = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "sink.py"), str(port), str(status)], cwd=ROOT
        )
        try:
            _wait(lambda: status.exists(), "the SMTP sink to start", 30)
            env = dict(env, EMAIL_URL=f"smtp://127.0.0.1:{port}")
            with (
                celery_worker(env, SEND_QUEUE, processes=SEND_PROCESSES) as senders,
                celery_worker(env, DISPATCH_QUEUE) as _dispatcher,
            ):
                started = time.time()
                Celery("bench", broker=env["REDIS_URL"]).send_task(DISPATCH_TASK, queue=DISPATCH_QUEUE)
                _wait_for_arrivals(status, people, senders, sink)
                peak = max(proc_status_kib(child, "VmHWM") for child in worker_children(senders.pid))
            accepted, size = _accepted(status)
            average = size // accepted
            baseline = smtplib_rate(port, average)
        finally:
            sink.send_signal(signal.SIGTERM)
            sink.wait(timeout=30)
        arrivals = sorted(float(value) for value in _arrivals(Path(f"{status}.arrivals")))
    broker.flushdb()
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        [sent] = connection.execute(
            "SELECT count(*) FROM progress_delivery d JOIN accounts_user u ON u.id = d.user_id "
            "WHERE u.email LIKE %s AND d.kind = %s AND d.status = 'sent'",
            (f"%@{EMAILS_DOMAIN}", goal.delivery_kind),
        ).fetchone()
    if sent != people or accepted != people or len(arrivals) != people + BASELINE_MESSAGES:
        raise SystemExit(
            f"{goal.title}: {people:,} due, but {sent:,} deliveries marked sent and {accepted:,} "
            f"messages accepted: the figures would mean nothing."
        )
    late = [arrival - started for arrival in arrivals[:people]]
    quantiles = statistics.quantiles(late, n=100, method="inclusive")
    return SendRun(
        people=people,
        seconds=late[-1],
        p50_late=quantiles[49],
        p99_late=quantiles[98],
        peak_rss_kib=peak,
        average_bytes=average,
        smtplib_per_second=baseline,
    )


def smtplib_rate(port: int, size: int) -> float:
    """Messages per second that smtplib alone sends to the sink over one connection."""
    body = ("x" * 76 + "\r\n") * max(1, size // 78)
    message = f"From: bench@unknot.localhost\r\nTo: sink@unknot.localhost\r\nSubject: Bench\r\n\r\n{body}"
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for _ in range(BASELINE_MESSAGES):
            smtp.sendmail("bench@unknot.localhost", ["sink@unknot.localhost"], message)
        return BASELINE_MESSAGES / (time.perf_counter() - started)


def report(goal: EmailGoal, runs: list[SendRun]) -> None:
    print(
        f"  {'people':>8} {'seconds':>8} {'sends/s':>8} {'p50 late s':>10} {'p99 late s':>10} "
        f"{'peak RSS MiB':>12} {'bytes':>7} {'smtplib/s':>10}"
    )
    for run in runs:
        print(
            f"  {run.people:8,} {run.seconds:8.1f} {run.per_second:8,.0f} {run.p50_late:10.1f} "
            f"{run.p99_late:10.1f} {run.peak_rss_kib / 1024:12.1f} {run.average_bytes:7,} "
            f"{run.smtplib_per_second:10,.0f}"
        )
    small, large = runs[0], runs[-1]
    share = large.per_second / large.smtplib_per_second
    record_goal(
        f"sends, {goal.title.lower()} at {large.people:,}: share of smtplib's rate",
        share,
        RATE_GOAL,
        at_least=True,
    )
    growth = large.peak_rss_kib / small.peak_rss_kib - 1
    what = f"sends, {goal.title.lower()}: send processes' peak RSS growth {small.people:,} → {large.people:,}"
    record_goal(what, growth, RSS_GROWTH_GOAL)


def _accepted(status: Path) -> tuple[int, int]:
    try:
        count, size = status.read_text().split()
    except (OSError, ValueError):
        return 0, 0
    return int(count), int(size)


def _arrivals(path: Path) -> list[float]:
    return json.loads(path.read_text())


def _wait_for_arrivals(status: Path, people: int, senders, sink: subprocess.Popen) -> None:
    """Until the sink has accepted `people` messages; stops the run, saying why, as soon as the
    send worker or the sink has died or no message has arrived for STALL_SECONDS."""
    deadline = time.monotonic() + TIMEOUT
    last_count, last_change = 0, time.monotonic()
    while (count := _accepted(status)[0]) < people:
        now = time.monotonic()
        if count != last_count:
            last_count, last_change = count, now
        if senders.process.poll() is not None:
            stopped = "the send worker exited"
        elif sink.poll() is not None:
            stopped = "the SMTP sink exited"
        elif now - last_change > STALL_SECONDS:
            stopped = f"no message arrived for {STALL_SECONDS} s"
        elif now > deadline:
            stopped = "the run timed out"
        else:
            time.sleep(0.1)
            continue
        sys.stderr.write(senders.output()[-4000:])
        what = f"{count:,} of {people:,} messages arrived, then {stopped}"
        raise SystemExit(f"{what} (the send worker's log is above).")


def _wait(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}.")
        time.sleep(0.1)
