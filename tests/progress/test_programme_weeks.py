"""The weekly turn of the programme (progress.enrolment.programme_weeks_turn, run by beat): once
per week per person, at their local midnight, across time zones and DST; running it twice changes
nothing; the fourth week is lighter and the fifth back to full; it finishes after week 6."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.services import user_profile_update
from progress.enrolment import programme_start, programme_weeks_turn
from progress.models import Adjustment, Enrolment, ProgrammeRoutine, ProgrammeWeek, Track
from tests.factories import UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def state():
    """Everything the weekly turn writes."""
    return (
        list(Enrolment.objects.values_list("pk", "week", "status", "week_turns_at").order_by("pk")),
        ProgrammeWeek.objects.count(),
        list(Adjustment.objects.values_list("pk", "kind").order_by("pk")),
        sorted(
            ProgrammeRoutine.objects.values_list(
                "routine__items__pk",
                "routine__items__sets",
                "routine__items__reps",
                "routine__items__hold_seconds",
            )
        ),
    )


@pytest.mark.parametrize(
    ("zone", "turn"),
    [
        ("Pacific/Kiritimati", utc(2026, 12, 6, 10)),  # UTC+14: Monday 00:00 is Sunday 10:00 UTC
        ("Pacific/Pago_Pago", utc(2026, 12, 7, 11)),  # UTC−11
        ("America/New_York", utc(2026, 12, 7, 5)),
        ("Australia/Sydney", utc(2026, 12, 6, 13)),  # summer time, UTC+11
    ],
)
def test_the_week_turns_once_at_the_persons_local_midnight(library, zone, turn):
    person = UserFactory(time_zone=zone)
    # Monday 30 November, at noon where they are.
    started = datetime(2026, 11, 30, 12, tzinfo=person.zone).astimezone(UTC)
    enrolment = programme_start(user=person, track=Track.MOBILITY_FIRST, now=started)
    assert enrolment.week_turns_at == turn

    programme_weeks_turn(now=turn - timedelta(minutes=1))
    enrolment.refresh_from_db()
    assert enrolment.week == 1

    programme_weeks_turn(now=turn)
    enrolment.refresh_from_db()
    assert enrolment.week == 2
    assert enrolment.week_turns_at == turn + timedelta(days=7)

    before = state()
    programme_weeks_turn(now=turn)  # twice: nothing changes
    programme_weeks_turn(now=turn + timedelta(hours=23))
    assert state() == before


def test_people_in_different_zones_turn_at_their_own_midnight_from_one_run(library):
    east = UserFactory(time_zone="Pacific/Kiritimati")
    west = UserFactory(time_zone="Pacific/Pago_Pago")
    now = utc(2026, 11, 30, 12)
    for person in (east, west):
        programme_start(user=person, track=Track.STRENGTH_LED, now=now)

    report = programme_weeks_turn(now=utc(2026, 12, 7, 10, 30))

    assert report.turned == 1
    assert Enrolment.objects.get(user=east).week == 2
    assert Enrolment.objects.get(user=west).week == 1


def test_across_the_clocks_going_forward_the_week_still_turns_at_local_midnight(library):
    person = UserFactory(time_zone="Europe/London")
    # Saturday 21 March 2026; the clocks go forward on Sunday 29 March.
    enrolment = programme_start(user=person, track=Track.MOBILITY_FIRST, now=utc(2026, 3, 21, 12))
    assert enrolment.week_turns_at == utc(2026, 3, 28, 0)  # midnight GMT

    programme_weeks_turn(now=utc(2026, 3, 28, 0))
    enrolment.refresh_from_db()

    assert enrolment.week_turns_at == utc(2026, 4, 3, 23)  # midnight BST, an hour earlier in UTC


def test_across_the_clocks_going_back_the_week_turns_once(library):
    person = UserFactory(time_zone="America/New_York")
    # The clocks go back on Sunday 1 November 2026, at 02:00.
    enrolment = programme_start(user=person, track=Track.MOBILITY_FIRST, now=utc(2026, 10, 27, 16))
    assert enrolment.week_turns_at == utc(2026, 11, 3, 5)  # midnight EST

    for hour in range(0, 24 * 8, 3):  # every few hours of the week, and a day beyond
        programme_weeks_turn(now=utc(2026, 10, 28, 0) + timedelta(hours=hour))

    enrolment.refresh_from_db()
    assert enrolment.week == 2
    assert ProgrammeWeek.objects.filter(enrolment=enrolment).count() == 2


def test_a_new_time_zone_keeps_the_turn_at_local_midnight_of_the_same_day(library):
    person = UserFactory(time_zone="Europe/London")
    enrolment = programme_start(user=person, track=Track.MOBILITY_FIRST, now=utc(2026, 11, 30, 12))

    user_profile_update(user=person, display_name=person.display_name, time_zone="Asia/Tokyo", goals=[])

    enrolment.refresh_from_db()
    assert enrolment.week_turns_at == utc(2026, 12, 6, 15)  # Monday 00:00 in Tokyo


def test_the_fourth_week_is_lighter_and_the_fifth_back_to_full_and_it_finishes_after_six(library):
    person = UserFactory(time_zone="Europe/London")
    enrolment = programme_start(user=person, track=Track.MOBILITY_STRENGTH, now=utc(2026, 11, 30, 12))
    routine = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    row = routine.items.get(exercise__slug="band-row")
    assert (row.sets, row.reps) == (2, 10)
    turns = [enrolment.week_turns_at + timedelta(days=7 * n) for n in range(6)]

    for turn in turns[:3]:
        programme_weeks_turn(now=turn)
    enrolment.refresh_from_db()
    row.refresh_from_db()
    assert enrolment.week == 4
    assert (row.sets, row.reps) == (1, 10)
    light = Adjustment.objects.get(item=row)
    assert light.sentence == "1 × 10 instead of 2 × 10, because every fourth week is lighter"

    programme_weeks_turn(now=turns[3])
    row.refresh_from_db()
    assert (row.sets, row.reps) == (2, 10)
    assert Adjustment.objects.filter(item=row, kind=Adjustment.Kind.RESTORE).count() == 1

    programme_weeks_turn(now=turns[4])
    programme_weeks_turn(now=turns[5])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.FINISHED


def test_a_task_that_was_down_catches_up_week_by_week(library):
    person = UserFactory(time_zone="Europe/London")
    enrolment = programme_start(user=person, track=Track.MOBILITY_STRENGTH, now=utc(2026, 11, 30, 12))

    programme_weeks_turn(now=enrolment.week_turns_at + timedelta(days=15))

    enrolment.refresh_from_db()
    assert enrolment.week == 4
    assert list(ProgrammeWeek.objects.values_list("number", flat=True).order_by("number")) == [1, 2, 3, 4]


def test_the_week_waits_while_the_programme_is_paused_by_a_tier_1_answer(library):
    person = UserFactory(time_zone="Europe/London", warning_signs=["night_pain"], cleared_at=None)
    enrolment = programme_start(user=person, track=Track.MOBILITY_FIRST, now=utc(2026, 11, 30, 12))
    turn = enrolment.week_turns_at

    report = programme_weeks_turn(now=turn)

    enrolment.refresh_from_db()
    assert report.paused == 1
    assert enrolment.week == 1
    assert enrolment.week_turns_at == turn + timedelta(days=7)
