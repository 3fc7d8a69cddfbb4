"""Easier / Harder in the builder: an item becomes the next variant of its exercise that suits
the person, in place."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from routines.models import RoutineItem
from routines.services import routine_adapt
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    RoutineItemFactory,
    UserFactory,
    avoid,
    exercise_family,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def family():
    return exercise_family("shoulder-blades", "Shoulder blade squeeze", "Wall slide", "Lying W raise")


@pytest.fixture
def routine(person, family):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(name="Chin tuck"), family[1]])
    item = routine.items.get(exercise=family[1])
    item.note = "Slowly."
    item.reps = 20  # the person's own dose for the wall slide
    item.save()
    return routine


def step_url(routine, item):
    return reverse("routines:item_step", args=[routine.pk, item.pk])


def edit_url(routine):
    return reverse("routines:routine_edit", args=[routine.pk])


def stepped_item(routine):
    return routine.items.select_related("exercise").get(order=2)


def test_harder_puts_the_next_variant_in_the_same_place_with_its_own_dose(client, routine, family):
    item = stepped_item(routine)

    response = client.post(step_url(routine, item), {"direction": "harder"}, follow=True)

    item.refresh_from_db()
    assert item.exercise == family[2]
    assert (item.pk, item.order, item.note) == (item.pk, 2, "Slowly.")
    assert item.reps == family[2].reps
    assert "Lying W raise in place of Wall slide, starting at its own dose." in response.content.decode()
    assert response.redirect_chain[-1][0] == edit_url(routine)


def test_easier_puts_the_previous_variant_in_place(client, routine, family):
    item = stepped_item(routine)

    client.post(step_url(routine, item), {"direction": "easier"})

    item.refresh_from_db()
    assert item.exercise == family[0]


def test_the_builder_offers_easier_and_harder_by_name_only_for_items_in_a_family(client, routine):
    body = client.get(edit_url(routine)).content.decode()

    assert "Easier: Shoulder blade squeeze" in body
    assert "Harder: Lying W raise" in body
    assert body.count('name="direction" value="harder"') == 1  # the chin tuck has no family


def test_it_never_steps_into_a_variant_the_persons_answers_rule_out(client, person, routine, family):
    person.tier2_answers = ["pregnancy"]
    person.save()
    family[2].suitability = {
        "pregnancy": avoid(family[1].slug, why="Lying on your front presses on your belly.")
    }
    family[2].save()
    item = stepped_item(routine)

    assert "Harder:" not in client.get(edit_url(routine)).content.decode()
    response = client.post(step_url(routine, item), {"direction": "harder"}, follow=True)

    item.refresh_from_db()
    assert item.exercise == family[1]
    assert "Nothing harder than Wall slide in its family suits your answers, so it stays." in (
        response.content.decode()
    )


def test_it_steps_over_an_unsuitable_variant_to_the_next_one_that_suits(client, person, family):
    hardest = ExerciseFactory(name="Lying Y raise", family="shoulder-blades", level=4)
    family[2].suitability = {"pregnancy": avoid(family[1].slug)}
    family[2].save()
    person.tier2_answers = ["pregnancy"]
    person.save()
    routine = RoutineFactory(owner=person, exercises=[family[1]])
    item = routine.items.get()

    client.post(step_url(routine, item), {"direction": "harder"})

    item.refresh_from_db()
    assert item.exercise == hardest


def test_at_the_end_of_its_family_it_says_so_and_nothing_changes(client, routine, family):
    item = stepped_item(routine)
    client.post(step_url(routine, item), {"direction": "harder"})

    response = client.post(step_url(routine, item), {"direction": "harder"}, follow=True)

    item.refresh_from_db()
    assert item.exercise == family[2]
    assert "Lying W raise is the hardest variant in its family, so it stays." in response.content.decode()


def test_htmx_gets_the_item_list_back_with_the_variant_in_place(client, routine):
    item = stepped_item(routine)

    response = client.post(step_url(routine, item), {"direction": "harder"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="builder-items"')
    assert "Lying W raise in place of Wall slide" in body
    assert f'id="item-{item.pk}"' in body


def test_an_unknown_direction_changes_nothing(client, routine, family):
    item = stepped_item(routine)

    response = client.post(step_url(routine, item), {"direction": "sideways"}, follow=True)

    item.refresh_from_db()
    assert item.exercise == family[1]
    assert "Nothing changed: use the Easier or Harder buttons." in response.content.decode()


def test_a_swapped_item_stepped_to_another_variant_is_as_chosen(client, person, family):
    original = ExerciseFactory(name="Child's pose", suitability={"osteoporosis": avoid(family[1].slug)})
    person.tier2_answers = ["osteoporosis"]
    person.save()
    routine = RoutineFactory(owner=person, exercises=[original])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    item = routine.items.get()
    assert item.swapped_from == original

    client.post(step_url(routine, item), {"direction": "easier"})

    item.refresh_from_db()
    assert (item.exercise, item.swapped_from, item.swap_reason) == (family[0], None, "")


def test_someone_elses_item_is_not_found(client, person, family):
    other = RoutineItemFactory(exercise=family[1])

    response = client.post(step_url(other.routine, other), {"direction": "harder"})

    assert response.status_code == 404
    assert RoutineItem.objects.get(pk=other.pk).exercise == family[1]


def test_the_builder_runs_the_same_queries_for_2_and_40_items_in_families(client, person, family):
    def count(routine) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(edit_url(routine))
        return len(queries)

    other = exercise_family("rows", "Band row", "Band pull-apart")
    ExerciseFactory(name="Chin tuck")  # suggested beside both routines
    small = RoutineFactory(owner=person, exercises=[family[1], other[0]])
    large = RoutineFactory(owner=person, exercises=(family + other) * 8)

    assert count(small) == count(large)
