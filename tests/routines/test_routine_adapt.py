"""routines.services.routine_adapt: an exercise unsuitable for the person is swapped for its first
suitable alternative, saying why; swaps follow the conditions both ways; a kept original is left
alone; nothing is ever dropped. Copies start from the originals for someone else."""

import pytest
from django.utils import timezone

from accounts.models import User
from routines.models import Routine, RoutineItem
from routines.services import routine_adapt, routine_copy, routine_item_keep_original
from routines.swaps import Swap
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    RoutineItemFactory,
    UserFactory,
    avoid,
    swap_exercises,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return swap_exercises()


@pytest.fixture
def routine(lib):
    """Cat-cow, child's pose (a longer hold and a note, as a starter sets it) and a breathing rest."""
    routine = RoutineFactory(exercises=[ExerciseFactory(name="Cat-cow"), lib.childs_pose, ExerciseFactory()])
    routine.items.filter(order=2).update(hold_seconds=60, reps=3, note="Cool-down; breathe slowly.")
    return routine


def item_at(routine: Routine, order: int) -> RoutineItem:
    return routine.items.select_related("exercise", "swapped_from").get(order=order)


def test_an_unsuitable_exercise_is_swapped_in_place_for_its_alternative_with_its_own_dose(lib, routine):
    swaps = routine_adapt(routine=routine, conditions={"osteoporosis"})

    assert swaps == [Swap(original=lib.childs_pose, alternative=lib.elbows, condition="osteoporosis")]
    assert str(swaps[0]) == "Child's pose → Lying on your elbows, because of low bone density"
    item = item_at(routine, 2)
    assert (item.exercise, item.swapped_from, item.swap_reason) == (
        lib.elbows,
        lib.childs_pose,
        "osteoporosis",
    )
    assert (item.hold_seconds, item.reps, item.sets, item.per_side) == (30, 2, 1, False)
    assert item.note == "Cool-down; breathe slowly."
    assert [i.exercise.name for i in routine.items.order_by("order")] == [
        "Cat-cow",
        "Lying on your elbows",
        item_at(routine, 3).exercise.name,
    ]


def test_an_alternative_unsuitable_for_another_of_the_persons_conditions_is_passed_over(lib):
    roller = ExerciseFactory(
        name="Foam roller", suitability={"osteoporosis": avoid(lib.elbows.slug, lib.seated.slug)}
    )
    routine = RoutineFactory(exercises=[roller])

    [swap] = routine_adapt(routine=routine, conditions={"osteoporosis", "pregnancy", "pregnancy_later"})

    assert (swap.original, swap.alternative) == (roller, lib.seated)


def test_unpublished_and_retired_alternatives_are_never_put_in(lib):
    hidden = ExerciseFactory(slug="hidden", is_published=False)
    retired = ExerciseFactory(slug="retired", retired_at=timezone.now())
    roller = ExerciseFactory(
        name="Foam roller", suitability={"osteoporosis": avoid(hidden.slug, retired.slug, lib.seated.slug)}
    )
    routine = RoutineFactory(exercises=[roller])

    [swap] = routine_adapt(routine=routine, conditions={"osteoporosis"})

    assert swap.alternative == lib.seated


def test_with_no_suitable_alternative_the_exercise_stays_where_it_is(lib, routine):
    # Lying on your elbows does not suit a pregnancy; child's pose has no other alternative.
    swaps = routine_adapt(routine=routine, conditions={"osteoporosis", "pregnancy"})

    assert swaps == []
    item = item_at(routine, 2)
    assert (item.exercise, item.swapped_from, item.swap_reason) == (lib.childs_pose, None, "")
    assert routine.items.count() == 3


def test_adapting_moves_updated_at_and_rebuilds_the_owners_dashboard(routine):
    updated_at, version = routine.updated_at, routine.owner.dashboard_version

    routine_adapt(routine=routine, conditions={"osteoporosis"})

    routine.refresh_from_db()
    assert routine.updated_at > updated_at
    assert User.objects.get(pk=routine.owner_id).dashboard_version > version


def test_adapting_again_to_the_same_conditions_writes_nothing(routine):
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    routine.refresh_from_db()
    updated_at = routine.updated_at

    assert routine_adapt(routine=routine, conditions={"osteoporosis"}) == []
    routine.refresh_from_db()
    assert routine.updated_at == updated_at


