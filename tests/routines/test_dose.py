"""The planned dose of an exercise: one definition for the player, manual logs and the estimate."""

import pytest

from routines.models import Dose
from tests.factories import ExerciseFactory, RoutineItemFactory

pytestmark = pytest.mark.django_db


def test_the_dose_counts_every_rep_of_every_set_on_each_side_and_reps_per_side():
    dose = Dose.planned(hold_seconds=30, reps=3, sets=2, per_side=True)

    assert dose == Dose(seconds=2 * 3 * 2 * 30, reps=2 * 3)


def test_an_exercise_and_a_routine_item_with_the_same_numbers_plan_the_same_dose():
    exercise = ExerciseFactory(hold_seconds=25, reps=4, sets=3, per_side=True)
    item = RoutineItemFactory(exercise=exercise)

    assert exercise.dose == item.dose == Dose(seconds=3 * 4 * 2 * 25, reps=12)


def test_a_routine_item_plans_its_own_overrides_not_the_exercise_defaults():
    item = RoutineItemFactory(
        exercise=ExerciseFactory(hold_seconds=20, reps=2, sets=1), hold_seconds=40, reps=1, sets=2
    )

    assert item.dose == Dose(seconds=2 * 40, reps=2)


@pytest.mark.parametrize(
    ("hold_seconds", "reps", "sets", "per_side"),
    [(30, 1, 1, False), (30, 2, 1, True), (5, 10, 2, False), (15, 3, 3, True), (120, 30, 30, True)],
)
def test_the_holds_the_player_counts_down_add_up_to_the_dose(hold_seconds, reps, sets, per_side):
    item = RoutineItemFactory(hold_seconds=hold_seconds, reps=reps, sets=sets, per_side=per_side)

    holds = [phase.seconds for phase in item.timeline() if phase.kind == "hold"]
    rests = [phase.seconds for phase in item.timeline() if phase.kind == "rest"]

    assert sum(holds) == item.dose.seconds
    assert item.estimated_seconds == item.dose.seconds + sum(rests)
