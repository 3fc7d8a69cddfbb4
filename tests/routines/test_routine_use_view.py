"""POST /routines/<pk>/use/: "Customize" makes the person's own copy, adapted for them."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.screening import Tier2
from routines.models import Routine
from tests.factories import UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]


def use(client, starter):
    return client.post(reverse("routines:routine_use", args=[starter.pk]), follow=True)


def test_a_person_with_low_bone_density_gets_lying_on_your_elbows_in_place_of_childs_pose(client, library):
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    client.force_login(person)
    starter = Routine.objects.get(slug="morning-upper-back")

    response = use(client, starter)

    copy = Routine.objects.get(owner=person)
    last = copy.items.order_by("order").last()
    assert (last.exercise.slug, last.swapped_from.slug, last.swap_reason) == (
        "prone-on-elbows",
        "childs-pose",
        "osteoporosis",
    )
    assert last.note == "Cool-down; let your breathing slow down."
    assertContains(response, "We swapped 1 exercise for a safer one for you: each says why.")
    assertContains(response, "Child&#x27;s pose → Lying on your elbows, because of low bone density.")
    assert starter.items.filter(exercise__slug="childs-pose").exists()  # the starter is untouched


def test_a_person_without_those_conditions_gets_the_routine_as_it_is(client, library):
    client.force_login(UserFactory())
    starter = Routine.objects.get(slug="morning-upper-back")

    response = use(client, starter)

    copy = Routine.objects.get(owner=response.wsgi_request.user)
    assert list(copy.items.order_by("order").values_list("exercise__slug", flat=True)) == list(
        starter.items.order_by("order").values_list("exercise__slug", flat=True)
    )
    assert not copy.items.filter(swapped_from__isnull=False).exists()
    assert "We swapped" not in response.content.decode()


def test_the_reason_follows_the_persons_own_answers(client, library):
    person = UserFactory(pain_areas=["hip_knee"])
    client.force_login(person)

    response = use(client, Routine.objects.get(slug="evening-wind-down"))

    assertContains(
        response,
        "Child&#x27;s pose → Lying on your elbows, because your hip or knee is sore or had recent surgery.",
    )
