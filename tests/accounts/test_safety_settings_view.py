"""/settings/safety/: the answers asked again ("Anything changed since …?"), the clinician's
clearance and its undo, and the full form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.screening import Area, ScreeningStatus, Tier2, WarningSign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAFETY = reverse("accounts:safety")
LAST_WEEK = timezone.now() - timedelta(days=7)


@pytest.fixture
def person(client):
    person = UserFactory(
        time_zone="Europe/London",
        screened_at=LAST_WEEK,
        tier2_answers=[Tier2.OSTEOPOROSIS],
        pain_areas=[Area.NECK],
    )
    client.force_login(person)
    return person


def answers(**overrides) -> dict:
    return {"no_warning_signs": "on", "tier2_answers": [Tier2.OSTEOPOROSIS]} | overrides


def checkbox(name: str, value: str, index: int) -> str:
    """A ticked checkbox as the form renders it."""
    return f'<input type="checkbox" name="{name}" value="{value}" id="id_{name}_{index}" checked>'


def test_it_asks_anonymous_people_to_log_in(client):
    response = client.get(SAFETY)

    assertRedirects(response, f"{reverse('account_login')}?next={SAFETY}", fetch_redirect_response=False)


def test_someone_never_screened_is_sent_to_the_welcome_page(client):
    client.force_login(UserFactory(screened_at=None))

    assertRedirects(client.get(SAFETY), reverse("accounts:welcome"), fetch_redirect_response=False)


def test_it_shows_the_last_answers_ticked_and_no_time_zone(client, person):
    response = client.get(SAFETY)

    assertContains(response, "<h1>Your safety answers</h1>", html=True)
    assertContains(response, checkbox("tier2_answers", "osteoporosis", 0), html=True)
    assertContains(response, checkbox("pain_areas", "neck", 0), html=True)
    assertContains(
        response,
        '<input type="checkbox" name="no_warning_signs" id="id_no_warning_signs" checked>',
        html=True,
    )
    assertNotContains(response, 'name="time_zone"')
    assertNotContains(response, "Nothing has changed")


def test_after_90_days_it_asks_whether_anything_changed_with_the_answers_filled_in(
    client, person, time_machine
):
    time_machine.move_to(LAST_WEEK + timedelta(days=91))
    client.force_login(person)  # the login of 91 days ago has expired

    response = client.get(SAFETY)

    answered = timezone.localdate(LAST_WEEK, person.zone)
    assertContains(response, f"<h1>Anything changed since {answered:%-d %B}?</h1>", html=True)
    assertContains(response, "We ask every 90 days, and you last answered on")
    assertContains(response, "<li>Low bone density or osteoporosis</li>", html=True)
    assertContains(response, "<li>Pain now: neck</li>", html=True)
    assertContains(response, f'action="{reverse("accounts:screening_unchanged")}"')
    assertContains(response, '<button type="submit">Nothing has changed</button>', html=True)
    assertContains(response, checkbox("tier2_answers", "osteoporosis", 0), html=True)


def test_after_a_painful_session_it_says_why_it_asks_again(client, person, log_session):
    log_session(person, timezone.localdate(timezone.now(), person.zone), pain=8)

    response = client.get(SAFETY)

    # After a red flag or high pain, one tap is not enough: the whole questions, with why.
    assertContains(response, "You reported pain of 8 out of 10 after your session on")
    assertNotContains(response, "Nothing has changed")
    assertContains(response, '<button type="submit">Save my answers</button>', html=True)


def test_saving_dates_the_answers_anew_and_answers_the_reason(client, person):
    person.screening_due_reason = "You reported tingling after your session on 3 November."
    person.save()

    response = client.post(SAFETY, answers(tier2_answers=[Tier2.HYPERMOBILITY]))

    assertRedirects(response, "/routines/", fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.tier2_answers == [Tier2.HYPERMOBILITY]
    assert person.pain_areas == []
    assert person.screened_at > LAST_WEEK
    assert person.screening_due_reason == ""
    assert person.screening_status == ScreeningStatus.DONE


def test_errors_come_back_with_a_422_and_what_was_ticked(client, person):
    response = client.post(SAFETY, {"warning_signs": [WarningSign.CANCER], "no_warning_signs": "on"})

    assert response.status_code == 422
    assertContains(response, checkbox("warning_signs", "cancer", 3), status_code=422, html=True)
    assertContains(response, "Tick each one that applies to you", status_code=422)


def test_answers_kept_from_the_old_questions_must_be_given_again_in_full(client, person):
    person.warning_signs = None  # as the data migration leaves them
    person.screening_due_reason = "The safety questions have changed since you answered them."
    person.save()

    response = client.get(SAFETY)

    assertContains(response, "<h1>Your safety answers</h1>", html=True)
    assertContains(response, "The safety questions have changed since you answered them.")
    assertNotContains(response, "Nothing has changed")
    assertContains(response, checkbox("tier2_answers", "osteoporosis", 0), html=True)
    assertContains(
        response, '<input type="checkbox" name="no_warning_signs" id="id_no_warning_signs">', html=True
    )


def test_a_cleared_person_can_take_the_go_ahead_back(client, person):
    person.warning_signs = [WarningSign.CANCER]
    person.cleared_at = timezone.now()
    person.save()

    page = client.get(SAFETY)
    response = client.post(reverse("accounts:clearance_undo"))

    assertContains(page, "you told us that a clinician had checked you")
    assertContains(page, "Take that back: I have not been cleared")
    assertRedirects(response, SAFETY, fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.cleared_at is None
    assert person.screening_status == ScreeningStatus.SEE_CLINICIAN
    assertContains(client.get(SAFETY), "Your routines are paused until a clinician has checked you.")


def test_taking_the_go_ahead_back_is_a_post(client, person):
    assert client.get(reverse("accounts:clearance_undo")).status_code == 405
