"""Sending deliveries, each exactly once: claimed with a conditional update, built by its kind's
builder (notifications.kinds), handed to the SMTP server, and marked. A send task takes a chunk of
them (deliveries_send) and sends them over one SMTP connection, but every message is still
claimed, sent and marked on its own through the claim API below: a chunk cut short (a killed
worker, a time limit) leaves the message under way to its lease and the rest pending, both for
the sweeper. See notifications.outbox for the whole protocol.

The claim API, for any code that sends deliveries (one at a time here, or in chunks):
- `delivery_claim(delivery_id)` → the `Delivery` with a fresh `claim_token`, or None when it is
  not ours to send (another worker has it, it is finished, or its backoff is not over).
- then exactly one of: `delivery_mark_sent(delivery)` right after the SMTP server accepted it
  (retried while the lease lasts), `delivery_finish(delivery, status, …)` (skipped), or
  `delivery_attempt_failed(delivery, error)` (back to pending after a backoff, or failed).
Each of them writes only while the row still holds the claim's token, and says whether it did.
"""

import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import uuid4

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.db.models.functions import Now

from notifications.kinds import DeliverySkipped, delivery_message_build
from notifications.models import Delivery
from notifications.outbox import db_now_plus, lease, retry_backoff, retry_window

logger = logging.getLogger(__name__)

# The database errors that mean "the connection is gone", not "this query is wrong".
CONNECTION_ERRORS = (OperationalError, InterfaceError)
# Marking sent is retried until this long before the lease runs out (the sweeper's turn).
MARK_SENT_MARGIN_SECONDS = 15


def delivery_claim(delivery_id: int) -> Delivery | None:
    """pending → sending (once its backoff is over), or take over a sending delivery whose lease
    ran out; a new claim token either way. None if another worker has it, or it is finished."""
    token = uuid4()
    waited = Q(retry_at__isnull=True) | Q(retry_at__lte=Now())
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(waited, status=Delivery.Status.PENDING)
            | Q(status=Delivery.Status.SENDING, lease_until__lt=Now())
        )
        .update(
            status=Delivery.Status.SENDING,
            lease_until=db_now_plus(lease()),
            retry_at=None,
            attempts=F("attempts") + 1,
            claim_token=token,
        )
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("user", "schedule").get(pk=delivery_id)
    # The worker's own deadline for this claim, on its monotonic clock (the database may be the
    # thing that is down when it is needed).
    delivery.claim_deadline = time.monotonic() + lease().total_seconds()
    return delivery if delivery.claim_token == token else None


def delivery_finish(delivery: Delivery, status: str, **fields) -> bool:
    """Record how the claim ended, if the claim is still ours: a sweeper may have handed the
    delivery to another worker, whose token it now holds. Returns whether it was recorded."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
            **{"status": status, "lease_until": None, "claim_token": None, **fields}
        )
    )


def delivery_mark_sent(delivery: Delivery) -> bool:
    """Mark the delivery sent, right after the SMTP server accepted it. A lost database
    connection here would mean a second copy when the lease runs out, so the update is retried
    with backoff for as long as the lease lasts (less a margin)."""
    deadline = getattr(delivery, "claim_deadline", time.monotonic() + lease().total_seconds())
    deadline -= MARK_SENT_MARGIN_SECONDS
    delay = 0.25
    while True:
        try:
            return delivery_finish(delivery, Delivery.Status.SENT, sent_at=Now(), last_error="")
        except CONNECTION_ERRORS as error:
            if time.monotonic() + delay > deadline:
                logger.error(
                    "Delivery %s was accepted by the SMTP server but could not be marked sent: %s. "
                    "It will be sent again when its lease runs out.",
                    delivery.pk,
                    error,
                )
                return False
            logger.warning("Delivery %s sent; marking it sent failed (%s), retrying", delivery.pk, error)
            _reconnect_later()
            time.sleep(delay)
            delay = min(delay * 2, 10)


def _reconnect_later() -> None:
    """Drop the broken connection, so that the next query opens a new one."""
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None


def delivery_attempt_failed(delivery: Delivery, error: Exception) -> "SendOutcome":
    """After an SMTP error (or a failure to build the message): back to pending, not to be
    claimed before its backoff is over, or failed once out of time or attempts."""
    text = f"{type(error).__name__}: {error}"[:2000]
    backoff = retry_backoff(delivery.attempts)
    # The claim's time on the database's clock: its lease was set to now + lease.
    claimed_at = delivery.lease_until - lease()
    out_of_time = claimed_at + backoff > delivery.due_at + retry_window()
    if out_of_time or delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        logger.error("Delivery %s failed after %s attempts: %s", delivery.pk, delivery.attempts, text)
        delivery_finish(delivery, Delivery.Status.FAILED, last_error=text)
        return SendOutcome(Delivery.Status.FAILED, text)
    # Back to pending: no worker may take it before the backoff is over (a duplicate message
    # would otherwise spend the attempts at once); then the sweeper enqueues it again.
    delivery_finish(
        delivery,
        Delivery.Status.PENDING,
        retry_at=db_now_plus(backoff),
        lease_until=db_now_plus(backoff),  # the sweeper's turn: as soon as the backoff is over
        last_error=text,
    )
    logger.warning(
        "Delivery %s attempt %s failed, will retry in %s: %s", delivery.pk, delivery.attempts, backoff, text
    )
    return SendOutcome(Delivery.Status.PENDING, text)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # a Delivery.Status, or "" when the delivery was not ours to send
    detail: str = ""


def deliveries_send(*, delivery_ids: Sequence[int]) -> list[SendOutcome]:
    """Send a chunk of deliveries over one SMTP connection, opened for the first message that needs
    it and closed at the end; each delivery as delivery_send sends it alone."""
    smtp = get_connection()
    try:
        return [delivery_send(delivery_id=pk, smtp=smtp) for pk in delivery_ids]
    finally:
        smtp.close()


def delivery_send(*, delivery_id: int, smtp: BaseEmailBackend | None = None) -> SendOutcome:
    """Send one delivery if it is still due, exactly once. Safe to call any number of times.
    A lost database connection while claiming raises (the task retries with backoff).
    `smtp`: an email backend shared with other deliveries (deliveries_send); it is opened here when
    it is not, and closed after an error, so that the next message starts afresh."""
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return SendOutcome("")
    try:
        message = delivery_message_build(delivery)
    except DeliverySkipped as skipped:
        delivery_finish(delivery, Delivery.Status.SKIPPED, reason=str(skipped)[:200])
        return SendOutcome(Delivery.Status.SKIPPED, str(skipped))
    except Exception as error:  # a bug or a database hiccup: recorded for staff, retried like SMTP errors
        logger.exception("Could not build delivery %s", delivery.pk)
        return delivery_attempt_failed(delivery, error)
    try:
        if smtp is not None:
            smtp.open()  # a no-op when it is open already; an error here is this attempt's
            message.connection = smtp
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if smtp is not None:
            smtp.close()  # it may be broken (a dropped connection): the next message reopens it
        return delivery_attempt_failed(delivery, error)
    if not delivery_mark_sent(delivery):
        return SendOutcome(Delivery.Status.SENDING, "Sent, but not marked sent.")
    return SendOutcome(Delivery.Status.SENT)


def task_time_limits() -> tuple[int, int]:
    """(soft, hard) time limits for a send task: inside the lease, with room for marking sent."""
    seconds = int(lease().total_seconds())
    return max(30, seconds - 10), max(40, seconds - 5)