def test_a_swap_whose_reason_has_gone_is_undone_with_the_originals_own_dose(lib, routine):
    routine_adapt(routine=routine, conditions={"osteoporosis"})

    assert routine_adapt(routine=routine, conditions=set()) == []

    item = item_at(routine, 2)
    assert (item.exercise, item.swapped_from, item.swap_reason) == (lib.childs_pose, None, "")
    assert (item.hold_seconds, item.reps) == (45, 1)  # the library's dose: the starter's 60 s is not kept
    assert item.note == "Cool-down; breathe slowly."


def test_a_swap_still_needed_for_another_condition_stays_and_gives_that_reason(lib, routine):
    routine_adapt(routine=routine, conditions={"osteoporosis", "area_hip_knee"})
    assert item_at(routine, 2).swap_reason == "osteoporosis"

    routine_adapt(routine=routine, conditions={"area_hip_knee"})

    item = item_at(routine, 2)
    assert (item.exercise, item.swapped_from, item.swap_reason) == (
        lib.elbows,
        lib.childs_pose,
        "area_hip_knee",
    )


def test_a_kept_original_is_left_alone_while_the_reason_the_person_read_is_the_only_one(lib, routine):
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    assert routine_item_keep_original(item=item_at(routine, 2))

    assert routine_adapt(routine=routine, conditions={"osteoporosis", "hypermobility"}) == []

    item = item_at(routine, 2)
    assert (item.exercise, item.swapped_from, item.swap_reason) == (lib.childs_pose, None, "osteoporosis")
    assert item.kept_original_at is not None


def test_a_kept_original_is_swapped_again_for_a_reason_the_person_has_not_read(lib, routine):
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    routine_item_keep_original(item=item_at(routine, 2))

    [swap] = routine_adapt(routine=routine, conditions={"osteoporosis", "area_hip_knee"})

    assert (swap.alternative, swap.condition) == (lib.elbows, "area_hip_knee")
    assert item_at(routine, 2).kept_original_at is None


def test_a_kept_original_with_no_reason_left_is_simply_the_persons_exercise_again(lib, routine):
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    routine_item_keep_original(item=item_at(routine, 2))

    routine_adapt(routine=routine, conditions=set())

    item = item_at(routine, 2)
    assert (item.exercise, item.swap_reason, item.kept_original_at) == (lib.childs_pose, "", None)


def test_a_copy_for_someone_else_starts_from_the_originals_and_is_adapted_for_them(lib):
    trainer = UserFactory(tier2_answers=["osteoporosis"])
    trainers_routine = RoutineFactory(owner=trainer, exercises=[lib.childs_pose])
    routine_adapt(routine=trainers_routine, conditions={"osteoporosis"})  # swapped for the trainer

    for_client = routine_copy(routine=trainers_routine, to_user=UserFactory())
    for_sore_knees = routine_copy(routine=trainers_routine, to_user=UserFactory(pain_areas=["hip_knee"]))

    item = item_at(for_client, 1)
    assert (item.exercise, item.swapped_from, item.hold_seconds) == (lib.childs_pose, None, 45)
    assert (item_at(for_sore_knees, 1).exercise, item_at(for_sore_knees, 1).swap_reason) == (
        lib.elbows,
        "area_hip_knee",
    )


def test_a_duplicate_of_ones_own_routine_keeps_its_swaps_and_kept_originals(lib):
    person = UserFactory(tier2_answers=["osteoporosis"])
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose, lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    routine_item_keep_original(item=item_at(routine, 2))

    duplicate = routine_copy(routine=routine, to_user=person)

    swapped, kept = item_at(duplicate, 1), item_at(duplicate, 2)
    assert (swapped.exercise, swapped.swapped_from) == (lib.elbows, lib.childs_pose)
    assert (kept.exercise, kept.swap_reason) == (lib.childs_pose, "osteoporosis")
    assert kept.kept_original_at == item_at(routine, 2).kept_original_at


def test_a_database_constraint_refuses_a_swap_without_a_reason(lib):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        RoutineItemFactory(exercise=lib.elbows, swapped_from=lib.childs_pose, swap_reason="")
