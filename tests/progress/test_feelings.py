"""“How did that feel?” per exercise, on the player's log form and the manual log."""

import pytest
from django.urls import reverse

from progress.forms import default_times
from progress.models import ExerciseLog
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(person):
    return RoutineFactory(
        owner=person,
        title="Desk break",
        exercises=[
            ExerciseFactory(name="Chin tuck", hold_seconds=5, reps=8, sets=1),
            ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=2, sets=1),
        ],
    )


def play_to_the_end(client, routine, skip_second=False):
    client.post(reverse("progress:player_start", args=[routine.pk]), {"tightness_before": 5})
    client.post(reverse("progress:player_step", args=[routine.pk, 1]), {"action": "done"})
    action = "skip" if skip_second else "done"
    client.post(reverse("progress:player_step", args=[routine.pk, 2]), {"action": action})
    return client.get(reverse("progress:player_finish", args=[routine.pk]))


def test_the_log_form_asks_how_each_exercise_done_felt(client, routine):
    page = play_to_the_end(client, routine, skip_second=True).content.decode()

    assert "How did that feel?" in page
    first = routine.items.get(order=1)
    assert f'name="feeling_{first.pk}" value="too_easy"' in page
    assert "Doorway stretch</legend>" not in page  # skipped: nothing to rate


def test_the_answers_are_stored_on_each_exercise_log(client, routine):
    response = play_to_the_end(client, routine)
    token = response.context["form"].initial["token"]
    first, _second = routine.items.order_by("order")

    client.post(
        reverse("progress:player_finish", args=[routine.pk]),
        {"token": token, "tightness_after": 3, "pain": 0, f"feeling_{first.pk}": "too_hard"},
    )

    logs = ExerciseLog.objects.order_by("order")
    assert [log.feeling for log in logs] == ["too_hard", ""]  # the second was not answered: optional


def test_a_made_up_answer_is_refused_and_everything_typed_is_kept(client, routine):
    response = play_to_the_end(client, routine)
    token = response.context["form"].initial["token"]
    first = routine.items.get(order=1)

    response = client.post(
        reverse("progress:player_finish", args=[routine.pk]),
        {"token": token, "tightness_after": 3, "pain": 2, "notes": "Felt fine", f"feeling_{first.pk}": "meh"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Pick too easy, just right or too hard, or leave it." in page
    assert "Felt fine" in page
    assert not ExerciseLog.objects.exists()


def test_the_manual_log_asks_for_the_routine_in_the_address(client, person, routine):
    page = client.get(reverse("progress:session_new") + f"?routine={routine.pk}").content.decode()

    assert "How did that feel?" in page
    assert "Chin tuck</legend>" in page


def test_the_manual_log_stores_the_answers(client, person, routine):
    _first, second = routine.items.order_by("order")

    client.post(
        reverse("progress:session_new"),
        {
            "date": "",
            "start_time": "",
            "end_time": "",
            "routine": routine.pk,
            f"feeling_{second.pk}": "just_right",
        },
    )
    assert not ExerciseLog.objects.exists()  # the times are missing: nothing saved yet

    times = default_times(person)
    response = client.post(
        reverse("progress:session_new"),
        {
            "date": times["date"].isoformat(),
            "start_time": times["start_time"].strftime("%H:%M"),
            "end_time": times["end_time"].strftime("%H:%M"),
            "routine": routine.pk,
            f"feeling_{second.pk}": "just_right",
        },
    )

    assert response.status_code == 302
    assert [log.feeling for log in ExerciseLog.objects.order_by("order")] == ["", "just_right"]


def test_another_persons_routine_in_the_address_asks_nothing(client, person):
    stranger_routine = RoutineFactory(owner=UserFactory(), exercises=[ExerciseFactory(name="Secret")])

    page = client.get(reverse("progress:session_new") + f"?routine={stranger_routine.pk}").content.decode()

    assert "How did that feel?" not in page
