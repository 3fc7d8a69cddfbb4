"""POST /routines/<pk>/items/<item_pk>/keep-original/: the person keeps the exercise a swap
replaced, after reading why; the choice is recorded and the original's warning stays."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.screening import Tier2
from routines.services import routine_adapt
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
    return routine


def keep_url(routine):
    return reverse("routines:item_keep_original", args=[routine.pk, routine.items.get().pk])


def test_keeping_puts_the_original_back_and_records_the_choice(client, routine, lib):
    response = client.post(keep_url(routine), follow=True)

    item = routine.items.get()
    assert (item.exercise, item.swapped_from, item.swap_reason) == (lib.childs_pose, None, "osteoporosis")
    assert item.kept_original_at is not None
    assert (item.hold_seconds, item.reps) == (45, 1)  # child's pose's own dose again
    assert response.redirect_chain[-1][0] == f"{routine.get_absolute_url()}#item-{item.pk}"
    assertContains(response, "You kept Child&#x27;s pose. Its caution stays beside it")
    assertContains(response, "Unsuitable for you</strong> (low bone density or osteoporosis)")


def test_a_second_click_changes_nothing(client, routine):
    client.post(keep_url(routine))
    kept_at = routine.items.get().kept_original_at

    client.post(keep_url(routine))

    assert routine.items.get().kept_original_at == kept_at


def test_a_retired_original_cannot_come_back_and_the_page_says_so(client, routine, lib):
    lib.childs_pose.retired_at = timezone.now()
    lib.childs_pose.is_published = False
    lib.childs_pose.save()

    page = client.get(routine.get_absolute_url())
    client.post(keep_url(routine))

    item = routine.items.get()
    assert (item.exercise, item.swapped_from) == (lib.elbows, lib.childs_pose)
    assert item.kept_original_at is None
    assertNotContains(page, "Keep Child&#x27;s pose")
    assertContains(page, "no longer in our library, so it cannot come back into this routine")


def test_keeping_is_a_post(client, routine):
    assert client.get(keep_url(routine)).status_code == 405
    assert routine.items.get().kept_original_at is None


def test_someone_elses_item_is_not_found_and_stays_swapped(client, routine, lib):
    client.force_login(UserFactory())

    assert client.post(keep_url(routine)).status_code == 404
    assert routine.items.get().exercise == lib.elbows
