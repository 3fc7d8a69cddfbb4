"""The dispatcher: reminders at each person's local time, once, across DST and outages.

Sends happen in the test process here (Celery eager); tests/notifications/test_delivery_worker.py
runs the same path through a real worker and SMTP server.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection

from coaching.services import link_end
from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery, EmailKind, ReminderSchedule
from notifications.outbox import lease
from notifications.services import reminder_schedule_save
from tests.factories import (
    RoutineFactory,
    RoutineItemFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

EVERY_DAY = list(range(7))
pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def dispatch_at(time_machine, django_capture_on_commit_callbacks):
    """dispatch_at(instant): run the dispatcher with the clock at `instant`; sends go out at once."""

    def run(instant: datetime):
        time_machine.move_to(instant, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return dispatch_due_emails()

    return run


@pytest.fixture
def reminder(time_machine):
    """reminder(user, at, weekdays=every day, created=instant, routine=None)"""

    def make(user, at: time, *, created: datetime, weekdays=EVERY_DAY, routine=None):
        time_machine.move_to(created, tick=False)
        return reminder_schedule_save(user=user, weekdays=weekdays, local_time=at, routine=routine)

    return make


def occurrence(delivery: Delivery) -> str:
    """A reminder's local day and time, without the schedule that ends its period key."""
    return delivery.period_key.rsplit(" #", 1)[0]


def routine_for(user, title="Desk reset"):
    routine = RoutineFactory(owner=user, title=title)
    RoutineItemFactory(routine=routine)
    return routine


def test_a_reminder_arrives_at_its_local_time_and_not_before(dispatch_at, reminder, mailoutbox):
    sam = UserFactory(time_zone="America/New_York", display_name="Sam")
    routine = routine_for(sam)
    reminder(sam, time(18, 30), routine=routine, created=utc(2026, 11, 24, 12, 0))

    dispatch_at(utc(2026, 11, 24, 23, 29))  # 18:29 in New York
    assert mailoutbox == []

    dispatch_at(utc(2026, 11, 24, 23, 30))
    [email] = mailoutbox
    assert email.to == [sam.email]
    assert "Desk reset" in email.subject
    assert f"/routines/{routine.pk}/play/" in email.body
    assert occurrence(Delivery.objects.get()) == "2026-11-24 18:30"


def test_a_reminder_is_skipped_when_the_person_already_stretched_that_day(
    dispatch_at, reminder, mailoutbox, log_session
):
    sam = UserFactory(time_zone="Europe/London")
    reminder(sam, time(18, 0), created=utc(2026, 11, 24, 6, 0))
    log_session(sam, date(2026, 11, 24), at=time(7, 30))

    dispatch_at(utc(2026, 11, 24, 18, 0))

    assert mailoutbox == []
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SKIPPED
    assert delivery.reason == "Already stretched that day."


def test_a_reminder_waiting_to_be_sent_is_leased_on_the_databases_clock_and_a_skipped_one_is_not(
    time_machine, reminder, log_session, django_capture_on_commit_callbacks
):
    sam, kim = UserFactory(time_zone="Europe/London"), UserFactory(time_zone="Europe/London")
    for person in (sam, kim):
        reminder(person, time(18, 0), created=utc(2026, 11, 24, 6, 0))
    log_session(kim, date(2026, 11, 24), at=time(7, 30))
    time_machine.move_to(utc(2026, 11, 24, 18, 0), tick=False)  # this process's clock only

    with django_capture_on_commit_callbacks(execute=False):  # not handed to a worker yet
        dispatch_due_emails()

    waiting, skipped = Delivery.objects.get(user=sam), Delivery.objects.get(user=kim)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        [database_now] = cursor.fetchone()
    assert waiting.status == Delivery.Status.PENDING
    assert abs(waiting.lease_until - (database_now + lease())) < timedelta(minutes=1)
    assert (skipped.status, skipped.lease_until) == (Delivery.Status.SKIPPED, None)
    assert waiting.due_at == utc(2026, 11, 24, 18, 0)


def test_two_reminders_a_day_each_arrive_once_however_often_the_dispatcher_runs(
    dispatch_at, reminder, mailoutbox
):
    sam = UserFactory(time_zone="Europe/London")
    reminder(sam, time(8, 0), weekdays=[0, 1, 2, 3, 4], created=utc(2026, 11, 24, 6, 0))
    reminder(sam, time(18, 30), weekdays=[0, 1, 2, 3, 4], created=utc(2026, 11, 24, 6, 0))

    for instant in [utc(2026, 11, 24, 8, 0), utc(2026, 11, 24, 8, 1), utc(2026, 11, 24, 18, 30)]:
        dispatch_at(instant)
        dispatch_at(instant)  # a second beat, or an overlapping run

    assert len(mailoutbox) == 2
    assert sorted(occurrence(delivery) for delivery in Delivery.objects.all()) == [
        "2026-11-24 08:00",
        "2026-11-24 18:30",
    ]


