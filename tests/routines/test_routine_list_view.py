"""GET /routines/: the person's routines and the starters, each card saying how many exercises
were (or, for a starter, would be) adapted for them, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.screening import Tier2
from routines.models import Routine
from routines.services import routine_adapt, routine_copy
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    StarterRoutineFactory,
    UserFactory,
    swap_exercises,
)

pytestmark = pytest.mark.django_db

LIST = reverse("routines:routine_list")


@pytest.fixture
def lib():
    return swap_exercises()


@pytest.fixture
def person(client):
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    client.force_login(person)
    return person


def card(body: str, title: str) -> str:
    return body.split(f">{title}</a>")[1].split("</li>")[0]


def test_a_starter_card_says_how_many_exercises_would_be_adapted_for_me(client, person, lib):
    StarterRoutineFactory(title="Wind-down", exercises=[lib.childs_pose, lib.childs_pose, ExerciseFactory()])
    StarterRoutineFactory(title="Desk break", exercises=[ExerciseFactory()])

    body = client.get(LIST).content.decode()

    assert "2 exercises adapted for you" in card(body, "Wind-down")
    assert "adapted for you" not in card(body, "Desk break")


def test_my_routine_card_counts_the_swapped_items(client, person, lib):
    starter = StarterRoutineFactory(exercises=[lib.childs_pose, ExerciseFactory()])
    copy = routine_copy(routine=starter, to_user=person)
    Routine.objects.filter(pk=copy.pk).update(title="My wind-down")

    body = client.get(LIST).content.decode()

    assert "1 exercise adapted for you" in card(body, "My wind-down")


def test_without_conditions_nothing_is_said_to_be_adapted(client, lib):
    client.force_login(UserFactory())
    StarterRoutineFactory(title="Wind-down", exercises=[lib.childs_pose])

    assert "adapted for you" not in client.get(LIST).content.decode()


def test_counting_writes_nothing(client, person, lib):
    starter = StarterRoutineFactory(exercises=[lib.childs_pose])
    mine = RoutineFactory(owner=person, exercises=[lib.childs_pose])  # added in the builder: not adapted

    client.get(LIST)

    assert not Routine.objects.filter(owner=person).exclude(pk=mine.pk).exists()
    assert mine.items.get().exercise == lib.childs_pose
    assert starter.items.get().exercise == lib.childs_pose


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_with_one_and_with_several_adapted_routines(client, person, lib):
    def adapted_routine():
        routine = RoutineFactory(owner=person, exercises=[lib.childs_pose, ExerciseFactory()])
        routine_adapt(routine=routine, conditions={"osteoporosis"})

    StarterRoutineFactory(exercises=[lib.childs_pose])
    adapted_routine()
    with_one = count_queries(client)
    for _ in range(4):
        StarterRoutineFactory(exercises=[lib.childs_pose, lib.childs_pose, ExerciseFactory()])
        adapted_routine()

    assert count_queries(client) == with_one
