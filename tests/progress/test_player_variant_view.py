"""Easier / Harder in the player: the step's item becomes the next suitable variant, in place."""

import pytest
from django.urls import reverse

from progress.models import ExerciseLog
from tests.factories import ExerciseFactory, RoutineFactory, avoid, exercise_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    return exercise_family("rows", "Band row", "Band pull-apart", "Supported row")


@pytest.fixture
def routine(person, family):
    return RoutineFactory(owner=person, exercises=[ExerciseFactory(name="Chin tuck"), family[1]])


def url(name, routine, *args):
    return reverse(f"progress:{name}", args=[routine.pk, *args])


def start(client, routine):
    client.post(url("player_start", routine), {"tightness_before": 5})


def test_the_step_offers_the_easier_and_harder_variants_by_name(client, routine):
    start(client, routine)

    body = client.get(url("player_step", routine, 2)).content.decode()

    assert "Easier: Band row" in body
    assert "Harder: Supported row" in body
    assert f'action="{url("player_step_variant", routine, 2)}"' in body


def test_a_step_without_a_family_offers_neither(client, routine):
    start(client, routine)

    body = client.get(url("player_step", routine, 1)).content.decode()

    assert "Easier:" not in body
    assert "Harder:" not in body


def test_harder_shows_the_variant_at_the_same_step_with_its_own_dose(client, routine, family):
    start(client, routine)
    item = routine.items.get(order=2)

    response = client.post(url("player_step_variant", routine, 2), {"direction": "harder"}, follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == url("player_step", routine, 2)
    assert "<h1>Supported row</h1>" in body
    assert "Supported row in place of Band pull-apart, starting at its own dose." in body
    assert f"× {family[2].reps} reps" in body
    item.refresh_from_db()
    assert item.exercise == family[2]


def test_the_session_logs_the_variant_that_was_done(client, routine, family):
    start(client, routine)
    client.post(url("player_step_variant", routine, 2), {"direction": "easier"})
    client.post(url("player_step", routine, 1), {"action": "done"})
    client.post(url("player_step", routine, 2), {"action": "done"})
    token = client.get(url("player_finish", routine)).context["form"].initial["token"]

    client.post(url("player_finish", routine), {"token": token, "tightness_after": 3, "pain": 0, "notes": ""})

    assert list(ExerciseLog.objects.order_by("pk").values_list("exercise__name", flat=True)) == [
        "Chin tuck",
        "Band row",
    ]


def test_the_player_never_offers_or_steps_into_a_variant_that_does_not_suit(client, person, routine, family):
    family[2].suitability = {"osteoporosis": avoid(family[1].slug, why="It loads a bent spine.")}
    family[2].save()
    person.tier2_answers = ["osteoporosis"]
    person.save()
    start(client, routine)

    assert "Harder:" not in client.get(url("player_step", routine, 2)).content.decode()
    response = client.post(url("player_step_variant", routine, 2), {"direction": "harder"}, follow=True)

    assert "<h1>Band pull-apart</h1>" in response.content.decode()
    assert "Nothing harder than Band pull-apart in its family suits your answers" in response.content.decode()


def test_without_a_run_it_goes_back_to_the_start(client, routine, family):
    response = client.post(url("player_step_variant", routine, 2), {"direction": "harder"})

    assert response.url == url("player_start", routine)
    assert routine.items.get(order=2).exercise == family[1]


def test_a_stopped_run_cannot_change_its_exercises(client, routine, family):
    start(client, routine)
    client.post(url("player_stop", routine), {"number": 2})

    response = client.post(url("player_step_variant", routine, 2), {"direction": "harder"})

    assert response.url == url("player_stopped", routine)
    assert routine.items.get(order=2).exercise == family[1]


def test_a_step_past_the_end_of_the_run_is_not_found(client, routine):
    start(client, routine)

    assert client.post(url("player_step_variant", routine, 3), {"direction": "harder"}).status_code == 404


@pytest.mark.parametrize("junk", [{}, {"direction": "sideways"}, {"direction": "-1"}])
def test_an_unknown_direction_changes_nothing_and_says_so(client, routine, family, junk):
    start(client, routine)

    response = client.post(url("player_step_variant", routine, 2), junk, follow=True)

    assert response.redirect_chain[-1][0] == url("player_step", routine, 2)
    assert "Nothing changed: use the Easier or Harder buttons." in response.content.decode()
    assert routine.items.get(order=2).exercise == family[1]
