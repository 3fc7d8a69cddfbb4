""" "Stop: something feels wrong" without JavaScript: the Stop button ends the run, the stop page
asks what the person noticed, and saving records what was done so far as a session stopped
early, alerts the trainer when there is a red flag, and shows the guidance for what was ticked."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from progress.models import CALL_EMERGENCY, RED_FLAG_GUIDANCE, RED_FLAGS, SessionLog
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(person):
    return RoutineFactory(
        owner=person,
        title="Desk break",
        exercises=[
            ExerciseFactory(name="Chin tuck", hold_seconds=5, reps=8, sets=1),
            ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=2, sets=1),
            ExerciseFactory(name="Thread the needle", hold_seconds=20, reps=2, sets=1),
        ],
    )


def url(name, routine, *args):
    return reverse(f"progress:{name}", args=[routine.pk, *args])


def stop_on_step_two(client, routine, seconds=""):
    """Start, finish exercise 1, then press Stop during exercise 2."""
    client.post(url("player_start", routine), {"tightness_before": 6})
    client.post(url("player_step", routine, 1), {"action": "done", "held": "untimed"})
    return client.post(url("player_stop", routine), {"number": 2, "seconds": seconds})


def answers(client, routine, **ticked):
    token = client.get(url("player_stopped", routine)).context["form"].initial["token"]
    return {"token": token, "pain": "", "stop_reason": "", **ticked}


def test_stop_ends_the_run_and_asks_what_the_person_noticed(client, routine):
    response = stop_on_step_two(client, routine)

    assert response.url == url("player_stopped", routine)
    page = client.get(response.url)
    body = page.content.decode()
    assert "You stopped. What did you notice?" in body
    for label in RED_FLAGS.values():
        assert label in body
    # The emergency advice comes before any question.
    assert body.index(CALL_EMERGENCY.heading) < body.index("Did you notice any of these?")
    assert not SessionLog.objects.exists()


def test_the_run_cannot_carry_on_once_stopped(client, routine):
    stop_on_step_two(client, routine)

    assert client.get(url("player_step", routine, 2)).url == url("player_stopped", routine)
    assert client.post(url("player_step", routine, 2), {"action": "done"}).url == url(
        "player_stopped", routine
    )
    assert client.get(url("player_finish", routine)).url == url("player_stopped", routine)
    assert (
        "You stopped because something felt wrong"
        in client.get(url("player_start", routine)).content.decode()
    )


def test_ticking_chest_pain_saves_the_partial_session_and_says_to_call_emergency_services(client, routine):
    stop_on_step_two(client, routine, seconds="12")

    response = client.post(
        url("player_stopped", routine),
        answers(client, routine, chest_symptoms="on", stop_reason="Tight chest in the doorway stretch"),
        follow=True,
    )

    session = SessionLog.objects.get()
    assert session.stopped_early
    assert session.chest_symptoms
    assert session.stop_reason == "Tight chest in the doorway stretch"
    assert session.tightness_before == 6
    logs = session.exercise_logs.order_by("order")
    assert [(log.exercise.name, log.skipped, log.seconds) for log in logs] == [
        ("Chin tuck", False, 0),  # done, not timed
        ("Doorway stretch", True, 12),  # under way when Stop was pressed: the seconds held
        ("Thread the needle", True, 0),  # not reached
    ]
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    body = response.content.decode()
    assert "Call emergency services now" in body
    assert "Tight chest in the doorway stretch" in body


def test_the_session_records_when_stop_was_pressed_not_when_the_questions_were_answered(
    client, routine, time_machine
):
    time_machine.move_to("2026-11-26 10:00:00+00:00", tick=False)
    stop_on_step_two(client, routine)
    time_machine.move_to("2026-11-26 10:20:00+00:00", tick=False)

    client.post(url("player_stopped", routine), answers(client, routine))

    assert SessionLog.objects.get().finished_at.isoformat() == "2026-11-26T10:00:00+00:00"


@pytest.mark.parametrize("flag", list(RED_FLAGS))
def test_each_red_flag_shows_its_own_guidance(client, routine, flag):
    stop_on_step_two(client, routine)

    response = client.post(
        url("player_stopped", routine), answers(client, routine, **{flag: "on"}), follow=True
    )

    body = response.content.decode()
    guidance = RED_FLAG_GUIDANCE[flag]
    assert guidance.heading in body
    assert escape(guidance.advice) in body
    others = {g.heading for g in RED_FLAG_GUIDANCE.values()} - {guidance.heading}
    assert not [heading for heading in others if f"<h3>{heading}</h3>" in body]


def test_the_most_urgent_guidance_comes_first(client, routine):
    stop_on_step_two(client, routine)

    response = client.post(
        url("player_stopped", routine),
        answers(client, routine, sharp_pain="on", dizziness="on", chest_symptoms="on"),
        follow=True,
    )

    body = response.content.decode()
    positions = [
        body.index(f"<h3>{RED_FLAG_GUIDANCE[f].heading}</h3>")
        for f in ("chest_symptoms", "dizziness", "sharp_pain")
    ]
    assert positions == sorted(positions)


def test_stopping_with_nothing_ticked_saves_a_calm_session_and_suggests_easing_off(client, routine):
    stop_on_step_two(client, routine)

    response = client.post(url("player_stopped", routine), answers(client, routine), follow=True)

    session = SessionLog.objects.get()
    assert session.stopped_early
    assert not session.needs_attention
    body = response.content.decode()
    assert "You stopped early" in body
    assert "gentler routine" in body
    assert "Stop stretching for now and get advice" not in body
    assert "Session saved." in body
    assert "Well done" not in body
    # What to watch for, in case something starts later.
    assert "Chest pain, or breathlessness that is sudden or severe: call emergency services now." in body


def test_saving_twice_records_one_session(client, routine):
    stop_on_step_two(client, routine)
    data = answers(client, routine, dizziness="on")

    first = client.post(url("player_stopped", routine), data)
    second = client.post(url("player_stopped", routine), data)

    assert SessionLog.objects.count() == 1
    assert first.url == second.url == SessionLog.objects.get().get_absolute_url()


def test_stop_without_a_run_goes_back_to_the_start(client, routine):
    assert client.post(url("player_stop", routine)).url == url("player_start", routine)
    assert client.get(url("player_stopped", routine)).url == url("player_start", routine)


def test_a_run_not_stopped_has_no_stop_questions_to_answer(client, routine):
    client.post(url("player_start", routine), {"tightness_before": 6})

    assert client.get(url("player_stopped", routine)).url == url("player_start", routine)


def test_a_stop_with_a_step_or_seconds_that_do_not_parse_still_stops(client, routine):
    client.post(url("player_start", routine), {"tightness_before": 6})

    response = client.post(url("player_stop", routine), {"number": "two", "seconds": "-4"})

    assert response.url == url("player_stopped", routine)
    client.post(url("player_stopped", routine), answers(client, routine))
    assert SessionLog.objects.get().stopped_early


@pytest.mark.parametrize("shares_alerts", [True, False], ids=["shares alerts", "does not share alerts"])
def test_a_red_flag_at_stop_emails_the_trainer_only_when_the_client_shares_alerts(
    client, mailoutbox, django_capture_on_commit_callbacks, shares_alerts
):
    link = TrainerClientFactory(share_red_flags=shares_alerts, trainer__email="robin@example.com")
    plan = assignment_create(link, exercises=[ExerciseFactory(), ExerciseFactory()])
    client.force_login(link.client)
    client.post(url("player_start", plan.routine), {"tightness_before": 5})
    client.post(url("player_stop", plan.routine), {"number": 1})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("player_stopped", plan.routine),
            answers(client, plan.routine, chest_symptoms="on", stop_reason="Hard to breathe"),
        )

    if not shares_alerts:
        assert mailoutbox == []
        return
    [email] = mailoutbox
    assert email.to == ["robin@example.com"]
    assert email.subject == f"[Unknot] {link.client} stopped a session and reported a red flag"
    for part in (email.body, email.alternatives[0][0]):
        assert "stopped a session because something felt wrong" in part
        assert "Red flags: Chest pain, or breathlessness that is sudden or severe" in part
        assert "Call emergency services now" in part
        assert "Hard to breathe" in part  # the client shares notes too (the factory's default)


def test_someone_elses_routine_cannot_be_stopped(client, routine):
    client.force_login(UserFactory())

    assert client.post(url("player_stop", routine)).status_code == 404
    assert client.get(url("player_stopped", routine)).status_code == 404
