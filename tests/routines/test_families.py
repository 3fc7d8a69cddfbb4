"""routines/families.py: the members of a family and stepping between its variants."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routines.families import family_members, suitable_variant_step, variant_neighbours, variant_step
from tests.factories import ExerciseFactory, avoid

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """A family of three, listed out of order, and an exercise of another family."""
    hard = ExerciseFactory(slug="prone-y-raise", family="shoulder-blades", level=3)
    easy = ExerciseFactory(slug="shoulder-blade-squeeze", family="shoulder-blades", level=1)
    middle = ExerciseFactory(
        slug="wall-slide",
        family="shoulder-blades",
        level=2,
    )
    ExerciseFactory(slug="band-row", family="rows", level=1)
    return easy, middle, hard


def test_family_members_are_the_offered_variants_easiest_first(rows):
    easy, middle, hard = rows

    assert family_members(hard) == [easy, middle, hard]


def test_an_exercise_without_a_family_has_no_members():
    assert family_members(ExerciseFactory()) == []


def test_unpublished_and_retired_variants_are_not_members(rows):
    easy, middle, hard = rows
    middle.is_published = False
    middle.save()
    hard.retired_at = timezone.now() - timedelta(days=1)
    hard.save()

    assert family_members(easy) == [easy]


def test_one_step_up_is_the_next_harder_variant_and_one_step_down_the_next_easier(rows):
    easy, middle, hard = rows

    assert variant_step(middle, +1) == hard
    assert variant_step(middle, -1) == easy
    assert variant_step(easy, +2) == hard
    assert variant_step(middle, 0) == middle


def test_there_is_nothing_past_the_ends_of_a_family(rows):
    easy, _, hard = rows

    assert variant_step(hard, +1) is None
    assert variant_step(easy, -1) is None
    assert variant_step(easy, +3) is None
    assert variant_step(ExerciseFactory(), +1) is None


def test_a_variant_unpublished_since_is_stepped_over(rows):
    easy, middle, hard = rows
    middle.is_published = False
    middle.save()

    assert variant_step(easy, +1) == hard
    assert variant_step(middle, +1) == hard  # from its own level, though it is no longer offered


def test_a_suitable_step_skips_variants_the_persons_conditions_rule_out(rows):
    easy, middle, hard = rows
    middle.suitability = {
        "pregnancy_later": avoid(easy.slug, why="Lying on your front presses on your belly.")
    }
    middle.save()

    assert suitable_variant_step(easy, +1, {"pregnancy_later"}) == hard
    assert suitable_variant_step(hard, -1, {"pregnancy_later"}) == easy
    assert suitable_variant_step(easy, +1, set()) == middle


def test_there_is_no_suitable_step_when_every_variant_that_way_is_ruled_out(rows):
    easy, middle, hard = rows
    for exercise in (middle, hard):
        exercise.suitability = {"osteoporosis": avoid(easy.slug)}
        exercise.save()

    assert suitable_variant_step(easy, +1, {"osteoporosis"}) is None
    assert variant_neighbours(easy, {"osteoporosis"}) == (None, None)
    assert variant_neighbours(middle, set()) == (easy, hard)
