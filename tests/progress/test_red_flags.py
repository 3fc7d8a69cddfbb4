"""Red flags are one list (progress.models.RED_FLAGS): the same questions wherever they are asked,
the same words wherever they are shown, and the same rule for "needs attention"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import RED_FLAGS, SessionLog, red_flags_reported
from progress.selectors import local_today
from progress.services import session_log_record
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(time_zone="Europe/London")
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save()
    client.force_login(user)
    return user


def red_flag_questions(response) -> list[str]:
    """The labels of the checkboxes under "Did you notice any of these?", as shown."""
    body = response.content.decode()
    fieldset = re.search(r"<legend>Did you notice any of these\?</legend>(.*?)</fieldset>", body, re.S)
    assert fieldset is not None
    return re.findall(r"<label for=\"[^\"]+\">([^<]+)</label>", fieldset.group(1))


def test_the_log_form_and_the_players_last_step_ask_the_same_red_flag_questions(client, person):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    client.post(reverse("progress:player_start", args=[routine.pk]), {"tightness_before": 5})

    after_the_player = red_flag_questions(client.get(reverse("progress:player_finish", args=[routine.pk])))
    in_the_log_form = red_flag_questions(client.get(reverse("progress:session_new")))

    assert after_the_player == in_the_log_form == list(RED_FLAGS.values())


def test_editing_a_session_shows_the_red_flags_it_was_logged_with(client, person, log_session):
    session = log_session(person, local_today(person), weakness=True)

    body = client.get(reverse("progress:session_edit", args=[session.pk])).content.decode()

    assert re.search(r'<input type="checkbox" name="weakness"[^>]* checked>', body)
    assert not re.search(r'<input type="checkbox" name="numbness"[^>]* checked>', body)


def test_a_red_flag_ticked_in_the_log_form_is_saved_and_named_in_the_guidance(client, person):
    yesterday = local_today(person) - timedelta(days=1)
    data = {"date": yesterday, "start_time": "18:00", "end_time": "18:20", "pain": "8", "tingling": "on"}

    response = client.post(reverse("progress:session_new"), data, follow=True)

    session = SessionLog.objects.get()
    assert (session.tingling, session.numbness, session.weakness, session.sharp_pain) == (
        True,
        False,
        False,
        False,
    )
    assert "You reported tingling (pins and needles) and pain of 8 out of 10." in response.content.decode()


def test_the_trainer_reads_the_words_the_client_ticked(client, log_session):
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])
    session = log_session(link.client, local_today(link.client), routine=plan.routine, weakness=True)
    client.force_login(link.trainer)

    client_page = client.get(reverse("coaching:client_detail", args=[link.pk]))
    session_page = client.get(reverse("coaching:client_session", args=[link.pk, session.pk]))

    for page in (client_page, session_page):
        assert "⚠ Needs attention:</strong> Weakness in an arm or hand</p>" in page.content.decode()


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
def test_each_red_flag_needs_attention_in_python_and_in_the_database(person, log_session, flag):
    calm = log_session(person, local_today(person), pain=6)
    flagged = log_session(person, local_today(person), pain=0, **{flag: True})

    assert (calm.needs_attention, flagged.needs_attention) == (False, True)
    assert list(SessionLog.objects.needing_attention()) == [flagged]
    assert flagged.red_flags == [RED_FLAGS[flag]]


def test_recording_a_session_refuses_a_symptom_that_is_not_a_red_flag(person):
    now = timezone.now()
    with pytest.raises(TypeError, match="routine_title"):
        session_log_record(
            user=person,
            routine=None,
            client_token=None,
            started_at=now,
            finished_at=now,
            tightness_before=None,
            tightness_after=None,
            pain=None,
            exercises=[],
            routine_title="Sneaked in",
        )
    assert not SessionLog.objects.exists()
