from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from notifications.kinds import delivery_message_build
from notifications.models import Delivery, EmailKind
from notifications.unsubscribe import unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ONE_CLICK = "List-Unsubscribe=One-Click"  # the body mail clients POST (RFC 8058)


def url(user, kind=EmailKind.WEEKLY_SUMMARY) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})


def preferences(user) -> tuple:
    user.refresh_from_db()
    return (user.reminder_emails, user.weekly_summary_emails, user.trainer_digest_emails, user.alert_emails)


def test_opening_the_link_asks_first_and_changes_nothing(client):
    person = UserFactory()

    response = client.get(url(person))

    assert response.status_code == 200
    assert "Stop weekly summary emails?" in response.content.decode()
    assert preferences(person) == (True, True, True, True)


def test_a_head_request_answers_like_a_get_and_changes_nothing(client):
    person = UserFactory()

    response = client.head(url(person))

    assert response.status_code == 200
    assert response.content == b""
    assert preferences(person) == (True, True, True, True)


def test_a_one_click_post_without_a_csrf_token_turns_that_kind_off(db):
    person = UserFactory()
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(url(person), ONE_CLICK, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert preferences(person) == (True, False, True, True)


def test_the_confirm_button_turns_it_off_and_says_how_to_turn_it_back_on(client):
    person = UserFactory()

    response = client.post(url(person, EmailKind.REMINDER))

    page = response.content.decode()
    assert "Done" in page
    assert "you will no longer get reminder emails" in page
    assert reverse("notifications:settings") in page
    assert preferences(person) == (False, True, True, True)


def test_posting_twice_is_fine(client):
    person = UserFactory()

    first = client.post(url(person, EmailKind.TRAINER_DIGEST), ONE_CLICK, content_type="text/plain")
    second = client.post(url(person, EmailKind.TRAINER_DIGEST), ONE_CLICK, content_type="text/plain")

    assert (first.status_code, second.status_code) == (200, 200)
    assert preferences(person) == (True, True, False, True)


def test_a_tampered_link_says_it_is_damaged_and_changes_nothing(client):
    person = UserFactory()
    token = unsubscribe_token(person, EmailKind.WEEKLY_SUMMARY)
    tampered = reverse(
        "notifications:unsubscribe", kwargs={"token": token[:-2] + ("AA" if token[-2:] != "AA" else "BB")}
    )

    for response in (client.get(tampered), client.post(tampered, ONE_CLICK, content_type="text/plain")):
        assert response.status_code == 400
        assert "damaged" in response.content.decode()
        assert "nothing has changed" in response.content.decode()
        assert reverse("notifications:settings") in response.content.decode()
    assert preferences(person) == (True, True, True, True)


def test_an_unknown_token_is_a_damaged_link_too(client):
    response = client.post(reverse("notifications:unsubscribe", kwargs={"token": "hello"}))

    assert response.status_code == 400


def test_a_link_for_an_account_that_was_deleted_is_a_damaged_link_not_an_error(client):
    person = UserFactory()
    link = url(person)
    person.delete()

    assert client.get(link).status_code == 400
    assert client.post(link, ONE_CLICK, content_type="text/plain").status_code == 400


def test_the_page_does_not_show_whose_link_it_is(client):
    person = UserFactory(email="private@example.com")

    assert "private@example.com" not in client.get(url(person)).content.decode()


def test_the_link_in_an_email_is_the_one_reverse_writes_and_turns_that_kind_off(time_machine):
    time_machine.move_to(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), tick=False)  # the token's timestamp
    person = UserFactory()
    summary = {"first_day": "2026-11-23", "last_day": "2026-11-29"}
    message = delivery_message_build(Delivery(kind=EmailKind.WEEKLY_SUMMARY, user=person, context=summary))

    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link == settings.SITE_URL + url(person)
    assert f"Stop weekly summary emails: {link}" in message.body
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(settings.SITE_URL), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert preferences(person) == (True, False, True, True)
