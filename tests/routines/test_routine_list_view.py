"""GET /routines/: one's routines a page at a time, a search that works as a plain GET form, and
the htmx fragment that narrows the list as the person types."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from routines.views.routines import ROUTINES_PER_PAGE
from tests.factories import ExerciseFactory, RoutineFactory, StarterRoutineFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("routines:routine_list")


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_routines_come_a_page_at_a_time_with_a_pager(client, person):
    for n in range(ROUTINES_PER_PAGE + 3):
        RoutineFactory(owner=person, title=f"Routine {n:02}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"]) == ROUTINES_PER_PAGE
    assert len(second.context["page"]) == 3
    assertContains(first, '<nav class="pagination" aria-label="Pages of your routines"')
    assertContains(first, "Page 1 of 2")
    assertContains(second, "Page 2 of 2")


def test_the_search_finds_routines_by_every_word_of_the_title_or_description(client, person):
    RoutineFactory(owner=person, title="Desk reset", description="At lunch")
    RoutineFactory(owner=person, title="Evening unwind", description="Before bed, at the desk")
    RoutineFactory(owner=person, title="Morning wake-up", description="")
    RoutineFactory(title="Someone else's desk routine")

    response = client.get(URL, {"q": "desk"})
    narrower = client.get(URL, {"q": "desk lunch"})

    assert [r.title for r in response.context["page"]] == ["Evening unwind", "Desk reset"]
    assert [r.title for r in narrower.context["page"]] == ["Desk reset"]
    assertContains(response, "2 routines matching “desk”")
    assertContains(response, 'value="desk"')  # what was typed stays in the box


def test_the_search_keeps_its_words_on_every_page(client, person):
    for n in range(ROUTINES_PER_PAGE + 1):
        RoutineFactory(owner=person, title=f"Desk {n:02}")

    response = client.get(URL, {"q": "desk"})

    assertContains(response, 'href="?q=desk&amp;page=2"')


def test_a_search_with_no_match_says_so_and_how_to_see_them_all(client, person):
    RoutineFactory(owner=person, title="Desk reset")

    response = client.get(URL, {"q": "yoga"})

    assertContains(response, "No routine matches “yoga”")
    assertContains(response, "None of your routines has “yoga” in its title or description.")
    assertContains(response, f'<a href="{URL}">show them all</a>', html=True)


def test_too_long_a_search_is_explained_not_a_server_error(client, person):
    response = client.get(URL, {"q": "x" * 101})

    assert response.status_code == 200
    assertContains(response, "Ensure this value has at most 100 characters")
    assertContains(response, "x" * 101)  # nothing typed is lost


def test_with_htmx_only_the_results_come_back(client, person):
    RoutineFactory(owner=person, title="Desk reset")
    StarterRoutineFactory(title="A starter")

    response = client.get(URL, {"q": "desk"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="routine-results"')
    assert "Desk reset" in body
    assertNotContains(response, "Starter routines")


def test_the_search_form_works_without_javascript_and_names_itself(client, person):
    response = client.get(URL)

    assertContains(
        response, f'<form method="get" action="{URL}" class="filters routine-search" role="search"'
    )
    assertContains(response, '<label for="id_q">Find a routine</label>', html=True)


def test_the_list_takes_the_same_queries_for_3_and_30_routines(client, person, django_assert_max_num_queries):
    StarterRoutineFactory(exercises=[ExerciseFactory()])
    for _ in range(3):
        RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(27):
        RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
