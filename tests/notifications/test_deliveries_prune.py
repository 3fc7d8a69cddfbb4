"""The daily prune of the outbox: old finished deliveries go, what the dedupe keys need stays."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Delivery, EmailKind
from notifications.outbox import delivery_create
from notifications.prune import deliveries_prune
from notifications.tasks import deliveries_prune_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def delivery(*, days_old: float, status: str, kind: str = EmailKind.REMINDER, user=None) -> Delivery:
    written = timezone.now() - timedelta(days=days_old)
    row = Delivery.objects.create(
        user=user or UserFactory(),
        kind=kind,
        period_key=f"{kind}-{Delivery.objects.count()}",
        status=status,
        due_at=written,
    )
    Delivery.objects.filter(pk=row.pk).update(created_at=written)  # auto_now_add
    return row


def test_finished_deliveries_past_the_retention_go_and_the_rest_stay(settings):
    settings.EMAIL_DELIVERY_RETENTION_DAYS = 90
    old = [delivery(days_old=91, status=status) for status in ("sent", "failed", "skipped", "missed")]
    recent = delivery(days_old=89, status="sent")
    unfinished = [delivery(days_old=200, status=status) for status in ("pending", "sending")]
    alert = delivery(days_old=400, status="sent", kind=EmailKind.RED_FLAG_ALERT)

    deliveries_prune_task.delay()

    left = set(Delivery.objects.values_list("pk", flat=True))
    assert not left & {row.pk for row in old}
    assert left == {recent.pk, alert.pk, *(row.pk for row in unfinished)}


def test_it_deletes_in_batches_until_none_is_left():
    user = UserFactory()
    for _ in range(5):
        delivery(days_old=100, status="sent", user=user)

    with CaptureQueriesContext(connection) as queries:
        assert deliveries_prune(batch=2) == 5

    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2 + 2 + 1
    assert not Delivery.objects.exists()


def test_a_pruned_alert_would_be_written_again_so_alerts_are_kept():
    # The alert's key is its session: an edit months later must not alert the trainer twice.
    trainer = UserFactory(is_trainer=True)
    delivery_create(kind=EmailKind.RED_FLAG_ALERT, period_key="session-7", user=trainer)
    Delivery.objects.update(status="sent", created_at=timezone.now() - timedelta(days=365))

    deliveries_prune()

    assert delivery_create(kind=EmailKind.RED_FLAG_ALERT, period_key="session-7", user=trainer) is None


def test_beat_runs_the_prune_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["prune-deliveries"]

    assert entry["task"] == deliveries_prune_task.name
    assert len(entry["schedule"].hour) == len(entry["schedule"].minute) == 1  # once a day
