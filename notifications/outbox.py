"""The outbox: every email Unknot sends on its own goes through a `Delivery` row.

How a delivery is sent exactly once (DESIGN.md, "Reliability rules for email"):
- It is written once: UNIQUE(user, kind, period_key) turns a second writer into a no-op.
- The send task claims it with a conditional update (pending → sending, with a lease) and does
  nothing when the row count is 0, so a duplicate message, a second worker or a retry cannot send
  it twice. It is marked sent right after the SMTP server accepts the message. A send task takes
  a chunk of deliveries (EMAIL_SEND_CHUNK) over one SMTP connection, claiming and marking each on
  its own: a chunk cut short leaves its unsent deliveries pending, for the sweeper.
- Nothing is lost: the broker only rings the doorbell. The sweeper (run by the dispatcher every
  minute) hands deliveries whose lease ran out to a worker again: a lost message, a killed worker,
  a Redis restart or an SMTP error delays an email but never drops it. After an SMTP error the
  delivery waits out an exponential backoff (`retry_at`: no worker may claim it before), comes
  back the same way, and after EMAIL_MAX_ATTEMPTS is marked failed.
- The one window left: the worker dies after the SMTP server accepted the message and before the
  row is marked sent (milliseconds). The delivery is then sent again when its lease runs out, with
  the same Message-ID, which lets mail systems drop the copy.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery

logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000
SEND_TASK = "notifications.delivery_send"  # the name notifications.tasks registers it under


def lease() -> timedelta:
    return timedelta(seconds=settings.EMAIL_LEASE_SECONDS)


def retry_backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes by default."""
    return timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


# --- Writing deliveries ---------------------------------------------------------------------


def delivery_create(
    *, kind: str, period_key: str, user=None, to_email: str = "", context: dict | None = None
) -> Delivery | None:
    """Put one email in the outbox and send it after the surrounding transaction commits.
    Returns None when that occurrence was already written (the unique key): nothing is sent twice."""
    now = timezone.now()
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            user=user,
            kind=kind,
            period_key=period_key,
            **({"to_email": to_email} if user is None else {}),
            defaults={
                "to_email": to_email,
                "context": context or {},
                "due_at": now,
                "lease_until": now + lease(),
            },
        )
    if not created:
        return None
    deliveries_enqueue_on_commit([delivery.pk])
    return delivery


def deliveries_enqueue_on_commit(ids: list[int]) -> None:
    """Ring the doorbell once the rows are committed (a worker must find them). If the broker is
    down the rows are still there: the sweeper enqueues them when their lease runs out."""
    if ids:
        transaction.on_commit(lambda: deliveries_enqueue(ids), robust=True)


def deliveries_enqueue(ids: Iterable[int]) -> None:
    # The task by its registered name: notifications.tasks imports the dispatcher, which enqueues
    # through here, so importing the task module would make a circle.
    delivery_send_task = current_app.tasks[SEND_TASK]
    ids = list(ids)
    size = settings.EMAIL_SEND_CHUNK
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    if delivery_send_task.app.conf.task_always_eager:  # tests that send in their own process
        for chunk in chunks:
            delivery_send_task.apply((chunk,))
        return
    # One connection for the batch, its messages sent in one Redis pipeline (kombu's
    # Producer.batch; brokers without it publish one by one). add_to_parent=False: called in the
    # dispatch task, Celery would otherwise keep every send task's result in that task's
    # request.children until it ends, so the worker's memory would grow with the number of people.
    with delivery_send_task.app.producer_or_acquire() as producer, producer.batch():
        for chunk in chunks:
            delivery_send_task.apply_async((chunk,), producer=producer, add_to_parent=False)


# --- The sweeper ----------------------------------------------------------------------------


def deliveries_sweep(now: datetime) -> int:
    """Hand every unfinished delivery whose lease ran out to a worker again; give up on those that
    used all their attempts. Returns how many it handled."""
    swept = 0
    while (batch := _deliveries_sweep_batch(now)) == SWEEP_BATCH:
        swept += batch
    return swept + batch


def _deliveries_sweep_batch(now: datetime) -> int:
    with transaction.atomic():
        expired = list(
            Delivery.objects.filter(
                status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], lease_until__lt=now
            )
            .select_for_update(skip_locked=True)
            .order_by("lease_until")
            .values_list("pk", "attempts")[:SWEEP_BATCH]
        )
        spent = [pk for pk, attempts in expired if attempts >= settings.EMAIL_MAX_ATTEMPTS]
        again = [pk for pk, attempts in expired if attempts < settings.EMAIL_MAX_ATTEMPTS]
        Delivery.objects.filter(pk__in=spent).update(
            status=Delivery.Status.FAILED,
            lease_until=None,
            last_error=f"Gave up after {settings.EMAIL_MAX_ATTEMPTS} attempts; the last one never finished.",
        )
        # By the sweeper's clock any backoff is over: retry_at is cleared, so a worker takes it.
        Delivery.objects.filter(pk__in=again).update(
            status=Delivery.Status.PENDING, lease_until=now + lease(), retry_at=None
        )
        deliveries_enqueue_on_commit(again)
    return len(expired)


def delivery_retry(*, delivery: Delivery) -> bool:
    """Staff: send a failed delivery again, with a fresh set of attempts."""
    retried = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, retry_at=None, lease_until=timezone.now() + lease()
    )
    if retried:
        deliveries_enqueue_on_commit([delivery.pk])
    return bool(retried)
