"""The layout's parts kept per process (templates/base.html, the "layout" cache): each person still
sees their own navigation, the page they are on, and a logout form with their own token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TrainerFactory, UserFactory


def nav(response) -> str:
    return re.search(r'<nav aria-label="Main">.*?</nav>', response.content.decode(), re.S).group(0)


@pytest.mark.django_db
def test_the_navigation_is_each_persons_own_on_the_same_page():
    trainer, person = TrainerFactory(), UserFactory()
    pages = {}
    for user in (trainer, person, None):
        browser = Client()
        if user is not None:
            browser.force_login(user)
        pages[user] = nav(browser.get(reverse("routines:exercise_list")))

    assert "Clients" in pages[trainer]
    assert "Clients" not in pages[person]
    assert "Log out" in pages[person]
    assert "Log in" not in pages[person]
    assert "Log in" in pages[None]
    assert "History" not in pages[None]


@pytest.mark.django_db
def test_the_navigation_marks_the_page_one_is_on(client):
    client.force_login(UserFactory())
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')

    for name in ("progress:history", "routines:routine_list", "accounts:settings", "routines:exercise_list"):
        assert current.findall(nav(client.get(reverse(name)))) == [reverse(name)]


@pytest.mark.django_db
def test_each_persons_logout_form_carries_their_own_token():
    people = [UserFactory(), UserFactory()]
    for person in people:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        page = browser.get(reverse("routines:exercise_list")).content.decode()
        token = re.search(
            r'data-logout>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page
        )

        response = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token.group(1)})

        assert response.status_code == 302
        assert "_auth_user_id" not in browser.session
