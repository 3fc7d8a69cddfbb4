"""Red flags are one list (progress.models.RED_FLAGS): the same questions wherever they are asked,
the same words wherever they are shown, and the same rule for "needs attention"."""

import re

import pytest
from django.urls import reverse

from progress.models import (
    RED_FLAG_GUIDANCE,
    RED_FLAGS,
    SessionLog,
    guidance_for,
    red_flags_reported,
    safety_net,
)
from progress.selectors import local_today
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


def red_flag_questions(response) -> list[str]:
    """The labels of the checkboxes under "Did you notice any of these?", as shown."""
    body = response.content.decode()
    fieldset = re.search(r"<legend>Did you notice any of these\?</legend>(.*?)</fieldset>", body, re.S)
    assert fieldset is not None
    return re.findall(r"<label for=\"[^\"]+\">([^<]+)</label>", fieldset.group(1))


def test_the_log_form_and_the_players_last_step_ask_the_same_red_flag_questions(client):
    person = UserFactory()
    client.force_login(person)
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    client.post(reverse("progress:player_start", args=[routine.pk]), {"tightness_before": 5})

    after_the_player = red_flag_questions(client.get(reverse("progress:player_finish", args=[routine.pk])))
    in_the_log_form = red_flag_questions(client.get(reverse("progress:session_new")))

    assert after_the_player == in_the_log_form == list(RED_FLAGS.values())


@pytest.mark.parametrize(
    ("labels", "pain", "phrase"),
    [
        (["Numbness"], 2, "Numbness"),
        ([], 8, "Pain of 8 out of 10"),
        (["Numbness"], 7, "Numbness and pain of 7 out of 10"),
        (
            ["Numbness", "Tingling (pins and needles)", "Sharp or worsening pain"],
            None,
            "Numbness, tingling (pins and needles) and sharp or worsening pain",
        ),
        ([], 6, ""),
    ],
)
def test_what_was_reported_reads_as_one_phrase(labels, pain, phrase):
    assert red_flags_reported(labels, pain) == phrase


@pytest.mark.parametrize("flag", list(RED_FLAGS))
def test_each_red_flag_needs_attention_in_python_and_in_the_database(log_session, flag):
    person = UserFactory()
    calm = log_session(person, local_today(person), pain=6)
    flagged = log_session(person, local_today(person), pain=0, **{flag: True})

    assert (calm.needs_attention, flagged.needs_attention) == (False, True)
    assert list(SessionLog.objects.needing_attention()) == [flagged]
    assert flagged.red_flags == [RED_FLAGS[flag]]


def test_recording_a_session_refuses_anything_else_passed_as_a_red_flag(log_session):
    person = UserFactory()

    with pytest.raises(TypeError, match="routine_title"):
        log_session(person, local_today(person), routine_title="Sneaked in")
    assert not SessionLog.objects.exists()


def test_every_red_flag_has_its_guidance():
    assert RED_FLAG_GUIDANCE.keys() == RED_FLAGS.keys()


@pytest.mark.parametrize(
    ("fields", "pain", "headings"),
    [
        ([], 3, []),
        ([], 8, ["Rest today, and get advice before you do this routine again"]),
        (["chest_symptoms"], 0, ["Call emergency services now"]),
        (["bladder_bowel", "leg_weakness"], None, ["Get urgent care today"]),
        (["numbness", "tingling", "arm_pain"], 2, ["Stop for today, and see a GP or physiotherapist soon"]),
        (
            ["sharp_pain", "dizziness", "chest_symptoms"],
            7,
            [
                "Call emergency services now",
                "Sit or lie down until it passes",
                "Stop, and leave that exercise out",
                "Rest today, and get advice before you do this routine again",
            ],
        ),
    ],
    ids=["nothing", "high pain", "chest pain", "same-day care once", "nerve signs once", "most urgent first"],
)
def test_guidance_is_given_once_each_most_urgent_first(fields, pain, headings):
    assert [guidance.heading for guidance in guidance_for(fields, pain)] == headings


def test_the_safety_net_lists_the_flags_that_cannot_wait_and_were_not_reported():
    assert safety_net(["chest_symptoms", "numbness"]) == [
        ("bladder_bowel", "New changes in bladder or bowel control", "go to an emergency department today"),
        (
            "leg_weakness",
            "New leg weakness or loss of balance that does not pass",
            "go to an emergency department today",
        ),
    ]


def test_the_session_page_shows_the_guidance_for_the_flags_of_that_session(client, log_session):
    person = UserFactory()
    client.force_login(person)
    session = log_session(person, local_today(person), pain=2, leg_weakness=True, tingling=True)

    body = client.get(session.get_absolute_url()).content.decode()

    assert (
        "You reported new leg weakness or loss of balance that does not pass and tingling (pins and needles)."
        in body
    )
    assert body.index("<h3>Get urgent care today</h3>") < body.index(
        "<h3>Stop for today, and see a GP or physiotherapist soon</h3>"
    )
    assert (
        '<li data-flag="chest_symptoms">'
        "Chest pain, or breathlessness that is sudden or severe: call emergency services now.</li>" in body
    )
