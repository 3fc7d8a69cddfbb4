"""Someone else's address typed in at /accounts/email/ never blocks its owner, and says nothing of
whoever typed it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
VICTIM = "owner@example.com"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def squatter(client):
    user = UserFactory(display_name="Call 0800 000 000 now", email="squatter@example.com")
    client.force_login(user)
    return user


def add_email(client, email: str):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def test_an_address_someone_else_typed_in_does_not_block_its_owners_sign_up(client, squatter, mailoutbox):
    add_email(client, VICTIM)
    assert EmailAddress.objects.filter(email=VICTIM, user=squatter, verified=False).exists()
    client.logout()
    mailoutbox.clear()

    client.post(
        reverse("account_signup"),
        {"email": VICTIM, "display_name": "Owner", "password1": PASSWORD, "password2": PASSWORD},
    )

    owner = User.objects.get(email=VICTIM)
    assert owner != squatter
    assert not EmailAddress.objects.filter(user=squatter, email=VICTIM).exists()
    [confirmation] = mailoutbox
    assert confirmation.to == [VICTIM]
    client.post(link_in(confirmation))
    assert EmailAddress.objects.get(email=VICTIM).user == owner
    assert EmailAddress.objects.get(email=VICTIM).verified


def test_the_confirmation_email_does_not_carry_the_name_of_whoever_typed_the_address(
    client, squatter, mailoutbox
):
    add_email(client, VICTIM)

    [message] = mailoutbox
    assert message.to == [VICTIM]
    assert "0800" not in message.body
    assert "Someone asked to use this email address for an Unknot account." in message.body


def test_an_account_changes_its_address_rather_than_collecting_them(client, squatter):
    for number in range(5):
        add_email(client, f"someone{number}@example.com")

    assert list(
        EmailAddress.objects.filter(user=squatter).order_by("pk").values_list("email", "verified")
    ) == [
        ("squatter@example.com", True),
        ("someone4@example.com", False),  # the change it is waiting to confirm
    ]


def test_an_address_an_account_holds_for_real_still_cannot_be_signed_up_again(client, mailoutbox):
    UserFactory(email=VICTIM)

    client.post(
        reverse("account_signup"),
        {"email": VICTIM, "display_name": "Other", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert User.objects.filter(email=VICTIM).count() == 1
    [message] = mailoutbox  # allauth's "you already have an account", with a reset link
    assert "you already have an Unknot account with this address" in message.body
