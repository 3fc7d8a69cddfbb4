"""The admin's login goes through allauth's (rate-limited, two-factor), and staff need two-factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from accounts.middleware import STAFF_TWO_FACTOR_MESSAGE
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(email="editor@example.com", is_staff=True, is_superuser=True)


def totp_for(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_the_admins_own_login_form_logs_nobody_in_and_sends_to_the_sites_login(client, staff):
    for _ in range(25):
        wrong = client.post(reverse("admin:login"), {"username": staff.email, "password": "wrong"})
        assert wrong.status_code == 302
    right = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})

    assert right.status_code == 302
    assert right.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_wrong_passwords_for_staff_are_rate_limited_like_every_login(client, staff):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "Too many tries. Wait a few minutes" in response.content.decode()


def test_staff_with_an_authenticator_app_are_asked_for_its_code(client, staff):
    secret = totp_for(staff)

    login = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert login.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": code(secret)})

    assert right.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_two_factor_are_sent_to_set_it_up_before_the_admin(client, staff, settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    admin_page = reverse("admin:routines_exercise_changelist")

    response = client.post(
        f"{reverse('account_login')}?next={admin_page}",
        {"login": staff.email, "password": PASSWORD},
        follow=True,
    )

    activate = f"{reverse('mfa_activate_totp')}?next=%2Fadmin%2Froutines%2Fexercise%2F"
    assert [url for url, _ in response.redirect_chain][:2] == [admin_page, activate]
    assert STAFF_TWO_FACTOR_MESSAGE in response.content.decode()
    # allauth asks for the password again before a new authenticator is added.
    confirmed = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate}, follow=True
    )
    body = confirmed.content.decode()
    assert confirmed.redirect_chain[-1][0] == activate
    assert "<main" in body  # inside the site's layout
    assert 'src="data:image/svg+xml' in body  # the QR code, allowed by the CSP's img-src
    assert not Authenticator.objects.exists()


def test_staff_with_two_factor_open_the_admin(client, staff, settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    totp_for(staff)
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_people_who_are_not_staff_are_not_asked(client, settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    client.force_login(UserFactory())

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's own "not staff"
