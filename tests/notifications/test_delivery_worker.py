"""Reminders sent the way production sends them: the dispatcher runs here, a real Celery worker
process (Redis as the broker) sends each delivery to a real SMTP server (tests/notifications/conftest.py).

What is asserted is what people would notice: the emails the SMTP server accepted, one per person.
The worker keeps real time; the outbox compares leases with the database's clock, so the test
moves the outbox's stored times back (`outbox_clock_advance`) to run the sweeper after a lease or
a retry's backoff ran out, as the dispatcher would minutes later.
"""

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import User
from coaching.services import invitation_send
from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery
from notifications.services import reminder_schedule_save
from tests.factories import TrainerFactory, UserFactory
from tests.notifications.conftest import outbox_clock_advance, wait_until

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

EVERY_DAY = list(range(7))


def people_with_a_reminder_due(count: int) -> list[User]:
    """`count` people, each with a daily reminder, set up two minutes ago for a minute ago."""
    now = timezone.now()
    people = UserFactory.create_batch(count)
    with time_machine.travel(now - timedelta(minutes=2), tick=False):
        for person in people:
            local_time = (now - timedelta(minutes=1)).astimezone(person.zone).time()
            reminder_schedule_save(user=person, weekdays=EVERY_DAY, local_time=local_time)
    return people


def delivery_when(person: User, *, status: str, attempts: int | None = None) -> Delivery:
    """The person's delivery, once the worker has brought it to `status` (after `attempts`)."""

    def reached() -> bool:
        delivery = Delivery.objects.get(user=person)
        return delivery.status == status and attempts in (None, delivery.attempts)

    wait_until(reached, what=f"the delivery to be {status} (attempts: {attempts})")
    return Delivery.objects.get(user=person)


def sent_count() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def sweep_after(instant: datetime) -> int:
    """Run the dispatcher (and its sweeper) as it would run just after `instant`."""
    outbox_clock_advance(max(timedelta(0), instant - timezone.now()) + timedelta(seconds=1))
    return dispatch_due_emails().swept


def test_a_due_reminder_arrives_once_with_both_parts_and_a_one_click_unsubscribe(
    smtp_server, worker, client, settings
):
    worker()
    [person] = people_with_a_reminder_due(1)

    assert dispatch_due_emails().reminders == {Delivery.Status.PENDING: 1}

    [message] = smtp_server.wait_for_messages(1)
    delivery = delivery_when(person, status=Delivery.Status.SENT, attempts=1)
    assert message["To"] == person.email
    assert message["Message-ID"].startswith(f"<delivery-{delivery.pk}.reminder@")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_content_type() for part in message.walk() if not part.is_multipart()] == [
        "text/plain",
        "text/html",
    ]
    # What a mail client does with the header: one POST, and the reminders stop.
    [link] = re.fullmatch(r"\s*<(http\S+)>", message["List-Unsubscribe"]).groups()
    assert client.post(urlsplit(link).path).status_code == 200
    person.refresh_from_db()
    assert person.reminder_emails is False
    # Later runs of the dispatcher, even past the lease, send nothing more.
    assert sweep_after(timezone.now() + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)) == 0
    assert len(smtp_server.messages) == 1


def test_two_dispatchers_at_once_send_each_person_one_reminder(smtp_server, worker, settings):
    settings.EMAIL_DISPATCH_BATCH = 4  # many small batches, so the two dispatchers interleave
    worker()
    people = people_with_a_reminder_due(30)
    both_ready = threading.Barrier(2)

    def dispatcher():
        try:
            both_ready.wait(timeout=10)
            return dispatch_due_emails()
        finally:
            connection.close()  # each thread had a connection of its own

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = [run.result() for run in [pool.submit(dispatcher), pool.submit(dispatcher)]]

    assert sum(report.reminders.get(Delivery.Status.PENDING, 0) for report in reports) == 30
    smtp_server.wait_for_messages(30)
    wait_until(lambda: sent_count() == 30, what="30 deliveries marked sent")
    assert smtp_server.recipients == Counter({person.email: 1 for person in people})
    assert Delivery.objects.count() == 30


