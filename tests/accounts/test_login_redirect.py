import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, email: str, **params):
    url = reverse("account_login")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return client.post(url, {"login": email, "password": PASSWORD})


def test_logging_in_leads_to_the_welcome_questions_while_the_screening_is_unanswered(client):
    UserFactory(email="sam@example.com", screened_at=None)

    response = log_in(client, "sam@example.com")

    assert response.status_code == 302
    assert response.url == reverse("accounts:welcome")


def test_logging_in_after_answering_the_screening_goes_home(client):
    UserFactory(email="sam@example.com", screened_at=timezone.now())

    response = log_in(client, "sam@example.com")

    assert response.url == reverse("home")


def test_logging_in_when_the_screening_is_due_again_leads_to_anything_changed(client):
    UserFactory(email="sam@example.com", screened_at=timezone.now() - timedelta(days=91))

    response = log_in(client, "sam@example.com")

    assert response.url == reverse("accounts:safety")


def test_a_page_that_asked_for_the_login_still_comes_first(client):
    UserFactory(email="sam@example.com", screened_at=None)

    response = log_in(client, "sam@example.com", next="/exercises/")

    assert response.url == "/exercises/"


def test_confirming_a_new_account_by_email_leads_to_the_welcome_questions(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "ana@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    confirm_url = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response.url == reverse("accounts:welcome")
