"""Sending deliveries, each exactly once: claimed with a conditional update, built by its kind's
builder (notifications.kinds), handed to the SMTP server, and marked. A send task takes a chunk of
them (deliveries_send): the chunk is claimed in one UPDATE, each row under a claim token of its
own, its data read in a fixed number of queries (each kind's `prepare`), and its messages sent
over one SMTP connection, each marked sent on its own right after the server accepted it. A worker
killed mid-chunk leaves the message under way and the rest of the chunk `sending` until their
lease runs out, for the sweeper: only the one under way can be sent twice. A chunk cut short by
an exception gives back the claims it had not reached. See notifications.outbox for the protocol.

The claim API, for any code that sends deliveries:
- `deliveries_claim(ids)` → the deliveries that are ours to send, each with a fresh `claim_token`
  (`delivery_claim(id)` for one: the `Delivery`, or None when another worker has it, it is
  finished, or its backoff is not over); `deliveries_release(deliveries)` gives back claims never
  acted on.
- then for each, exactly one of: `delivery_mark_sent(delivery)` right after the SMTP server
  accepted it (retried while the lease lasts), `delivery_finish(delivery, status, …)` (skipped),
  or `delivery_attempt_failed(delivery, error)` (back to pending after a backoff, or failed).
Each of them writes only while the row still holds the claim's token, and says whether it did.
"""

import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, Error, InterfaceError, OperationalError, connection, transaction
from django.db.models import Case, F, Q, UUIDField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Now

from notifications.kinds import DeliverySkipped, deliveries_prepare, delivery_message_build
from notifications.mime import email_send
from notifications.models import Delivery
from notifications.outbox import (
    db_now_plus,
    deliveries_enqueue_or_leave_to_the_sweeper,
    lease,
    retry_backoff,
    retry_window,
)

logger = logging.getLogger(__name__)

# The database errors that mean "the connection is gone", not "this query is wrong".
CONNECTION_ERRORS = (OperationalError, InterfaceError)
DELIVERY_ID_COLUMN = f'"{Delivery._meta.db_table}"."id"'
# Marking sent is retried until this long before the lease runs out (the sweeper's turn).
MARK_SENT_MARGIN_SECONDS = 15


def _claimable() -> Q:
    """pending whose backoff is over, or sending whose lease ran out (by the database's clock)."""
    waited = Q(retry_at__isnull=True) | Q(retry_at__lte=Now())
    taken_over = Q(status=Delivery.Status.SENDING, lease_until__lt=Now())
    return Q(waited, status=Delivery.Status.PENDING) | taken_over


def deliveries_claim(delivery_ids: Sequence[int]) -> list[Delivery]:
    """Claim every delivery of a chunk that is ours to send, in one conditional UPDATE: each row
    pending → sending (once its backoff is over), or taken over from a sending claim whose lease
    ran out, with a lease on the database's clock and a claim token of its own. Returns the
    claimed ones, with their person and schedule (one SELECT), in the order given; the others
    (another worker has them, they are finished, their backoff is not over) are left alone.
    Both statements are one transaction: a connection lost between them claims nothing."""
    ids = list(dict.fromkeys(delivery_ids))
    if not ids:
        return []
    tokens = {pk: uuid4() for pk in ids}
    # The worker's own deadline for these claims, on its monotonic clock (the database may be the
    # thing that is down when it is needed); taken before the claim, so it errs early.
    deadline = time.monotonic() + lease().total_seconds()
    with transaction.atomic():
        Delivery.objects.filter(_claimable(), pk__in=ids).update(
            status=Delivery.Status.SENDING,
            lease_until=db_now_plus(lease()),
            retry_at=None,
            attempts=F("attempts") + 1,
            claim_token=_claim_tokens(tokens),
        )
        claimed = {
            delivery.pk: delivery
            for delivery in Delivery.objects.select_related("user", "schedule").filter(
                pk__in=ids, claim_token__in=tokens.values()
            )
        }
    deliveries = []
    for pk in ids:
        delivery = claimed.get(pk)
        if delivery is not None and delivery.claim_token == tokens[pk]:
            delivery.claim_deadline = deadline
            deliveries.append(delivery)
    return deliveries


def _claim_tokens(tokens: dict[int, UUID]) -> RawSQL | Case:
    """Each row's own token, by its id. On PostgreSQL, found by the id's place in an array: the
    CASE with a branch per row that says the same took the ORM longer to compile (≈0.4 ms a
    message) than the database to run. SQLite (`make run` without settings) has no arrays."""
    if connection.vendor == "postgresql":
        return RawSQL(
            f"(%s::uuid[])[array_position(%s::bigint[], {DELIVERY_ID_COLUMN})]",
            (list(tokens.values()), list(tokens)),
            output_field=UUIDField(),
        )
    return Case(*(When(pk=pk, then=Value(token)) for pk, token in tokens.items()), output_field=UUIDField())


