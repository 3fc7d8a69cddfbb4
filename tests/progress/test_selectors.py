from datetime import UTC, date, datetime, time, timedelta

import pytest

from progress import selectors
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def person():
    return UserFactory(time_zone="Europe/London", weekly_goal_sessions=4, weekly_goal_minutes=40)


def test_nothing_logged_means_no_streak_and_an_empty_week(person):
    assert selectors.streak(person, TODAY) == selectors.Streak(days=0, active_today=False)
    week = selectors.week_summary(person, TODAY)
    assert (week.sessions, week.minutes, week.sessions_percent) == (0, 0, 0)
    assert selectors.tightness_trend(person, TODAY) == []
    assert not selectors.what_helps_most(person).enough_data


def test_one_session_today_starts_a_streak_of_one(person, log_session):
    log_session(person, TODAY)

    assert selectors.streak(person, TODAY) == selectors.Streak(days=1, active_today=True)


def test_a_single_rest_day_keeps_the_streak_but_two_end_it(person, log_session):
    for offset in (0, 2, 3, 5, 8, 9):  # gaps of one day, then a gap of two days before the 5th
        log_session(person, TODAY - timedelta(days=offset))

    assert selectors.streak(person, TODAY).days == 4


def test_the_streak_survives_until_today_is_over(person, log_session):
    log_session(person, TODAY - timedelta(days=1))
    log_session(person, TODAY - timedelta(days=2))

    assert selectors.streak(person, TODAY) == selectors.Streak(days=2, active_today=False)
    assert selectors.streak(person, TODAY + timedelta(days=2)).days == 0


def test_the_dashboards_one_query_gives_what_days_totals_and_streak_give(person, log_session):
    for offset in (-1, 0, 2, 3, 5, 8, 9):  # -1: a day ahead of TODAY, as after moving east
        log_session(person, TODAY - timedelta(days=offset), before=None if offset == 3 else 6)
    log_session(person, TODAY, at=time(19))  # two rated sessions on one day

    days, rated, streak = selectors.days_totals_and_streak(person, TODAY)

    assert (days, rated) == selectors.days_totals(person) == (7, 7)
    assert streak == selectors.streak(person, TODAY) == selectors.Streak(days=4, active_today=True)


def test_two_sessions_on_one_day_count_one_streak_day_but_two_sessions(person, log_session):
    log_session(person, TODAY, minutes=10)
    log_session(person, TODAY, minutes=15, at=time(19))

    assert selectors.streak(person, TODAY).days == 1
    week = selectors.week_summary(person, TODAY)
    assert (week.sessions, week.minutes, week.sessions_percent, week.minutes_percent) == (2, 25, 50, 62)


def test_the_week_runs_from_monday_and_ignores_last_week(person, log_session):
    log_session(person, date(2026, 11, 16), minutes=20)  # Monday
    log_session(person, date(2026, 11, 15), minutes=30)  # Sunday before

    week = selectors.week_summary(person, TODAY)

    assert (week.sessions, week.minutes) == (1, 20)


def test_a_session_just_after_local_midnight_counts_for_the_new_day(log_session):
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    # 15:30 UTC on the 17th is 00:30 on the 18th in Tokyo.
    log_session(tokyo, date(2026, 11, 18), at=time(0, 30))

    assert selectors.streak(tokyo, date(2026, 11, 18)).active_today
    assert selectors.local_today(tokyo, datetime(2026, 11, 17, 15, 30, tzinfo=UTC)) == date(2026, 11, 18)


def test_today_follows_the_person_across_a_daylight_saving_change():
    new_york = UserFactory(time_zone="America/New_York")
    # 8 March 2026 clocks go forward in New York: 03:30 UTC is 23:30 the 7th (EST, UTC-5) ...
    assert selectors.local_today(new_york, datetime(2026, 3, 8, 4, 30, tzinfo=UTC)) == date(2026, 3, 7)
    # ... and after the change 04:30 UTC on the 9th is 00:30 on the 9th (EDT, UTC-4).
    assert selectors.local_today(new_york, datetime(2026, 3, 9, 4, 30, tzinfo=UTC)) == date(2026, 3, 9)


def test_a_streak_across_the_clock_change_counts_every_local_day(log_session):
    london = UserFactory(time_zone="Europe/London")
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)):  # clocks change on the 29th
        log_session(london, day, at=time(0, 30))

    assert selectors.streak(london, date(2026, 3, 30)).days == 3


