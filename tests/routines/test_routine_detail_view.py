"""GET /routines/<pk>/: what was swapped for the person and why, the choice to keep the original
(explained first), and for a starter, what "Use this routine" would swap for them."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.screening import Tier2
from routines.services import routine_adapt, routine_item_keep_original
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    StarterRoutineFactory,
    UserFactory,
    swap_exercises,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return swap_exercises()


@pytest.fixture
def person(client):
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    client.force_login(person)
    return person


@pytest.fixture
def routine(person, lib):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(name="Cat-cow"), lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    return routine


def test_a_swapped_exercise_says_what_replaced_what_and_why(client, routine):
    response = client.get(routine.get_absolute_url())

    assertContains(
        response,
        "<strong>Adapted for you:</strong> Child&#x27;s pose → Lying on your elbows, "
        "because of low bone density.",
    )


def test_keeping_the_original_is_offered_only_after_saying_why_it_may_not_suit_me(client, routine):
    item = routine.items.get(order=2)
    body = client.get(routine.get_absolute_url()).content.decode()

    choice = body.split('<details class="swap-choice">')[1].split("</details>")[0]
    assert "Why Child&#x27;s pose may not suit you: It holds your spine fully rounded." in choice
    assert "If a physiotherapist or doctor who knows you has said Child&#x27;s pose is fine for you" in choice
    assert reverse("routines:item_keep_original", args=[routine.pk, item.pk]) in choice
    assert choice.index("may not suit you") < choice.index("Keep Child&#x27;s pose</button>")


def test_a_kept_original_still_shows_its_warning_and_the_way_back(client, routine):
    item = routine.items.get(order=2)
    routine_item_keep_original(item=item)

    response = client.get(routine.get_absolute_url())

    assertContains(response, "<strong>Kept at your choice</strong>")
    assertContains(response, "Unsuitable for you</strong> (low bone density or osteoporosis)")
    assertContains(response, reverse("routines:item_use_alternative", args=[routine.pk, item.pk]))
    assertContains(response, "Use the safer alternative again")
    assertNotContains(response, "Adapted for you:")


def test_a_starter_shows_what_using_it_would_swap_for_me_without_writing(client, person, lib):
    starter = StarterRoutineFactory(exercises=[lib.childs_pose])

    response = client.get(starter.get_absolute_url())

    assertContains(
        response,
        "<strong>Adapted for you when you use this routine:</strong> Child&#x27;s pose → Lying on your "
        "elbows, because of low bone density.",
    )
    assert starter.items.get().exercise == lib.childs_pose


def test_an_exercise_with_no_suitable_alternative_stays_with_its_warning(client, lib):
    expecting = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS, Tier2.PREGNANCY], pregnancy_week=10)
    client.force_login(expecting)
    routine = RoutineFactory(owner=expecting, exercises=[lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis", "pregnancy"})

    response = client.get(routine.get_absolute_url())

    assertContains(response, "Child&#x27;s pose</a>")
    assertContains(response, "Unsuitable for you</strong> (low bone density or osteoporosis)")
    assertNotContains(response, "Adapted for you")


def test_the_breadcrumb_says_whose_routine_it_is(client, person):
    starter = StarterRoutineFactory(title="Morning starter")
    own = RoutineFactory(owner=person, title="Mine")

    starter_page = client.get(reverse("routines:routine_detail", args=[starter.pk]))
    own_page = client.get(reverse("routines:routine_detail", args=[own.pk]))

    routines = reverse("routines:routine_list")
    assertContains(starter_page, f'<a href="{routines}#starters">Starter routines</a>')
    assertNotContains(starter_page, "Your routines</a>")
    assertContains(own_page, f'<a href="{routines}">Your routines</a>')
