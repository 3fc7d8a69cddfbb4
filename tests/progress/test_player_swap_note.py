"""The player's step page says, in one line, when an exercise is there in place of another, and why.
An exercise that stopped suiting the person since is swapped when their answers change, so a run
started before the change shows the alternative at the same step."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.screening import Tier2
from accounts.services import screening_save
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory, swap_exercises

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return swap_exercises()


def step(client, routine, number):
    return client.get(reverse("progress:player_step", args=[routine.pk, number]))


def start(client, routine):
    client.post(reverse("progress:player_start", args=[routine.pk]), {"tightness_before": 5})


def test_a_swapped_exercise_says_what_it_replaces_and_why(client, lib):
    person = UserFactory()
    client.force_login(person)
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(name="Cat-cow"), lib.childs_pose])
    start(client, routine)
    assertContains(step(client, routine, 2), "<h1>Child&#x27;s pose</h1>", html=True)

    screening_save(
        user=person,
        warning_signs=[],
        tier2_answers=[Tier2.OSTEOPOROSIS],
        pregnancy_week=None,
        surgery_areas=[],
        pain_areas=[],
    )
    response = step(client, routine, 2)

    assertContains(response, "<h1>Lying on your elbows</h1>", html=True)
    assertContains(
        response,
        '<p class="swap-note">Lying on your elbows, in place of Child&#x27;s pose, '
        "because of low bone density.</p>",
        html=True,
    )
    assertNotContains(step(client, routine, 1), "in place of")
