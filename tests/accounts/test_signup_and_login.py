import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_signing_up_sends_a_verification_link_that_logs_the_person_in(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "ana@example.com", "display_name": "Ana", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email="ana@example.com")
    assert user.display_name == "Ana"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.com"]
    assert mailoutbox[0].subject.startswith("[Unknot]")

    confirm_url = link_in(mailoutbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "ana@example.com" in page.content.decode()

    confirmed = client.post(confirm_url, follow=True)
    assert confirmed.context["user"] == user
    assert user.emailaddress_set.get().verified


def test_an_unverified_person_cannot_log_in_yet(client, mailoutbox):
    UserFactory(email="new@example.com", verified=False)

    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sign_up_with_mismatched_passwords_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ana@example.com", "display_name": "Ana", "password1": PASSWORD, "password2": "different"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "You must type the same password each time" in body
    assert 'value="ana@example.com"' in body
    assert 'value="Ana"' in body
    assert not User.objects.exists()


def test_login_uses_the_email_address_and_logout_needs_a_post(client):
    UserFactory(email="sam@example.com", display_name="Sam")

    response = client.post(
        reverse("account_login"), {"login": "SAM@example.com", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].email == "sam@example.com"
    assert "Log out" in response.content.decode()

    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gives_a_clear_message(client):
    UserFactory(email="sam@example.com")

    response = client.post(reverse("account_login"), {"login": "sam@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="sam@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "sam@example.com", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "sam@example.com", "password": PASSWORD})

    assert "Too many tries. Wait a few minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forgotten_password_can_be_reset_by_email(client, mailoutbox):
    UserFactory(email="sam@example.com")

    client.post(reverse("account_reset_password"), {"email": "sam@example.com"})
    assert len(mailoutbox) == 1
    reset_url = client.get(link_in(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    client.post(reset_url, {"password1": "a-brand-new-password", "password2": "a-brand-new-password"})

    assert client.login(email="sam@example.com", password="a-brand-new-password")


def test_the_user_model_rejects_an_unknown_time_zone():
    from django.core.exceptions import ValidationError

    user = UserFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError, match="is not a time zone we know"):
        user.full_clean()


def test_account_emails_say_they_were_sent_automatically(client, mailoutbox):
    UserFactory(email="ana@example.com")
    client.post(
        reverse("account_signup"),
        {"email": "ben@example.com", "display_name": "Ben", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(reverse("account_reset_password"), {"email": "ana@example.com"})

    assert len(mailoutbox) == 2  # the confirmation, the password reset
    for message in mailoutbox:
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        assert message.message()["Auto-Submitted"] == "auto-generated"