def test_the_heatmap_has_twelve_weeks_ending_with_this_week(person, log_session):
    log_session(person, TODAY, minutes=25)
    log_session(person, TODAY - timedelta(days=3), minutes=5)

    weeks = selectors.heatmap(person, TODAY)

    assert len(weeks) == 12
    assert all(len(week) == 7 for week in weeks)
    assert weeks[-1][0].day == date(2026, 11, 16)
    this_week = {d.day: d for d in weeks[-1]}
    assert (this_week[TODAY].sessions, this_week[TODAY].minutes, this_week[TODAY].level) == (1, 25, 3)
    assert this_week[TODAY + timedelta(days=1)].is_future
    assert {d.day: d for d in weeks[-2]}[TODAY - timedelta(days=3)].level == 1
    assert sum(d.sessions for week in weeks for d in week) == 2


def test_the_trend_lists_rated_sessions_of_the_last_eight_weeks_in_order(person, log_session):
    log_session(person, TODAY - timedelta(weeks=9), before=9, after=8)  # too old
    log_session(person, TODAY - timedelta(days=3), before=7, after=4)
    log_session(person, TODAY, before=5, after=2)
    log_session(person, TODAY - timedelta(days=1), before=None, after=None)  # not rated

    points = selectors.tightness_trend(person, TODAY)

    assert [(p.before, p.after) for p in points] == [(7, 4), (5, 2)]


def test_weekly_relief_averages_before_minus_after(person, log_session):
    log_session(person, date(2026, 11, 9), before=6, after=4)
    log_session(person, date(2026, 11, 10), before=7, after=6)
    log_session(person, date(2026, 11, 17), before=8, after=3)

    weeks = selectors.weekly_relief(person, TODAY)

    assert [(w.week, w.relief, w.sessions) for w in weeks] == [
        (date(2026, 11, 9), 1.5, 2),
        (date(2026, 11, 16), 5.0, 1),
    ]


def test_what_helps_waits_for_enough_rated_sessions(person, log_session):
    for offset in range(9):
        log_session(person, TODAY - timedelta(days=offset), exercises=[ExerciseFactory()])

    ranking = selectors.what_helps_most(person)

    assert not ranking.enough_data
    assert ranking.sessions_needed == 1


def test_what_helps_ranks_exercises_by_the_relief_of_sessions_that_included_them(person, log_session):
    doorway, cat_cow, rare = (
        ExerciseFactory(name="Doorway"),
        ExerciseFactory(name="Cat-cow"),
        ExerciseFactory(name="Rare"),
    )
    for offset in range(5):
        log_session(person, TODAY - timedelta(days=offset), before=7, after=3, exercises=[doorway, cat_cow])
    for offset in range(5, 10):
        log_session(person, TODAY - timedelta(days=offset), before=6, after=5, exercises=[cat_cow])
    log_session(person, TODAY - timedelta(days=11), before=9, after=0, exercises=[rare])  # one session only

    ranking = selectors.what_helps_most(person)

    assert ranking.enough_data
    assert [(r.name, r.relief, r.sessions) for r in ranking.exercises] == [
        ("Doorway", 4.0, 5),
        ("Cat-cow", 2.5, 10),
    ]


def test_nobody_elses_sessions_count(person, log_session):
    log_session(UserFactory(), TODAY)

    assert selectors.streak(person, TODAY).days == 0
    assert selectors.week_summary(person, TODAY).sessions == 0


def test_history_is_the_persons_own_sessions_newest_first(person, log_session):
    older = log_session(person, TODAY - timedelta(days=3))
    newer = log_session(person, TODAY, at=time(7))
    newest = log_session(person, TODAY, at=time(19))
    log_session(UserFactory(), TODAY)

    assert list(selectors.session_history(person)) == [newest, newer, older]


def test_history_narrows_to_one_routine_and_to_local_days_from_and_to_both_included(person, log_session):
    desk_break = RoutineFactory(owner=person)
    sessions = {
        offset: log_session(
            person, TODAY - timedelta(days=offset), routine=desk_break if offset % 2 else None
        )
        for offset in range(6)
    }

    of_routine = selectors.session_history(person, routine=desk_break)
    in_days = selectors.session_history(
        person, date_from=TODAY - timedelta(days=4), date_to=TODAY - timedelta(days=2)
    )
    both = selectors.session_history(person, routine=desk_break, date_from=TODAY - timedelta(days=3))

    assert list(of_routine) == [sessions[1], sessions[3], sessions[5]]
    assert list(in_days) == [sessions[2], sessions[3], sessions[4]]
    assert list(both) == [sessions[1], sessions[3]]
