"""The trainer's client page shows, for each assignment, what was adapted for the client and what
they kept. A reason names a condition, so it shows only when the client shares their safety
answers (TrainerClient.share_screening); otherwise the page says "adapted for the client"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.screening import Tier2
from routines.services import routine_item_keep_original
from tests.factories import TrainerClientFactory, UserFactory, assignment_create, swap_exercises

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return swap_exercises()


def client_with_low_bone_density(**link_fields):
    return TrainerClientFactory(client=UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS]), **link_fields)


def client_page(client, link):
    client.force_login(link.trainer)
    return client.get(reverse("coaching:client_detail", args=[link.pk]))


def test_with_shared_answers_the_trainer_sees_each_swap_and_its_reason(client, lib):
    link = client_with_low_bone_density(share_screening=True)
    assignment_create(link, exercises=[lib.childs_pose])

    response = client_page(client, link)

    assertContains(
        response,
        "<li>Child&#x27;s pose → Lying on your elbows (Low bone density or osteoporosis)</li>",
        html=True,
    )


def test_without_shared_answers_the_trainer_sees_the_swap_but_not_why(client, lib):
    link = client_with_low_bone_density(share_screening=False)
    assignment_create(link, exercises=[lib.childs_pose])

    response = client_page(client, link)

    assertContains(
        response, "<li>Child&#x27;s pose → Lying on your elbows (adapted for the client)</li>", html=True
    )
    assertContains(response, "does not share their safety answers, so the reasons are not shown")
    assertNotContains(response, "bone density")
    assertNotContains(response, "osteoporosis")


@pytest.mark.parametrize("shared", [True, False])
def test_an_original_the_client_kept_shows_with_the_reason_only_when_shared(client, lib, shared):
    link = client_with_low_bone_density(share_screening=shared)
    assignment = assignment_create(link, exercises=[lib.childs_pose])
    routine_item_keep_original(item=assignment.routine.items.get())

    body = client_page(client, link).content.decode()

    assert "Child&#x27;s pose: kept by" in body
    assert "after reading why it may not suit them" in body
    assert ("(Low bone density or osteoporosis)" in body) is shared


def test_a_client_with_nothing_adapted_shows_no_swaps(client, lib):
    link = TrainerClientFactory(share_screening=True)
    assignment_create(link, exercises=[lib.childs_pose])

    assertNotContains(client_page(client, link), "Adapted for")


def test_the_client_page_takes_the_same_queries_with_one_and_several_adapted_assignments(client, lib):
    counts = []
    for assignments in (1, 4):
        link = client_with_low_bone_density(share_screening=True)
        for number in range(assignments):
            assignment_create(link, exercises=[lib.childs_pose, lib.childs_pose], title=f"Routine {number}")
        client.force_login(link.trainer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coaching:client_detail", args=[link.pk])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
