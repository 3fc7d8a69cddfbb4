import math
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from accounts.services import user_profile_update
from notifications.calendar_feed import MIN_MINUTES
from notifications.dispatch import dispatch_due_emails
from notifications.services import calendar_token_reset, reminder_schedule_save
from progress.selectors import local_today
from routines.models import Routine
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = UserFactory(time_zone="America/New_York")
    calendar_token_reset(user=user)
    return user


def feed_url(user) -> str:
    return reverse("notifications:calendar_feed", kwargs={"token": user.calendar_token})


def events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def reminder(user, *, weekdays=(0, 2), at=time(7, 30), **fields):
    return reminder_schedule_save(user=user, weekdays=list(weekdays), local_time=at, **fields)


def test_the_feed_is_a_private_calendar_of_the_persons_reminders(client, person):
    routine = RoutineFactory(
        owner=person, title="Desk break", exercises=[ExerciseFactory(), ExerciseFactory()]
    )
    schedule = reminder(person, routine=routine)

    response = client.get(feed_url(person))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Unknot"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"reminder-{schedule.pk}@localhost"
    assert str(event["SUMMARY"]) == "Stretch: Desk break"
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["MO", "WE"])
    assert "UNTIL" not in rule


def test_each_event_starts_at_the_local_time_in_the_persons_time_zone(client, person):
    schedule = reminder(person)

    response = client.get(feed_url(person))

    event = events(response)[f"reminder-{schedule.pk}@localhost"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    start = event.decoded("DTSTART")
    first_day = local_today(person)
    while first_day.weekday() not in (0, 2):
        first_day += timedelta(days=1)
    assert start.replace(tzinfo=None) == datetime.combine(first_day, time(7, 30))
    assert start.utcoffset() == start.astimezone(person.zone).utcoffset()
    calendar = Calendar.from_ical(response.content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert b"TZID=America/New_York" in response.content


def test_an_event_lasts_the_routine_rounded_up_to_minutes_and_rings_at_its_start(client, person):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(hold_seconds=60, reps=5, sets=2)])
    seconds = Routine.objects.with_items().get(pk=routine.pk).estimated_seconds
    schedule = reminder(person, routine=routine)
    general = reminder(person, weekdays=[5])

    found = events(client.get(feed_url(person)))

    event = found[f"reminder-{schedule.pk}@localhost"]
    assert seconds > MIN_MINUTES * 60
    assert event.decoded("DURATION") == timedelta(minutes=math.ceil(seconds / 60))
    [alarm] = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", timedelta(0))
    player = "http://testserver" + reverse("progress:player_start", kwargs={"pk": routine.pk})
    assert player in str(event["DESCRIPTION"])
    general_event = found[f"reminder-{general.pk}@localhost"]
    assert str(general_event["SUMMARY"]) == "Stretch"
    assert general_event.decoded("DURATION") == timedelta(minutes=MIN_MINUTES)


def test_reminders_that_are_off_are_left_out(client, person):
    reminder(person, enabled=False)

    assert events(client.get(feed_url(person))) == {}


def test_a_reminder_for_an_assignment_ends_with_the_assignment(client):
    link = TrainerClientFactory(client=UserFactory(time_zone="Europe/London"))
    today = local_today(link.client)
    assignment = assignment_create(
        link, exercises=[ExerciseFactory()], starts_on=today, ends_on=today + timedelta(days=20)
    )
    calendar_token_reset(user=link.client)

    event = events(client.get(feed_url(link.client)))[f"reminder-{assignment.reminder_schedule.pk}@localhost"]

    [until] = event["RRULE"]["UNTIL"]
    assert until.utcoffset() == timedelta(0)  # in UTC, as RFC 5545 asks with a zoned DTSTART
    assert until.astimezone(link.client.zone).date() == today + timedelta(days=20)


def test_an_assignment_without_an_enabled_reminder_shows_as_all_day_events(client):
    link = TrainerClientFactory()
    assignment = assignment_create(link, exercises=[ExerciseFactory()], weekdays=(1, 3), title="Desk reset")
    reminder_schedule_save(
        user=link.client,
        schedule=assignment.reminder_schedule,
        weekdays=[1, 3],
        local_time=time(8),
        enabled=False,
    )
    calendar_token_reset(user=link.client)

    found = events(client.get(feed_url(link.client)))

    event = found[f"assignment-{assignment.pk}@localhost"]
    assert list(found) == [f"assignment-{assignment.pk}@localhost"]
    assert str(event["SUMMARY"]) == "Stretch: Desk reset"
    start = event.decoded("DTSTART")
    assert not isinstance(start, datetime)
    assert start.weekday() in (1, 3)
    assert event["RRULE"]["BYDAY"] == ["TU", "TH"]
    assert not event.walk("VALARM")


