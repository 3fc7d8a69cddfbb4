"""Staff see the outbox in the admin, filter failures, and send them again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, EmailKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def delivery(user, status, **fields):
    return Delivery.objects.create(
        user=user,
        kind=EmailKind.WEEKLY_SUMMARY,
        period_key=fields.pop("period_key", "2026-W48"),
        status=status,
        due_at=timezone.now(),
        context={
            "first_day": "2026-11-23",
            "last_day": "2026-11-29",
            "sessions": 2,
            "minutes": 20,
            "goal_sessions": 4,
            "goal_minutes": 30,
            "streak_days": 2,
            "tightness_before": None,
            "tightness_after": None,
            "previous_before": None,
            "change": None,
            "helped_most": None,
            "red_flags": [],
            "schedule": [],
        },
        **fields,
    )


def test_staff_filter_the_outbox_by_status_and_see_the_error(staff_client):
    failed = delivery(
        UserFactory(email="failed@example.com"), Delivery.Status.FAILED, last_error="SMTP 554: nope"
    )
    delivery(UserFactory(email="fine@example.com"), Delivery.Status.SENT)

    page = staff_client.get(reverse("admin:notifications_delivery_changelist"), {"status__exact": "failed"})
    detail = staff_client.get(reverse("admin:notifications_delivery_change", args=[failed.pk]))

    assert "failed@example.com" in page.content.decode()
    assert "fine@example.com" not in page.content.decode()
    assert "SMTP 554: nope" in detail.content.decode()


def test_staff_send_a_failed_delivery_again_and_it_goes_out(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="failed@example.com")
    failed = delivery(person, Delivery.Status.FAILED, attempts=5, last_error="SMTP 554: nope")
    sent = delivery(UserFactory(), Delivery.Status.SENT, period_key="2026-W47")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.SENT, 1)
    assert [email.to for email in mailoutbox] == [[person.email]]
    assert "Queued 1 delivery to be sent again now." in response.content.decode()
    assert "Left 1 alone: only failed deliveries, or those retrying after an error, are sent again." in (
        response.content.decode()
    )


def test_staff_see_what_is_retrying_after_an_error_and_can_send_it_now(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(minutes=50)
    person = UserFactory(email="retrying@example.com")
    retrying = delivery(
        person,
        Delivery.Status.PENDING,
        attempts=7,
        retry_at=later,
        lease_until=later,
        last_error="SMTP 451: busy",
    )
    delivery(UserFactory(email="waiting@example.com"), Delivery.Status.PENDING, period_key="2026-W47")
    delivery(UserFactory(email="failed@example.com"), Delivery.Status.FAILED, period_key="2026-W46")
    changelist = reverse("admin:notifications_delivery_changelist")

    page = staff_client.get(changelist, {"problem": "retrying"}).content.decode()
    assert "retrying@example.com" in page
    assert "SMTP 451: busy" in page
    assert "waiting@example.com" not in page
    assert "failed@example.com" not in page
    assert "failed@example.com" in staff_client.get(changelist, {"problem": "failed"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "retry", "_selected_action": [retrying.pk]})

    retrying.refresh_from_db()
    assert (retrying.status, retrying.retry_at) == (Delivery.Status.SENT, None)
    assert [email.to for email in mailoutbox] == [[person.email]]