def test_a_dispatcher_down_for_an_hour_still_sends_the_reminder_once(dispatch_at, reminder, mailoutbox):
    sam = UserFactory(time_zone="UTC")
    reminder(sam, time(8, 0), created=utc(2026, 11, 24, 6, 0))

    dispatch_at(utc(2026, 11, 24, 9, 0))
    dispatch_at(utc(2026, 11, 24, 9, 1))

    assert len(mailoutbox) == 1
    assert ReminderSchedule.objects.get().next_due_at == utc(2026, 11, 25, 8, 0)


def test_a_dispatcher_down_for_days_sends_at_most_one_and_records_the_rest_as_missed(
    dispatch_at, reminder, mailoutbox
):
    sam = UserFactory(time_zone="UTC")
    reminder(sam, time(8, 0), created=utc(2026, 11, 23, 6, 0))  # due Monday to Thursday

    dispatch_at(utc(2026, 11, 26, 9, 0))  # Thursday, an hour late

    assert len(mailoutbox) == 1
    statuses = {occurrence(delivery): delivery.status for delivery in Delivery.objects.all()}
    assert statuses == {
        "2026-11-23 08:00": Delivery.Status.MISSED,
        "2026-11-24 08:00": Delivery.Status.MISSED,
        "2026-11-25 08:00": Delivery.Status.MISSED,
        "2026-11-26 08:00": Delivery.Status.SENT,
    }


def test_a_reminder_too_late_to_be_useful_is_recorded_as_missed_not_sent(dispatch_at, reminder, mailoutbox):
    sam = UserFactory(time_zone="UTC")
    reminder(sam, time(8, 0), created=utc(2026, 11, 24, 6, 0))

    dispatch_at(utc(2026, 11, 24, 14, 0))

    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.MISSED


SPRING_FORWARD = [
    # zone, the day, a chosen time the clocks skip, when it is sent (UTC): as RFC 5545 reads the
    # time (the offset from before the change), so the email comes when the calendar rings.
    ("Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),  # 02:30 BST
    ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),  # 03:30 EDT
    ("Australia/Sydney", date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 30)),  # 03:30 AEDT
]


@pytest.mark.parametrize(("zone", "day", "at", "sent_at"), SPRING_FORWARD)
def test_a_time_skipped_by_spring_forward_is_sent_when_calendars_ring_it(
    dispatch_at, reminder, mailoutbox, zone, day, at, sent_at
):
    person = UserFactory(time_zone=zone)
    reminder(person, at, created=sent_at - timedelta(hours=12))

    dispatch_at(sent_at - timedelta(minutes=1))
    assert mailoutbox == []
    dispatch_at(sent_at)

    assert len(mailoutbox) == 1
    assert occurrence(Delivery.objects.get()) == f"{day.isoformat()} {at:%H:%M}"


FALL_BACK = [
    # zone, the day, a time that happens twice, its first and second instants (UTC)
    ("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
    ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)),
    ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30), utc(2026, 4, 4, 16, 30)),
]


@pytest.mark.parametrize(("zone", "day", "at", "first", "second"), FALL_BACK)
def test_a_time_that_happens_twice_at_fall_back_is_sent_once(
    dispatch_at, reminder, mailoutbox, zone, day, at, first, second
):
    person = UserFactory(time_zone=zone)
    reminder(person, at, created=first - timedelta(hours=12))

    dispatch_at(first)
    dispatch_at(second)
    dispatch_at(second + timedelta(minutes=1))

    assert len(mailoutbox) == 1
    assert occurrence(Delivery.objects.get()) == f"{day.isoformat()} {at:%H:%M}"
    next_due = ReminderSchedule.objects.get().next_due_at.astimezone(person.zone)
    assert (next_due.date(), next_due.time()) == (day + timedelta(days=1), at)


def test_reminders_turned_off_send_nothing_and_keep_their_place(dispatch_at, reminder, mailoutbox):
    sam = UserFactory(time_zone="UTC", reminder_emails=False)
    reminder(sam, time(8, 0), created=utc(2026, 11, 24, 6, 0))

    dispatch_at(utc(2026, 11, 24, 8, 0))

    assert mailoutbox == []
    assert not Delivery.objects.exists()
    assert ReminderSchedule.objects.get().next_due_at == utc(2026, 11, 25, 8, 0)


