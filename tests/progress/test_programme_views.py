"""The programme's pages: choosing a track, the plan on the dashboard with its reasons, the list
of changes with "Undo", stopping; and the dashboard's query count with a programme."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import Adjustment, Enrolment, ProgrammeRoutine
from progress.services import ExerciseLogEntry, session_log_record

# The library is loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]


def started(client, person, track="mobility_strength"):
    client.post(reverse("progress:programme_start"), {"track": track})
    enrolment = Enrolment.objects.get(user=person)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=datetime.now(UTC) - timedelta(days=7), started_on=F("started_on") - timedelta(days=7)
    )
    return enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine


def log(person, routine, *, pain=0, days_ago=0):
    begin = datetime.now(UTC) - timedelta(days=days_ago, minutes=20)
    session_log_record(
        user=person,
        routine=routine,
        client_token=None,
        started_at=begin,
        finished_at=begin + timedelta(minutes=15),
        tightness_before=5,
        tightness_after=3,
        pain=pain,
        exercises=[ExerciseLogEntry(item.exercise_id, 30, item.reps, False) for item in routine.items.all()],
    )


def test_the_page_offers_three_tracks_with_what_they_hold(client, library, person):
    page = client.get(reverse("progress:programme")).content.decode()

    assert "Mobility first" in page
    assert "Mobility with strength" in page
    assert "Strength led" in page
    assert "you need a resistance band" in page
    assert "How your plan moves on" in page


def test_starting_without_a_track_says_so(client, library, person):
    response = client.post(reverse("progress:programme_start"), {})

    assert response.status_code == 422
    assert "Choose one of the three tracks." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_starting_builds_the_routines_and_shows_the_plan(client, library, person):
    response = client.post(reverse("progress:programme_start"), {"track": "strength_led"}, follow=True)

    page = response.content.decode()
    assert "Your programme has started." in page
    assert "This week’s plan" in page
    assert "Upper-back reset: week 1 of 6" in page
    assert "Upper-back reset: desk break" in page


def test_the_dashboard_shows_the_step_up_and_its_reason(client, library, person):
    routine = started(client, person)
    for days_ago in (4, 2, 0):
        log(person, routine, days_ago=days_ago)

    page = client.get(reverse("home")).content.decode()

    assert "This week’s plan" in page
    assert (
        "Next time: 3 × 10 instead of 2 × 10</strong>, because your last three sessions were pain-free."
        in page
    )


def test_the_step_up_can_be_undone_from_the_list_of_changes(client, library, person):
    routine = started(client, person)
    for days_ago in (4, 2, 0):
        log(person, routine, days_ago=days_ago)
    step = Adjustment.objects.get(item__exercise__slug="band-row")
    page = client.get(reverse("progress:programme")).content.decode()
    assert "Undo this step up" in page

    response = client.post(reverse("progress:adjustment_undo", args=[step.pk]), follow=True)

    assert "Undone: Band row is back where it was." in response.content.decode()
    row = routine.items.get(exercise__slug="band-row")
    assert (row.sets, row.reps) == (2, 10)
    again = client.post(reverse("progress:adjustment_undo", args=[step.pk]), follow=True)
    assert "cannot be undone any more" in again.content.decode()


def test_stopping_asks_first_and_keeps_the_routines(client, library, person):
    routine = started(client, person)

    assert "Stop the programme?" in client.get(reverse("progress:programme_stop")).content.decode()
    client.post(reverse("progress:programme_stop"))

    assert Enrolment.objects.get().status == Enrolment.Status.STOPPED
    routine.refresh_from_db()
    page = client.get(reverse("progress:programme")).content.decode()
    assert "You stopped the programme" in page


def count_queries(client) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_dashboard_with_a_programme_runs_the_same_number_of_queries_with_more_history(
    client, library, person
):
    routine = started(client, person)
    log(person, routine, days_ago=6, pain=6)  # steps back: the plan reads when each was tried
    assert Adjustment.objects.exists()
    few = count_queries(client)

    for days_ago in (5, 4, 3, 2, 1, 0):
        log(person, routine, days_ago=days_ago, pain=5 if days_ago % 2 else 0)
    assert Adjustment.objects.count() >= 8

    assert count_queries(client) == few


def test_a_tier_1_answer_shows_the_plan_as_paused_with_whom_to_see(client, library, person):
    started(client, person)
    person.warning_signs, person.cleared_at = ["night_pain"], None
    person.save(update_fields=["warning_signs", "cleared_at"])

    page = client.get(reverse("progress:programme")).content.decode()

    assert "Paused." in page
    assert reverse("accounts:seek_help") in page
    assert "Log it, done away from the app" not in page
