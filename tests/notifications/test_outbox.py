"""Sending one delivery: the claim that makes it exactly once, and the retry backoff."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery, EmailKind
from notifications.outbox import deliveries_sweep, retry_backoff
from notifications.sending import (
    deliveries_claim,
    deliveries_release,
    deliveries_send,
    delivery_claim,
    delivery_mark_sent,
    delivery_send,
)
from notifications.services import reminder_schedule_save
from tests.factories import UserFactory
from tests.notifications.conftest import outbox_clock_advance

pytestmark = pytest.mark.django_db


def pending_alert(user=None, **fields) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        user=user or UserFactory(is_trainer=True),
        kind=EmailKind.RED_FLAG_ALERT,
        period_key="session-1",
        context={"session": 0},  # no such session: sending records a skip
        **{"due_at": now, "lease_until": now + timedelta(minutes=5), **fields},
    )


def test_a_delivery_is_handled_once_however_often_its_task_runs():
    delivery = pending_alert()

    outcomes = [delivery_send(delivery_id=delivery.pk).status for _ in range(3)]

    delivery.refresh_from_db()
    assert outcomes == [Delivery.Status.SKIPPED, "", ""]
    assert delivery.attempts == 1


def test_a_retry_waits_out_its_backoff_whoever_enqueues_it():
    retry_at = timezone.now() + timedelta(minutes=2)
    delivery = pending_alert(attempts=1, retry_at=retry_at, lease_until=retry_at, last_error="SMTP 451")

    early = delivery_send(delivery_id=delivery.pk)  # a duplicate message, during the backoff
    delivery.refresh_from_db()
    assert (early.status, delivery.attempts) == ("", 1)

    outbox_clock_advance(timedelta(minutes=2, seconds=1))
    assert deliveries_sweep() == 1
    again = delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (again.status, delivery.attempts) == (Delivery.Status.SKIPPED, 2)


def test_a_worker_whose_clock_runs_ahead_cannot_take_over_a_live_claim(time_machine):
    delivery = pending_alert()
    assert delivery_claim(delivery.pk) is not None

    # Ten minutes ahead by the second worker's clock; the lease is measured on the database's.
    time_machine.move_to(timezone.now() + timedelta(minutes=10), tick=False)

    assert delivery_claim(delivery.pk) is None
    assert deliveries_sweep() == 0


def test_a_worker_finishes_only_its_own_claim():
    delivery = pending_alert()
    slow = delivery_claim(delivery.pk)
    outbox_clock_advance(timedelta(minutes=6))  # its lease ran out: the sweeper hands it on
    assert deliveries_sweep() == 1
    other = delivery_claim(delivery.pk)  # as the task the sweeper enqueued would

    assert delivery_mark_sent(slow) is False  # the slow worker wakes up: no longer its claim
    delivery.refresh_from_db()
    assert (delivery.status, delivery.claim_token) == (Delivery.Status.SENDING, other.claim_token)

    assert delivery_mark_sent(other) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claim_token) == (Delivery.Status.SENT, 2, None)


def test_marking_sent_records_the_send_in_one_statement_that_waits_for_the_disk(django_assert_num_queries):
    [claimed] = deliveries_claim([pending_alert().pk])

    with django_assert_num_queries(1) as queries:
        assert delivery_mark_sent(claimed) is True

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.claim_token, delivery.lease_until) == (Delivery.Status.SENT, None, None)
    assert delivery.sent_at is not None
    assert not any("synchronous_commit" in query["sql"] for query in queries.captured_queries)


def test_a_chunk_is_claimed_in_one_statement_each_row_under_its_own_token(django_assert_num_queries):
    free = [pending_alert() for _ in range(3)]
    taken = pending_alert()
    other_worker = delivery_claim(taken.pk)
    waiting = pending_alert(retry_at=timezone.now() + timedelta(minutes=2))
    ids = [free[2].pk, taken.pk, free[0].pk, waiting.pk, free[1].pk]

    with django_assert_num_queries(4):  # the UPDATE and the SELECT, in a transaction (a savepoint here)
        claimed = deliveries_claim(ids)

    assert [delivery.pk for delivery in claimed] == [
        free[2].pk,
        free[0].pk,
        free[1].pk,
    ]  # in the chunk's order
    rows = {row.pk: row for row in Delivery.objects.filter(pk__in=ids)}
    assert {delivery.claim_token for delivery in claimed} == {rows[pk].claim_token for pk in rows} - {
        rows[taken.pk].claim_token,
        None,
    }
    assert len({delivery.claim_token for delivery in claimed}) == 3
    assert rows[taken.pk].claim_token == other_worker.claim_token  # left alone
    assert (rows[waiting.pk].status, rows[waiting.pk].attempts) == (Delivery.Status.PENDING, 0)
    assert all(
        rows[pk].status == Delivery.Status.SENDING and rows[pk].attempts == 1
        for pk in rows
        if pk in {d.pk for d in claimed}
    )
    assert deliveries_claim(ids) == []  # a duplicate task finds nothing to send


def test_claims_given_back_unused_are_pending_again_and_not_counted_as_attempts():
    first, second, third = (pending_alert() for _ in range(3))
    claimed = deliveries_claim([first.pk, second.pk, third.pk])
    assert delivery_mark_sent(claimed[2]) is True  # finished: no longer a claim to give back

    assert deliveries_release(claimed[1:]) == 1  # only the second
    rows = {row.pk: row for row in Delivery.objects.all()}
    assert (rows[first.pk].status, rows[first.pk].attempts) == (Delivery.Status.SENDING, 1)
    assert (rows[second.pk].status, rows[second.pk].attempts, rows[second.pk].claim_token) == (
        Delivery.Status.PENDING,
        0,
        None,
    )
    assert (rows[third.pk].status, rows[third.pk].attempts) == (Delivery.Status.SENT, 1)
    assert [delivery.pk for delivery in deliveries_claim([second.pk])] == [second.pk]  # at once


def test_a_chunk_costs_one_claim_and_one_finish_per_delivery(django_assert_num_queries):
    small = [pending_alert().pk for _ in range(3)]
    large = [pending_alert().pk for _ in range(9)]
    # Each alert's session is missing, so each is recorded as skipped: its builder reads the
    # session (one query, coaching's), then the delivery is finished (one UPDATE).
    with django_assert_num_queries(4 + 2 * 3):
        assert {outcome.status for outcome in deliveries_send(delivery_ids=small)} == {
            Delivery.Status.SKIPPED
        }
    with django_assert_num_queries(4 + 2 * 9):
        assert len(deliveries_send(delivery_ids=large)) == 9


def test_a_retry_waits_longer_each_time_up_to_an_hour(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    settings.EMAIL_RETRY_MAX_SECONDS = 3600

    waits = [retry_backoff(attempt).total_seconds() / 60 for attempt in range(1, 10)]

    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_reminder_the_mail_server_keeps_refusing_lapses_as_too_late(smtp_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    smtp_server.refuse_next(1000)
    person = UserFactory()
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=2), tick=False):
        local_time = (now - timedelta(minutes=1)).astimezone(person.zone).time()
        reminder_schedule_save(user=person, weekdays=list(range(7)), local_time=local_time)

    dispatch_due_emails()
    delivery = Delivery.objects.get(user=person)
    delivery_send(delivery_id=delivery.pk)  # refused
    delivery.refresh_from_db()
    while delivery.status == Delivery.Status.PENDING:
        outbox_clock_advance(delivery.retry_at - timezone.now() + timedelta(seconds=1))
        delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()

    assert delivery.status == Delivery.Status.SKIPPED
    assert delivery.reason.startswith("Too late to remind")
    assert len(smtp_server.refusals) == 7  # 0, 1, 3, 7, 15, 31 and 63 minutes after it was due
    assert smtp_server.messages == []


def test_an_email_with_no_address_to_send_to_is_skipped_saying_so_not_counted_as_sent(mailoutbox):
    person = UserFactory(is_trainer=True)
    User.objects.filter(pk=person.pk).update(email="")  # no form allows it; a data import could
    delivery = pending_alert(user=person)

    outcome = delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (outcome.status, delivery.status) == (Delivery.Status.SKIPPED, Delivery.Status.SKIPPED)
    assert delivery.reason == "No address to send to."  # not the missing session: never built
    assert delivery.sent_at is None
    assert mailoutbox == []
