"""The email scenarios: the dispatcher's throughput, in a real Celery worker, and their report.

`notifications.dispatch_due_emails` as production runs it (production settings, PostgreSQL, Redis), at
two sizes, each in a fresh worker whose peak memory is read when the task is over; and one batch's
queries at two batch sizes, counted by bench/probe.py.
"""

import base64
import json
import os
import sys
import time
from dataclasses import dataclass

import psycopg
from environment import Context, probe, seed
from environment import goal as record_goal
from processes import celery_worker, proc_status_kib

# The email scenarios' Redis (broker and cache of their worker): flushed before each size.
DEFAULT_EMAIL_REDIS_URL = "redis://127.0.0.1:6379/9"
DISPATCH_TASK = "notifications.dispatch_due_emails"
DISPATCH_QUEUE = "bench.dispatch"  # what the bench worker consumes: only the dispatch task
SEND_QUEUE = "celery"  # where the send tasks go; nothing consumes it during the bench
PROBE_SIZES = (100, 500)  # batch contents whose queries are counted
RSS_GROWTH_GOAL = 0.10
WORKER_TIMEOUT = 30 * 60
EMAILS_DOMAIN = "emails.bench.unknot.localhost"  # the people bench/seed.py makes due


@dataclass(frozen=True)
class EmailGoal:
    kind: str  # "reminders" or "summaries": bench/seed.py's seed and bench/probe.py's batch
    title: str
    unit: str  # "reminders/s"
    delivery_kind: str  # notifications.models.EmailKind
    per_second: int
    due: str  # for the heading: what is due


REMINDERS = EmailGoal(
    "reminders", "Reminders", "reminders/s", "reminder", 2000, "one reminder due 1–30 minutes ago"
)
SUMMARIES = EmailGoal(
    "summaries",
    "Weekly summaries",
    "summaries/s",
    "weekly_summary",
    500,
    "the weekly email due 1–30 minutes ago and 3–4 rated sessions (2–3 exercises each) in two weeks",
)


@dataclass(frozen=True)
class DispatchRun:
    people: int
    seconds: float  # wall time, from sending the task to the worker logging its end
    task_seconds: float  # the task's own run time, as the worker logged it
    deliveries: int  # pending deliveries of the kind, for the bench people
    enqueued: int  # deliveries named by the send tasks in SEND_QUEUE (a task sends a chunk of them)
    idle_rss_kib: int  # the worker, ready, before the task
    peak_rss_kib: int  # VmHWM once the task is over

    @property
    def per_second(self) -> float:
        return self.people / self.seconds


def reminders_scenario(context: Context) -> None:
    """Dispatch --people due reminders (default 100,000) in one worker: ≥ 2,000/s, flat memory."""
    emails_scenario(context, REMINDERS)


def summaries_scenario(context: Context) -> None:
    """Build and dispatch --people weekly summaries in one worker: ≥ 500/s, flat memory."""
    emails_scenario(context, SUMMARIES)


