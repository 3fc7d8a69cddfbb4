import math
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from notifications.calendar_feed import MIN_MINUTES
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
    assert str(event["UID"]) == f"reminder-{schedule.pk}@unknot"
    assert str(event["SUMMARY"]) == "Stretch: Desk break"
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["MO", "WE"])
    assert "UNTIL" not in rule


def test_each_event_starts_at_the_local_time_in_the_persons_time_zone(client, person):
    schedule = reminder(person)

    response = client.get(feed_url(person))

    event = events(response)[f"reminder-{schedule.pk}@unknot"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime.combine(
        schedule.next_due_at.astimezone(person.zone).date(), time(7, 30)
    )
    assert start.utcoffset() == schedule.next_due_at.astimezone(person.zone).utcoffset()
    calendar = Calendar.from_ical(response.content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert b"TZID=America/New_York" in response.content


def test_an_event_lasts_the_routine_rounded_up_to_minutes_and_rings_at_its_start(client, person):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(hold_seconds=60, reps=5, sets=2)])
    seconds = Routine.objects.with_items().get(pk=routine.pk).estimated_seconds
    schedule = reminder(person, routine=routine)
    general = reminder(person, weekdays=[5])

    found = events(client.get(feed_url(person)))

    event = found[f"reminder-{schedule.pk}@unknot"]
    assert seconds > MIN_MINUTES * 60
    assert event.decoded("DURATION") == timedelta(minutes=math.ceil(seconds / 60))
    [alarm] = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", timedelta(0))
    player = "http://testserver" + reverse("progress:player_start", kwargs={"pk": routine.pk})
    assert player in str(event["DESCRIPTION"])
    general_event = found[f"reminder-{general.pk}@unknot"]
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

    event = events(client.get(feed_url(link.client)))[f"reminder-{assignment.reminder_schedule.pk}@unknot"]

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

    event = found[f"assignment-{assignment.pk}@unknot"]
    assert list(found) == [f"assignment-{assignment.pk}@unknot"]
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
