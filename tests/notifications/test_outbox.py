"""Sending one delivery: the claim that makes it exactly once, and the retry backoff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, EmailKind
from notifications.outbox import deliveries_sweep
from notifications.sending import delivery_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pending_alert(**fields) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        user=UserFactory(is_trainer=True),
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


def test_a_retry_waits_out_its_backoff_whoever_enqueues_it(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    retry_at = timezone.now() + timedelta(minutes=2)
    delivery = pending_alert(attempts=1, retry_at=retry_at, lease_until=retry_at, last_error="SMTP 451")

    early = delivery_send(delivery_id=delivery.pk)  # a duplicate message, during the backoff
    delivery.refresh_from_db()
    assert (early.status, delivery.attempts) == ("", 1)

    time_machine.shift(timedelta(minutes=2, seconds=1))
    assert deliveries_sweep(timezone.now()) == 1
    again = delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (again.status, delivery.attempts) == (Delivery.Status.SKIPPED, 2)
