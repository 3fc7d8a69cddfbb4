"""The outbox: every email Unknot sends on its own goes through a `Delivery` row.

How a delivery is sent exactly once (DESIGN.md, "Reliability rules for email"):
- It is written once: UNIQUE(user, kind, period_key) turns a second writer into a no-op.
- The send task claims it with a conditional update (pending → sending, with a lease) and does
  nothing when the row count is 0, so a duplicate message, a second worker or a retry cannot send
  it twice. It is marked sent right after the SMTP server accepts the message.
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
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from progress.models import Delivery, EmailKind

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "progress.unsubscribe"
# The kinds a person can turn off, and the User field that does it.
PREFERENCE_FIELDS = {
    EmailKind.REMINDER: "reminder_emails",
    EmailKind.WEEKLY_SUMMARY: "weekly_summary_emails",
    EmailKind.TRAINER_DIGEST: "trainer_digest_emails",
    EmailKind.RED_FLAG_ALERT: "alert_emails",
}
SWEEP_BATCH = 1000


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
    from progress.tasks import delivery_send_task  # the task module imports this one

    if delivery_send_task.app.conf.task_always_eager:  # tests that send in their own process
        for pk in ids:
            delivery_send_task.apply((pk,))
        return
    # One connection for the batch, its messages sent in one Redis pipeline (kombu's
    # Producer.batch; brokers without it publish one by one). add_to_parent=False: called in the
    # dispatch task, Celery would otherwise keep every send task's result in that task's
    # request.children until it ends, so the worker's memory would grow with the number of people.
    with delivery_send_task.app.producer_or_acquire() as producer, producer.batch():
        for pk in ids:
            delivery_send_task.apply_async((pk,), producer=producer, add_to_parent=False)


# --- Sending one ----------------------------------------------------------------------------


class DeliverySkipped(Exception):
    """Raised while building an email that should not go out after all; the message says why."""


def delivery_claim(delivery_id: int, now: datetime) -> Delivery | None:
    """pending → sending, or take over a sending delivery whose lease ran out. None if another
    worker has it, or it is finished."""
    waited = Q(retry_at__isnull=True) | Q(retry_at__lte=now)  # a retry's backoff is over
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(waited, status=Delivery.Status.PENDING) | Q(status=Delivery.Status.SENDING, lease_until__lt=now)
        )
        .update(
            status=Delivery.Status.SENDING,
            lease_until=now + lease(),
            retry_at=None,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("user", "schedule").get(pk=delivery_id)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # a Delivery.Status, or "" when the delivery was not ours to send
    detail: str = ""


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send one delivery if it is still due, exactly once. Safe to call any number of times."""
    from progress.email_content import delivery_message_build

    now = timezone.now()
    delivery = delivery_claim(delivery_id, now)
    if delivery is None:
        return SendOutcome("")
    try:
        message = delivery_message_build(delivery)
    except DeliverySkipped as skipped:
        _finish(delivery, Delivery.Status.SKIPPED, reason=str(skipped)[:200])
        return SendOutcome(Delivery.Status.SKIPPED, str(skipped))
    except Exception as error:  # a bug or a database hiccup: recorded for staff, retried like SMTP errors
        logger.exception("Could not build delivery %s", delivery.pk)
        return _failed_attempt(delivery, error)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed_attempt(delivery, error)
    _finish(delivery, Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return SendOutcome(Delivery.Status.SENT)


def _finish(delivery: Delivery, status: str, **fields) -> None:
    # Only while we hold the claim: a sweeper that took the delivery over decides from then on.
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=status, lease_until=None, **fields
    )


def _failed_attempt(delivery: Delivery, error: Exception) -> SendOutcome:
    text = f"{type(error).__name__}: {error}"[:2000]
    if delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        logger.error("Delivery %s failed after %s attempts: %s", delivery.pk, delivery.attempts, text)
        _finish(delivery, Delivery.Status.FAILED, last_error=text)
        return SendOutcome(Delivery.Status.FAILED, text)
    # Back to pending: no worker may take it before the backoff is over (a duplicate message
    # would otherwise spend the attempts at once); then the sweeper enqueues it again.
    retry_at = timezone.now() + retry_backoff(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, retry_at=retry_at, lease_until=retry_at, last_error=text
    )
    logger.warning("Delivery %s attempt %s failed, will retry: %s", delivery.pk, delivery.attempts, text)
    return SendOutcome(Delivery.Status.PENDING, text)


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


# --- Unsubscribing --------------------------------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


class UnsubscribeInvalid(Exception):
    pass


def unsubscribe_from_token(token: str) -> tuple[int, str]:
    """The (user id, kind) a token names. Raises UnsubscribeInvalid for a tampered or unknown one.
    Tokens do not expire: an unsubscribe link in an old email must keep working."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise UnsubscribeInvalid from None
    if not isinstance(data, dict) or data.get("kind") not in PREFERENCE_FIELDS:
        raise UnsubscribeInvalid
    return data["user"], data["kind"]


def email_kind_turn_off(*, user, kind: str) -> None:
    field = PREFERENCE_FIELDS[kind]
    type(user).objects.filter(pk=user.pk).update(**{field: False})
    setattr(user, field, False)
