"""`make run` without settings keeps its data in SQLite: the outbox's claim, its "sent" mark,
what a chunk of reminders reads and the dispatcher's insert, written for PostgreSQL (arrays,
statement_timestamp(), DISTINCT ON, unnest()), must work there too. Run in a process of its own
on a SQLite file, as `make run` would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from accounts.models import User
from notifications.models import Delivery, EmailKind
from notifications.sending import deliveries_claim, delivery_mark_sent
now = timezone.now()
person = User.objects.create_user(email="sqlite@unknot.localhost", password="x")
ids = [
    Delivery.objects.create(
        user=person, kind=EmailKind.RED_FLAG_ALERT, period_key=f"s-{n}", context={}, due_at=now,
        lease_until=now,
    ).pk
    for n in range(3)
]
claimed = deliveries_claim(ids)
tokens = {delivery.claim_token for delivery in claimed}
marked = [delivery_mark_sent(delivery) for delivery in claimed]
sent = Delivery.objects.filter(pk__in=ids, status="sent", sent_at__isnull=False, claim_token=None).count()
print(len(claimed), len(tokens), marked.count(True), sent)

# A reminder, sent as a send task sends it: it names the routine played last.
from datetime import time
from django.core import mail
from django.conf import settings
from notifications.models import ReminderSchedule
from notifications.sending import deliveries_send
from progress.selectors import local_today
from progress.services import session_log_record
from tests.factories import ExerciseFactory, RoutineFactory
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
routine = RoutineFactory(owner=person, title="Desk break", exercises=[ExerciseFactory()])
RoutineFactory(owner=person, title="Newer, never played", exercises=[ExerciseFactory()])
started = now - timedelta(days=2)
session_log_record(user=person, routine=routine, client_token=None, started_at=started,
                   finished_at=started + timedelta(minutes=5), tightness_before=None,
                   tightness_after=None, pain=None, exercises=[])
schedule = ReminderSchedule.objects.create(user=person, weekdays=list(range(7)), local_time=time(8))
reminder = Delivery.objects.create(
    user=person, kind=EmailKind.REMINDER, schedule=schedule, context={}, due_at=now, lease_until=now,
    period_key=f"{local_today(person).isoformat()} 08:00 #{schedule.pk}",
)
deliveries_send(delivery_ids=[reminder.pk])
reminder.refresh_from_db()
print(reminder.status, len(mail.outbox), "Desk break" in mail.outbox[0].body)

# The dispatcher writes a due reminder, leased, and a second run writes nothing; all rolled back,
# so nothing is handed to a broker. (The occurrence is today's, whose delivery was sent above.)
from django.db import transaction
from notifications.dispatch import DispatchReport, _reminders_dispatch_batch
reminder.delete()
with transaction.atomic():
    for run in range(2):
        ReminderSchedule.objects.filter(pk=schedule.pk).update(next_due_at=now - timedelta(minutes=1))
        with transaction.atomic():  # a batch's own transaction, as the dispatcher runs it
            _reminders_dispatch_batch(now, DispatchReport())
        written = Delivery.objects.filter(schedule=schedule)
        print(written.count(), written.filter(status="pending", lease_until__gt=now).count())
    transaction.set_rollback(True)
"""


def test_a_chunk_is_claimed_and_marked_sent_on_sqlite(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'unknot.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    claims, reminder, dispatched, repeated = result.stdout.splitlines()
    # Three claimed, each with a token of its own, each marked sent once.
    assert claims.split() == ["3", "3", "3", "3"]
    # The reminder sent, once, for the routine played last.
    assert reminder.split() == ["sent", "1", "True"]
    # The dispatcher's insert there: the reminder written once, pending and leased.
    assert dispatched.split() == repeated.split() == ["1", "1"]