def emails_scenario(context: Context, goal: EmailGoal) -> None:
    """At two sizes (a fifth of --people, then --people): seed that many people due (the earlier
    ones deleted), start a Celery worker (solo pool, production settings) on DISPATCH_QUEUE, send
    it dispatch_due_emails_task and wait for the task's end. Every person must end up with one
    pending delivery and one send task in SEND_QUEUE, or the run stops. Before the first size's
    run, bench/probe.py counts one batch's queries at two batch sizes (rolled back)."""
    env = dict(context.env, REDIS_URL=os.environ.get("BENCH_EMAIL_REDIS_URL", DEFAULT_EMAIL_REDIS_URL))
    if context.batch:
        env["EMAIL_DISPATCH_BATCH"] = str(context.batch)
    batch = context.batch or "the default"
    print(
        f"{goal.title}: each person has {goal.due}; one dispatch_due_emails task in a Celery worker "
        f"(solo pool, production settings, EMAIL_DISPATCH_BATCH {batch}), send tasks left in Redis"
    )
    runs, queries = [], {}
    for size in (context.people // 5, context.people):
        data = seed(env, goal.kind, str(size))
        print(
            f"  seeded {size:,} people, {data['sessions']:,} sessions, "
            f"{data['exercise_logs']:,} exercise logs in {data['seed_seconds']} s",
            flush=True,
        )
        if not queries:
            queries = probe_queries(env, goal.kind)
            if context.profile:  # one batch of the worker's size (500: the settings' default)
                batch_size = str(context.batch or PROBE_SIZES[-1])
                sys.stdout.write(probe(env, "profile", goal.kind, batch_size))
        runs.append(dispatch_run(env, goal, size))
    report_dispatch(goal, runs, queries)


def probe_queries(env: dict[str, str], kind: str) -> dict[int, int]:
    output = probe(env, "queries", kind, *map(str, PROBE_SIZES))
    return {int(size): count for size, count in json.loads(output.strip().splitlines()[-1]).items()}


def dispatch_run(env: dict[str, str], goal: EmailGoal, people: int) -> DispatchRun:
    """One dispatch of `people` due people in a fresh worker, with a flushed Redis."""
    import redis
    from celery import Celery

    broker = redis.Redis.from_url(env["REDIS_URL"])
    broker.flushdb()
    sender = Celery("bench", broker=env["REDIS_URL"])
    with celery_worker(env, DISPATCH_QUEUE) as worker:
        idle = proc_status_kib(worker.pid, "VmRSS")
        started = time.perf_counter()
        sender.send_task(DISPATCH_TASK, queue=DISPATCH_QUEUE)
        task_seconds = worker.wait_for_task_end(DISPATCH_TASK, WORKER_TIMEOUT)
        seconds = time.perf_counter() - started
        peak = proc_status_kib(worker.pid, "VmHWM")
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        [deliveries] = connection.execute(
            "SELECT count(*) FROM progress_delivery d JOIN accounts_user u ON u.id = d.user_id "
            "WHERE u.email LIKE %s AND d.kind = %s AND d.status = 'pending'",
            (f"%@{EMAILS_DOMAIN}", goal.delivery_kind),
        ).fetchone()
    run = DispatchRun(
        people=people,
        seconds=seconds,
        task_seconds=task_seconds,
        deliveries=deliveries,
        enqueued=deliveries_enqueued(broker),
        idle_rss_kib=idle,
        peak_rss_kib=peak,
    )
    broker.flushdb()  # counted: a worker on this Redis must never send them
    if run.deliveries != people or run.enqueued != people:
        raise SystemExit(
            f"{goal.title}: {people:,} people due, but {run.deliveries:,} pending deliveries written "
            f"and {run.enqueued:,} of them named by the send tasks enqueued: the figures would mean nothing."
        )
    return run


def deliveries_enqueued(broker) -> int:
    """The deliveries the send tasks waiting in SEND_QUEUE name: each task (a Celery message,
    its body base64-encoded JSON of args, kwargs and embed) carries a chunk of delivery ids."""
    total = 0
    for raw in broker.lrange(SEND_QUEUE, 0, -1):
        message = json.loads(raw)
        args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
        ids = kwargs.get("delivery_ids", args[0] if args else [])
        total += len(ids) if isinstance(ids, list) else 1
    return total


def report_dispatch(goal: EmailGoal, runs: list[DispatchRun], queries: dict[int, int]) -> None:
    print(
        f"  {'people':>8} {'seconds':>8} {goal.unit:>13} {'task s':>7} {'deliveries':>10} "
        f"{'enqueued':>9} {'idle RSS MiB':>12} {'peak RSS MiB':>12}"
    )
    for run in runs:
        print(
            f"  {run.people:8,} {run.seconds:8.1f} {run.per_second:13,.0f} {run.task_seconds:7.1f} "
            f"{run.deliveries:10,} {run.enqueued:9,} {run.idle_rss_kib / 1024:12.1f} "
            f"{run.peak_rss_kib / 1024:12.1f}"
        )
    small, large = runs[0], runs[-1]
    what = f"{goal.title}: {goal.unit} at {large.people:,}"
    record_goal(what, large.per_second, goal.per_second, at_least=True)
    growth = large.peak_rss_kib / small.peak_rss_kib - 1
    what = f"{goal.title}: dispatcher peak RSS growth {small.people:,} → {large.people:,}"
    record_goal(what, growth, RSS_GROWTH_GOAL)
    counts = ", ".join(f"{size} people: {count}" for size, count in queries.items())
    print(f"  Queries per batch: {counts}")
    record_goal(f"{goal.title}: distinct query counts per batch size", len(set(queries.values())), 1)
