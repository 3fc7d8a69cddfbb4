"""The "Nothing has changed" button: the last answers, confirmed now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from accounts.screening import ScreeningStatus, Tier2, WarningSign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNCHANGED = reverse("accounts:screening_unchanged")
LONG_AGO = timezone.now() - timedelta(days=100)


def test_it_confirms_the_last_answers_now_and_goes_back_where_the_person_was_going(client):
    person = UserFactory(screened_at=LONG_AGO, tier2_answers=[Tier2.HYPERMOBILITY])
    client.force_login(person)
    assert person.screening_status == ScreeningStatus.DUE

    response = client.post(UNCHANGED, {"next": "/routines/4/play/"})

    assertRedirects(response, "/routines/4/play/", fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.screened_at > LONG_AGO
    assert person.tier2_answers == [Tier2.HYPERMOBILITY]
    assert person.screening_status == ScreeningStatus.DONE


def test_after_a_red_flag_or_high_pain_one_tap_is_refused_and_the_questions_are_asked(client):
    reason = "You reported new changes in bladder or bowel control after your session on 3 November."
    person = UserFactory(screening_due_reason=reason)
    client.force_login(person)

    response = client.post(UNCHANGED, follow=True)

    person.refresh_from_db()
    assert person.screening_due_reason == reason
    assert person.screening_status == "due"
    assert "after what you reported" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:safety")


def test_a_pregnancy_week_moves_on_to_this_week(client):
    person = UserFactory(screened_at=LONG_AGO, tier2_answers=[Tier2.PREGNANCY], pregnancy_week=10)
    client.force_login(person)

    client.post(UNCHANGED)

    person.refresh_from_db()
    assert person.pregnancy_week == 10 + 100 // 7


def test_a_warning_sign_still_not_cleared_leads_to_the_seek_help_page(client):
    person = UserFactory(screened_at=LONG_AGO, warning_signs=[WarningSign.NIGHT_PAIN])
    client.force_login(person)

    response = client.post(UNCHANGED, {"next": "/routines/4/play/"})

    assertRedirects(
        response,
        f"{reverse('accounts:seek_help')}?next=%2Froutines%2F4%2Fplay%2F",
        fetch_redirect_response=False,
    )


def test_answers_from_before_the_warning_signs_were_asked_cannot_be_confirmed(client):
    person = UserFactory(screened_at=LONG_AGO, warning_signs=None)
    client.force_login(person)

    response = client.post(UNCHANGED)

    assertRedirects(response, reverse("accounts:safety"), fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.screened_at == LONG_AGO


def test_it_is_a_post(client):
    client.force_login(UserFactory())

    assert client.get(UNCHANGED).status_code == 405
