"""Red flags are one list (progress.models.RED_FLAGS): the same questions wherever they are asked,
the same words wherever they are shown, and the same rule for "needs attention"."""

import re

import pytest
from django.urls import reverse

from progress.models import RED_FLAGS, SessionLog, red_flags_reported
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