def test_a_new_time_zone_moves_reminders_to_the_same_local_time_there(reminder):
    from accounts.services import user_profile_update

    sam = UserFactory(time_zone="Europe/London")
    schedule = reminder(sam, time(8, 0), created=utc(2026, 11, 24, 6, 0))
    assert schedule.next_due_at == utc(2026, 11, 24, 8, 0)

    user_profile_update(
        user=sam,
        display_name=sam.display_name,
        time_zone="Asia/Tokyo",
        goals=[],
    )

    schedule.refresh_from_db()
    assert schedule.next_due_at == utc(2026, 11, 24, 23, 0)  # 08:00 tomorrow in Tokyo


def test_an_assignment_brings_a_reminder_on_its_days_which_stops_when_the_link_ends(time_machine, library):
    time_machine.move_to(utc(2026, 11, 24, 6, 0), tick=False)  # a Tuesday
    link = TrainerClientFactory(client__time_zone="UTC")
    assignment = assignment_create(link, weekdays=[1, 3], starts_on=date(2026, 11, 24))

    schedule = assignment.reminder_schedule
    assert schedule.user == link.client
    assert schedule.weekdays == [1, 3]
    assert schedule.next_due_at == utc(2026, 11, 24, 8, 0)

    link_end(link=link)

    schedule.refresh_from_db()
    assert (schedule.enabled, schedule.next_due_at) == (False, None)


def test_an_alert_is_one_delivery_per_session_however_often_it_is_edited(
    library, log_session, mailoutbox, django_capture_on_commit_callbacks
):
    from progress.services import session_log_update

    link = TrainerClientFactory(share_red_flags=True)
    assignment = assignment_create(link)
    with django_capture_on_commit_callbacks(execute=True):
        session = log_session(link.client, date.today(), routine=assignment.routine, pain=8)
        session_log_update(
            session=session,
            started_at=session.started_at,
            finished_at=session.finished_at,
            pain=9,
            numbness=True,
        )

    assert len(mailoutbox) == 1
    assert Delivery.objects.get().kind == EmailKind.RED_FLAG_ALERT


def test_deleting_a_routine_keeps_its_reminder_for_the_routine_played_last(dispatch_at, reminder, mailoutbox):
    from routines.services import routine_delete

    sam = UserFactory(time_zone="UTC")
    kept, deleted = routine_for(sam, "Evening unwind"), routine_for(sam, "Desk reset")
    schedule = reminder(sam, time(8, 0), routine=deleted, created=utc(2026, 11, 24, 6, 0))

    routine_delete(routine=deleted)
    dispatch_at(utc(2026, 11, 24, 8, 0))

    schedule.refresh_from_db()
    assert schedule.routine is None
    [email] = mailoutbox
    assert "Evening unwind" in email.subject
    assert f"/routines/{kept.pk}/play/" in email.body


def test_two_reminders_at_the_same_time_are_two_emails_each_naming_its_routine(
    dispatch_at, reminder, mailoutbox
):
    sam = UserFactory(time_zone="UTC")
    for title in ("Neck release", "Thoracic opener"):
        reminder(sam, time(8, 0), routine=routine_for(sam, title), created=utc(2026, 11, 24, 6, 0))

    dispatch_at(utc(2026, 11, 24, 8, 0))

    assert sorted(email.subject for email in mailoutbox) == [
        "[Unknot] Time to stretch: Neck release (1 min)",
        "[Unknot] Time to stretch: Thoracic opener (1 min)",
    ]


def test_a_chunk_of_reminders_reads_what_they_say_in_a_fixed_number_of_queries(
    time_machine, reminder, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.kinds import deliveries_prepare, delivery_message_build

    def chunk(count: int) -> list[Delivery]:
        people = UserFactory.create_batch(count, time_zone="UTC")
        for n, person in enumerate(people):
            routine = routine_for(person) if n % 2 else None  # the others: general reminders
            reminder(person, time(8, 0), routine=routine, created=utc(2026, 11, 24, 6, 0))
        time_machine.move_to(utc(2026, 11, 24, 8, 0), tick=False)
        with django_capture_on_commit_callbacks(execute=False):  # written, not sent
            dispatch_due_emails()
        return list(Delivery.objects.select_related("user", "schedule").filter(user__in=people))

    small, large = chunk(2), chunk(6)
    with CaptureQueriesContext(connection) as two:
        deliveries_prepare(small)
    with CaptureQueriesContext(connection) as six:
        deliveries_prepare(large)

    assert len(two) == len(six) == 7, [q["sql"][:60] for q in six.captured_queries]
    alone = {
        row.pk: row
        for row in Delivery.objects.select_related("user", "schedule").filter(pk__in=[d.pk for d in large])
    }
    for delivery in large:
        assert delivery_message_build(delivery).body == delivery_message_build(alone[delivery.pk]).body
