"""The outbox through database faults, with a real worker whose database connection goes through
a proxy the test can cut (tests/notifications/conftest.py, `database_proxy`).

FAULT_OUTAGE_SECONDS (default 3) sets how long the database stays cut, FAULT_PEOPLE (default 20)
how many emails are sent; docs/architecture.md gives the figures measured with 60 s and 300.
"""

import os
import statistics
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery
from tests.notifications.conftest import database_url_through, wait_until
from tests.notifications.test_delivery_worker import people_with_a_reminder_due, sent_count, sweep_after

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "3"))
PEOPLE = int(os.environ.get("FAULT_PEOPLE", "20"))


def test_a_database_outage_while_claiming_retries_the_queue_instead_of_draining_it(
    smtp_server, worker, database_proxy
):
    worker(database_url=database_url_through(database_proxy))
    people = people_with_a_reminder_due(PEOPLE)
    database_proxy.cut()

    dispatch_due_emails()  # the test's own connection is not cut: the deliveries are written
    wait_until(lambda: database_proxy.refused >= 3, what="the worker to try to claim, and fail")
    time.sleep(OUTAGE_SECONDS)
    database_proxy.restore()
    restored = time.monotonic()

    # Each task was retried with backoff: all arrive within seconds, with no sweeper run.
    smtp_server.wait_for_messages(PEOPLE, timeout=OUTAGE_SECONDS + 60)
    wait_until(lambda: sent_count() == PEOPLE, timeout=OUTAGE_SECONDS + 60, what="every delivery marked sent")
    print(f"database back → {PEOPLE} sent: {time.monotonic() - restored:.1f} s")
    assert smtp_server.recipients == Counter({person.email: 1 for person in people})
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_database_cut_between_the_smtp_server_accepting_and_marking_sent_sends_no_copy(
    smtp_server, worker, database_proxy
):
    worker(database_url=database_url_through(database_proxy))
    people = people_with_a_reminder_due(PEOPLE)

    def cut_once() -> None:  # as the server is about to answer "250" to the first message
        if database_proxy.cut_count == 0:
            database_proxy.cut()
            threading.Timer(OUTAGE_SECONDS, database_proxy.restore).start()

    smtp_server.on_accept = cut_once
    dispatch_due_emails()

    smtp_server.wait_for_messages(PEOPLE, timeout=OUTAGE_SECONDS + 60)
    wait_until(lambda: sent_count() == PEOPLE, timeout=OUTAGE_SECONDS + 60, what="every delivery marked sent")
    first = Delivery.objects.get(user__email=smtp_server.messages[0]["To"])
    assert first.attempts == 1
    # Past every lease, the sweeper finds nothing to send again.
    assert sweep_after(timezone.now() + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)) == 0
    assert smtp_server.recipients == Counter({person.email: 1 for person in people})

    # The window left is a worker dying between "250" and the update: how wide it is.
    sent_at = dict(Delivery.objects.values_list("user__email", "sent_at"))
    gaps = [
        sent_at[message["To"]].timestamp() - accepted
        for message, accepted in zip(smtp_server.messages[1:], smtp_server.accepted_at[1:], strict=True)
    ]
    print(
        f"accept → marked sent: median {statistics.median(gaps) * 1000:.1f} ms, max {max(gaps) * 1000:.1f} ms"
    )
    assert max(gaps) < 1
