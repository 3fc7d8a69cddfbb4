"""Every URL of the project, walked from the URL resolver so that new URLs are covered too.

For each URL that names an object (a routine, an item, a session): its owner gets through,
anyone else gets 404 (GET and POST, and the object is unchanged), and a visitor who is not
logged in is sent to the login page. A URL whose parameters this test cannot fill fails it:
add the parameter to `owned_kwargs`.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from progress.models import SessionLog
from progress.selectors import local_today
from routines.models import Routine
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"home", "health", "routines:exercise_list", "routines:exercise_detail", "routines:before_you_start"}
SKIPPED_PREFIXES = ("admin/", "accounts/")  # Django's admin and allauth guard their own pages


def project_urls() -> list[tuple[str, str, list[str]]]:
    """(route, name, parameter names) of every named URL outside the admin and allauth."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(SKIPPED_PREFIXES):
                    found.append((route, namespace + pattern.name, list(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


URLS = project_urls()
OBJECT_URLS = [(route, name, params) for route, name, params in URLS if params and name not in PUBLIC]


@pytest.fixture
def owner(log_session):
    person = UserFactory()
    routine = RoutineFactory(
        owner=person, title="Owner's routine", exercises=[ExerciseFactory(), ExerciseFactory()]
    )
    session = log_session(person, local_today(person) - timedelta(days=1), pain=1)
    return person, routine, session


def owned_kwargs(route: str, params: list[str], routine: Routine, session: SessionLog) -> dict:
    values = {}
    for param in params:
        if param == "pk" and route.startswith("routines/"):
            values[param] = routine.pk
        elif param == "pk" and route.startswith("progress/sessions/"):
            values[param] = session.pk
        elif param == "item_pk":
            values[param] = routine.items.order_by("order").first().pk
        elif param == "number":
            values[param] = 1
        else:
            pytest.fail(f"test_privacy.py cannot fill <{param}> in {route}: add it to owned_kwargs")
    return values


def test_the_walk_finds_the_urls_that_name_someones_objects():
    names = {name for _, name, _ in OBJECT_URLS}

    assert {"routines:routine_edit", "routines:player_step", "progress:session_edit"} <= names


@pytest.mark.parametrize(("route", "name", "params"), OBJECT_URLS, ids=[name for _, name, _ in OBJECT_URLS])
def test_another_person_gets_not_found_and_changes_nothing(client, owner, route, name, params):
    person, routine, session = owner
    url = reverse(name, kwargs=owned_kwargs(route, params, routine, session))
    client.force_login(UserFactory())

    get, post = client.get(url), client.post(url, {"title": "Taken over", "pain": "9", "direction": "down"})

    assert (get.status_code, post.status_code) in {(404, 404), (404, 405), (405, 404)}
    routine.refresh_from_db()
    session.refresh_from_db()
    assert (routine.title, routine.items.count(), session.pain) == ("Owner's routine", 2, 1)
    assert Routine.objects.filter(owner=person).count() == 1


@pytest.mark.parametrize(("route", "name", "params"), OBJECT_URLS, ids=[name for _, name, _ in OBJECT_URLS])
def test_the_owner_gets_through(client, owner, route, name, params):
    person, routine, session = owner
    url = reverse(name, kwargs=owned_kwargs(route, params, routine, session))
    client.force_login(person)

    response = client.get(url)

    # 200 for pages; a redirect where the page needs a started player run; 405 for POST-only actions.
    assert response.status_code in {200, 302, 405}


@pytest.mark.parametrize(("route", "name", "params"), URLS, ids=[name for _, name, _ in URLS])
def test_visitors_who_are_not_logged_in_are_sent_to_log_in_except_on_public_pages(
    client, owner, route, name, params
):
    _, routine, session = owner
    kwargs = (
        {"slug": ExerciseFactory().slug}
        if params == ["slug"]
        else owned_kwargs(route, params, routine, session)
    )

    response = client.get(reverse(name, kwargs=kwargs))

    if name in PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert response.url.startswith(reverse("account_login"))
