"""/coach/clients/<pk>/assign/: "Assign a routine" from a client's page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from coaching.models import Assignment
from progress.selectors import local_today
from tests.factories import ExerciseFactory, RoutineFactory, TrainerClientFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    link = TrainerClientFactory(trainer=TrainerFactory(display_name="Robin"))
    client.force_login(link.trainer)
    return link


@pytest.fixture
def desk_reset(link):
    return RoutineFactory(owner=link.trainer, title="Desk reset", exercises=[ExerciseFactory()])


def url(link):
    return reverse("coaching:client_assign", args=[link.pk])


def form_data(link, routine, **overrides):
    today = local_today(link.trainer)
    return {
        "routine": routine.pk if routine else "",
        "weekdays": [0, 2, 4],
        "starts_on": today.isoformat(),
        "ends_on": "",
        "instructions": "Gently.",
        **overrides,
    }


def test_the_client_page_offers_assign_a_routine(client, link):
    body = client.get(reverse("coaching:client_detail", args=[link.pk])).content.decode()

    assert f'href="{url(link)}">Assign a routine<span class="visually-hidden"> to ' in body


def test_the_form_lists_only_my_routines_that_have_exercises(client, link, desk_reset):
    RoutineFactory(owner=link.trainer, title="Still empty")
    RoutineFactory(title="Someone else's", exercises=[ExerciseFactory()])

    response = client.get(url(link))

    assertContains(response, "Desk reset")
    assertNotContains(response, "Still empty")
    assertNotContains(response, "Someone else")
    assertContains(response, "<h1>Assign to ")


def test_assigning_makes_the_clients_copy_and_goes_back_to_their_page(client, link, desk_reset):
    response = client.post(url(link), form_data(link, desk_reset), follow=True)

    assignment = Assignment.objects.get(link=link)
    assert assignment.source_routine == desk_reset
    assert assignment.routine.owner == link.client
    assert assignment.weekdays == [0, 2, 4]
    assert response.redirect_chain[-1][0] == reverse("coaching:client_detail", args=[link.pk])
    assertContains(response, "Assigned “Desk reset” to")


def test_a_missing_routine_or_a_past_start_is_explained_and_nothing_typed_is_lost(client, link, desk_reset):
    response = client.post(url(link), form_data(link, None, starts_on="2020-01-01", instructions="Keep me"))

    assert response.status_code == 422
    assertContains(response, "Choose a routine to assign.", status_code=422)
    assertContains(response, "Start today or later.", status_code=422)
    assertContains(response, "Keep me", status_code=422)
    assert not Assignment.objects.exists()


def test_someone_elses_routine_cannot_be_assigned(client, link, desk_reset):
    theirs = RoutineFactory(title="Not yours", exercises=[ExerciseFactory()])

    response = client.post(url(link), form_data(link, theirs))

    assertContains(response, "Choose one of your routines.", status_code=422)
    assert not Assignment.objects.exists()


def test_with_no_routine_to_assign_the_page_says_how_to_make_one(client, link):
    response = client.get(url(link))

    assertContains(response, "You have no routine with exercises to assign yet.")
