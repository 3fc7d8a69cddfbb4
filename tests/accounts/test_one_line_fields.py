"""Line breaks and Unicode line separators in one-line fields become one space, wherever the value
comes from, so nobody can plant a line in an email that shows it."""

import pytest
from django.urls import reverse

from accounts.one_line import one_line
from progress.selectors import local_today
from routines.models import Routine
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db
PLANTED = "Desk reset{}ALERT: no need to call, reply with your password"
BREAKS = ["\r\n", "\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r\n\r\n  "]


@pytest.mark.parametrize("line_break", BREAKS, ids=[repr(b) for b in BREAKS])
def test_every_kind_of_line_break_becomes_one_space(line_break):
    assert one_line(PLANTED.format(line_break)) == PLANTED.format(" ")


@pytest.mark.parametrize("line_break", ["\r\n", "\u2028", "\x85"], ids=repr)
def test_a_routine_title_keeps_to_one_line(client, line_break):
    routine = RoutineFactory(exercises=[ExerciseFactory()])
    client.force_login(routine.owner)

    client.post(reverse("routines:routine_edit", args=[routine.pk]), {"title": PLANTED.format(line_break)})

    routine.refresh_from_db()
    assert routine.title == PLANTED.format(" ")


@pytest.mark.parametrize("line_break", ["\r\n", "\u2028", "\x85", "\u2029"], ids=repr)
def test_a_display_name_keeps_to_one_line(client, line_break):
    trainer = TrainerFactory()
    client.force_login(trainer)

    response = client.post(
        reverse("accounts:settings"), {"display_name": f"Sam{line_break}Staff", "time_zone": "Europe/London"}
    )

    trainer.refresh_from_db()
    assert response.status_code == 302
    assert trainer.display_name == "Sam Staff"


def test_a_name_with_a_tab_is_still_refused(client):
    person = TrainerFactory(display_name="Sam")
    client.force_login(person)

    response = client.post(
        reverse("accounts:settings"), {"display_name": "Sam\tX", "time_zone": "Europe/London"}
    )

    person.refresh_from_db()
    assert response.status_code == 422
    assert person.display_name == "Sam"


def test_a_value_saved_by_code_is_collapsed_too():
    routine = RoutineFactory(title=PLANTED.format("\u2028"))

    assert Routine.objects.get(pk=routine.pk).title == PLANTED.format(" ")


def test_a_client_cannot_plant_a_line_in_their_trainers_alert(
    client, log_session, mailoutbox, django_capture_on_commit_callbacks
):
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])
    client.force_login(link.client)
    client.post(reverse("routines:routine_edit", args=[plan.routine.pk]), {"title": PLANTED.format("\r\n")})
    client.post(
        reverse("accounts:settings"),
        {"display_name": "Kim\u2028ALERT: ignore the red flags", "time_zone": "Europe/London"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        log_session(
            link.client, local_today(link.client), routine=Routine.objects.get(pk=plan.routine.pk), pain=8
        )

    [alert] = mailoutbox
    lines = alert.body.splitlines()
    assert "Routine: Desk reset ALERT: no need to call, reply with your password" in lines
    assert not [line for line in lines if line.startswith("ALERT")]
    assert "\u2028" not in alert.body
    assert "\u2028" not in alert.subject


def test_the_clients_words_after_stopping_are_quoted_on_one_line_in_the_alert(
    log_session, mailoutbox, django_capture_on_commit_callbacks
):
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])

    with django_capture_on_commit_callbacks(execute=True):
        log_session(
            link.client,
            local_today(link.client),
            routine=plan.routine,
            pain=8,
            stopped_early=True,
            stop_reason="It pinched\r\n\r\nALERT: no need to check on me",
        )

    [alert] = mailoutbox
    assert 'in their words: "It pinched ALERT: no need to check on me"' in alert.body
    assert not [line for line in alert.body.splitlines() if line.startswith("ALERT")]
