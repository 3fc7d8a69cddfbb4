from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import SessionLog
from progress.selectors import local_today
from tests.factories import RoutineFactory, session_logs_bulk_create

pytestmark = pytest.mark.django_db
URL = reverse("progress:history")


def titles(response) -> list[str]:
    return [session.routine_title for session in response.context["page"]]


def test_history_lists_sessions_newest_first_with_their_details(client, person, log_session):
    today = local_today(person)
    older = log_session(person, today - timedelta(days=2), minutes=12, before=7, after=3)
    older.routine_title = "Morning"
    older.save()
    newer = log_session(person, today, pain=8, tingling=True)
    newer.routine_title = "Evening"
    newer.save()

    response = client.get(URL)

    body = response.content.decode()
    assert titles(response) == ["Evening", "Morning"]
    assert "Tightness 7 → 3" in body
    assert "12 min" in body
    assert "⚠ Red flag:</strong> Tingling (pins and needles) and pain of 8 out of 10" in body


def test_filters_by_routine_and_date_range(client, person, log_session):
    routine = RoutineFactory(owner=person, title="Desk break")
    today = local_today(person)
    for offset in range(5):
        session = log_session(person, today - timedelta(days=offset))
        session.routine = routine if offset % 2 == 0 else None
        session.routine_title = f"day {offset}"
        session.save()

    by_routine = client.get(URL, {"routine": routine.pk})
    by_dates = client.get(URL, {"date_from": today - timedelta(days=3), "date_to": today - timedelta(days=1)})

    assert titles(by_routine) == ["day 0", "day 2", "day 4"]
    assert titles(by_dates) == ["day 1", "day 2", "day 3"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "“To” must be on or after “From”."),
        ({"routine": "99999"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_explained_instead_of_failing(client, person, log_session, params, message):
    log_session(person, local_today(person))

    response = client.get(URL, params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert titles(response) == []


def test_another_persons_routine_is_not_a_filter_choice(client, person):
    theirs = RoutineFactory()

    response = client.get(URL, {"routine": theirs.pk})

    assert "Select a valid choice." in response.content.decode()


def test_an_empty_history_says_how_to_start(client, person):
    assert "No sessions yet." in client.get(URL).content.decode()


def test_history_is_paginated_and_runs_the_same_queries_for_5_and_2000_sessions(client, person):
    session_logs_bulk_create(person, 5, [])
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    SessionLog.objects.filter(user=person).delete()
    session_logs_bulk_create(person, 2000, [])
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)

    assert len(few) == len(many)
    assert len(titles(response)) == 20
    assert "Page 1 of 100" in response.content.decode()


def test_history_links_to_the_export_of_every_session(client, person):
    page = client.get(URL).content.decode()

    assert f'href="{reverse("progress:export")}"' in page
