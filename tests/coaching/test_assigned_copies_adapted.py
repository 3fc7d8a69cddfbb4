"""coaching.services.routine_assign and assignment_copy_update: the client's copy is adapted for
the CLIENT's conditions (through routines.services), never the trainer's."""

import pytest
from django.urls import reverse

from accounts.screening import Tier2
from coaching.models import Assignment
from coaching.services import assignment_copy_update
from progress.selectors import local_today
from routines.services import routine_adapt, routine_item_add, routine_item_keep_original
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
    swap_exercises,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return swap_exercises()


def exercises_of(routine) -> list[str]:
    return [item.exercise.name for item in routine.items.order_by("order")]


def test_assigning_adapts_the_clients_copy_for_the_clients_conditions(client, lib):
    trainer = TrainerFactory()
    link = TrainerClientFactory(trainer=trainer, client=UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS]))
    routine = RoutineFactory(owner=trainer, exercises=[ExerciseFactory(name="Cat-cow"), lib.childs_pose])
    client.force_login(trainer)
    today = local_today(trainer)

    client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        {"clients": [link.pk], "weekdays": [today.weekday()], "starts_on": today.isoformat(), "ends_on": ""},
    )

    copy = Assignment.objects.get(link=link).routine
    assert exercises_of(copy) == ["Cat-cow", "Lying on your elbows"]
    assert copy.items.get(order=2).swap_reason == "osteoporosis"
    assert exercises_of(routine) == ["Cat-cow", "Child's pose"]  # the trainer's own is untouched


def test_the_trainers_own_swaps_do_not_reach_a_client_they_do_not_suit(lib):
    trainer = TrainerFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    link = TrainerClientFactory(trainer=trainer)  # the client has none of these conditions
    assignment = assignment_create(link, exercises=[lib.childs_pose])
    routine_adapt(routine=assignment.source_routine, conditions={"osteoporosis"})
    assert exercises_of(assignment.source_routine) == ["Lying on your elbows"]

    second = assignment_create(link, exercises=[lib.childs_pose], title="Evening")
    routine_adapt(routine=second.source_routine, conditions={"osteoporosis"})
    assignment_copy_update(assignment=second)

    assert exercises_of(assignment.routine) == ["Child's pose"]
    assert exercises_of(second.routine) == ["Child's pose"]


def test_updating_the_copy_adapts_it_again_and_keeps_what_the_client_chose_to_keep(lib):
    link = TrainerClientFactory(client=UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS]))
    assignment = assignment_create(link, exercises=[lib.childs_pose, lib.childs_pose])
    copy = assignment.routine
    routine_item_keep_original(item=copy.items.get(order=1))
    routine_item_add(routine=assignment.source_routine, exercise=lib.childs_pose)

    assignment_copy_update(assignment=assignment)

    items = list(copy.items.order_by("order"))
    assert [(item.exercise.name, item.is_kept_original) for item in items] == [
        ("Child's pose", True),  # kept once, so kept once
        ("Lying on your elbows", False),
        ("Lying on your elbows", False),
    ]
