"""The outbox: every email Unknot sends on its own goes through a `Delivery` row.

How a delivery is sent exactly once (DESIGN.md, "Reliability rules for email"):
- It is written once: UNIQUE(user, kind, period_key) turns a second writer into a no-op.
- The send task claims it with a conditional update (pending → sending, with a lease and a new
  fencing token, `claim_token`) and does nothing when the row count is 0, so a duplicate message,
  a second worker or a retry cannot send it twice. It is marked sent right after the SMTP server
  accepts the message; that update is retried with backoff while the lease lasts (a database
  blip there would otherwise mean a second copy), and it, like every other finish, only touches
  the row while it still holds the worker's token. A send task takes a chunk of deliveries
  (EMAIL_SEND_CHUNK), claims them in one statement (a token for each row), sends them over one
  SMTP connection and marks each sent on its own: a worker killed mid-chunk leaves the chunk's
  unsent deliveries claimed until their lease runs out, for the sweeper.
- Leases and backoffs are set and compared on the database's clock (`Now()`), so a worker whose
  clock runs fast cannot take over a claim early.
- Nothing is lost: the broker only rings the doorbell. The sweeper (run by the dispatcher every
  minute) hands deliveries whose lease ran out to a worker again: a lost message, a killed worker,
  a Redis restart or an SMTP error delays an email but never drops it. After an SMTP error the
  delivery waits out an exponential backoff (`retry_at`: no worker may claim it before), capped
  at EMAIL_RETRY_MAX_SECONDS, and comes back the same way; once the next attempt would be more
  than EMAIL_RETRY_HOURS after it was due (or after EMAIL_MAX_ATTEMPTS) it is marked failed.
- The window left: the worker dies after the SMTP server accepted the message and before the
  row is marked sent (a few milliseconds), or the database stays unreachable from that worker
  for the whole lease. The delivery is then sent again when its lease runs out, with the same
  Message-ID, which lets mail systems drop the copy. docs/architecture.md has the figures.

The API that sending code uses (notifications.sending): `deliveries_claim` → build and send →
`delivery_mark_sent`, or `delivery_finish` (skipped), or `delivery_attempt_failed` (an error).
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Now
from kombu.exceptions import OperationalError as BrokerUnreachable

from notifications.models import Delivery

logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000
SEND_TASK = "notifications.delivery_send"  # the name notifications.tasks registers it under


def lease() -> timedelta:
    return timedelta(seconds=settings.EMAIL_LEASE_SECONDS)


def db_now_plus(delta: timedelta):
    """`now + delta` on the database's clock, for a lease or a backoff (an expression)."""
    return ExpressionWrapper(Now() + delta, output_field=Delivery._meta.get_field("lease_until"))


def retry_backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes by default, at most
    EMAIL_RETRY_MAX_SECONDS (an hour)."""
    exponent = min(max(0, attempts - 1), 30)  # 2**30 minutes is past any cap
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2**exponent
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def retry_window() -> timedelta:
    """How long after it was due an email is still retried (EMAIL_RETRY_HOURS)."""
    return timedelta(hours=settings.EMAIL_RETRY_HOURS)


# --- Writing deliveries ---------------------------------------------------------------------


def delivery_create(
    *, kind: str, period_key: str, user=None, to_email: str = "", context: dict | None = None
) -> Delivery | None:
    """Put one email in the outbox and send it after the surrounding transaction commits.
    Returns None when that occurrence was already written (the unique key): nothing is sent twice."""
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            user=user,
            kind=kind,
            period_key=period_key,
            **({"to_email": to_email} if user is None else {}),
            defaults={
                "to_email": to_email,
                "context": context or {},
                "due_at": Now(),
                "lease_until": db_now_plus(lease()),
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
        transaction.on_commit(lambda: deliveries_enqueue_or_leave_to_the_sweeper(ids), robust=True)


def deliveries_enqueue_or_leave_to_the_sweeper(ids: list[int]) -> None:
    try:
        deliveries_enqueue(ids)
    except BrokerUnreachable as error:  # the write stands: the sweeper enqueues them later
        logger.warning(
            "The broker is unreachable (%s): %s deliveries wait for the sweeper, within %s.",
            error,
            len(ids),
            lease(),
        )


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


def deliveries_sweep() -> int:
    """Hand every unfinished delivery whose lease ran out (by the database's clock) to a worker
    again; give up on those past their retry window or attempts. Returns how many it handled."""
    swept = 0
    while (batch := _deliveries_sweep_batch()) == SWEEP_BATCH:
        swept += batch
    return swept + batch


def _deliveries_sweep_batch() -> int:
    # Tried at least once, and out of time or attempts: a last attempt that never finished.
    give_up = Q(attempts__gte=settings.EMAIL_MAX_ATTEMPTS) | Q(
        attempts__gt=0, due_at__lt=Now() - retry_window()
    )
    with transaction.atomic():
        expired = list(
            Delivery.objects.filter(
                status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], lease_until__lt=Now()
            )
            .select_for_update(skip_locked=True)
            .annotate(spent=ExpressionWrapper(give_up, output_field=BooleanField()))
            .order_by("lease_until")
            .values_list("pk", "spent")[:SWEEP_BATCH]
        )
        spent = [pk for pk, is_spent in expired if is_spent]
        again = [pk for pk, is_spent in expired if not is_spent]
        Delivery.objects.filter(pk__in=spent).update(
            status=Delivery.Status.FAILED,
            lease_until=None,
            claim_token=None,
            last_error="Gave up: out of retries, and the last attempt never finished.",
        )
        # By the database's clock any backoff is over: retry_at is cleared, so a worker takes it.
        # The claim token stays: a worker still busy with it may yet record what happened.
        Delivery.objects.filter(pk__in=again).update(
            status=Delivery.Status.PENDING, lease_until=db_now_plus(lease()), retry_at=None
        )
        deliveries_enqueue_on_commit(again)
    return len(expired)


def delivery_retry(*, delivery: Delivery) -> bool:
    """Staff: send a failed delivery again with a fresh set of attempts, or one waiting out a
    retry's backoff now. Past its retry window, one more failure marks it failed again."""
    retried = (
        Delivery.objects.filter(pk=delivery.pk)
        .filter(Q(status=Delivery.Status.FAILED) | Q(status=Delivery.Status.PENDING, retry_at__isnull=False))
        .update(
            status=Delivery.Status.PENDING,
            attempts=0,
            retry_at=None,
            lease_until=db_now_plus(lease()),
        )
    )
    if retried:
        deliveries_enqueue_on_commit([delivery.pk])
    return bool(retried)
