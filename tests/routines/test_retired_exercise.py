"""The retired partner "pop", followed through every place an exercise can appear.

It is retired by the shipped library file (routines/library/exercises.yaml, `retired:`), loaded
here as a deploy loads it.
"""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from routines.library_load import library_load
from routines.models import Exercise, Routine
from routines.selectors import exercise_search, exercise_suggestions
from tests.factories import RoutineFactory, UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("library_for_the_module", "library")

POP = "partner-upper-back-pop"


@pytest.fixture
def pop():
    return Exercise.objects.get(slug=POP)


def test_its_old_address_answers_410_with_a_calm_page_that_says_why(client, pop):
    response = client.get(reverse("routines:exercise_detail", args=[POP]))

    assert response.status_code == 410
    body = response.content.decode()
    assert f"{escape(pop.name)} is no longer offered" in body
    assert escape(pop.retired_reason) in body
    assert f'href="{reverse("routines:what_we_left_out")}"' in body
    assert "Steps" not in body


def test_it_is_not_in_the_library_list_or_its_search(client, pop):
    listing = client.get(reverse("routines:exercise_list")).content.decode()
    searched = client.get(reverse("routines:exercise_list"), {"q": "pop"}).content.decode()

    assert POP not in listing
    assert POP not in searched
    assert pop not in exercise_search(q="partner")


def test_it_is_not_in_the_builders_search_or_suggestions_and_cannot_be_added(client, pop):
    person = UserFactory()
    client.force_login(person)
    routine = RoutineFactory(owner=person)
    edit = reverse("routines:routine_edit", args=[routine.pk])

    searched = client.get(edit, {"q": "pop"}).content.decode()
    suggested = client.get(edit).content.decode()
    added = client.post(reverse("routines:item_add", args=[routine.pk]), {"exercise": pop.pk})

    assert POP not in searched
    assert POP not in suggested
    assert pop not in exercise_suggestions(user=person, exclude_ids=set(), limit=100)
    assert added.status_code == 422
    assert not routine.items.exists()


def test_no_starter_routine_offers_it(client, pop):
    assert not Routine.objects.starters().filter(items__exercise=pop).exists()


def test_a_routine_that_had_it_loses_it_on_load_and_the_sessions_that_logged_it_stay_readable(
    client, pop, log_session
):
    # As it was before the retirement: offered, in someone's routine and in their history.
    Exercise.objects.filter(pk=pop.pk).update(
        retired_at=None, retired_reason="", is_published=True, library_hash=""
    )
    cat_cow = Exercise.objects.get(slug="cat-cow")
    person = UserFactory()
    routine = RoutineFactory(owner=person, title="Partner evening", exercises=[cat_cow, pop])
    session = log_session(person, date(2026, 11, 20), routine=routine, exercises=[cat_cow, pop])
    client.force_login(person)

    result = library_load()

    assert result.retired == [POP]
    assert result.routines_without_retired == [routine.pk]
    assert [item.exercise for item in routine.items.all()] == [cat_cow]
    page = client.get(reverse("progress:session_detail", args=[session.pk]))
    assert page.status_code == 200
    assert escape(pop.name) in page.content.decode()
    history = client.get(reverse("progress:history")).content.decode()
    assert "Partner evening" in history
    exercises_csv = b"".join(client.get(reverse("progress:export_exercises_csv")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(exercises_csv.decode("utf-8-sig"))))
    assert [row["exercise"] for row in rows] == [cat_cow.name, pop.name]
    data = json.loads(b"".join(client.get(reverse("progress:export_json")).streaming_content))
    assert pop.name in [e["exercise"] for s in data["sessions"] for e in s["exercises"]]
