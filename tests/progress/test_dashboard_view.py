from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import ExerciseLog, SessionLog
from progress.selectors import local_today
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(display_name="Sam", time_zone="Europe/London")
    client.force_login(user)
    return user


def bulk_sessions(user, count: int, exercises) -> None:
    """`count` daily sessions ending today, each with every exercise: fast enough for thousands."""
    today = local_today(user)
    sessions = []
    for offset in range(count):
        day = today - timedelta(days=offset)
        started = datetime.combine(day, time(8), tzinfo=user.zone).astimezone(UTC)
        sessions.append(
            SessionLog(
                user=user,
                started_at=started,
                finished_at=started + timedelta(minutes=12),
                local_date=day,
                tightness_before=6,
                tightness_after=3 + offset % 3,
                pain=0,
                routine_title="Desk break",
            )
        )
    SessionLog.objects.bulk_create(sessions, batch_size=500)
    ExerciseLog.objects.bulk_create(
        [
            ExerciseLog(session=s, exercise=e, order=i, seconds=30, reps=1)
            for s in sessions
            for i, e in enumerate(exercises, 1)
        ],
        batch_size=1000,
    )


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


def test_today_offers_to_start_the_latest_routine_and_lists_what_was_done(client, person, log_session):
    routine = RoutineFactory(owner=person, title="Lunch stretch", exercises=[ExerciseFactory()])
    log_session(person, local_today(person), at=time(0, 5))

    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("routines:player_start", args=[routine.pk])}"' in body
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
    bulk_sessions(person, 5, exercises)
    with_five = count_queries(client)

    other = UserFactory(time_zone=person.time_zone)
    bulk_sessions(other, 5, exercises)
    SessionLog.objects.filter(user=other).update(user=person, local_date=datetime(2020, 1, 1).date())
    bulk_sessions(UserFactory(), 10, exercises)  # someone else's don't matter either
    SessionLog.objects.filter(user=person).delete()
    bulk_sessions(person, 2000, exercises)

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
