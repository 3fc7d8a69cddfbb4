"""POST /routines/<pk>/items/<item_pk>/use-alternative/: the undo of "keep the original"."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.screening import Tier2
from routines.services import routine_adapt, routine_item_keep_original
from tests.factories import RoutineFactory, UserFactory, swap_exercises

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
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    routine_item_keep_original(item=routine.items.get())
    return routine


def undo_url(routine):
    return reverse("routines:item_use_alternative", args=[routine.pk, routine.items.get().pk])


def test_the_safer_alternative_comes_back_with_its_reason(client, routine, lib):
    response = client.post(undo_url(routine), follow=True)

    item = routine.items.get()
    assert (item.exercise, item.swapped_from, item.swap_reason, item.kept_original_at) == (
        lib.elbows,
        lib.childs_pose,
        "osteoporosis",
        None,
    )
    assertContains(response, "Lying on your elbows is back in place of Child&#x27;s pose.")
    assertContains(response, "Child&#x27;s pose → Lying on your elbows, because of low bone density.")


def test_when_nothing_suits_better_the_original_stays_with_its_warning(client, routine, lib):
    lib.elbows.is_published = False
    lib.elbows.save()

    response = client.post(undo_url(routine), follow=True)

    item = routine.items.get()
    assert (item.exercise, item.swap_reason, item.kept_original_at) == (lib.childs_pose, "", None)
    assertContains(response, "Nothing in the library suits your answers better than Child&#x27;s pose")
    assertContains(response, "Unsuitable for you</strong> (low bone density or osteoporosis)")


def test_someone_elses_item_is_not_found_and_stays_kept(client, routine):
    client.force_login(UserFactory())

    assert client.post(undo_url(routine)).status_code == 404
    assert routine.items.get().kept_original_at is not None
