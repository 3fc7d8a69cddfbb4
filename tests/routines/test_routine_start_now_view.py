"""POST /routines/<pk>/start/: "Start now" on a starter goes straight to the player, with the
person's own copy made on the way (or their earlier copy used again)."""

import re

import pytest
from django.urls import reverse

from routines.models import Routine
from tests.factories import ExerciseFactory, RoutineFactory, StarterRoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def starter():
    return StarterRoutineFactory(title="Desk break", exercises=[ExerciseFactory(), ExerciseFactory()])


def start_now(client, routine):
    return client.post(reverse("routines:routine_start_now", args=[routine.pk]))


def test_start_now_copies_the_starter_and_opens_the_player(client, person, starter):
    response = start_now(client, starter)

    copy = Routine.objects.get(owner=person)
    assert response.status_code == 302
    assert response.url == reverse("progress:player_start", args=[copy.pk])
    assert (copy.title, copy.copied_from, copy.items.count()) == ("Desk break", starter, 2)


def test_start_now_again_plays_the_same_copy_instead_of_making_another(client, person, starter):
    first = start_now(client, starter)
    second = start_now(client, starter)

    assert Routine.objects.filter(owner=person).count() == 1
    assert first.url == second.url


def test_start_now_on_my_own_routine_goes_straight_to_the_player(client, person):
    mine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])

    response = start_now(client, mine)

    assert response.url == reverse("progress:player_start", args=[mine.pk])
    assert Routine.objects.filter(owner=person).count() == 1


def test_someone_elses_routine_cannot_be_started(client, person):
    theirs = RoutineFactory(exercises=[ExerciseFactory()])

    assert start_now(client, theirs).status_code == 404
    assert not Routine.objects.filter(owner=person).exists()


def test_a_get_changes_nothing(client, person, starter):
    response = client.get(reverse("routines:routine_start_now", args=[starter.pk]))

    assert response.status_code == 405
    assert not Routine.objects.filter(owner=person).exists()


def test_each_starter_card_offers_start_now_first_and_customize_second(client, person, starter):
    body = client.get(reverse("routines:routine_list")).content.decode()

    start = reverse("routines:routine_start_now", args=[starter.pk])
    customize = reverse("routines:routine_use", args=[starter.pk])
    named = '<span class="visually-hidden">: Desk break</span>'
    assert re.search(
        rf'<form method="post" action="{start}">.*?Start now{named}'
        rf'.*?<form method="post" action="{customize}">.*?Customize{named}',
        body,
        re.S,
    )


def test_a_starters_page_offers_start_now_and_customize(client, person, starter):
    body = client.get(starter.get_absolute_url()).content.decode()

    assert reverse("routines:routine_start_now", args=[starter.pk]) in body
    assert reverse("routines:routine_use", args=[starter.pk]) in body