def test_an_unknown_address_is_not_found(client, person):
    assert client.get(reverse("notifications:calendar_feed", kwargs={"token": "guess"})).status_code == 404


def test_resetting_the_address_makes_the_old_one_not_found(client, person):
    old = feed_url(person)

    calendar_token_reset(user=person)

    assert client.get(old).status_code == 404
    assert client.get(feed_url(person)).status_code == 200


def test_a_closed_account_has_no_feed(client, person):
    person.is_active = False
    person.save()

    assert client.get(feed_url(person)).status_code == 404


def test_the_feed_runs_the_same_queries_with_one_reminder_or_five(client, person):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_url(person)).status_code == 200
        return len(queries)

    exercises = [ExerciseFactory(), ExerciseFactory()]
    reminder(person, routine=RoutineFactory(owner=person, exercises=exercises))
    one = count()
    for day in range(4):
        reminder(person, weekdays=[day], routine=RoutineFactory(owner=person, exercises=exercises))

    assert count() == one
    assert len(events(client.get(feed_url(person)))) == 5


def test_uids_use_the_sites_domain(client, person, settings):
    settings.SITE_URL = "https://unknot.example"
    schedule = reminder(person)

    assert list(events(client.get(feed_url(person)))) == [f"reminder-{schedule.pk}@unknot.example"]


def test_an_event_stays_anchored_as_occurrences_pass_and_is_revised_when_changed(
    client, person, time_machine
):
    time_machine.move_to(datetime(2026, 11, 23, 12, 0, tzinfo=person.zone), tick=False)  # a Monday
    schedule = reminder(person, weekdays=(0, 2), at=time(7, 30))
    before = events(client.get(feed_url(person)))[f"reminder-{schedule.pk}@localhost"]

    time_machine.move_to(datetime(2026, 12, 9, 12, 0, tzinfo=person.zone), tick=False)
    dispatch_due_emails()  # sends what fell due and moves next_due_at on
    schedule.refresh_from_db()
    assert schedule.next_due_at.astimezone(person.zone).date() == date(2026, 12, 14)
    after = events(client.get(feed_url(person)))[f"reminder-{schedule.pk}@localhost"]

    assert after.decoded("DTSTART") == before.decoded("DTSTART")
    assert before.decoded("DTSTART").date() == date(2026, 11, 23)  # the day it was made: a Monday
    assert after["SEQUENCE"] == before["SEQUENCE"] == 0
    assert after.decoded("LAST-MODIFIED") == before.decoded("LAST-MODIFIED")
    assert after.to_ical() == before.to_ical()

    reminder_schedule_save(user=person, schedule=schedule, weekdays=[4], local_time=time(18, 0))
    revised = events(client.get(feed_url(person)))[f"reminder-{schedule.pk}@localhost"]

    assert revised.decoded("DTSTART") == datetime(2026, 12, 11, 18, 0, tzinfo=person.zone)  # Friday
    assert revised["SEQUENCE"] == 1
    assert revised.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_a_new_time_zone_revises_every_event(client, person):
    schedule = reminder(person)

    user_profile_update(user=person, display_name="Sam", time_zone="Europe/Paris", goals=[])

    event = events(client.get(feed_url(person)))[f"reminder-{schedule.pk}@localhost"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["SEQUENCE"] == 1


def test_a_time_the_clocks_skip_rings_in_the_email_when_the_calendar_rings(client, time_machine):
    # 01:30 on London's spring-forward night does not exist. RFC 5545 reads it with the offset
    # from before the change (02:30 BST); the reminder email is due at that same instant.
    person = UserFactory(time_zone="Europe/London")
    calendar_token_reset(user=person)
    time_machine.move_to(datetime(2027, 3, 27, 12, 0, tzinfo=UTC), tick=False)  # the Saturday before
    schedule = reminder(person, weekdays=[6], at=time(1, 30))

    event = events(client.get(feed_url(person)))[f"reminder-{schedule.pk}@localhost"]

    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime(2027, 3, 28, 1, 30)
    rfc_5545_instant = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 01:30 GMT, the offset before the gap
    assert start.astimezone(UTC) == rfc_5545_instant
    assert schedule.next_due_at == rfc_5545_instant
