"""allauth's pages and emails, made ours: our words ("Log in", "Sign up", "Remember me"), our
layout, errors a screen reader hears (role="alert", aria-invalid), and account emails with a text
part and a branded HTML part like every other email."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ALLAUTH_WORDS = [
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Remember Me",
    "Verify Your Email Address",
    "Password Reset",
]


def assert_ours(response) -> None:
    body = response.content.decode()
    for words in ALLAUTH_WORDS:
        assert words not in body, words
    assert '<a class="skip-link" href="#main">Skip to content</a>' in body  # our layout
    assert "not medical advice" in body


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_login", "Log in"),
        ("account_signup", "Sign up"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
    ],
)
def test_each_account_page_speaks_our_words_in_our_layout(client, name, heading):
    response = client.get(reverse(name))

    assertContains(response, f"<h1>{heading}</h1>", html=True)
    assert_ours(response)


def test_the_login_form_says_log_in_and_remember_me(client):
    response = client.get(reverse("account_login"))

    assertContains(response, '<button type="submit">Log in</button>', html=True)
    assertContains(response, "Remember me on this device")
    assertContains(response, '<label for="id_login">Email</label>', html=True)
    assertContains(
        response, f'<a href="{reverse("account_reset_password")}">Forgotten your password?</a>', html=True
    )


def test_a_wrong_password_is_an_alert_and_marks_both_fields_invalid(client):
    UserFactory(email="sam@example.com")

    response = client.post(reverse("account_login"), {"login": "sam@example.com", "password": "wrong-one"})

    body = response.content.decode()
    summary = re.search(
        r'<div class="error-summary" role="alert"[^>]*data-error-summary>.*?</div>', body, re.S
    )
    assert summary, body
    assert "That email and password do not match an account." in summary.group(0)
    for name in ("login", "password"):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in field
        assert 'aria-describedby="form-error-summary-1"' in field
    assert 'id="form-error-summary-1"' in body
    assert 'value="sam@example.com"' in body  # nothing typed is lost (but the password)


def test_a_sign_up_error_is_summarised_with_a_link_to_its_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD},
    )

    body = response.content.decode()
    assert '<a href="#id_email">Email – Enter a valid email address.</a>' in body
    assert re.search(r'<input [^>]*name="email"[^>]*aria-invalid="true"', body)
    assert_ours(response)


def test_the_confirmation_email_is_ours_with_a_text_and_a_branded_html_part(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "ana@example.com", "display_name": "Ana", "password1": PASSWORD, "password2": PASSWORD},
    )

    [message] = mailoutbox
    assert message.subject == "[Unknot] Confirm your email address"
    # No name: the address may be someone else's, and the name is whatever was typed.
    assert message.body.startswith("Hello,\n")
    assert "Ana" not in message.body
    assert "Hello from" not in message.body
    assert "has given your email address" not in message.body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Unknot · stretching for a stiff upper back" in html  # the layout of all our emails
    assert f'<a class="button" href="{link}">Confirm my email address</a>' in html


def test_the_password_reset_email_is_ours_with_both_parts(client, mailoutbox):
    UserFactory(email="sam@example.com", display_name="Sam")

    client.post(reverse("account_reset_password"), {"email": "sam@example.com"})

    [message] = mailoutbox
    assert message.subject == "[Unknot] Choose a new password"
    assert message.body.startswith("Hello,\n")
    assert "your password stays as it is" in message.body
    [(html, _)] = message.alternatives
    assert "Choose a new password</a>" in html
    assert "Unknot · stretching for a stiff upper back" in html


def test_an_account_email_without_html_of_its_own_gets_its_text_in_our_layout(rf):
    message = get_adapter().render_mail(
        "account/email/password_changed",
        "sam@example.com",
        {
            "user": UserFactory(display_name="Sam"),
            "ip": "203.0.113.9",
            "user_agent": "Firefox",
            "timestamp": "now",
        },
    )

    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Unknot · stretching for a stiff upper back" in html
    assert "203.0.113.9" in html


def test_the_layout_has_no_allauth_menu(client):
    response = client.get(reverse("account_login"))

    assertNotContains(response, "Menu:")


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "account_logout", "account_reauthenticate"]
)
def test_the_other_allauth_pages_render_in_our_layout_with_our_elements(client, name):
    client.force_login(UserFactory())

    response = client.get(reverse(name))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in body
    assert "Menu:" not in body  # allauth's own layout is not used
    if "<form" in body and 'class="account-form"' not in body:
        pytest.fail(f"{name}: a form without our element")


def test_the_logout_page_says_log_out(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account_logout"))

    assertContains(response, "<h1>Log out</h1>", html=True)
    assert_ours(response)
