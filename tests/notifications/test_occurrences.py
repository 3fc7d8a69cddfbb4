"""When a local time falls due, in UTC, across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from notifications.occurrences import local_instant, next_occurrence

EVERY_DAY = list(range(7))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Clocks spring forward over the chosen time: read with the offset from before the change,
        # as RFC 5545 tells calendar apps to, so the email and the calendar's alarm agree.
        ("Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),  # 02:30 BST
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),  # 03:30 EDT
        ("Australia/Sydney", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 16, 15)),  # 03:15 AEDT
        # Clocks fall back and the time happens twice: the first one.
        ("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),  # 01:30 BST
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # 01:30 EDT
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # 02:30 AEDT
        # An ordinary day.
        ("Europe/London", date(2026, 11, 24), time(8, 0), utc(2026, 11, 24, 8, 0)),
    ],
)
def test_a_local_time_becomes_the_right_instant_on_a_day_the_clocks_change(zone, day, at, expected):
    assert local_instant(day, at, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("zone", "repeated"),
    [
        ("Europe/London", utc(2026, 10, 25, 0, 30)),
        ("America/New_York", utc(2026, 11, 1, 5, 30)),
        ("Australia/Sydney", utc(2026, 4, 4, 15, 30)),
    ],
)
def test_a_time_that_happens_twice_falls_due_once_then_the_next_day(zone, repeated):
    zone = ZoneInfo(zone)
    at = repeated.astimezone(zone).time()

    after_first = next_occurrence(weekdays=EVERY_DAY, at=at, zone=zone, after=repeated)

    assert after_first.astimezone(zone).date() == repeated.astimezone(zone).date() + timedelta(days=1)
    assert after_first.astimezone(zone).time() == at


def test_only_the_chosen_weekdays_fall_due():
    zone = ZoneInfo("Europe/Berlin")
    tuesday_evening = datetime(2026, 11, 24, 20, 0, tzinfo=zone)

    due = next_occurrence(weekdays=[0, 3], at=time(7, 15), zone=zone, after=tuesday_evening)

    assert due == datetime(2026, 11, 26, 7, 15, tzinfo=zone)  # Thursday


def test_an_assignment_falls_due_only_between_its_start_and_end():
    zone = ZoneInfo("UTC")
    now = utc(2026, 11, 24, 12, 0)

    assert next_occurrence(
        weekdays=EVERY_DAY, at=time(8), zone=zone, after=now, starts_on=date(2026, 12, 1)
    ) == utc(2026, 12, 1, 8, 0)
    assert (
        next_occurrence(weekdays=EVERY_DAY, at=time(8), zone=zone, after=now, ends_on=date(2026, 11, 24))
        is None
    )
