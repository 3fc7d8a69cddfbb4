"""Behind a proxy, allauth's per-IP limits count each visitor, not the proxy."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"  # every request reaches the app from the proxy


def login_from(client, visitor_ip: str, email: str, password: str = "wrong"):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=visitor_ip,
    )


def test_behind_one_proxy_a_visitors_failed_logins_do_not_lock_out_the_next(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person = UserFactory()
    for number in range(12):  # past "10/m/ip", with a different address each time (not "5/5m/key")
        login_from(client, "203.0.113.7", f"guess{number}@example.com")
    assert (
        "Too many tries. Wait a few minutes"
        in login_from(client, "203.0.113.7", person.email).content.decode()
    )

    response = login_from(client, "198.51.100.4", person.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_header_set_by_the_proxy_can_name_the_visitor_instead(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    person = UserFactory()
    for number in range(12):
        client.post(
            reverse("account_login"),
            {"login": f"guess{number}@example.com", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_REAL_IP="203.0.113.7",
        )

    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="198.51.100.4",
    )

    assert client.session["_auth_user_id"] == str(person.pk), response.content.decode()[:200]
