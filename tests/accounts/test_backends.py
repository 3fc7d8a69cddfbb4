"""The logged-in person, loaded for each request by accounts.backends without the ORM's compile;
and the sessions from before the backends were renamed, kept logged in."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from accounts.backends import AuthenticationBackend, ModelBackend, user_by_pk
from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_person_loaded_for_a_session_is_the_one_the_orm_loads():
    person = UserFactory(
        warning_signs=["numbness"],
        tier2_answers=["osteoporosis"],
        goals=["desk"],
        weekly_goal_minutes=45,
    )

    loaded, expected = user_by_pk(str(person.pk)), User.objects.get(pk=person.pk)

    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(loaded, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert loaded.warning_signs == ["numbness"]  # JSON, read as a list
    assert loaded.get_deferred_fields() == set()
    assert (loaded._state.adding, loaded._state.db) == (False, "default")


@pytest.mark.django_db
def test_a_person_loaded_so_saves_as_any_other():
    person = UserFactory(display_name="Ana")
    loaded = user_by_pk(person.pk)

    loaded.display_name = "Ana B."
    loaded.save(update_fields=["display_name"])

    assert User.objects.get(pk=person.pk).display_name == "Ana B."
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_no_one_is_loaded_for_a_deleted_or_deactivated_account(backend):
    active, inactive = UserFactory(), UserFactory(is_active=False)
    deleted_pk = UserFactory().pk
    User.objects.filter(pk=deleted_pk).delete()

    assert backend().get_user(active.pk) == active
    assert backend().get_user(inactive.pk) is None
    assert backend().get_user(deleted_pk) is None


@pytest.mark.django_db
def test_a_logged_in_page_costs_one_query_for_the_person(client, django_assert_num_queries):
    client.force_login(UserFactory())
    client.get("/before-you-start/")  # the session is read and cached by the first request

    with django_assert_num_queries(1):
        response = client.get("/before-you-start/")

    assert b"Log out" in response.content


# --- Sessions from before the backends were renamed ---------------------------------------------


def session_logged_in_as(user, backend: str) -> str:
    """A session as a login before the release made it (cached_db: in the table and the cache)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend_before", "backend_now"),
    [
        ("django.contrib.auth.backends.ModelBackend", "accounts.backends.ModelBackend"),
        ("allauth.account.auth_backends.AuthenticationBackend", "accounts.backends.AuthenticationBackend"),
    ],
)
def test_people_logged_in_before_the_release_stay_logged_in(backend_before, backend_now):
    person = UserFactory()
    session_key = session_logged_in_as(person, backend_before)
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key

    for _ in range(2):  # and the next request reads the session as the first one saved it
        response = browser.get("/progress/history/")
        assert response.status_code == 200
        assert response.wsgi_request.user == person

    assert browser.session[BACKEND_SESSION_KEY] == backend_now


@pytest.mark.django_db
def test_a_session_naming_an_unknown_backend_is_still_logged_out(client):
    person = UserFactory()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_logged_in_as(person, "somewhere.else.Backend")

    response = client.get("/progress/history/")

    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous
