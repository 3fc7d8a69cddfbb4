from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import SessionLog
from progress.selectors import local_today
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory, session_logs_bulk_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(display_name="Sam", time_zone="Europe/London")
    client.force_login(user)
    return user


def test_a_newcomer_sees_an_empty_dashboard_with_a_way_to_start(client, person):
    body = client.get(reverse("home")).content.decode()

    assert "Hello, Sam" in body
    assert "appear here after your first session" in body
    assert "Pick a starter routine" in body


def test_the_dashboard_shows_streak_week_heatmap_trend_and_ranking(client, person, log_session):
    exercises = [ExerciseFactory(name="Doorway stretch"), ExerciseFactory(name="Cat-cow")]
    today = local_today(person)
    for offset in range(12):
        log_session(person, today - timedelta(days=offset), before=7, after=3, exercises=exercises)

    body = client.get(reverse("home")).content.decode()

    assert '<p class="big-number">12 <span>days</span></p>' in body
    assert "one rest day between sessions keeps it going" in body
    assert "of 4 sessions" in body
    assert 'class="heatmap"' in body
    assert 'class="line-before"' in body
    assert '<th scope="col">Before</th>' in body  # the text alternative of the trend
    assert "Doorway stretch</a>: 4.0 points less tight on average" in body
    assert "(from 12 sessions)" in body


def test_the_charts_text_alternatives_give_each_days_figures(client, person, log_session):
    today = local_today(person)
    log_session(person, today, before=7, after=3)
    log_session(person, today - timedelta(days=1), before=6, after=4)
    day = f"{today:%a} {today.day} {today:%b}"

    body = client.get(reverse("home")).content.decode()

    # The trend's table: a row a session, before and after; the heatmap's list: a day a line.
    assert f"<tr><td>{day}</td><td>7</td><td>3</td></tr>" in body
    assert f"<li>{day}: 1 session, " in body


def test_today_offers_to_start_the_latest_routine_and_lists_what_was_done(client, person, log_session):
    routine = RoutineFactory(owner=person, title="Lunch stretch", exercises=[ExerciseFactory()])
    log_session(person, local_today(person), at=time(0, 5))

    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("progress:player_start", args=[routine.pk])}"' in body
    assert "Start “Lunch stretch”" in body
    assert "Done today:" in body


def test_a_red_flag_keeps_the_dashboard_working(client, person, log_session):
    log_session(person, local_today(person), pain=9, numbness=True)

    assert client.get(reverse("home")).status_code == 200


def count_queries(client, cold: bool = True) -> int:
    if cold:
        cache.clear()  # measure the statistics being computed, not served from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_dashboard_runs_the_same_number_of_queries_with_5_and_2000_sessions(client, person):
    exercises = [ExerciseFactory(), ExerciseFactory(), ExerciseFactory()]
    RoutineFactory(owner=person, exercises=exercises)
    session_logs_bulk_create(person, 5, exercises)
    with_five = count_queries(client)

    other = UserFactory(time_zone=person.time_zone)
    session_logs_bulk_create(other, 5, exercises)
    SessionLog.objects.filter(user=other).update(user=person, local_date=datetime(2020, 1, 1).date())
    session_logs_bulk_create(UserFactory(), 10, exercises)  # someone else's don't matter either
    SessionLog.objects.filter(user=person).delete()
    session_logs_bulk_create(person, 2000, exercises)

    assert count_queries(client) == with_five


def test_the_statistics_are_served_from_the_cache_until_something_changes(client, person, log_session):
    today = local_today(person)
    log_session(person, today - timedelta(days=1))
    cold = count_queries(client)
    warm = count_queries(client, cold=False)
    assert warm < cold

    log_session(person, today)
    body = client.get(reverse("home")).content.decode()

    assert '<p class="big-number">2 <span>days</span></p>' in body


def test_editing_or_deleting_a_session_refreshes_the_statistics(client, person, log_session):
    session = log_session(person, local_today(person))
    assert '<p class="big-number">1 <span>day</span></p>' in client.get(reverse("home")).content.decode()

    client.post(reverse("progress:session_delete", args=[session.pk]))

    assert "appear here after your first session" in client.get(reverse("home")).content.decode()


def test_changing_the_weekly_goal_shows_at_once(client, person, log_session):
    log_session(person, local_today(person))
    client.get(reverse("home"))
    person.weekly_goal_sessions = 7
    person.save()

    assert "of 7 sessions" in client.get(reverse("home")).content.decode()


def test_a_new_or_changed_routine_shows_at_once_in_today(client, person):
    client.get(reverse("home"))
    routine = RoutineFactory(owner=person, title="Old title", exercises=[ExerciseFactory()])
    from routines.services import routine_update

    routine_update(routine=routine, title="Lunch reset", description="")

    assert "Start “Lunch reset”" in client.get(reverse("home")).content.decode()


def test_pain_rising_over_the_last_three_sessions_brings_a_gentle_suggestion(client, person, log_session):
    today = local_today(person)
    for offset, pain in ((2, 1), (1, 3), (0, 5)):
        log_session(person, today - timedelta(days=offset), pain=pain)

    body = client.get(reverse("home")).content.decode()

    assert "Your pain has been going up" in body
    assert "Pain in your last 3 sessions: 1, then 3, then 5 out of 10." in body
    assert "Ease off for a few days" in body
    assert "see a GP or physiotherapist" in body


def test_no_suggestion_when_pain_only_levels_off(client, person, log_session):
    today = local_today(person)
    for offset, pain in ((2, 2), (1, 4), (0, 4)):
        log_session(person, today - timedelta(days=offset), pain=pain)

    assert "Your pain has been going up" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "session",
    [{"pain": 8}, {"pain": 1, "sharp_pain": True}, {"pain": 1, "stopped_early": True}],
    ids=["high pain", "a red flag", "stopped early"],
)
def test_a_day_whose_session_needed_attention_is_not_called_nicely_done(client, person, log_session, session):
    log_session(person, local_today(person), **session)

    body = client.get(reverse("home")).content.decode()

    assert "Done today:" in body
    assert "Nicely done." not in body


def test_a_calm_day_is_nicely_done(client, person, log_session):
    log_session(person, local_today(person), pain=1)

    assert "Nicely done." in client.get(reverse("home")).content.decode()


def test_each_charts_data_is_open_beneath_it_in_a_box_a_keyboard_can_scroll(client, person, log_session):
    today = local_today(person)
    for offset in range(3):
        log_session(person, today - timedelta(days=offset), before=7, after=3)

    body = client.get(reverse("home")).content.decode()

    for name in (
        "Days with a session",
        "Tightness before and after, as a table",
        "Relief by week, as a table",
    ):
        assert f'<div class="chart-data" tabindex="0" role="region" aria-label="{name}">' in body
    assert body.count("<details open>") == 3


def test_the_relief_chart_writes_each_weeks_day_and_the_month_where_it_changes(client, person, log_session):
    today = local_today(person)
    for offset in range(0, 40, 3):
        log_session(person, today - timedelta(days=offset), before=7, after=3)

    body = client.get(reverse("home")).content.decode()

    relief = body[body.index('class="relief"') : body.index("</svg>", body.index('class="relief"'))]
    months = relief.count("<tspan")
    assert 1 <= months <= 3  # the first bar's month, and each new month after it