def delivery_claim(delivery_id: int) -> Delivery | None:
    """One delivery's claim (deliveries_claim): the `Delivery` with a fresh `claim_token`, or None
    when it is not ours to send."""
    claimed = deliveries_claim([delivery_id])
    return claimed[0] if claimed else None


def deliveries_release(deliveries: Sequence[Delivery]) -> int:
    """Give back claims that were never acted on (nothing was built or sent for them): pending
    again, the attempt not counted, for whoever rings the doorbell next (the task's retry, a new
    task, or the sweeper within a minute). Only rows still holding our tokens are touched."""
    if not deliveries:
        return 0
    return Delivery.objects.filter(
        pk__in=[delivery.pk for delivery in deliveries],
        claim_token__in=[delivery.claim_token for delivery in deliveries],  # unique: a row's own
    ).update(
        status=Delivery.Status.PENDING,
        lease_until=Now(),
        claim_token=None,
        attempts=Greatest(F("attempts") - 1, Value(0)),
    )


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
            return _sent_record(delivery)
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


# delivery_finish(delivery, SENT, sent_at=Now(), last_error=""), written out: it runs once for every
# message, and compiling the ORM's UPDATE each time cost twice what running it did.
MARK_SENT_SQL = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = statement_timestamp(), "
    "lease_until = NULL, claim_token = NULL, last_error = '' WHERE id = %s AND claim_token = %s"
)


def _sent_record(delivery: Delivery) -> bool:
    if connection.vendor != "postgresql":  # SQLite (`make run` without settings): the ORM's update
        return delivery_finish(delivery, Delivery.Status.SENT, sent_at=Now(), last_error="")
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT_SQL, [Delivery.Status.SENT.value, delivery.pk, delivery.claim_token])
        return cursor.rowcount == 1


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
    """Send a chunk of deliveries over one SMTP connection: claimed together (deliveries_claim),
    their data read for the whole chunk (each kind's `prepare`, notifications.kinds), then each
    built, handed to the SMTP server and marked sent on its own, right after its "250". A chunk
    cut short by an exception (a lost database connection, the soft time limit) gives back the
    claims it had not reached (deliveries_release); a killed worker leaves them to the sweeper.
    Returns the outcome of each claimed delivery (those not ours to send are left out)."""
    deliveries = deliveries_claim(delivery_ids)
    if not deliveries:
        return []
    try:
        deliveries_prepare(deliveries)
    except BaseException:  # nothing built or sent yet
        _deliveries_release_quietly(deliveries)
        raise
    outcomes: list[SendOutcome] = []
    smtp = get_connection()
    try:
        for delivery in deliveries:
            if not _claim_time_left(delivery):
                # A very slow chunk (an SMTP server timing out on every message): the rest would
                # be sent after their lease ran out, when the sweeper may have handed them on.
                rest = deliveries[len(outcomes) :]
                logger.warning("Giving back %s deliveries: their claims are running out", len(rest))
                deliveries_release(rest)
                deliveries_enqueue_or_leave_to_the_sweeper([pending.pk for pending in rest])
                break
            outcomes.append(_delivery_send_claimed(delivery, smtp))
    except BaseException:
        # The delivery under way (outcomes' length) may have reached the SMTP server: it keeps its
        # claim, for the sweeper. The later ones were not touched.
        _deliveries_release_quietly(deliveries[len(outcomes) + 1 :])
        raise
    finally:
        smtp.close()
    return outcomes


def _claim_time_left(delivery: Delivery) -> bool:
    """Whether one more message fits in the claim: an SMTP call of up to EMAIL_TIMEOUT, then
    marking it sent with its margin."""
    return time.monotonic() + settings.EMAIL_TIMEOUT + MARK_SENT_MARGIN_SECONDS < delivery.claim_deadline


def _deliveries_release_quietly(deliveries: Sequence[Delivery]) -> None:
    try:
        deliveries_release(deliveries)
    except Error:  # the database is gone: the sweeper hands them out when their lease runs out
        logger.warning("Could not give back %s claimed deliveries", len(deliveries), exc_info=True)


def delivery_send(*, delivery_id: int, smtp: BaseEmailBackend | None = None) -> SendOutcome:
    """Send one delivery if it is still due, exactly once. Safe to call any number of times.
    A lost database connection while claiming raises (the task retries with backoff).
    `smtp`: an email backend shared with other deliveries; opened here when it is not."""
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return SendOutcome("")
    deliveries_prepare([delivery])
    return _delivery_send_claimed(delivery, smtp)


def _delivery_send_claimed(delivery: Delivery, smtp: BaseEmailBackend | None) -> SendOutcome:
    """Build, send and finish one claimed delivery. `smtp` is closed after an SMTP error, so that
    the next message starts afresh."""
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
            email_send(message, smtp)  # an error opening the connection is this attempt's
        else:
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