def test_a_worker_killed_in_the_middle_of_a_chunk_neither_loses_nor_repeats_an_email(
    smtp_server, worker, settings
):
    settings.EMAIL_SEND_CHUNK = 25  # the dispatcher here and the worker agree (the worker fixture)
    first_worker = worker()
    people = people_with_a_reminder_due(200)
    smtp_server.hold_after(60)  # the 61st message: the 11th of the third chunk of 25
    dispatch_due_emails()

    wait_until(lambda: smtp_server.holding, what="the server to hold the 61st message")
    [held] = smtp_server.holding
    assert len(smtp_server.messages) == 60
    first_worker.kill()  # SIGKILL: the message is neither accepted nor its task acknowledged
    first_worker.wait()
    # aiosmtpd drops a held message when its connection goes: it was never accepted.
    wait_until(lambda: smtp_server.dropped == [held], what="the server to drop the held message")
    smtp_server.release()

    # The next worker sends the later chunks; the killed chunk's task is still with the dead worker.
    worker()
    smtp_server.wait_for_messages(185, timeout=60)
    wait_until(lambda: sent_count() == 185, what="185 deliveries marked sent")
    # The killed chunk was claimed in one statement: the message under way and the 14 after it
    # are all still sending, each under a claim token of its own, until their lease runs out.
    claimed = Delivery.objects.filter(status=Delivery.Status.SENDING)
    assert claimed.count() == 15
    assert len(set(claimed.values_list("claim_token", flat=True))) == 15
    assert set(claimed.values_list("attempts", flat=True)) == {1}
    stuck = claimed.get(user__email=held)
    assert held not in smtp_server.recipients
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()

    # Minutes later the leases have run out, and the dispatcher's sweeper hands them out again.
    assert sweep_after(stuck.lease_until) == 15

    smtp_server.wait_for_messages(200)
    wait_until(lambda: sent_count() == 200, what="200 deliveries marked sent")
    assert smtp_server.recipients == Counter({person.email: 1 for person in people})
    assert Delivery.objects.get(pk=stuck.pk).attempts == 2


def test_a_chunk_of_deliveries_goes_over_one_smtp_connection(smtp_server, worker, settings):
    settings.EMAIL_SEND_CHUNK = 25
    worker()
    people = people_with_a_reminder_due(60)
    dispatch_due_emails()

    smtp_server.wait_for_messages(60)
    wait_until(lambda: sent_count() == 60, what="60 deliveries marked sent")
    assert smtp_server.recipients == Counter({person.email: 1 for person in people})
    assert sorted(Counter(smtp_server.peers).values()) == [10, 25, 25]  # three chunks, one connection each


def test_an_email_refused_twice_arrives_once_on_the_third_attempt(smtp_server, worker):
    worker()
    [person] = people_with_a_reminder_due(1)
    smtp_server.refuse_next(2)
    dispatch_due_emails()

    for attempt in (1, 2):
        delivery = delivery_when(person, status=Delivery.Status.PENDING, attempts=attempt)
        assert dispatch_due_emails().swept == 0  # not before its backoff is over
        assert sweep_after(delivery.lease_until) == 1

    [message] = smtp_server.wait_for_messages(1)
    delivery = delivery_when(person, status=Delivery.Status.SENT)
    assert message["To"] == person.email
    assert smtp_server.refusals == [person.email, person.email]
    assert delivery.attempts == 3
    assert delivery.last_error == ""


def test_an_invitation_refused_for_a_day_is_retried_like_a_mail_server_then_marked_failed(
    smtp_server, worker, settings
):
    """An SMTP outage longer than a day: retried after 1, 2, 4 … minutes, then hourly, for 24
    hours after it was due; then failed with the SMTP error, for staff to see."""
    worker()
    trainer = TrainerFactory()
    smtp_server.refuse_next(1000)
    link = invitation_send(trainer=trainer, email="new.client@example.com")
    delivery = link_delivery = Delivery.objects.get(to_email=link.email)

    waits = []
    while delivery.status != Delivery.Status.FAILED:
        attempt = len(waits) + 1
        wait_until(
            lambda attempt=attempt: Delivery.objects.filter(
                pk=link_delivery.pk,
                attempts=attempt,
                status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
            ).exists(),
            what=f"attempt {attempt} to end",
        )
        delivery = Delivery.objects.get(pk=delivery.pk)
        if delivery.status == Delivery.Status.PENDING:
            assert dispatch_due_emails().swept == 0  # not before its backoff is over
            waits.append(round((delivery.retry_at - timezone.now()).total_seconds() / 60))
            assert sweep_after(delivery.lease_until) == 1

    minutes = settings.EMAIL_RETRY_MAX_SECONDS // 60
    assert waits[:7] == [1, 2, 4, 8, 16, 32, minutes]
    assert set(waits[6:]) == {minutes}
    # Attempt 29 comes 23 h 3 min after the first; the next would be past the 24 hours.
    assert delivery.attempts == len(waits) + 1 == 29
    assert "451" in delivery.last_error
    assert "Mailbox busy, try again later" in delivery.last_error
    assert len(smtp_server.refusals) == delivery.attempts
    assert smtp_server.messages == []
    # Given up for good: the sweeper leaves it alone.
    assert sweep_after(timezone.now() + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)) == 0
