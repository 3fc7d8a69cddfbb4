"""The offline player's server side: a routine's data for the device, and the log sent back when
the network returns, saved once by its run token, with the trainer's alert for a red flag."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from progress.models import HIGH_PAIN, PAIN_ALERT_LEVEL, RED_FLAG_GUIDANCE, RED_FLAGS, SessionLog
from routines.models import Exercise
from routines.services import routine_adapt
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
    swap_exercises,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(person):
    return RoutineFactory(
        owner=person,
        title="Desk break",
        exercises=[
            ExerciseFactory(
                name="Chin tuck", hold_seconds=5, reps=8, sets=1, safety_notes="Stop if it pinches."
            ),
            ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=2, sets=1),
        ],
    )


def pack_url(routine):
    return reverse("progress:player_offline_pack", args=[routine.pk])


def save_url(routine):
    return reverse("progress:player_offline_save", args=[routine.pk])


def offline_log(routine, *, token=None, stopped=False, answers=None, **overrides):
    """A log as static/js/offline-player.js sends it: both exercises done, 40 s and 60 s held."""
    first, second = routine.items.order_by("order")
    finished = timezone.now() - timedelta(hours=2)
    body = {
        "token": str(token or uuid.uuid4()),
        "started_at": (finished - timedelta(minutes=4)).isoformat(),
        "finished_at": finished.isoformat(),
        "stopped": stopped,
        "tightness_before": 6,
        "item_ids": [first.pk, second.pk],
        "results": {
            str(first.pk): {"seconds": 40, "skipped": False},
            str(second.pk): {"seconds": 60, "skipped": False},
        },
        "answers": answers
        if answers is not None
        else {"tightness_after": 3, "pain": 1, "notes": "Easier today"},
    }
    return body | overrides


def post(client, routine, body):
    return client.post(save_url(routine), json.dumps(body), content_type="application/json")


def test_the_pack_holds_the_routine_as_the_player_shows_it(client, routine):
    response = client.get(pack_url(routine))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pack = response.json()
    assert pack["routine"]["title"] == "Desk break"
    assert pack["routine"]["save_url"] == save_url(routine)
    assert [item["name"] for item in pack["items"]] == ["Chin tuck", "Doorway stretch"]
    chin_tuck = pack["items"][0]
    assert chin_tuck["dose"] == "5 s × 8 reps"
    assert "<li>Stop if it pinches.</li>" in chin_tuck["safety_html"]
    assert chin_tuck["timeline"][0] == {"kind": "ready", "seconds": 5, "label": "Get into position"}
    assert [flag["label"] for flag in pack["red_flags"]] == list(RED_FLAGS.values())
    # The stop page's own words before its questions: the emergency advice first.
    assert pack["stopped_advice_html"].startswith('<aside class="callout alert" role="note"')
    assert (
        "Chest pain, or sudden or severe breathlessness? Call emergency services now"
        in pack["stopped_advice_html"]
    )
    assert "You stopped early" in pack["stopped_early_html"]


def test_the_pack_carries_the_session_pages_advice_with_every_part_for_the_device_to_choose(client, routine):
    pack = client.get(pack_url(routine)).json()

    stopped, finished = pack["seek_help_html"]["stopped"], pack["seek_help_html"]["finished"]
    # The session page's own partial (progress/_stop_and_seek_help.html), not a copy in the script.
    assert '<h2 id="seek-help-heading">Stop stretching for now and get advice</h2>' in stopped
    assert "You reported <span data-reported></span>, and stopped the session." in stopped
    assert "You reported <span data-reported></span>.\n" in finished
    # Every guidance, most urgent first, marked with the rank each answer leads to.
    guidance = sorted({*RED_FLAG_GUIDANCE.values(), HIGH_PAIN}, key=lambda g: g.rank)
    assert re.findall(r'<li data-guidance="(\d+)"><h3>(.+?)</h3>', stopped) == [
        (str(g.rank), escape(g.heading)) for g in guidance
    ]
    ranks = {flag["guidance"] for flag in pack["red_flags"]} | {pack["high_pain"]["guidance"]}
    assert ranks == {g.rank for g in guidance}
    # The whole safety net, each flag marked, to be taken out when it was reported.
    net = ["chest_symptoms", "bladder_bowel", "leg_weakness"]
    assert re.findall(r'<li data-flag="(\w+)">', stopped) == net
    assert f'Read more in <a href="{reverse("routines:before_you_start")}">Before you start</a>.' in finished
    assert pack["high_pain"]["level"] == PAIN_ALERT_LEVEL
    assert pack["high_pain"]["reported"] == {str(pain): f"Pain of {pain} out of 10" for pain in range(7, 11)}


def test_a_partner_stretch_keeps_its_talk_throughout_cue_and_pressure_scale_offline(client, person):
    partner = RoutineFactory(
        owner=person,
        exercises=[ExerciseFactory(name="Assisted thoracic rotation", kind=Exercise.Kind.PARTNER)],
    )

    item = client.get(pack_url(partner)).json()["items"][0]

    # The step page's own partial (progress/_step_body.html), not a copy in the script that drifted.
    assert "Talk throughout:" in item["body_html"]
    assert "Pressure: ease off at 4–5" in item["body_html"]
    assert "Who does what" in item["body_html"]


def test_the_pack_carries_the_swaps_made_for_the_person(client, person):
    lib = swap_exercises()
    person.tier2_answers = ["osteoporosis"]
    person.save()
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    item = routine.items.get()

    pack = client.get(pack_url(routine)).json()

    assert pack["items"][0]["name"] == item.exercise.name != lib.childs_pose.name
    assert f"in place of {escape(lib.childs_pose.name)}" in pack["items"][0]["notes_html"]


def test_the_pack_is_behind_the_safety_screening(client, routine, person):
    person.screened_at = None
    person.save()

    response = client.get(pack_url(routine))

    assert response.status_code == 302
    assert not response["Content-Type"].startswith("application/json")


def test_a_log_played_offline_is_saved_as_a_session_of_the_player(client, routine, person):
    body = offline_log(routine)

    response = post(client, routine, body)

    assert response.status_code == 201
    session = SessionLog.objects.get()
    assert response.json() == {"session_url": session.get_absolute_url(), "created": True}
    assert (session.user, session.routine, session.client_token) == (
        person,
        routine,
        uuid.UUID(body["token"]),
    )
    assert (session.tightness_before, session.tightness_after, session.pain) == (6, 3, 1)
    assert session.notes == "Easier today"
    assert session.finished_at.isoformat() == timezone.datetime.fromisoformat(body["finished_at"]).isoformat()
    # Never more than the planned dose: 5 s × 8 = 40 s, 30 s × 2 = 60 s.
    assert list(session.exercise_logs.order_by("order").values_list("seconds", "skipped")) == [
        (40, False),
        (60, False),
    ]


def test_sending_the_same_log_again_records_one_session(client, routine):
    body = offline_log(routine)

    first, again = post(client, routine, body), post(client, routine, body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert first.json()["session_url"] == again.json()["session_url"]
    assert SessionLog.objects.count() == 1


def test_seconds_beyond_the_dose_are_not_logged(client, routine):
    body = offline_log(routine)
    first = routine.items.order_by("order").first()
    body["results"][str(first.pk)]["seconds"] = 4000

    post(client, routine, body)

    assert SessionLog.objects.get().exercise_logs.order_by("order").first().seconds == 40


def test_a_stopped_run_with_a_red_flag_alerts_the_trainer_once_it_syncs(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    link = TrainerClientFactory(share_red_flags=True, trainer__email="coach@example.com")
    client.force_login(link.client)
    routine = assignment_create(link, exercises=[ExerciseFactory(), ExerciseFactory()]).routine
    first = routine.items.order_by("order").first()
    body = offline_log(
        routine,
        stopped=True,
        answers={"dizziness": True, "pain": None, "stop_reason": "Light-headed"},
        results={str(first.pk): {"seconds": 12, "skipped": True}},
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, routine, body).status_code == 201
        assert post(client, routine, body).status_code == 200

    session = SessionLog.objects.get()
    assert (session.stopped_early, session.dizziness, session.stop_reason) == (True, True, "Light-headed")
    assert session.finished_at == session.started_at + timedelta(minutes=4)
    assert list(session.exercise_logs.order_by("order").values_list("seconds", "skipped")) == [
        (12, True),
        (0, True),
    ]
    [alert] = mailoutbox
    assert alert.to == ["coach@example.com"]
    assert "Dizziness or feeling faint" in alert.body


def test_a_log_missing_its_answers_is_refused_with_the_forms_words(client, routine):
    response = post(client, routine, offline_log(routine, answers={"tightness_after": 3}))

    assert response.status_code == 422
    assert response.json()["errors"]["pain"] == ["Pick a number from 0 to 10."]
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"finished_at": (timezone.now() + timedelta(days=1)).isoformat()}, "finished_at"),
        ({"started_at": (timezone.now() - timedelta(days=40)).isoformat()}, "started_at"),
        ({"token": "not-a-token"}, "token"),
        ({"item_ids": ["one"]}, "item_ids"),
        ({"item_ids": [2**63]}, "item_ids"),  # past any id the database holds
        ({"item_ids": [True]}, "item_ids"),
        ({"results": {"x": {"seconds": -1}}}, "results"),
        ({"results": {"9" * 5000: {"seconds": 30}}}, "results"),  # more digits than int() reads
        ({"tightness_before": 11}, "tightness_before"),
    ],
)
def test_a_log_that_does_not_add_up_is_refused(client, routine, change, field):
    response = post(client, routine, offline_log(routine) | change)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[]", '{"token": "x"}'])
def test_an_unreadable_log_is_a_bad_request(client, routine, body):
    response = client.post(save_url(routine), body, content_type="application/json")

    assert response.status_code == 400
    assert not SessionLog.objects.exists()


def test_exercises_of_another_routine_are_left_out(client, routine, person):
    other = RoutineFactory(owner=UserFactory(), exercises=[ExerciseFactory()])
    body = offline_log(routine)
    stranger_item = other.items.get()
    body["item_ids"].append(stranger_item.pk)
    body["results"][str(stranger_item.pk)] = {"seconds": 10, "skipped": False}

    post(client, routine, body)

    assert SessionLog.objects.get().exercise_logs.count() == 2


def test_saving_needs_the_csrf_token(routine, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post(
        save_url(routine), json.dumps(offline_log(routine)), content_type="application/json"
    )

    assert response.status_code == 403
    assert not SessionLog.objects.exists()


def test_someone_elses_routine_is_not_found(client, routine):
    client.force_login(UserFactory())

    assert client.get(pack_url(routine)).status_code == 404
    assert post(client, routine, offline_log(routine)).status_code == 404
    assert not SessionLog.objects.exists()


def test_the_offline_player_page_holds_nothing_of_anyones(client, person):
    response = client.get(reverse("progress:player_offline"))

    assert response.status_code == 200
    assert person.email not in response.content.decode()
    assert person.display_name not in response.content.decode()
    assert b'id="offline-player"' in response.content
