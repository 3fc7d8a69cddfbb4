"""Celery tasks: thin wrappers that take ids and call the services (notifications.dispatch, .sending)."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from notifications.dispatch import dispatch_due_emails
from notifications.heartbeats import DISPATCHER, WORKER, heartbeat_record
from notifications.outbox import SEND_TASK
from notifications.prune import deliveries_prune
from notifications.sending import CONNECTION_ERRORS, deliveries_send, task_time_limits

logger = logging.getLogger(__name__)

SEND_SOFT_TIME_LIMIT, SEND_TIME_LIMIT = task_time_limits()


@shared_task(name="notifications.dispatch_due_emails", ignore_result=True)
def dispatch_due_emails_task() -> None:
    """Every minute, from beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
    report = dispatch_due_emails()
    if report.swept or report.reminders or report.weekly:
        logger.info("Dispatched: %s", report)
    heartbeat_record(DISPATCHER)
    try:
        worker_heartbeat_task.apply_async()
    except OperationalError:  # the broker went away since this task started: readiness will say so
        logger.warning("Could not enqueue the worker heartbeat", exc_info=True)


@shared_task(name="notifications.deliveries_prune", ignore_result=True)
def deliveries_prune_task() -> None:
    """Once a day, from beat: finished deliveries past EMAIL_DELIVERY_RETENTION_DAYS."""
    deleted = deliveries_prune()
    if deleted:
        logger.info("Pruned %s finished deliveries", deleted)


# A chunk of deliveries (EMAIL_SEND_CHUNK) over one SMTP connection, each claimed and marked on its
# own (notifications.sending.deliveries_send). acks_late: the message is acknowledged only when the
# task returns, so a worker killed mid-chunk leaves it to be delivered again; each delivery's claim
# keeps that from sending any of them twice, and the sweeper hands out the chunk's unsent ones.
# SMTP errors do not raise here: the outbox records them and the sweeper retries with backoff.
# A lost database connection does raise (while claiming one, before that one was sent; the chunk's
# earlier messages are finished, so the retry passes over them): the task is retried in 1, 2, 4 …
# seconds (at most a minute apart, for about the lease), instead of every
# queued message failing at once and waiting minutes for the sweeper.
# The time limits are inside EMAIL_LEASE_SECONDS, so a task is over before its claim can be taken
# over by the sweeper, with room for marking sent through a database blip.
@shared_task(
    name=SEND_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=SEND_SOFT_TIME_LIMIT,
    time_limit=SEND_TIME_LIMIT,
    autoretry_for=CONNECTION_ERRORS,
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=10,
)
def delivery_send_task(delivery_ids: list[int] | int) -> None:
    # One id: a message enqueued before sends were chunked.
    deliveries_send(delivery_ids=[delivery_ids] if isinstance(delivery_ids, int) else delivery_ids)


@shared_task(name="notifications.worker_heartbeat", ignore_result=True, expires=55)
def worker_heartbeat_task() -> None:
    """Enqueued by the dispatcher every minute on the send queue: the send workers take work."""
    heartbeat_record(WORKER)
