"""Celery tasks: thin wrappers that take ids and call the services (notifications.dispatch, .sending)."""

import logging

from celery import shared_task

from notifications.dispatch import dispatch_due_emails
from notifications.outbox import SEND_TASK
from notifications.prune import deliveries_prune
from notifications.sending import delivery_send

logger = logging.getLogger(__name__)


@shared_task(name="notifications.dispatch_due_emails", ignore_result=True)
def dispatch_due_emails_task() -> None:
    """Every minute, from beat (config/settings.py CELERY_BEAT_SCHEDULE)."""
    report = dispatch_due_emails()
    if report.swept or report.reminders or report.weekly:
        logger.info("Dispatched: %s", report)


@shared_task(name="notifications.deliveries_prune", ignore_result=True)
def deliveries_prune_task() -> None:
    """Once a day, from beat: finished deliveries past EMAIL_DELIVERY_RETENTION_DAYS."""
    deleted = deliveries_prune()
    if deleted:
        logger.info("Pruned %s finished deliveries", deleted)


# acks_late: the message is acknowledged only when the task returns, so a worker killed mid-send
# leaves it to be delivered again; the delivery's claim (notifications.sending) keeps that from sending
# twice. SMTP errors do not raise here: the outbox records them and the sweeper retries with backoff.
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
def delivery_send_task(delivery_id: int) -> str:
    return delivery_send(delivery_id=delivery_id).status
