"""Sending deliveries, each exactly once: claimed with a conditional update, built by its kind's
builder (notifications.kinds), handed to the SMTP server, and marked. A send task takes a chunk of
them (deliveries_send) and sends them over one SMTP connection, but every message is still claimed,
sent and marked on its own: a chunk cut short (a killed worker, a time limit) leaves the message
under way to its lease and the rest pending, both for the sweeper. See notifications.outbox for
the whole protocol."""

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone

from notifications.kinds import DeliverySkipped, delivery_message_build
from notifications.models import Delivery
from notifications.outbox import lease, retry_backoff

logger = logging.getLogger(__name__)


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


def deliveries_send(*, delivery_ids: Sequence[int]) -> list[SendOutcome]:
    """Send a chunk of deliveries over one SMTP connection, opened for the first message that needs
    it and closed at the end; each delivery as delivery_send sends it alone."""
    connection = get_connection()
    try:
        return [delivery_send(delivery_id=pk, connection=connection) for pk in delivery_ids]
    finally:
        connection.close()


def delivery_send(*, delivery_id: int, connection: BaseEmailBackend | None = None) -> SendOutcome:
    """Send one delivery if it is still due, exactly once. Safe to call any number of times.
    `connection`: an email backend shared with other deliveries (deliveries_send); it is opened
    here when it is not, and closed after an error, so that the next message starts afresh."""
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
        if connection is not None:
            connection.open()  # a no-op when it is open already; an error here is this attempt's
            message.connection = connection
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if connection is not None:
            connection.close()  # it may be broken (a dropped connection): the next message reopens
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
