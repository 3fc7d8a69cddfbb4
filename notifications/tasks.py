"""Celery tasks: thin wrappers that take ids and call the services (notifications.dispatch, .sending)."""

import logging

from celery import shared_task

from notifications.dispatch import dispatch_due_emails
from notifications.outbox import SEND_TASK
from notifications.sending import deliveries_send

logger = logging.getLogger(__name__)


@shared_task(name="notifications.dispatch_due_emails", ignore_result=True)
def dispatch_due_emails_task() -> None:
    """Every minute, from beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
    report = dispatch_due_emails()
    if report.swept or report.reminders or report.weekly:
        logger.info("Dispatched: %s", report)


# A chunk of deliveries (EMAIL_SEND_CHUNK) over one SMTP connection, each claimed and marked on its
# own (notifications.sending.deliveries_send). acks_late: the message is acknowledged only when the
# task returns, so a worker killed mid-chunk leaves it to be delivered again; each delivery's claim
# keeps that from sending any of them twice, and the sweeper hands out the chunk's unsent ones.
# SMTP errors do not raise here: the outbox records them and the sweeper retries with backoff.
# The time limits are well inside EMAIL_LEASE_SECONDS, so a task is over before its claim can be
# taken over by the sweeper.
@shared_task(
    name=SEND_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=90,
    time_limit=120,
)
def delivery_send_task(delivery_ids: list[int] | int) -> None:
    # One id: a message enqueued before sends were chunked.
    deliveries_send(delivery_ids=[delivery_ids] if isinstance(delivery_ids, int) else delivery_ids)
